// Front desk (issue 7): lock-opening 撬锁 (a tenant without the owner's consent is refused, then
// with it the order reaches engineering), a renovation 装修 from application to deposit refund,
// and every reveal of an ID number in the audit log. Demo households: 翠湖花园 building 6
// (server/src/demo/desk.rs).
import path from 'node:path';
import { test, expect, type Page, type Browser } from '@playwright/test';
import { PHONE, TABLET, goto, signedIn, sql, syncNow, waitHydrated, type SignedIn } from './helpers';

const PHOTO = path.resolve(__dirname, '../../public/icons/icon-512.png');

/** The checksum-valid ID number of a demo resident from its first 17 digits (GB 11643). */
function idCard(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = first17.split('').reduce((s, d, i) => s + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}
const TENANT_ID = idCard('33010319920808002'); // 吴晓梅, tenant of 6栋2单元802

async function draw(page: Page, pad: ReturnType<Page['getByTestId']>) {
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + (i % 2 ? 18 : -18));
  }
  await page.mouse.up();
  await expect(pad).toHaveAttribute('data-inked', 'true');
}

async function findUnit(page: Page, q: string) {
  await page.getByTestId('unit-query').first().fill(q);
  await page.getByTestId('unit-find').first().click();
  await expect(page.getByTestId('unit-choice').first()).toBeVisible();
}

async function message(page: Page) {
  return page.getByTestId('desk-message').last();
}

test.describe.configure({ mode: 'serial' });

test('lock-opening: a tenant without the owner\'s consent is refused; with it the order reaches engineering', async ({ browser }) => {
  // The site's office hours cover the whole day, so the front desk (物业部) handles it whenever
  // the suite runs; the after-hours path (保安部) is covered by the server tests.
  sql(`INSERT INTO desk_settings (site_id, office_hours)
       SELECT id, '{"start":"00:00:00","end":"23:59:59","weekends":true}'::jsonb FROM sites WHERE code = 'cuihu'
       ON CONFLICT (site_id) DO UPDATE SET office_hours = EXCLUDED.office_hours`);
  const desk = await signedIn(browser, 'desk1', TABLET);
  const page = desk.page;
  await goto(page, '/desk');
  await page.locator('#lock-openings-link').click();
  await page.waitForURL(/\/desk\/lock-openings$/);
  await waitHydrated(page);
  await expect(page.getByTestId('office-hours')).toContainText('由物业部办理');

  await findUnit(page, '6-2-802');
  await page.getByTestId('resident-choice').filter({ hasText: '吴晓梅' }).locator('input').check();
  // A tenant with only the ID card: 证件类型不符.
  await page.getByTestId('doc-id_card').check();
  await page.getByTestId('lock-id-number').fill(TENANT_ID);
  await page.getByTestId('lock-reason').fill('遗失门匙，被反锁在户外');
  await page.getByTestId('lock-verify').click();
  await expect(await message(page)).toContainText('证件类型不符');
  // ID card and lease, the number on file.
  await page.getByTestId('doc-lease_contract').check();
  await page.getByTestId('lock-verify').click();
  await page.waitForURL(/\/desk\/lock-openings\/[0-9a-f-]{36}$/);
  await waitHydrated(page);
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-status', 'identity_verified');

  // 委托书: the document copy photographed and the tenant's signature.
  await page.getByTestId('entrustment-photo').setInputFiles(PHOTO);
  await expect(page.getByTestId('entrustment-step')).toContainText('已添加照片');
  await draw(page, page.getByTestId('signature-pad'));
  await page.getByTestId('entrustment-sign').click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-status', 'entrustment_signed');

  // No owner consent yet: refused, nothing sent to engineering.
  await page.getByTestId('lock-dispatch').click();
  await expect(await message(page)).toContainText('租户撬锁必须征得业主同意');
  expect(sql(`SELECT count(*) FROM lock_openings WHERE work_order_id IS NOT NULL`)).toBe('0');

  // The owner consents by phone.
  await page.getByTestId('consent-owner').filter({ hasText: '钱国平' }).locator('input').check();
  await page.getByTestId('consent-record').click();
  await expect(page.getByTestId('consent-done')).toContainText('钱国平');

  await page.getByTestId('lock-dispatch').click();
  await expect(page.getByTestId('lock-status')).toHaveAttribute('data-status', 'dispatched');
  const order = page.getByTestId('lock-order');
  await expect(order).toContainText('有偿服务单');
  await expect(order).toContainText(/BX-\d{4}-\d{2}-\d{4}/);
  const href = await page.getByTestId('lock-order-link').getAttribute('href');
  const orderId = href!.split('/').pop()!;

  // Engineering sees the order on its board.
  const eng = await signedIn(browser, 'engmgr', TABLET);
  await goto(eng.page, '/eng');
  await syncNow(eng.page);
  const row = eng.page.locator(`[data-testid="board-row"][data-id="${orderId}"]`);
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText('撬锁');
  await desk.context.close();
  await eng.context.close();
});

function isoDay(offsetDays: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

async function open(s: SignedIn, url: string) {
  await goto(s.page, url);
}

async function status(page: Page, code: string) {
  await expect(page.getByTestId('reno-status')).toHaveAttribute('data-status', code);
}

test('renovation: application, review, fees, permit after payment, passes, patrol, inspection, refund', async ({ browser }) => {
  const desk = await signedIn(browser, 'desk1', TABLET);
  const page = desk.page;
  await goto(page, '/desk/renovations');
  await findUnit(page, '6-2-803');
  await page.getByTestId('reno-applicant').fill('孙丽娟');
  await page.getByTestId('reno-phone').fill('13905710803');
  await page.getByTestId('reno-company').fill('杭州安居装饰有限公司');
  await page.getByTestId('reno-scope').fill('厨房、卫生间翻新');
  await page.getByTestId('reno-start').fill(isoDay(1));
  await page.getByTestId('reno-end').fill(isoDay(60));
  // Three of the four documents: refused.
  for (const d of ['owner_id', 'ownership_proof', 'company_licence']) {
    await page.getByTestId(`reno-doc-${d}`).check();
  }
  await page.getByTestId('reno-photo-company_licence').setInputFiles(PHOTO);
  await expect(page.getByTestId('reno-new')).toContainText('已添加照片');
  await page.getByTestId('reno-submit').click();
  await expect(await message(page)).toContainText('装修申请资料不全');
  await page.getByTestId('reno-doc-plan').check();
  await page.getByTestId('reno-submit').click();
  await page.waitForURL(/\/desk\/renovations\/[0-9a-f-]{36}$/);
  await waitHydrated(page);
  const url = new URL(page.url()).pathname;
  await status(page, 'applied');
  await expect(page.getByTestId('reno-review-due')).toContainText('审核期限');

  const eng = await signedIn(browser, 'engmgr', TABLET);
  await open(eng, url);
  await eng.page.getByTestId('reno-review-note').fill('图纸无不妥');
  await eng.page.getByTestId('reno-approve').click();
  await status(eng.page, 'approved');

  await open(desk, url);
  await page.getByTestId('reno-deposit').fill('2000');
  await page.getByTestId('reno-other-fees').fill('350');
  await page.getByTestId('reno-set-fees').click();
  await status(page, 'fees_set');
  await expect(page.getByTestId('reno-fees-line')).toContainText('2000.00');
  // Not paid yet: no permit.
  await page.getByTestId('reno-issue-permit').click();
  await expect(await message(page)).toContainText('缴清后才能办理《施工证》');

  const finance = await signedIn(browser, 'finance1', TABLET);
  await open(finance, url);
  await finance.page.getByTestId('reno-mark-paid').click();
  await status(finance.page, 'paid');

  await open(desk, url);
  await page.getByTestId('reno-issue-permit').click();
  await status(page, 'permit_issued');
  await expect(page.getByTestId('reno-permit')).toContainText(/ZX-\d{4}-\d{2}-\d{4}/);
  await page.getByTestId('worker-name').fill('张师傅');
  await page.getByTestId('worker-id').fill(idCard('33010619800101123'));
  await page.getByTestId('worker-phone').fill('13900139000');
  await page.getByTestId('worker-add').click();
  const worker = page.getByTestId('worker-row').first();
  await expect(worker).toContainText('张师傅');
  await expect(worker).toContainText('3301**********');
  await expect(worker).not.toContainText(idCard('33010619800101123'));

  // 装修巡查 by security on a phone: a violation recorded.
  const security = await signedIn(browser, 'security1', PHONE);
  await open(security, url);
  await security.page.getByTestId('patrol-findings').fill('未经批准拆改墙体，已制止并责令恢复');
  await security.page.getByTestId('patrol-violation').check();
  await security.page.getByTestId('patrol-record').click();
  await expect(security.page.getByTestId('patrol-row').first()).toContainText('违章');

  await open(desk, url);
  await page.getByTestId('reno-request-completion').click();
  await status(page, 'completion_requested');

  await open(eng, url);
  await draw(eng.page, eng.page.getByTestId('engineer-pad').getByTestId('signature-pad'));
  await draw(eng.page, eng.page.getByTestId('owner-pad').getByTestId('signature-pad'));
  await eng.page.getByTestId('reno-inspect-note').fill('验收合格');
  await eng.page.getByTestId('reno-inspect').click();
  await status(eng.page, 'inspected');

  await open(finance, url);
  await finance.page.getByTestId('reno-refund').click();
  await status(finance.page, 'refunded');
  await expect(finance.page.getByTestId('reno-refunded')).toContainText('押金已退');
  for (const s of [desk, eng, finance, security]) await s.context.close();
});

test('every reveal of an ID number is in the audit log with who, when and why', async ({ browser }: { browser: Browser }) => {
  const desk = await signedIn(browser, 'desk1', TABLET);
  const page = desk.page;
  await goto(page, '/units');
  await page.fill('#unit-query', '6-2-802');
  await page.locator('form.search button[type="submit"]').click();
  const tenant = page.locator('li', { hasText: '吴晓梅' });
  const reveal = tenant.locator('[data-testid="reveal"][data-kind="resident_id_card"]');
  await expect(reveal).toContainText('3301**********');
  await expect(tenant).not.toContainText(TENANT_ID);
  await reveal.getByTestId('reveal-show').click();
  await reveal.getByTestId('reveal-reason').fill('撬锁登记核对身份');
  await reveal.getByTestId('reveal-confirm').click();
  await expect(reveal.getByTestId('reveal-value')).toHaveText(TENANT_ID);

  const csmgr = await signedIn(browser, 'csmgr', TABLET);
  await goto(csmgr.page, '/cs');
  await csmgr.page.locator('#audit-link').click();
  await csmgr.page.waitForURL(/\/audit$/);
  await waitHydrated(csmgr.page);
  const row = csmgr.page
    .locator('[data-testid="audit-row"][data-kind="resident_id_card"]')
    .filter({ hasText: '撬锁登记核对身份' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('陈静'); // who
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/); // when
  await expect(row).toContainText('吴晓梅'); // whose
  await expect(row).toContainText('业户身份证号码'); // what
  // Nobody edits it: the database refuses.
  expect(() => sql(`DELETE FROM audit_log`)).toThrow();
  // The desk does not read the log.
  await goto(page, '/audit');
  await expect(page.locator('#audit-page')).toHaveCount(0);
  await desk.context.close();
  await csmgr.context.close();
});
