// A secretariat finds its meeting on the week calendar with the keyboard,
// extends it, reschedules it (PATCH with If-Match) and cancels it; a meeting
// of another unit offers no such actions. (The join link is made in the
// dialog by join.test.mjs, which has a bridge.)
// Then the English toggle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, vnInstant, iso, ddmmyyyy, assertNoConsoleErrors,
} from './helpers.mjs';

const fx = new Fixture('calendar');
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('secretariat extends, reschedules and cancels its own meeting', { timeout: 180000 }, async (t) => {
  const sched = await fx.startScheduler();
  const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const other = await sched.token({ role: 'secretariat', unit: 'tinh-uy', name: 'Văn phòng Tỉnh ủy' });
  const rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
  const own = rooms.find((e) => e.unit === 'ubnd-tinh');
  const theirs = rooms.find((e) => e.unit === 'tinh-uy');
  const [d1, d2] = rooms.filter((e) => e.level === 'district');
  const day = futureWorkday(7);
  const book = (tok, unit, chair, guest, hour, title) => apiCall(sched.url, tok, 'POST', '/api/v1/meetings', {
    title, unit, chair: chair.code, endpoints: [chair.code, guest.code],
    start: iso(vnInstant(day.y, day.m, day.d, hour)), end: iso(vnInstant(day.y, day.m, day.d, hour + 1)),
  });
  const mine = await book(token, 'ubnd-tinh', own, d1, 8, 'Họp về ngân sách');
  assert.equal(mine.status, 201, JSON.stringify(mine.body));
  const foreign = await book(other, 'tinh-uy', theirs, d2, 8, 'Hội nghị Tỉnh ủy');
  assert.equal(foreign.status, 201, JSON.stringify(foreign.body));

  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, token);
  await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(day))}`);
  await page.locator('#calendar').waitFor();

  // Another unit's meeting: details only.
  await page.locator(`#calendar button.chip[data-meeting="${foreign.body.id}"]`).first().click();
  await page.locator('dialog[open]').waitFor();
  assert.equal(await page.locator('dialog[open] button.danger').count(), 0);
  await page.keyboard.press('Escape');
  await page.locator('dialog[open]').waitFor({ state: 'detached' });

  // Our own, opened from the keyboard.
  await page.locator(`#calendar button.chip[data-meeting="${mine.body.id}"]`).first().focus();
  await page.keyboard.press('Enter');
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: '+30 phút' }).click();
  await dialog.locator('.msg-ok').waitFor();
  let now = (await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${mine.body.id}`)).body;
  assert.equal(Date.parse(now.end), vnInstant(day.y, day.m, day.d, 9, 30).getTime(), JSON.stringify(now));

  // Reschedule to 14:00–15:30 with the version the dialog holds.
  await dialog.locator('#mtg-edit input[name="start"]').fill('14:00');
  await dialog.locator('#mtg-edit input[name="end"]').fill('15:30');
  await dialog.locator('#mtg-edit button[type="submit"]').click();
  await dialog.locator('.msg-ok', { hasText: 'Đã lưu' }).waitFor();
  now = (await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${mine.body.id}`)).body;
  assert.equal(Date.parse(now.start), vnInstant(day.y, day.m, day.d, 14).getTime(), JSON.stringify(now));
  assert.equal(Date.parse(now.end), vnInstant(day.y, day.m, day.d, 15, 30).getTime());
  await fx.screenshot(page, 'calendar-dialog');

  // Cancel (confirmed).
  page.once('dialog', (d) => d.accept());
  await dialog.locator('#mtg-cancel').click();
  await dialog.locator('.msg-ok', { hasText: 'Đã hủy' }).waitFor();
  now = (await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${mine.body.id}`)).body;
  assert.equal(now.status, 'cancelled');
  await dialog.getByRole('button', { name: 'Đóng' }).click();
  // Cancelled meetings are hidden until asked for (#17, finding 10).
  await page.waitForFunction((id) => document.querySelector('#calendar')
    && !document.querySelector(`#calendar button.chip[data-meeting="${id}"]`), mine.body.id);
  await page.locator('#cal-show-cancelled').check();
  await page.locator(`#calendar button.chip.status-cancelled[data-meeting="${mine.body.id}"]`).first().waitFor();
  await fx.screenshot(page, 'calendar-week');

  // English toggle, dates stay dd/mm/yyyy.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Weekly meeting calendar' }).waitFor();
  assert.match(await page.locator('.week-label').innerText(), /\d{2}\/\d{2}\/\d{4}/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assertNoConsoleErrors(assert, errors);
});
