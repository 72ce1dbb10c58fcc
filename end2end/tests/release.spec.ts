// 物品放行 (S3 篇1): the desk's pass is refused while the unit owes, issued once finance marks
// the bill paid, printed (存根联 and 通知联), checked at the gate on a phone with no signal and
// marked used; once synced, a second phone's use of the same pass is refused.
import { test, expect, type Page } from '@playwright/test';
import { PHONE, TABLET, goto, settled, signedIn, sql, syncNow } from './helpers';

const UNIT = '5栋2单元601';

/** An unpaid 付款请求书 for the unit, as a billing run leaves it (the demo has none, so the
 * repair-billing checks keep their numbers). */
function unpaidRequest(): string {
  const month = sql(`SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM')`);
  return sql(`
    INSERT INTO payment_requests (id, site_id, unit_id, number, issued_on, due_on, total_fen, created_at, created_by)
    SELECT gen_random_uuid(), u.site_id, u.id, 'FK-${month}-9001',
           (now() AT TIME ZONE 'Asia/Shanghai')::date, (now() AT TIME ZONE 'Asia/Shanghai')::date + 15,
           12000, now(), (SELECT id FROM staff WHERE username = 'finance1')
    FROM units u JOIN buildings b ON b.id = u.building_id JOIN sites s ON s.id = u.site_id
    WHERE s.code = 'cuihu' AND b.number = '5' AND u.entrance = '2' AND u.room = '601'
    RETURNING number`).split('\n')[0];
}

function validIdNumber(): string {
  const first17 = '33010619800101123';
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * w[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

async function sign(page: Page) {
  const pad = page.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + (i % 2 ? 18 : -18));
  }
  await page.mouse.up();
}

test('a release pass: refused while owing, issued once paid, printed, used once at the gate offline', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const number = unpaidRequest();
  expect(number).toMatch(/^FK-\d{4}-\d{2}-9001$/);
  const id = validIdNumber();

  // The desk fills in the pass in the order of S3 篇1.
  const desk = await signedIn(browser, 'desk1', TABLET);
  await goto(desk.page, '/desk');
  await desk.page.locator('#release-link').click();
  await expect(desk.page).toHaveURL(/\/desk\/passes$/);
  await expect(desk.page.getByTestId('release-desk')).toBeVisible();
  await desk.page.getByTestId('pass-new').click();
  const form = desk.page.getByTestId('pass-form');
  await form.getByTestId('identity-phone').check();
  await form.getByTestId('check-id-number').check();
  await form.getByTestId('check-family').check();
  await form.getByTestId('check-employer').check();
  await form.getByTestId('pass-unit').fill(UNIT);
  await form.getByTestId('pass-owner').fill('王建国');
  await form.getByTestId('pass-tenant').fill('李明');
  await form.getByTestId('pass-moving-at').fill('2026-11-22T09:30');
  await form.getByTestId('pass-mover').fill('张师傅');
  await form.getByTestId('pass-mover-id').fill(id);
  await form.getByTestId('item-name').first().fill('冰箱');
  await form.getByTestId('item-qty').first().fill('1');
  await form.getByTestId('item-add').click();
  await form.getByTestId('item-name').nth(1).fill('纸箱');
  await form.getByTestId('item-qty').nth(1).fill('6');
  await form.getByTestId('pass-opinion').fill('业主电话确认同意租户搬出');
  // Finance's view of the unit: the unpaid request blocks the pass.
  await expect(form.getByTestId('fees-owed')).toContainText(number);
  await sign(desk.page);
  await form.getByTestId('pass-submit').click();
  await expect(form.getByTestId('pass-error')).toContainText('未结清', { timeout: 20_000 });
  expect(sql(`SELECT count(*) FROM release_passes`)).toBe('0');

  // Finance marks the request paid on the finance page.
  const finance = await signedIn(browser, 'finance1', TABLET);
  await goto(finance.page, '/finance');
  const request = finance.page.locator(`[data-testid="payment-request"][data-unit="${UNIT}"]`);
  await expect(request).toBeVisible({ timeout: 20_000 });
  await request.getByTestId('pay-method').selectOption('cash_at_office');
  await request.getByTestId('pay-submit').click();
  await expect(request.getByTestId('request-paid')).toBeVisible();

  // The same form again: issued, with the site's serial number.
  await form.getByTestId('pass-submit').click();
  await expect(desk.page).toHaveURL(/\/desk\/passes\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const passNumber = (await desk.page.getByTestId('pass-number').textContent())!.trim();
  expect(passNumber).toMatch(/^FX-\d{4}-\d{2}-\d{4}$/);
  await expect(desk.page.getByTestId('pass-status')).toHaveText('有效');
  await expect(desk.page.getByTestId('pass-mover-id-masked')).toHaveText(`${id.slice(0, 4)}**********${id.slice(14)}`);
  await expect(desk.page.locator('body')).not.toContainText(id);
  await expect(desk.page.getByTestId('identity-method')).toContainText('☑ 身份证号码');

  // Printed: the stub and the notice copy, each with the serial; the notice carries the QR.
  await desk.page.getByTestId('pass-print').click();
  await expect(desk.page).toHaveURL(/\/print$/);
  const stub = desk.page.getByTestId('pass-stub');
  const notice = desk.page.getByTestId('pass-notice');
  await expect(stub).toContainText('存根联');
  await expect(notice).toContainText('通知联');
  await expect(stub.getByTestId('print-number')).toHaveText(passNumber);
  await expect(notice.getByTestId('print-number')).toHaveText(passNumber);
  await expect(notice.getByTestId('pass-item')).toHaveCount(2);
  await expect(notice.getByTestId('pass-qr')).toBeVisible();
  await expect.poll(() => notice.getByTestId('pass-qr').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await stub.screenshot({ path: testInfo.outputPath('release-pass-stub.png') });
  await notice.screenshot({ path: testInfo.outputPath('release-pass-notice.png') });
  await testInfo.attach('存根联', { path: testInfo.outputPath('release-pass-stub.png'), contentType: 'image/png' });
  await testInfo.attach('通知联', { path: testInfo.outputPath('release-pass-notice.png'), contentType: 'image/png' });

  // Two gate phones sync the pass while they have signal.
  const gate = await signedIn(browser, 'security1', PHONE);
  await expect(gate.page.locator('#gate-link')).toBeVisible();
  await gate.page.locator('#gate-link').click();
  await expect(gate.page).toHaveURL(/\/gate$/);
  await expect(gate.page.locator(`[data-testid="gate-list-item"][data-number="${passNumber}"]`)).toBeVisible({ timeout: 20_000 });
  const other = await signedIn(browser, 'security1', PHONE);
  await goto(other.page, '/gate');
  await expect(other.page.locator(`[data-testid="gate-list-item"][data-number="${passNumber}"]`)).toBeVisible({ timeout: 20_000 });

  // No signal at the gate: the number's last digits, the item list, 确认放行.
  await gate.context.setOffline(true);
  await gate.page.getByTestId('gate-number').fill(passNumber.slice(-4));
  await gate.page.getByTestId('gate-check').click();
  const card = gate.page.getByTestId('gate-pass');
  await expect(card.getByTestId('gate-pass-number')).toHaveText(passNumber);
  await expect(card.getByTestId('gate-item')).toHaveCount(2);
  await expect(card.getByTestId('gate-items')).toContainText('冰箱');
  await expect(card.getByTestId('gate-items')).toContainText('纸箱');
  await card.getByTestId('gate-confirm').click();
  await expect(gate.page.getByTestId('gate-done')).toContainText(passNumber);
  await expect(gate.page.locator('#sync-badge')).toHaveAttribute('data-pending', '1');
  // The same phone refuses it at once, still offline.
  await gate.page.getByTestId('gate-number').fill(passNumber);
  await gate.page.getByTestId('gate-check').click();
  await expect(gate.page.getByTestId('gate-refused')).toHaveAttribute('data-code', 'already_used');
  expect(sql(`SELECT status FROM release_passes WHERE number = '${passNumber}'`)).toBe('issued');

  // The second phone, also without signal, still sees the pass valid and lets the items out too.
  await other.context.setOffline(true);
  await other.page.getByTestId('gate-number').fill(passNumber);
  await other.page.getByTestId('gate-check').click();
  await other.page.getByTestId('gate-pass').getByTestId('gate-confirm').click();
  await expect(other.page.getByTestId('gate-done')).toBeVisible();

  // Signal again: the first phone's use is applied once.
  await gate.context.setOffline(false);
  await syncNow(gate.page);
  await expect.poll(() => sql(`SELECT status || ' ' || version FROM release_passes WHERE number = '${passNumber}'`)).toBe('used 2');

  // The second phone's use is refused by the server with a stable code, and the phone says so.
  await other.context.setOffline(false);
  await other.page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(other.page.getByTestId('gate-rejected')).toContainText(passNumber, { timeout: 30_000 });
  await expect(other.page.getByTestId('gate-rejected')).toContainText('已使用过');
  expect(sql(`SELECT outcome->>'code' FROM sync_mutations WHERE command = 'pass.use' AND outcome->>'status' = 'rejected'`)).toBe('already_used');
  expect(sql(`SELECT version FROM release_passes WHERE number = '${passNumber}'`)).toBe('2');
  // After its pull, the second phone also refuses the pass when looked up.
  await other.page.getByTestId('gate-number').fill(passNumber);
  await other.page.getByTestId('gate-check').click();
  await expect(other.page.getByTestId('gate-refused')).toHaveAttribute('data-code', 'already_used');

  // The desk sees it used.
  await desk.page.goto(desk.page.url().replace(/\/print$/, ''));
  await expect(desk.page.getByTestId('pass-status')).toHaveAttribute('data-status', 'used', { timeout: 20_000 });
  await expect(desk.page.getByTestId('pass-used-note')).toBeVisible();

  for (const s of [desk, finance, gate, other]) {
    expect(s.errors, 'uncaught page errors').toEqual([]);
    await s.context.close();
  }
});

test('a voided pass is refused at the gate', async ({ browser }) => {
  test.setTimeout(180_000);
  // The demo household of 5栋2单元602 owes a management fee; finance clears it through the API.
  const bill = sql(`SELECT o.id FROM release_other_bills o JOIN units u ON u.id = o.unit_id
    JOIN buildings b ON b.id = u.building_id WHERE b.number = '5' AND u.entrance = '2' AND u.room = '602'`);
  expect(bill).not.toBe('');
  const finance = await signedIn(browser, 'finance1', TABLET);
  const cleared = await finance.page.evaluate(async (id) => (await fetch(`/api/v1/release/other-bills/${id}/clear`, { method: 'POST' })).status, bill);
  expect(cleared).toBe(200);

  const desk = await signedIn(browser, 'desk1', TABLET);
  await goto(desk.page, '/desk/passes');
  await desk.page.getByTestId('pass-new').click();
  const form = desk.page.getByTestId('pass-form');
  await form.getByTestId('check-original-id').check();
  await form.getByTestId('pass-unit').fill('5栋2单元602');
  await expect(form.getByTestId('fees-clear')).toBeVisible();
  await form.getByTestId('pass-owner').fill('赵敏');
  await form.getByTestId('pass-moving-at').fill('2026-11-23T14:00');
  await form.getByTestId('pass-mover').fill('钱师傅');
  await form.getByTestId('pass-mover-id').fill(validIdNumber());
  await form.getByTestId('item-name').first().fill('沙发');
  await form.getByTestId('pass-opinion').fill('业主本人到场，同意搬出');
  await sign(desk.page);
  await form.getByTestId('pass-submit').click();
  await expect(desk.page).toHaveURL(/\/desk\/passes\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const passNumber = (await desk.page.getByTestId('pass-number').textContent())!.trim();

  const gate = await signedIn(browser, 'security1', PHONE);
  await goto(gate.page, '/gate');
  await expect(gate.page.locator(`[data-testid="gate-list-item"][data-number="${passNumber}"]`)).toBeVisible({ timeout: 20_000 });

  await desk.page.getByTestId('void-reason').fill('业主取消搬家');
  await desk.page.getByTestId('void-submit').click();
  await expect(desk.page.getByTestId('pass-status')).toHaveAttribute('data-status', 'void');
  await expect(desk.page.getByTestId('pass-void-note')).toContainText('业主取消搬家');

  await syncNow(gate.page);
  await gate.page.getByTestId('gate-number').fill(passNumber);
  await gate.page.getByTestId('gate-check').click();
  await expect(gate.page.getByTestId('gate-refused')).toHaveAttribute('data-code', 'void');
  await expect(gate.page.getByTestId('gate-confirm')).toHaveCount(0);
  await settled(gate.page);

  for (const s of [finance, desk, gate]) {
    expect(s.errors, 'uncaught page errors').toEqual([]);
    await s.context.close();
  }
});
