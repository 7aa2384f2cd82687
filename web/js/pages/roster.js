// The roster over time (issue #16): every unit, those dissolved, merged or
// split by a reorganisation included, with its period, its successor and,
// on demand, its history (GET /api/v1/units/CODE/history): renamed, moved
// to another level or parent, ended, and when.
import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, say } from '../dom.js';
import { fmtDate } from '../format.js';

const when = (iso) => (iso ? fmtDate(new Date(iso)) : '—');

function historyList(history) {
  if (!history.changes.length) return h('p', { class: 'hint' }, t('roster.no_changes'));
  return h('ul', { class: 'history' }, history.changes.map((c) => h('li', { dataset: { change: c.change } },
    `${when(c.at)}: ${t(`roster.change_${c.change}`)}`,
    c.old ? ` — ${c.old}` : '', c.new ? ` → ${c.new}` : '')));
}

function unitRow(unit, now) {
  const ended = unit.valid_to && Date.parse(unit.valid_to) <= now;
  const details = h('details', { class: 'unit-history' }, h('summary', {}, t('roster.history')));
  details.addEventListener('toggle', async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = '1';
    try {
      details.append(historyList(await api.unitHistory(unit.code)));
    } catch (e) { details.append(h('p', { role: 'alert' }, e.message)); }
  }, { once: false });
  return h('tr', { dataset: { unit: unit.code, ended: ended ? '1' : '0' } },
    h('td', {}, h('code', {}, unit.code)),
    h('td', {}, unit.name),
    h('td', {}, unit.level ? t(`level.${unit.level}`) : '—'),
    h('td', {}, when(unit.valid_from)),
    h('td', {}, unit.valid_to ? when(unit.valid_to) : t('roster.current')),
    h('td', {}, unit.successor || '—'),
    h('td', {}, details));
}

export async function render(main) {
  const status = h('div', { role: 'alert', class: 'form-status' });
  main.append(h('h1', {}, t('roster.heading')), h('p', { class: 'hint' }, t('roster.intro')), status);
  let units;
  try {
    units = await api.units();
  } catch (e) { say(status, e.message, 'error'); return; }
  const now = Date.now();
  const head = h('tr', {}, ['code', 'name', 'level', 'from', 'to', 'successor', 'history']
    .map((k) => h('th', { scope: 'col' }, t(`roster.col_${k}`))));
  main.append(h('div', { class: 'data-table' },
    h('table', { id: 'roster-units' }, h('thead', {}, head),
      h('tbody', {}, units.map((u) => unitRow(u, now))))));
  main.dataset.loaded = '1';
}
