// Issue #17, finding 9: the statistics a manager prepares the report with.
// Three years of history are not needed to show it: meetings imported
// through POST /api/v1/history on the first day of this month and of the
// same month last year (and more at the end of that month). The current
// month is unfinished, so it is counted "tính đến" today and compared with
// the same elapsed days a year earlier — not with the whole month, as the
// page did ("giảm 80%"). Grouping and comparison are chosen on the page;
// the CSV follows the screen, in the UI's language, with hours and
// percentages; on a phone the report sentence is whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Fixture, missingBinaries, apiCall, signIn, vnParts, vnInstant, iso, pad2, assertNoConsoleErrors } from './helpers.mjs';

const fx = new Fixture('stats-daily');
let sched;
let manager;
const today = vnParts(new Date());
const lastDay = new Date(Date.UTC(today.y, today.m, 0)).getUTCDate();
const unfinished = today.d < lastDay;

function held(y, m, d, hh, mi, title) {
  const start = vnInstant(y, m, d, hh, mi);
  const end = new Date(start.getTime() + 10 * 60000);
  return {
    title, unit: 'ubnd-tinh', chair: 'ubnd-tinh', endpoints: ['ubnd-tinh', 'ubnd-vinh'],
    start: iso(start), end: iso(end),
    attendance: ['ubnd-tinh', 'ubnd-vinh'].map((endpoint) => ({ endpoint, joined_at: iso(start), left_at: iso(end) })),
  };
}

before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  assert.ok(!(today.d === 1 && Date.now() < vnInstant(today.y, today.m, 1, 0, 40).getTime()),
    'this test needs the first 40 minutes of the month to be over');
  await fx.init();
  sched = await fx.startScheduler();
  const admin = await sched.token({ role: 'admin', name: 'Quản trị' });
  manager = await sched.token({ role: 'manager', name: 'Lãnh đạo Sở' });
  const meetings = [
    held(today.y, today.m, 1, 0, 5, 'Giao ban 1'), held(today.y, today.m, 1, 0, 20, 'Giao ban 2'),
    held(today.y - 1, today.m, 1, 0, 5, 'Giao ban năm trước 1'), held(today.y - 1, today.m, 1, 0, 20, 'Giao ban năm trước 2'),
  ];
  for (let i = 0; i < 8; i++) meetings.push(held(today.y - 1, today.m, lastDay, 8 + i, 0, `Cuối tháng ${i + 1}`));
  const r = await apiCall(sched.url, admin, 'POST', '/api/v1/history', { meetings });
  assert.equal(r.status, 200, JSON.stringify(r.body));
});
after(() => fx.stopAll());

const dmy = (y, m, d) => `${pad2(d)}/${pad2(m)}/${y}`;

async function download(page) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('#csv-download').click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

test('vi, desktop: "tính đến" today, like-for-like comparison, grouping and comparison selectors, CSV', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, manager);
  await page.goto(`${sched.url}/#/stats`);
  await page.waitForSelector('#main > .page[data-page="stats"][data-loaded]', { state: 'attached' });
  assert.match(await page.locator('#kpi-held .kpi-value').innerText(), /^2$/);
  if (unfinished) {
    assert.match(await page.locator('#stats-range').innerText(), new RegExp(`tính đến ${dmy(today.y, today.m, today.d)}`));
    // 2 against the 2 of the same days last year: unchanged, not "giảm 80%".
    assert.match(await page.locator('#kpi-change').innerText(),
      new RegExp(`không đổi so với cùng kỳ năm trước \\(01/${pad2(today.m)}/${today.y - 1}–${dmy(today.y - 1, today.m, today.d)}\\)`));
  }
  await fx.screenshot(page, 'stats-as-of');

  // Grouping by level, compared with the previous period.
  await page.locator('#stats-group').selectOption('level');
  await page.locator('#stats-compare').selectOption('previous_period');
  const loadedBefore = await page.locator('.page[data-page="stats"]').getAttribute('data-loaded');
  await page.locator('#stats-form button[type="submit"]').click();
  await page.waitForFunction(() => /theo cấp/.test(document.querySelector('#group-heading').textContent));
  const labels = await page.evaluate(() => window.Chart.getChart(document.getElementById('chart-units')).data.labels);
  assert.ok(labels.includes('Cấp tỉnh'), JSON.stringify(labels));
  assert.match(await page.locator('#kpi-change').innerText(), /so với kỳ trước \(01\//);
  assert.ok(loadedBefore);

  // The CSV is what the screen shows, in Vietnamese.
  const csv = await download(page);
  assert.match(csv.name, /^thong-ke_.*\.csv$/);
  assert.equal(csv.text.charCodeAt(0), 0xfeff, 'a byte-order mark for Excel');
  const lines = csv.text.split('\r\n');
  assert.match(csv.text, /Thống kê sử dụng hệ thống/);
  if (unfinished) assert.match(csv.text, /tính đến/);
  const header = lines.find((l) => l.startsWith('Cấp,'));
  assert.ok(header, csv.text);
  assert.match(header, /Cuộc họp đã tổ chức/);
  assert.match(header, /Giờ thực tế/);
  assert.match(header, /Tỷ lệ tham dự/);
  assert.match(header, /Tăng\/giảm/);
  const province = lines.find((l) => l.startsWith('Cấp tỉnh,'));
  assert.ok(province, csv.text);
  assert.match(province, /"0,3"/, 'hours with a decimal comma'); // 2 × 10 min
  assert.match(province, /100,0%/, 'the attendance rate in percent');
  assert.doesNotMatch(csv.text, /meetings_booked|actual_minutes/);
  assertNoConsoleErrors(assert, errors);
});

test('en, phone: English CSV and labels, the report sentence whole', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser({ viewport: { width: 360, height: 740 } });
  await signIn(page, sched.url, manager);
  await page.locator('#lang-toggle').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.goto(`${sched.url}/#/stats?group_by=unit`);
  await page.waitForSelector('#main > .page[data-page="stats"][data-loaded]', { state: 'attached' });
  if (unfinished) assert.match(await page.locator('#stats-range').innerText(), /as of/);
  if (unfinished) assert.match(await page.locator('#kpi-change').innerText(), /^Meetings held: unchanged against the same period last year/);
  const fits = await page.locator('#summary-text').evaluate((el) => el.scrollHeight <= el.clientHeight + 2);
  assert.ok(fits, 'the whole report sentence is in sight');
  await fx.screenshot(page, 'stats-phone-en');
  const csv = await download(page);
  assert.match(csv.name, /^statistics_.*\.csv$/);
  assert.match(csv.text, /Organiser,Meetings booked,Meetings held/);
  assert.match(csv.text, /"?0\.3"?/);
  assertNoConsoleErrors(assert, errors);
});

test('vi: the half-year report printed on A4: the sentence and every table, no menu or form', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, manager);
  await page.goto(`${sched.url}/#/stats?period=half&half=${today.m <= 6 ? 1 : 2}&year=${today.y}`);
  await page.waitForSelector('#main > .page[data-page="stats"][data-loaded]', { state: 'attached' });
  await page.evaluate(() => { window.print = () => { window.printed = true; }; });
  await page.locator('#stats-print').click();
  assert.equal(await page.evaluate(() => window.printed), true);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#topbar').isVisible(), false);
  assert.equal(await page.locator('#stats-form').isVisible(), false);
  assert.equal(await page.locator('#stats-print').isVisible(), false);
  assert.equal(await page.locator('#summary-text').isVisible(), true);
  const tables = page.locator('table.numbers');
  assert.ok(await tables.count() >= 2);
  for (let i = 0; i < await tables.count(); i++) assert.equal(await tables.nth(i).isVisible(), true, `table ${i}`);
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 10000, 'a PDF was made');
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assertNoConsoleErrors(assert, errors);
});
