// Dates and times, always in Asia/Ho_Chi_Minh (UTC+7, no daylight saving)
// whatever the browser's own zone is, and always written dd/mm/yyyy HH:MM.
// The API speaks RFC 3339 UTC ("2026-11-21T08:00:00Z").

export const VN_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export const pad2 = (n) => String(n).padStart(2, '0');

/** Calendar fields of an instant as seen in Vietnam. */
export function vnParts(value) {
  const x = new Date(new Date(value).getTime() + VN_OFFSET_MS);
  return {
    y: x.getUTCFullYear(), m: x.getUTCMonth() + 1, d: x.getUTCDate(),
    hh: x.getUTCHours(), mi: x.getUTCMinutes(), dow: x.getUTCDay(),
  };
}

/** The instant of a Vietnamese wall-clock time. */
export function vnDate(y, m, d, hh = 0, mi = 0) {
  return new Date(Date.UTC(y, m - 1, d, hh, mi) - VN_OFFSET_MS);
}

export function toIso(date) {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function fmtDate(value) {
  const p = vnParts(value);
  return `${pad2(p.d)}/${pad2(p.m)}/${p.y}`;
}

export function fmtTime(value) {
  const p = vnParts(value);
  return `${pad2(p.hh)}:${pad2(p.mi)}`;
}

export function fmtDateTime(value) {
  return `${fmtDate(value)} ${fmtTime(value)}`;
}

/** "21/11/2026 08:00–09:00", or both dates when the span crosses midnight. */
export function fmtRange(start, end) {
  if (fmtDate(start) === fmtDate(end)) return `${fmtDateTime(start)}–${fmtTime(end)}`;
  return `${fmtDateTime(start)} – ${fmtDateTime(end)}`;
}

/** Parse "dd/mm/yyyy" (also d/m/yyyy); null when invalid. */
export function parseDate(text) {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || '');
  if (!m) return null;
  const d = Number(m[1]); const mo = Number(m[2]); const y = Number(m[3]);
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return { y, m: mo, d };
}

/** Parse "HH:MM" (24 h); null when invalid. */
export function parseTime(text) {
  const m = /^\s*(\d{1,2})[:h.](\d{2})\s*$/.exec(text || '');
  if (!m) return null;
  const hh = Number(m[1]); const mi = Number(m[2]);
  if (hh > 23 || mi > 59) return null;
  return { hh, mi };
}

/** Monday 00:00 (Vietnam) of the week holding the instant. */
export function vnWeekStart(value) {
  const p = vnParts(value);
  const back = (p.dow + 6) % 7;
  const midnight = vnDate(p.y, p.m, p.d);
  return new Date(midnight.getTime() - back * DAY_MS);
}

export function addDays(date, n) {
  return new Date(new Date(date).getTime() + n * DAY_MS);
}

export function addMinutes(date, n) {
  return new Date(new Date(date).getTime() + n * 60000);
}

/** Key "yyyy-mm-dd" of the Vietnamese day of an instant. */
export function vnDayKey(value) {
  const p = vnParts(value);
  return `${p.y}-${pad2(p.m)}-${pad2(p.d)}`;
}

export function minutesBetween(a, b) {
  return Math.round((new Date(b) - new Date(a)) / 60000);
}
