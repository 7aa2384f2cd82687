// The live monitor shows a room going online when its agent starts.
// Needs build/endpoint/vc-endpoint; a missing binary fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Fixture, missingBinaries, apiCall, signIn, assertNoConsoleErrors } from './helpers.mjs';

const fx = new Fixture('monitor');
before(async () => {
  const missing = await missingBinaries('scheduler', 'endpoint');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('monitor shows a room going online when its agent starts', { timeout: 180000 }, async (t) => {
  const sched = await fx.startScheduler();
  const admin = await sched.token({ role: 'admin', name: 'Quản trị' });
  const list = (await apiCall(sched.url, admin, 'GET', '/api/v1/endpoints')).body;
  const room = (list.endpoints || list).find((e) => e.level === 'district');
  assert.ok(room, 'a district room in the roster');
  const agentToken = await sched.token({ role: 'endpoint', endpoint: room.code, name: room.name });

  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, admin);
  await page.goto(`${sched.url}/#/monitor`);
  const row = page.locator(`#monitor-rooms tr[data-endpoint="${room.code}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-online'), 'false');
  await fx.screenshot(page, 'monitor-offline');

  fx.startAgent(sched.url, room.code, agentToken);
  try {
    await page.waitForSelector(`#monitor-rooms tr[data-endpoint="${room.code}"][data-online="true"]`, { timeout: 60000 });
  } catch (e) {
    throw new Error(`${e.message}\n${fx.logs()}`);
  }
  assert.match(await row.innerText(), /Trực tuyến|Đang họp/);
  await fx.screenshot(page, 'monitor-online');
  assertNoConsoleErrors(assert, errors);
});
