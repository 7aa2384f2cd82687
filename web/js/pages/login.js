// Sign-in with an API token. The token is checked with GET /api/v1/me
// before it is kept (sessionStorage, see api.js).
import { api, setToken } from '../api.js';
import { t } from '../i18n.js';
import { h, field, say } from '../dom.js';
import { forgetMe } from '../app.js';

export function render(main, { navigate }) {
  const input = h('input', {
    type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false',
    required: true, class: 'wide',
  });
  const status = h('div', { role: 'alert', class: 'form-status' });
  const form = h('form', { class: 'card narrow', novalidate: true },
    h('h1', {}, t('login.heading')),
    h('p', {}, t('login.intro')),
    field(t('login.token'), input),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('login.submit'))),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) { say(status, t('login.empty'), 'error'); input.focus(); return; }
    say(status, t('app.loading'));
    try {
      await api.me(token);
      setToken(token);
      forgetMe();
      navigate('');
    } catch (e) {
      say(status, e.status === 401 || e.status === 403 ? t('login.invalid')
        : e.status === 0 ? t('app.network_error') : e.message, 'error');
      input.focus();
    }
  });
  main.append(form);
  input.focus();
}
