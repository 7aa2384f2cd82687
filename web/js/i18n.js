// Translation lookup. Vietnamese is the default; English is a toggle kept
// in localStorage. t('key', {param}) replaces {param} in the string.
import vi from '../i18n/vi.js';
import en from '../i18n/en.js';

const TABLES = { vi, en };
const LANG_KEY = 'vc.lang';
let lang = 'vi';
try {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved in TABLES) lang = saved;
} catch { /* storage disabled: keep the default */ }

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!(next in TABLES)) return;
  lang = next;
  try { localStorage.setItem(LANG_KEY, next); } catch { /* ignore */ }
  document.documentElement.lang = next;
}

export function t(key, params) {
  let text = TABLES[lang][key] ?? TABLES.vi[key] ?? key;
  if (typeof text !== 'string') return text;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (m, name) =>
      (name in params ? String(params[name]) : m));
  }
  return text;
}

/** Locale for number formatting. */
export function locale() {
  return lang === 'vi' ? 'vi-VN' : 'en-GB';
}

export function fmtNumber(n, digits = 0) {
  return Number(n || 0).toLocaleString(locale(), {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  });
}
