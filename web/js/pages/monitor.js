// Live monitor: every room online / offline / in a meeting with its
// readiness (green/red), and the meetings under way with each participant's
// connection quality as the bridge reports it. The chair's secretariat (and
// an admin) gets the chair controls: mute, give the floor, layout.
// Polls GET /api/v1/monitor every 2 s while the page is shown.
import { api } from '../api.js';
import { t, fmtNumber } from '../i18n.js';
import { h, select, say } from '../dom.js';
import { fmtRange, fmtTime } from '../format.js';
import { sortRooms } from './calendar.js';
import { canManage } from '../meeting-dialog.js';

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

  function meetingCard(m) {
    const room = m.room;
    const own = canManage(me, m);
    const send = async (body) => {
      try {
        await api.control(m.id, body);
        say(status, t('mon.done'), 'ok');
        poll(true);
      } catch (e) { say(status, e.status === 403 ? t('app.forbidden') : e.message, 'error'); }
    };
    const head = h('div', { class: 'meeting-head' },
      h('h3', {}, m.title),
      h('p', {}, fmtRange(m.start, m.end), ' · ', m.unit_name || unitNames.get(m.unit) || m.unit, ' · ', t('mtg.chair'), ': ', names.get(m.chair) || m.chair));
    if (!room) return h('article', { class: 'meeting-card', dataset: { meeting: m.id } }, head, h('p', { class: 'hint' }, t('mon.no_bridge')));

    const layout = select({ 'aria-label': t('mon.layout') }, ['grid', 'speaker', 'chair'].map((v) => ({ value: v, label: t(`mon.layout_${v}`) })), room.layout);
    const controls = own ? h('div', { class: 'button-row' },
      h('label', {}, t('mon.layout'), ' ', layout),
      h('button', { type: 'button', onclick: () => send({ action: 'layout', layout: layout.value }) }, t('mon.apply_layout'))) : null;

    const rows = (room.participants || []).map((p) => {
      const q = quality(p);
      const loss = Number(p.loss) || 0;
      const name = p.name || names.get(p.endpoint) || p.endpoint;
      return h('tr', { dataset: { endpoint: p.endpoint, connected: String(Boolean(p.connected)), quality: q } },
        h('th', { scope: 'row' }, name,
          p.endpoint === room.active_speaker || p.speaking ? h('span', { class: 'badge speaking' }, t('mon.speaking')) : null,
          p.endpoint === room.floor ? h('span', { class: 'badge floor' }, t('mon.has_floor')) : null),
        h('td', {}, h('span', { class: `badge q-${q}` }, t(`mon.q_${q}`))),
        h('td', {}, `${fmtNumber(loss <= 1 ? loss * 100 : loss, 1)}%`),
        h('td', {}, `${fmtNumber(p.jitter_ms, 1)} ms`),
        h('td', {}, `${fmtNumber(p.bitrate_kbps)} kbit/s`),
        h('td', {}, p.muted ? t('mon.muted') : '—'),
        own ? h('td', { class: 'controls' },
          h('button', { type: 'button', onclick: () => send({ action: p.muted ? 'unmute' : 'mute', endpoint: p.endpoint }) }, p.muted ? t('mon.unmute') : t('mon.mute')),
          h('button', { type: 'button', onclick: () => send({ action: 'floor', endpoint: p.endpoint }) }, t('mon.floor'))) : null);
    });
    return h('article', { class: 'meeting-card', dataset: { meeting: m.id } }, head, controls,
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
      const sig = JSON.stringify(m);
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
      const online = endpoints.filter((e) => e.online).length;
      const inMeeting = endpoints.filter((e) => roomState(e) === 'in_meeting').length;
      const notReady = endpoints.filter((e) => e.online && e.ready === false).length;
      summary.textContent = t('mon.summary', { online, total: endpoints.length, meeting: inMeeting, notready: notReady });
      updated.textContent = t('mon.updated', { time: fmtTime(new Date()) + ':' + String(new Date().getUTCSeconds()).padStart(2, '0') });
      drawRooms(endpoints);
      drawMeetings(data.meetings || []);
      main.dataset.polls = String(Number(main.dataset.polls || 0) + 1);
    } catch (e) {
      if (!once) say(status, e.status === 0 ? t('app.network_error') : e.message, 'error');
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  await poll();
  return () => { stopped = true; clearTimeout(timer); };
}
