// A join link whose `signal=` names another server (issue #12, finding 7):
// the join page asks the scheduler for the meeting's signalling URL and,
// finding the link's address different, says so and connects nowhere: no
// WebSocket is opened (every one the page creates is recorded) and the
// camera and microphone are never asked for. The same link without the
// foreign address connects to the bridge the scheduler named, with no
// Content-Security-Policy violation.
// Needs build/media/vc-bridge; a missing binary fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Fixture, missingBinaries, apiCall, assertNoConsoleErrors, iso } from './helpers.mjs';

const fx = new Fixture('join-signal');
before(async () => {
  const missing = await missingBinaries('scheduler', 'bridge');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

/** A page that records the WebSockets it opens and counts getUserMedia calls. */
async function recordingPage() {
  const b = await fx.browser({ webrtc: true });
  const sockets = [];
  b.page.on('websocket', (ws) => sockets.push(ws.url()));
  await b.context.addInitScript(() => {
    window.gumCalls = 0;
    const md = navigator.mediaDevices;
    if (md && md.getUserMedia) {
      const original = md.getUserMedia.bind(md);
      md.getUserMedia = (...args) => { window.gumCalls += 1; return original(...args); };
    }
  });
  return { ...b, sockets };
}

test('a join link with a foreign signal= address connects nowhere and says why', { timeout: 120000 }, async () => {
  const bridge = await fx.startBridge();
  const sched = await fx.startScheduler({ bridgeUrl: bridge.url, bridgeSecret: bridge.secret });
  const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const list = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body;
  const rooms = list.endpoints || list;
  const chair = rooms.find((e) => e.unit === 'ubnd-tinh') || rooms[0];
  const district = rooms.find((e) => e.level === 'district');
  const start = new Date(Math.ceil((Date.now() + 120000) / 60000) * 60000);
  const created = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
    title: 'Họp thử liên kết', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, district.code],
    start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const link = await apiCall(sched.url, token, 'POST', `/api/v1/monitor/meetings/${created.body.id}/join-links`, { name: 'Khách mời' });
  assert.equal(link.status, 201, JSON.stringify(link.body));
  assert.doesNotMatch(link.body.url, /signal=/, 'the join link carries no signalling address');
  const good = new URL(link.body.url, sched.url).toString();

  // The link altered to send the guest elsewhere.
  const evil = 'ws://127.0.0.1:9/evil';
  const forged = `${good}&signal=${encodeURIComponent(evil)}`;
  const bad = await recordingPage();
  const opened = new Promise((resolve) => bad.page.once('websocket', resolve));
  await bad.page.goto(forged);
  // Whichever comes first: the page's refusal, or a socket it should not open.
  await Promise.race([bad.page.waitForSelector('body[data-state="ended"]', { timeout: 20000 }), opened]);
  const seen = await bad.page.evaluate(() => ({
    refused: document.body.dataset.refused,
    detail: document.getElementById('join-detail').textContent,
    gum: window.gumCalls,
  }));
  assert.deepEqual(bad.sockets, [], 'no WebSocket is opened for a forged link');
  assert.equal(seen.gum, 0, 'the camera and microphone are not asked for');
  assert.equal(seen.refused, 'foreign-signal');
  assert.ok(seen.detail.includes(evil), `the page names the foreign address: ${seen.detail}`);
  await fx.screenshot(bad.page, 'join-foreign-signal');
  assertNoConsoleErrors(assert, bad.errors);

  // The genuine link: one WebSocket, to the bridge the scheduler named.
  const ok = await recordingPage();
  await ok.page.goto(good);
  await ok.page.waitForFunction(() => window.gumCalls > 0, null, { timeout: 60000 });
  assert.equal(ok.sockets.length, 1, ok.sockets.join(', '));
  assert.ok(ok.sockets[0].startsWith(link.body.signal_url), `${ok.sockets[0]} is the bridge's ${link.body.signal_url}`);
  assert.ok(ok.sockets[0].startsWith(bridge.url.replace(/^http/, 'ws')));
  await ok.page.locator('#leave').click();
  await ok.page.waitForSelector('body[data-state="ended"]');
  assertNoConsoleErrors(assert, ok.errors);
});

// A guest link cannot open the meeting's room on the bridge (docs/protocol.md
// §3): before the room is open the page says it waits, opens no WebSocket and
// does not ask for the camera; once the room is there — here opened on the
// bridge as a room's join token would while the scheduler is away, which
// the scheduler then adopts — the page joins by itself.
test('a guest link waits until the meeting room is open, then joins by itself', { timeout: 120000 }, async () => {
  const bridge = await fx.startBridge();
  const sched = await fx.startScheduler({ bridgeUrl: bridge.url, bridgeSecret: bridge.secret });
  const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const list = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body;
  const rooms = list.endpoints || list;
  const chair = rooms.find((e) => e.unit === 'ubnd-tinh') || rooms[0];
  const district = rooms.find((e) => e.level === 'district');
  // In three hours (after the other test's meeting): beyond the
  // scheduler's room-open lead, so no room yet.
  const start = new Date(Math.ceil((Date.now() + 3 * 3600000) / 60000) * 60000);
  const created = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
    title: 'Họp chờ mở phòng', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, district.code],
    start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const link = await apiCall(sched.url, token, 'POST', `/api/v1/monitor/meetings/${id}/join-links`, { name: 'Khách mời' });
  assert.equal(link.status, 201, JSON.stringify(link.body));

  const guest = await recordingPage();
  await guest.page.goto(new URL(link.body.url, sched.url).toString());
  await guest.page.waitForSelector('body[data-state="waiting"]', { timeout: 20000 });
  const seen = await guest.page.evaluate(() => ({
    state: document.getElementById('join-state').textContent,
    detail: document.getElementById('join-detail').textContent,
    gum: window.gumCalls,
  }));
  assert.match(seen.detail, /chưa mở/, `the page says the room is not open yet: ${JSON.stringify(seen)}`);
  assert.equal(seen.gum, 0, 'the camera is not asked for while waiting');
  assert.deepEqual(guest.sockets, [], 'no WebSocket before the room is open');
  await fx.screenshot(guest.page, 'join-waiting');

  // The room opens on the bridge (as a room's token opens it); the
  // scheduler's scan of the bridge's rooms adopts it, and the page joins.
  const res = await fetch(`${bridge.url}/rooms`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bridge.secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: String(id), participants: [{ endpoint: chair.code }], chair: chair.code }),
  });
  assert.equal(res.status, 201);
  await guest.page.waitForFunction(() => window.gumCalls > 0, null, { timeout: 60000 });
  assert.equal(guest.sockets.length, 1, guest.sockets.join(', '));
  await guest.page.locator('#leave').click();
  await guest.page.waitForSelector('body[data-state="ended"]');
  assertNoConsoleErrors(assert, guest.errors);
});
