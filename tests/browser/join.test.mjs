// The organiser's secretariat creates a join link in the meeting dialog; a
// leader joins the meeting from the browser with it, fake camera
// and microphone, through a real vc-bridge, and the page reaches
// data-state="connected" (ICE connected, RTP bytes flowing both ways); when
// the meeting is cancelled the page goes to "ended".
// Needs build/media/vc-bridge; a missing binary fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Fixture, missingBinaries, apiCall, signIn, assertNoConsoleErrors, iso, vnParts, ddmmyyyy,
} from './helpers.mjs';

const fmtVnDate = (date) => ddmmyyyy(vnParts(date));

const fx = new Fixture('join');
before(async () => {
  const missing = await missingBinaries('scheduler', 'bridge');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
});
after(() => fx.stopAll());

test('browser joins a meeting through the bridge and reaches connected', { timeout: 240000 }, async (t) => {
  const bridge = await fx.startBridge();
  const sched = await fx.startScheduler({ bridgeUrl: bridge.url, bridgeSecret: bridge.secret });
  const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const list = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body;
  const rooms = list.endpoints || list;
  const chair = rooms.find((e) => e.unit === 'ubnd-tinh') || rooms[0];
  const district = rooms.find((e) => e.level === 'district');

  // A meeting starting in two minutes: its bridge room opens at once
  // (room_open_lead_seconds), so a guest can join now.
  const start = new Date(Math.ceil((Date.now() + 120000) / 60000) * 60000);
  const created = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
    title: 'Họp khẩn trực tuyến', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, district.code],
    start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  // The organiser's secretariat makes the join link in the meeting dialog.
  const staff = await fx.browser();
  await signIn(staff.page, sched.url, token);
  await staff.page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(fmtVnDate(start))}&meeting=${id}`);
  const dialog = staff.page.locator('dialog[open]');
  await dialog.waitFor();
  await dialog.locator('.join-link-out').waitFor({ state: 'attached' });
  const nameField = dialog.getByLabel('Tên hiển thị');
  await nameField.fill('Đ/c Chủ tịch');
  await dialog.getByRole('button', { name: 'Tạo liên kết' }).click();
  const url = await dialog.locator('.join-link-out input').inputValue();
  assert.match(url, /#\/join\?/);
  await fx.screenshot(staff.page, 'join-link');
  assertNoConsoleErrors(assert, staff.errors);

  const { page, errors } = await fx.browser({ webrtc: true });
  await page.goto(url);
  await page.waitForSelector('body[data-state="connecting"], body[data-state="connected"]');
  try {
    await page.waitForSelector('body[data-state="connected"]', { timeout: 90000 });
  } catch (e) {
    const state = await page.evaluate(() => ({ ...document.body.dataset, detail: document.getElementById('join-detail').textContent }));
    throw new Error(`${e.message}\npage: ${JSON.stringify(state)}\n${fx.logs()}`);
  }
  // The bridge decodes the guest's camera into its tile: the room state
  // counts the frames it showed (docs/protocol.md §2).
  let guest = null;
  const until = Date.now() + 20000;
  while (Date.now() < until) {
    const res = await fetch(`${bridge.url}/rooms/${id}`, { headers: { Authorization: `Bearer ${bridge.secret}` } });
    const room = await res.json();
    guest = (room.participants || []).find((p) => p.guest);
    if (guest && guest.frames_shown > 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(guest && guest.frames_shown > 0, `the guest's tile shows its video: ${JSON.stringify(guest)}`);
  // The bridge shows the guest alone, across the whole composite: its state
  // message asks it to send its camera, whole (send_video, video_width and
  // video_height; the page applies them to its video sender).
  await page.waitForSelector('body[data-video-sending="true"][data-video-divisor="1"]', { timeout: 10000 });
  // …and the composite the browser receives shows it: not a black picture.
  const brightness = () => page.evaluate(() => {
    const v = document.getElementById('remote-video');
    if (!v || !v.videoWidth) return 0;
    const c = document.createElement('canvas');
    c.width = 64; c.height = 36;
    const g = c.getContext('2d');
    g.drawImage(v, 0, 0, 64, 36);
    const d = g.getImageData(0, 0, 64, 36).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
    return sum / (d.length / 4) / 3;
  });
  let mean = 0;
  const seen = Date.now() + 15000;
  while (Date.now() < seen && (mean = await brightness()) < 8) await new Promise((r) => setTimeout(r, 250));
  assert.ok(mean >= 8, `the composite the guest receives is not black (mean level ${mean.toFixed(1)})`);
  await fx.screenshot(page, 'join-connected');

  // Cancelling the meeting (it has not started yet) deletes the bridge
  // room; every peer gets `bye`: the page says ended.
  const cancelled = await apiCall(sched.url, token, 'DELETE', `/api/v1/meetings/${id}`);
  assert.ok([200, 204].includes(cancelled.status), JSON.stringify(cancelled.body));
  await page.waitForSelector('body[data-state="ended"]', { timeout: 30000 });
  await fx.screenshot(page, 'join-ended');
  assertNoConsoleErrors(assert, errors);
});
