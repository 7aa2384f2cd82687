// A manager opens the statistics dashboard for a custom range and the bar
// chart per organiser shows the meetings seeded through the API; the CSV of
// the same range downloads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, vnInstant, iso, ddmmyyyy, assertNoConsoleErrors,
} from './helpers.mjs';

const fx = new Fixture('stats');
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('manager dashboard shows the seeded counts', { timeout: 180000 }, async (t) => {
  const sched = await fx.startScheduler();
  const seed = { 'ubnd-tinh': 3, 'tinh-uy': 2 };
  const manager = await sched.token({ role: 'manager', name: 'Lãnh đạo Sở TT&TT' });
  const rooms = (await apiCall(sched.url, manager, 'GET', '/api/v1/endpoints')).body;
  const list = rooms.endpoints || rooms;
  const units = (await apiCall(sched.url, manager, 'GET', '/api/v1/units')).body;
  const unitList = units.units || units;

  // Seed: each unit books N one-hour meetings, two hours apart, in its own
  // room and a district room of its own, so nothing conflicts.
  const day = futureWorkday(7);
  const districts = list.filter((e) => e.level === 'district');
  let k = 0;
  for (const [unit, n] of Object.entries(seed)) {
    const token = await sched.token({ role: 'secretariat', unit, name: `Văn phòng ${unit}` });
    const room = list.find((e) => e.unit === unit);
    const guest = districts[k++]; // a meeting needs at least two rooms
    assert.ok(room && guest, `a room of ${unit} and a district room`);
    for (let i = 0; i < n; i += 1) {
      const start = vnInstant(day.y, day.m, day.d, 8 + 2 * i);
      const res = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
        title: `Họp thử ${unit} ${i + 1}`, unit, chair: room.code, endpoints: [room.code, guest.code],
        start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  }

  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, manager);
  // A period still to come: counted whole (an unfinished one would stop
  // today, before the meetings seeded for next week).
  const from = ddmmyyyy(day);
  const to = ddmmyyyy(day);
  await page.goto(`${sched.url}/#/stats?period=custom&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  await page.waitForSelector('#main > .page[data-page="stats"][data-loaded]', { state: 'attached' });
  const data = await page.evaluate(() => {
    const chart = window.Chart.getChart(document.getElementById('chart-units'));
    return { labels: chart.data.labels, booked: chart.data.datasets[0].data };
  });
  for (const [unit, n] of Object.entries(seed)) {
    const name = (unitList.find((u) => u.code === unit) || {}).name || unit;
    const i = data.labels.indexOf(name);
    assert.ok(i >= 0, `${name} in ${JSON.stringify(data.labels)}`);
    assert.equal(data.booked[i], n, `${name}: ${JSON.stringify(data)}`);
  }
  assert.match(await page.locator('#kpi-booked .kpi-value').innerText(), /^5$/);
  assert.ok((await page.locator('#summary-text').inputValue()).length > 0, 'the report sentence is shown');
  await fx.screenshot(page, 'stats-dashboard');

  // CSV download of the same range.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#csv-download').click()]);
  assert.match(download.suggestedFilename(), /^thong-ke_.*\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  assert.match(csv, /Cuộc họp đã đặt/);
  assert.match(csv, /UBND tỉnh/);
  assertNoConsoleErrors(assert, errors);
});
