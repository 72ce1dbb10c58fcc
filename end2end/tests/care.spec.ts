// Complaints and return visits end to end (issue 6): a written complaint from intake to its
// approved written answer and closure with the deadline shown and met; an unanswered one past
// its deadline turns red; a repair closed with 不满意 produces a mandatory return visit that a
// customer officer completes on a phone, and its problem reaches the technician in writing.
// The desk's intake goes on with no signal and lands once when the line is back.
import { test, expect } from '@playwright/test';
import { PHONE, TABLET, goto, signedIn, sql, syncNow } from './helpers';

/** 3栋1单元<room> of 翠湖花园. */
function unitId(room: string): string {
  return sql(`SELECT u.id FROM units u JOIN buildings b ON b.id = u.building_id JOIN sites s ON s.id = u.site_id
              WHERE s.code = 'cuihu' AND b.number = '3' AND u.entrance = '1' AND u.room = '${room}'`);
}

test('a written complaint runs from intake to its approved written answer and closure', async ({ browser }) => {
  test.setTimeout(120_000);
  const desk = await signedIn(browser, 'desk1', TABLET);
  await goto(desk.page, '/complaints');
  await desk.page.getByTestId('complaint-new').click();
  await desk.page.getByTestId('care-unit').fill('3-1-501');
  await desk.page.getByTestId('care-unit-pick').first().click();
  await desk.page.getByTestId('complaint-channel').selectOption('written');
  await desk.page.getByTestId('complaint-name').fill('李女士');
  await desk.page.getByTestId('complaint-phone').fill('13900001111');
  await desk.page.getByTestId('complaint-content').fill('楼下装修每天早上七点开始施工，噪音很大');
  await Promise.all([desk.page.waitForURL(/\/complaints\/[0-9a-f-]{36}$/), desk.page.getByTestId('complaint-submit').click()]);
  const id = desk.page.url().split('/').pop()!;
  await expect(desk.page.getByTestId('complaint-number')).toHaveText(/^TS-\d{4}-\d{2}-\d{4}$/);
  // Both deadlines are shown from intake: the reply today, the written answer next working day.
  const firstReply = desk.page.locator('[data-testid="complaint-clock"][data-kind="first_reply"]');
  await expect(firstReply).toHaveAttribute('data-state', 'running');
  await expect(firstReply).toContainText('时限');
  await expect(desk.page.locator('[data-testid="complaint-clock"][data-kind="written_answer"]')).toHaveAttribute('data-state', 'running');

  await desk.page.getByTestId('assess-class').selectOption('important');
  await desk.page.getByTestId('assess-department').selectOption('security');
  await desk.page.getByTestId('assess-submit').click();
  await desk.page.getByTestId('reply-text').fill('已收到，今日协调装修户调整施工时间');
  await desk.page.getByTestId('reply-submit').click();
  await expect(firstReply).toHaveAttribute('data-state', 'met');
  await desk.page.getByTestId('draft-text').fill('书面答复：已与装修户约定每日九点后施工，秩序维护部每日巡查。');
  await desk.page.getByTestId('draft-submit').click();
  await expect(desk.page.getByTestId('written-answer')).toContainText('九点后施工');
  // The desk cannot approve it; the head of customer service does.
  await expect(desk.page.getByTestId('approve-answer')).toHaveCount(0);

  const head = await signedIn(browser, 'csmgr', TABLET);
  await goto(head.page, `/complaints/${id}`);
  await head.page.getByTestId('approve-answer').click();
  await expect(head.page.getByTestId('answer-approved')).toBeVisible();
  await expect(head.page.locator('[data-testid="complaint-clock"][data-kind="written_answer"]')).toHaveAttribute('data-state', 'met');

  await goto(desk.page, `/complaints/${id}`);
  await desk.page.getByTestId('resolve-text').fill('装修户已调整施工时间，业户确认噪音已减轻');
  await desk.page.getByTestId('resolve-submit').click();
  await desk.page.getByTestId('close-text').fill('满意，谢谢');
  await desk.page.getByTestId('close-satisfied').click();
  await expect(desk.page.getByTestId('complaint-status')).toHaveAttribute('data-status', 'closed');
  await expect(desk.page.getByTestId('complaint-status')).toHaveAttribute('data-overdue', 'false');
  await expect(desk.page.getByTestId('complaint-feedback')).toContainText('满意');
  // Its return visit is scheduled (within 3 days of closing).
  await expect(desk.page.getByTestId('complaint-return-visit')).toBeVisible();
  expect(sql(`SELECT reason || ' ' || mandatory FROM return_visits WHERE source_id = '${id}'`)).toBe('complaint_closed true');

  // The manager's figures count it, reply on time.
  await goto(head.page, '/care');
  await expect(head.page.getByTestId('kpi-complaints')).toHaveAttribute('data-value', /[1-9]/);
  await expect(head.page.locator('[data-testid="chart-class"] [data-testid="bar"][data-label="重要投诉"]')).toHaveAttribute('data-value', /[1-9]/);
  for (const d of [desk, head]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});

test('a complaint taken while the line is down is kept on the device and registered once when it returns', async ({ browser }) => {
  const desk = await signedIn(browser, 'desk1', TABLET);
  await goto(desk.page, '/complaints');
  const before = Number(sql(`SELECT count(*) FROM complaints`));
  await desk.context.setOffline(true);
  await desk.page.getByTestId('complaint-new').click();
  await desk.page.getByTestId('care-unit').fill('3-1-702');
  await desk.page.getByTestId('care-unit-pick').first().click();
  await desk.page.getByTestId('complaint-channel').selectOption('phone');
  await desk.page.getByTestId('complaint-name').fill('赵先生');
  await desk.page.getByTestId('complaint-content').fill('地下车库照明一半不亮，晚上看不清路');
  await desk.page.getByTestId('complaint-submit').click();
  // Kept on the device: the notice, a 待同步 row without a serial, one entry in the outbox.
  await expect(desk.page.getByTestId('complaint-notice')).toContainText('已保存在本机');
  const pending = desk.page.getByTestId('complaint-pending');
  await expect(pending).toHaveCount(1);
  await expect(pending).toContainText('待同步');
  await expect(pending).toContainText('3栋1单元702');
  await expect(desk.page.locator('#sync-badge')).toHaveAttribute('data-pending', '1');
  const id = await pending.getAttribute('data-id');
  expect(sql(`SELECT count(*) FROM complaints`)).toBe(String(before));

  // The line is back: registered once, with its serial, by the desk officer who took it.
  await desk.context.setOffline(false);
  await syncNow(desk.page);
  await expect(pending).toHaveCount(0);
  expect(sql(`SELECT count(*) FROM complaints`)).toBe(String(before + 1));
  const number = sql(`SELECT number FROM complaints WHERE id = '${id}'`);
  expect(number).toMatch(/^TS-\d{4}-\d{2}-\d{4}$/);
  expect(sql(`SELECT s.username FROM complaints c JOIN staff s ON s.id = c.created_by WHERE c.id = '${id}'`)).toBe('desk1');
  await expect(desk.page.locator(`[data-testid="complaint-row"][data-number="${number}"]`)).toBeVisible();
  // Another sync sends nothing twice.
  await syncNow(desk.page);
  expect(sql(`SELECT count(*) FROM complaints WHERE id = '${id}'`)).toBe('1');
  expect(desk.errors).toEqual([]);
  await desk.context.close();
});

test('a complaint not answered by its deadline turns red on the list', async ({ browser }) => {
  const desk = await signedIn(browser, 'desk1', TABLET);
  await goto(desk.page, '/complaints');
  await desk.page.getByTestId('complaint-new').click();
  await desk.page.getByTestId('care-unit').fill('3-1-502');
  await desk.page.getByTestId('care-unit-pick').first().click();
  await desk.page.getByTestId('complaint-channel').selectOption('phone');
  await desk.page.getByTestId('complaint-name').fill('周先生');
  await desk.page.getByTestId('complaint-content').fill('单元门禁坏了三天');
  // Taken yesterday at 09:00 and never answered: the same-day reply is past due.
  const yesterday = new Date(Date.now() + 8 * 3600_000 - 24 * 3600_000).toISOString().slice(0, 10);
  await desk.page.getByTestId('complaint-received').fill(`${yesterday}T09:00`);
  await Promise.all([desk.page.waitForURL(/\/complaints\/[0-9a-f-]{36}$/), desk.page.getByTestId('complaint-submit').click()]);
  await expect(desk.page.locator('[data-testid="complaint-clock"][data-kind="first_reply"]')).toHaveAttribute('data-state', 'breached');
  const number = (await desk.page.getByTestId('complaint-number').textContent())!;
  await goto(desk.page, '/complaints');
  const row = desk.page.locator(`[data-testid="complaint-row"][data-number="${number}"]`);
  await expect(row).toHaveAttribute('data-overdue', 'true');
  await expect(row).toHaveClass(/overdue/);
  await expect(row.getByTestId('complaint-due')).toContainText('已超时');
  const color = await row.locator('td').first().evaluate((td) => getComputedStyle(td).color);
  expect(color).toBe('rgb(180, 35, 24)');
  expect(desk.errors).toEqual([]);
  await desk.context.close();
});

test('a repair closed with 不满意 gets a mandatory return visit, done on a phone', async ({ browser }) => {
  // A job of tech1 at 3栋1单元1201 closed an hour ago, rated 不满意 and not signed.
  const unit = unitId('1201');
  const site = sql(`SELECT id FROM sites WHERE code = 'cuihu'`);
  const tech = sql(`SELECT id FROM staff WHERE username = 'tech1'`);
  const deskId = sql(`SELECT id FROM staff WHERE username = 'desk1'`);
  const order = sql(`SELECT gen_random_uuid()`);
  const closed = new Date(Date.now() - 3600_000).toISOString();
  const doc = {
    id: order, site_id: site, number: 'BX-E2E-CARE-1', unit_id: unit, common_area: false, location: '',
    channel: 'phone', kind: 'daily', reporter_name: '陈先生', reporter_phone: '13700001234',
    content: '卫生间龙头漏水', timing: { type: 'immediate' }, photos: [], status: 'closed', assignee: tech,
    created_by: deskId, reported_at: closed, assigned_at: closed, accepted_at: closed, arrived_at: closed,
    history: [], finished_at: closed, closed_at: closed,
    acceptance: { signature: null, opinion: '上门太晚，龙头还在滴', rating: 'dissatisfied', at: closed },
  };
  sql(`INSERT INTO work_orders (id, site_id, unit_id, number, status, kind, assignee, created_by, version, doc,
         occurred_at, closed_at, received_at, updated_at)
       VALUES ('${order}', '${site}', '${unit}', 'BX-E2E-CARE-1', 'closed', 'daily', '${tech}', '${deskId}', 7,
         '${JSON.stringify(doc)}'::jsonb, '${closed}', '${closed}', '${closed}', '${closed}')`);

  const officer = await signedIn(browser, 'patrol1', PHONE);
  await goto(officer.page, '/return-visits');
  const task = officer.page.locator('[data-testid="visit-task"][data-unit="3栋1单元1201"]');
  await expect(task).toHaveAttribute('data-reason', 'repair_dissatisfied');
  await expect(task).toContainText('必须回访');
  await expect(task).toContainText('维修业户不满意');
  await task.locator('a').click();
  await officer.page.waitForURL(/\/return-visits\/[0-9a-f-]{36}$/);
  await officer.page.getByTestId('visit-method-phone').click();
  await officer.page.getByTestId('visit-quality-fairly_satisfied').click();
  await officer.page.getByTestId('visit-service-dissatisfied').click();
  await officer.page.getByTestId('visit-satisfaction-fairly_satisfied').click();
  await officer.page.getByTestId('visit-shortcomings').fill('上门时间比约定晚半小时');
  await officer.page.getByTestId('visit-problem').fill('龙头仍有滴水');
  await officer.page.getByTestId('visit-submit').click();
  await expect(officer.page.getByTestId('visit-done')).toBeVisible();
  await expect(officer.page.getByTestId('visit-rectification')).toContainText('整改通知已发出');
  // The layout fits the phone: nothing wider than the screen.
  const overflow = await officer.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  expect(sql(`SELECT status FROM return_visits WHERE source_id = '${order}'`)).toBe('done');
  expect(sql(`SELECT count(*) FROM notifications WHERE staff_id = '${tech}' AND kind = 'rectification' AND text LIKE '%龙头仍有滴水%'`)).toBe('1');
  // Done is done: the task has left the open list.
  await goto(officer.page, '/return-visits');
  await expect(officer.page.locator('[data-testid="visit-task"][data-unit="3栋1单元1201"]')).toHaveCount(0);
  expect(officer.errors).toEqual([]);
  await officer.context.close();
});
