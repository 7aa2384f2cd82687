// Accessibility (issue #17): axe-core (npm, run in the page through
// Playwright's evaluate, which the Content-Security-Policy does not govern)
// checks every page — sign-in, week and day calendar, the meeting dialog,
// the booking form with a series preview, statistics, monitor, the roster,
// the holidays page (an administrator's, with an entry to edit) and the
// guest's join page — at 1366×768 and at phone size, in Vietnamese and in
// English. No violation of impact "serious" or "critical" is allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  Fixture, missingBinaries, apiCall, signIn, futureWorkday, vnInstant, iso, ddmmyyyy,
} from './helpers.mjs';

const require = createRequire(import.meta.url);
const fx = new Fixture('axe');
let axeSource;
let sched;
let tokens;
let meeting;
let joinLink;
let day;

before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await fx.init();
  sched = await fx.startScheduler({ bridgeUrl: 'http://127.0.0.1:9', bridgeSecret: `axe-${Date.now()}-${Math.random()}` });
  tokens = {
    secretariat: await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' }),
    manager: await sched.token({ role: 'manager', name: 'Lãnh đạo Sở' }),
    admin: await sched.token({ role: 'admin', name: 'Quản trị' }),
  };
  const entry = await apiCall(sched.url, tokens.admin, 'POST', '/api/v1/holidays',
    { start: '2027-02-05', end: '2027-02-10', name: 'Tết Nguyên Đán', name_en: 'Lunar New Year' });
  assert.equal(entry.status, 201, JSON.stringify(entry.body));
  const rooms = (await apiCall(sched.url, tokens.secretariat, 'GET', '/api/v1/endpoints')).body.endpoints;
  const chair = rooms.find((e) => e.unit === 'ubnd-tinh' && e.level === 'province');
  const guest = rooms.find((e) => e.level === 'district');
  day = futureWorkday(7);
  const r = await apiCall(sched.url, tokens.secretariat, 'POST', '/api/v1/meetings', {
    title: 'Giao ban trực tuyến', unit: 'ubnd-tinh', chair: chair.code, endpoints: [chair.code, guest.code],
    start: iso(vnInstant(day.y, day.m, day.d, 9)), end: iso(vnInstant(day.y, day.m, day.d, 10)),
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  meeting = r.body;
  const l = await apiCall(sched.url, tokens.secretariat, 'POST', `/api/v1/monitor/meetings/${meeting.id}/join-links`, { name: 'Khách mời' });
  assert.equal(l.status, 201, JSON.stringify(l.body));
  joinLink = new URL(l.body.url, sched.url).toString();
});
after(() => fx.stopAll());

/** Serious and critical violations on the page as it is now. */
async function check(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  return bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function ready(page, selector) {
  await page.locator(selector).first().waitFor();
}

async function visitAll(page, label) {
  const found = [];
  await page.goto(`${sched.url}/#/login`);
  await ready(page, 'input[name="token"]');
  found.push(...await check(page, `${label} login`));
  // The check can fail: a button without a name is reported (then the page
  // is loaded afresh).
  await page.evaluate(() => document.getElementById('main').append(document.createElement('button')));
  const planted = await check(page, 'planted');
  assert.ok(planted.some((v) => v.includes('button-name')), `axe saw: ${planted.join('\n')}`);

  await signIn(page, sched.url, tokens.secretariat);
  await page.goto(`${sched.url}/#/calendar?week=${encodeURIComponent(ddmmyyyy(day))}`);
  await ready(page, '#calendar');
  found.push(...await check(page, `${label} calendar week`));
  await page.locator(`#calendar button.chip[data-meeting="${meeting.id}"]`).first().click();
  await ready(page, 'dialog[open]');
  found.push(...await check(page, `${label} meeting dialog`));
  await page.keyboard.press('Escape');
  await page.goto(`${sched.url}/#/calendar?view=day&day=${encodeURIComponent(ddmmyyyy(day))}`);
  await ready(page, '#calendar.day-view');
  found.push(...await check(page, `${label} calendar day`));

  await page.goto(`${sched.url}/#/book`);
  await ready(page, '#booking-form');
  await page.locator('input[name="title"]').fill('Giao ban');
  await page.locator('fieldset.room-group input[type="checkbox"]:not(:disabled)').nth(3).check();
  await page.locator('input[name="date"]').fill(ddmmyyyy(day));
  await page.locator('input[name="start"]').fill('14:00');
  await page.locator('input[name="end"]').fill('15:00');
  await page.locator('select[name="freq"]').selectOption('weekly');
  await ready(page, '#series-preview tbody tr');
  found.push(...await check(page, `${label} booking with series preview`));

  await page.goto(`${sched.url}/#/monitor`);
  await ready(page, '#monitor-rooms tbody tr');
  found.push(...await check(page, `${label} monitor`));

  await page.evaluate(() => sessionStorage.clear());
  await signIn(page, sched.url, tokens.manager);
  await page.goto(`${sched.url}/#/stats`);
  await page.waitForSelector('#main > .page[data-page="stats"][data-loaded]', { state: 'attached' });
  found.push(...await check(page, `${label} statistics`));

  await page.goto(`${sched.url}/#/roster`);
  await page.waitForSelector('#main > .page[data-page="roster"][data-loaded]', { state: 'attached' });
  found.push(...await check(page, `${label} roster`));

  await page.evaluate(() => sessionStorage.clear());
  await signIn(page, sched.url, tokens.admin);
  await page.goto(`${sched.url}/#/holidays?year=2027`);
  await ready(page, '#hol-table tr[data-source="admin"] button.hol-edit');
  await page.locator('#hol-table tr[data-source="admin"] button.hol-edit').click();
  found.push(...await check(page, `${label} holidays`));

  await page.goto(joinLink);
  await ready(page, '#join-title');
  found.push(...await check(page, `${label} join`));
  return found;
}

for (const [lang, viewport] of [['vi', { width: 1366, height: 768 }], ['en', { width: 390, height: 844 }], ['vi', { width: 360, height: 740 }], ['en', { width: 1366, height: 768 }]]) {
  test(`axe-core: every page, ${lang}, ${viewport.width}×${viewport.height}`, { timeout: 240000 }, async () => {
    const { page } = await fx.browser({ viewport });
    // The guest page opens a WebSocket to the (absent) bridge: answered here.
    await page.routeWebSocket(/\/rooms\/\d+\/signal/, () => {});
    await page.addInitScript((l) => localStorage.setItem('vc.lang', l), lang);
    const found = await visitAll(page, `${lang} ${viewport.width}px`);
    assert.deepEqual(found, [], found.join('\n'));
  });
}
