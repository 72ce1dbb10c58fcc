// Patrols end to end (issue 5): a whole round on a phone with the network off — start, three
// checkpoints "scanned" through the camera's own code path, the fire door of a stairwell 异常
// with a photo, a checkpoint skipped, finished early with a reason — then one sync: the round
// lands once, a repair order exists with that photo and place, and the manager's report shows
// the missed checkpoint and the exception. Also the printable QR label sheet, decoded back.
import { test, expect, Page, Browser } from '@playwright/test';
import { PHONE, TABLET, controlled, settled, signedIn, sql, waitHydrated, type SignedIn } from './helpers';

/** The shared helpers under this spec's older names. */
const device = signedIn;
const hydrated = waitHydrated;
type Device = SignedIn;
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

const PHOTO = path.resolve(__dirname, '../../public/icons/icon-512.png');

/** What the camera path does with a decoded QR value. */
async function scan(page: Page, code: string) {
  await page.evaluate((c) => (window as unknown as { __wuyeScan: (c: string) => void }).__wuyeScan(c), code);
}

function stop(page: Page, code: string) {
  return page.locator(`[data-testid="stop"][data-code="${code}"]`);
}

test('a round walked offline lands once, raises the repair with its photo, and the report shows what was missed', async ({ browser }) => {
  test.setTimeout(180_000);
  const patrol = await device(browser, 'patrol1');
  await controlled(patrol.page);
  await patrol.context.setOffline(true);

  await patrol.page.goto('/patrol');
  await hydrated(patrol.page);
  const route = patrol.page.locator('[data-testid="route"]', { hasText: '3栋 日常巡楼' });
  await route.getByTestId('route-start').click();
  await patrol.page.waitForURL(/\/patrol\/rounds\/[0-9a-f-]{36}$/);
  await hydrated(patrol.page);
  const roundId = new URL(patrol.page.url()).pathname.split('/').pop()!;
  if ((await patrol.page.getByTestId('round-status').getAttribute('data-status')) === 'planned') {
    await patrol.page.getByTestId('round-start').click();
  }
  await expect(patrol.page.getByTestId('round-status')).toHaveAttribute('data-status', 'in_progress');

  // Three checkpoints through the camera's code path; an unknown code is refused and changes nothing.
  await scan(patrol.page, 'CH-3-MT');
  await expect(stop(patrol.page, 'CH-3-MT')).toHaveAttribute('data-state', /scanned|fault/);
  await scan(patrol.page, 'ZZ-9-404');
  await expect(patrol.page.getByTestId('round-error').first()).toBeVisible();
  await scan(patrol.page, 'CH-3-TT');
  await expect(stop(patrol.page, 'CH-3-TT')).toHaveAttribute('data-state', /scanned|fault/);
  await scan(patrol.page, 'CH-3-1-LT');
  await expect(stop(patrol.page, 'CH-3-1-LT')).toHaveAttribute('data-state', /scanned|fault/);

  // The stairwell's fire door (防火门是否关闭) is open: 异常 with a photo.
  const door = patrol.page.locator('[data-testid="checklist"][data-code="CH-3-1-LT"] [data-testid="checklist-item"][data-code="1c3"]');
  await expect(door).toContainText('防火门');
  await door.getByTestId('answer-note').fill('3楼防火门被杂物顶开');
  await door.getByTestId('answer-photo').setInputFiles(PHOTO);
  await door.getByTestId('answer-fault').click();
  await expect(door).toHaveAttribute('data-value', 'fault');
  await expect(stop(patrol.page, 'CH-3-1-LT')).toHaveAttribute('data-state', 'fault');

  // CH-3-2-LT (and the lifts) are skipped: finishing needs a reason.
  await patrol.page.getByTestId('round-finish-early').click();
  await patrol.page.getByTestId('early-reason').fill('电梯检修，2单元楼梯间封闭施工');
  await patrol.page.getByTestId('early-submit').click();
  await expect(patrol.page.getByTestId('round-status')).toHaveAttribute('data-status', 'finished_early');
  expect(sql(`SELECT count(*) FROM rounds WHERE id = '${roundId}'`)).toBe('0');

  await patrol.context.setOffline(false);
  await patrol.page.evaluate(() => window.dispatchEvent(new Event('online')));
  await settled(patrol.page);
  expect(sql(`SELECT status FROM rounds WHERE id = '${roundId}'`)).toBe('finished_early');
  // create, start, three scans, one answer, finish early: each applied once.
  expect(sql(`SELECT count(*) FROM sync_mutations WHERE entity_id = '${roundId}'`)).toBe('7');
  const order = sql(
    `SELECT id || '|' || (doc->>'location') || '|' || (doc->>'kind') || '|' || (doc->'photos'->0->>'sha256')
     FROM work_orders WHERE doc->'patrol_source'->>'round_id' = '${roundId}'`,
  );
  const [orderId, place, kind, sha] = order.split('|');
  expect(place).toBe('3栋1单元 楼梯间');
  expect(kind).toBe('urgent');
  const answerSha = sql(
    `SELECT a->'photos'->0->>'sha256' FROM rounds, jsonb_array_elements(doc->'answers') a
     WHERE id = '${roundId}' AND a->>'item_code' = '1c3'`,
  );
  expect(sha).toBe(answerSha);
  expect(sql(`SELECT complete FROM blobs WHERE sha256 = '${sha}'`)).toBe('t');

  // The manager's report on a tablet.
  const mgr = await device(browser, 'csmgr', TABLET);
  await mgr.page.goto(`/patrol/reports/${roundId}`);
  await hydrated(mgr.page);
  await expect(mgr.page.getByTestId('missed-stop').filter({ hasText: '3栋2单元 楼梯间' })).toBeVisible();
  await expect(mgr.page.getByTestId('report-fault').filter({ hasText: '防火门' })).toBeVisible();
  await expect(mgr.page.getByTestId('report-early-reason')).toContainText('封闭施工');
  await expect(mgr.page.locator(`a[href="/repairs/${orderId}"]`).first()).toBeVisible();

  for (const d of [patrol, mgr]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});

test('the QR label sheet prints, and each label decodes to its checkpoint', async ({ browser }, testInfo) => {
  const mgr = await device(browser, 'csmgr', TABLET);
  await mgr.page.goto('/patrol/labels');
  await hydrated(mgr.page);
  const labels = mgr.page.getByTestId('qr-label');
  await expect(labels.first()).toBeVisible();
  const count = await labels.count();
  expect(count).toBeGreaterThan(40);
  await mgr.page.emulateMedia({ media: 'print' });
  await testInfo.attach('label-sheet', { body: await mgr.page.screenshot({ fullPage: true }), contentType: 'image/png' });
  // Decode a few labels from their pixels, as a phone camera would.
  for (const i of [0, Math.floor(count / 2), count - 1]) {
    const label = labels.nth(i);
    await label.scrollIntoViewIfNeeded();
    const img = label.locator('img');
    await expect.poll(() => img.evaluate((e: HTMLImageElement) => e.complete && e.naturalWidth > 0)).toBe(true);
    const png = PNG.sync.read(await img.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded, `label ${i} did not decode`).not.toBeNull();
    const text = await label.innerText();
    expect(text).toContain(decoded!.data);
    expect(sql(`SELECT count(*) FROM checkpoints WHERE code = '${decoded!.data}'`)).toBe('1');
  }
  expect(mgr.errors).toEqual([]);
  await mgr.context.close();
});
