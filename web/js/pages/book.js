// Booking form: title, organiser, chair, rooms (one by one or by group),
// date and time in Vietnamese time, recurrence. Conflicts with meetings
// already booked are shown as soon as the rooms and time are chosen; a 409
// from the server lists conflicts and the next free slots, each of which can
// be booked with one click.
import { api, ApiError, endpointCodes } from '../api.js';
import { t } from '../i18n.js';
import { h, field, select, say } from '../dom.js';
import {
  parseDate, parseTime, vnDate, toIso, fmtRange, fmtDate, addMinutes, vnParts, pad2,
} from '../format.js';
import { sortRooms } from './calendar.js';

const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export async function render(main, { me, params, navigate }) {
  const [endpoints, units] = await Promise.all([api.endpoints(), api.units()]);
  const rooms = sortRooms(endpoints);
  const roomMap = new Map(rooms.map((r) => [r.code, r]));
  const roomName = (code) => (roomMap.get(code) && roomMap.get(code).name) || code;

  // Defaults: the next whole hour today, one hour long.
  const now = vnParts(new Date());
  const preDate = parseDate(params.get('date') || '');
  const defaultDate = preDate ? `${pad2(preDate.d)}/${pad2(preDate.m)}/${preDate.y}` : `${pad2(now.d)}/${pad2(now.m)}/${now.y}`;
  const startHour = Math.min(now.hh + 1, 22);

  const title = h('input', { type: 'text', name: 'title', required: true, class: 'wide', maxlength: 200 });
  const unitOptions = units.map((u) => ({ value: u.code, label: u.name }));
  const ownUnit = me.role === 'secretariat' ? me.unit : (units[0] && units[0].code);
  if (ownUnit && !unitOptions.some((o) => o.value === ownUnit)) unitOptions.unshift({ value: ownUnit, label: ownUnit });
  const unit = select({ name: 'unit', disabled: me.role === 'secretariat' }, unitOptions, ownUnit);
  const chair = select({ name: 'chair' }, [{ value: '', label: '—' }, ...rooms.map((r) => ({ value: r.code, label: r.name }))]);
  const date = h('input', { type: 'text', name: 'date', inputmode: 'numeric', value: defaultDate, size: 10, placeholder: 'dd/mm/yyyy', autocomplete: 'off' });
  const start = h('input', { type: 'text', name: 'start', inputmode: 'numeric', value: `${pad2(startHour)}:00`, size: 5, placeholder: 'HH:MM', autocomplete: 'off' });
  const end = h('input', { type: 'text', name: 'end', inputmode: 'numeric', value: `${pad2(startHour + 1)}:00`, size: 5, placeholder: 'HH:MM', autocomplete: 'off' });

  // Chair defaults to a room of the organising unit.
  const pickChair = () => {
    const own = rooms.find((r) => r.unit === unit.value && r.level === 'province') || rooms.find((r) => r.unit === unit.value);
    if (own) chair.value = own.code;
  };
  pickChair();
  unit.addEventListener('change', pickChair);

  // Rooms, grouped by level, each a checkbox.
  const boxes = new Map();
  const selectedCount = h('span', { class: 'count', 'aria-live': 'polite' });
  const byLevel = new Map();
  for (const r of rooms) {
    if (!byLevel.has(r.level)) byLevel.set(r.level, []);
    byLevel.get(r.level).push(r);
  }
  const roomGroups = [...byLevel.entries()].map(([level, list]) => h('fieldset', { class: 'room-group' },
    h('legend', {}, t(`level.${level}`)),
    h('div', { class: 'room-grid' }, list.map((r) => {
      const box = h('input', { type: 'checkbox', name: 'endpoints', value: r.code, id: `room-${r.code}` });
      boxes.set(r.code, box);
      return h('label', { class: 'check', for: box.id }, box, ' ', r.name);
    }))));
  const preRoom = params.get('endpoint');
  if (preRoom && boxes.has(preRoom)) boxes.get(preRoom).checked = true;

  // Only the units and rooms of the roster valid at the chosen start are
  // offered (issue #16: a unit dissolved by a reorganisation books nothing
  // after its end, a new one nothing before its start).
  const validAt = (item, at) => (!item.valid_from || Date.parse(item.valid_from) <= at)
    && (!item.valid_to || at < Date.parse(item.valid_to));
  const applyRoster = () => {
    const d = parseDate(date.value);
    if (!d) return;
    const tm = parseTime(start.value) || { hh: 0, mi: 0 };
    const at = vnDate(d.y, d.m, d.d, tm.hh, tm.mi).getTime();
    for (const r of rooms) {
      const ok = validAt(r, at);
      const box = boxes.get(r.code);
      box.disabled = !ok;
      if (!ok) box.checked = false;
      box.closest('label').hidden = !ok;
    }
    for (const fs of roomGroups) fs.hidden = [...fs.querySelectorAll('label')].every((l) => l.hidden);
    for (const o of chair.options) {
      const r = roomMap.get(o.value);
      o.disabled = o.hidden = Boolean(r) && !validAt(r, at);
    }
    if (chair.selectedOptions[0] && chair.selectedOptions[0].disabled) chair.value = '';
    for (const o of unit.options) {
      const u = units.find((x) => x.code === o.value);
      o.disabled = o.hidden = Boolean(u) && !validAt(u, at);
    }
  };
  date.addEventListener('change', applyRoster);
  start.addEventListener('change', applyRoster);

  const setLevel = (level, on) => {
    for (const r of rooms) if ((level === '*' || r.level === level) && !boxes.get(r.code).disabled) boxes.get(r.code).checked = on;
    changed();
  };
  const groupButtons = h('div', { class: 'button-row', role: 'group', 'aria-label': t('book.rooms_hint') },
    h('button', { type: 'button', dataset: { group: 'district' }, onclick: () => setLevel('district', true) }, t('book.group_district')),
    h('button', { type: 'button', dataset: { group: 'province' }, onclick: () => setLevel('province', true) }, t('book.group_province')),
    byLevel.has('department') ? h('button', { type: 'button', dataset: { group: 'department' }, onclick: () => setLevel('department', true) }, t('book.group_department')) : null,
    h('button', { type: 'button', dataset: { group: 'none' }, onclick: () => setLevel('*', false) }, t('book.group_none')),
    selectedCount);

  // Recurrence.
  const freq = select({ name: 'freq' }, [
    { value: '', label: t('book.rec_none') }, { value: 'daily', label: t('book.rec_daily') },
    { value: 'weekly', label: t('book.rec_weekly') }, { value: 'monthly', label: t('book.rec_monthly') }], '');
  const interval = h('input', { type: 'number', name: 'interval', min: 1, max: 52, value: 1, class: 'short' });
  const endKind = select({ name: 'rec_end' }, [{ value: 'count', label: t('book.rec_count') }, { value: 'until', label: t('book.rec_until') }], 'count');
  const count = h('input', { type: 'number', name: 'count', min: 1, max: 366, value: 4, class: 'short', 'aria-label': t('book.rec_count') });
  const until = h('input', { type: 'text', name: 'until', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', size: 10, 'aria-label': t('book.rec_until'), hidden: true });
  const dayShort = t('days.short');
  const byday = BYDAY.map((code, i) => {
    const box = h('input', { type: 'checkbox', value: code, id: `byday-${code}` });
    return { code, box, label: h('label', { class: 'check', for: box.id }, box, ' ', dayShort[(i + 1) % 7]) };
  });
  const skip = h('input', { type: 'checkbox', name: 'skip_conflicts', id: 'skip-conflicts' });
  const recDetails = h('div', { class: 'rec-details', hidden: true },
    field(t('book.interval'), interval),
    h('div', { class: 'field' }, h('label', { for: endKind.id = 'rec-end' }, t('book.rec_end')), h('div', { class: 'inline' }, endKind, count, until)),
    h('fieldset', { class: 'byday', hidden: true }, h('legend', {}, t('book.byday')), byday.map((b) => b.label)),
    h('label', { class: 'check', for: skip.id }, skip, ' ', t('book.skip_conflicts')));
  freq.addEventListener('change', () => {
    recDetails.hidden = !freq.value;
    recDetails.querySelector('.byday').hidden = freq.value !== 'weekly';
    // The first date must itself be an occurrence: tick its week day.
    const d = parseDate(date.value);
    if (freq.value === 'weekly' && d && !byday.some((b) => b.box.checked)) {
      const dow = new Date(Date.UTC(d.y, d.m - 1, d.d)).getUTCDay();
      byday[(dow + 6) % 7].box.checked = true;
    }
  });
  endKind.addEventListener('change', () => {
    count.hidden = endKind.value !== 'count';
    until.hidden = endKind.value !== 'until';
  });

  const live = h('div', { class: 'live-conflicts', 'aria-live': 'polite', id: 'live-conflicts' });
  const status = h('div', { class: 'form-status', role: 'alert', id: 'book-status' });
  const conflictsOut = h('div', { class: 'conflicts', id: 'conflicts' });

  const form = h('form', { class: 'card booking', novalidate: true, id: 'booking-form' },
    h('h1', {}, t('book.heading')),
    field(t('book.title'), title),
    h('div', { class: 'grid-2' }, field(t('book.unit'), unit), field(t('book.chair'), chair)),
    h('fieldset', { class: 'rooms' }, h('legend', {}, t('book.rooms')),
      h('p', { class: 'hint' }, t('book.rooms_hint')), groupButtons, roomGroups),
    h('div', { class: 'grid-3' }, field(t('book.date'), date), field(t('book.start'), start, t('book.tz_note')), field(t('book.end'), end)),
    live,
    field(t('book.recurrence'), freq),
    recDetails,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'book-submit' }, t('book.submit'))),
    status, conflictsOut);
  main.append(form);
  if (params.get('title')) title.value = params.get('title');

  /** Read the form; returns {body} or {error, control}. */
  function readForm() {
    const selected = [...boxes.entries()].filter(([, b]) => b.checked).map(([code]) => code);
    if (!title.value.trim()) return { error: t('book.err_title'), control: title };
    if (!chair.value) return { error: t('book.err_chair'), control: chair };
    const d = parseDate(date.value);
    if (!d) return { error: t('book.err_date'), control: date };
    const s = parseTime(start.value); const e = parseTime(end.value);
    if (!s) return { error: t('book.err_time'), control: start };
    if (!e) return { error: t('book.err_time'), control: end };
    const startAt = vnDate(d.y, d.m, d.d, s.hh, s.mi);
    const endAt = vnDate(d.y, d.m, d.d, e.hh, e.mi);
    if (endAt <= startAt) return { error: t('book.err_order'), control: end };
    const endpointsChosen = [...new Set([chair.value, ...selected])];
    if (endpointsChosen.length < 2) return { error: t('book.err_rooms'), control: boxes.values().next().value };
    const body = {
      title: title.value.trim(), unit: unit.value, chair: chair.value,
      endpoints: endpointsChosen, start: toIso(startAt), end: toIso(endAt),
    };
    if (freq.value) {
      const rec = { freq: freq.value, interval: Math.max(1, Number(interval.value) || 1) };
      if (endKind.value === 'until') {
        const u = parseDate(until.value);
        if (!u) return { error: t('book.err_date'), control: until };
        rec.until = toIso(vnDate(u.y, u.m, u.d, 23, 59));
      } else rec.count = Math.max(1, Number(count.value) || 1);
      if (freq.value === 'weekly') {
        const days = byday.filter((b) => b.box.checked).map((b) => b.code);
        if (days.length) rec.byday = days;
      }
      body.recurrence = rec;
      if (skip.checked) body.skip_conflicts = true;
    }
    return { body };
  }

  // Live conflict check against meetings already booked (debounced).
  let liveTimer = null;
  let liveSerial = 0;
  function changed() {
    const n = [...boxes.values()].filter((b) => b.checked).length;
    selectedCount.textContent = t('book.selected', { n });
    stopLive();
    liveTimer = setTimeout(checkLive, 400);
  }
  function stopLive() {
    clearTimeout(liveTimer);
    liveSerial += 1; // an answer still on its way is dropped
    live.replaceChildren();
  }
  async function checkLive() {
    const serial = ++liveSerial;
    const r = readForm();
    if (r.error) { live.replaceChildren(); return; }
    let list;
    try {
      list = await api.meetings({ from: r.body.start, to: r.body.end });
    } catch { return; }
    if (serial !== liveSerial) return;
    const s = new Date(r.body.start); const e = new Date(r.body.end);
    const wanted = new Set(r.body.endpoints);
    const hits = [];
    for (const m of list) {
      if (['cancelled', 'ended', 'displaced'].includes(m.status)) continue;
      if (!(new Date(m.start) < e && new Date(m.end) > s)) continue;
      for (const code of endpointCodes(m)) if (wanted.has(code)) hits.push({ code, m });
    }
    if (!hits.length) { live.replaceChildren(h('p', { class: 'msg msg-ok' }, t('book.live_ok'))); return; }
    live.replaceChildren(h('div', { class: 'msg msg-warn' },
      h('strong', {}, t('book.live_conflicts')),
      h('ul', {}, hits.map(({ code, m }) => h('li', {}, t('book.conflict_line', { room: roomName(code), title: m.title, time: fmtRange(m.start, m.end) }))))));
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  applyRoster();
  changed();

  async function submit(body) {
    say(status, t('app.loading'));
    conflictsOut.replaceChildren();
    try {
      const created = await api.createMeeting(body);
      const when = fmtRange(created.start || body.start, created.end || body.end);
      const text = created.occurrences
        ? t('book.booked_series', { n: created.occurrences.length, skipped: (created.skipped || []).length })
        : t('book.booked', { title: created.title || body.title, time: when });
      const skippedList = (created.skipped || []).length ? h('ul', {}, created.skipped.map((x) => h('li', {},
        fmtRange(x.start, x.end), ' — ', x.holiday || t(`book.skip_${x.reason}`)))) : null;
      status.replaceChildren(h('div', { class: 'msg msg-ok', id: 'book-success', dataset: { meeting: created.id ?? created.series_id ?? '' } },
        text, ' ',
        h('a', { href: `#/calendar?${new URLSearchParams({ week: fmtDate(created.start || body.start), meeting: created.id ?? '' })}` }, t('book.view_calendar')),
        skippedList));
      // No live check now: it would only find the meeting just booked.
      stopLive();
      const done = status.querySelector('#book-success');
      done.setAttribute('tabindex', '-1');
      done.focus();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) showConflicts(body, e.body);
      else if (e instanceof ApiError && e.status === 403) say(status, t('app.forbidden'), 'error');
      else say(status, e.message, 'error');
    }
  }

  function showConflicts(body, answer) {
    say(status, t('book.conflict_status'), 'error');
    const conflicts = answer.conflicts || [];
    const suggestions = answer.suggestions || [];
    conflictsOut.replaceChildren(
      h('h2', {}, t('book.conflict_heading')),
      h('ul', { class: 'conflict-list' }, conflicts.map((c) => {
        const m = c.meeting || {};
        return h('li', {}, t('book.conflict_line', { room: roomName(c.endpoint), title: m.title || `#${m.id}`, time: m.start ? fmtRange(m.start, m.end) : '' }));
      })),
      h('h3', {}, t('book.suggestions')),
      suggestions.length
        ? h('ul', { class: 'suggestions' }, suggestions.map((s) => h('li', {},
          h('button', {
            type: 'button', class: 'suggestion', dataset: { start: s.start, end: s.end },
            onclick: () => pickSuggestion(body, s),
          }, t('book.suggestion_pick', { time: fmtRange(s.start, s.end) })))))
        : h('p', {}, t('book.no_suggestions')));
    const first = conflictsOut.querySelector('button.suggestion');
    if (first) first.focus();
  }

  function pickSuggestion(body, slot) {
    stopLive();
    // Show the chosen slot in the form, then book it.
    const p = vnParts(slot.start); const q = vnParts(slot.end);
    date.value = `${pad2(p.d)}/${pad2(p.m)}/${p.y}`;
    start.value = `${pad2(p.hh)}:${pad2(p.mi)}`;
    end.value = `${pad2(q.hh)}:${pad2(q.mi)}`;
    submit({ ...body, start: slot.start, end: slot.end });
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const r = readForm();
    if (r.error) {
      say(status, r.error, 'error');
      if (r.control) r.control.focus();
      return;
    }
    submit(r.body);
  });
  title.focus();
  return () => clearTimeout(liveTimer);
}
