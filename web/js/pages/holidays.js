// Public holidays by year (#17): every day the booking rules skip — the
// holiday file's, those an administrator entered here, and the provisional
// lunar ones (Tết, Giỗ Tổ) computed while a year's official break is not
// entered — with the warning when a year is incomplete. An administrator
// adds, changes and deletes entries (POST/PATCH/DELETE /api/v1/holidays);
// they take effect at once for booking, the series preview and the
// calendar. The file's own days are changed in the file.
import { api } from '../api.js';
import { t, getLang } from '../i18n.js';
import { h, field, say } from '../dom.js';
import { parseDate, pad2 } from '../format.js';
import { errorText } from '../errors.js';

const isoDay = (p) => `${p.y}-${pad2(p.m)}-${pad2(p.d)}`;
const vnDay = (iso) => { const [y, m, d] = iso.split('-'); return `${d}/${m}/${y}`; };
const nextDay = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
};

/** Consecutive days of the same holiday (name, entry, kind) as one row. */
export function holidayRuns(days) {
  const runs = [];
  for (const x of days) {
    const last = runs[runs.length - 1];
    if (last && nextDay(last.end) === x.date && last.name === x.name && last.id === x.id
        && last.provisional === x.provisional && last.source === x.source) {
      last.end = x.date;
    } else {
      runs.push({ ...x, start: x.date, end: x.date });
    }
  }
  return runs;
}

export async function render(main, { me, params, navigate, toast }) {
  const thisYear = new Date().getFullYear();
  const asked = Number(params.get('year'));
  const year = asked >= 2000 && asked <= 2099 ? asked : thisYear;
  const isAdmin = me.role === 'admin';
  const status = h('div', { role: 'status', 'aria-live': 'polite', class: 'form-status', id: 'hol-status' });
  const yearSelect = h('select', { id: 'hol-year' },
    [...Array(6).keys()].map((i) => thisYear - 1 + i).concat(year < thisYear - 1 || year > thisYear + 4 ? [year] : [])
      .sort((a, b) => a - b).map((y) => h('option', { value: String(y) }, String(y))));
  yearSelect.value = String(year);
  yearSelect.addEventListener('change', () => navigate('holidays', { year: yearSelect.value }));
  main.append(h('h1', {}, t('hol.heading')), h('p', { class: 'hint' }, t(isAdmin ? 'hol.intro_admin' : 'hol.intro')),
    h('div', { class: 'toolbar' },
      h('div', { class: 'button-row', role: 'group', 'aria-label': t('hol.year_nav') },
        h('button', { type: 'button', onclick: () => navigate('holidays', { year: year - 1 }) }, t('hol.prev_year')),
        field(t('hol.year'), yearSelect),
        h('button', { type: 'button', onclick: () => navigate('holidays', { year: year + 1 }) }, t('hol.next_year')))),
    status);

  let answer;
  try {
    answer = await api.holidays(year);
  } catch (e) { say(status, errorText(e), 'error'); return; }

  if (!answer.complete) {
    main.append(h('div', { class: 'msg msg-warn', id: 'hol-incomplete', role: 'note' },
      t('book.holidays_incomplete', { year, what: answer.missing.map((m) => t(`book.missing_${m}`)).join(', ') })));
  }
  const entries = new Map((answer.entries || []).map((e) => [e.id, e]));
  const form = isAdmin ? entryForm() : null;
  main.append(table(holidayRuns(answer.holidays)), form ? form.el : null);
  main.dataset.loaded = '1';
  return undefined;

  function displayName(x) {
    return getLang() === 'en' && x.name_en ? x.name_en : x.name;
  }

  function table(runs) {
    if (!runs.length) return h('p', { id: 'hol-empty' }, t('hol.none'));
    const head = h('tr', {}, ['dates', 'name', 'kind', 'source'].concat(isAdmin ? ['actions'] : [])
      .map((k) => h('th', { scope: 'col' }, t(`hol.col_${k}`))));
    return h('div', { class: 'data-table table-scroll' }, h('table', { id: 'hol-table' },
      h('caption', { class: 'visually-hidden' }, t('hol.caption', { year })),
      h('thead', {}, head),
      h('tbody', {}, runs.map((x) => h('tr', { dataset: { start: x.start, source: x.source, provisional: String(x.provisional), id: x.id ?? '' } },
        h('td', {}, x.start === x.end ? vnDay(x.start) : `${vnDay(x.start)} – ${vnDay(x.end)}`),
        h('td', { lang: getLang() === 'en' && x.name_en ? 'en' : 'vi' }, displayName(x)),
        h('td', {}, x.provisional ? h('span', { class: 'badge holiday' }, t('hol.provisional')) : t('hol.official')),
        h('td', {}, t(`hol.source_${x.source}`)),
        isAdmin ? h('td', { class: 'controls' }, x.id && entries.has(x.id) ? [
          h('button', { type: 'button', class: 'hol-edit', onclick: () => form.edit(entries.get(x.id)) },
            h('span', {}, t('hol.edit')), h('span', { class: 'visually-hidden' }, ` ${x.name} ${vnDay(x.start)}`)),
          h('button', { type: 'button', class: 'danger hol-delete', onclick: () => remove(entries.get(x.id)) },
            h('span', {}, t('hol.delete')), h('span', { class: 'visually-hidden' }, ` ${x.name} ${vnDay(x.start)}`)),
        ] : null) : null)))));
  }

  async function remove(entry) {
    if (!window.confirm(t('hol.confirm_delete', { name: entry.name }))) return;
    try {
      await api.deleteHoliday(entry.id);
      toast(t('hol.deleted'));
      navigate('holidays', { year });
    } catch (e) { say(status, errorText(e), 'error'); }
  }

  /** The add / change form: dates dd/mm/yyyy, names, official or not. */
  function entryForm() {
    let editing = null;
    const start = h('input', { type: 'text', name: 'start', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', required: true, autocomplete: 'off' });
    const end = h('input', { type: 'text', name: 'end', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', autocomplete: 'off' });
    const name = h('input', { type: 'text', name: 'name', class: 'wide', required: true, maxlength: '200', lang: 'vi' });
    const nameEn = h('input', { type: 'text', name: 'name_en', class: 'wide', maxlength: '200', lang: 'en' });
    const official = h('input', { type: 'checkbox', name: 'official', id: 'hol-official', checked: true });
    const heading = h('h2', { id: 'hol-form-heading' }, t('hol.add_heading'));
    const submit = h('button', { type: 'submit', class: 'primary' }, t('hol.add'));
    const cancel = h('button', { type: 'button', hidden: true, onclick: () => reset() }, t('hol.cancel_edit'));
    const formStatus = h('div', { role: 'alert', class: 'form-status', id: 'hol-form-status' });
    const el = h('form', { class: 'card', id: 'hol-form', 'aria-labelledby': heading.id, novalidate: true },
      heading,
      h('div', { class: 'grid-2' }, field(t('hol.start'), start, t('hol.date_hint')), field(t('hol.end'), end, t('hol.end_hint'))),
      field(t('hol.name'), name), field(t('hol.name_en'), nameEn, t('hol.name_en_hint')),
      h('label', { class: 'check', for: official.id }, official, ' ', t('hol.official_label')),
      h('p', { class: 'hint' }, t('hol.official_hint')),
      formStatus, h('div', { class: 'actions' }, submit, cancel));
    el.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const s = parseDate(start.value);
      const e = end.value.trim() ? parseDate(end.value) : s;
      if (!s) { say(formStatus, t('hol.bad_start'), 'error'); start.focus(); return; }
      if (!e) { say(formStatus, t('hol.bad_end'), 'error'); end.focus(); return; }
      if (!name.value.trim()) { say(formStatus, t('hol.need_name'), 'error'); name.focus(); return; }
      const body = {
        start: isoDay(s), end: isoDay(e), name: name.value.trim(),
        name_en: nameEn.value.trim() || null, official: official.checked,
      };
      submit.disabled = true;
      try {
        const saved = editing ? await api.updateHoliday(editing.id, body) : await api.createHoliday(body);
        toast(t(editing ? 'hol.changed' : 'hol.added', { name: saved.name }));
        navigate('holidays', { year: Number(saved.start.slice(0, 4)) });
      } catch (err) {
        say(formStatus, errorText(err), 'error');
      } finally { submit.disabled = false; }
    });

    function reset() {
      editing = null;
      el.reset();
      official.checked = true;
      heading.textContent = t('hol.add_heading');
      submit.textContent = t('hol.add');
      cancel.hidden = true;
      say(formStatus, '');
    }

    function edit(entry) {
      editing = entry;
      start.value = vnDay(entry.start);
      end.value = vnDay(entry.end);
      name.value = entry.name;
      nameEn.value = entry.name_en || '';
      official.checked = entry.official;
      heading.textContent = t('hol.edit_heading', { name: entry.name });
      submit.textContent = t('hol.save');
      cancel.hidden = false;
      say(formStatus, '');
      el.scrollIntoView({ block: 'nearest' });
      start.focus();
    }
    return { el, edit };
  }
}
