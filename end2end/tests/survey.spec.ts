// Satisfaction surveys (满意度调查): the demo's closed 2026 全面意见征询 on 翠湖花园 shows its known
// numbers on the 问卷结果统计表 — 330 of 600 returned (55.0 %), 92.0 % counted, 25 points off,
// 67.0 % — and the Pareto chart (维修, 保安, 保洁 flagged as main improvement items, 绿化 crossing
// 80 %); then a new survey is opened, one household handed out and its questionnaire entered,
// and the counts change.
import { test, expect, Page, Browser } from '@playwright/test';

const TABLET = { width: 1024, height: 768 };

async function hydrated(page: Page) {
  await page.waitForSelector('body[data-hydrated="true"]');
}

async function signIn(browser: Browser, username: string) {
  const context = await browser.newContext({ viewport: TABLET, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  await page.goto('/login');
  await hydrated(page);
  await page.fill('#username', username);
  await page.fill('#password', 'wuye2026');
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
  await hydrated(page);
  return { context, page, errors };
}

test('the demo survey results show the documents\' numbers and the Pareto chart', async ({ browser }) => {
  const { context, page, errors } = await signIn(browser, 'csmgr');
  await page.click('#surveys-link');
  await page.waitForURL('**/surveys');
  await hydrated(page);
  const card = page.locator('[data-testid=survey-card]', { hasText: '2026年度全面意见征询' });
  await expect(card).toHaveAttribute('data-status', 'closed');
  await expect(card).toContainText('已结束');
  await expect(card.locator('[data-testid=survey-counts]')).toContainText('已发放 600 份 · 已回收 330 份');
  await card.locator('[data-testid=survey-results]').click();
  await page.waitForURL(/\/surveys\/[0-9a-f-]+\/results$/);
  await hydrated(page);

  const sheet = page.locator('[data-testid=survey-sheet]');
  await expect(sheet.locator('h1')).toHaveText('问卷结果统计表');
  await expect(sheet).toContainText('翠湖花园');
  await expect(page.locator('[data-testid=n-handout]')).toContainText('600');
  await expect(page.locator('[data-testid=n-coverage]')).toContainText('每个单元均已发到');
  await expect(page.locator('[data-testid=n-returned]')).toHaveText('55.0%（330/600）');
  await expect(page.locator('[data-testid=n-rate-raw]')).toHaveText('92.0%（2668/2900）');
  await expect(page.locator('[data-testid=n-penalty]')).toHaveAttribute('data-cut', '250');
  await expect(page.locator('[data-testid=n-penalty]')).toHaveText('−25.0');
  await expect(page.locator('[data-testid=n-final]')).toHaveText('67.0%');
  await expect(page.locator('[data-testid=n-final]')).toHaveAttribute('data-permille', '670');
  await expect(page.locator('tr.final')).toContainText('未达标');
  await expect(page.locator('[data-testid=n-abstentions]')).toHaveText('70');
  // Per item: 维修 238 of 325 rated (5 abstained) → 73.2 %.
  const repairs = page.locator('[data-testid=survey-item][data-item=repairs]');
  await expect(repairs).toHaveAttribute('data-permille', '732');
  await expect(repairs.locator('td[data-rating=dissatisfied]')).toHaveText('87');

  // The chart: nine bars, most dissatisfied first; three main improvement items.
  const chart = page.locator('svg[data-testid=pareto-chart]');
  await expect(chart).toBeVisible();
  const bars = chart.locator('rect[data-testid=pareto-bar]');
  await expect(bars).toHaveCount(9);
  await expect(bars.nth(0)).toHaveAttribute('data-item', 'repairs');
  await expect(bars.nth(0)).toHaveAttribute('data-count', '87');
  await expect(bars.nth(1)).toHaveAttribute('data-item', 'security');
  await expect(bars.nth(2)).toHaveAttribute('data-item', 'cleaning');
  await expect(bars.nth(3)).toHaveAttribute('data-item', 'greening');
  const main = chart.locator('rect[data-testid=pareto-bar][data-main=true]');
  await expect(main).toHaveCount(3);
  await expect(bars.nth(3)).toHaveAttribute('data-main', 'false');
  await expect(chart.locator('polyline[data-testid=pareto-line]')).toHaveCount(1);
  await expect(chart.locator('line[data-testid=pareto-cut]')).toHaveCount(1);
  await expect(chart.locator('circle.pareto-point').nth(2)).toHaveAttribute('data-cumulative', '750');
  await expect(chart.locator('circle.pareto-point').nth(3)).toHaveAttribute('data-cumulative', '828');
  // Main bars are drawn apart (highlighted).
  const fills = await main.evaluateAll((els) => els.map((e) => getComputedStyle(e).fill));
  const other = await bars.nth(3).evaluate((e) => getComputedStyle(e).fill);
  expect(fills.every((f) => f !== other)).toBe(true);
  await expect(page.locator('[data-testid=survey-main-items]')).toContainText('维修人员技能');
  await expect(page.locator('[data-testid=pareto-row][data-main=true]')).toHaveCount(3);
  expect(errors).toEqual([]);
  await context.close();
});

test('entering one returned questionnaire changes the counts', async ({ browser }) => {
  const { context, page, errors } = await signIn(browser, 'csmgr');
  await page.goto('/surveys/new');
  await hydrated(page);
  await page.fill('[data-testid=new-survey-title]', 'E2E 全面意见征询');
  await page.fill('[data-testid=new-survey-date]', '2026-12-01');
  await Promise.all([
    page.waitForURL(/\/surveys\/[0-9a-f-]{36}$/),
    page.click('[data-testid=new-survey-submit]'),
  ]);
  await hydrated(page);
  const head = page.locator('[data-testid=survey-head]');
  await expect(head).toHaveAttribute('data-returned', '0');
  await expect(head).toHaveAttribute('data-handed-out', '0');

  await page.fill('[data-testid=survey-unit-search]', '2-2-10');
  const row = page.locator('[data-testid=survey-unit][data-state=none]').first();
  await expect(row).toBeVisible();
  const unit = await row.getAttribute('data-unit');
  await row.locator('[data-testid=survey-hand-out]').click();
  const handed = page.locator(`[data-testid=survey-unit][data-unit="${unit}"]`);
  await expect(handed).toHaveAttribute('data-state', 'handed');
  await expect(head).toHaveAttribute('data-handed-out', '1');

  await handed.locator('[data-testid=survey-enter]').click();
  const form = page.locator('[data-testid=survey-entry-form]');
  await expect(form).toBeVisible();
  const rows = form.locator('[data-testid=survey-item-row]');
  await expect(rows).toHaveCount(9);
  // Three levels: 满意 / 基本满意 / 不满意, plus 弃权.
  await expect(rows.first().locator('input[type=radio]')).toHaveCount(4);
  for (const item of ['security', 'cleaning', 'leisure', 'management', 'convenience', 'culture', 'other']) {
    await form.locator(`[data-item=${item}] input[value=satisfied]`).check();
  }
  await form.locator('[data-item=repairs] input[value=dissatisfied]').check();
  // 绿化 left blank: an abstention.
  await form.locator('[data-testid=survey-suggestion]').fill('维修上门太慢');
  await form.locator('[data-testid=survey-save]').click();
  await expect(page.locator('[data-testid=survey-entry-message]')).toContainText('1 项不满意，已生成回访任务');
  await expect(head).toHaveAttribute('data-returned', '1');
  await expect(page.locator(`[data-testid=survey-unit][data-unit="${unit}"]`)).toHaveAttribute('data-state', 'returned');

  await page.click('[data-testid=survey-results]');
  await page.waitForURL(/\/results$/);
  await hydrated(page);
  await expect(page.locator('[data-testid=n-returned]')).toHaveText('100.0%（1/1）');
  // 7 满意 of 8 rated answers.
  await expect(page.locator('[data-testid=n-rate-raw]')).toHaveText('87.5%（7/8）');
  await expect(page.locator('[data-testid=n-penalty]')).toHaveCount(0);
  await expect(page.locator('[data-testid=n-abstentions]')).toHaveText('1');
  const bars = page.locator('rect[data-testid=pareto-bar]');
  await expect(bars).toHaveCount(1);
  await expect(bars.first()).toHaveAttribute('data-item', 'repairs');
  await expect(bars.first()).toHaveAttribute('data-main', 'true');
  await expect(page.locator('[data-testid=survey-visits]')).toContainText('已生成回访任务 1 条');
  expect(errors).toEqual([]);
  await context.close();
});
