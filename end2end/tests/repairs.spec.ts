// Repairs end to end (issue 4): desk intake, dispatch on a tablet, the technician's in-home
// flow offline on a phone with both signatures, exactly-once sync, the desk's view, the billing
// batch; and the other paths: resident declines, nobody home, supplier referral, an urgent job
// whose arrival breaches its clock, an emergency with its paperwork completed afterwards.
import { test, expect, Page, Browser } from '@playwright/test';
import { PHONE, TABLET, controlled, goto, settled, signedIn, sql, syncNow, waitHydrated, type SignedIn } from './helpers';

/** The shared helpers under this spec's older names. */
const device = signedIn;
const hydrated = waitHydrated;
type Device = SignedIn;


/** A signed-in device with its own storage, synced once (reference data and jobs on it). */
/** Nothing left in the outbox and the last sync succeeded. */
/** Pulls now (the "sync now" path) and waits until the device is settled again. */
interface Intake {
  kind?: 'daily' | 'warranty_complaint' | 'urgent' | 'emergency';
  unit?: string; // e.g. 2-1-301, picks 2栋1单元301
  location?: string; // for common areas
  reporter?: string;
  phone?: string;
  content: string;
  match?: string; // catalogue or supplier code
}

/** Takes a request on the intake form and returns the new order's id (from the detail URL). */
async function intake(page: Page, r: Intake): Promise<string> {
  await goto(page, '/repairs/new');
  await page.getByTestId('intake-kind').selectOption(r.kind ?? 'daily');
  if (r.unit) {
    const [b, e, room] = r.unit.split('-');
    await page.getByTestId('intake-unit').fill(r.unit);
    await page.locator('.pick', { hasText: `${b}栋${e}单元${room}` }).first().click();
  } else {
    await page.getByTestId('intake-common-area').check();
    await page.getByTestId('intake-location').fill(r.location ?? '');
  }
  if (r.reporter !== undefined) await page.getByTestId('intake-reporter').fill(r.reporter);
  if (r.phone !== undefined) await page.getByTestId('intake-phone').fill(r.phone);
  await page.getByTestId('intake-content').fill(r.content);
  if (r.match) {
    await page.getByTestId('intake-match').fill(r.match);
    await page.locator(`[data-testid="match-result"][data-code="${r.match}"]`).click();
  }
  await page.getByTestId('intake-submit').click();
  await page.waitForURL(/\/repairs\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await settled(page);
  return id;
}

function status(id: string): string {
  return sql(`SELECT status FROM work_orders WHERE id = '${id}'`);
}

/** The engineering manager dispatches on the tablet board. */
async function assign(page: Page, id: string, tech = 'tech1') {
  await goto(page, '/eng');
  await syncNow(page);
  const row = page.locator(`[data-testid="board-row"][data-id="${id}"]`);
  await expect(row).toBeVisible();
  const techId = sql(`SELECT id FROM staff WHERE username = '${tech}'`);
  await row.getByTestId('assign-select').selectOption(techId);
  await row.getByTestId('assign-submit').click();
  await settled(page);
  await expect.poll(() => status(id)).toBe('assigned');
}

/** Draws a short stroke on the signature pad. */
async function sign(page: Page, name: string) {
  await page.getByTestId('signer-name').fill(name);
  const pad = page.getByTestId('signature-pad');
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(box.x + 20 + i * 15, box.y + box.height / 2 + (i % 2 ? 18 : -18));
  }
  await page.mouse.up();
}

async function openJob(page: Page, id: string) {
  await goto(page, '/tech');
  await page.locator(`[data-testid="job-card"][data-id="${id}"]`).click();
  await page.waitForURL(new RegExp(`/tech/jobs/${id}$`));
  await hydrated(page);
}

async function expectJobStatus(page: Page, code: string) {
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', code);
}

async function addItem(page: Page, code: string) {
  await page.getByTestId('catalogue-search').fill(code);
  await page.getByTestId('catalogue-result').first().click();
}

test('a paid in-home repair: desk, tablet dispatch, the technician offline with both signatures, one sync, billing', async ({ browser }) => {
  test.setTimeout(240_000);
  const desk = await device(browser, 'desk1');
  const content = `厨房水龙头漏水，软管老化 ${Date.now()}`;
  const id = await intake(desk.page, {
    unit: '2-1-301',
    reporter: '王先生',
    phone: '13912345678',
    content,
    match: 'W01',
  });
  expect(sql(`SELECT number FROM work_orders WHERE id = '${id}'`)).toMatch(/^BX-\d{4}-\d{2}-\d{4}$/);

  const eng = await device(browser, 'engmgr', TABLET);
  await assign(eng.page, id);

  const tech = await device(browser, 'tech1');
  await controlled(tech.page);
  await syncNow(tech.page);
  // The job list asks the service worker to keep the job's page for a reload without signal.
  await goto(tech.page, '/tech');
  await expect
    .poll(() => tech.page.evaluate(async (p) => !!(await caches.match(new URL(p, location.href).href)), `/tech/jobs/${id}`), {
      timeout: 20_000,
    })
    .toBe(true);
  await tech.context.setOffline(true);
  await openJob(tech.page, id);
  await tech.page.reload();
  await hydrated(tech.page);
  await expectJobStatus(tech.page, 'assigned');
  await tech.page.getByTestId('job-arrive').click();
  await expectJobStatus(tech.page, 'on_site');

  // Scope, two catalogue items and one material bought for the resident with their approval.
  await tech.page.getByTestId('quote-scope').fill('更换厨房水龙头及给水软管');
  await addItem(tech.page, 'W01');
  await addItem(tech.page, 'W07');
  await tech.page.getByTestId('material-name').fill('角阀');
  await tech.page.getByTestId('material-spec').fill('DN15');
  await tech.page.getByTestId('material-qty').fill('1');
  await tech.page.getByTestId('material-price').fill('25.50');
  await tech.page.getByTestId('material-source').selectOption('office');
  await tech.page.getByTestId('material-approved').check();
  await tech.page.getByTestId('material-add').click();
  await expect(tech.page.getByTestId('quote-total')).toContainText('75.50');
  await tech.page.getByTestId('quote-submit').click();
  await expectJobStatus(tech.page, 'quoted');

  await sign(tech.page, '王先生');
  await tech.page.getByTestId('consent-submit').click();
  await expectJobStatus(tech.page, 'in_progress');
  await tech.page.getByTestId('finish-submit').click();
  await expectJobStatus(tech.page, 'finished');

  await tech.page.getByTestId('opinion').fill('修好了，但师傅来得太晚');
  await tech.page.getByTestId('rating-dissatisfied').click();
  await sign(tech.page, '王先生');
  await tech.page.getByTestId('accept-submit').click();
  await expectJobStatus(tech.page, 'closed');

  // Nothing reached the server while offline; five steps wait in the outbox.
  await expect(tech.page.locator('#sync-badge')).toHaveAttribute('data-pending', '5');
  expect(status(id)).toBe('assigned');

  await tech.context.setOffline(false);
  await syncNow(tech.page);
  expect(status(id)).toBe('closed');
  // Each step applied exactly once.
  expect(sql(`SELECT count(*) FROM sync_mutations WHERE entity_id = '${id}' AND staff_id = (SELECT id FROM staff WHERE username = 'tech1')`)).toBe('5');
  expect(sql(`SELECT doc->'acceptance'->>'rating' FROM work_orders WHERE id = '${id}'`)).toBe('dissatisfied');
  for (const path of ['consent', 'acceptance,signature']) {
    const sha = sql(`SELECT doc #>> '{${path},image,sha256}' FROM work_orders WHERE id = '${id}'`);
    expect(sha, path).toMatch(/^[0-9a-f]{64}$/);
    expect(sql(`SELECT complete FROM blobs WHERE sha256 = '${sha}'`)).toBe('t');
  }

  // The desk sees it closed, with both signatures, the amounts, and the return visit it needs.
  await syncNow(desk.page);
  await goto(desk.page, `/repairs/${id}`);
  await expect(desk.page.getByTestId('order-status')).toHaveAttribute('data-status', 'closed');
  await expect(desk.page.getByTestId('order-total')).toContainText('75.50');
  for (const sig of ['consent-signature', 'acceptance-signature']) {
    const img = desk.page.getByTestId(sig);
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
  }
  await expect(desk.page.getByTestId('acceptance-rating')).toHaveAttribute('data-rating', 'dissatisfied');
  await expect(desk.page.getByTestId('mandatory-visit')).toContainText('不满意');

  // The printed 维修单: three copies and the total in capitals.
  await goto(desk.page, `/repairs/${id}/print`);
  await expect(desk.page.getByTestId('print-copy')).toHaveCount(3);
  await expect(desk.page.getByTestId('print-total-capitals').first()).toContainText('柒拾伍元伍角');

  // Finance runs the month's batch: the household's 付款请求书 carries the job with its total.
  const finance = await device(browser, 'finance1', TABLET);
  await goto(finance.page, '/finance');
  await finance.page.getByTestId('billing-run').click();
  const request = finance.page.locator('[data-testid="payment-request"][data-unit="2栋1单元301"]');
  await expect(request).toBeVisible();
  await expect(request.getByTestId('request-total')).toContainText('75.50');
  expect(
    sql(`SELECT sum(amount_fen) FROM payment_request_lines WHERE work_order_id = '${id}'`),
  ).toBe('7550');

  for (const d of [desk, eng, tech, finance]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});

test('the resident declines: reason and the technician signature go back to the desk', async ({ browser }) => {
  test.setTimeout(180_000);
  const desk = await device(browser, 'desk1');
  const id = await intake(desk.page, { unit: '2-1-302', reporter: '赵女士', phone: '13700001111', content: '卫生间门锁坏了', match: 'C01' });
  const eng = await device(browser, 'engmgr', TABLET);
  await assign(eng.page, id);
  const tech = await device(browser, 'tech1');
  await openJob(tech.page, id);
  await tech.page.getByTestId('job-arrive').click();
  await expectJobStatus(tech.page, 'on_site');
  await tech.page.getByTestId('job-resident-decline').click();
  await tech.page.getByTestId('decline-reason').fill('业户认为价格偏高，自行购买门锁');
  await sign(tech.page, '张师傅');
  await tech.page.getByTestId('decline-submit').click();
  await expectJobStatus(tech.page, 'resident_declined');
  await settled(tech.page);
  expect(status(id)).toBe('resident_declined');
  await syncNow(desk.page);
  await goto(desk.page, `/repairs/${id}`);
  await expect(desk.page.getByTestId('order-status')).toHaveAttribute('data-status', 'resident_declined');
  await expect(desk.page.locator('body')).toContainText('业户认为价格偏高');
  for (const d of [desk, eng, tech]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});

test('nobody home: the 留言条 is shown, the attempt recorded, and the desk rebooks', async ({ browser }) => {
  test.setTimeout(180_000);
  const desk = await device(browser, 'desk1');
  const id = await intake(desk.page, { unit: '2-1-303', reporter: '钱先生', phone: '13600002222', content: '客厅吸顶灯不亮', match: 'E06' });
  const eng = await device(browser, 'engmgr', TABLET);
  await assign(eng.page, id);
  const tech = await device(browser, 'tech1');
  await openJob(tech.page, id);
  await tech.page.getByTestId('job-nobody-home').click();
  await expect(tech.page.getByTestId('message-slip')).toContainText('碰巧您不在家');
  await expect(tech.page.getByTestId('message-slip')).toContainText('2栋1单元303');
  await tech.page.getByTestId('nobody-home-submit').click();
  await expectJobStatus(tech.page, 'awaiting_rebook');
  await settled(tech.page);
  expect(sql(`SELECT jsonb_array_length(doc->'attempts') FROM work_orders WHERE id = '${id}'`)).toBe('1');
  await syncNow(desk.page);
  await goto(desk.page, `/repairs/${id}`);
  await expect(desk.page.getByTestId('order-status')).toHaveAttribute('data-status', 'awaiting_rebook');
  await desk.page.getByTestId('rebook-submit').click();
  await settled(desk.page);
  await expect.poll(() => status(id)).toBe('accepted');
  for (const d of [desk, eng, tech]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});

test('an item on the supplier list is referred and never dispatched', async ({ browser }) => {
  const desk = await device(browser, 'desk1');
  const id = await intake(desk.page, { unit: '2-2-301', reporter: '孙女士', phone: '13500003333', content: '空调不制冷', match: 'S03' });
  await expect(desk.page.getByTestId('order-status')).toHaveAttribute('data-status', 'referred');
  expect(status(id)).toBe('referred');
  expect(sql(`SELECT doc->>'referred_to' FROM work_orders WHERE id = '${id}'`)).toBe('S03');
  const eng = await device(browser, 'engmgr', TABLET);
  await goto(eng.page, '/eng');
  await expect(eng.page.locator(`[data-testid="board-row"][data-id="${id}"]`)).toHaveCount(0);
  for (const d of [desk, eng]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});

test('an urgent job whose arrival breaches its 15-minute clock shows red on the board', async ({ browser }) => {
  test.setTimeout(180_000);
  const desk = await device(browser, 'desk1');
  const id = await intake(desk.page, {
    kind: 'urgent',
    location: '5栋1单元 电梯轿厢',
    reporter: '周先生',
    phone: '13400004444',
    content: '电梯困人',
  });
  // Twenty minutes pass before anyone arrives: the ticket's times are moved back, as the
  // clock would have moved (the server judges arrival by its own corrected time).
  sql(`UPDATE work_orders SET doc = jsonb_set(jsonb_set(doc, '{reported_at}',
        to_jsonb(to_char((now() - interval '20 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))),
        '{eng_notified_at}', to_jsonb(to_char((now() - interval '20 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
       WHERE id = '${id}'`);
  const eng = await device(browser, 'engmgr', TABLET);
  await assign(eng.page, id);
  const tech = await device(browser, 'tech1');
  await openJob(tech.page, id);
  await tech.page.getByTestId('job-arrive').click();
  await expectJobStatus(tech.page, 'on_site');
  await settled(tech.page);
  await goto(eng.page, '/eng');
  await syncNow(eng.page);
  const row = eng.page.locator(`[data-testid="board-row"][data-id="${id}"]`);
  await expect(row).toHaveAttribute('data-breached', 'true');
  await expect(row).toHaveClass(/breached/);
  // Red somewhere on the row's frame or text (the exact shade is the stylesheet's business).
  const colors = await row.evaluate((el) => {
    const s = getComputedStyle(el);
    return [s.borderLeftColor, s.color, s.backgroundColor, s.outlineColor];
  });
  const red = colors.some((c) => {
    const m = c.match(/rgba?\((\d+), (\d+), (\d+)/);
    return !!m && +m[1] > 150 && +m[2] < 110 && +m[3] < 110;
  });
  expect(red, `row colours ${colors.join(' / ')}`).toBe(true);
  expect(
    sql(`SELECT (doc->>'arrived_at')::timestamptz - (doc->>'reported_at')::timestamptz > interval '15 minutes' FROM work_orders WHERE id = '${id}'`),
  ).toBe('t');
  for (const d of [desk, eng, tech]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});

test('an emergency starts at once on the phone and its paperwork is completed afterwards', async ({ browser }) => {
  test.setTimeout(180_000);
  const tech = await device(browser, 'tech1');
  const id = await intake(tech.page, {
    kind: 'emergency',
    location: '地下车库B2 消防水管',
    content: '地下车库跑水',
  });
  expect(status(id)).toBe('on_site');
  expect(sql(`SELECT doc->>'retroactive' FROM work_orders WHERE id = '${id}'`)).toBe('true');
  await openJob(tech.page, id);
  await expectJobStatus(tech.page, 'on_site');
  await tech.page.getByTestId('finish-submit').click();
  await expectJobStatus(tech.page, 'finished');
  await tech.page.getByTestId('rating-satisfied').click();
  await tech.page.getByTestId('accept-refuse-sign').click();
  await expectJobStatus(tech.page, 'closed');
  await settled(tech.page);
  expect(status(id)).toBe('closed');

  const desk = await device(browser, 'desk1');
  await goto(desk.page, `/repairs/${id}`);
  await expect(desk.page.getByTestId('paperwork-pending')).toBeVisible();
  await desk.page.getByTestId('paperwork-name').fill('物业巡逻岗 刘');
  await desk.page.getByTestId('paperwork-phone').fill('13800138000');
  await desk.page.getByTestId('paperwork-content').fill('地下车库B2消防水管爆裂跑水，已关阀并更换管段');
  await desk.page.getByTestId('paperwork-submit').click();
  await expect(desk.page.getByTestId('paperwork-pending')).toHaveCount(0);
  await settled(desk.page);
  await expect.poll(() => sql(`SELECT doc->>'paperwork_completed_at' IS NOT NULL FROM work_orders WHERE id = '${id}'`)).toBe('t');
  for (const d of [desk, tech]) {
    expect(d.errors).toEqual([]);
    await d.context.close();
  }
});
