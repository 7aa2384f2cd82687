// Issue #17, findings 5, 10 and 11: the calendar as secretariats use it with
// a province's 44 rooms plus 106 commune rooms (150; the communes are
// clearly labelled example data made through the API), in Vietnamese at
// 1366×768 and in English at phone size.
//   10 the day header and the room column stay in sight while the rooms
//      scroll; rooms grouped by level fold; the search narrows them;
//      cancelled meetings are hidden unless asked for; holidays are shaded
//      (a provisional Tết marked); a day view of rooms × hours books a free
//      hour;
//   5  rescheduling into a clash lists the meeting in the way and the free
//      slots; one click moves the meeting there;
//   11 the dialog changes title, chair and rooms, not only the time;
//      "1 meeting this week" in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, vnInstant, iso, ddmmyyyy, pad2, assertNoConsoleErrors,
} from './helpers.mjs';

const fx = new Fixture('calendar-daily');
let sched;
let token;
let other;
let rooms;
let day;
let mine;
let foreign;
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
  sched = await fx.startScheduler();
  const admin = await sched.token({ role: 'admin', name: 'Quản trị' });
  token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  other = await sched.token({ role: 'secretariat', unit: 'tinh-uy', name: 'Văn phòng Tỉnh ủy' });
  for (let i = 1; i <= 106; i++) {
    const code = `xa-vi-du-${String(i).padStart(3, '0')}`;
    const r = await apiCall(sched.url, admin, 'POST', '/api/v1/endpoints',
      { code, name: `Xã ví dụ ${String(i).padStart(3, '0')}`, level: 'commune' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
  assert.equal(rooms.length, 150);
  day = futureWorkday(7);
  const own = rooms.find((e) => e.unit === 'ubnd-tinh' && e.level === 'province');
  const theirs = rooms.find((e) => e.unit === 'tinh-uy');
  const d1 = rooms.find((e) => e.level === 'district');
  const book = (tok, unit, chair, guest, hour, title) => apiCall(sched.url, tok, 'POST', '/api/v1/meetings', {
    title, unit, chair: chair.code, endpoints: [chair.code, guest.code],
    start: iso(vnInstant(day.y, day.m, day.d, hour)), end: iso(vnInstant(day.y, day.m, day.d, hour + 1)),
  });
  mine = (await book(token, 'ubnd-tinh', own, d1, 8, 'Họp về ngân sách')).body;
  foreign = (await book(other, 'tinh-uy', theirs, d1, 10, 'Hội nghị Tỉnh ủy')).body;
  const gone = (await book(token, 'ubnd-tinh', own, rooms.find((e) => e.level === 'commune'), 15, 'Họp đã hủy')).body;
  assert.equal((await apiCall(sched.url, token, 'DELETE', `/api/v1/meetings/${gone.id}`)).status, 200);
});
after(() => fx.stopAll());

const unexpected = (errors) => errors.filter((e) => !/status of 409/.test(e));

function nextTet() {
  const tets = [[2027, 2, 6], [2028, 1, 26], [2029, 2, 13]];
  return tets.find(([y, m, d]) => Date.UTC(y, m - 1, d) > Date.now() + 86400000);
}

test('vi, desktop: 150 rooms with a sticky header, groups, search, holidays; a clash lists slots; edits beyond the time', { timeout: 240000 }, async () => {
  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, token);
  await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(day))}`);
  await page.locator('#calendar').waitFor();
  assert.equal(await page.locator('#calendar tbody tr[data-room]').count(), 150);

  // The header stays at the top of the scrolling box.
  const box = page.locator('#calendar-scroll');
  const top = (await box.boundingBox()).y;
  await box.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForFunction(() => document.querySelector('#calendar-scroll').scrollTop > 1000);
  const header = await page.locator('#calendar thead th').nth(1).boundingBox();
  assert.ok(Math.abs(header.y - top) < 4, `header at ${header.y}, box top ${top}`);
  const lastRoom = await page.locator('#calendar tbody tr[data-room]').last().boundingBox();
  assert.ok(lastRoom.y > header.y + header.height - 2, 'the last room is below the header, not under it');

  // Cancelled meetings hidden; the count is of live meetings.
  assert.equal(await page.locator('#calendar button.chip[data-status="cancelled"]').count(), 0);
  assert.match(await page.locator('#cal-count').innerText(), /^2 cuộc họp/);

  // Groups fold; the search narrows.
  const communes = page.locator('button.group-toggle[data-level="commune"]');
  assert.match(await communes.innerText(), /Cấp xã \(106\)/);
  await communes.click();
  assert.equal(await communes.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#calendar tbody[data-level="commune"] tr[data-room]:visible').count(), 0);
  await communes.click();
  await page.locator('#cal-filter').fill('ví dụ 10');
  await page.waitForFunction(() => document.querySelectorAll('#calendar tbody tr[data-room]:not([hidden])').length === 7);
  await page.locator('#cal-filter').fill('');
  await box.evaluate((el) => { el.scrollTop = 0; });
  await fx.screenshot(page, 'calendar-150-rooms');

  // 5: move our meeting onto the Tỉnh ủy meeting's hour.
  await page.locator(`#calendar button.chip[data-meeting="${mine.id}"]`).first().click();
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  await dialog.locator('#mtg-edit input[name="start"]').fill('10:00');
  await dialog.locator('#mtg-edit input[name="end"]').fill('11:00');
  await dialog.locator('#mtg-edit button[type="submit"]').click();
  await dialog.locator('#mtg-conflicts button.suggestion').first().waitFor();
  assert.match(await dialog.locator('#mtg-conflicts').innerText(), /Hội nghị Tỉnh ủy/);
  assert.doesNotMatch(await dialog.innerText(), /overlap/);
  const slot = dialog.locator('#mtg-conflicts button.suggestion').first();
  const slotStart = await slot.getAttribute('data-start');
  await fx.screenshot(page, 'calendar-reschedule-clash');
  await slot.click();
  await dialog.locator('.msg-ok').waitFor();
  let now = (await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${mine.id}`)).body;
  assert.equal(Date.parse(now.start), Date.parse(slotStart));

  // 11: title, chair and rooms.
  const guest = rooms.find((e) => e.code === 'xa-vi-du-001');
  const newChair = rooms.filter((e) => e.level === 'district')[3];
  await dialog.locator('#mtg-edit input[name="title"]').fill('Họp về ngân sách (bổ sung)');
  await dialog.locator(`#edit-room-${guest.code}`).check();
  await dialog.locator('#mtg-edit select[name="chair"]').selectOption(newChair.code);
  await dialog.locator('#mtg-edit button[type="submit"]').click();
  await dialog.locator('.msg-ok').waitFor();
  now = (await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${mine.id}`)).body;
  assert.equal(now.title, 'Họp về ngân sách (bổ sung)');
  assert.equal(now.chair, newChair.code);
  assert.ok(now.endpoints.includes(guest.code) && now.endpoints.includes(newChair.code), JSON.stringify(now.endpoints));
  await dialog.getByRole('button', { name: 'Đóng' }).click();

  // Holidays: the week of the next Tết, provisional.
  const [y, m, d] = nextTet();
  await page.goto(`${sched.url}/#/calendar?week=${pad2(d)}/${pad2(m)}/${y}`);
  const tetHead = page.locator(`#calendar thead th[data-day="${y}-${pad2(m)}-${pad2(d)}"]`);
  await tetHead.waitFor();
  assert.match(await tetHead.getAttribute('class'), /holiday/);
  assert.match(await tetHead.innerText(), /Tết Nguyên Đán.*dự kiến/s);
  assertNoConsoleErrors(assert, unexpected(errors));
});

test('en, phone: "1 meeting", show cancelled, the day view books a free hour', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser({ viewport: { width: 390, height: 844 } });
  await signIn(page, sched.url, other);
  await page.locator('#lang-toggle').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  // The Tỉnh ủy secretariat's own week: its one meeting is "1 meeting".
  await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(day))}&cancelled=0`);
  await page.locator('#calendar').waitFor();
  assert.match(await page.locator('#cal-count').innerText(), /^2 meetings this week/);
  await page.locator('#cal-show-cancelled').check();
  await page.locator('#calendar button.chip[data-status="cancelled"]').first().waitFor();
  // A week with one meeting.
  await apiCall(sched.url, token, 'DELETE', `/api/v1/meetings/${mine.id}`);
  await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(day))}`);
  await page.waitForFunction(() => /^1 meeting this week/.test(document.querySelector('#cal-count')?.textContent || ''));

  // Day view: rooms × hours; a free hour opens the booking form at that hour.
  await page.locator('#cal-switch-view').click();
  await page.locator('#calendar.day-view').waitFor();
  await page.goto(`${sched.url}/#/calendar?view=day&day=${encodeURIComponent(ddmmyyyy(day))}`);
  await page.locator('#calendar.day-view').waitFor();
  const theirs = rooms.find((e) => e.unit === 'tinh-uy');
  const row = page.locator(`#calendar tr[data-room="${theirs.code}"]`);
  await row.locator('td.busy button.chip').first().waitFor();
  await fx.screenshot(page, 'calendar-day-phone');
  await row.locator('a.slot').filter({ has: page.locator('xpath=.') }).first().click();
  await page.locator('#booking-form').waitFor();
  assert.match(await page.locator('input[name="start"]').inputValue(), /^07:00$/);
  assert.equal(await page.locator(`#room-${theirs.code}`).isChecked(), true);
  assertNoConsoleErrors(assert, unexpected(errors));
});

test('vi: a series changed from one occurrence on, then cancelled whole, from the dialog', { timeout: 180000 }, async () => {
  const own = rooms.find((e) => e.unit === 'ubnd-tinh' && e.level === 'province');
  const guest = rooms.filter((e) => e.level === 'district')[5];
  const first = vnInstant(day.y, day.m, day.d, 16);
  const r = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
    title: 'Giao ban định kỳ', unit: 'ubnd-tinh', chair: own.code, endpoints: [own.code, guest.code],
    start: iso(first), end: iso(new Date(first.getTime() + 3600000)),
    recurrence: { freq: 'weekly', count: 3 },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const ids = r.body.occurrences.map((o) => o.id);
  const second = r.body.occurrences[1];
  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, token);
  const week = new Date(Date.parse(second.start) + 7 * 3600000);
  await page.goto(`${sched.url}/#/calendar?week=${pad2(week.getUTCDate())}/${pad2(week.getUTCMonth() + 1)}/${week.getUTCFullYear()}`);
  await page.locator(`#calendar button.chip[data-meeting="${second.id}"]`).first().click();
  const dialog = page.locator('dialog[open]');
  await dialog.locator('#mtg-scope').waitFor();
  await dialog.locator('#mtg-scope-following').check();
  await dialog.locator('#mtg-edit input[name="title"]').fill('Giao ban định kỳ (đổi)');
  await dialog.locator('#mtg-edit button[type="submit"]').click();
  await dialog.locator('.msg-ok').waitFor();
  const titles = [];
  for (const id of ids) titles.push((await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${id}`)).body.title);
  assert.deepEqual(titles, ['Giao ban định kỳ', 'Giao ban định kỳ (đổi)', 'Giao ban định kỳ (đổi)']);

  await dialog.locator('#mtg-scope-series').check();
  page.once('dialog', (d) => d.accept());
  await dialog.locator('#mtg-cancel').click();
  await dialog.locator('.msg-ok', { hasText: 'Đã hủy' }).waitFor();
  for (const id of ids) {
    assert.equal((await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${id}`)).body.status, 'cancelled');
  }
  assertNoConsoleErrors(assert, unexpected(errors));
});
