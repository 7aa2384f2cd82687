// Shared fixtures of the browser tests: real vc-scheduler / vc-bridge /
// vc-endpoint processes on loopback (port 0, readiness from the printed
// http://HOST:PORT line, never a sleep), tokens made with the scheduler's
// CLI, and a fresh headless Chromium (Debian's, driven by playwright-core)
// per test with its own user-data-dir. Everything started here is stopped
// by stopAll() in an `after` hook, even when the test failed.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir, access } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.VC_SOURCE_DIR || path.resolve(here, '..', '..');
export const BUILD_DIR = process.env.VC_BUILD_DIR || path.join(SOURCE_DIR, 'build');
export const CHROMIUM = process.env.VC_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(here, 'screenshots');

export const BIN = {
  scheduler: path.join(BUILD_DIR, 'scheduler', 'vc-scheduler'),
  bridge: path.join(BUILD_DIR, 'media', 'vc-bridge'),
  endpoint: path.join(BUILD_DIR, 'endpoint', 'vc-endpoint'),
};

/** How long one process may take to print its address. */
const READY_TIMEOUT_MS = 30000;

export async function exists(file) {
  try { await access(file, fsConstants.X_OK); return true; } catch { return false; }
}

/** The binaries among `names` that are not built (a test fails on any). */
export async function missingBinaries(...names) {
  const missing = [];
  for (const n of names) if (!(await exists(BIN[n]))) missing.push(path.relative(BUILD_DIR, BIN[n]));
  return missing;
}

/**
 * One test's world: a temp folder and the processes and browsers it
 * started. Create it in `before`, call stopAll() in `after`.
 */
export class Fixture {
  constructor(name) {
    this.name = name;
    this.dir = null;
    this.children = [];
    this.browsers = [];
  }

  async init() {
    this.dir = await mkdtemp(path.join(tmpdir(), `vc-browser-${this.name}-`));
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    return this;
  }

  /** Start a program and wait for its http://HOST:PORT line on stdout. */
  async startServer(label, file, args, env = {}) {
    const child = spawn(file, args, {
      cwd: this.dir, env: { ...process.env, G_MESSAGES_DEBUG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const record = { label, child, output: '' };
    this.children.push(record);
    const url = await new Promise((resolve, reject) => {
      let buffer = '';
      let found = false;
      const timer = setTimeout(() => fail(new Error(`${label} printed no http://HOST:PORT within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      function fail(err) {
        if (found) return;
        found = true;
        clearTimeout(timer);
        reject(new Error(`${err.message}\n--- ${label} output ---\n${record.output.slice(-4000)}`));
      }
      child.stdout.on('data', (chunk) => {
        const text = chunk.toString();
        record.output += text;
        buffer += text;
        // "… listening on http://HOST:PORT", or a line that is just the URL.
        const m = /listening[^\n]*?(https?:\/\/[^\s/]+)/.exec(buffer) || /^(https?:\/\/[^\s/]+)\s*$/m.exec(buffer);
        if (m && !found) {
          found = true;
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.stderr.on('data', (chunk) => { record.output += chunk.toString(); });
      child.on('error', fail);
      child.on('exit', (code, signal) => fail(new Error(`${label} exited (${code ?? signal}) before it was ready`)));
    });
    record.url = url;
    return url;
  }

  /** Start a program that prints no address (a room agent). */
  startProcess(label, file, args, env = {}) {
    const child = spawn(file, args, {
      cwd: this.dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const record = { label, child, output: '' };
    child.stdout.on('data', (c) => { record.output += c.toString(); });
    child.stderr.on('data', (c) => { record.output += c.toString(); });
    this.children.push(record);
    return record;
  }

  /** The output of every child, for a failure message. */
  logs() {
    return this.children.map((c) => `--- ${c.label} ---\n${c.output.slice(-3000)}`).join('\n');
  }

  /**
   * A scheduler with its own config and database. Options: bridgeUrl,
   * bridgeSecret. Returns {url, config, db, token(opts)}.
   */
  /** extraIni: more lines of scheduler.ini (groups not written above). */
  async startScheduler({ bridgeUrl = '', bridgeSecret = '', extraIni = [] } = {}) {
    const config = path.join(this.dir, 'scheduler.ini');
    const db = path.join(this.dir, 'scheduler.db');
    const lines = [
      '[server]', 'listen=127.0.0.1:0',
      `web_root=${path.join(SOURCE_DIR, 'web')}`,
      `vendor_root=${path.join(SOURCE_DIR, 'node_modules')}`,
      '[database]', `path=${db}`,
      '[site]', 'time_zone=Asia/Ho_Chi_Minh',
      `roster=${path.join(SOURCE_DIR, 'conf', 'roster-nghe-an.ini')}`,
      `holidays=${path.join(SOURCE_DIR, 'conf', 'holidays-vn.ini')}`,
    ];
    if (bridgeUrl) lines.push('[bridge]', `url=${bridgeUrl}`, `secret=${bridgeSecret}`);
    lines.push(...extraIni);
    await writeFile(config, `${lines.join('\n')}\n`);
    const args = ['--config', config, '--db', db];
    const url = await this.startServer('vc-scheduler', BIN.scheduler, args);
    const scheduler = {
      url, config, db,
      token: (opts) => this.schedulerToken(args, opts),
    };
    return scheduler;
  }

  /** `vc-scheduler ... token create --role R [--unit U] [--endpoint E] --name N` → token */
  schedulerToken(baseArgs, { role, unit, endpoint, name }) {
    const args = [...baseArgs, 'token', 'create', '--role', role];
    if (unit) args.push('--unit', unit);
    if (endpoint) args.push('--endpoint', endpoint);
    args.push('--name', name || `${role} ${unit || endpoint || ''}`.trim());
    return new Promise((resolve, reject) => {
      execFile(BIN.scheduler, args, { cwd: this.dir, timeout: 20000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`token create failed: ${err.message}\n${stderr}`));
        else {
          const token = stdout.trim().split('\n').pop().trim();
          if (!token) reject(new Error(`token create printed nothing\n${stderr}`));
          else resolve(token);
        }
      });
    });
  }

  /** A bridge on loopback with a shared secret. Returns {url, secret}. */
  async startBridge() {
    const secret = `test-secret-${Math.random().toString(36).slice(2)}${Date.now()}`;
    const config = path.join(this.dir, 'bridge.ini');
    await writeFile(config, [
      '[bridge]', 'listen=127.0.0.1:0', `secret=${secret}`,
      '[ice]', 'addresses=127.0.0.1',
      '[video]', 'width=640', 'height=360', 'fps=15', '',
    ].join('\n'));
    const url = await this.startServer('vc-bridge', BIN.bridge, ['--config', config, '--listen', '127.0.0.1:0'],
      { GST_REGISTRY_FORK: 'no' });
    return { url, secret };
  }

  /**
   * A room agent for endpoint `code` with test sources (videotestsrc,
   * audiotestsrc) and no output. Returns the process record.
   */
  async startAgent(schedulerUrl, code, token) {
    const config = path.join(this.dir, `agent-${code}.ini`);
    await writeFile(config, [
      '[scheduler]', `url=${schedulerUrl}`,
      '[endpoint]', `code=${code}`, `token=${token}`,
      '[journal]', `path=${path.join(this.dir, `journal-${code}.db`)}`,
      '[media]', 'video=test', 'audio=test', 'output=none',
      '[ice]', 'addresses=127.0.0.1', '',
    ].join('\n'), { mode: 0o600 });
    return this.startProcess(`vc-endpoint ${code}`, BIN.endpoint, ['--config', config], { GST_REGISTRY_FORK: 'no' });
  }

  /** Start a headless Chromium with a fresh profile; returns {context, page, errors}. */
  async browser({ webrtc = false, viewport = { width: 1366, height: 768 }, locale = 'vi-VN' } = {}) {
    const profile = await mkdtemp(path.join(this.dir, 'chromium-'));
    const args = [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ];
    if (webrtc) {
      args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
        '--allow-loopback-in-peer-connection');
    }
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args, viewport, locale,
      timezoneId: 'Europe/Paris', // not Vietnam: the UI must not depend on the machine's zone
      permissions: webrtc ? ['camera', 'microphone'] : [],
      timeout: 60000,
    });
    this.browsers.push(context);
    // The scheduler sends a strict Content-Security-Policy: report every
    // violation as a console error, which the tests collect and refuse.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const page = context.pages()[0] || await context.newPage();
    const errors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.setDefaultTimeout(20000);
    return { context, page, errors };
  }

  async screenshot(page, name) {
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    return file;
  }

  async stopAll() {
    for (const b of this.browsers.splice(0)) {
      try { await b.close(); } catch { /* already gone */ }
    }
    // Agents first, the bridge last (reverse start order).
    for (const record of this.children.splice(0).reverse()) await stopChild(record.child);
    if (this.dir && !process.env.VC_KEEP_TMP) await rm(this.dir, { recursive: true, force: true });
  }
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, 5000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    try { child.kill('SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
}

/** Call the scheduler's REST API with a Bearer token. Returns {status, body}. */
export async function apiCall(baseUrl, token, method, pathname, body, headers = {}) {
  const response = await fetch(new URL(pathname, baseUrl), {
    method,
    headers: {
      Accept: 'application/json', Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: response.status, body: json };
}

/** Sign in through the login page with an API token. */
export async function signIn(page, baseUrl, token) {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name="token"]').fill(token);
  await page.locator('form button[type="submit"]').click();
  await page.waitForFunction(() => !['', 'login'].includes(document.getElementById('main').dataset.page || ''));
}

/** Vietnamese wall-clock date parts of an instant (UTC+7, no DST). */
export function vnParts(date) {
  const x = new Date(date.getTime() + 7 * 3600 * 1000);
  return { y: x.getUTCFullYear(), m: x.getUTCMonth() + 1, d: x.getUTCDate(), dow: x.getUTCDay() };
}

export function vnInstant(y, m, d, hh, mi = 0) {
  return new Date(Date.UTC(y, m - 1, d, hh, mi) - 7 * 3600 * 1000);
}

export const iso = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
export const pad2 = (n) => String(n).padStart(2, '0');
export const ddmmyyyy = (p) => `${pad2(p.d)}/${pad2(p.m)}/${p.y}`;

/**
 * A working day (Tuesday to Thursday) at least `minDays` ahead, away from
 * the fixed public holidays, so that bookings and suggestions fall in
 * working hours.
 */
export function futureWorkday(minDays = 7) {
  let t = Date.now() + minDays * 86400000;
  for (;;) {
    const p = vnParts(new Date(t));
    const md = `${pad2(p.d)}/${pad2(p.m)}`;
    const holiday = ['01/01', '02/01', '30/04', '01/05', '02/05', '01/09', '02/09', '03/09'].includes(md)
      || (p.m === 1 && p.d >= 20) || (p.m === 2 && p.d <= 25); // Tết moves every year
    if (p.dow >= 2 && p.dow <= 4 && !holiday) return p;
    t += 86400000;
  }
}

/** Fail with the page's console errors, if any. */
export function assertNoConsoleErrors(assert, errors) {
  assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`);
}
