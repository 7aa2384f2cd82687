// web/js/signal.js — the join page's copy of the bridge's signalling
// contract (docs/protocol.md §3) refuses and accepts what the C codec
// (media/client/vc-signal.c, tests/media/test-signal.c) does, from the
// page's side: it receives offer, ice, state, bye and error, and sends
// answer, ice and bye. Plain Node, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SignalError, MAX_MESSAGE, parseFromBridge, buildAnswer, buildIce, buildBye,
} from '../../web/js/signal.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, '..', 'fuzz', 'corpus', 'bridge-signal');

function refused(text, code, names) {
  assert.throws(() => parseFromBridge(text), (e) => {
    assert.ok(e instanceof SignalError, `${text}: ${e}`);
    assert.equal(e.code, code, text);
    if (names) assert.ok(e.message.includes(names), `${text}: "${e.message}" does not name ${names}`);
    return true;
  });
}

test('every message the bridge sends is read with its members', () => {
  assert.deepEqual(parseFromBridge('{"type":"offer","sdp":"v=0\\r\\n"}'), { type: 'offer', sdp: 'v=0\r\n' });
  assert.deepEqual(parseFromBridge('{"type":"ice","candidate":"candidate:1","sdpMLineIndex":1,"x":2}'),
    { type: 'ice', candidate: 'candidate:1', sdpMLineIndex: 1 });
  assert.deepEqual(parseFromBridge('{"type":"ice","candidate":"","sdpMLineIndex":0}').candidate, '');
  assert.deepEqual(parseFromBridge('{"type":"state","active_speaker":"A","layout":"grid","muted":true,'
    + '"send_video":false,"video_width":320,"video_height":180,"recording":true}'), {
    type: 'state', active_speaker: 'A', layout: 'grid', muted: true, send_video: false, video_width: 320, video_height: 180,
    tree: null, recording: true, floor: null, floor_below: false,
  });
  assert.deepEqual(parseFromBridge('{"type":"state","tree":"b1/10 b2/20"}').tree, 'b1/10 b2/20');
  assert.deepEqual(parseFromBridge('{"type":"state","active_speaker":null}'), {
    type: 'state', active_speaker: null, layout: null, muted: false, send_video: true, video_width: 0, video_height: 0,
    tree: null, recording: false, floor: null, floor_below: false,
  });
  const floor = parseFromBridge('{"type":"state","floor":"xa-c","floor_below":true}');
  assert.equal(floor.floor, 'xa-c');
  assert.equal(floor.floor_below, true);
  assert.deepEqual(parseFromBridge('{"type":"bye","reason":"replaced"}'), { type: 'bye', reason: 'replaced' });
  assert.deepEqual(parseFromBridge('{"type":"bye"}'), { type: 'bye', reason: null });
  assert.deepEqual(parseFromBridge('{"type":"error","code":"too_large"}'), { type: 'error', code: 'too_large', message: '' });
});

test('what the contract forbids is refused with the code and the member', () => {
  refused('nope', 'malformed', 'JSON');
  refused('[1,2]', 'malformed', 'JSON object');
  refused('null', 'malformed', 'JSON object');
  refused('{"type":3}', 'malformed', "'type'");
  refused('{"type":"offer"}', 'malformed', "offer: 'sdp'");
  refused('{"type":"offer","sdp":"x=1"}', 'malformed', "'sdp'");
  refused('{"type":"ice","candidate":"x","sdpMLineIndex":7}', 'malformed', "'sdpMLineIndex'");
  refused('{"type":"ice","candidate":"x","sdpMLineIndex":0.5}', 'malformed', "'sdpMLineIndex'");
  refused('{"type":"ice","candidate":"x"}', 'malformed', "'sdpMLineIndex'");
  refused('{"type":"ice","candidate":5,"sdpMLineIndex":0}', 'malformed', "'candidate'");
  refused('{"type":"state","send_video":1}', 'malformed', "'send_video'");
  refused('{"type":"state","muted":"no"}', 'malformed', "'muted'");
  refused('{"type":"state","recording":"yes"}', 'malformed', "'recording'");
  refused('{"type":"state","video_width":70000}', 'malformed', "'video_width'");
  refused('{"type":"state","video_height":-2}', 'malformed', "'video_height'");
  refused('{"type":"state","active_speaker":4}', 'malformed', "'active_speaker'");
  refused('{"type":"state","layout":false}', 'malformed', "'layout'");
  refused('{"type":"state","tree":["b1/10"]}', 'malformed', "'tree'");
  refused('{"type":"bye","reason":[]}', 'malformed', "'reason'");
  refused('{"type":"error","message":"x"}', 'malformed', "'code'");
  refused('{"type":"error","code":"x","message":1}', 'malformed', "'message'");
  refused('{"type":"answer","sdp":"v=0"}', 'unexpected', 'answer');
  refused('{"type":"link_state","rooms":[]}', 'unexpected', 'link_state');
  refused('{"type":"state","floor":3}', 'malformed', "'floor'");
  refused('{"type":"state","floor_below":"yes"}', 'malformed', "'floor_below'");
  refused('{"type":"hello"}', 'unexpected');
  refused(' '.repeat(MAX_MESSAGE + 1), 'too_large', '64 KiB');
  // the limit counts bytes, as the bridge does: 40,000 two-byte characters
  refused(`{"type":"bye","reason":"${'đ'.repeat(40000)}"}`, 'too_large');
  // an offer the page cannot use says so: the page ends the call on it
  assert.throws(() => parseFromBridge('{"type":"offer","sdp":1}'), (e) => e.type === 'offer');
});

test('what the page sends is what the bridge accepts', () => {
  assert.equal(buildAnswer('v=0\r\n'), '{"type":"answer","sdp":"v=0\\r\\n"}');
  assert.equal(buildIce('candidate:1', 1), '{"type":"ice","candidate":"candidate:1","sdpMLineIndex":1}');
  assert.equal(buildBye('left'), '{"type":"bye","reason":"left"}');
  assert.equal(buildBye(), '{"type":"bye"}');
});

test('the fuzz corpus never makes the parser throw anything but a SignalError', () => {
  const files = readdirSync(corpus);
  assert.ok(files.length >= 10, `corpus at ${corpus}`);
  const types = new Set();
  for (const f of files) {
    const text = new TextDecoder().decode(readFileSync(join(corpus, f)));
    try {
      types.add(parseFromBridge(text).type);
    } catch (e) {
      assert.ok(e instanceof SignalError, `${f}: ${e}`);
      assert.ok(['malformed', 'too_large', 'unexpected'].includes(e.code), `${f}: ${e.code}`);
    }
  }
  // the corpus holds every message the page receives
  assert.deepEqual([...types].sort(), ['bye', 'error', 'ice', 'offer', 'state']);
});
