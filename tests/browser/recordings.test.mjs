// Recordings in the web UI (issue #18, part 3), against a fake bridge that
// speaks the recording part of the control API (docs/protocol.md §2) and
// serves one real WebM made here with gst-launch-1.0:
//  - the booking form's "record" box follows the unit's default;
//  - the scheduler fetches the segment; the meeting's dialog plays it in a
//    <video> (its metadata loads through the play link, with ranges) and
//    offers it for download;
//  - the live monitor marks the room as recording and the organiser pauses
//    and resumes it from there; the bridge receives both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  Fixture, missingBinaries, apiCall, signIn, iso, ddmmyyyy, vnParts, assertNoConsoleErrors,
} from './helpers.mjs';

const SECRET = 'recordings-browser-test-secret';
const NAME = '20261203T140000Z-0001.webm';
const fx = new Fixture('recordings');

/** The fake bridge: rooms with a recording state, the segment list, files. */
function fakeBridge(webm) {
  const state = { recording: 'recording', controls: [], deleted: [], meeting: null, listed: true };
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
      const room = (id) => ({
        id: String(id), layout: 'grid', participants: [],
        recording: { state: state.recording, error: null, started_at: null, segments: 1, bytes: webm.length },
      });
      if (url.pathname === '/capacity') return json(200, { max_rooms: 8, max_participants: 200, rooms: 0, participants: 0 });
      if (url.pathname === '/rooms' && req.method === 'GET') return json(200, { rooms: [] });
      if (url.pathname === '/rooms' && req.method === 'POST') {
        state.meeting = state.meeting || JSON.parse(body).id;
        state.recordFlag = JSON.parse(body).record;
        (state.recordFlags ??= []).push(state.recordFlag);
        return json(201, room(state.meeting));
      }
      const control = url.pathname.match(/^\/rooms\/(\d+)\/control$/);
      if (control) {
        const { action } = JSON.parse(body);
        state.controls.push(action);
        if (action === 'record_pause' && state.recording === 'recording') state.recording = 'paused';
        else if (action === 'record_resume' && state.recording === 'paused') state.recording = 'recording';
        else return json(409, { error: 'not_recording' });
        return json(200, room(control[1]));
      }
      const roomPath = url.pathname.match(/^\/rooms\/(\d+)$/);
      if (roomPath && req.method === 'GET') return json(200, room(roomPath[1]));
      if (roomPath && req.method === 'DELETE') { res.writeHead(204); return res.end(); }
      if (url.pathname === '/recordings') {
        // The only recorded meeting: asked before its room is posted too.
        if (state.meeting === null) state.meeting = url.searchParams.get('room');
        const list = state.listed && url.searchParams.get('room') === state.meeting
          ? [{ room: state.meeting, name: NAME, bytes: webm.length, seconds: 1, started_at: '2026-12-03T14:00:00Z', complete: true }]
          : [];
        return json(200, { recordings: list });
      }
      if (url.pathname === `/recordings/${state.meeting}/${NAME}` && state.listed) {
        if (req.method === 'DELETE') {
          state.listed = false;
          state.deleted.push(NAME);
          res.writeHead(204);
          return res.end();
        }
        res.writeHead(200, { 'Content-Type': 'video/webm', 'Content-Length': webm.length });
        return res.end(webm);
      }
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

/** Polls the API (not a readiness guess) until check() gives a value. */
async function waitFor(what, check, ms = 60000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${fx.logs()}`);
    await new Promise((r) => { setTimeout(r, 300); });
  }
}

test('a recorded meeting: booking box, player, download, monitor pause/resume', { timeout: 240000 }, async () => {
  const webmPath = path.join(fx.dir, 'tiny.webm');
  await promisify(execFile)('gst-launch-1.0', ['-q', 'videotestsrc', 'num-buffers=30', '!',
    'video/x-raw,width=160,height=120,framerate=30/1', '!', 'vp8enc', '!', 'webmmux', '!',
    'filesink', `location=${webmPath}`]);
  const webm = await readFile(webmPath);
  assert.ok(webm.length > 1000, `a WebM of ${webm.length} bytes`);
  const bridge = await fakeBridge(webm);
  try {
    const sched = await fx.startScheduler({
      bridgeUrl: bridge.url, bridgeSecret: SECRET,
      extraIni: ['[recordings]', `directory=${path.join(fx.dir, 'recordings')}`],
    });
    const admin = await sched.token({ role: 'admin', name: 'Quản trị' });
    const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
    const rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
    const chair = rooms.find((e) => e.unit === 'ubnd-tinh');
    const district = rooms.find((e) => e.level === 'district');

    const { page, errors } = await fx.browser({ viewport: { width: 390, height: 844 } });
    await signIn(page, sched.url, token);

    // The booking form: the site's default (off), then the unit's (on).
    await page.goto(`${sched.url}/#/book`);
    await page.locator('#book-record').waitFor();
    assert.equal(await page.locator('#book-record').isChecked(), false);
    const patched = await apiCall(sched.url, admin, 'PATCH', '/api/v1/units/ubnd-tinh', { record_default: true });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await page.goto(`${sched.url}/#/calendar`);
    await page.goto(`${sched.url}/#/book`);
    await page.locator('#book-record:checked').waitFor();

    // A meeting starting at the next whole minute, booked without "record":
    // the unit's default records it.
    const start = new Date(Math.ceil((Date.now() + 5000) / 60000) * 60000);
    const created = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
      title: 'Giao ban có ghi hình', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, district.code],
      start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.record, true);
    const id = created.body.id;

    // Fetched from the bridge, then deleted there.
    const listing = await waitFor('the segment fetched', async () => {
      const r = await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${id}/recordings`);
      return r.body && r.body.segments === 1 ? r.body : null;
    });
    assert.equal(listing.bytes, webm.length);
    await waitFor('the bridge copy deleted', () => bridge.state.deleted.length === 1);
    // The room opens ahead of the start without recording, and records from
    // the start (the next whole minute).
    assert.equal(bridge.state.recordFlags[0], false);
    await waitFor('the room recording from the start', () => bridge.state.recordFlag === true, 90000);
    assert.ok(Date.now() >= start.getTime(), 'recording asked for at the start, not before');

    // The meeting's dialog: a player whose metadata loads, and a download link.
    await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(vnParts(start)))}`);
    await page.locator(`#calendar button.chip[data-meeting="${id}"]`).first().click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('#mtg-recordings video.recording-player').waitFor();
    await page.waitForFunction(() => {
      const v = document.querySelector('#mtg-recordings video.recording-player');
      return v && v.readyState >= 1 && v.duration > 0;
    }, null, { timeout: 30000 });
    const download = dialog.locator('#mtg-recordings a.download');
    assert.equal(await download.getAttribute('download'), NAME);
    const href = await download.getAttribute('href');
    const fetched = await page.evaluate(async (u) => (await fetch(u, { credentials: 'omit' })).arrayBuffer().then((b) => b.byteLength), href);
    assert.equal(fetched, webm.length);
    await fx.screenshot(page, 'recordings-dialog');
    await dialog.getByRole('button', { name: 'Đóng' }).click();

    // The live monitor once the meeting runs: the mark, pause and resume.
    await waitFor('the meeting to start', () => Date.now() >= start.getTime() + 1000, 90000);
    await page.goto(`${sched.url}/#/monitor`);
    const card = page.locator(`#monitor-meetings article[data-meeting="${id}"]`);
    await card.locator('.rec-mark[data-recording="recording"]').waitFor({ timeout: 30000 });
    await card.getByRole('button', { name: 'Tạm dừng ghi hình' }).click();
    await card.locator('.rec-mark[data-recording="paused"]').waitFor({ timeout: 30000 });
    await card.getByRole('button', { name: 'Tiếp tục ghi hình' }).click();
    await card.locator('.rec-mark[data-recording="recording"]').waitFor({ timeout: 30000 });
    assert.deepEqual(bridge.state.controls, ['record_pause', 'record_resume']);
    await fx.screenshot(page, 'recordings-monitor');
    assertNoConsoleErrors(assert, errors);
  } finally {
    bridge.server.close();
  }
});
