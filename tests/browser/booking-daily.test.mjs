// Issue #17, findings 1–4 and 6: the booking form as a secretariat uses it
// every day, in Vietnamese at 1366×768 and in English at phone size.
//   1  the first click on "Đặt lịch" books (the live message is replaced,
//      never cleared, so the button does not move under the pointer);
//   2  the chair room is ticked, locked and counted;
//   3  "Đặt lịch" in the menu on the booking page opens an empty form;
//   4  refusals are in the UI's language (a past start, a meeting too long),
//      and a past date is never "no conflict";
//   6  a weekly series over Tết (whose official break the holiday file lacks)
//      is previewed occurrence by occurrence, the Tết one flagged as a
//      provisional holiday, with a warning that the year is incomplete; the
//      booking still holds every meeting asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, vnParts, ddmmyyyy, assertNoConsoleErrors,
} from './helpers.mjs';

const fx = new Fixture('booking-daily');
let sched;
let token;
let rooms;
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
  sched = await fx.startScheduler();
  token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const list = await apiCall(sched.url, token, 'GET', '/api/v1/endpoints');
  rooms = list.body.endpoints || list.body;
});
after(() => fx.stopAll());

/** Failed API calls the tests provoke on purpose (422, 409) log a console
 * line in Chromium; anything else is an error. */
const unexpected = (errors) => errors.filter((e) => !/status of 4(09|22)/.test(e));

async function openForm(page, lang) {
  await signIn(page, sched.url, token);
  if (lang === 'en' && (await page.locator('html').getAttribute('lang')) !== 'en') {
    await page.locator('#lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
  await page.goto(`${sched.url}/#/book`);
  await page.locator('#booking-form').waitFor();
}

function chairCode() {
  return rooms.find((e) => e.unit === 'ubnd-tinh' && e.level === 'province').code;
}

test('vi, desktop: chair counted, first click books, menu opens a new form, errors in Vietnamese', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser();
  await openForm(page, 'vi');
  const chair = chairCode();
  const district = rooms.find((e) => e.level === 'district');

  // 2: the default chair (UBND tỉnh) is ticked, locked and counted.
  assert.equal(await page.locator('select[name="chair"]').inputValue(), chair);
  assert.equal(await page.locator(`#room-${chair}`).isChecked(), true);
  assert.equal(await page.locator(`#room-${chair}`).isDisabled(), true);
  await page.locator(`#room-${district.code}`).check();
  await page.waitForFunction(() => /Đã chọn 2 điểm cầu/.test(document.querySelector('.count').textContent));
  // "Bỏ chọn tất cả" keeps the chair.
  await page.locator('button[data-group="none"]').click();
  assert.equal(await page.locator(`#room-${chair}`).isChecked(), true);
  await page.waitForFunction(() => /Đã chọn 1 điểm cầu/.test(document.querySelector('.count').textContent));
  await page.locator(`#room-${district.code}`).check();

  // 4: a meeting over 12 hours is refused live, in Vietnamese.
  const day = futureWorkday(7);
  await page.locator('input[name="title"]').fill('Giao ban đầu tuần');
  await page.locator('input[name="date"]').fill(ddmmyyyy(day));
  await page.locator('input[name="start"]').fill('06:00');
  await page.locator('input[name="end"]').fill('20:00');
  await page.locator('#live-error').waitFor();
  assert.match(await page.locator('#live-error').innerText(), /Cuộc họp quá dài/);
  assert.doesNotMatch(await page.locator('#booking-form').innerText(), /at most|hours/);

  // 4: a past date is an error at once, never the green "no conflict".
  const yesterday = vnParts(new Date(Date.now() - 86400000));
  await page.locator('input[name="date"]').fill(ddmmyyyy(yesterday));
  await page.locator('input[name="start"]').fill('09:00');
  await page.locator('input[name="end"]').fill('10:00');
  await page.waitForFunction(() => /đã qua/.test(document.querySelector('#live-conflicts').textContent));
  assert.equal(await page.locator('#live-conflicts .msg-ok').count(), 0);
  await page.locator('#book-submit').click();
  await page.locator('#book-status .msg-error').waitFor();
  assert.match(await page.locator('#book-status').innerText(), /Thời gian bắt đầu đã qua/);
  assert.doesNotMatch(await page.locator('#book-status').innerText(), /is in the past/);

  // 1: the end typed with the keyboard, the live check green, then one
  // click on "Đặt lịch" with the cursor still in "Kết thúc" books.
  await page.locator('input[name="date"]').fill(ddmmyyyy(day));
  await page.locator('input[name="start"]').fill('08:00');
  const end = page.locator('input[name="end"]');
  await end.click();
  await end.press('Control+A');
  await end.pressSequentially('09:30');
  await page.locator('#live-conflicts .msg-ok').waitFor();
  const before = await page.locator('#book-submit').boundingBox();
  await page.locator('#book-submit').click();
  await page.locator('#book-success').waitFor({ timeout: 5000 });
  const booked = await page.locator('#book-success').getAttribute('data-meeting');
  const meeting = await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${booked}`);
  assert.equal(meeting.status, 200);
  assert.deepEqual([...meeting.body.endpoints].sort(), [chair, district.code].sort());
  assert.ok(before, 'the button was on screen');
  await fx.screenshot(page, 'booking-daily-vi');

  // 3: "Đặt lịch" in the menu while on the booking page: an empty form.
  await page.locator('#nav a[href="#/book"]').click();
  await page.waitForFunction(() => document.querySelector('input[name="title"]') && document.querySelector('input[name="title"]').value === '');
  assert.equal(await page.locator(`#room-${district.code}`).isChecked(), false);
  assert.equal(await page.locator(`#room-${chair}`).isChecked(), true);
  assert.equal(await page.locator('#book-success').count(), 0);
  assertNoConsoleErrors(assert, unexpected(errors));
});

/** A year ahead whose Tết (lunar 1/1) is in the future: [year, month, day]. */
function nextTet() {
  const tets = [[2027, 2, 6], [2028, 1, 26], [2029, 2, 13]];
  const soon = Date.now() + 10 * 86400000;
  return tets.find(([y, m, d]) => Date.UTC(y, m - 1, d) - 14 * 86400000 > soon);
}

test('en, phone: a weekly series over Tết is previewed with a provisional holiday and a warning', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser({ viewport: { width: 390, height: 844 } });
  await openForm(page, 'en');
  const chair = chairCode();
  const district = rooms.filter((e) => e.level === 'district')[1];
  const [y, m, d] = nextTet();
  // Tết + 2 is inside the provisional break (eve to 4th day); start a week before.
  const first = new Date(Date.UTC(y, m - 1, d + 2 - 7));
  const firstDay = { y: first.getUTCFullYear(), m: first.getUTCMonth() + 1, d: first.getUTCDate() };

  assert.equal(await page.locator(`#room-${chair}`).isChecked(), true);
  await page.locator(`#room-${district.code}`).check();
  await page.waitForFunction(() => /2 rooms selected|Selected 2/.test(document.querySelector('.count').textContent));
  await page.locator('input[name="title"]').fill('Weekly briefing');
  await page.locator('input[name="date"]').fill(ddmmyyyy(firstDay));
  await page.locator('input[name="start"]').fill('14:00');
  await page.locator('input[name="end"]').fill('15:00');
  await page.locator('select[name="freq"]').selectOption('weekly');
  await page.locator('input[name="count"]').fill('2');
  const preview = page.locator('#series-preview');
  await page.waitForFunction(() => document.querySelectorAll('#series-preview tbody tr').length === 3);
  const holidayRow = preview.locator('tbody tr[data-holiday="true"]');
  assert.equal(await holidayRow.count(), 1);
  assert.equal(await holidayRow.getAttribute('data-provisional'), 'true');
  assert.match(await holidayRow.innerText(), /provisional/);
  const warning = page.locator(`.holiday-warning[data-year="${y}"]`);
  await warning.waitFor();
  assert.match(await warning.innerText(), /incomplete.*Lunar New Year/s);
  assert.match(await page.locator('#series-summary').innerText(), /2 meetings will be booked; 1 fall on a holiday/);
  await page.locator('.holiday-warning').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, document.querySelector('.holiday-warning').getBoundingClientRect().top - 10));
  await fx.screenshot(page, 'series-preview-en-phone');

  await page.locator('#book-submit').click();
  await page.locator('#book-success').waitFor();
  assert.match(await page.locator('#book-success').innerText(), /2/);
  const series = await apiCall(sched.url, token, 'GET',
    `/api/v1/meetings?from=${first.toISOString().slice(0, 10)}&to=${new Date(first.getTime() + 30 * 86400000).toISOString().slice(0, 10)}&unit=ubnd-tinh`);
  const mine = series.body.meetings.filter((x) => x.title === 'Weekly briefing');
  assert.equal(mine.length, 2, 'the holiday did not use up an occurrence');
  assertNoConsoleErrors(assert, unexpected(errors));
});
