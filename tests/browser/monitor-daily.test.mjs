// Issue #17, finding 7 and the live monitor: guests who left are gone,
// rooms that are not connected are greyed and have no controls, two joins
// from one link are one row, the chair is marked and first, the time left
// is shown, and who may gets "+15 / +30 phút" and "Kết thúc ngay" (the
// extension goes through the real API). The bridge's room is what the
// scheduler reports in GET /api/v1/monitor, replaced here by a fixed answer
// (Playwright's route) for a meeting booked for real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Fixture, missingBinaries, apiCall, signIn, iso, assertNoConsoleErrors } from './helpers.mjs';

const fx = new Fixture('monitor-daily');
let sched;
let token;
let meeting;
let rooms;
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
  sched = await fx.startScheduler();
  token = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
  rooms = (await apiCall(sched.url, token, 'GET', '/api/v1/endpoints')).body.endpoints;
  const chair = rooms.find((e) => e.unit === 'ubnd-tinh' && e.level === 'province');
  const [d1, d2] = rooms.filter((e) => e.level === 'district');
  const start = new Date(Date.now() + 120000);
  const r = await apiCall(sched.url, token, 'POST', '/api/v1/meetings', {
    title: 'Giao ban trực tuyến', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, d1.code, d2.code],
    start: iso(start), end: iso(new Date(start.getTime() + 40 * 60000)),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  meeting = r.body;
});
after(() => fx.stopAll());

function participant(endpoint, name, extra = {}) {
  return {
    endpoint, name, guest: false, connected: true, speaking: false, muted: false,
    loss: 0, jitter_ms: 3, bitrate_kbps: 900, ...extra,
  };
}

/** The monitor's answer with the real rooms and the booked meeting "under way". */
async function monitorAnswer() {
  const real = (await apiCall(sched.url, token, 'GET', '/api/v1/monitor')).body;
  const now = (await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${meeting.id}`)).body;
  const [chair, d1, d2] = now.endpoints;
  const guest = { guest: true };
  return {
    endpoints: real.endpoints,
    meetings: [{
      id: now.id, title: now.title, unit: now.unit, chair: now.chair, start: now.start, end: now.end,
      room: {
        id: String(now.id), layout: 'grid', chair: now.chair,
        participants: [
          participant(d1, 'Điểm cầu 1'),
          participant(d2, 'Điểm cầu 2', { connected: false }),
          participant(chair, 'Chủ trì'),
          participant('guest-aaaa0001', 'Khách đã rời', { ...guest, connected: false }),
          participant('guest-bbbb0002', 'Đ/c Lãnh đạo', { ...guest, connected: false }),
          participant('guest-bbbb0002', 'Đ/c Lãnh đạo', guest),
        ],
      },
    }],
  };
}

async function openMonitor(page, lang) {
  await page.route('**/api/v1/monitor', async (route) => route.fulfill({ json: await monitorAnswer() }));
  await signIn(page, sched.url, token);
  if (lang === 'en') {
    await page.locator('#lang-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }
  await page.goto(`${sched.url}/#/monitor`);
  const card = page.locator(`article.meeting-card[data-meeting="${meeting.id}"]`);
  await card.waitFor();
  return card;
}

test('vi, desktop: left guests gone, absent rooms greyed without controls, chair first, time left, extend', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser();
  const card = await openMonitor(page, 'vi');
  const rows = card.locator('tbody tr');
  assert.equal(await rows.count(), 4, await card.innerText());
  assert.equal(await card.locator('tr[data-endpoint="guest-aaaa0001"]').count(), 0);
  assert.equal(await card.locator('tr[data-endpoint="guest-bbbb0002"]').count(), 1);
  assert.equal(await card.locator('tr[data-endpoint="guest-bbbb0002"]').getAttribute('data-connected'), 'true');
  // The chair first, marked.
  assert.equal(await rows.first().getAttribute('data-chair'), 'true');
  assert.match(await rows.first().innerText(), /Chủ trì/);
  // A room not connected: greyed, no mute or floor.
  const absent = card.locator('tr[data-connected="false"]');
  assert.equal(await absent.count(), 1);
  assert.match(await absent.getAttribute('class'), /left/);
  assert.equal(await absent.locator('button').count(), 0);
  assert.equal(await card.locator('tr[data-connected="true"] td.controls button').count(), 6);
  // Time left, and the extension through the API.
  assert.match(await card.locator('.remaining').innerText(), /^Còn \d+ phút$/);
  await fx.screenshot(page, 'monitor-meeting');
  await card.locator('button[data-extend="15"]').click();
  await page.locator('.form-status .msg-ok').waitFor();
  const now = (await apiCall(sched.url, token, 'GET', `/api/v1/meetings/${meeting.id}`)).body;
  assert.equal(Date.parse(now.end) - Date.parse(meeting.end), 15 * 60000);
  assert.equal(await card.locator('button[data-action="end"]').count(), 1);
  assertNoConsoleErrors(assert, errors);
});

test('en, phone: the same card in English', { timeout: 120000 }, async () => {
  const { page, errors } = await fx.browser({ viewport: { width: 390, height: 844 } });
  const card = await openMonitor(page, 'en');
  assert.match(await card.locator('.remaining').innerText(), /^\d+ min left$/);
  assert.match(await card.locator('tbody tr').first().innerText(), /Chair/);
  assert.equal(await card.locator('tbody tr').count(), 4);
  await fx.screenshot(page, 'monitor-meeting-phone');
  assertNoConsoleErrors(assert, errors);
});
