// The bridge's signalling messages (docs/protocol.md §3), as the browser
// join page sends and receives them: the same contract, and the same
// strictness, as the C codec that the bridge and the room agents use
// (media/client/vc-signal.c). No DOM: tests/web/signal.test.mjs runs it in
// Node.
//
// parseFromBridge(text) returns a message object or throws a SignalError
// whose `code` is the wire's error code ('malformed', 'too_large',
// 'unexpected') and whose message names the member (and `type` the
// message's type, when its members were refused). Unknown members are
// ignored. The builders return the text to send.

export const MAX_MESSAGE = 64 * 1024;

export class SignalError extends Error {
  // `type`: the message's type when a member of a known one was refused
  // (the page ends the call on an offer it cannot use), else null.
  constructor(code, message, type = null) {
    super(message);
    this.name = 'SignalError';
    this.code = code;
    this.type = type;
  }
}

const MAX_MLINE = 1; // the bridge's offer: video (0), then audio (1)
const MAX_VIDEO_SIZE = 65535;

function refuse(type, member, what) {
  throw new SignalError('malformed', `${type}: '${member}' must be ${what}`, type);
}

function isInteger(v) {
  return typeof v === 'number' && Number.isInteger(v);
}

function sdp(obj, type) {
  if (typeof obj.sdp !== 'string' || !obj.sdp.startsWith('v=0')) {
    refuse(type, 'sdp', 'an SDP (a string beginning with "v=0")');
  }
  return { type, sdp: obj.sdp };
}

function optionalString(obj, type, member) {
  if (!(member in obj)) return null;
  if (typeof obj[member] !== 'string') refuse(type, member, 'a string');
  return obj[member];
}

function optionalBoolean(obj, type, member, fallback) {
  if (!(member in obj)) return fallback;
  if (typeof obj[member] !== 'boolean') refuse(type, member, 'true or false');
  return obj[member];
}

function optionalSize(obj, type, member) {
  if (!(member in obj)) return 0;
  const v = obj[member];
  if (!isInteger(v) || v < 0 || v > MAX_VIDEO_SIZE) refuse(type, member, 'an integer from 0 to 65535');
  return v;
}

// What the page receives: offer, ice, state, bye, error.
const fromBridge = {
  offer: (obj) => sdp(obj, 'offer'),
  ice: (obj) => {
    if (typeof obj.candidate !== 'string') refuse('ice', 'candidate', 'a string');
    const m = obj.sdpMLineIndex;
    if (!isInteger(m) || m < 0 || m > MAX_MLINE) refuse('ice', 'sdpMLineIndex', '0 or 1');
    return { type: 'ice', candidate: obj.candidate, sdpMLineIndex: m };
  },
  state: (obj) => {
    const speaker = obj.active_speaker;
    if (speaker !== undefined && speaker !== null && typeof speaker !== 'string') {
      refuse('state', 'active_speaker', 'a string or null');
    }
    return {
      type: 'state',
      active_speaker: speaker ?? null,
      layout: optionalString(obj, 'state', 'layout'),
      muted: optionalBoolean(obj, 'state', 'muted', false),
      send_video: optionalBoolean(obj, 'state', 'send_video', true),
      video_width: optionalSize(obj, 'state', 'video_width'),
      video_height: optionalSize(obj, 'state', 'video_height'),
      tree: optionalString(obj, 'state', 'tree'),
      recording: optionalBoolean(obj, 'state', 'recording', false),
      floor: optionalString(obj, 'state', 'floor'),
      floor_below: optionalBoolean(obj, 'state', 'floor_below', false),
    };
  },
  bye: (obj) => ({ type: 'bye', reason: optionalString(obj, 'bye', 'reason') }),
  error: (obj) => {
    if (typeof obj.code !== 'string') refuse('error', 'code', 'a string');
    return { type: 'error', code: obj.code, message: optionalString(obj, 'error', 'message') ?? '' };
  },
};

/** Parses one text message from the bridge (throws SignalError). */
export function parseFromBridge(text) {
  if (typeof text !== 'string') throw new SignalError('malformed', 'not a text message');
  if (new TextEncoder().encode(text).length > MAX_MESSAGE) {
    throw new SignalError('too_large', 'messages are limited to 64 KiB');
  }
  let obj;
  try { obj = JSON.parse(text); } catch { obj = null; }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new SignalError('malformed', 'not a JSON object');
  }
  if (typeof obj.type !== 'string') throw new SignalError('malformed', "missing string member 'type'");
  if (obj.type === 'answer' || obj.type === 'link_state') {
    throw new SignalError('unexpected', `a participant does not accept '${obj.type}'`);
  }
  if (!Object.hasOwn(fromBridge, obj.type)) throw new SignalError('unexpected', 'unknown message type');
  return fromBridge[obj.type](obj);
}

// What the page sends: answer, ice, bye.
export function buildAnswer(sdpText) {
  return JSON.stringify({ type: 'answer', sdp: sdpText });
}

export function buildIce(candidate, sdpMLineIndex) {
  return JSON.stringify({ type: 'ice', candidate, sdpMLineIndex });
}

export function buildBye(reason) {
  return JSON.stringify(reason == null ? { type: 'bye' } : { type: 'bye', reason });
}
