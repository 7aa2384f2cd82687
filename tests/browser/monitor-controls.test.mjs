// While a meeting is under way (vc-bridge and two room agents), the chair's
// secretariat sees each participant's connection quality on the monitor and
// mutes a room and changes the layout from there; the bridge reports both.
// Needs build/media/vc-bridge and build/endpoint/vc-endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Fixture, missingBinaries, apiCall, signIn, iso, assertNoConsoleErrors } from './helpers.mjs';

const fx = new Fixture('controls');
before(async () => {
  const missing = await missingBinaries('scheduler', 'bridge', 'endpoint');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('chair controls on the monitor reach the bridge', { timeout: 240000 }, async (t) => {
  const bridge = await fx.startBridge();
  const sched = await fx.startScheduler({ bridgeUrl: bridge.url, bridgeSecret: bridge.secret });
  const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
  const chair = rooms.find((e) => e.unit === 'ubnd-tinh');
  const district = rooms.find((e) => e.level === 'district');
  for (const room of [chair, district]) {
    fx.startAgent(sched.url, room.code, await sched.token({ role: 'endpoint', endpoint: room.code, name: room.name }));
  }
  // The next whole minute at least 20 s ahead: the agents join at the start.
  const start = new Date(Math.ceil((Date.now() + 20000) / 60000) * 60000);
  const created = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
    title: 'Giao ban trực tuyến', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, district.code],
    start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, token);
  await page.goto(`${sched.url}/#/monitor`);
  const row = page.locator(`#monitor-meetings article[data-meeting="${created.body.id}"] tr[data-endpoint="${district.code}"][data-connected="true"]`);
  try {
    await row.waitFor({ timeout: 150000 });
  } catch (e) {
    throw new Error(`${e.message}\n${fx.logs()}`);
  }
  await row.getByRole('button', { name: 'Tắt tiếng' }).click();
  await page.locator(`#monitor-meetings tr[data-endpoint="${district.code}"]`, { hasText: 'Đã tắt tiếng' }).waitFor({ timeout: 20000 });

  const card = page.locator(`#monitor-meetings article[data-meeting="${created.body.id}"]`);
  await card.locator('select').selectOption('speaker');
  await card.getByRole('button', { name: 'Áp dụng bố cục' }).click();
  const deadline = Date.now() + 20000;
  let room = null;
  while (Date.now() < deadline) {
    const mon = (await apiCall(sched.url, token, 'GET', '/api/v1/monitor')).body;
    room = (mon.meetings.find((m) => m.id === created.body.id) || {}).room;
    if (room && room.layout === 'speaker') break;
    await new Promise((r) => { setTimeout(r, 500); }); // polling the API, not a readiness guess
  }
  assert.equal(room && room.layout, 'speaker', JSON.stringify(room));
  assert.equal(room.participants.find((p) => p.endpoint === district.code).muted, true);
  await fx.screenshot(page, 'monitor-controls');
  assertNoConsoleErrors(assert, errors);
});
