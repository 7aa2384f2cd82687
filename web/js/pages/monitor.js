// Live monitor: every room online / offline / in a meeting with its
// readiness (green/red), and the meetings under way with each participant's
// connection quality as the bridge reports it: the chair marked and first,
// guests who left dropped, rooms not connected greyed without controls, the
// time left. The organiser's secretariat (and an admin) gets the chair
// controls: mute, give the floor, layout; it and the chair room's
// secretariat can extend or end the meeting. A recording room is marked
// (recording, paused, failed) and who may extend or end the meeting can
// pause and resume the recording.
// Polls GET /api/v1/monitor every 2 s while the page is shown.
import { api } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { h, select, say } from '../dom.js';
import { fmtRange, fmtTime } from '../format.js';
import { sortRooms } from './calendar.js';
import { canManage } from '../meeting-dialog.js';
import { errorText } from '../errors.js';

const POLL_MS = 2000;

export function roomState(e) {
  if (e.in_meeting || e.state === 'in_meeting') return 'in_meeting';
  return e.online ? 'online' : 'offline';
}

export function quality(p) {
  if (!p.connected) return 'none';
  const loss = Number(p.loss) || 0; // fraction 0..1 or percent
  const lossPct = loss <= 1 ? loss * 100 : loss;
  const jitter = Number(p.jitter_ms) || 0;
  if (lossPct >= 5 || jitter >= 60) return 'poor';
  if (lossPct >= 1 || jitter >= 30) return 'fair';
  return 'good';
}

export async function render(main, { me }) {
  const summary = h('p', { class: 'summary', id: 'monitor-summary', 'aria-live': 'polite' });
  const updated = h('p', { class: 'hint', id: 'monitor-updated' });
  const status = h('div', { role: 'alert', class: 'form-status' });
  const roomBody = h('tbody', {});
  const meetingsBox = h('div', { id: 'monitor-meetings' });
  main.append(
    h('h1', {}, t('mon.heading')), summary, updated, status,
    h('section', { class: 'card' }, h('h2', {}, t('mon.meetings')), meetingsBox),
    h('section', { class: 'card' }, h('h2', {}, t('mon.rooms')),
      h('div', { class: 'table-scroll' }, h('table', { class: 'rooms-table', id: 'monitor-rooms' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('mon.room')), h('th', { scope: 'col' }, t('mon.level')),
          h('th', { scope: 'col' }, t('mon.state')), h('th', { scope: 'col' }, t('mon.ready')))),
        roomBody))));

  let timer = null;
  let stopped = false;
  let names = new Map();
  let rooms = new Map();
  let unitNames = new Map();
  try {
    unitNames = new Map((await api.units()).map((u) => [u.code, u.name]));
  } catch { /* show codes */ }
  // Controls keep their state between polls: redraw a meeting card only when
  // its content changed and no control inside it has the focus.
  const cardSig = new Map();

  function drawRooms(endpoints) {
    const rows = sortRooms(endpoints).map((e) => {
      const state = roomState(e);
      const ready = e.ready === true ? 'yes' : e.ready === false ? 'no' : 'unknown';
      return h('tr', { dataset: { endpoint: e.code, state, online: String(Boolean(e.online)), ready } },
        h('th', { scope: 'row' }, e.name),
        h('td', {}, t(`level.${e.level}`)),
        h('td', {}, h('span', { class: `badge state-${state}` }, t(`mon.${state}`))),
        h('td', {}, h('span', { class: `dot ready-${ready}`, 'aria-hidden': 'true' }), ' ',
          t(`mon.ready_${ready}`), e.ready_reason ? h('small', { class: 'reason' }, ` — ${e.ready_reason}`) : null));
    });
    roomBody.replaceChildren(...rows);
  }

  /** Who may extend or end: the organiser's secretariat, an admin, or the
   * secretariat of the chair room's unit (as the API allows). */
  function mayRunMeeting(m) {
    if (canManage(me, m)) return true;
    return me.role === 'secretariat' && rooms.has(m.chair) && rooms.get(m.chair).unit === me.unit;
  }

  function meetingHead(m, chairName) {
    const left = Math.round((new Date(m.end) - Date.now()) / 60000);
    const remaining = left > 0 ? t('mon.remaining', { n: left }) : t('mon.overtime', { n: -left });
    const run = mayRunMeeting(m);
    const act = async (fn, okKey) => {
      try {
        await fn();
        say(status, t(okKey), 'ok');
        poll(true);
      } catch (e) { say(status, errorText(e), 'error'); }
    };
    return h('div', { class: 'meeting-head' },
      h('h3', {}, m.title),
      h('p', {}, fmtRange(m.start, m.end), ' · ', m.unit_name || unitNames.get(m.unit) || m.unit, ' · ', t('mtg.chair'), ': ', chairName),
      h('p', { class: `remaining${left <= 5 ? ' ending' : ''}`, dataset: { minutes: String(left) } }, remaining),
      run ? h('div', { class: 'button-row meeting-actions', role: 'group', 'aria-label': t('mon.meeting_actions') },
        [15, 30].map((n) => h('button', {
          type: 'button', dataset: { extend: String(n) },
          onclick: () => act(() => api.extendMeeting(m.id, n), 'mtg.extended'),
        }, t('mtg.extend_by', { n }))),
        h('button', {
          type: 'button', class: 'danger', dataset: { action: 'end' },
          onclick: () => { if (confirm(t('mtg.end_confirm', { title: m.title }))) act(() => api.endMeeting(m.id), 'mtg.ended'); },
        }, t('mtg.end_now'))) : null);
  }

  /** The bridge's participants as people see them: one row per room or
   * guest (a second join of the same link replaces the first), the chair
   * first; guests who left are gone, rooms not connected are greyed and
   * have no controls (#17, finding 7). */
  function participantsOf(room, chair) {
    const byEndpoint = new Map();
    for (const p of room.participants || []) {
      const seen = byEndpoint.get(p.endpoint);
      if (!seen || (p.connected && !seen.connected)) byEndpoint.set(p.endpoint, p);
    }
    const guest = (p) => p.guest || String(p.endpoint).startsWith('guest-');
    return [...byEndpoint.values()]
      .filter((p) => p.connected || !guest(p))
      .sort((a, b) => (b.endpoint === chair) - (a.endpoint === chair) || (b.connected - a.connected));
  }

  function meetingCard(m) {
    const room = m.room;
    const own = canManage(me, m);
    const send = async (body) => {
      try {
        await api.control(m.id, body);
        say(status, t('mon.done'), 'ok');
        poll(true);
      } catch (e) { say(status, errorText(e), 'error'); }
    };
    const head = meetingHead(m, names.get(m.chair) || m.chair);
    if (!room) return h('article', { class: 'meeting-card', dataset: { meeting: m.id } }, head, h('p', { class: 'hint' }, t('mon.no_bridge')));

    const rec = room.recording && room.recording.state !== 'off' ? room.recording : null;
    const recMark = rec ? h('p', { class: `rec-mark rec-${rec.state}`, dataset: { recording: rec.state } },
      h('span', { class: 'rec-dot', 'aria-hidden': 'true' }), ' ', t(`rec.state_${rec.state}`),
      rec.error ? h('small', { class: 'reason' }, ` — ${rec.error === 'disk_full' ? t('rec.disk_full') : rec.error}`) : null,
      mayRunMeeting(m) && (rec.state === 'recording' || rec.state === 'paused') ? h('button', {
        type: 'button', dataset: { recordAction: rec.state === 'recording' ? 'pause' : 'resume' },
        onclick: async () => {
          try {
            await api.recordingControl(m.id, rec.state === 'recording' ? 'pause' : 'resume');
            // the card is redrawn only without focus inside: the new state shows at once
            if (document.activeElement) document.activeElement.blur();
            say(status, t('mon.done'), 'ok');
            poll(true);
          } catch (e) { say(status, errorText(e), 'error'); }
        },
      }, rec.state === 'recording' ? t('rec.pause') : t('rec.resume')) : null) : null;
    const layout = select({ 'aria-label': t('mon.layout') }, ['grid', 'speaker', 'chair'].map((v) => ({ value: v, label: t(`mon.layout_${v}`) })), room.layout);
    const controls = own ? h('div', { class: 'button-row' },
      h('label', {}, t('mon.layout'), ' ', layout),
      h('button', { type: 'button', onclick: () => send({ action: 'layout', layout: layout.value }) }, t('mon.apply_layout'))) : null;

    const rows = participantsOf(room, m.chair).map((p) => {
      const q = quality(p);
      const loss = Number(p.loss) || 0;
      const name = p.name || names.get(p.endpoint) || p.endpoint;
      const live = Boolean(p.connected);
      return h('tr', { class: live ? null : 'left', dataset: { endpoint: p.endpoint, connected: String(live), quality: q, chair: String(p.endpoint === m.chair) } },
        h('th', { scope: 'row' }, name,
          p.endpoint === m.chair ? h('span', { class: 'badge chair' }, t('mon.chair')) : null,
          p.guest ? h('span', { class: 'badge guest' }, t('mon.guest')) : null,
          live && (p.endpoint === room.active_speaker || p.speaking) ? h('span', { class: 'badge speaking' }, t('mon.speaking')) : null,
          live && p.endpoint === room.floor ? h('span', { class: 'badge floor' }, t('mon.has_floor')) : null),
        h('td', {}, h('span', { class: `badge q-${q}` }, t(`mon.q_${q}`))),
        h('td', {}, live ? `${fmtNumber(loss <= 1 ? loss * 100 : loss, 1)}%` : '—'),
        h('td', {}, live ? `${fmtNumber(p.jitter_ms, 1)} ms` : '—'),
        h('td', {}, live ? `${fmtNumber(p.bitrate_kbps)} kbit/s` : '—'),
        h('td', {}, live && p.muted ? t('mon.muted') : '—'),
        own ? h('td', { class: 'controls' }, live ? [
          h('button', { type: 'button', onclick: () => send({ action: p.muted ? 'unmute' : 'mute', endpoint: p.endpoint }) }, p.muted ? t('mon.unmute') : t('mon.mute')),
          h('button', { type: 'button', onclick: () => send({ action: 'floor', endpoint: p.endpoint }) }, t('mon.floor'))] : null) : null);
    });
    return h('article', { class: 'meeting-card', dataset: { meeting: m.id } }, head, recMark, controls,
      h('div', { class: 'table-scroll' }, h('table', { class: 'participants' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('mon.room')), h('th', { scope: 'col' }, t('mon.quality')),
          h('th', { scope: 'col' }, t('mon.loss')), h('th', { scope: 'col' }, t('mon.jitter')),
          h('th', { scope: 'col' }, t('mon.bitrate')), h('th', { scope: 'col' }, t('mon.audio')),
          own ? h('th', { scope: 'col' }, t('mon.controls')) : null)),
        h('tbody', {}, rows))));
  }

  function drawMeetings(meetings) {
    if (!meetings.length) {
      cardSig.clear();
      meetingsBox.replaceChildren(h('p', {}, t('mon.no_meetings')));
      return;
    }
    const keep = new Set();
    const cards = meetings.map((m) => {
      keep.add(String(m.id));
      // The remaining time changes each minute: part of the signature.
      const sig = JSON.stringify(m) + Math.round((new Date(m.end) - Date.now()) / 60000);
      const old = meetingsBox.querySelector(`article[data-meeting="${CSS.escape(String(m.id))}"]`);
      if (old && (cardSig.get(String(m.id)) === sig || old.contains(document.activeElement))) return old;
      cardSig.set(String(m.id), sig);
      return meetingCard(m);
    });
    for (const id of [...cardSig.keys()]) if (!keep.has(id)) cardSig.delete(id);
    meetingsBox.replaceChildren(...cards);
  }

  async function poll(once) {
    if (stopped) return;
    clearTimeout(timer);
    try {
      const data = await api.monitor();
      if (stopped) return;
      const endpoints = data.endpoints || [];
      names = new Map(endpoints.map((e) => [e.code, e.name]));
      rooms = new Map(endpoints.map((e) => [e.code, e]));
      const online = endpoints.filter((e) => e.online).length;
      const inMeeting = endpoints.filter((e) => roomState(e) === 'in_meeting').length;
      const notReady = endpoints.filter((e) => e.online && e.ready === false).length;
      summary.textContent = t('mon.summary', { online, total: endpoints.length, meeting: inMeeting, notready: notReady });
      updated.textContent = t('mon.updated', { time: fmtTime(new Date()) + ':' + String(new Date().getUTCSeconds()).padStart(2, '0') });
      drawRooms(endpoints);
      drawMeetings(data.meetings || []);
      main.dataset.polls = String(Number(main.dataset.polls || 0) + 1);
    } catch (e) {
      if (!once) say(status, errorText(e), 'error');
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  await poll();
  return () => { stopped = true; clearTimeout(timer); };
}
