// Issue #17: the 150-room calendar grouped by level, then by unit. The
// province's 44 rooms plus 106 commune rooms (example data made through the
// API), 53 of them under the rooms of UBND thành phố Vinh and 53 under UBND
// thị xã Cửa Lò. Each level and each unit folds, with its count; the fold
// is kept when the page is drawn again; the search finds rooms in folded
// groups and shows only their units; the day view books a free hour of a
// commune room: the form opens at that hour with the room ticked and the
// booking lands at that hour. Vietnamese at 1366×768, English on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, vnInstant, iso, ddmmyyyy, assertNoConsoleErrors,
} from './helpers.mjs';

const fx = new Fixture('calendar-groups');
let sched;
let token;
let day;
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
  sched = await fx.startScheduler();
  const admin = await sched.token({ role: 'admin', name: 'Quản trị' });
  token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  for (let i = 1; i <= 106; i++) {
    const n = String(i).padStart(3, '0');
    const r = await apiCall(sched.url, admin, 'POST', '/api/v1/endpoints', {
      code: `xa-vi-du-${n}`, name: `Xã ví dụ ${n}`, level: 'commune', parent: i <= 53 ? 'ubnd-vinh' : 'ubnd-cua-lo',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
  assert.equal(rooms.length, 150);
  day = futureWorkday(7);
});
after(() => fx.stopAll());

const visibleRooms = (page, selector = '') => page.locator(`#calendar tbody${selector} tr[data-room]:visible`).count();

test('vi, desktop: levels and units fold with their counts, the search crosses folds', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, token);
  await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(day))}`);
  await page.locator('#calendar').waitFor();
  assert.equal(await visibleRooms(page), 150);

  // Levels, then units, each with its count.
  assert.match(await page.locator('button.group-toggle[data-level="commune"]').innerText(), /Cấp xã \(106\)/);
  assert.match(await page.locator('button.group-toggle[data-level="district"]').innerText(), /Cấp huyện \(42\)/);
  const communeUnits = page.locator('#calendar tbody[data-level="commune"] button.unit-toggle');
  assert.deepEqual(await communeUnits.allInnerTexts(), ['UBND thành phố Vinh (53)', 'UBND thị xã Cửa Lò (53)']);
  const districtUnits = page.locator('#calendar tbody[data-level="district"] button.unit-toggle');
  assert.deepEqual((await districtUnits.allInnerTexts()).sort(), ['Tỉnh ủy Nghệ An (21)', 'UBND tỉnh Nghệ An (21)']);

  // A unit folds alone; its level's other unit stays.
  const vinh = page.locator('#calendar tbody[data-level="commune"] button.unit-toggle[data-unit="ubnd-vinh"]');
  await vinh.click();
  assert.equal(await vinh.getAttribute('aria-expanded'), 'false');
  assert.equal(await visibleRooms(page, '[data-level="commune"]'), 53);
  assert.equal(await page.locator('#calendar tr[data-room="xa-vi-du-001"]').isVisible(), false);
  assert.equal(await page.locator('#calendar tr[data-room="xa-vi-du-054"]').isVisible(), true);

  // The level folds whole: no unit header, no room.
  const communes = page.locator('button.group-toggle[data-level="commune"]');
  await communes.click();
  assert.equal(await visibleRooms(page, '[data-level="commune"]'), 0);
  assert.equal(await page.locator('#calendar tbody[data-level="commune"] tr.unit-row:visible').count(), 0);
  await communes.click();
  assert.equal(await visibleRooms(page, '[data-level="commune"]'), 53, 'the unit stays folded inside its level');

  // The search finds rooms in a folded unit and shows only the units that match.
  await page.locator('#cal-filter').fill('ví dụ 00');
  await page.waitForFunction(() => document.querySelectorAll('#calendar tbody tr[data-room]:not([hidden])').length === 9);
  assert.equal(await page.locator('#calendar tr.unit-row:visible').count(), 1);
  await page.locator('#cal-filter').fill('cửa lò');
  await page.waitForFunction(() => document.querySelectorAll('#calendar tbody[data-level="commune"] tr[data-room]:not([hidden])').length === 53);
  await page.locator('#cal-filter').fill('');
  await page.waitForFunction(() => document.querySelectorAll('#calendar tbody tr[data-room]:not([hidden])').length === 97);

  // Kept for the session: drawn again (next week), Vinh's communes still folded.
  await page.locator('button', { hasText: 'Tuần sau' }).click();
  await page.waitForFunction(() => document.querySelector('#calendar tbody[data-level="commune"] button.unit-toggle[data-unit="ubnd-vinh"]')?.getAttribute('aria-expanded') === 'false');
  assert.equal(await visibleRooms(page), 97);
  await page.locator('#calendar tbody[data-level="commune"] button.unit-toggle[data-unit="ubnd-vinh"]').click();
  assert.equal(await visibleRooms(page), 150);
  await page.locator('#calendar tbody[data-level="district"] button.unit-toggle').first().click();
  await page.locator('#calendar-scroll').evaluate((el) => { el.scrollTop = 0; });
  await fx.screenshot(page, 'calendar-groups');
  assertNoConsoleErrors(assert, errors);
});

test('en, phone: a free hour of the day view books that room at that hour', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser({ viewport: { width: 390, height: 844 } });
  await signIn(page, sched.url, token);
  await page.locator('#lang-toggle').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.goto(`${sched.url}/#/calendar?view=day&day=${encodeURIComponent(ddmmyyyy(day))}`);
  await page.locator('#calendar.day-view').waitFor();
  assert.match(await page.locator('#calendar tbody[data-level="commune"] button.unit-toggle').first().innerText(), /\(53\)$/);
  await page.locator('#cal-filter').fill('ví dụ 077');
  const row = page.locator('#calendar tr[data-room="xa-vi-du-077"]');
  await page.waitForFunction(() => document.querySelectorAll('#calendar tbody tr[data-room]:not([hidden])').length === 1);
  const slot = row.locator('a.slot').nth(2); // 09:00
  assert.match(await slot.getAttribute('aria-label'), /Xã ví dụ 077 at 09:00/);
  await fx.screenshot(page, 'calendar-day-groups-phone');
  await slot.click();
  await page.locator('#booking-form').waitFor();
  assert.equal(await page.locator('input[name="start"]').inputValue(), '09:00');
  assert.equal(await page.locator('input[name="end"]').inputValue(), '10:00');
  assert.equal(await page.locator('input[name="date"]').inputValue(), ddmmyyyy(day));
  assert.equal(await page.locator('#room-xa-vi-du-077').isChecked(), true);
  await page.locator('input[name="title"]').fill('Họp từ ô trống');
  await page.locator('#book-submit').click();
  await page.locator('#book-success').waitFor();

  const from = iso(vnInstant(day.y, day.m, day.d, 0));
  const to = iso(vnInstant(day.y, day.m, day.d, 23));
  const booked = (await apiCall(sched.url, token, 'GET',
    `/api/v1/meetings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&endpoint=xa-vi-du-077`)).body.meetings;
  assert.equal(booked.length, 1, JSON.stringify(booked));
  assert.equal(booked[0].title, 'Họp từ ô trống');
  assert.equal(Date.parse(booked[0].start), vnInstant(day.y, day.m, day.d, 9).getTime());
  assert.equal(Date.parse(booked[0].end), vnInstant(day.y, day.m, day.d, 10).getTime());

  // Back on the day view, that hour is the meeting, not a free slot.
  await page.goto(`${sched.url}/#/calendar?view=day&day=${encodeURIComponent(ddmmyyyy(day))}`);
  await page.locator('#calendar tr[data-room="xa-vi-du-077"] td.busy button.chip').waitFor();
  assert.match(await page.locator('#calendar tr[data-room="xa-vi-du-077"] td.busy').innerText(), /09:00–10:00 Họp từ ô trống/);
  assertNoConsoleErrors(assert, errors);
});
