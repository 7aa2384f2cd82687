// A secretariat books a meeting in the browser, sees the conflict with a
// meeting already in the room and the suggested free slots, and books the
// first suggestion. Checked through the API afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, vnInstant, iso, ddmmyyyy, assertNoConsoleErrors,
} from './helpers.mjs';

const fx = new Fixture('booking');
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('secretariat books, sees a conflict and books the suggestion', { timeout: 180000 }, async (t) => {
  const sched = await fx.startScheduler();
  const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const other = await sched.token({ role: 'secretariat', unit: 'tinh-uy', name: 'Văn phòng Tỉnh ủy' });

  const rooms = await apiCall(sched.url, token, 'GET', '/api/v1/endpoints');
  assert.equal(rooms.status, 200, JSON.stringify(rooms.body));
  const list = rooms.body.endpoints || rooms.body;
  const chair = list.find((e) => e.unit === 'ubnd-tinh') || list.find((e) => e.level === 'province');
  const district = list.find((e) => e.level === 'district');
  assert.ok(chair && district, 'the roster has a UBND tỉnh room and a district room');

  // Tỉnh ủy already holds the district room 09:00–10:00 on that day.
  const day = futureWorkday(7);
  const first = await apiCall(sched.url, other, 'POST', '/api/v1/meetings', {
    title: 'Hội nghị Ban Chấp hành', unit: 'tinh-uy',
    chair: (list.find((e) => e.unit === 'tinh-uy') || district).code,
    endpoints: [district.code, ...(list.find((e) => e.unit === 'tinh-uy') ? [list.find((e) => e.unit === 'tinh-uy').code] : [])],
    start: iso(vnInstant(day.y, day.m, day.d, 9)), end: iso(vnInstant(day.y, day.m, day.d, 10)),
  });
  assert.equal(first.status, 201, JSON.stringify(first.body));

  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, token);
  await page.goto(`${sched.url}/#/book`);
  await page.locator('#booking-form').waitFor();
  await page.locator('input[name="title"]').fill('Giao ban trực tuyến tháng');
  await page.locator('select[name="chair"]').selectOption(chair.code);
  await page.locator(`#room-${district.code}`).check();
  await page.locator('input[name="date"]').fill(ddmmyyyy(day));
  await page.locator('input[name="start"]').fill('09:00');
  await page.locator('input[name="end"]').fill('10:00');
  // The conflict shows before submitting…
  await page.locator('#live-conflicts .msg-warn').waitFor();
  await page.locator('#book-submit').click();
  // …and the server's 409 lists the conflict and suggested slots.
  const suggestion = page.locator('#conflicts button.suggestion').first();
  await suggestion.waitFor();
  assert.match(await page.locator('#conflicts').innerText(), /Hội nghị Ban Chấp hành/);
  const slotStart = await suggestion.getAttribute('data-start');
  const slotEnd = await suggestion.getAttribute('data-end');
  await fx.screenshot(page, 'booking-conflict');
  await suggestion.click();
  await page.locator('#book-success').waitFor();
  await fx.screenshot(page, 'booking-booked');

  const booked = await apiCall(sched.url, token, 'GET',
    `/api/v1/meetings?from=${encodeURIComponent(iso(vnInstant(day.y, day.m, day.d, 0)))}&to=${encodeURIComponent(iso(vnInstant(day.y, day.m, day.d + 2, 0)))}&unit=ubnd-tinh`);
  assert.equal(booked.status, 200);
  const mine = (booked.body.meetings || []).filter((m) => m.title === 'Giao ban trực tuyến tháng');
  assert.equal(mine.length, 1, JSON.stringify(booked.body));
  assert.equal(Date.parse(mine[0].start), Date.parse(slotStart));
  assert.equal(Date.parse(mine[0].end), Date.parse(slotEnd));
  assertNoConsoleErrors(assert, errors.filter((e) => !/409/.test(e)));
});
