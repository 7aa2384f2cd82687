// The meeting details dialog opened from the calendar: shows a meeting and,
// for the organising unit's secretariat (or an admin), edits it — title,
// chair, rooms, date and times (PATCH with If-Match; a clash lists the
// meetings in the way and the next free slots, one click moves it there) —
// extends, ends, cancels and creates browser join links. Whoever may read
// the meeting's recordings (admin, manager, the unit's secretariat) sees
// them with a player and a download link; the link to a central
// conference is meeting-uplink.js's section.
import { api, ApiError, endpointCodes } from './api.js';
import { t } from './i18n.js';
import { h, field, say, copyText, select } from './dom.js';
import {
  fmtRange, fmtDate, fmtTime, fmtDateTime, parseDate, parseTime, vnDate, toIso,
} from './format.js';
import { errorText } from './errors.js';
import { showConflictAnswer } from './conflicts.js';
import { uplinkSection, canSeeUplink } from './meeting-uplink.js';

export function canManage(me, meeting) {
  if (!me) return false;
  return me.role === 'admin' || (me.role === 'secretariat' && me.unit === meeting.unit);
}

/** Who may read a meeting's recordings (the API's rule). */
export function canReadRecordings(me, meeting) {
  if (!me) return false;
  return me.role === 'admin' || me.role === 'manager' || (me.role === 'secretariat' && me.unit === meeting.unit);
}

/** "1:02:03" / "12:03" from seconds. */
export function fmtDuration(seconds) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  const hh = Math.floor(total / 3600); const mm = Math.floor((total % 3600) / 60); const ss = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}`;
}

/** "12.3 MB" from bytes. */
export function fmtBytes(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} kB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GB`;
}

export function statusLabel(status) {
  const key = `status.${status}`;
  const text = t(key);
  return text === key ? status || '' : text;
}

/**
 * Open the dialog; onChange() is called after any successful change so the
 * caller can reload its view.
 */
export function openMeetingDialog(meetingIn, { me, rooms, units, onChange }) {
  let meeting = meetingIn;
  const roomName = (code) => (rooms.get(code) && rooms.get(code).name) || code;
  const unitName = (code) => (units.get(code) && units.get(code).name) || meeting.unit_name || code;
  const dialog = h('dialog', { class: 'meeting-dialog', 'aria-labelledby': 'mtg-dialog-title' });
  const status = h('div', { role: 'status', 'aria-live': 'polite', class: 'form-status', id: 'mtg-status' });
  const conflictsOut = h('div', { class: 'conflicts', id: 'mtg-conflicts' });

  let changed = false;
  const uplink = canSeeUplink(me) ? uplinkSection(meeting, { me, rooms }) : null;
  const close = () => { dialog.close(); };
  dialog.addEventListener('close', () => {
    if (uplink) uplink.stop();
    dialog.remove();
    if (changed && onChange) onChange();
  });

  async function reload() {
    try { meeting = await api.meeting(meeting.id); } catch { /* keep what we had */ }
    draw();
  }

  async function act(fn, okText) {
    say(status, t('app.loading'));
    conflictsOut.replaceChildren();
    try {
      const result = await fn();
      if (result && result.id) meeting = result;
      else await reload();
      draw();
      say(status, okText, 'ok');
      changed = true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        await reload();
        say(status, t('mtg.stale'), 'error');
      } else if (e instanceof ApiError && e.status === 409 && e.body.suggestions) {
        say(status, errorText(e), 'error');
        showConflictAnswer(conflictsOut, e.body, {
          roomName,
          headingLevel: 'h3',
          onPick: (slot) => act(() => api.updateMeeting(meeting.id, meeting.version, { start: slot.start, end: slot.end }), t('mtg.saved')),
        });
      } else {
        say(status, errorText(e), 'error');
      }
    }
  }

  /** The meeting's recordings: a player and a download link each. */
  const recordingsBox = h('section', { class: 'recordings', id: 'mtg-recordings', 'aria-labelledby': 'mtg-rec-title' });
  async function loadRecordings() {
    const heading = h('h3', { id: 'mtg-rec-title' }, t('rec.heading'));
    let answer;
    try {
      answer = await api.recordings(meeting.id);
    } catch (e) {
      recordingsBox.replaceChildren(heading, h('p', { class: 'hint' }, errorText(e)));
      return;
    }
    const items = answer.recordings || [];
    const state = answer.state ? h('p', { class: `rec-state rec-${answer.state}` }, t(`rec.state_${answer.state}`)) : null;
    if (!items.length) {
      recordingsBox.replaceChildren(heading, state, h('p', { class: 'hint', id: 'mtg-rec-none' }, t('rec.none')));
      return;
    }
    const list = h('ol', { class: 'recording-list' }, items.map((r) => h('li', { dataset: { recording: String(r.id) } },
      h('p', {}, t('rec.segment', { n: r.segment }), ' · ', fmtDateTime(r.started_at), ' · ',
        fmtDuration(r.seconds), ' · ', fmtBytes(r.bytes)),
      h('video', { controls: true, preload: 'metadata', src: r.play_url, class: 'recording-player', 'aria-label': t('rec.segment', { n: r.segment }) }),
      h('p', { class: 'button-row' },
        h('a', { href: r.play_url, download: r.name, class: 'button download' }, t('rec.download')),
        me.role === 'admin' ? h('button', {
          type: 'button', class: 'danger',
          onclick: async () => {
            if (!confirm(t('rec.delete_confirm', { n: r.segment }))) return;
            try { await api.deleteRecording(r.id); say(status, t('rec.deleted'), 'ok'); loadRecordings(); } catch (e) { say(status, errorText(e), 'error'); }
          },
        }, t('rec.delete')) : null))));
    recordingsBox.replaceChildren(heading, state,
      h('p', { id: 'mtg-rec-total' }, t('rec.total', { n: answer.segments, time: fmtDuration(answer.seconds), size: fmtBytes(answer.bytes) })), list);
  }

  function draw() {
    const own = canManage(me, meeting);
    const live = !['cancelled', 'ended', 'displaced'].includes(meeting.status);
    const body = [
      h('h2', { id: 'mtg-dialog-title' }, meeting.title),
      h('dl', { class: 'facts' },
        h('dt', {}, t('mtg.time')), h('dd', {}, fmtRange(meeting.start, meeting.end)),
        h('dt', {}, t('mtg.unit')), h('dd', {}, unitName(meeting.unit)),
        h('dt', {}, t('mtg.chair')), h('dd', {}, roomName(meeting.chair)),
        h('dt', {}, t('mtg.status')), h('dd', {}, statusLabel(meeting.status)),
        h('dt', {}, t('mtg.rooms')),
        h('dd', {}, endpointCodes(meeting).map(roomName).join(', ')),
        h('dt', {}, t('rec.recorded')), h('dd', { id: 'mtg-record' }, meeting.record ? t('rec.yes') : t('rec.no'))),
    ];
    if (canReadRecordings(me, meeting)) body.push(recordingsBox);
    if (uplink) body.push(uplink.element);
    if (own && live) body.push(manageSection());
    else if (!own && live && me.role === 'secretariat') body.push(h('p', { class: 'hint' }, t('mtg.not_own')));
    body.push(status, conflictsOut, h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: close, class: 'close-dialog' }, t('app.close'))));
    dialog.replaceChildren(...body);
  }

  /** The edit form: title, chair, rooms, date and times; only what changed is sent. */
  function editForm() {
    const title = h('input', { type: 'text', name: 'title', value: meeting.title, class: 'wide', maxlength: 200 });
    const sortedRooms = [...rooms.values()].filter((r) => !r.deleted);
    const chair = select({ name: 'chair' }, sortedRooms.map((r) => ({ value: r.code, label: r.name })), meeting.chair);
    const current = new Set(endpointCodes(meeting));
    const boxes = new Map();
    const roomBoxes = h('fieldset', { class: 'dialog-rooms' }, h('legend', {}, t('mtg.edit_rooms')),
      sortedRooms.map((r) => {
        const box = h('input', { type: 'checkbox', value: r.code, id: `edit-room-${r.code}`, checked: current.has(r.code) });
        boxes.set(r.code, box);
        return h('label', { class: 'check', for: box.id }, box, ' ', r.name);
      }));
    const lockChair = () => {
      for (const [code, box] of boxes) {
        box.disabled = code === chair.value;
        if (box.disabled) box.checked = true;
      }
    };
    chair.addEventListener('change', lockChair);
    lockChair();
    const date = h('input', { type: 'text', name: 'date', inputmode: 'numeric', value: fmtDate(meeting.start), size: 10 });
    const start = h('input', { type: 'text', name: 'start', inputmode: 'numeric', value: fmtTime(meeting.start), size: 5 });
    const end = h('input', { type: 'text', name: 'end', inputmode: 'numeric', value: fmtTime(meeting.end), size: 5 });
    const record = h('input', { type: 'checkbox', name: 'record', id: 'mtg-edit-record', checked: Boolean(meeting.record) });
    const form = h('form', { class: 'edit-form', id: 'mtg-edit', 'aria-label': t('mtg.edit') },
      field(t('mtg.title'), title), field(t('mtg.chair'), chair), roomBoxes,
      h('label', { class: 'check', for: record.id }, record, ' ', t('rec.book_record')),
      h('div', { class: 'inline-form' }, field(t('book.date'), date), field(t('book.start'), start), field(t('book.end'), end)),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('mtg.edit_save'))));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const d = parseDate(date.value); const s = parseTime(start.value); const e = parseTime(end.value);
      if (!d) { say(status, t('book.err_date'), 'error'); return; }
      if (!s || !e) { say(status, t('book.err_time'), 'error'); return; }
      const startAt = vnDate(d.y, d.m, d.d, s.hh, s.mi);
      const endAt = vnDate(d.y, d.m, d.d, e.hh, e.mi);
      if (endAt <= startAt) { say(status, t('book.err_order'), 'error'); return; }
      if (!title.value.trim()) { say(status, t('book.err_title'), 'error'); return; }
      const chosen = [...boxes].filter(([, b]) => b.checked).map(([code]) => code);
      const patch = {};
      if (title.value.trim() !== meeting.title) patch.title = title.value.trim();
      if (chair.value !== meeting.chair) patch.chair = chair.value;
      if (chosen.length !== current.size || chosen.some((c) => !current.has(c))) patch.endpoints = chosen;
      if (toIso(startAt) !== toIso(meeting.start)) patch.start = toIso(startAt);
      if (toIso(endAt) !== toIso(meeting.end)) patch.end = toIso(endAt);
      if (record.checked !== Boolean(meeting.record)) patch.record = record.checked;
      if (!Object.keys(patch).length) { say(status, t('mtg.no_change'), 'info'); return; }
      act(() => api.updateMeeting(meeting.id, meeting.version, patch, scope), t('mtg.saved'));
    });
    return form;
  }

  /** For an occurrence of a series: this one, this and the following, or
   * the whole series — for the edit and the cancellation. */
  let scope = 'this';
  function scopeChoice() {
    if (!meeting.series_id) return null;
    return h('fieldset', { class: 'scope', id: 'mtg-scope' }, h('legend', {}, t('mtg.scope')),
      ['this', 'following', 'series'].map((value) => {
        const radio = h('input', { type: 'radio', name: 'mtg-scope', value, id: `mtg-scope-${value}`, checked: scope === value });
        radio.addEventListener('change', () => { scope = value; });
        return h('label', { class: 'check', for: radio.id }, radio, ' ', t(`mtg.scope_${value}`));
      }));
  }

  function manageSection() {
    const reschedule = editForm();

    const extend = h('div', { class: 'button-row', role: 'group', 'aria-label': t('mtg.extend') },
      h('span', {}, `${t('mtg.extend')}:`),
      [15, 30, 60].map((n) => h('button', {
        type: 'button', onclick: () => act(() => api.extendMeeting(meeting.id, n), t('mtg.extended')),
      }, t('mtg.extend_by', { n }))));

    const started = new Date(meeting.start) <= new Date();
    const dangerous = h('div', { class: 'button-row' },
      started ? h('button', {
        type: 'button',
        onclick: () => { if (confirm(t('mtg.end_confirm', { title: meeting.title }))) act(() => api.endMeeting(meeting.id), t('mtg.ended')); },
      }, t('mtg.end_now')) : null,
      h('button', {
        type: 'button', class: 'danger', id: 'mtg-cancel',
        onclick: () => {
          const question = scope === 'this' ? t('mtg.cancel_confirm', { title: meeting.title }) : t(`mtg.cancel_confirm_${scope}`, { title: meeting.title });
          if (confirm(question)) act(() => api.cancelMeeting(meeting.id, scope), t('mtg.cancelled'));
        },
      }, t('mtg.cancel')));

    const name = h('input', { type: 'text', value: t('mtg.join_name_default') });
    const linkOut = h('div', { class: 'join-link-out' });
    const joinForm = h('form', { class: 'inline-form' },
      field(t('mtg.join_name'), name), h('button', { type: 'submit' }, t('mtg.join_create')));
    joinForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const link = await api.createJoinLink(meeting.id, name.value.trim() || t('mtg.join_name_default'));
        const url = joinUrl(link);
        const out = h('input', { type: 'text', readonly: true, value: url, class: 'wide', 'aria-label': t('mtg.join_link') });
        linkOut.replaceChildren(
          h('p', {}, t('mtg.join_created', { expires: link.expires ? fmtDateTime(link.expires) : '—' })),
          out,
          h('button', { type: 'button', onclick: async () => { await copyText(url, out); say(status, t('app.copied'), 'ok'); } }, t('app.copy')));
      } catch (e) {
        say(status, errorText(e), 'error');
      }
    });

    return h('section', { class: 'manage' },
      h('h3', {}, t('mtg.edit')), scopeChoice(), reschedule, extend, dangerous,
      h('h3', {}, t('mtg.join_link')), joinForm, linkOut);
  }

  draw();
  document.body.append(dialog);
  dialog.showModal();
  if (canReadRecordings(me, meeting)) loadRecordings();
  return dialog;
}

/**
 * The absolute join URL for a join-link answer. It carries the meeting and
 * the token only: the join page asks the scheduler where to connect.
 */
export function joinUrl(link) {
  const url = new URL(link.url || `/#/join?meeting=${encodeURIComponent(link.meeting || '')}&token=${encodeURIComponent(link.token)}`, window.location.origin);
  const [path, query = ''] = url.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  if (!params.get('token') && link.token) params.set('token', link.token);
  url.hash = `${path}?${params}`;
  return url.toString();
}
