// Issue #17, finding 8: the guest's join page. It names the meeting by its
// title (not "Cuộc họp số 292"), says when a meeting that has not started
// starts, puts the guest's own picture beside the meeting's (not over a
// tile of it, at desktop and phone sizes), and after "Rời cuộc họp" or when
// the same link is opened in another window says so — not "Cuộc họp đã kết
// thúc" in red. The bridge's signalling is replaced by Playwright's
// routeWebSocket (its `bye` messages are those of docs/protocol.md §3); the
// scheduler and its join API are real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Fixture, missingBinaries, apiCall, signIn, iso, assertNoConsoleErrors } from './helpers.mjs';

const fx = new Fixture('join-daily');
let sched;
let link;
let meeting;
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
  // A bridge address nothing listens on: the page never reaches it, its
  // WebSocket is answered by the test.
  sched = await fx.startScheduler({ bridgeUrl: 'http://127.0.0.1:9', bridgeSecret: `s-${Date.now()}-${Math.random()}` });
  const token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  const rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
  const chair = rooms.find((e) => e.unit === 'ubnd-tinh' && e.level === 'province');
  const guest = rooms.find((e) => e.level === 'district');
  const start = new Date(Date.now() + 30 * 60000);
  const r = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
    title: 'Hội nghị sơ kết 6 tháng', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, guest.code],
    start: iso(start), end: iso(new Date(start.getTime() + 3600000)),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  meeting = r.body;
  const l = await apiCall(sched.url, token, 'POST', `/api/v1/monitor/meetings/${meeting.id}/join-links`, { name: 'Đ/c Lãnh đạo' });
  assert.equal(l.status, 201, JSON.stringify(l.body));
  link = new URL(l.body.url, sched.url).toString();
});
after(() => fx.stopAll());

/** A page whose bridge WebSocket is the test's: `onOpen(ws)` when it opens. */
async function joinPage(opts, onOpen = () => {}) {
  const { page, errors } = await fx.browser(opts);
  let opened = 0;
  await page.routeWebSocket(/\/rooms\/\d+\/signal/, (ws) => { opened += 1; onOpen(ws); });
  return { page, errors, opened: () => opened };
}

function overlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function assertVideosApart(page) {
  const remote = await page.locator('#remote-video').boundingBox();
  const local = await page.locator('#local-video').boundingBox();
  assert.ok(remote && local, 'both videos are laid out');
  assert.equal(overlap(remote, local), false, `local ${JSON.stringify(local)} over remote ${JSON.stringify(remote)}`);
}

test('vi, desktop: title, start time, videos apart; "Rời cuộc họp" is not "the meeting ended"', { timeout: 120000 }, async () => {
  const { page, errors, opened } = await joinPage({});
  await page.goto(link);
  await page.locator('#join-title').filter({ hasText: 'Hội nghị sơ kết 6 tháng' }).waitFor();
  assert.doesNotMatch(await page.locator('.join-page').innerText(), /Cuộc họp số/);
  const when = await page.locator('#join-when').innerText();
  assert.match(when, /bắt đầu lúc \d{2}:\d{2} ngày \d{2}\/\d{2}\/\d{4}/);
  assert.equal(await page.evaluate(() => document.body.dataset.waiting), 'true');
  await assertVideosApart(page);
  await page.waitForFunction(() => document.body.dataset.state === 'connecting');
  await fx.screenshot(page, 'join-waiting');
  await page.locator('#leave').click();
  await page.waitForFunction(() => document.body.dataset.state === 'ended');
  assert.equal(await page.evaluate(() => document.body.dataset.ended), 'left');
  const state = await page.locator('#join-state').innerText();
  assert.equal(state, 'Bạn đã rời cuộc họp');
  const color = await page.locator('#join-state').evaluate((el) => getComputedStyle(el).color);
  assert.notEqual(color, 'rgb(176, 40, 47)', 'not the error red');
  assert.ok(opened() >= 1, 'the page opened the (mocked) signalling socket');
  assertNoConsoleErrors(assert, errors);
});

test('vi: the same link in a second window: the first says it moved, not that the meeting ended', { timeout: 120000 }, async () => {
  const { page, errors } = await joinPage({}, (ws) => {
    ws.send(JSON.stringify({ type: 'bye', reason: 'replaced' }));
  });
  await page.goto(link);
  await page.waitForFunction(() => document.body.dataset.state === 'ended');
  assert.equal(await page.evaluate(() => document.body.dataset.ended), 'replaced');
  assert.equal(await page.locator('#join-state').innerText(), 'Đã chuyển sang cửa sổ khác');
  assert.doesNotMatch(await page.locator('.join-page').innerText(), /Cuộc họp đã kết thúc/);
  assertNoConsoleErrors(assert, errors);
});

test('en, phone: the videos stay apart and the wording is English', { timeout: 120000 }, async () => {
  const { page, errors } = await joinPage({ viewport: { width: 390, height: 844 } }, (ws) => {
    ws.send(JSON.stringify({ type: 'bye', reason: 'room-closed' }));
  });
  await page.addInitScript(() => localStorage.setItem('vc.lang', 'en'));
  await page.goto(link);
  await page.locator('#join-title').filter({ hasText: 'Meeting: Hội nghị sơ kết 6 tháng' }).waitFor();
  await assertVideosApart(page);
  await fx.screenshot(page, 'join-phone');
  await page.waitForFunction(() => document.body.dataset.state === 'ended');
  // A closed room is the one case that says the meeting is over.
  assert.equal(await page.evaluate(() => document.body.dataset.ended), 'closed');
  assert.equal(await page.locator('#join-state').innerText(), 'The meeting has ended');
  assertNoConsoleErrors(assert, errors);
});
