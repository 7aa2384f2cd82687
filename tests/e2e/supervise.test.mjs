// vc-stack as a supervisor (issue #12, findings 5 and 6): its state folder
// is private (0700, every file 0600: the shared secret, the rooms' tokens,
// the databases), and when the bridge is killed in a running meeting
// vc-stack stays up, starts a new bridge on the same address, and the rooms
// rejoin the meeting with media flowing again. Every process started here
// is stopped in `after`, also when a check fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stackEnv, unexpectedCriticals } from './children.mjs';

const BUILD = process.env.VC_BUILD_DIR ?? new URL('../../build', import.meta.url).pathname;
const ROOMS = 3;

let stack;
let stateDir;
let web;
let bridgeUrl;
let adminToken;
const stackLog = [];

// Polls fn() until it returns a truthy value: waiting for a state checked
// through the API or /proc, not a sleep standing in for readiness.
async function until(fn, what, ms = 30000, every = 200) {
  const limit = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}\n${stackLog.join('').slice(-4000)}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

async function api(method, path, body) {
  const res = await fetch(web + path, {
    method,
    headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

// The processes whose command line names the state folder (every child of
// vc-stack has its --config there), optionally only those of one program.
function pidsUnder(dir, program = '') {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.includes(dir)) && (!program || argv[0].endsWith(`/${program}`))) pids.push(Number(entry));
    } catch { /* gone already */ }
  }
  return pids;
}

const isoIn = (seconds) => new Date(Math.ceil(Date.now() / 1000 + seconds) * 1000).toISOString().replace('.000Z', 'Z');

before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'vc-e2e-supervise-'));
  stack = spawn(join(BUILD, 'vc-stack'),
    ['--rooms', String(ROOMS), '--state-dir', stateDir, '--listen', '127.0.0.1:0'],
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
      const br = line.match(/^bridge: (http:\/\/\S+)/);
      if (br) bridgeUrl = br[1];
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
  assert.ok(adminToken && bridgeUrl, 'vc-stack printed its admin token and bridge');
});

after(async () => {
  if (stack && stack.exitCode === null && stack.signalCode === null) {
    const gone = new Promise((r) => stack.once('exit', r));
    stack.kill('SIGTERM');
    const t = setTimeout(() => stack.kill('SIGKILL'), 20000);
    await gone;
    clearTimeout(t);
  } else if (stack) {
    console.error(`vc-stack exited during the tests (${stack.exitCode ?? stack.signalCode}):\n${stackLog.join('')}`);
  }
  const left = stateDir ? pidsUnder(stateDir) : [];
  for (const pid of left) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  const criticals = stateDir ? unexpectedCriticals(stateDir) : [];
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  assert.deepEqual(left, [], 'vc-stack left no process behind');
  assert.deepEqual(criticals, [], 'no child printed a critical (but the known upstream one)');
});

test('the state folder is 0700 and every file in it 0600', () => {
  const wrong = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const mode = st.mode & 0o7777;
      if (st.isDirectory()) {
        if (mode !== 0o700) wrong.push(`${path} ${mode.toString(8)}`);
        walk(path);
      } else if (st.isFile() && mode !== 0o600) wrong.push(`${path} ${mode.toString(8)}`);
    }
  };
  assert.equal(lstatSync(stateDir).mode & 0o7777, 0o700);
  walk(stateDir);
  // The files that hold the secret or the data are certainly there.
  const names = readdirSync(stateDir);
  for (const f of ['secret', 'bridge.ini', 'scheduler.ini', 'vc-scheduler.db']) assert.ok(names.includes(f), `${f} in ${names}`);
  assert.deepEqual(wrong, [], 'folders 0700, files 0600');
});

test('kill -9 of the bridge in a meeting: vc-stack restarts it and the rooms rejoin', { timeout: 240000 }, async () => {
  const list = await api('GET', '/api/v1/endpoints');
  const rooms = (Array.isArray(list.json) ? list.json : list.json.endpoints).filter((e) => e.online).map((e) => e.code);
  assert.equal(rooms.length, ROOMS);
  const start = isoIn(5);
  const end = new Date(Date.parse(start) + 180000).toISOString().replace('.000Z', 'Z');
  const booked = await api('POST', '/api/v1/meetings', {
    title: 'Họp kiểm thử khởi động lại cầu', unit: 'ubnd-tinh', chair: rooms[0], endpoints: rooms, start, end,
  });
  assert.equal(booked.status, 201, booked.text);
  const id = booked.json.id;

  // Every room is in the meeting, with media both ways on the bridge.
  const participants = async () => {
    const m = await api('GET', '/api/v1/monitor');
    if (m.status !== 200) return null;
    const meeting = m.json.meetings.find((x) => x.id === id);
    return meeting && meeting.room ? meeting.room.participants : null;
  };
  const flowing = async () => {
    const p = await participants();
    return p && p.filter((x) => x.connected && x.rx_packets > 0 && x.tx_packets > 0).length === ROOMS && p;
  };
  await until(flowing, 'three rooms with media on the bridge', 90000, 250);

  const [oldBridge, ...others] = pidsUnder(stateDir, 'vc-bridge');
  assert.ok(oldBridge && others.length === 0, 'one bridge process');
  process.kill(oldBridge, 'SIGKILL');

  // A new bridge, on the same address, healthy.
  const newBridge = await until(() => {
    const p = pidsUnder(stateDir, 'vc-bridge');
    return p.length === 1 && p[0] !== oldBridge && p[0];
  }, 'a new bridge process', 30000, 100);
  assert.notEqual(newBridge, oldBridge);
  await until(async () => {
    try {
      const r = await fetch(`${bridgeUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      return r.status === 200;
    } catch { return false; }
  }, 'the new bridge answers /healthz', 30000, 100);
  assert.equal(stack.exitCode, null, 'vc-stack is still running');
  assert.equal(stack.signalCode, null);

  // The scheduler reopens the room on the new bridge, the rooms rejoin and
  // media flows again (the new bridge's counters start from zero).
  const again = await until(flowing, 'the three rooms back in the meeting with media', 90000, 250);
  const later = await until(async () => {
    const p = await participants();
    return p && p.every((x) => {
      const before = again.find((y) => y.endpoint === x.endpoint);
      return before && x.rx_packets > before.rx_packets && x.tx_packets > before.tx_packets;
    }) && p;
  }, 'media keeps flowing after the restart', 10000, 500);
  assert.equal(later.length, ROOMS);
  const rejoined = await api('GET', '/api/v1/endpoints');
  const inMeeting = (Array.isArray(rejoined.json) ? rejoined.json : rejoined.json.endpoints)
    .filter((e) => rooms.includes(e.code) && e.in_meeting);
  assert.equal(inMeeting.length, ROOMS, rejoined.text);
  const log = stackLog.join('');
  assert.match(log, /vc-bridge killed by signal 9/);
  assert.match(log, /vc-bridge is running again at http:\/\/127\.0\.0\.1:\d+ \(restart 1\)/);
  assert.equal(pidsUnder(stateDir, 'vc-scheduler').length, 1, 'the scheduler kept running');
  assert.equal(pidsUnder(stateDir, 'vc-endpoint').filter((pid) => {
    try { return !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('media-session'); } catch { return false; }
  }).length, ROOMS, 'every agent kept running');
});
