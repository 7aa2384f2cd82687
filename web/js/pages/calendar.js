// Secretariat's week calendar: rooms down the side, the seven days of the
// week (Monday first, Vietnamese time) across, meetings as chips in the
// cells. A chip opens the meeting dialog; an empty cell's "+" books.
import { api, endpointCodes } from '../api.js';
import { t } from '../i18n.js';
import { h } from '../dom.js';
import {
  vnWeekStart, addDays, fmtDate, fmtTime, vnDayKey, vnParts, toIso, parseDate, vnDate,
} from '../format.js';
import { openMeetingDialog, canManage, statusLabel } from '../meeting-dialog.js';

const LEVEL_ORDER = { province: 0, department: 1, district: 2, commune: 3 };

export function sortRooms(list) {
  return [...list].sort((a, b) => (LEVEL_ORDER[a.level] ?? 9) - (LEVEL_ORDER[b.level] ?? 9)
    || String(a.name).localeCompare(String(b.name), 'vi'));
}

export async function render(main, { me, params, navigate }) {
  const asked = parseDate(params.get('week') || '');
  const weekStart = vnWeekStart(asked ? vnDate(asked.y, asked.m, asked.d) : new Date());
  const weekEnd = addDays(weekStart, 7);
  const days = [...Array(7).keys()].map((i) => addDays(weekStart, i));
  const goto = (date) => navigate('calendar', { week: fmtDate(date) });

  const [endpoints, units, meetings] = await Promise.all([
    api.endpoints(), api.units(), api.meetings({ from: toIso(weekStart), to: toIso(weekEnd) }),
  ]);
  const rooms = new Map(endpoints.map((e) => [e.code, e]));
  const unitMap = new Map(units.map((u) => [u.code, u]));

  // Index: room code → day key → meetings.
  const cells = new Map();
  for (const m of meetings) {
    const dayKeys = new Set();
    for (let d = new Date(m.start); d < new Date(m.end); d = addDays(d, 1)) dayKeys.add(vnDayKey(d));
    dayKeys.add(vnDayKey(m.start));
    for (const code of endpointCodes(m)) {
      if (!cells.has(code)) cells.set(code, new Map());
      for (const k of dayKeys) {
        const row = cells.get(code);
        if (!row.has(k)) row.set(k, []);
        row.get(k).push(m);
      }
    }
  }
  for (const row of cells.values()) for (const list of row.values()) list.sort((a, b) => new Date(a.start) - new Date(b.start));

  let alive = true;
  const reload = () => { if (alive) navigate('calendar', { week: fmtDate(weekStart) }); };
  const todayKey = vnDayKey(new Date());
  const dayShort = t('days.short');
  const dayLong = t('days.long');
  const canBook = me.role === 'admin' || me.role === 'secretariat';

  const filter = h('input', { type: 'search', placeholder: t('cal.filter_placeholder'), id: 'cal-filter' });
  const header = h('div', { class: 'toolbar' },
    h('h1', {}, t('cal.heading')),
    h('div', { class: 'button-row', role: 'group', 'aria-label': t('cal.heading') },
      h('button', { type: 'button', onclick: () => goto(addDays(weekStart, -7)) }, t('cal.prev')),
      h('button', { type: 'button', onclick: () => goto(new Date()) }, t('cal.today')),
      h('button', { type: 'button', onclick: () => goto(addDays(weekStart, 7)) }, t('cal.next'))),
    h('p', { class: 'week-label', 'aria-live': 'polite' },
      t('cal.week_of', { from: fmtDate(weekStart), to: fmtDate(addDays(weekStart, 6)) }),
      ' · ', t('cal.count', { n: meetings.filter((m) => !['cancelled', 'displaced'].includes(m.status)).length })),
    h('div', { class: 'field inline' }, h('label', { for: 'cal-filter' }, t('cal.filter')), filter),
    h('p', { class: 'legend' },
      h('span', { class: 'chip own' }, t('cal.legend_own')), ' ',
      h('span', { class: 'chip' }, t('cal.legend_other'))));

  const chip = (m) => h('button', {
    type: 'button',
    class: `chip${canManage(me, m) ? ' own' : ''} status-${m.status || 'scheduled'}`,
    dataset: { meeting: m.id },
    title: `${m.title} — ${statusLabel(m.status)}`,
    onclick: () => openMeetingDialog(m, { me, rooms, units: unitMap, onChange: reload }),
  }, h('span', { class: 'chip-time' }, `${fmtTime(m.start)}–${fmtTime(m.end)}`), ' ', m.title);

  const thead = h('thead', {}, h('tr', {},
    h('th', { scope: 'col', class: 'room-col' }, t('cal.room')),
    days.map((d) => {
      const p = vnParts(d);
      return h('th', { scope: 'col', class: vnDayKey(d) === todayKey ? 'today' : null },
        h('abbr', { title: `${dayLong[p.dow]} ${fmtDate(d)}` }, dayShort[p.dow]), h('br'),
        fmtDate(d).slice(0, 5));
    })));

  const sorted = sortRooms(endpoints);
  const rows = sorted.map((room) => h('tr', { dataset: { room: room.code, search: `${room.name} ${room.code}`.toLowerCase() } },
    h('th', { scope: 'row', class: 'room-col' }, room.name, h('small', {}, t(`level.${room.level}`))),
    days.map((d) => {
      const list = (cells.get(room.code) && cells.get(room.code).get(vnDayKey(d))) || [];
      return h('td', { class: vnDayKey(d) === todayKey ? 'today' : null },
        list.map(chip),
        canBook ? h('a', {
          class: 'add', href: `#/book?${new URLSearchParams({ date: fmtDate(d), endpoint: room.code })}`,
          'aria-label': t('cal.empty_cell', { room: room.name, date: fmtDate(d) }),
          title: t('cal.empty_cell', { room: room.name, date: fmtDate(d) }),
        }, '+') : null);
    })));

  const table = h('table', { class: 'calendar', id: 'calendar' },
    h('caption', { class: 'visually-hidden' }, t('cal.week_of', { from: fmtDate(weekStart), to: fmtDate(addDays(weekStart, 6)) })),
    thead, h('tbody', {}, rows));
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const tr of table.tBodies[0].rows) tr.hidden = q && !tr.dataset.search.includes(q);
  });

  main.append(header, sorted.length ? h('div', { class: 'table-scroll' }, table) : h('p', {}, t('cal.no_rooms')));

  // Deep link from a booking: #/calendar?week=..&meeting=ID opens it.
  const openId = params.get('meeting');
  if (openId) {
    const m = meetings.find((x) => String(x.id) === openId);
    if (m) openMeetingDialog(m, { me, rooms, units: unitMap, onChange: reload });
  }
  return () => { alive = false; document.querySelectorAll('dialog.meeting-dialog').forEach((d) => d.close()); };
}
