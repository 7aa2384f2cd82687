// "Liên thông lên cấp trên": the meeting dialog's section that links the
// meeting's room into a higher-level (central) conference
// (GET/PUT/DELETE /api/v1/meetings/ID/uplink, docs/central-conference.md).
// Shown to whoever may read it (admin, manager, secretariat); the form to
// whoever runs the meeting (the API's rule: who may book for its unit, and
// the chair room's secretariat). The live state is read again every 2 s
// while the dialog is open.
import { api } from './api.js';
import { t } from './i18n.js';
import { h, field, say } from './dom.js';
import { fmtDateTime } from './format.js';
import { errorText } from './errors.js';

const REFRESH_MS = 2000;

/** Who may set or remove the link (sched_auth_can_run_meeting). */
export function canLinkUp(me, meeting, rooms) {
  if (!me) return false;
  if (me.role === 'admin') return true;
  if (me.role !== 'secretariat') return false;
  const chair = rooms && rooms.get(meeting.chair);
  return me.unit === meeting.unit || Boolean(chair && chair.unit === me.unit);
}

/** Who may see it. */
export function canSeeUplink(me) {
  return Boolean(me) && ['admin', 'manager', 'secretariat'].includes(me.role);
}

/** The state's words: off, waiting, connecting, connected, retrying. */
export function uplinkStateText(state) {
  const key = `uplink.state_${state}`;
  const text = t(key);
  return text === key ? state || '' : text;
}

/**
 * The section; the caller puts it in the dialog and calls stop() when the
 * dialog closes.
 */
export function uplinkSection(meeting, { me, rooms }) {
  const may = canLinkUp(me, meeting, rooms) && !['cancelled', 'ended', 'displaced'].includes(meeting.status);
  const section = h('section', { class: 'uplink', id: 'mtg-uplink', 'aria-labelledby': 'mtg-uplink-title' });
  const heading = h('h3', { id: 'mtg-uplink-title' }, t('uplink.heading'));
  const stateOut = h('p', { class: 'uplink-state', id: 'mtg-uplink-state', role: 'status', 'aria-live': 'polite' });
  const status = h('div', { class: 'form-status', id: 'mtg-uplink-status', role: 'status', 'aria-live': 'polite' });
  const url = h('input', { type: 'url', name: 'signal_url', class: 'wide', placeholder: 'wss://…/rooms/…/signal', autocomplete: 'off', spellcheck: 'false' });
  const token = h('textarea', { name: 'token', rows: 3, class: 'wide', autocomplete: 'off', spellcheck: 'false' });
  const save = h('button', { type: 'submit' }, t('uplink.save'));
  const remove = h('button', { type: 'button', class: 'danger', id: 'mtg-uplink-remove', hidden: true }, t('uplink.remove'));
  const form = h('form', { class: 'uplink-form', id: 'mtg-uplink-form' },
    field(t('uplink.signal_url'), url, t('uplink.signal_url_hint')),
    field(t('uplink.token'), token, t('uplink.token_hint')),
    h('p', { class: 'button-row' }, save, remove));
  let timer = 0;
  let stopped = false;

  function show(link) {
    section.dataset.state = link.state;
    const parts = [h('strong', {}, uplinkStateText(link.state))];
    if (link.signal_url) parts.push(' · ', h('span', { class: 'uplink-url' }, link.signal_url));
    if (link.endpoint) parts.push(' · ', t('uplink.as', { endpoint: link.endpoint }));
    if (link.connected_at && link.state === 'connected') parts.push(' · ', t('uplink.since', { time: fmtDateTime(link.connected_at) }));
    if (link.last_error) parts.push(h('br'), h('span', { class: 'uplink-error' }, link.last_error));
    stateOut.replaceChildren(...parts);
    remove.hidden = !link.signal_url;
    if (link.signal_url && !url.value && document.activeElement !== url) url.value = link.signal_url;
  }

  async function refresh() {
    if (stopped) return;
    try {
      show(await api.uplink(meeting.id));
    } catch (e) {
      stateOut.replaceChildren(errorText(e));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    say(status, t('app.loading'));
    try {
      show(await api.setUplink(meeting.id, url.value.trim(), token.value.trim()));
      token.value = '';
      say(status, t('uplink.saved'), 'ok');
    } catch (e) {
      say(status, errorText(e), 'error');
    }
  });
  remove.addEventListener('click', async () => {
    if (!confirm(t('uplink.remove_confirm'))) return;
    say(status, t('app.loading'));
    try {
      await api.clearUplink(meeting.id);
      url.value = '';
      say(status, t('uplink.removed'), 'ok');
      show(await api.uplink(meeting.id));
    } catch (e) {
      say(status, errorText(e), 'error');
    }
  });

  section.replaceChildren(heading, stateOut, may ? form : null, status);
  refresh();
  return {
    element: section,
    stop() { stopped = true; clearTimeout(timer); },
  };
}
