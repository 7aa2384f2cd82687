// Issue #17: the administrator's holidays page. In Vietnamese at 1366×768:
// 2027's calendar is incomplete (warned), its Tết computed and marked
// provisional; the administrator enters the official Tết, which replaces
// the provisional days at once (the page, the API and the calendar's
// header), changes it, is refused an overlapping entry and a bad date in
// Vietnamese with nothing stored, and deletes it (the provisional break is
// back). In English at phone size: a provisional entry with an English
// name. A secretariat sees the year read-only, without the menu link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Fixture, missingBinaries, apiCall, signIn, assertNoConsoleErrors } from './helpers.mjs';

const fx = new Fixture('holidays');
let sched;
let admin;
let secretariat;
before(async () => {
  const missing = await missingBinaries('scheduler');
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}`);
  await fx.init();
  sched = await fx.startScheduler();
  admin = await sched.token({ role: 'admin', name: 'Quản trị' });
  secretariat = await sched.token({ role: 'secretariat', unit: 'ubnd-tinh', name: 'Văn phòng UBND tỉnh' });
});
after(() => fx.stopAll());

const year2027 = async () => (await apiCall(sched.url, admin, 'GET', '/api/v1/holidays?year=2027')).body;
const day = (answer, date) => answer.holidays.find((x) => x.date === date);
// A refused write answers 409/422, which Chromium logs as a failed resource.
const unexpected = (errors) => errors.filter((e) => !/status of (409|422)/.test(e));

test('vi, desktop: the admin enters, changes and deletes the official Tết 2027', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser();
  await signIn(page, sched.url, admin);
  await page.locator('#nav a[href="#/holidays"]').click();
  await page.waitForSelector('#main > .page[data-page="holidays"][data-loaded]', { state: 'attached' });
  await page.goto(`${sched.url}/#/holidays?year=2027`);
  await page.locator('#hol-year').waitFor();
  await page.waitForFunction(() => document.querySelector('#hol-year')?.value === '2027'
    && document.querySelector('#hol-table'));

  // Incomplete: Tết and Giỗ Tổ computed, marked provisional.
  assert.match(await page.locator('#hol-incomplete').innerText(), /2027.*Tết Nguyên Đán.*Giỗ Tổ Hùng Vương/s);
  const computed = page.locator('#hol-table tr[data-source="computed"][data-provisional="true"]').first();
  assert.match(await computed.innerText(), /05\/02\/2027 – 09\/02\/2027[\s\S]*Tết Nguyên Đán[\s\S]*Dự kiến[\s\S]*Tính theo âm lịch/);
  assert.equal(await page.locator('#hol-table tr[data-source="file"] button').count(), 0, 'the file\'s days are not editable here');

  // Enter the official break.
  const form = page.locator('#hol-form');
  await form.locator('input[name="start"]').fill('05/02/2027');
  await form.locator('input[name="end"]').fill('10/02/2027');
  await form.locator('input[name="name"]').fill('Tết Nguyên Đán (Đinh Mùi)');
  await form.locator('input[name="name_en"]').fill('Lunar New Year');
  await form.locator('button[type="submit"]').click();
  const entered = page.locator('#hol-table tr[data-source="admin"]');
  await entered.waitFor();
  assert.match(await entered.innerText(), /05\/02\/2027 – 10\/02\/2027[\s\S]*Tết Nguyên Đán \(Đinh Mùi\)[\s\S]*Chính thức[\s\S]*Quản trị nhập/);
  assert.equal(await page.locator('#hol-table tr[data-source="computed"]', { hasText: 'Tết' }).count(), 0);
  assert.doesNotMatch(await page.locator('#hol-incomplete').innerText(), /Tết/);
  let answer = await year2027();
  assert.equal(day(answer, '2027-02-08').source, 'admin');
  assert.equal(day(answer, '2027-02-08').provisional, false);
  assert.deepEqual(answer.missing, ['hung_kings']);

  // At once on the calendar: the week of Tết names the official break.
  await page.goto(`${sched.url}/#/calendar?week=08/02/2027`);
  const head = page.locator('#calendar thead th[data-day="2027-02-08"]');
  await head.waitFor();
  assert.match(await head.innerText(), /Tết Nguyên Đán \(Đinh Mùi\)/);
  assert.doesNotMatch(await head.innerText(), /dự kiến/);

  // Change it: two more days.
  await page.goto(`${sched.url}/#/holidays?year=2027`);
  await page.locator('#hol-table tr[data-source="admin"] button.hol-edit').click();
  assert.equal(await form.locator('input[name="start"]').inputValue(), '05/02/2027');
  await form.locator('input[name="end"]').fill('12/02/2027');
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(() => /12\/02\/2027/.test(document.querySelector('#hol-table tr[data-source="admin"]')?.textContent || ''));
  answer = await year2027();
  assert.equal(answer.entries.length, 1);
  assert.equal(answer.entries[0].end, '2027-02-12');

  // Refused in Vietnamese, nothing stored: an overlap, then a date that does not exist.
  await form.locator('input[name="start"]').fill('11/02/2027');
  await form.locator('input[name="end"]').fill('');
  await form.locator('input[name="name"]').fill('Nghỉ bù');
  await form.locator('button[type="submit"]').click();
  await page.locator('#hol-form-status .msg-error').waitFor();
  assert.match(await page.locator('#hol-form-status').innerText(), /đã có trong một ngày nghỉ khác/);
  await form.locator('input[name="start"]').fill('31/02/2027');
  await form.locator('button[type="submit"]').click();
  await page.waitForFunction(() => /dd\/mm\/yyyy/.test(document.querySelector('#hol-form-status')?.textContent || ''));
  assert.equal((await year2027()).entries.length, 1);
  await fx.screenshot(page, 'holidays-admin');

  // Delete: the provisional break is back.
  page.once('dialog', (d) => d.accept());
  await page.locator('#hol-table tr[data-source="admin"] button.hol-delete').click();
  await page.locator('#hol-table tr[data-source="computed"]', { hasText: 'Tết' }).waitFor();
  assert.equal(await page.locator('#hol-table tr[data-source="admin"]').count(), 0);
  answer = await year2027();
  assert.equal(day(answer, '2027-02-08').source, 'computed');
  assert.deepEqual(answer.entries, []);
  assertNoConsoleErrors(assert, unexpected(errors));
});

test('en, phone: a provisional entry with its English name; a secretariat reads only', { timeout: 180000 }, async () => {
  const { page, errors } = await fx.browser({ viewport: { width: 390, height: 844 } });
  await signIn(page, sched.url, admin);
  await page.locator('#lang-toggle').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await page.goto(`${sched.url}/#/holidays?year=2028`);
  await page.locator('#hol-form').waitFor();
  assert.match(await page.locator('h1').innerText(), /Public holidays/);
  assert.match(await page.locator('#hol-incomplete').innerText(), /2028/);
  const form = page.locator('#hol-form');
  await form.locator('input[name="start"]').fill('24/01/2028');
  await form.locator('input[name="end"]').fill('30/01/2028');
  await form.locator('input[name="name"]').fill('Tết Mậu Thân (dự kiến của tỉnh)');
  await form.locator('input[name="name_en"]').fill('Lunar New Year (expected)');
  await form.locator('#hol-official').uncheck();
  await form.locator('button[type="submit"]').click();
  const row = page.locator('#hol-table tr[data-source="admin"]');
  await row.waitFor();
  assert.match(await row.innerText(), /24\/01\/2028 – 30\/01\/2028[\s\S]*Lunar New Year \(expected\)[\s\S]*Provisional/);
  assert.equal(await row.getAttribute('data-provisional'), 'true');
  // The calendar names it in English, marked provisional.
  await page.goto(`${sched.url}/#/calendar?week=24/01/2028`);
  const head = page.locator('#calendar thead th[data-day="2028-01-26"]');
  await head.waitFor();
  assert.match(await head.innerText(), /Lunar New Year \(expected\)[\s\S]*provisional/);
  await page.goto(`${sched.url}/#/holidays?year=2028`);
  await row.waitFor();
  // The computed Tết is replaced; the year still lacks an official one.
  assert.equal(await page.locator('#hol-table tr[data-source="computed"]', { hasText: 'Tết' }).count(), 0);
  assert.match(await page.locator('#hol-incomplete').innerText(), /Lunar New Year|Tết/);
  // Fits the phone: no sideways scroll of the page itself.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await fx.screenshot(page, 'holidays-en-phone');
  assertNoConsoleErrors(assert, unexpected(errors));

  const reader = await fx.browser();
  await signIn(reader.page, sched.url, secretariat);
  await reader.page.goto(`${sched.url}/#/holidays?year=2028`);
  await reader.page.locator('#hol-table tr[data-source="admin"]').waitFor();
  assert.equal(await reader.page.locator('#hol-form').count(), 0);
  assert.equal(await reader.page.locator('#hol-table button').count(), 0);
  assert.equal(await reader.page.locator('#nav a[href="#/holidays"]').count(), 0);
  assertNoConsoleErrors(assert, reader.errors);
});
