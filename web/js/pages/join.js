// Join a meeting from a browser (a leader away from the rooms) through the
// bridge by WebRTC, with a join link: #/join?meeting=ID&token=JWT.
// No sign-in: the signed join token is the credential, checked by the bridge.
//
// Where to connect is never taken from the link: the page asks the
// scheduler that served it (GET /api/v1/join/ID, the join token as bearer)
// for the bridge's signalling URL. A link that still names a `signal=`
// address other than that one was altered or forged: the page says so and
// connects nowhere (no WebSocket, no camera or microphone). The scheduler's
// Content-Security-Policy also limits WebSockets to its configured bridge.
//
// Signalling (docs/protocol.md §3): the bridge sends `offer`, we answer, ICE
// is trickled both ways, `bye` or a closed socket ends the call. Messages are
// read and written with ../signal.js only (the contract's one JS copy).
//
// A guest's link cannot open the meeting's room on the bridge (only the
// scheduler and the rooms' own tokens do: docs/protocol.md §3). While the
// scheduler's lookup says the room is not open (`room_open` false; null
// when it cannot tell) the page says so, opens no WebSocket, and asks again
// every WAIT_MS; a WebSocket the bridge refuses is looked up again the same
// way instead of ending the page.
//
// <body data-state> is the contract with tests and kiosk monitors:
//   waiting     the meeting's room is not open yet; the page retries by itself
//   connecting  until media flows both ways
//   connected   ICE connected AND inbound RTP bytes growing AND outbound
//               RTP bytes growing (checked with getStats every 500 ms)
//   ended       after `bye`, a closed socket, a rejected token or Leave
// and <body data-ended> says why it ended: `left` (Leave), `replaced` (the
// same link opened in another window), `closed` (the meeting ended or was
// cancelled) or `error`. Only `closed` says the meeting is over (#17,
// finding 8). The page names the meeting by its title and, before the
// start, says when it starts; the guest's own picture sits beside the
// meeting's, never over it.
import { t } from '../i18n.js';
import { h } from '../dom.js';
import { SignalError, parseFromBridge, buildAnswer, buildIce, buildBye } from '../signal.js';
import { fmtTime, fmtDate } from '../format.js';

/** How a reason of the bridge's `bye` (or ours) reads on the page. */
const ENDED = {
  left: { key: 'join.state_left', kind: 'left' },
  replaced: { key: 'join.state_replaced', kind: 'replaced' },
  'room-closed': { key: 'join.state_ended', kind: 'closed' },
};

const STATS_MS = 500;
const WAIT_MS = 5000;

export function render(main, { params }) {
  const meetingId = params.get('meeting') || '';
  const token = params.get('token') || '';
  const linkSignal = params.get('signal');
  const body = document.body;

  const stateText = h('p', { class: 'join-state', role: 'status', 'aria-live': 'polite', id: 'join-state' });
  const detail = h('p', { class: 'hint', id: 'join-detail' });
  const title = h('p', { class: 'join-title', id: 'join-title' });
  const when = h('p', { class: 'join-when', id: 'join-when' });
  const remote = h('video', { id: 'remote-video', autoplay: true, playsinline: true, 'aria-label': t('join.remote') });
  const local = h('video', { id: 'local-video', autoplay: true, playsinline: true, muted: true, 'aria-label': t('join.local') });
  local.muted = true;
  const micButton = h('button', { type: 'button', id: 'mic-toggle', 'aria-pressed': 'false' }, t('join.mic_off'));
  const camButton = h('button', { type: 'button', id: 'cam-toggle', 'aria-pressed': 'false' }, t('join.cam_off'));
  const leaveButton = h('button', { type: 'button', id: 'leave', class: 'danger' }, t('join.leave'));
  main.append(h('div', { class: 'join-page' },
    h('h1', {}, t('join.heading')),
    title, when,
    stateText, detail,
    h('div', { class: 'videos' }, h('div', { class: 'remote-box' }, remote), h('div', { class: 'local-box' }, local)),
    h('div', { class: 'button-row' }, micButton, camButton, leaveButton)));

  let ws = null;
  let pc = null;
  let stream = null;
  let statsTimer = null;
  let last = null;
  let state = '';
  const pendingIce = [];
  let wantVideo = true; // the bridge shows us: send video (see applyVideoSending)
  let wantTile = { width: 0, height: 0 }; // and at what size

  function setState(next, why, endedKind) {
    if (state === 'ended') return;
    state = next;
    body.dataset.state = next;
    const ended = next === 'ended' ? (ENDED[endedKind] || { key: 'join.state_disconnected', kind: endedKind || 'error' }) : null;
    stateText.textContent = ended ? t(ended.key) : t(`join.state_${next}`);
    stateText.className = `join-state state-${next}${ended ? ` ended-${ended.kind}` : ''}`;
    if (ended) body.dataset.ended = ended.kind;
    if (why !== undefined) detail.textContent = why;
    if (next === 'ended') {
      micButton.disabled = true;
      camButton.disabled = true;
      leaveButton.disabled = true;
    }
  }

  function teardown() {
    clearInterval(statsTimer);
    statsTimer = null;
    if (pc) { try { pc.close(); } catch { /* closed */ } pc = null; }
    if (stream) { stream.getTracks().forEach((tr) => tr.stop()); stream = null; }
    if (ws) {
      const s = ws;
      ws = null;
      if (s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING) s.close(1000);
    }
  }

  function end(reason) {
    const known = reason && t(`join.reason_${reason}`);
    const text = known && known !== `join.reason_${reason}` ? known : reason;
    setState('ended', text ? t('join.reason', { reason: text }) : '', reason);
    teardown();
    if (state === 'ended' && !main.querySelector('#rejoin')) {
      leaveButton.after(h('button', { type: 'button', id: 'rejoin', onclick: () => window.location.reload() }, t('join.rejoin')));
    }
  }

  function send(text) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
  }

  if (!token || !meetingId) {
    setState('ended', t('join.bad_link'));
    return () => teardown();
  }

  setState('connecting', '');
  let stopped = false;

  async function getMedia() {
    if (stream) return stream;
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
    local.srcObject = stream;
    return stream;
  }

  async function onOffer(sdp) {
    if (pc) pc.close();
    pc = new RTCPeerConnection({ iceServers: [] });
    pc.addEventListener('icecandidate', (ev) => {
      if (ev.candidate && ev.candidate.candidate) {
        send(buildIce(ev.candidate.candidate, ev.candidate.sdpMLineIndex ?? 0));
      }
    });
    pc.addEventListener('track', (ev) => {
      const s = ev.streams && ev.streams[0] ? ev.streams[0] : new MediaStream([ev.track]);
      if (remote.srcObject !== s) {
        if (ev.streams && ev.streams[0]) remote.srcObject = s;
        else {
          if (!(remote.srcObject instanceof MediaStream)) remote.srcObject = new MediaStream();
          remote.srcObject.addTrack(ev.track);
        }
      }
      remote.play().catch(() => { /* autoplay policy: the video element stays */ });
    });
    pc.addEventListener('connectionstatechange', () => {
      if (!pc) return;
      if (pc.connectionState === 'failed') end('ICE failed');
      else if (pc.connectionState === 'disconnected' && state === 'connected') setState('connecting');
    });
    await pc.setRemoteDescription({ type: 'offer', sdp });
    const media = await getMedia();
    // Put our tracks on the bridge's sendrecv transceivers (one audio, one video).
    for (const track of media.getTracks()) {
      const tr = pc.getTransceivers().find((x) => x.receiver.track && x.receiver.track.kind === track.kind && !x.sender.track);
      if (tr) {
        await tr.sender.replaceTrack(track);
        tr.direction = 'sendrecv';
      } else pc.addTrack(track, media);
    }
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    send(buildAnswer(pc.localDescription.sdp));
    await applyVideoSending();
    while (pendingIce.length) await addIce(pendingIce.shift());
    last = null;
    clearInterval(statsTimer);
    statsTimer = setInterval(checkStats, STATS_MS);
  }

  // The bridge asks a participant its layout does not show to stop sending
  // video ({"type":"state","send_video":false}); the camera stays on, the
  // encoder pauses, and it resumes (with a keyframe) when shown again. It
  // also says the size of our tile (video_width, video_height): we send at
  // 1/2 or 1/4 of the camera's size when that still covers it, as the room
  // agents do (vc_media_video_divisor).
  function divisorFor(width, height) {
    if (!wantTile.width || !wantTile.height || !width || !height) return 1;
    for (const k of [4, 2]) {
      if (Math.floor(width / k) >= wantTile.width && Math.floor(height / k) >= wantTile.height) return k;
    }
    return 1;
  }

  async function applyVideoSending() {
    if (!pc) return;
    for (const tr of pc.getTransceivers()) {
      const sender = tr.sender;
      if (!sender.track || sender.track.kind !== 'video') continue;
      const params = sender.getParameters();
      if (!params.encodings || !params.encodings.length) continue; // before negotiation: applied after it
      const size = sender.track.getSettings();
      const k = divisorFor(size.width, size.height);
      body.dataset.videoDivisor = String(k);
      if (params.encodings.every((e) => e.active === wantVideo && (e.scaleResolutionDownBy || 1) === k)) continue;
      params.encodings.forEach((e) => { e.active = wantVideo; e.scaleResolutionDownBy = k; });
      await sender.setParameters(params);
    }
    body.dataset.videoSending = String(wantVideo);
  }

  async function addIce(msg) {
    if (!pc || !pc.remoteDescription) { pendingIce.push(msg); return; }
    try {
      await pc.addIceCandidate({ candidate: msg.candidate, sdpMLineIndex: msg.sdpMLineIndex });
    } catch (e) { console.warn('bad ICE candidate', e); }
  }

  async function checkStats() {
    if (!pc) return;
    const report = await pc.getStats();
    const now = { in: { audio: 0, video: 0 }, out: 0 };
    report.forEach((s) => {
      const kind = s.kind || s.mediaType;
      if (s.type === 'inbound-rtp' && (kind === 'audio' || kind === 'video')) now.in[kind] += s.bytesReceived || 0;
      if (s.type === 'outbound-rtp') now.out += s.bytesSent || 0;
    });
    const ice = pc.connectionState === 'connected' || pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed';
    if (last) {
      const rxAudio = now.in.audio > last.in.audio;
      const rxVideo = now.in.video > last.in.video;
      const tx = now.out > last.out;
      body.dataset.rxAudio = String(rxAudio);
      body.dataset.rxVideo = String(rxVideo);
      body.dataset.tx = String(tx);
      if (ice && (rxAudio || rxVideo) && tx) {
        if (state !== 'connected') setState('connected', '');
      } else if (state === 'connected' && !ice) setState('connecting');
    }
    last = now;
  }

  // This meeting's bridge room from the scheduler: {signal_url, room_open}.
  async function lookupSignal() {
    let res;
    try {
      res = await fetch(`/api/v1/join/${encodeURIComponent(meetingId)}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      });
    } catch (e) {
      end(t('join.lookup_failed', { msg: String(e.message || e) }));
      return null;
    }
    if (res.status === 401 || res.status === 404) { end(t('join.expired')); return null; }
    if (res.status === 409) { end('room-closed'); detail.textContent = t('join.over'); return null; }
    let answer = null;
    try { answer = await res.json(); } catch { /* not JSON */ }
    if (!res.ok || !answer || typeof answer.signal_url !== 'string') {
      end(t('join.lookup_failed', { msg: (answer && answer.message) || `HTTP ${res.status}` }));
      return null;
    }
    showMeeting(answer);
    return answer;
  }

  function waitForRoom() {
    setState('waiting', t('join.waiting_room'));
    setTimeout(() => { if (!stopped && state === 'waiting') start(); }, WAIT_MS);
  }

  /** The meeting's title, and its start while it is still to come. */
  function showMeeting(answer) {
    if (answer.title) title.textContent = t('join.meeting_title', { title: answer.title });
    if (!answer.start) return;
    const start = new Date(answer.start);
    const tick = () => {
      if (state === 'ended' || Date.now() >= start.getTime()) {
        when.textContent = '';
        delete body.dataset.waiting;
        return;
      }
      when.textContent = t('join.starts_at', { time: fmtTime(start), date: fmtDate(start) });
      body.dataset.waiting = 'true';
      setTimeout(tick, Math.min(30000, start.getTime() - Date.now() + 50));
    };
    tick();
  }

  async function start() {
    const answer = await lookupSignal();
    if (!answer || stopped) return;
    const signal = answer.signal_url;
    if (linkSignal !== null && linkSignal !== signal) {
      body.dataset.refused = 'foreign-signal';
      setState('ended', t('join.foreign_signal', { url: linkSignal }));
      stateText.textContent = t('join.state_refused');
      detail.setAttribute('role', 'alert');
      teardown();
      return;
    }
    if (answer.room_open === false) { waitForRoom(); return; }
    setState('connecting', '');
    connect(signal);
  }

  function connect(signal) {
    const url = `${signal}${signal.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      end(String(e.message || e));
      return;
    }
    let opened = false;
    ws.addEventListener('open', () => { opened = true; });
    ws.addEventListener('message', async (ev) => {
      let msg;
      try {
        msg = parseFromBridge(ev.data);
      } catch (e) {
        if (!(e instanceof SignalError)) throw e;
        if (e.type === 'offer') end(e.message); // no call without an offer
        else console.warn('ignoring a message from the bridge:', e.message);
        return;
      }
      try {
        switch (msg.type) {
          case 'offer': await onOffer(msg.sdp); break;
          case 'ice': if (msg.candidate) await addIce(msg); break;
          case 'bye': end(msg.reason || ''); break;
          case 'state':
            if (msg.layout) detail.textContent = '';
            wantVideo = msg.send_video;
            wantTile = { width: msg.video_width, height: msg.video_height };
            await applyVideoSending();
            break;
          case 'error': console.warn('bridge says', msg.code, msg.message); break;
          default: break;
        }
      } catch (e) {
        if (e && e.name === 'NotAllowedError') end(t('join.media_error', { msg: e.message }));
        else if (e && e.name === 'NotFoundError') end(t('join.media_error', { msg: e.message }));
        else { console.warn('signalling', e); end(String(e.message || e)); }
      }
    });
    ws.addEventListener('close', async (ev) => {
      if (!ws) return;
      ws = null;
      if (opened) { end(ev.reason || ''); return; }
      // Refused before the upgrade: a room that is not open yet (404), or
      // a link that is no longer good. The scheduler tells which.
      const answer = await lookupSignal();
      if (!answer || stopped) return;
      if (answer.room_open === false) waitForRoom();
      else end(t('join.expired'));
    });
  }

  micButton.addEventListener('click', () => {
    if (!stream) return;
    const on = stream.getAudioTracks().some((tr) => tr.enabled);
    stream.getAudioTracks().forEach((tr) => { tr.enabled = !on; });
    micButton.textContent = on ? t('join.mic_on') : t('join.mic_off');
    micButton.setAttribute('aria-pressed', String(on));
  });
  camButton.addEventListener('click', () => {
    if (!stream) return;
    const on = stream.getVideoTracks().some((tr) => tr.enabled);
    stream.getVideoTracks().forEach((tr) => { tr.enabled = !on; });
    camButton.textContent = on ? t('join.cam_on') : t('join.cam_off');
    camButton.setAttribute('aria-pressed', String(on));
  });
  leaveButton.addEventListener('click', () => {
    send(buildBye('left'));
    end('left');
  });
  window.addEventListener('pagehide', () => send(buildBye('closed')), { once: true });

  start();
  return () => { stopped = true; send(buildBye('left')); teardown(); };
}
