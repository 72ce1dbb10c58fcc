// The foundation: sign-in for every role, the role guard, the manager summary, the offline app
// shell, the language switch, sign-out and the sign-in rate limit. Runs in file order (one
// worker): the lockout test locks `security1` and clears its failed attempts when it ends, so the
// release and desk specs can sign in as the gate guard afterwards.
import type { Browser, Page, TestInfo } from '@playwright/test';
import {
  ACCOUNTS,
  PageErrors,
  PASSWORD,
  PHONE,
  TABLET,
  TEXT,
  account,
  expect,
  expectNoPageErrors,
  hasServiceWorkerController,
  layoutOf,
  login,
  newDeviceContext,
  pathOf,
  serviceWorkerReady,
  sql,
  submitLogin,
  test,
  viewportOf,
  waitHydrated,
} from './helpers';

test('every role signs in and lands on its own home screen', async ({ browser, pageErrors }, testInfo) => {
  test.setTimeout(180_000);
  for (const a of ACCOUNTS) {
    await test.step(`${a.username} (${a.role}, ${a.device})`, async () => {
      const viewport = viewportOf(a.device);
      const context = pageErrors.watchContext(await newDeviceContext(browser, testInfo, viewport));
      try {
        const page = await context.newPage();
        await login(page, a.username);

        expect(pathOf(page), `${a.username} should land on ${a.home}`).toBe(a.home);
        await expect(page.locator('#home-title')).toHaveText(a.title);
        await expect(page.locator('.frame')).toHaveAttribute('data-role', a.role);
        await expect(page.locator('#forbidden')).toHaveCount(0);

        const nav = page.locator('nav.mainnav');
        await expect(nav).toBeVisible();
        const l = await layoutOf(page);
        expect(l.nav, 'nav.mainnav has a box').not.toBeNull();
        const box = l.nav!;
        if (a.device === 'phone') {
          // Bottom bar: full width, flush with the bottom of the viewport.
          expect(Math.abs(box.bottom - viewport.height), `nav bottom ${box.bottom} vs ${viewport.height}`).toBeLessThanOrEqual(2);
          expect(box.y, 'bottom bar starts in the lower part of the screen').toBeGreaterThan(viewport.height / 2);
          expect(Math.abs(box.width - viewport.width), `nav width ${box.width}`).toBeLessThanOrEqual(2);
          expect(l.scrollWidth, 'no horizontal scroll at 360 px').toBeLessThanOrEqual(PHONE.width);
        } else {
          // Side rail: on the left, full height, narrow.
          expect(Math.abs(box.x), `nav x ${box.x}`).toBeLessThanOrEqual(2);
          expect(Math.abs(box.y), `nav y ${box.y}`).toBeLessThanOrEqual(2);
          expect(Math.abs(box.height - viewport.height), `nav height ${box.height} vs ${viewport.height}`).toBeLessThanOrEqual(2);
          expect(box.width, 'side rail is narrow').toBeLessThan(viewport.width / 4);
          expect(l.scrollWidth, 'no horizontal scroll on the tablet').toBeLessThanOrEqual(TABLET.width);
        }

        // `/` and `/login` send a signed-in user home, too.
        await page.goto('/');
        await expect.poll(() => pathOf(page), { message: `/ should send ${a.username} home` }).toBe(a.home);
        await waitHydrated(page);
        await expect(page.locator('#home-title')).toHaveText(a.title);
        await page.goto('/login');
        await expect.poll(() => pathOf(page), { message: `/login should send ${a.username} home` }).toBe(a.home);
        await waitHydrated(page);
      } finally {
        await context.close();
      }
    });
  }
  expectNoPageErrors(pageErrors);
});

test('a wrong password gives the clear Chinese message and stays on /login', async ({ page, pageErrors }) => {
  await page.goto('/login');
  await waitHydrated(page);
  await expect(page.locator('h1')).toHaveText('物业服务');
  await expect(page.locator('#login-error')).toHaveCount(0);

  // A known account with a wrong password.
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await submitLogin(page, 'desk1', 'not-the-password');
  expect((await answer).status()).toBe(401);
  await expect(page.locator('#login-error')).toHaveText(TEXT.badCredentials);
  expect(pathOf(page)).toBe('/login');
  await expect(page.locator('#password'), 'the wrong password is cleared').toHaveValue('');
  await expect(page.locator('#username')).toHaveValue('desk1');

  // An unknown account gets the very same answer (no hint which accounts exist).
  const answer2 = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await submitLogin(page, 'nobody-here', 'not-the-password');
  expect((await answer2).status()).toBe(401);
  await expect(page.locator('#login-error')).toHaveText(TEXT.badCredentials);
  expect(pathOf(page)).toBe('/login');

  // No session was opened.
  const me = await page.request.get('/api/v1/me');
  expect(me.status()).toBe(401);
  expectNoPageErrors(pageErrors);
});

test('a technician gets 403 for a manager page and API; a stranger is sent to /login', async ({
  page,
  pageErrors,
  browser,
}, testInfo) => {
  await page.setViewportSize(PHONE);
  await login(page, 'tech1');

  // The engineering manager's board.
  const resp = await page.goto('/eng');
  expect(resp, 'navigation response').not.toBeNull();
  expect(resp!.status()).toBe(403);
  expect(pathOf(page)).toBe('/eng');
  await waitHydrated(page);
  await expect(page.locator('#forbidden')).toBeVisible();
  await expect(page.locator('#forbidden')).toContainText('无权访问');
  await expect(page.locator('#home-title'), 'no manager content on the 403 page').toHaveCount(0);
  await expect(page.locator('#visit-quota')).toHaveCount(0);

  // The manager's API, with the technician's own session cookie.
  const meResp = await page.request.get('/api/v1/me');
  expect(meResp.status()).toBe(200);
  const me = await meResp.json();
  expect(me.role).toBe('tech');
  const siteId = me.sites?.[0]?.id;
  expect(siteId, 'the technician has a site').toBeTruthy();
  const api = await page.request.get(`/api/v1/sites/${siteId}/summary`);
  expect(api.status()).toBe(403);
  const body = await api.json();
  expect(body.code).toBe('forbidden');
  expect(JSON.stringify(body)).not.toContain('visit_quota');

  // A stranger (no session) opening the technician's home.
  const stranger = pageErrors.watchContext(await newDeviceContext(browser, testInfo, PHONE));
  try {
    const sp = await stranger.newPage();
    await sp.goto('/tech');
    expect(pathOf(sp), 'a stranger is redirected to the sign-in page').toBe('/login');
    await waitHydrated(sp);
    await expect(sp.locator('#login-form')).toBeVisible();
    await expect(sp.locator('#home-title')).toHaveCount(0);
    const strangerApi = await sp.request.get(`/api/v1/sites/${siteId}/summary`);
    expect(strangerApi.status()).toBe(401);
  } finally {
    await stranger.close();
  }
  expectNoPageErrors(pageErrors);
});

test("the manager's home shows the visit quota for the 6 % tier", async ({ page, pageErrors }) => {
  await page.setViewportSize(TABLET);
  for (const username of ['center', 'engmgr', 'csmgr']) {
    await test.step(username, async () => {
      await page.context().clearCookies();
      await login(page, username);
      expect(pathOf(page)).toBe(account(username).home);

      const quota = page.locator('#visit-quota');
      await expect(quota).toContainText('本月至少走访');
      const text = (await quota.textContent()) ?? '';
      // 入住 {n} 户，按 {rate}% 计，本月至少走访 {visits} 户（不含回访，不重复计）
      const m = text.match(/入住\s*(\d+)\s*户.*?按\s*(\d+)\s*%\s*计.*?本月至少走访\s*(\d+)\s*户/);
      expect(m, `quota text: ${text}`).not.toBeNull();
      const [n, rate, visits] = [Number(m![1]), Number(m![2]), Number(m![3])];
      expect(n, 'about 600 occupied households').toBeGreaterThan(500);
      expect(n).toBeLessThanOrEqual(800);
      expect(rate, '500 < N ≤ 800 is the 6 % tier').toBe(6);
      expect(visits, 'rounded up').toBe(Math.ceil((n * 6) / 100));

      // The card shows what the server computed for the compound.
      const me = await (await page.request.get('/api/v1/me')).json();
      const site = me.sites.find((s: { name: string }) => s.name === '翠湖花园') ?? me.sites[0];
      const api = await page.request.get(`/api/v1/sites/${site.id}/summary`);
      expect(api.status()).toBe(200);
      const summary = await api.json();
      expect(summary.visit_quota).toEqual({ occupied_households: n, rate_percent: 6, visits_required: visits });
      await expect(page.locator('.card.summary h2').first()).toContainText('翠湖花园');
    });
  }
  expectNoPageErrors(pageErrors);
});

test('the app shell opens with the network off after the first visit', async ({ page, context, pageErrors }) => {
  await page.setViewportSize(PHONE);

  // Installable: the manifest the page links to.
  const manifestResp = await page.request.get('/manifest.webmanifest');
  expect(manifestResp.status()).toBe(200);
  const manifest = await manifestResp.json();
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toBe('/');
  const sizes = (manifest.icons ?? []).map((i: { sizes: string }) => i.sizes);
  expect(sizes).toContain('192x192');
  expect(sizes).toContain('512x512');
  for (const icon of manifest.icons) {
    const r = await page.request.get(icon.src);
    expect(r.status(), `icon ${icon.src}`).toBe(200);
  }

  await login(page, 'tech1');
  expect(pathOf(page)).toBe('/tech');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');

  // The service worker the app registered after hydration takes control.
  expect(await serviceWorkerReady(page)).toMatch(/^ready:.*\/sw\.js$/);
  const controlledAtOnce = await hasServiceWorkerController(page);
  test.info().annotations.push({
    type: 'service worker',
    description: controlledAtOnce ? 'controlled the first page (clients.claim)' : 'took control after one reload',
  });
  if (!controlledAtOnce) {
    await page.reload();
    await waitHydrated(page);
    expect(await serviceWorkerReady(page)).toMatch(/^ready:/);
  }
  await expect.poll(() => hasServiceWorkerController(page), { message: 'service worker controls the page' }).toBe(true);

  await context.setOffline(true);
  try {
    const resp = await page.reload();
    expect(resp, 'reload response').not.toBeNull();
    expect(resp!.fromServiceWorker(), 'the offline page came from the service worker').toBe(true);
    expect(resp!.status()).toBe(200);
    expect(pathOf(page)).toBe('/tech');
    await expect(page.locator('#home-title')).toHaveText('我的维修工单');
    await waitHydrated(page);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    const banner = page.locator('.offline-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toHaveText(new RegExp(`^${TEXT.offlinePrefix}`));
    await expect(page.locator('nav.mainnav')).toBeVisible();
  } finally {
    await context.setOffline(false);
  }

  // Back online: the banner goes away without a reload.
  await expect(page.locator('.offline-banner')).toHaveCount(0);
  expectNoPageErrors(pageErrors);
});

test('the language switch works on the login page and inside the app, and survives a reload', async ({
  page,
  context,
  pageErrors,
}) => {
  await page.setViewportSize(PHONE);
  const langCookie = async () => (await context.cookies()).find((c) => c.name === 'lang')?.value;

  // Sign-in page: Chinese by default.
  await page.goto('/login');
  await waitHydrated(page);
  const subtitle = page.locator('#login-form > p.muted').first();
  await expect(page.locator('#login-form h1')).toHaveText('物业服务');
  await expect(subtitle).toHaveText('员工登录');
  await expect(page.locator('#lang-toggle')).toHaveText('English');

  await page.locator('#lang-toggle').click();
  await expect(subtitle).toHaveText('Staff sign-in');
  await expect(page.locator('#lang-toggle')).toHaveText('中文');
  expect(await langCookie()).toBe('en');

  // The server renders the choice after a reload (not only the client).
  const reloaded = await page.reload();
  expect(await reloaded!.text()).toContain('Staff sign-in');
  await waitHydrated(page);
  await expect(subtitle).toHaveText('Staff sign-in');
  await expect(page.locator('#lang-toggle')).toHaveText('中文');

  // Inside the app: the technician's home in English.
  await submitLogin(page, 'tech1', PASSWORD);
  await page.waitForURL((u) => u.pathname === '/tech');
  await waitHydrated(page);
  await expect(page.locator('#home-title')).toHaveText(account('tech1').titleEn!);
  await expect(page.locator('#lang-toggle')).toHaveText('中文');
  await expect(page.locator('nav.mainnav')).toContainText('Home');

  const home = await page.reload();
  expect(await home!.text()).toContain('My repair jobs');
  await waitHydrated(page);
  await expect(page.locator('#home-title')).toHaveText('My repair jobs');

  // Back to Chinese, and it stays Chinese after a reload.
  await page.locator('#lang-toggle').click();
  await expect(page.locator('#home-title')).toHaveText('我的维修工单');
  await expect(page.locator('#lang-toggle')).toHaveText('English');
  await expect(page.locator('nav.mainnav')).toContainText('首页');
  expect(await langCookie()).toBe('zh-CN');
  const back = await page.reload();
  expect(await back!.text()).toContain('我的维修工单');
  await waitHydrated(page);
  await expect(page.locator('#home-title')).toHaveText('我的维修工单');
  await expect(page.locator('#lang-toggle')).toHaveText('English');
  expectNoPageErrors(pageErrors);
});

test('signing out from /me ends the session', async ({ page, pageErrors }) => {
  await page.setViewportSize(TABLET);
  await login(page, 'desk1');
  await page.goto('/me');
  await waitHydrated(page);
  await page.locator('#logout').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await waitHydrated(page);
  await expect(page.locator('#login-form')).toBeVisible();

  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  await page.goto('/desk');
  expect(pathOf(page), 'the old home now needs a sign-in').toBe('/login');
  expectNoPageErrors(pageErrors);
});

// Locks security1 for 15 minutes, then clears the failed attempts (in `finally`) so later specs
// (release, desk) can sign in as the gate guard.
test('repeated wrong passwords lock the account for a while', async ({ page, pageErrors, browser }, testInfo) => {
  const username = 'security1';
  try {
    await lockOut(page, pageErrors, browser, testInfo, username);
  } finally {
    sql(`DELETE FROM login_attempts WHERE username = '${username}' AND NOT success`);
  }
  // Cleared: the guard signs in again.
  await login(page, username);
  expect(pathOf(page)).toBe('/security');
  expectNoPageErrors(pageErrors);
});

async function lockOut(
  page: Page,
  pageErrors: PageErrors,
  browser: Browser,
  testInfo: TestInfo,
  username: string,
): Promise<void> {
  await page.setViewportSize(TABLET);
  await page.goto('/login');
  await waitHydrated(page);

  const attempt = async (password: string) => {
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await submitLogin(page, username, password);
    return (await answer).status();
  };

  for (let i = 1; i <= 5; i++) {
    expect(await attempt(`wrong-${i}`), `wrong password #${i}`).toBe(401);
    await expect(page.locator('#login-error')).toHaveText(TEXT.badCredentials);
    await expect(page.locator('#login-submit')).toBeEnabled();
  }

  // The 6th attempt, even with the right password, is refused.
  expect(await attempt(PASSWORD), 'right password while locked').toBe(429);
  const error = page.locator('#login-error');
  await expect(error).toHaveText(new RegExp(`^${TEXT.lockedPrefix}`));
  await expect(error, 'the lock lasts the 15-minute window').toContainText('15 分钟');
  expect(pathOf(page)).toBe('/login');
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);

  // The lock is per account: another account still signs in from the same address.
  const other = pageErrors.watchContext(await newDeviceContext(browser, testInfo, PHONE));
  try {
    const op = await other.newPage();
    await login(op, 'tech1');
    expect(pathOf(op)).toBe('/tech');
  } finally {
    await other.close();
  }
}
