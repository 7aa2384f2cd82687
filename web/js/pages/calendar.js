// Secretariat's calendar, for 44 to 150 rooms (#17, finding 10).
//
// Week view: rooms down the side, grouped by level and, within a level, by
// unit (each group folds, with its count; see unitGroupOf), the
// seven days of the week (Monday first, Vietnamese time) across, meetings
// as chips. The table scrolls inside its own box, so the day header and the
// room column stay in sight (sticky). Holidays are shaded (provisional
// lunar ones marked), cancelled meetings are hidden unless asked for, and
// the search box narrows the rooms. Day view (?view=day): rooms × hours of
// one day; a free hour is a link that books that room at that hour. A chip
// opens the meeting dialog.
import { api, endpointCodes } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h } from '../dom.js';
import {
  vnWeekStart, addDays, fmtDate, fmtTime, vnDayKey, vnParts, toIso, parseDate, vnDate, pad2,
} from '../format.js';
import { openMeetingDialog, canManage, statusLabel } from '../meeting-dialog.js';

const LEVEL_ORDER = { province: 0, department: 1, district: 2, commune: 3 };
const DAY_HOURS = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
const FOLDED_KEY = 'vc.calendar.folded';
const GONE = ['cancelled', 'displaced'];

/**
 * The unit a room is listed under within its level: the unit of its parent
 * room when it has one (a district party committee's room under Tỉnh ủy, a
 * commune's under its district), else its own unit; '' for neither. A
 * district's rooms each have a unit of their own, so grouping by that alone
 * would make 42 groups of one room.
 */
export function unitGroupOf(room, roomsByCode) {
  const parent = room.parent && roomsByCode.get(room.parent);
  return (parent && parent.unit) || room.unit || '';
}

export function sortRooms(list) {
  return [...list].sort((a, b) => (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9)
    || String(a.name).localeCompare(String(b.name), 'vi'));
}

function readFolded() {
  try { return new Set(JSON.parse(sessionStorage.getItem(FOLDED_KEY) || '[]')); } catch { return new Set(); }
}

function saveFolded(set) {
  try { sessionStorage.setItem(FOLDED_KEY, JSON.stringify([...set])); } catch { /* not kept */ }
}

/** Holidays of the years the days fall in: Map "yyyy-mm-dd" → {name, provisional}. */
async function loadHolidays(days) {
  const years = [...new Set(days.map((d) => vnParts(d).y))];
  const map = new Map();
  const answers = await Promise.all(years.map((y) => api.holidays(y).catch(() => null)));
  for (const a of answers) for (const x of (a && a.holidays) || []) map.set(x.date, x);
  return map;
}

/** room code → day key → meetings, each list by start. */
function indexMeetings(meetings) {
  const cells = new Map();
  for (const m of meetings) {
    const dayKeys = new Set([vnDayKey(m.start)]);
    for (let d = new Date(m.start); d < new Date(m.end); d = addDays(d, 1)) dayKeys.add(vnDayKey(d));
    for (const code of endpointCodes(m)) {
      if (!cells.has(code)) cells.set(code, new Map());
      const row = cells.get(code);
      for (const k of dayKeys) {
        if (!row.has(k)) row.set(k, []);
        row.get(k).push(m);
      }
    }
  }
  for (const row of cells.values()) for (const list of row.values()) list.sort((a, b) => new Date(a.start) - new Date(b.start));
  return cells;
}

export async function render(main, { me, params, navigate }) {
  const dayView = params.get('view') === 'day';
  const asked = parseDate(params.get(dayView ? 'day' : 'week') || params.get('week') || '');
  const anchor = asked ? vnDate(asked.y, asked.m, asked.d) : new Date();
  const weekStart = vnWeekStart(anchor);
  const dayStart = vnDate(vnParts(anchor).y, vnParts(anchor).m, vnParts(anchor).d);
  const from = dayView ? dayStart : weekStart;
  const to = addDays(from, dayView ? 1 : 7);
  const days = dayView ? [dayStart] : [...Array(7).keys()].map((i) => addDays(weekStart, i));
  const showCancelled = params.get('cancelled') === '1';
  const linkParams = (extra) => ({
    ...(dayView ? { view: 'day', day: fmtDate(from) } : { week: fmtDate(from) }),
    ...(showCancelled ? { cancelled: '1' } : {}), ...extra,
  });

  const [endpoints, units, meetings, holidays] = await Promise.all([
    api.endpoints(), api.units(), api.meetings({ from: toIso(from), to: toIso(to) }), loadHolidays(days),
  ]);
  const rooms = new Map(endpoints.map((e) => [e.code, e]));
  const unitMap = new Map(units.map((u) => [u.code, u]));
  const shown = meetings.filter((m) => showCancelled || !GONE.includes(m.status));
  const cells = indexMeetings(shown);

  let alive = true;
  const reload = () => { if (alive) navigate('calendar', linkParams({})); };
  const todayKey = vnDayKey(new Date());
  const canBook = me.role === 'admin' || me.role === 'secretariat';
  const open = (m) => openMeetingDialog(m, { me, rooms, units: unitMap, onChange: reload });

  main.append(toolbar(), legend());
  const sorted = sortRooms(endpoints);
  if (!sorted.length) {
    main.append(h('p', {}, t('cal.no_rooms')));
    return () => { alive = false; };
  }
  const table = dayView ? dayTable(sorted) : weekTable(sorted);
  const search = main.querySelector('#cal-filter');
  search.addEventListener('input', () => applyFilter(table, search.value));
  main.append(h('div', { class: 'table-scroll calendar-scroll', id: 'calendar-scroll', tabindex: '0', 'aria-label': t('cal.heading') }, table));

  // Deep link from a booking: #/calendar?week=..&meeting=ID opens it.
  const openId = params.get('meeting');
  if (openId) {
    const m = meetings.find((x) => String(x.id) === openId);
    if (m) open(m);
  }
  return () => { alive = false; document.querySelectorAll('dialog.meeting-dialog').forEach((d) => d.close()); };

  function toolbar() {
    const step = dayView ? 1 : 7;
    const live = meetings.filter((m) => !GONE.includes(m.status)).length;
    const label = dayView
      ? t('cal.day_of', { day: `${t('days.long')[vnParts(from).dow]} ${fmtDate(from)}` })
      : t('cal.week_of', { from: fmtDate(from), to: fmtDate(addDays(from, 6)) });
    const cancelled = h('input', { type: 'checkbox', id: 'cal-show-cancelled', checked: showCancelled });
    cancelled.addEventListener('change', () => navigate('calendar', { ...linkParams({}), cancelled: cancelled.checked ? '1' : '0' }));
    return h('div', { class: 'toolbar' },
      h('h1', {}, dayView ? t('cal.heading_day') : t('cal.heading')),
      h('div', { class: 'button-row', role: 'group', 'aria-label': t('cal.navigation') },
        h('button', { type: 'button', onclick: () => navigate('calendar', linkParams(dayKeyParam(addDays(from, -step)))) }, dayView ? t('cal.prev_day') : t('cal.prev')),
        h('button', { type: 'button', onclick: () => navigate('calendar', linkParams(dayKeyParam(new Date()))) }, dayView ? t('cal.today_day') : t('cal.today')),
        h('button', { type: 'button', onclick: () => navigate('calendar', linkParams(dayKeyParam(addDays(from, step)))) }, dayView ? t('cal.next_day') : t('cal.next')),
        h('a', {
          class: 'button-link', id: 'cal-switch-view',
          href: `#/calendar?${new URLSearchParams(dayView ? { week: fmtDate(from) } : { view: 'day', day: fmtDate(days.find((d) => vnDayKey(d) === todayKey) || from) })}`,
        }, dayView ? t('cal.week_view') : t('cal.day_view'))),
      h('p', { class: 'week-label', 'aria-live': 'polite' }, label, ' · ',
        h('span', { id: 'cal-count' }, t(live === 1 ? 'cal.count_one' : 'cal.count', { n: live }))),
      h('div', { class: 'field inline' }, h('label', { for: 'cal-filter' }, t('cal.filter')),
        h('input', { type: 'search', placeholder: t('cal.filter_placeholder'), id: 'cal-filter' })),
      h('label', { class: 'check', for: cancelled.id }, cancelled, ' ', t('cal.show_cancelled')));
  }

  function dayKeyParam(date) {
    return dayView ? { day: fmtDate(date) } : { week: fmtDate(date) };
  }

  function legend() {
    return h('p', { class: 'legend' },
      h('span', { class: 'chip own' }, t('cal.legend_own')), ' ',
      h('span', { class: 'chip' }, t('cal.legend_other')), ' ',
      h('span', { class: 'chip holiday-key' }, t('cal.legend_holiday')));
  }

  function holidayOf(d) {
    return holidays.get(vnDayKey(d)) || null;
  }

  function holidayText(x) {
    const name = getLang() === 'en' && x.name_en ? x.name_en : x.name;
    return x.provisional ? `${name} ${t('cal.provisional')}` : name;
  }

  function chip(m) {
    return h('button', {
      type: 'button',
      class: `chip${canManage(me, m) ? ' own' : ''} status-${m.status || 'scheduled'}`,
      dataset: { meeting: m.id, status: m.status || 'scheduled' },
      title: `${fmtTime(m.start)}–${fmtTime(m.end)} ${m.title} — ${statusLabel(m.status)}`,
      onclick: () => open(m),
    }, h('span', { class: 'chip-time' }, `${fmtTime(m.start)}–${fmtTime(m.end)}`), ' ', m.title);
  }

  /**
   * One tbody per level: a header row that folds the level, then per unit
   * (unitGroupOf) a header row that folds the unit, then its rooms. Folded
   * groups are kept for the session ("level" and "level/unit" keys).
   */
  function groupBodies(sortedRooms, columns, roomRow) {
    const folded = readFolded();
    const byLevel = new Map();
    for (const r of sortedRooms) {
      if (!byLevel.has(r.level)) byLevel.set(r.level, new Map());
      const units = byLevel.get(r.level);
      const key = unitGroupOf(r, rooms);
      if (!units.has(key)) units.set(key, []);
      units.get(key).push(r);
    }
    return [...byLevel.entries()].map(([level, units]) => {
      const count = [...units.values()].reduce((n, list) => n + list.length, 0);
      const isFolded = folded.has(level);
      const toggle = h('button', {
        type: 'button', class: 'group-toggle', 'aria-expanded': String(!isFolded), dataset: { level },
      }, `${t(`level.${level}`)} (${count})`);
      const unitKeys = [...units.keys()].sort((a, b) => (a === '') - (b === '')
        || unitName(a).localeCompare(unitName(b), 'vi'));
      const body = h('tbody', { class: 'room-group', dataset: { level, folded: String(isFolded) } },
        h('tr', { class: 'group-row' }, h('th', { scope: 'colgroup', colspan: String(columns + 1), class: 'room-col' }, toggle)),
        unitKeys.map((unit) => unitRows(level, unit, units.get(unit), columns, roomRow, folded, isFolded)));
      toggle.addEventListener('click', () => {
        const now = toggle.getAttribute('aria-expanded') === 'true';
        toggle.setAttribute('aria-expanded', String(!now));
        body.dataset.folded = String(now);
        const set = readFolded();
        if (now) set.add(level); else set.delete(level);
        saveFolded(set);
        applyFilter(body.closest('table'), search.value);
      });
      body.addEventListener('click', (ev) => {
        const button = ev.target.closest('button.unit-toggle');
        if (!button) return;
        const now = button.getAttribute('aria-expanded') === 'true';
        button.setAttribute('aria-expanded', String(!now));
        button.closest('tr').dataset.folded = String(now);
        const set = readFolded();
        const key = `${level}/${button.dataset.unit}`;
        if (now) set.add(key); else set.delete(key);
        saveFolded(set);
        applyFilter(body.closest('table'), search.value);
      });
      return body;
    });
  }

  function unitName(code) {
    if (!code) return t('cal.no_unit');
    return (unitMap.get(code) || {}).name || code;
  }

  /** A unit's header row (its toggle and count) and its rooms' rows. */
  function unitRows(level, unit, list, columns, roomRow, folded, levelFolded) {
    const isFolded = folded.has(`${level}/${unit}`);
    const head = h('tr', { class: 'unit-row', dataset: { unitGroup: unit, folded: String(isFolded) }, hidden: levelFolded },
      h('th', { scope: 'colgroup', colspan: String(columns + 1), class: 'room-col' },
        h('button', {
          type: 'button', class: 'unit-toggle', 'aria-expanded': String(!isFolded), dataset: { unit, groupLevel: level },
        }, `${unitName(unit)} (${list.length})`)));
    return [head, list.map((room) => {
      const tr = roomRow(room);
      tr.dataset.search = `${room.name} ${room.code} ${(unitMap.get(room.unit) || {}).name || ''} ${unit ? unitName(unit) : ''}`.toLowerCase();
      tr.dataset.unitGroup = unit;
      tr.hidden = levelFolded || isFolded;
      return tr;
    })];
  }

  function roomHeader(room) {
    const unit = unitMap.get(room.unit);
    return h('th', { scope: 'row', class: 'room-col' }, room.name,
      h('small', {}, unit && unit.name !== room.name ? unit.name : t(`level.${room.level}`)));
  }

  function weekTable(sortedRooms) {
    const dayShort = t('days.short');
    const dayLong = t('days.long');
    const thead = h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'room-col' }, t('cal.room')),
      days.map((d) => {
        const p = vnParts(d);
        const holiday = holidayOf(d);
        return h('th', {
          scope: 'col',
          class: [vnDayKey(d) === todayKey ? 'today' : '', holiday ? 'holiday' : ''].join(' ').trim() || null,
          dataset: { day: vnDayKey(d) },
        },
        h('a', { href: `#/calendar?${new URLSearchParams({ view: 'day', day: fmtDate(d) })}`, title: `${dayLong[p.dow]} ${fmtDate(d)}` },
          dayShort[p.dow], ' ', fmtDate(d).slice(0, 5)),
        holiday ? h('small', { class: 'holiday-name' }, holidayText(holiday)) : null);
      })));
    const roomRow = (room) => h('tr', { dataset: { room: room.code } }, roomHeader(room),
      days.map((d) => {
        const list = (cells.get(room.code) && cells.get(room.code).get(vnDayKey(d))) || [];
        const holiday = holidayOf(d);
        return h('td', {
          class: [vnDayKey(d) === todayKey ? 'today' : '', holiday ? 'holiday' : ''].join(' ').trim() || null,
          title: holiday ? holidayText(holiday) : null,
        },
        list.map(chip),
        canBook ? h('a', {
          class: 'add', href: `#/book?${new URLSearchParams({ date: fmtDate(d), endpoint: room.code })}`,
          'aria-label': t('cal.empty_cell', { room: room.name, date: fmtDate(d) }),
          title: t('cal.empty_cell', { room: room.name, date: fmtDate(d) }),
        }, '+') : null);
      }));
    return h('table', { class: 'calendar', id: 'calendar' },
      h('caption', { class: 'visually-hidden' }, t('cal.week_of', { from: fmtDate(from), to: fmtDate(addDays(from, 6)) })),
      thead, groupBodies(sortedRooms, days.length, roomRow));
  }

  /** Rooms × hours of one day: a meeting spans its hours; a free hour books. */
  function dayTable(sortedRooms) {
    const holiday = holidayOf(from);
    const thead = h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'room-col' }, t('cal.room')),
      DAY_HOURS.map((hh) => h('th', { scope: 'col', class: holiday ? 'holiday' : null }, `${pad2(hh)}:00`))));
    const hourStart = (hh) => addDays(from, 0).getTime() + hh * 3600000;
    const roomRow = (room) => {
      const list = (cells.get(room.code) && cells.get(room.code).get(vnDayKey(from))) || [];
      const tds = [];
      for (let i = 0; i < DAY_HOURS.length;) {
        const s = hourStart(DAY_HOURS[i]);
        const here = list.filter((m) => new Date(m.start).getTime() < s + 3600000 && new Date(m.end).getTime() > s);
        if (here.length) {
          let span = 1;
          const last = Math.max(...here.map((m) => new Date(m.end).getTime()));
          while (i + span < DAY_HOURS.length && hourStart(DAY_HOURS[i + span]) < last) span += 1;
          tds.push(h('td', { colspan: String(span), class: 'busy' }, here.map(chip)));
          i += span;
        } else {
          const hh = DAY_HOURS[i];
          const label = t('cal.free_slot', { room: room.name, time: `${pad2(hh)}:00`, date: fmtDate(from) });
          tds.push(h('td', { class: holiday ? 'free holiday' : 'free' }, canBook && s > Date.now() ? h('a', {
            class: 'slot', href: `#/book?${new URLSearchParams({ date: fmtDate(from), endpoint: room.code, start: `${pad2(hh)}:00`, end: `${pad2(hh + 1)}:00` })}`,
            'aria-label': label, title: label,
          }, '+') : null));
          i += 1;
        }
      }
      return h('tr', { dataset: { room: room.code } }, roomHeader(room), tds);
    };
    return h('table', { class: 'calendar day-view', id: 'calendar' },
      h('caption', { class: 'visually-hidden' }, fmtDate(from)),
      thead, groupBodies(sortedRooms, DAY_HOURS.length, roomRow));
  }
}

/**
 * Shows the rooms that match `query` in groups that are not folded (a
 * search shows its matches in folded groups too), each unit's header when
 * its level is open or it has a match, and hides a level without a match.
 */
function applyFilter(table, query) {
  const q = query.trim().toLowerCase();
  for (const body of table.tBodies) {
    const levelFolded = body.dataset.folded === 'true';
    const unitFolded = new Map();
    const unitMatches = new Map();
    let matches = 0;
    for (const tr of body.rows) {
      if (tr.classList.contains('unit-row')) unitFolded.set(tr.dataset.unitGroup, tr.dataset.folded === 'true');
      if (!tr.dataset.room) continue;
      const hit = !q || tr.dataset.search.includes(q);
      const unit = tr.dataset.unitGroup;
      matches += hit;
      unitMatches.set(unit, (unitMatches.get(unit) || 0) + hit);
      tr.hidden = !hit || (!q && (levelFolded || unitFolded.get(unit)));
    }
    for (const tr of body.rows) {
      if (!tr.classList.contains('unit-row')) continue;
      tr.hidden = q ? !unitMatches.get(tr.dataset.unitGroup) : levelFolded;
    }
    body.hidden = Boolean(q) && matches === 0;
  }
}
