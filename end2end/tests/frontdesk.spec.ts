// Front desk (issue 7): a move-in whose handover the owner refuses, rectification, the
// re-inspection, acceptance, keys and a resident card (one per person); a double-booked slot
// refused; the notice board by today's date (an expired notice archived, a current one shown);
// a drill notice published two days ahead refused.
import { test, expect, Page } from '@playwright/test';
import { TABLET, goto, signedIn, sql } from './helpers';

/** A date in China, `days` from today, as YYYY-MM-DD. */
function chinaDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

async function sign(page: Page): Promise<void> {
  const pad = page.getByTestId('signature-pad');
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

const status = (page: Page) => page.getByTestId('mi-status');

test('move-in: refused handover, rectification, re-inspection, acceptance, keys and a resident card', async ({ browser }) => {
  const desk = await signedIn(browser, 'desk1', TABLET);
  const page = desk.page;
  await goto(page, '/desk');
  await page.locator('#move-in-link').click();
  await page.waitForURL('**/desk/move-in');
  await goto(page, '/desk/move-in');
  await page.getByTestId('mi-unit').fill('4-1-801');
  await page.getByTestId('mi-owner').fill('林海');
  await page.getByTestId('mi-id').fill('110101199003070011');
  await page.getByTestId('mi-phone').fill('13800138000');
  await Promise.all([page.waitForURL(/\/desk\/move-in\/[0-9a-f-]{36}$/), page.getByTestId('mi-open').click()]);
  const url = new URL(page.url()).pathname;
  await expect(status(page)).toHaveAttribute('data-status', 'registered');
  await expect(page.locator('#move-in')).toContainText('1101**********0011');

  // Papers: a missing one is refused by name, then all of them.
  await page.getByTestId('mi-check-papers').click();
  await expect(page.getByTestId('fd-error')).toHaveAttribute('data-code', 'papers_incomplete');
  for (const k of ['registration_form', 'notice_taken_back', 'purchase_contract', 'owner_id_matches', 'covenants_signed']) {
    await page.getByTestId(`paper-${k}`).check();
  }
  await page.getByTestId('mi-check-papers').click();
  await expect(status(page)).toHaveAttribute('data-status', 'papers_checked');

  // Finance collects the fees.
  const finance = await signedIn(browser, 'finance1', TABLET);
  await goto(finance.page, url);
  await finance.page.getByTestId('mi-receipt').fill('SK-2026-0801');
  await finance.page.getByTestId('mi-amount').fill('3600');
  await finance.page.getByTestId('mi-record-fees').click();
  await expect(finance.page.getByTestId('mi-status')).toHaveAttribute('data-status', 'fees_paid');
  await finance.context.close();

  // Keys are not handed over before acceptance.
  await goto(page, url);
  await expect(status(page)).toHaveAttribute('data-status', 'fees_paid');
  await page.getByTestId('mi-keys').click();
  await expect(page.getByTestId('fd-error')).toHaveAttribute('data-code', 'keys_before_acceptance');
  await expect(page.getByTestId('fd-error')).toContainText('业主验收满意后才能交钥匙');

  // The owner refuses the handover: two items, the next inspection in three days, signed.
  await page.getByTestId('insp-refuse').check();
  await page.getByTestId('insp-opinion').fill('主卧墙面有裂缝，厨房龙头漏水');
  await page.getByTestId('insp-items').fill('主卧墙面裂缝\n厨房水龙头漏水');
  await page.getByTestId('insp-date').fill(chinaDay(3));
  await sign(page);
  await page.getByTestId('insp-submit').click();
  await expect(status(page)).toHaveAttribute('data-status', 'rectifying');
  await expect(page.getByTestId('rect-item')).toHaveCount(2);
  await expect(page.getByTestId('mi-reinspect')).toContainText(chinaDay(3));

  // Acceptance waits for the fixes.
  await page.getByTestId('insp-accept').check();
  await sign(page);
  await page.getByTestId('insp-submit').click();
  await expect(page.getByTestId('fd-error')).toHaveAttribute('data-code', 'rectification_open');

  // Each fix is reported; the owner is told.
  for (const no of ['1', '2']) {
    await page.locator(`[data-testid="rect-item"][data-no="${no}"] [data-testid="rect-fixed"]`).click();
    await expect(page.locator(`[data-testid="rect-item"][data-no="${no}"] [data-testid="rect-reply"]`)).toBeVisible();
  }
  await page.locator('[data-testid="rect-item"][data-no="1"] [data-testid="rect-reply"]').click();
  await expect(page.locator('[data-testid="rect-item"][data-no="1"]')).toContainText('已回复业主');

  // Re-inspection: accepted, signed; then the keys. (A fresh page: the list reloads after each
  // reply, and a form re-rendered under the test would lose the choice.)
  await goto(page, url);
  await page.getByTestId('insp-accept').check();
  await expect(page.getByTestId('insp-accept')).toBeChecked();
  await page.getByTestId('insp-opinion').fill('整改完毕，同意收楼');
  await sign(page);
  await page.getByTestId('insp-submit').click();
  await expect(status(page)).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('inspection-row')).toHaveCount(2);
  await page.getByTestId('mi-keys').click();
  await expect(status(page)).toHaveAttribute('data-status', 'keys_handed');
  await expect(page.getByTestId('mi-keys-done')).toBeVisible();

  // 住户卡: one per person.
  const card = async () => {
    await page.getByTestId('card-name').fill('林海');
    await page.getByTestId('card-id').fill('110101199003070011');
    await page.getByTestId('card-holder').selectOption('owner');
    await page.getByTestId('card-docs').check();
    await page.getByTestId('card-photos').fill('4');
    await page.getByTestId('card-fee').fill('10');
    await page.getByTestId('card-issue').click();
  };
  await card();
  await expect(page.getByTestId('card-row')).toHaveCount(1);
  await expect(page.getByTestId('card-row')).toHaveAttribute('data-status', 'active');
  await card();
  await expect(page.getByTestId('fd-error').last()).toHaveAttribute('data-code', 'card_already_active');
  await expect(page.getByTestId('card-row')).toHaveCount(1);
  expect(sql("SELECT count(*) FROM resident_cards WHERE id_card = '110101199003070011'")).toBe('1');
  expect(desk.errors).toEqual([]);
  await desk.context.close();
});

test('facilities: the office assigns a slot, and the same slot for another booking is refused', async ({ browser }) => {
  const desk = await signedIn(browser, 'desk1', TABLET);
  const page = desk.page;
  await goto(page, '/desk/facilities');
  await expect(page.getByTestId('facility').filter({ hasText: '网球场' })).toBeVisible();
  for (const name of ['E2E甲', 'E2E乙']) {
    await page.getByTestId('booking-facility').selectOption({ label: '网球场' });
    await page.getByTestId('booking-unit').fill('4-1-802');
    await page.getByTestId('booking-name').fill(name);
    await page.getByTestId('booking-phone').fill('13900002222');
    await page.getByTestId('booking-wanted').fill('明天上午');
    await page.getByTestId('booking-request').click();
    await expect(page.locator(`[data-testid="booking-row"][data-resident="${name}"]`)).toHaveAttribute('data-status', 'requested');
  }
  const day = chinaDay(1);
  const assign = async (name: string) => {
    const row = page.locator(`[data-testid="booking-row"][data-resident="${name}"]`);
    await row.getByTestId('assign-date').fill(day);
    await row.getByTestId('assign-start').selectOption('10:00');
    await row.getByTestId('assign').click();
  };
  await assign('E2E甲');
  const first = page.locator('[data-testid="booking-row"][data-resident="E2E甲"]');
  await expect(first).toHaveAttribute('data-status', 'assigned');
  await expect(first.getByTestId('booking-slot')).toContainText(`${day} 10:00–11:00`);
  await assign('E2E乙');
  await expect(page.getByTestId('fd-error')).toHaveAttribute('data-code', 'slot_taken');
  await expect(page.getByTestId('fd-error')).toContainText('该时段已被预订');
  await expect(page.locator('[data-testid="booking-row"][data-resident="E2E乙"]')).toHaveAttribute('data-status', 'requested');
  expect(sql("SELECT count(*) FROM facility_bookings WHERE status = 'assigned' AND record->>'resident_name' LIKE 'E2E%'")).toBe('1');
  await desk.context.close();
});

test('notices: an expired notice is archived while a current one shows; a drill two days ahead is refused', async ({ browser }) => {
  const desk = await signedIn(browser, 'desk1', TABLET);
  const page = desk.page;
  // The desk's home shows what is on the board today.
  await goto(page, '/desk');
  await expect(page.locator('[data-testid="home-notice"][data-title="电梯保养通知"]')).toBeVisible();
  await expect(page.locator('[data-testid="home-notice"][data-title="四害消杀温馨提示"]')).toHaveCount(0);

  await goto(page, '/notices');
  await expect(page.locator('#notices-current [data-title="电梯保养通知"]')).toBeVisible();
  await expect(page.locator('#notices-current [data-title="四害消杀温馨提示"]')).toHaveCount(0);
  await expect(page.locator('#notices-archived [data-title="四害消杀温馨提示"]')).toHaveAttribute('data-state', 'archived');

  const before = sql("SELECT count(*) FROM notices WHERE kind = 'fire_drill'");
  const drill = async (days: number) => {
    await page.getByTestId('nt-kind').selectOption('fire_drill');
    await page.getByTestId('nt-title').fill(`E2E消防演习（${days}天）`);
    await page.getByTestId('nt-body').fill('届时会有警铃声，请勿惊慌。');
    await page.getByTestId('nt-from').fill(chinaDay(days));
    await page.getByTestId('nt-until').fill(chinaDay(days));
    await page.getByTestId('nt-publish').click();
  };
  await drill(2);
  await expect(page.getByTestId('fd-error')).toHaveAttribute('data-code', 'drill_notice_too_late');
  await expect(page.getByTestId('fd-error')).toContainText('演习通知须提前三天发布');
  expect(sql("SELECT count(*) FROM notices WHERE kind = 'fire_drill'")).toBe(before);
  await drill(3);
  const posted = page.locator('#notices-current [data-title="E2E消防演习（3天）"]');
  await expect(posted).toHaveAttribute('data-state', 'upcoming');

  // The printed copy for the board.
  await posted.getByTestId('notice-print').click();
  await page.waitForURL(/\/notices\/[0-9a-f-]{36}\/print$/);
  await expect(page.locator('#notice-print h1')).toHaveText('E2E消防演习（3天）');
  await expect(page.locator('#notice-print')).toContainText(`有效期：${chinaDay(3)} 至 ${chinaDay(3)}`);
  await desk.context.close();
});
