// End-to-end test of vc-stack --sites 3 (issue #15 part 4): the province
// bridge and two more below it, each its own process, with four rooms
// spread over them (two on the province, one on each other site). A
// meeting of all four opens a room on each bridge; the child bridges link
// up to the province's. Checked through the scheduler's API and each
// bridge's own GET /rooms/{id} with its secret from the state folder.
// Every process started here is stopped in `after`, also when a check fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stackEnv, unexpectedCriticals } from './children.mjs';

const BUILD = process.env.VC_BUILD_DIR ?? new URL('../../build', import.meta.url).pathname;
const ROOMS = 4;
const SITES = 3;
const MEETING_SECONDS = 240; // long enough for the uplinks on a loaded machine

let stack;
let stateDir;
let web;
let adminToken;
const bridges = {}; // site code -> http://127.0.0.1:PORT
const stackLog = [];

async function until(fn, what, ms, every = 250) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last && last.ok !== false) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last?.why ?? last)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

async function api(method, path, body) {
  const res = await fetch(web + path, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* empty */ }
  return { status: res.status, json, text };
}

async function endpoints() {
  const r = await api('GET', '/api/v1/endpoints');
  assert.equal(r.status, 200, r.text);
  return Array.isArray(r.json) ? r.json : r.json.endpoints;
}

// The secret of a site's bridge, from the stack's state folder.
function secretOf(site) {
  const dir = site === 'province' ? stateDir : join(stateDir, site);
  return readFileSync(join(dir, 'secret'), 'utf8').trim();
}

// GET /rooms/{id} on a site's bridge: null unless 200.
async function bridgeRoom(site, id) {
  const res = await fetch(`${bridges[site]}/rooms/${id}`, { headers: { Authorization: `Bearer ${secretOf(site)}` } });
  if (res.status !== 200) return null;
  return res.json();
}

// The site each room is homed on, from the roster copy vc-stack wrote.
function homes() {
  const map = {};
  let code = null;
  for (const line of readFileSync(join(stateDir, 'roster.ini'), 'utf8').split('\n')) {
    const g = line.match(/^\[endpoint:([^\]]+)\]/);
    if (g) { code = g[1]; continue; }
    if (/^\[/.test(line)) { code = null; continue; }
    const s = line.match(/^site=(\S+)/);
    if (s && code) map[code] = s[1];
  }
  return map;
}

function pidsUnder(dir) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(dir) && Number(entry) !== process.pid) pids.push(Number(entry));
    } catch { /* gone already */ }
  }
  return pids;
}

function isoIn(seconds) {
  return new Date(Math.ceil(Date.now() / 1000 + seconds) * 1000).toISOString().replace('.000Z', 'Z');
}

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'vc-e2e-sites-'));
  stack = spawn(join(BUILD, 'vc-stack'),
    ['--sites', String(SITES), '--rooms', String(ROOMS), '--state-dir', stateDir, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: stackEnv() });
  stack.stderr.on('data', (d) => stackLog.push(d.toString()));
  const lines = createInterface({ input: stack.stdout });
  const exited = new Promise((_, reject) => stack.once('exit', (code, sig) =>
    reject(new Error(`vc-stack exited early (${code ?? sig}): ${stackLog.join('')}`))));
  const ready = new Promise((resolve) => {
    lines.on('line', (line) => {
      stackLog.push(line + '\n');
      const tok = line.match(/^admin-token: (\S+)/);
      if (tok) adminToken = tok[1];
      const br = line.match(/^bridge(?: (\S+))?: (http:\/\/\S+)/);
      if (br) bridges[br[1] ?? 'province'] = br[2];
      const m = line.match(/^vc-stack ready: web UI at (http:\/\/[^/\s]+)/);
      if (m) resolve(m[1]);
    });
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`vc-stack not ready in 120 s: ${stackLog.join('')}`)), 120000);
  });
  web = await Promise.race([ready, exited, timeout]);
  clearTimeout(timer);
  exited.catch(() => {});
  assert.ok(adminToken, 'vc-stack printed an admin token');
});

after(async () => {
  if (stack && (stack.exitCode !== null || stack.signalCode !== null)) {
    console.error(`vc-stack exited during the tests (${stack.exitCode ?? stack.signalCode}):\n${stackLog.join('')}`);
  }
  if (stack && stack.exitCode === null && stack.signalCode === null) {
    const gone = new Promise((r) => stack.once('exit', r));
    stack.kill('SIGTERM');
    const t = setTimeout(() => stack.kill('SIGKILL'), 20000);
    await gone;
    clearTimeout(t);
  }
  const left = stateDir ? pidsUnder(stateDir) : [];
  for (const pid of left) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  const criticals = stateDir ? unexpectedCriticals(stateDir) : [];
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  assert.deepEqual(left, [], 'vc-stack left no process behind');
  assert.deepEqual(criticals, [], 'no child printed a critical (but the known upstream one)');
});

test('--sites 0, x, 100: a clear error, exit 64, nothing started', () => {
  for (const bad of ['0', 'x', '100']) {
    const dir = mkdtempSync(join(tmpdir(), 'vc-e2e-sites-bad-'));
    try {
      const r = spawnSync(join(BUILD, 'vc-stack'), ['--sites', bad, '--state-dir', join(dir, 'state')],
        { encoding: 'utf8', env: stackEnv(), timeout: 30000 });
      assert.equal(r.status, 64, `--sites ${bad}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`--sites '${bad}': give a whole number from 1 to 16`));
      assert.deepEqual(readdirSync(dir), [], `--sites ${bad} made no state folder`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('three bridge sites: each its own process and port, answering its own secret', async () => {
  assert.deepEqual(Object.keys(bridges).sort(), ['province', 'site-2', 'site-3'], stackLog.join(''));
  assert.equal(new Set(Object.values(bridges)).size, SITES, 'each bridge has its own port');
  for (const site of Object.keys(bridges)) {
    const ok = await fetch(`${bridges[site]}/rooms`, { headers: { Authorization: `Bearer ${secretOf(site)}` } });
    assert.equal(ok.status, 200, `${site} answers its own secret`);
    const other = site === 'province' ? 'site-2' : 'province';
    const no = await fetch(`${bridges[site]}/rooms`, { headers: { Authorization: `Bearer ${secretOf(other)}` } });
    assert.equal(no.status, 401, `${site} refuses ${other}'s secret`);
  }
  const bridgePids = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      return cmd.includes(stateDir) && cmd.includes('vc-bridge');
    } catch { return false; }
  });
  assert.equal(bridgePids.length, SITES, 'one vc-bridge process per site');
});

test('a meeting of rooms on three sites: every room joins, the child sites link up to the province', { timeout: 300000 }, async () => {
  const rooms = (await endpoints()).filter((e) => e.online).map((e) => e.code);
  assert.equal(rooms.length, ROOMS, 'every agent is online');
  const home = homes();
  const roomSite = Object.fromEntries(rooms.map((c) => [c, home[c]]));
  assert.deepEqual([...new Set(Object.values(roomSite))].sort(), ['province', 'site-2', 'site-3'],
    `the rooms span the three sites: ${JSON.stringify(roomSite)}`);
  for (const c of rooms) {
    const level = (await endpoints()).find((e) => e.code === c)?.level;
    if (['province', 'department', 'central'].includes(level)) assert.equal(roomSite[c], 'province', `${c} (${level})`);
  }

  const start = isoIn(6);
  const end = new Date(Date.parse(start) + MEETING_SECONDS * 1000).toISOString().replace('.000Z', 'Z');
  const booked = await api('POST', '/api/v1/meetings', {
    title: 'Họp ba điểm cầu (kiểm thử đầu cuối)', unit: 'ubnd-tinh', chair: 'ubnd-tinh', endpoints: rooms, start, end,
  });
  assert.equal(booked.status, 201, booked.text);
  const id = booked.json.id;

  // Every room joins: in its meeting for the scheduler, and present in the
  // attendance with a join time.
  await until(async () => {
    const list = await endpoints();
    const out = list.filter((e) => rooms.includes(e.code) && !e.in_meeting).map((e) => e.code);
    return out.length === 0 || { ok: false, why: { not_in_meeting: out } };
  }, 'every room in the meeting', 150000);
  await until(async () => {
    const r = await api('GET', `/api/v1/meetings/${id}/attendance`);
    if (r.status !== 200) return { ok: false, why: r.text };
    const list = r.json.endpoints ?? r.json.attendance;
    const joined = list.filter((a) => a.joined_at && a.status === 'present').map((a) => a.endpoint);
    return rooms.every((c) => joined.includes(c)) || { ok: false, why: list };
  }, 'every room present in the attendance', 60000);

  // Each child site's bridge has the meeting's room, with its own room in
  // it and its uplink to the province connected.
  for (const site of ['site-2', 'site-3']) {
    await until(async () => {
      const room = await bridgeRoom(site, id);
      if (!room) return { ok: false, why: `${site}: no room ${id}` };
      const codes = room.participants.filter((p) => !p.link).map((p) => p.endpoint);
      const mine = rooms.filter((c) => roomSite[c] === site);
      const ok = room.uplink && room.uplink.state === 'connected' && mine.every((c) => codes.includes(c));
      return ok || { ok: false, why: { site, uplink: room.uplink, participants: codes } };
    }, `${site}'s uplink connected`, 150000, 500);
  }

  // The province's room lists both child sites as connected link
  // participants, and its own rooms.
  await until(async () => {
    const room = await bridgeRoom('province', id);
    if (!room) return { ok: false, why: 'no province room' };
    const links = room.participants.filter((p) => p.link && p.connected).map((p) => p.endpoint).sort();
    const codes = room.participants.filter((p) => !p.link).map((p) => p.endpoint);
    const mine = rooms.filter((c) => roomSite[c] === 'province');
    const ok = JSON.stringify(links) === JSON.stringify(['site-site-2', 'site-site-3'])
      && mine.every((c) => codes.includes(c));
    return ok || { ok: false, why: room.participants };
  }, 'the province room lists the two child sites as links', 60000, 500);

  const del = await api('DELETE', `/api/v1/meetings/${id}`);
  assert.ok(del.status === 200 || del.status === 204, del.text);
});

test('kill -9 of a child site bridge: vc-stack starts it again on the same address', { timeout: 120000 }, async () => {
  const bridgesOf = (site) => readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      return cmd.some((a) => a.endsWith('vc-bridge')) && cmd.includes(join(stateDir, site, 'bridge.ini'));
    } catch { return false; }
  }).map(Number);
  const [old, ...others] = bridgesOf('site-2');
  assert.ok(old && others.length === 0, 'one site-2 bridge process');
  process.kill(old, 'SIGKILL');
  await until(async () => {
    const now = bridgesOf('site-2');
    return (now.length === 1 && now[0] !== old) || { ok: false, why: now };
  }, 'a new site-2 bridge process', 60000, 100);
  await until(async () => {
    try {
      const r = await fetch(`${bridges['site-2']}/rooms`, {
        headers: { Authorization: `Bearer ${secretOf('site-2')}` }, signal: AbortSignal.timeout(2000),
      });
      return r.status === 200 || { ok: false, why: r.status };
    } catch (e) { return { ok: false, why: String(e) }; }
  }, 'the new site-2 bridge answers on its old address', 60000, 100);
  assert.equal(stack.exitCode, null, 'vc-stack runs on');
  assert.match(stackLog.join('') + readFileSync(join(stateDir, 'logs', 'vc-bridge-site-2.log'), 'utf8'),
    /vc-bridge-site-2.*signal 9|killed by signal 9/);
});
