// Site settings (/settings): the centre manager keeps the site's work calendar, office hours and
// release-pass rules; a slip is refused with the reason and saves nothing; the desk may not
// enter. Dates are in 2027 so no other spec's deadlines move.
import { test, expect } from '@playwright/test';
import { TABLET, goto, signedIn, sql } from './helpers';

const calendar = () => sql(`SELECT p.policy->'calendar' FROM care_policies p JOIN sites s ON s.id = p.site_id WHERE s.code = 'cuihu'`);

test('the centre manager sets holidays, office hours and the pass rules; a slip saves nothing', async ({ browser }) => {
  const center = await signedIn(browser, 'center', TABLET);
  const page = center.page;
  await page.locator('#settings-link').click();
  await expect(page).toHaveURL(/\/settings$/);
  const card = page.getByTestId('settings-calendar');
  const before = calendar();

  // 国庆 2027 starts on Friday 1 October; Saturday 9 October is worked in exchange. First a
  // slip: the 9th ticked as both.
  for (const [date, button] of [
    ['2027-10-01', 'calendar-add-holiday'],
    ['2027-10-09', 'calendar-add-holiday'],
    ['2027-10-09', 'calendar-add-workday'],
  ]) {
    await card.getByTestId('calendar-date').fill(date);
    await card.getByTestId(button).click();
  }
  await card.getByTestId('calendar-save').click();
  await expect(card.getByTestId('calendar-message')).toHaveText('未能保存：同一天不能既是节假日又是调休上班日');
  expect(calendar(), 'nothing saved').toBe(before);
  // The holiday chip of the 9th removed (the worked-day chip stays): saved.
  await card.locator('[data-testid="calendar-holiday"][data-date="2027-10-09"] button').click();
  await card.getByTestId('calendar-save').click();
  await expect(card.getByTestId('calendar-message')).toHaveText('已保存。');
  expect(JSON.parse(calendar())).toEqual({ holidays: ['2027-10-01'], extra_workdays: ['2027-10-09'] });

  // Office hours until 18:00, closed at weekends.
  const office = page.getByTestId('settings-office');
  await office.getByTestId('office-end').fill('18:00');
  await office.getByTestId('office-weekends').uncheck();
  await office.getByTestId('office-save').click();
  await expect(office.getByTestId('office-message')).toHaveText('已保存。');
  expect(sql(`SELECT d.office_hours->>'end' || ' ' || (d.office_hours->>'weekends') FROM desk_settings d JOIN sites s ON s.id = d.site_id WHERE s.code = 'cuihu'`)).toBe('18:00:00 false');

  // Release passes only with the owner in person.
  const release = page.getByTestId('settings-release');
  await release.getByTestId('release-phone').uncheck();
  await release.getByTestId('release-save').click();
  await expect(release.getByTestId('release-message')).toHaveText('已保存。');
  expect(sql(`SELECT r.policy->>'phone_confirmation' FROM release_policies r JOIN sites s ON s.id = r.site_id WHERE s.code = 'cuihu'`)).toBe('false');

  // Reopened, the page shows what was saved.
  await goto(page, '/settings');
  await expect(card.locator('[data-testid="calendar-holiday"][data-date="2027-10-01"]')).toBeVisible();
  await expect(card.locator('[data-testid="calendar-workday"][data-date="2027-10-09"]')).toBeVisible();
  await expect(card.getByTestId('calendar-holiday')).toHaveCount(1);
  await expect(office.getByTestId('office-end')).toHaveValue('18:00');
  await expect(release.getByTestId('release-phone')).not.toBeChecked();

  // Put the pass rule and office hours back for the specs that follow.
  await release.getByTestId('release-phone').check();
  await release.getByTestId('release-save').click();
  await expect(release.getByTestId('release-message')).toHaveText('已保存。');
  await office.getByTestId('office-end').fill('17:30');
  await office.getByTestId('office-weekends').check();
  await office.getByTestId('office-save').click();
  await expect(office.getByTestId('office-message')).toHaveText('已保存。');
  expect(center.errors).toEqual([]);
  await center.context.close();

  // The desk may not enter.
  const desk = await signedIn(browser, 'desk1', TABLET);
  const resp = await desk.page.goto('/settings');
  expect(resp!.status()).toBe(403);
  await expect(desk.page.getByTestId('settings-calendar')).toHaveCount(0);
  await desk.context.close();
});
