// Offline outbox and exactly-once sync, through real pages in Chromium, with the database
// checked directly. Issue 3's browser proof.
import { test, expect, Page, BrowserContext } from '@playwright/test';
import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import path from 'node:path';

const PG_PORT = process.env.PG_PORT ?? '55433';
const PHONE = { width: 360, height: 740 };
const PHOTO = path.resolve(__dirname, '../../public/icons/icon-512.png');

function sql(query: string): string {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', PG_PORT, '-U', 'postgres', '-d', 'wuye_e2e', '-Atc', query], {
    encoding: 'utf8',
  }).trim();
}

async function hydrated(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]');
}

async function signIn(page: Page, username: string, base = '') {
  await page.goto(base + '/login');
  await hydrated(page);
  await page.fill('#username', username);
  await page.fill('#password', 'wuye2026');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
  await hydrated(page);
}

/** Waits until the engine has synced once and nothing is pending (reference data is then on the device). */
async function settled(page: Page) {
  await expect(page.locator('#sync-badge')).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
  await expect(page.locator('#sync-badge')).toHaveText(/已同步/, { timeout: 30_000 });
}

async function controlled(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await hydrated(page);
  }
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

async function fillRepair(page: Page, content: string, withPhoto: boolean) {
  await page.click('#new-repair');
  await page.waitForSelector('#repair-form');
  await page.fill('#repair-unit', '1-1-101');
  await page.click('.pick:has-text("1栋1单元101")');
  await page.fill('#repair-reporter', '李阿姨');
  await page.fill('#repair-phone', '13912345678');
  await page.fill('#repair-content', content);
  if (withPhoto) {
    await page.setInputFiles('#repair-photo', PHOTO);
    await expect(page.locator('.photos')).toContainText('(1)');
  }
  await page.click('#repair-save');
  await expect(page.locator('#repair-message')).toHaveText(/已保存在本机/);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

test('offline work with a photo survives a reload, a push cut off mid-way, and lands exactly once', async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await signIn(page, 'tech1');
  await controlled(page);
  await settled(page);

  const content = `离线报修 ${Date.now()}：楼道灯不亮`;
  await context.setOffline(true);
  await fillRepair(page, content, true);
  await expect(page.locator('#sync-badge')).toHaveAttribute('data-pending', '1');

  // The outbox survives a reload with the network off.
  await page.goto('/tech');
  await hydrated(page);
  await expect(page.locator('#sync-badge')).toHaveAttribute('data-pending', '1');
  await page.click('#sync-badge');
  await expect(page.locator('#outbox-list li')).toHaveCount(1);
  await expect(page.locator('#outbox-list li').first()).toHaveAttribute('data-state', /waiting|sending/);
  expect(sql(`SELECT count(*) FROM work_orders WHERE doc->>'content' = '${content}'`)).toBe('0');

  // Back online, the push reaches the server and commits, but the page is closed before the answer.
  let pushed = false;
  await page.route('**/api/sync/v1/push', async (route) => {
    await route.fetch(); // the server applies and commits
    pushed = true;
    await page.close(); // …and the phone never hears back
  });
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event('online'))).catch(() => {});
  await expect.poll(() => pushed, { timeout: 30_000 }).toBe(true);
  await expect.poll(() => page.isClosed()).toBe(true);
  expect(sql(`SELECT count(*) FROM work_orders WHERE doc->>'content' = '${content}'`)).toBe('1');

  // Reopen: the device sends again, the server answers from its record, the badge returns to zero.
  const again = await context.newPage();
  const errors2 = watchErrors(again);
  await again.goto('/tech');
  await hydrated(again);
  await settled(again);
  expect(sql(`SELECT count(*) FROM work_orders WHERE doc->>'content' = '${content}'`)).toBe('1');
  expect(
    sql(`SELECT count(*) FROM sync_mutations m JOIN work_orders w ON w.id = m.entity_id WHERE w.doc->>'content' = '${content}'`),
  ).toBe('1');
  const sha = sql(`SELECT doc->'photos'->0->>'sha256' FROM work_orders WHERE doc->>'content' = '${content}'`);
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  expect(sql(`SELECT complete FROM blobs WHERE sha256 = '${sha}'`)).toBe('t');
  // The order shows its server number on the device.
  await expect(again.locator('#order-list li', { hasText: content }).locator('.number')).toHaveText(/^BX-\d{4}-\d{2}-\d{4}$/);
  expect(errors).toEqual([]);
  expect(errors2).toEqual([]);
  await context.close();
});

test('a server restart during sync loses nothing', async ({ browser }) => {
  // A second server on its own port, on the same database, that this test stops and starts.
  const port = 3107;
  const base = `http://127.0.0.1:${port}`;
  const start = (): ChildProcess =>
    spawn(process.env.SERVER_BIN ?? '../target/release/server', [], {
      env: {
        ...process.env,
        DATABASE_URL: `postgres://postgres@127.0.0.1:${PG_PORT}/wuye_e2e`,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: process.env.SITE_ROOT ?? '../target/site',
        RUST_LOG: 'warn',
      },
      stdio: 'ignore',
    });
  const up = async () => {
    await expect
      .poll(async () => {
        try {
          return (await fetch(base + '/login')).status;
        } catch {
          return 0;
        }
      }, { timeout: 20_000 })
      .toBe(200);
  };
  let server = start();
  try {
    await up();
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, 'desk1', base);
    await controlled(page);
    await settled(page);
    const tag = `重启测试 ${Date.now()}`;
    await context.setOffline(true);
    for (const n of [1, 2, 3]) {
      await fillRepair(page, `${tag} #${n}`, false);
      await page.goto(base + '/desk');
      await hydrated(page);
    }
    await expect(page.locator('#sync-badge')).toHaveAttribute('data-pending', '3');
    // The server goes down while the phone comes back online and tries to sync.
    server.kill('SIGKILL');
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.click('#sync-badge');
    await page.click('#sync-now');
    await expect(page.locator('#sync-error')).toBeVisible({ timeout: 20_000 });
    await expect(page.locator('#outbox-list li')).toHaveCount(3);
    server = start();
    await up();
    await page.click('#sync-now');
    await expect(page.locator('#sync-badge')).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
    expect(sql(`SELECT count(*) FROM work_orders WHERE doc->>'content' LIKE '${tag}%'`)).toBe('3');
    expect(
      sql(`SELECT count(*) FROM sync_mutations m JOIN work_orders w ON w.id = m.entity_id WHERE w.doc->>'content' LIKE '${tag}%'`),
    ).toBe('3');
    expect(errors).toEqual([]);
    await context.close();
  } finally {
    server.kill('SIGKILL');
  }
});
