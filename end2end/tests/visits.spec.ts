// Resident visits (业户访问, issue 6) on a phone: the patrol officer (客户主任) records a visit to
// a household of building 3 with 业户拒绝签名 — the month's progress goes up by one and the
// household leaves the not-visited-this-year list; visiting the same household again (this time
// signed on the pad) is recorded but does not count. Then the manager's chain page on a tablet.
import { execFileSync } from 'node:child_process';
import { test, expect, goto, login, signedIn, syncNow, PHONE, TABLET, type Page } from './helpers';

const PG_PORT = process.env.PG_PORT ?? '55433';

function sql(query: string): string {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', PG_PORT, '-U', 'postgres', '-d', 'wuye_e2e', '-Atc', query], {
    encoding: 'utf8',
  }).trim();
}

/** An occupied household of 翠湖花园 building 3 (top floors) nobody has visited: `3-1-1702`. */
function freshUnit(): { code: string; label: string } {
  const row = sql(`SELECT b.number || '-' || u.entrance || '-' || u.room
    FROM units u JOIN buildings b ON b.id = u.building_id JOIN sites s ON s.id = u.site_id
    WHERE s.code = 'cuihu' AND b.number = '3' AND u.floor >= 16 AND u.occupancy <> 'vacant'
      AND NOT EXISTS (SELECT 1 FROM resident_visits v WHERE v.unit_id = u.id)
    ORDER BY u.floor DESC, u.entrance, u.room LIMIT 1`);
  const [b, e, r] = row.split('-');
  return { code: row, label: `${b}栋${e}单元${r}` };
}

/**
 * `YYYY-MM-DDTHH:MM` (China time) for the form's 访问时间: `hh:mm` on the latest day when that
 * is already past. With `sameMonth`, only in this month (the counts are this month's); on the
 * 1st before that hour, now. The suite runs at any hour and a visit saved "now" after 22:00 is
 * refused by the site's rule, so the tests say when the visit was.
 */
function latestPast(hh: number, mm: number, sameMonth = true): string {
  const china = new Date(Date.now() + 8 * 3600_000); // China's wall clock, read with UTC getters
  const day = new Date(china);
  day.setUTCHours(hh, mm, 0, 0);
  if (day > china) day.setUTCDate(day.getUTCDate() - 1);
  const pick = !sameMonth || day.getUTCMonth() === china.getUTCMonth() ? day : china;
  return pick.toISOString().slice(0, 16);
}

async function progress(page: Page): Promise<number> {
  await page.goto('/visits');
  const card = page.getByTestId('visit-progress');
  await expect(card).toBeVisible({ timeout: 20_000 });
  return Number(await card.getAttribute('data-visited'));
}

async function notVisitedInBuilding3(page: Page): Promise<number> {
  await page.goto('/visits/unvisited');
  const tab = page.getByTestId('building-3');
  await expect(tab).toBeVisible({ timeout: 20_000 });
  return Number(await tab.getAttribute('data-not-visited'));
}

async function pickUnit(page: Page, code: string, label: string) {
  await page.goto('/visits/new');
  await expect(page.getByTestId('visit-unit')).toBeVisible();
  await page.getByTestId('visit-unit').fill(code);
  const pick = page.getByTestId('visit-unit-pick').filter({ hasText: label });
  await expect(pick).toHaveCount(1, { timeout: 15_000 });
  return pick;
}

test('a visit on a phone: refused signature counts once, a repeat does not, the unvisited list shrinks', async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await login(page, 'patrol1');
  const unit = freshUnit();

  const before = await progress(page);
  await expect(page.getByTestId('visit-deficit')).toBeVisible();
  const unvisitedBefore = await notVisitedInBuilding3(page);

  // 记录走访 from the visits page.
  await page.goto('/visits');
  await page.locator('#visit-new').click();
  await expect(page).toHaveURL(/\/visits\/new$/);
  const pick = await pickUnit(page, unit.code, unit.label);
  await pick.click();
  await expect(page.getByTestId('visit-unit-picked')).toContainText(unit.label);
  // Saving without a topic is refused on the phone, nothing sent.
  await page.getByTestId('visit-save').click();
  await expect(page.getByTestId('visit-error')).toHaveAttribute('data-code', 'no_topics');
  await page.getByTestId('topic-repairs').check();
  await page.getByTestId('topic-security').check();
  await page.getByTestId('visit-notes').fill('反映楼道灯不亮，东门夜间巡逻少。');
  await page.getByTestId('visit-feedback').check();
  // The resident will not sign: recorded as its own outcome, never forced.
  await expect(page.getByTestId('signature-pad')).toBeVisible();
  await page.getByTestId('signature-refused').click();
  await expect(page.getByTestId('visit-refused')).toContainText('业户拒绝签名');
  await page.getByTestId('visit-when').fill(latestPast(10, 0));
  await page.getByTestId('visit-save').click();
  await expect(page.getByTestId('visit-saved')).toHaveAttribute('data-counted', 'true', { timeout: 15_000 });
  await expect(page.getByTestId('visit-saved')).toContainText('计入本月走访指标');

  expect(await progress(page)).toBe(before + 1);
  const row = page.getByTestId('visit-row').filter({ hasText: unit.label });
  await expect(row).toHaveAttribute('data-signature', 'refused');
  await expect(row).toHaveAttribute('data-counted', 'true');
  await expect(row).toContainText('业户拒绝签名');
  expect(await notVisitedInBuilding3(page)).toBe(unvisitedBefore - 1);
  await expect(page.getByTestId('unvisited-row').filter({ hasText: unit.label })).toHaveCount(0);

  // The same household again this month: the search says so; signed on the pad this time.
  const again = await pickUnit(page, unit.code, unit.label);
  await expect(again.getByTestId('visit-unit-visited')).toBeVisible();
  await again.click();
  await page.getByTestId('topic-greening').check();
  await page.getByTestId('signer-name').fill('王女士');
  const pad = page.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('no signature pad');
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + (i % 2 ? 18 : -18));
  }
  await page.mouse.up();
  await expect(pad).toHaveAttribute('data-inked', 'true');
  await page.getByTestId('visit-when').fill(latestPast(10, 30));
  await page.getByTestId('visit-save').click();
  await expect(page.getByTestId('visit-saved')).toHaveAttribute('data-counted', 'false', { timeout: 15_000 });
  await expect(page.getByTestId('visit-saved')).toContainText('不计入指标');

  expect(await progress(page)).toBe(before + 1);
  const rows = page.getByTestId('visit-row').filter({ hasText: unit.label });
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-signature', 'signed');
  await expect(rows.first()).toContainText('重复访问，不计入');
  expect(await notVisitedInBuilding3(page)).toBe(unvisitedBefore - 1);
  // The page fits the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the manager signs off last month on a tablet, in order', async ({ page }) => {
  await page.setViewportSize(TABLET);
  await login(page, 'csmgr');
  await page.locator('#visits-link').click();
  await expect(page).toHaveURL(/\/visits$/);
  await expect(page.getByTestId('visit-progress')).toBeVisible({ timeout: 20_000 });
  await page.locator('#visits-reports-link').click();
  const records = page.getByTestId('step-records');
  await expect(records).toBeVisible({ timeout: 20_000 });
  // 第1/7篇: the summary is the director's (服务中心经理 in the app), by the 10th.
  await expect(page.getByTestId('step-summary')).toContainText('服务中心经理');
  await expect(page.getByTestId('step-summary')).toContainText('10前');
  // Only the CS supervisor's step has a form for the CS manager.
  await expect(page.getByTestId('step-submit-summary')).toHaveCount(0);
  await page.getByTestId('step-text-records').fill('已签署意见：东门夜间巡逻问题转保安部。');
  await page.getByTestId('step-submit-records').click();
  await expect(records).toHaveAttribute('data-state', /^done/, { timeout: 15_000 });
  await expect(records).toContainText('张丽');
  await expect(page.getByTestId('step-submit-records')).toHaveCount(0);
});

test('a visit at a door with no signal is kept on the phone and recorded once when the line is back', async ({
  browser,
}) => {
  const officer = await signedIn(browser, 'patrol1', PHONE);
  const { page, context } = officer;
  const unit = freshUnit();
  const count = () => Number(sql(`SELECT count(*) FROM resident_visits`));
  const before = count();
  await goto(page, '/visits/new');

  // In the basement: the household is found in the phone's own list of units.
  const record = async (when: string) => {
    await context.setOffline(true);
    await page.getByTestId('visit-unit').fill(unit.code);
    await expect(page.getByTestId('visit-unit-offline')).toBeVisible({ timeout: 15_000 });
    const pick = page.getByTestId('visit-unit-pick').filter({ hasText: unit.label });
    await expect(pick).toHaveCount(1);
    await pick.click();
    await page.getByTestId('topic-cleaning').check();
    await page.getByTestId('visit-notes').fill('地下室楼道有积水，请保洁处理。');
    await page.getByTestId('visit-when').fill(when);
    await page.getByTestId('signature-refused').click();
    await page.getByTestId('visit-save').click();
  };
  await record(latestPast(10, 0));
  const saved = page.getByTestId('visit-saved');
  await expect(saved).toHaveAttribute('data-state', 'pending');
  await expect(saved).toContainText('已保存在本机');
  await expect(page.locator('#sync-badge')).toHaveAttribute('data-pending', '1');
  const id = await saved.getAttribute('data-id');
  expect(count()).toBe(before);

  // The line is back: recorded once, by the officer who made it, and it counts.
  await context.setOffline(false);
  await syncNow(page);
  await expect(saved).toHaveAttribute('data-state', 'saved', { timeout: 15_000 });
  await expect(saved).toHaveAttribute('data-counted', 'true');
  await expect(saved).toContainText('计入本月走访指标');
  expect(count()).toBe(before + 1);
  expect(
    sql(`SELECT s.username || ' ' || v.signature FROM resident_visits v JOIN staff s ON s.id = v.visitor_id WHERE v.id = '${id}'`),
  ).toBe('patrol1 refused');
  await syncNow(page);
  expect(count()).toBe(before + 1);

  // After 22:00 at the door: the phone cannot know the site's rule, so it keeps the record;
  // the server refuses it when it lands, and the phone says why, here and on the visits page.
  await page.getByTestId('visit-another').click();
  await record(latestPast(22, 30, false));
  await expect(saved).toHaveAttribute('data-state', 'pending');
  await context.setOffline(false);
  // (not `syncNow`: that waits for an empty outbox, and a refused entry stays for the user)
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect(saved).toHaveAttribute('data-state', 'refused', { timeout: 15_000 });
  await expect(saved).toContainText('22:00');
  await expect(page.locator('#sync-badge')).toHaveAttribute('data-attention', '1');
  await goto(page, '/visits');
  const row = page.getByTestId('visit-pending');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-refused', 'visit_too_late');
  await expect(row).toContainText(unit.label);
  expect(count()).toBe(before + 1);
  expect(officer.errors).toEqual([]);
  await context.close();
});
