// Booking form: title, organiser, chair, rooms (one by one or by group),
// date and time in Vietnamese time, recurrence. Conflicts with meetings
// already booked are shown as soon as the rooms and time are chosen; a 409
// from the server lists conflicts and the next free slots, each of which can
// be booked with one click.
//
// The live check asks the scheduler for a preview of the booking (POST
// /api/v1/meetings/preview): the same rules as booking (a past start, a
// meeting too long… in the UI's language), every occurrence of a series
// with its holiday and its conflicts, and a warning when a year's holiday
// calendar is incomplete. Its message is replaced, never cleared first,
// so that the form does not jump under the pointer (#17, finding 1).
import { api, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { h, field, select, say } from '../dom.js';
import {
  parseDate, parseTime, vnDate, toIso, fmtRange, fmtDate, vnParts, pad2,
} from '../format.js';
import { errorText } from '../errors.js';
import { conflictList, showConflictAnswer } from '../conflicts.js';
import { sortRooms } from './calendar.js';

const BYDAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export async function render(main, { me, params, navigate }) {
  const [endpoints, unitAnswer] = await Promise.all([api.endpoints(), api.unitsWithDefaults()]);
  const units = (unitAnswer && unitAnswer.units) || [];
  const siteRecordDefault = Boolean(unitAnswer && unitAnswer.record_default);
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
    syncChair();
  };

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
      return h('label', { class: 'check', for: box.id }, box, ' ', r.name,
        h('small', { class: 'chair-mark' }, ` (${t('book.chair_mark')})`));
    }))));
  const preRoom = params.get('endpoint');
  if (preRoom && boxes.has(preRoom)) boxes.get(preRoom).checked = true;

  // The chair room takes part: its box is ticked, counted and locked while
  // it is the chair (#17, finding 2); the previous chair is released.
  let chairBox = null;
  function syncChair() {
    const box = boxes.get(chair.value) || null;
    if (chairBox && chairBox !== box) {
      // released: open again, unless the roster of the date closed it
      chairBox.disabled = chairBox.closest('label').hidden;
      chairBox.closest('label').classList.remove('is-chair');
    }
    chairBox = box;
    if (box) {
      box.checked = true;
      box.disabled = true;
      box.closest('label').classList.add('is-chair');
    }
  }
  chair.addEventListener('change', syncChair);
  unit.addEventListener('change', pickChair);


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
    syncChair(); // the chair's box stays ticked and locked
    for (const o of unit.options) {
      const u = units.find((x) => x.code === o.value);
      o.disabled = o.hidden = Boolean(u) && !validAt(u, at);
    }
  };
  date.addEventListener('change', applyRoster);
  start.addEventListener('change', applyRoster);

  const setLevel = (level, on) => {
    for (const r of rooms) {
      const box = boxes.get(r.code);
      if ((level === '*' || r.level === level) && !box.closest('label').hidden) box.checked = on || box === chairBox;
    }
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
  // Record the meeting: the unit's default (else the site's) until touched.
  const record = h('input', { type: 'checkbox', name: 'record', id: 'book-record' });
  let recordTouched = false;
  const recordDefault = () => {
    if (recordTouched) return;
    const u = units.find((x) => x.code === unit.value);
    record.checked = u && u.record_default !== null && u.record_default !== undefined ? Boolean(u.record_default) : siteRecordDefault;
  };
  record.addEventListener('change', () => { recordTouched = true; });
  unit.addEventListener('change', recordDefault);
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
    h('label', { class: 'check', for: record.id }, record, ' ', t('rec.book_record')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary', id: 'book-submit' }, t('book.submit'))),
    status, conflictsOut);
  main.append(form);
  if (params.get('title')) title.value = params.get('title');
  // A free slot picked in the calendar's day view.
  if (parseTime(params.get('start') || '') && parseTime(params.get('end') || '')) {
    start.value = params.get('start');
    end.value = params.get('end');
  }
  pickChair();
  recordDefault();

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
      endpoints: endpointsChosen, start: toIso(startAt), end: toIso(endAt), record: record.checked,
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

  // Live check: the scheduler's preview of this booking (debounced).
  let liveTimer = null;
  let liveSerial = 0;
  function changed() {
    const n = [...boxes.values()].filter((b) => b.checked).length;
    selectedCount.textContent = t('book.selected', { n });
    stopLive(false);
    liveTimer = setTimeout(checkLive, 400);
  }
  /** Drops an answer still on its way; `clear` also empties the region. */
  function stopLive(clear) {
    clearTimeout(liveTimer);
    liveSerial += 1;
    if (clear) live.replaceChildren();
  }
  async function checkLive() {
    const serial = ++liveSerial;
    const r = readForm();
    if (r.error) { live.replaceChildren(); return; }
    if (new Date(r.body.start) < new Date()) {
      live.replaceChildren(h('p', { class: 'msg msg-error', id: 'live-error' }, t('err.in_past')));
      return;
    }
    let answer;
    try {
      answer = await api.previewMeeting(r.body);
    } catch (e) {
      if (serial !== liveSerial) return;
      live.replaceChildren(h('p', { class: 'msg msg-error', id: 'live-error' }, errorText(e)));
      return;
    }
    if (serial !== liveSerial) return;
    live.replaceChildren(...previewView(answer, Boolean(r.body.recurrence)));
  }

  /** The preview: a warning per incomplete holiday year, then either the
   * series' occurrences as a table or the single meeting's conflicts. */
  function previewView(answer, series) {
    const out = [];
    for (const y of answer.incomplete_holiday_years || []) {
      if (!series && !(answer.occurrences || []).some((o) => o.holiday)) continue;
      out.push(h('p', { class: 'msg msg-warn holiday-warning', dataset: { year: y.year } },
        t('book.holidays_incomplete', { year: y.year, what: y.missing.map((m) => t(`book.missing_${m}`)).join(', ') })));
    }
    const occurrences = answer.occurrences || [];
    if (series) {
      out.push(seriesTable(occurrences, answer.bookable));
      return out;
    }
    const conflicts = occurrences.flatMap((o) => o.conflicts || []);
    if (!conflicts.length) out.push(h('p', { class: 'msg msg-ok' }, t('book.live_ok')));
    else out.push(h('div', { class: 'msg msg-warn' }, h('strong', {}, t('book.live_conflicts')), conflictList(conflicts, roomName)));
    return out;
  }

  function seriesTable(occurrences, bookable) {
    const holidays = occurrences.filter((o) => o.holiday).length;
    const clashes = occurrences.filter((o) => !o.holiday && (o.conflicts || []).length).length;
    const note = (o) => {
      if (o.holiday) {
        return h('span', { class: 'badge holiday' }, t('book.preview_holiday', { name: o.holiday }),
          o.provisional ? ` ${t('book.preview_provisional')}` : '');
      }
      if ((o.conflicts || []).length) {
        return h('span', { class: 'badge conflict' }, t('book.preview_conflict', {
          list: o.conflicts.map((c) => `${roomName(c.endpoint)} — ${c.meeting.title}`).join('; '),
        }));
      }
      return t('book.preview_free');
    };
    return h('div', { class: 'series-preview', id: 'series-preview' },
      h('h2', {}, t('book.preview_heading')),
      h('p', { id: 'series-summary' }, t('book.preview_summary', { n: bookable ?? occurrences.length - holidays, h: holidays, c: clashes })),
      h('div', { class: 'table-scroll' }, h('table', { class: 'numbers preview-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('book.preview_col_date')),
          h('th', { scope: 'col' }, t('book.preview_col_time')), h('th', { scope: 'col' }, t('book.preview_col_note')))),
        h('tbody', {}, occurrences.map((o) => h('tr', {
          dataset: { start: o.start, holiday: String(Boolean(o.holiday)), provisional: String(Boolean(o.provisional)), conflicts: String((o.conflicts || []).length) },
        }, h('th', { scope: 'row' }, fmtDate(o.start)), h('td', {}, fmtRange(o.start, o.end).split(' ').pop()), h('td', {}, note(o))))))));
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
      stopLive(true);
      const done = status.querySelector('#book-success');
      done.setAttribute('tabindex', '-1');
      done.focus();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.body.suggestions) showConflicts(body, e.body);
      else say(status, errorText(e), 'error');
    }
  }

  function showConflicts(body, answer) {
    say(status, answer.reason === 'room_conflict' || !answer.reason ? t('book.conflict_status') : errorText({ body: answer, status: 409 }), 'error');
    showConflictAnswer(conflictsOut, answer, { roomName, onPick: (slot) => pickSuggestion(body, slot) });
  }

  function pickSuggestion(body, slot) {
    stopLive(true);
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
