// Manager's dashboard: a period (month, quarter, half-year, year, custom),
// a grouping (organiser, room, level, month) and a comparison (the same
// period a year earlier, the period before, none); meetings and hours per
// group (bar), per month against the same period a year earlier (line),
// attendance per room (stacked bar), the report sentence ready to copy, and
// the CSV of what is on screen (headers in the UI's language, hours and
// percentages as the report writes them). A period that has not ended is
// counted "tính đến" today, and compared with the same elapsed part of the
// earlier period (#17, finding 9). Every chart has its numbers in a table
// too, for screen readers and for copying.
import { api, statsGroups, groupKey, groupLabel } from '../api.js';
import { t, getLang, fmtNumber } from '../i18n.js';
import { h, field, select, say, copyText } from '../dom.js';
import { vnDate, toIso, fmtDate, parseDate, vnParts, addDays, pad2 } from '../format.js';
import { loadChartJs, COLORS } from '../charts.js';
import { errorText } from '../errors.js';

/** [from, to) in Vietnamese midnights for a period choice. */
export function periodRange(kind, year, index, customFrom, customTo) {
  switch (kind) {
    case 'month': return [vnDate(year, index, 1), vnDate(index === 12 ? year + 1 : year, index === 12 ? 1 : index + 1, 1)];
    case 'quarter': return [vnDate(year, 3 * index - 2, 1), index === 4 ? vnDate(year + 1, 1, 1) : vnDate(year, 3 * index + 1, 1)];
    case 'half': return [vnDate(year, index === 1 ? 1 : 7, 1), index === 1 ? vnDate(year, 7, 1) : vnDate(year + 1, 1, 1)];
    case 'year': return [vnDate(year, 1, 1), vnDate(year + 1, 1, 1)];
    default: {
      const f = parseDate(customFrom); const e = parseDate(customTo);
      if (!f || !e) return null;
      const from = vnDate(f.y, f.m, f.d); const to = addDays(vnDate(e.y, e.m, e.d), 1);
      return to > from ? [from, to] : null;
    }
  }
}

function yearEarlier(date) {
  const p = vnParts(date);
  return vnDate(p.y - 1, p.m, p.d, p.hh, p.mi);
}

const hours = (minutes) => Math.round((Number(minutes) || 0) / 6) / 10;

const GROUPINGS = ['unit', 'endpoint', 'level', 'month'];
const COMPARISONS = ['previous_year', 'previous_period', 'none'];

/** The period before [from, to) of the same kind (month, quarter, …). */
export function previousPeriod(kind, range) {
  const p = vnParts(range[0]);
  const back = { month: 1, quarter: 3, half: 6, year: 12 }[kind];
  if (!back) {
    const days = Math.round((range[1] - range[0]) / 86400000);
    return [addDays(range[0], -days), range[0]];
  }
  const m0 = p.y * 12 + (p.m - 1) - back;
  return [vnDate(Math.floor(m0 / 12), (m0 % 12) + 1, 1), range[0]];
}

/** The comparison window: the earlier period cut to the same elapsed days. */
export function comparisonRange(kind, range, cut, compare) {
  if (compare === 'none') return null;
  const whole = compare === 'previous_year' ? [yearEarlier(range[0]), yearEarlier(range[1])] : previousPeriod(kind, range);
  if (cut >= range[1]) return whole;
  const elapsed = Math.round((cut - range[0]) / 86400000);
  const end = addDays(whole[0], elapsed);
  return [whole[0], end < whole[1] ? end : whole[1]];
}

/** (now − before) / before in percent; null when there is nothing to compare. */
function changePct(now, before) {
  const a = Number(now) || 0; const b = Number(before) || 0;
  return b ? ((a - b) / b) * 100 : null;
}

export async function render(main, { params }) {
  const Chart = await loadChartJs();
  const now = vnParts(new Date());
  const charts = [];

  const kind = select({ name: 'period', id: 'stats-period' }, [
    { value: 'month', label: t('stats.p_month') }, { value: 'quarter', label: t('stats.p_quarter') },
    { value: 'half', label: t('stats.p_half') }, { value: 'year', label: t('stats.p_year') },
    { value: 'custom', label: t('stats.p_custom') }], params.get('period') || 'month');
  const years = [];
  for (let y = now.y + 1; y >= now.y - 6; y -= 1) years.push({ value: y, label: String(y) });
  const year = select({ name: 'year', id: 'stats-year' }, years, params.get('year') || now.y);
  const month = select({ name: 'month', id: 'stats-month' }, [...Array(12).keys()].map((i) => ({ value: i + 1, label: `${t('stats.month')} ${pad2(i + 1)}` })), params.get('month') || now.m);
  const quarter = select({ name: 'quarter', id: 'stats-quarter' }, [1, 2, 3, 4].map((q) => ({ value: q, label: `${t('stats.quarter')} ${['I', 'II', 'III', 'IV'][q - 1]}` })), params.get('quarter') || Math.ceil(now.m / 3));
  const half = select({ name: 'half', id: 'stats-half' }, [{ value: 1, label: t('stats.half1') }, { value: 2, label: t('stats.half2') }], params.get('half') || (now.m <= 6 ? 1 : 2));
  const from = h('input', { type: 'text', id: 'stats-from', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', size: 10, value: params.get('from') || `01/${pad2(now.m)}/${now.y}` });
  const to = h('input', { type: 'text', id: 'stats-to', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', size: 10, value: params.get('to') || fmtDate(new Date()) });

  const fields = {
    month: field(t('stats.month'), month), quarter: field(t('stats.quarter'), quarter),
    half: field(t('stats.half'), half), year: field(t('stats.year'), year),
    from: field(t('stats.from'), from), to: field(t('stats.to'), to),
  };
  const showFields = () => {
    const k = kind.value;
    fields.month.hidden = k !== 'month';
    fields.quarter.hidden = k !== 'quarter';
    fields.half.hidden = k !== 'half';
    fields.year.hidden = k === 'custom';
    fields.from.hidden = k !== 'custom';
    fields.to.hidden = k !== 'custom';
  };
  kind.addEventListener('change', showFields);
  showFields();

  // Units as they were, or today's successors (issue #16, units=).
  const unitsMode = select({ name: 'units', id: 'stats-units' }, [
    { value: 'historic', label: t('stats.units_historic') },
    { value: 'successor', label: t('stats.units_successor') }], params.get('units') || 'historic');
  const unitsNote = h('p', { class: 'hint', id: 'stats-units-note', hidden: true });

  const groupBy = select({ name: 'group_by', id: 'stats-group' },
    GROUPINGS.map((g) => ({ value: g, label: t(`stats.g_${g}`) })), params.get('group_by') || 'unit');
  const compare = select({ name: 'compare', id: 'stats-compare' },
    COMPARISONS.map((c) => ({ value: c, label: t(`stats.c_${c}`) })), params.get('compare') || 'previous_year');
  const status = h('div', { role: 'alert', class: 'form-status' });
  const form = h('form', { class: 'toolbar period-form', id: 'stats-form' },
    field(t('stats.period'), kind), fields.month, fields.quarter, fields.half, fields.year, fields.from, fields.to,
    field(t('stats.group_by'), groupBy), field(t('stats.compare'), compare),
    field(t('stats.units'), unitsMode),
    h('button', { type: 'submit', class: 'primary' }, t('stats.show')));
  const rangeLabel = h('p', { class: 'week-label', id: 'stats-range' });
  const kpis = h('div', { class: 'kpis', id: 'kpis' });
  const summaryText = h('textarea', { id: 'summary-text', readonly: true, rows: 3, class: 'wide summary-text' });
  // The whole sentence in sight at any width (it was cut after 3 lines on a phone).
  const fitSummary = () => { summaryText.style.height = 'auto'; summaryText.style.height = `${summaryText.scrollHeight + 4}px`; };
  window.addEventListener('resize', fitSummary);
  const csvButton = h('button', { type: 'button', id: 'csv-download' }, t('stats.csv'));
  const copyButton = h('button', { type: 'button', id: 'summary-copy' }, t('app.copy'));
  // The report on A4 (app.css, @media print): the period, the sentence, the
  // figures, the charts and every table opened.
  const printButton = h('button', { type: 'button', id: 'stats-print', onclick: () => {
    main.querySelectorAll('details').forEach((d) => { d.open = true; });
    window.print();
  } }, t('stats.print'));
  const unitCanvas = h('canvas', { id: 'chart-units', role: 'img', 'aria-label': t('stats.by_unit') });
  const monthCanvas = h('canvas', { id: 'chart-months', role: 'img', 'aria-label': t('stats.by_month') });
  const roomCanvas = h('canvas', { id: 'chart-rooms', role: 'img', 'aria-label': t('stats.by_room') });
  const unitTable = h('div', { class: 'data-table' });
  const monthTable = h('div', { class: 'data-table' });
  const roomTable = h('div', { class: 'data-table' });
  const roomBox = h('div', { class: 'chart-box tall' }, roomCanvas);

  main.append(
    h('h1', {}, t('stats.heading')), form, status, rangeLabel, unitsNote, kpis,
    h('section', { class: 'card' }, h('h2', { id: 'summary-heading' }, t('stats.summary')),
      summaryText, h('div', { class: 'button-row' }, copyButton, csvButton, printButton)),
    h('div', { class: 'chart-grid' },
      h('section', { class: 'card' }, h('h2', { id: 'group-heading' }, t('stats.by_unit')), h('div', { class: 'chart-box' }, unitCanvas),
        h('details', {}, h('summary', {}, t('stats.table')), unitTable)),
      h('section', { class: 'card' }, h('h2', {}, t('stats.by_month')), h('div', { class: 'chart-box' }, monthCanvas),
        h('details', {}, h('summary', {}, t('stats.table')), monthTable))),
    h('section', { class: 'card' }, h('h2', {}, t('stats.by_room')), roomBox,
      h('details', {}, h('summary', {}, t('stats.table')), roomTable)));
  summaryText.setAttribute('aria-labelledby', 'summary-heading');

  let range = null;
  copyButton.addEventListener('click', async () => {
    await copyText(summaryText.value, summaryText);
    say(status, t('app.copied'), 'ok');
  });
  // What the screen shows, as CSV: the period, then one line per group.
  let shown = null;
  csvButton.addEventListener('click', () => {
    if (!shown) return;
    const blob = new Blob(['\ufeff', csvText(shown)], { type: 'text/csv;charset=utf-8' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `${t('stats.csv_name')}_${fmtDate(shown.range[0]).replaceAll('/', '-')}_${fmtDate(addDays(shown.cut, -1)).replaceAll('/', '-')}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  });

  const destroyCharts = () => { while (charts.length) charts.pop().destroy(); };

  async function load() {
    range = periodRange(kind.value, Number(year.value),
      Number(kind.value === 'month' ? month.value : kind.value === 'quarter' ? quarter.value : half.value),
      from.value, to.value);
    if (!range) { say(status, t('stats.err_range'), 'error'); return; }
    say(status, t('app.loading'));
    // An unfinished period is counted up to today included ("tính đến").
    const today = vnParts(new Date());
    const tomorrow = addDays(vnDate(today.y, today.m, today.d), 1);
    const cut = range[0] < tomorrow && tomorrow < range[1] ? tomorrow : range[1];
    const q = { from: toIso(range[0]), to: toIso(cut) };
    const lastYear = { from: toIso(yearEarlier(range[0])), to: toIso(yearEarlier(cut)) };
    const before = comparisonRange(kind.value, range, cut, compare.value);
    rangeLabel.textContent = t('stats.range', { from: fmtDate(range[0]), to: fmtDate(addDays(range[1], -1)) })
      + (cut < range[1] ? ` ${t('stats.as_of', { date: fmtDate(addDays(cut, -1)) })}` : '');
    try {
      const [byGroup, previous, byMonth, byMonthPrev, byRoom, summary] = await Promise.all([
        // compare= here only for units_differ (the figures compared are the
        // second call's, over the same elapsed part of the earlier period)
        api.stats({ ...q, group_by: groupBy.value, units: unitsMode.value,
          ...(before ? { compare: compare.value } : {}) }),
        before ? api.stats({ from: toIso(before[0]), to: toIso(before[1]), group_by: groupBy.value, units: unitsMode.value }) : null,
        api.stats({ ...q, group_by: 'month' }),
        api.stats({ ...lastYear, group_by: 'month' }),
        api.stats({ ...q, group_by: 'endpoint', units: unitsMode.value }),
        api.summary({ ...q, lang: getLang(), units: unitsMode.value }),
      ]);
      say(status, '');
      unitsNote.hidden = !(byGroup && byGroup.units_differ);
      unitsNote.textContent = unitsNote.hidden ? '' : t('stats.units_differ', { date: fmtDate(new Date(byGroup.roster_changed_at)) });
      destroyCharts();
      shown = { range, cut, before, group: groupBy.value, result: byGroup, previous };
      drawKpis(byGroup, previous, before);
      summaryText.value = (summary && summary.text) || '';
      fitSummary();
      drawUnits(statsGroups(byGroup), previous ? statsGroups(previous) : null);
      drawMonths(statsGroups(byMonth), statsGroups(byMonthPrev));
      await drawRooms(statsGroups(byRoom), q);
      main.dataset.loaded = `${q.from}/${q.to}`;
    } catch (e) {
      say(status, errorText(e), 'error');
    }
  }

  /** "tăng 12,5% so với cùng kỳ năm trước (01/12/2025–03/12/2025)". */
  function changeSentence(now, before, window) {
    if (!window) return t('stats.no_compare');
    const pct = changePct(now, before);
    const label = t(`stats.vs_${compare.value}`, { from: fmtDate(window[0]), to: fmtDate(addDays(window[1], -1)) });
    if (pct === null) return t('stats.change_none', { label, before: fmtNumber(before) });
    if (Math.abs(pct) < 0.05) return t('stats.change_same', { label });
    return t(pct > 0 ? 'stats.change_up' : 'stats.change_down', { pct: fmtNumber(Math.abs(pct), 1), label });
  }

  /** The CSV of `shown`, in the UI's language. */
  function csvText(view) {
    const cell = (v) => {
      const text = String(v ?? '');
      const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
      return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
    };
    const line = (cells) => cells.map(cell).join(',');
    const pct = (v) => (v === null || v === undefined ? '' : `${fmtNumber(v, 1)}%`);
    const prev = new Map(view.previous ? statsGroups(view.previous).map((g) => [groupKey(g), g]) : []);
    const lines = [
      line([t('stats.heading')]),
      line([rangeLabel.textContent]),
      view.before ? line([t(`stats.vs_${compare.value}`, { from: fmtDate(view.before[0]), to: fmtDate(addDays(view.before[1], -1)) })]) : null,
      line([t(`stats.col_${view.group}`), t('stats.booked'), t('stats.held'), t('stats.cancelled'),
        t('stats.planned_hours'), t('stats.actual_hours'), t('stats.attendance_rate'),
        ...(view.previous ? [`${t('stats.held')} — ${t(`stats.c_${compare.value}`)}`, t('stats.change_col')] : [])]),
    ].filter(Boolean);
    const row = (name, g, p) => line([name, fmtNumber(g.meetings_booked), fmtNumber(g.meetings_held), fmtNumber(g.meetings_cancelled),
      fmtNumber(hours(g.planned_minutes), 1), fmtNumber(hours(g.actual_minutes), 1),
      g.attendance_rate === null || g.attendance_rate === undefined ? '' : pct(rate(g.attendance_rate)),
      ...(view.previous ? [fmtNumber((p || {}).meetings_held), pct(changePct(g.meetings_held, (p || {}).meetings_held))] : [])]);
    for (const g of statsGroups(view.result)) lines.push(row(groupLabel(g), g, prev.get(groupKey(g))));
    lines.push(row(t('stats.total'), view.result.totals || {}, view.previous && view.previous.totals));
    return `${lines.join('\r\n')}\r\n`;
  }

  function drawKpis(result, previous, window) {
    const total = (result && result.totals) || {};
    const before = (previous && previous.totals) || {};
    const kpi = (label, value, id) => h('div', { class: 'kpi', id }, h('span', { class: 'kpi-value' }, value), h('span', { class: 'kpi-label' }, label));
    kpis.replaceChildren(...[
      kpi(t('stats.booked'), fmtNumber(total.meetings_booked), 'kpi-booked'),
      kpi(t('stats.held'), fmtNumber(total.meetings_held), 'kpi-held'),
      kpi(t('stats.cancelled'), fmtNumber(total.meetings_cancelled), 'kpi-cancelled'),
      kpi(t('stats.actual_hours'), fmtNumber(hours(total.actual_minutes), 1), 'kpi-hours'),
      kpi(t('stats.attendance_rate'), total.attendance_rate === undefined || total.attendance_rate === null ? '—'
        : `${fmtNumber(rate(total.attendance_rate), 1)}%`, 'kpi-attendance'),
      total.recorded_hours === undefined ? null : kpi(t('stats.recorded_hours'), fmtNumber(total.recorded_hours, 1), 'kpi-recorded'),
      h('p', { class: 'kpi-change', id: 'kpi-change' }, t('stats.held_change', {
        text: changeSentence(total.meetings_held, before.meetings_held, window),
      }))].filter(Boolean));
  }

  function table(headers, rows) {
    return h('table', { class: 'numbers' },
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
  }

  /** The chosen grouping's chart and table, with the comparison's held
   * meetings and change when there is one. */
  function drawUnits(groups, previousGroups) {
    main.querySelector('#group-heading').textContent = t(`stats.group_title_${groupBy.value}`);
    unitCanvas.setAttribute('aria-label', t(`stats.group_title_${groupBy.value}`));
    const prev = new Map((previousGroups || []).map((g) => [groupKey(g), g]));
    const labels = groups.map(groupLabel);
    const booked = groups.map((g) => Number(g.meetings_booked) || 0);
    const held = groups.map((g) => Number(g.meetings_held) || 0);
    // Hours actually held once there are any; planned hours before that
    // (a period still to come). One measure for every organiser.
    const actual = groups.some((g) => Number(g.actual_minutes) > 0);
    const hrs = groups.map((g) => hours(actual ? g.actual_minutes : g.planned_minutes));
    const hoursLabel = actual ? t('stats.actual_hours') : t('stats.planned_hours');
    charts.push(new Chart(unitCanvas, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: t('stats.booked'), data: booked, backgroundColor: COLORS[0], yAxisID: 'y' },
          { label: t('stats.held'), data: held, backgroundColor: COLORS[2], yAxisID: 'y' },
          { label: hoursLabel, data: hrs, backgroundColor: COLORS[1], yAxisID: 'y1' },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: t('stats.meetings') } },
          y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: t('stats.hours') } },
        },
      },
    }));
    const pct = (v) => (v === null ? '—' : `${v > 0 ? '+' : ''}${fmtNumber(v, 1)}%`);
    unitTable.replaceChildren(groups.length ? table(
      [t(`stats.col_${groupBy.value}`), t('stats.booked'), t('stats.held'), t('stats.cancelled'), t('stats.planned_hours'), t('stats.actual_hours'),
        ...(previousGroups ? [`${t('stats.held')} — ${t(`stats.c_${compare.value}`)}`, t('stats.change_col')] : [])],
      groups.map((g) => [groupLabel(g), fmtNumber(g.meetings_booked), fmtNumber(g.meetings_held), fmtNumber(g.meetings_cancelled),
        fmtNumber(hours(g.planned_minutes), 1), fmtNumber(hours(g.actual_minutes), 1),
        ...(previousGroups ? [fmtNumber((prev.get(groupKey(g)) || {}).meetings_held),
          pct(changePct(g.meetings_held, (prev.get(groupKey(g)) || {}).meetings_held))] : [])])) : h('p', {}, t('stats.no_data')));
  }

  function monthKeys() {
    // Every month of the range, as "yyyy-mm", so empty months show as 0.
    const keys = [];
    const s = vnParts(range[0]); const e = vnParts(addDays(range[1], -1));
    for (let y = s.y, m = s.m; y < e.y || (y === e.y && m <= e.m); m === 12 ? (y += 1, m = 1) : (m += 1)) {
      keys.push(`${y}-${pad2(m)}`);
    }
    return keys;
  }

  const monthOf = (g) => {
    const k = String(groupKey(g) || '');
    const m = /^(\d{4})-(\d{2})/.exec(k);
    return m ? `${m[1]}-${m[2]}` : k;
  };

  function drawMonths(groups, prevGroups) {
    const keys = monthKeys();
    const held = (g) => Number(g.meetings_held) || 0;
    const booked = (g) => Number(g.meetings_booked) || 0;
    const current = new Map(groups.map((g) => [monthOf(g), g]));
    const previous = new Map(prevGroups.map((g) => [monthOf(g), g]));
    const prevKey = (k) => `${Number(k.slice(0, 4)) - 1}${k.slice(4)}`;
    const labels = keys.map((k) => `${k.slice(5)}/${k.slice(0, 4)}`);
    const at = (map, k, f) => (map.has(k) ? f(map.get(k)) : 0);
    const now = keys.map((k) => at(current, k, held));
    const before = keys.map((k) => at(previous, prevKey(k), held));
    const bookedNow = keys.map((k) => at(current, k, booked));
    charts.push(new Chart(monthCanvas, {
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: `${t('stats.held')} — ${t('stats.this_period')}`, data: now, borderColor: COLORS[0], backgroundColor: COLORS[0], tension: 0.2 },
          { label: `${t('stats.held')} — ${t('stats.last_year')}`, data: before, borderColor: COLORS[5], backgroundColor: COLORS[5], borderDash: [6, 4], tension: 0.2 },
          { label: `${t('stats.booked')} — ${t('stats.this_period')}`, data: bookedNow, borderColor: COLORS[1], backgroundColor: COLORS[1], borderWidth: 1, pointRadius: 2, tension: 0.2 },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    }));
    monthTable.replaceChildren(table(
      [t('stats.month_col'), `${t('stats.held')} — ${t('stats.this_period')}`, `${t('stats.held')} — ${t('stats.last_year')}`, `${t('stats.booked')} — ${t('stats.this_period')}`],
      keys.map((k, i) => [labels[i], fmtNumber(now[i]), fmtNumber(before[i]), fmtNumber(bookedNow[i])])));
  }

  async function drawRooms(groups, q) {
    // Prefer per-status counts from the statistics; otherwise add them up
    // from each meeting's attendance.
    let rows = groups.map((g) => ({
      key: groupKey(g), label: groupLabel(g),
      present: g.present, late: g.late, partial: g.partial, absent: g.absent,
    }));
    if (!rows.length || rows.every((r) => r.present === undefined)) rows = await attendanceFromMeetings(q, rows);
    rows = rows.filter((r) => (r.present || 0) + (r.late || 0) + (r.partial || 0) + (r.absent || 0) > 0);
    roomBox.style.height = `${Math.max(160, 28 * rows.length + 80)}px`;
    const statuses = ['present', 'late', 'partial', 'absent'];
    const colors = { present: COLORS[2], late: COLORS[1], partial: COLORS[4], absent: COLORS[3] };
    charts.push(new Chart(roomCanvas, {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.label),
        datasets: statuses.map((s) => ({ label: t(`stats.${s}`), data: rows.map((r) => r[s] || 0), backgroundColor: colors[s] })),
      },
      options: {
        indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
      },
    }));
    roomTable.replaceChildren(rows.length ? table([t('stats.room_col'), ...statuses.map((s) => t(`stats.${s}`))],
      rows.map((r) => [r.label, ...statuses.map((s) => fmtNumber(r[s] || 0))])) : h('p', {}, t('stats.no_data')));
  }

  async function attendanceFromMeetings(q, rows) {
    const names = new Map(rows.map((r) => [r.key, r.label]));
    try {
      (await api.endpoints()).forEach((e) => names.set(e.code, e.name));
    } catch { /* names stay codes */ }
    const meetings = (await api.meetings({ ...q })).filter((m) => m.status !== 'cancelled' && new Date(m.start) < new Date()).slice(0, 200);
    const totals = new Map();
    const results = await Promise.all(meetings.map((m) => api.attendance(m.id).catch(() => null)));
    for (const res of results) {
      const list = res ? (Array.isArray(res) ? res : res.attendance || res.endpoints || []) : [];
      for (const a of list) {
        const code = a.endpoint || a.code;
        if (!totals.has(code)) totals.set(code, { key: code, label: names.get(code) || code, present: 0, late: 0, partial: 0, absent: 0 });
        const row = totals.get(code);
        if (a.status in row) row[a.status] += 1;
      }
    }
    return [...totals.values()].sort((a, b) => String(a.label).localeCompare(String(b.label), 'vi'));
  }

  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(); });
  unitsMode.addEventListener('change', () => load());
  await load();
  return destroyCharts;
}

function rate(value) {
  const v = Number(value) || 0;
  return v <= 1 ? v * 100 : v;
}
