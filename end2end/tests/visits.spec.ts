// Resident visits (业户访问, issue 6) on a phone: the patrol officer (客户主任) records a visit to
// a household of building 3 with 业户拒绝签名 — the month's progress goes up by one and the
// household leaves the not-visited-this-year list; visiting the same household again (this time
// signed on the pad) is recorded but does not count. Then the manager's chain page on a tablet.
import { execFileSync } from 'node:child_process';
import { test, expect, login, PHONE, TABLET, type Page } from './helpers';

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
