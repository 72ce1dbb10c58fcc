import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type Page,
  type TestInfo,
} from '@playwright/test';
import { execFileSync } from 'node:child_process';

/** Password of every demo account (see `./x run`). */
export const PASSWORD = 'wuye2026';

export const PHONE = { width: 360, height: 740 } as const;
export const TABLET = { width: 1024, height: 768 } as const;
export type Viewport = { width: number; height: number };

export type Device = 'phone' | 'tablet';

export interface Account {
  username: string;
  role: string;
  home: string;
  title: string;
  titleEn?: string;
  device: Device;
}

/** The demo accounts of 翠湖花园, one per role, with the device that role works on. */
export const ACCOUNTS: readonly Account[] = [
  { username: 'tech1', role: 'tech', home: '/tech', title: '我的维修工单', titleEn: 'My repair jobs', device: 'phone' },
  { username: 'patrol1', role: 'patrol', home: '/patrol', title: '今日巡检', device: 'phone' },
  { username: 'desk1', role: 'desk', home: '/desk', title: '客服前台', device: 'tablet' },
  { username: 'engmgr', role: 'eng_mgr', home: '/eng', title: '工程部派工', device: 'tablet' },
  { username: 'csmgr', role: 'cs_mgr', home: '/cs', title: '客服部', device: 'tablet' },
  { username: 'center', role: 'center_mgr', home: '/center', title: '服务中心概况', device: 'tablet' },
  { username: 'finance1', role: 'finance', home: '/finance', title: '财务', device: 'tablet' },
  { username: 'security1', role: 'security', home: '/security', title: '保安岗', device: 'phone' },
  { username: 'admin', role: 'admin', home: '/admin', title: '系统管理', device: 'tablet' },
];

export function account(username: string): Account {
  const a = ACCOUNTS.find((x) => x.username === username);
  if (!a) throw new Error(`no demo account ${username}`);
  return a;
}

export function viewportOf(device: Device): Viewport {
  return device === 'phone' ? { ...PHONE } : { ...TABLET };
}

export const TEXT = {
  badCredentials: '用户名或密码错误，请重新输入。',
  lockedPrefix: '密码错误次数过多',
  offlinePrefix: '当前离线',
} as const;

/** Waits until the wasm has hydrated the page (SSR markup is visible, but inert, before). */
export async function waitHydrated(page: Page, timeout = 20_000): Promise<void> {
  await expect(page.locator('body'), `page ${page.url()} never hydrated`).toHaveAttribute(
    'data-hydrated',
    'true',
    { timeout },
  );
}

/** Fills the sign-in form of an already hydrated /login page and submits it. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.locator('#login-submit').click();
}

/**
 * Signs in through the form and waits for the full navigation to the role's home (and its
 * hydration). Fails with the text of `#login-error` when the sign-in is refused.
 */
export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await waitHydrated(page);
  await submitLogin(page, username, password);
  try {
    await page.waitForURL((u) => u.pathname !== '/login', { timeout: 15_000 });
  } catch (e) {
    const shown = await page
      .locator('#login-error')
      .textContent({ timeout: 500 })
      .catch(() => null);
    throw new Error(`sign-in as ${username} did not leave /login (error shown: ${shown ?? 'none'})`, { cause: e });
  }
  await waitHydrated(page);
}

export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** A fresh browser context (own cookies, own service worker) with the given viewport. */
export async function newDeviceContext(
  browser: Browser,
  testInfo: TestInfo,
  viewport: Viewport,
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    locale: 'zh-CN',
    viewport,
    serviceWorkers: 'allow',
  });
}

/** Uncaught errors (`pageerror`) of every page it watches: a hydration crash shows up here. */
export class PageErrors {
  readonly errors: string[] = [];
  /** `console.error` lines, only shown to explain a failure (a Rust panic's message lands here). */
  readonly console: string[] = [];

  watch(page: Page): Page {
    page.on('pageerror', (e) => {
      this.errors.push(`${page.url()}: ${e.name}: ${e.message}\n${e.stack ?? ''}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') this.console.push(`${page.url()}: ${m.text()}`);
    });
    return page;
  }

  watchContext(context: BrowserContext): BrowserContext {
    for (const p of context.pages()) this.watch(p);
    context.on('page', (p) => this.watch(p));
    return context;
  }
}

export function expectNoPageErrors(pageErrors: PageErrors): void {
  const hint = pageErrors.errors.length
    ? `\nconsole.error output:\n${pageErrors.console.join('\n') || '(none)'}`
    : '';
  expect(pageErrors.errors, `uncaught errors (pageerror) in the browser${hint}`).toEqual([]);
}

/**
 * `test` with a `pageErrors` fixture that watches every page of the test's own context, and
 * fails the test at the end if any page threw. Contexts a test makes itself must be passed to
 * `pageErrors.watchContext`.
 */
export const test = base.extend<{ pageErrors: PageErrors }>({
  pageErrors: [
    async ({ context }, use) => {
      const pe = new PageErrors();
      pe.watchContext(context);
      await use(pe);
      expectNoPageErrors(pe);
    },
    { auto: true },
  ],
});

export { expect };

/** The layout numbers the navigation checks need. */
export async function layoutOf(page: Page) {
  return page.evaluate(() => {
    const nav = document.querySelector('nav.mainnav');
    const r = nav?.getBoundingClientRect();
    return {
      nav: r ? { x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom } : null,
      innerWidth: window.innerWidth,
      innerHeight: window.innerHeight,
      scrollWidth: document.documentElement.scrollWidth,
    };
  });
}

/** Rejects (inside the page) when `ms` pass first, so a never-settling promise fails clearly. */
export async function serviceWorkerReady(page: Page, ms = 20_000): Promise<string> {
  return page.evaluate(async (ms) => {
    if (!('serviceWorker' in navigator)) return 'no serviceWorker in navigator';
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), ms));
    const ready = navigator.serviceWorker.ready.then((r) => `ready:${r.active?.scriptURL ?? 'none'}`);
    return Promise.race([ready, timeout]);
  }, ms);
}

export async function hasServiceWorkerController(page: Page): Promise<boolean> {
  return page.evaluate(() => !!navigator.serviceWorker?.controller);
}

// --- Shared by the capability specs (repairs, patrol, care, …) ---------------------------------

/** Runs one SQL statement on the e2e database and returns its unaligned output. */
export function sql(query: string): string {
  const port = process.env.PG_PORT ?? '55433';
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-d', 'wuye_e2e', '-Atc', query], {
    encoding: 'utf8',
  }).trim();
}

/** A signed-in browser context with its own storage, and the page errors it saw. */
export interface SignedIn {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** Nothing left in the outbox and the last sync succeeded. */
export async function settled(page: Page): Promise<void> {
  await expect(page.locator('#sync-badge')).toHaveAttribute('data-pending', '0', { timeout: 30_000 });
  await expect(page.locator('#sync-badge')).toHaveText(/已同步/, { timeout: 30_000 });
}

/** Pulls now (the "sync now" path) and waits until the device is settled again. */
export async function syncNow(page: Page): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await settled(page);
}

/** Opens `path` and waits for hydration. */
export async function goto(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitHydrated(page);
}

/** Signs `username` in on a new device of `viewport` and waits for its first sync. */
export async function signedIn(browser: Browser, username: string, viewport: Viewport = PHONE): Promise<SignedIn> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', serviceWorkers: 'allow' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  // `login` fails within seconds with the refusal shown (e.g. a locked account), not at the test timeout.
  await login(page, username);
  await settled(page);
  return { context, page, errors };
}

/** Waits until the service worker controls the page (reloading once if it only just took over). */
export async function controlled(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await waitHydrated(page);
  }
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}
