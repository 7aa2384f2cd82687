// What the UI says when the scheduler refuses something: the API's stable
// `reason` (docs/api.md, "Error reasons") translated into the UI's
// language; without one, a sentence for the HTTP status, with the server's
// own (English) message only as a detail.
import { t } from './i18n.js';

export function errorText(e) {
  if (!e) return '';
  const reason = e.body && e.body.reason;
  if (reason) {
    const key = `err.${reason}`;
    const text = t(key);
    if (text !== key) return text;
  }
  if (e.status === 0) return t('app.network_error');
  if (e.status === 403) return t('app.forbidden');
  const key = `err.status_${e.status}`;
  const generic = t(key);
  const base = generic !== key ? generic : t('err.status_other', { status: e.status });
  return e.message ? `${base} (${e.message})` : base;
}
