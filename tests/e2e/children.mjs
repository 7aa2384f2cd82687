// children.mjs — what the e2e tests share about vc-stack's children.
//
// GStreamer 1.22.0's rtpsession iterates a hash table another thread may
// change (fixed upstream in 1.22.3); GLib says so with one critical and the
// process goes on. Under G_DEBUG=fatal-criticals (the test environment's
// default) it would abort the bridge or an agent mid-test, so vc-stack runs
// without it, and any other critical in a child's log fails the test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const KNOWN_UPSTREAM_CRITICAL = "g_hash_table_foreach: assertion 'version == hash_table->version'";

// The environment for vc-stack: this process's, without fatal-criticals.
export function stackEnv() {
  const env = { ...process.env };
  env.G_DEBUG = (env.G_DEBUG ?? '').split(',').filter((f) => f && f !== 'fatal-criticals').join(',');
  return env;
}

// Every CRITICAL line in STATE/logs/*.log but the known upstream one, as
// "file: line".
export function unexpectedCriticals(stateDir) {
  const found = [];
  let names = [];
  try {
    names = readdirSync(join(stateDir, 'logs'));
  } catch {
    return found; // no logs folder: nothing was started
  }
  for (const name of names.filter((n) => n.endsWith('.log'))) {
    for (const line of readFileSync(join(stateDir, 'logs', name), 'utf8').split('\n')) {
      if (line.includes('CRITICAL') && !line.includes(KNOWN_UPSTREAM_CRITICAL)) found.push(`${name}: ${line}`);
    }
  }
  return found;
}
