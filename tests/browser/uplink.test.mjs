// "Liên thông lên cấp trên" in the meeting dialog (issue #15, part 3),
// against a fake bridge that speaks the uplink part of the control API
// (docs/protocol.md §2, §5) and reports a posted uplink as connected; the
// real bridge-to-bridge link is tests/scheduler/test-uplink.c's.
//  - the chair's secretariat opens its meeting, enters the central room's
//    signalling URL and a link token, saves: the bridge receives them and
//    the dialog shows "Đã kết nối" (live state, polled);
//  - a URL that is not ws:// is refused with the server's reason and
//    nothing is posted;
//  - "Bỏ liên thông": the bridge receives the DELETE, the dialog shows
//    "Chưa liên thông";
//  - a manager sees the state but no form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import {
  Fixture, missingBinaries, apiCall, signIn, iso, ddmmyyyy, vnParts, assertNoConsoleErrors,
} from './helpers.mjs';

const SECRET = 'uplink-browser-test-secret';
const CENTRAL_SIGNAL = 'wss://trung-uong.example.vn/rooms/900/signal';
const fx = new Fixture('uplink');
/** The refusal the test provokes (422) logs a console error: only that one is expected. */
const unexpected = (errors) => errors.filter((e) => !/status of 422/.test(e));

const b64url = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A link token as the central site would mint it (its own secret). */
function linkToken() {
  const head = b64url({ alg: 'HS256', typ: 'JWT' });
  const body = b64url({ meeting: '900', endpoint: 'nghe-an', name: 'Nghệ An', link: true, exp: Math.floor(Date.now() / 1000) + 7200 });
  const sig = crypto.createHmac('sha256', 'central-secret').update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** The fake bridge: rooms and their uplink. */
function fakeBridge() {
  const state = { uplinks: new Map(), posts: [], deletes: [] };
  const uplinkOf = (id) => state.uplinks.get(id) || { state: 'off', signal_url: null, attempts: 0, last_error: null, connected_at: null };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const json = (status, value) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Bearer ${SECRET}`) return json(401, { error: 'unauthorized' });
      const room = (id) => ({ id: String(id), layout: 'grid', participants: [], uplink: uplinkOf(String(id)) });
      if (url.pathname === '/capacity') return json(200, { max_rooms: 8, max_participants: 200, rooms: 0, participants: 0 });
      if (url.pathname === '/rooms' && req.method === 'GET') return json(200, { rooms: [] });
      if (url.pathname === '/rooms' && req.method === 'POST') return json(201, room(JSON.parse(body).id));
      const up = url.pathname.match(/^\/rooms\/(\d+)\/uplink$/);
      if (up && req.method === 'POST') {
        const { signal_url: signalUrl, token } = JSON.parse(body);
        state.posts.push({ room: up[1], signalUrl, token });
        state.uplinks.set(up[1], { state: 'connected', signal_url: signalUrl, attempts: 1, last_error: null, connected_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
        return json(202, room(up[1]));
      }
      if (up && req.method === 'DELETE') {
        state.deletes.push(up[1]);
        if (!state.uplinks.delete(up[1])) return json(404, { error: 'not_found' });
        res.writeHead(204);
        return res.end();
      }
      const roomPath = url.pathname.match(/^\/rooms\/(\d+)$/);
      if (roomPath && req.method === 'GET') return json(200, room(roomPath[1]));
      if (roomPath && req.method === 'DELETE') { res.writeHead(204); return res.end(); }
      if (url.pathname === '/recordings') return json(200, { recordings: [] });
      return json(404, { error: 'not_found' });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, state, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('the chair secretariat links its meeting to a central conference and removes the link', { timeout: 180000 }, async () => {
  const bridge = await fakeBridge();
  try {
    const sched = await fx.startScheduler({ bridgeUrl: bridge.url, bridgeSecret: SECRET });
    const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
    const manager = await sched.token({ role: 'manager', name: 'Lãnh đạo' });
    const rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
    const chair = rooms.find((e) => e.unit === 'ubnd-tinh');
    const district = rooms.find((e) => e.level === 'district');
    // Starts in two minutes: inside the opening lead, so its room opens now.
    const start = new Date(Date.now() + 120000);
    const created = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
      title: 'Hội nghị trực tuyến toàn quốc', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, district.code],
      start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;

    const { page, errors } = await fx.browser({ viewport: { width: 390, height: 844 } });
    await signIn(page, sched.url, token);
    await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(vnParts(start)))}`);
    await page.locator(`#calendar button.chip[data-meeting="${id}"]`).first().click();
    const dialog = page.locator('dialog[open]');
    const section = dialog.locator('#mtg-uplink');
    await section.getByRole('heading', { name: 'Liên thông lên cấp trên' }).waitFor();
    await page.locator('#mtg-uplink[data-state="off"]').waitFor({ timeout: 30000 });
    assert.match(await section.locator('#mtg-uplink-state').innerText(), /Chưa liên thông/);

    // A URL that is not ws:// or wss://: refused, nothing posted.
    await section.getByLabel('Địa chỉ báo hiệu của phòng họp cấp trên').fill('https://trung-uong.example.vn/rooms/900/signal');
    await section.getByLabel('Mã liên thông').fill(linkToken());
    await section.getByRole('button', { name: 'Lưu liên thông' }).click();
    await section.locator('#mtg-uplink-status .msg-error').waitFor();
    assert.match(await section.locator('#mtg-uplink-status').innerText(), /ws:\/\/ or wss:\/\//);
    assert.equal(bridge.state.posts.length, 0);

    // The right one: posted to the bridge, shown connected.
    const link = linkToken();
    await section.getByLabel('Địa chỉ báo hiệu của phòng họp cấp trên').fill(CENTRAL_SIGNAL);
    await section.getByLabel('Mã liên thông').fill(link);
    await section.getByRole('button', { name: 'Lưu liên thông' }).click();
    await section.locator('#mtg-uplink-status .msg-ok').waitFor();
    await page.locator('#mtg-uplink[data-state="connected"]').waitFor({ timeout: 30000 });
    const shown = await section.locator('#mtg-uplink-state').innerText();
    assert.match(shown, /Đã kết nối/);
    assert.match(shown, /nghe-an/);
    assert.ok(!shown.includes(link), 'the token is not shown');
    assert.equal(await section.getByLabel('Mã liên thông').inputValue(), '');
    assert.deepEqual(bridge.state.posts, [{ room: String(id), signalUrl: CENTRAL_SIGNAL, token: link }]);
    await fx.screenshot(page, 'uplink-connected');

    // A manager sees the state, without the form.
    const other = await fx.browser({ viewport: { width: 1366, height: 768 } });
    await signIn(other.page, sched.url, manager);
    await other.page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(vnParts(start)))}`);
    await other.page.locator(`#calendar button.chip[data-meeting="${id}"]`).first().click();
    await other.page.locator('#mtg-uplink[data-state="connected"]').waitFor({ timeout: 30000 });
    assert.equal(await other.page.locator('#mtg-uplink-form').count(), 0);
    assertNoConsoleErrors(assert, other.errors);

    // Removed: the bridge gets the DELETE, the dialog says "Chưa liên thông".
    page.once('dialog', (d) => d.accept());
    await section.getByRole('button', { name: 'Bỏ liên thông' }).click();
    await section.locator('#mtg-uplink-status .msg-ok').waitFor();
    await page.locator('#mtg-uplink[data-state="off"]').waitFor({ timeout: 30000 });
    assert.match(await section.locator('#mtg-uplink-state').innerText(), /Chưa liên thông/);
    const gone = Date.now() + 30000;
    while (!bridge.state.deletes.includes(String(id)) && Date.now() < gone) await new Promise((r) => { setTimeout(r, 200); });
    assert.ok(bridge.state.deletes.includes(String(id)), 'the bridge got DELETE /rooms/ID/uplink');
    assert.equal(errors.length - unexpected(errors).length, 1, 'the one refusal');
    assertNoConsoleErrors(assert, unexpected(errors));
  } finally {
    bridge.server.close();
  }
});
