// The roster over time in the web UI (issue #16). A reorganisation applied
// through the API dissolves Vinh's two district units at a date some weeks
// ahead (its People's Committee room re-homed to the province's, its party
// committee room closed). Then: the roster page lists the dissolved unit
// with its end, successor and history; the booking form hides the closed
// room and the dissolved units for a date after the reform and offers them
// before it; the dashboard's historic/successor toggle asks the API for
// units=successor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, ddmmyyyy, pad2, assertNoConsoleErrors,
} from './helpers.mjs';

const fx = new Fixture('roster');
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('roster history, date-valid booking form, successor toggle', { timeout: 180000 }, async () => {
  const sched = await fx.startScheduler();
  const admin = await sched.token({ role: 'admin', name: 'Quản trị' });
  const manager = await sched.token({ role: 'manager', name: 'Lãnh đạo' });
  const reform = futureWorkday(21);
  const res = await apiCall(sched.url, admin, 'POST', '/api/v1/reorganisations', {
    format: 'vc-province-reorganisation/1',
    name: 'browser-test',
    effective: `${reform.y}-${pad2(reform.m)}-${pad2(reform.d)}`,
    entries: [
      { op: 'dissolve', unit: 'ubnd-vinh', successor: 'ubnd-tinh' },
      { op: 'rehome', room: 'ubnd-vinh', unit: 'ubnd-tinh', level: 'commune' },
      { op: 'dissolve', unit: 'thanh-uy-vinh', successor: 'tinh-uy' },
      { op: 'close-room', room: 'thanh-uy-vinh', successor: 'tinh-uy' },
    ],
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));

  const { page, errors } = await fx.browser();

  // The roster page: Vinh ended on the reform date, its history on demand.
  await signIn(page, sched.url, manager);
  await page.goto(`${sched.url}/#/roster`);
  await page.waitForSelector('#main > .page[data-page="roster"][data-loaded]', { state: 'attached' });
  const row = page.locator('tr[data-unit="ubnd-vinh"]');
  assert.equal(await row.getAttribute('data-ended'), '0'); // ends in the future
  assert.match(await row.innerText(), new RegExp(`${ddmmyyyy(reform)}[\\s\\S]*ubnd-tinh`));
  await row.locator('summary').click();
  await row.locator('li[data-change="ended"]').waitFor();
  assert.match(await row.locator('li[data-change="ended"]').innerText(), /ubnd-tinh/);

  // The booking form: nothing of Vinh's party committee after the reform.
  await page.evaluate(() => sessionStorage.clear());
  await signIn(page, sched.url, admin);
  await page.goto(`${sched.url}/#/book`);
  await page.waitForSelector('#booking-form');
  const dateField = page.locator('#booking-form input[name="date"]');
  const closedRoom = page.locator('label[for="room-thanh-uy-vinh"]');
  const setDate = async (p) => {
    await dateField.fill(ddmmyyyy(p));
    await dateField.dispatchEvent('change');
  };
  const after = futureWorkday(28);
  await setDate(after);
  assert.equal(await closedRoom.isHidden(), true, 'a closed room is not offered after its end');
  assert.equal(await page.locator('#room-thanh-uy-vinh').isDisabled(), true);
  assert.equal(await page.locator('#booking-form select[name="unit"] option[value="ubnd-vinh"]').isDisabled(), true);
  assert.equal(await page.locator('label[for="room-ubnd-vinh"]').isVisible(), true, 'a re-homed room stays');
  await setDate(futureWorkday(7));
  assert.equal(await closedRoom.isVisible(), true, 'before the reform it is offered');
  assert.equal(await page.locator('#booking-form select[name="unit"] option[value="ubnd-vinh"]').isDisabled(), false);

  // The dashboard toggle: the successor grouping comes from the API.
  await page.evaluate(() => sessionStorage.clear());
  await signIn(page, sched.url, manager);
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/stats?')) asked.push(r.url()); });
  await page.goto(`${sched.url}/#/stats?period=year&units=successor`);
  await page.waitForSelector('#main > .page[data-page="stats"][data-loaded]', { state: 'attached' });
  assert.equal(await page.locator('#stats-units').inputValue(), 'successor');
  assert.ok(asked.some((u) => u.includes('units=successor') && u.includes('group_by=unit')), asked.join('\n'));
  await fx.screenshot(page, 'roster-successor-dashboard');
  assertNoConsoleErrors(assert, errors);
});
