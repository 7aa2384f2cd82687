// The single-page app: hash routes, the top bar (navigation per role,
// language toggle, sign-out) and the page life cycle. Each page module
// exports render(main, ctx) and may return a cleanup function (timers,
// sockets, charts) that runs when the route changes.
import { api, getToken, clearToken } from './api.js';
import { t, getLang, setLang } from './i18n.js';
import { h } from './dom.js';

const PAGES = {
  login: () => import('./pages/login.js'),
  calendar: () => import('./pages/calendar.js'),
  book: () => import('./pages/book.js'),
  stats: () => import('./pages/stats.js'),
  monitor: () => import('./pages/monitor.js'),
  join: () => import('./pages/join.js'),
  roster: () => import('./pages/roster.js'),
  holidays: () => import('./pages/holidays.js'),
};

/** Routes each role sees in the navigation, first one is its home. */
const NAV = {
  admin: ['calendar', 'book', 'stats', 'monitor', 'roster', 'holidays'],
  secretariat: ['calendar', 'book', 'monitor', 'roster'],
  manager: ['stats', 'monitor', 'calendar', 'roster'],
  endpoint: ['monitor'],
};

let me = null;
let cleanup = null;
let renderSerial = 0;

export function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [name, query] = raw.split('?');
  return { name: name || '', params: new URLSearchParams(query || '') };
}

export function navigate(name, params) {
  const q = params ? `?${new URLSearchParams(params)}` : '';
  const target = `#/${name}${q}`;
  if (window.location.hash === target) route();
  else window.location.hash = target;
}

export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('visible');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => el.classList.remove('visible'), 4000);
}

function renderChrome(current) {
  document.title = t('app.title');
  document.getElementById('brand').textContent = t('app.title');
  document.getElementById('skip-link').textContent = t('app.skip');
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.main'));
  const topbar = document.getElementById('topbar');
  topbar.hidden = current === 'join';
  const items = me ? NAV[me.role] || [] : [];
  nav.replaceChildren(h('ul', {}, items.map((name) => h('li', {},
    h('a', { href: `#/${name}`, 'aria-current': name === current ? 'page' : null, onclick: onNavClick }, t(`nav.${name}`))))));
  const session = document.getElementById('session');
  const langButton = document.getElementById('lang-toggle');
  langButton.textContent = t('app.lang_toggle');
  langButton.setAttribute('aria-label', t('app.lang_toggle_label'));
  langButton.setAttribute('lang', getLang() === 'vi' ? 'en' : 'vi');
  session.replaceChildren(...[
    me ? h('span', { class: 'who' }, `${me.name || ''} · ${t(`role.${me.role}`)}`) : null,
    langButton,
    me ? h('button', { type: 'button', class: 'link-button', onclick: signOut }, t('app.signout')) : null,
  ].filter(Boolean));
}

/* A menu link to the page already shown (same hash: no hashchange) opens
 * it afresh, as a click on any other menu link would: an empty booking form
 * rather than the last one's title and rooms (#17, finding 3). */
function onNavClick(ev) {
  if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  if (ev.currentTarget.getAttribute('href') !== window.location.hash) return;
  ev.preventDefault();
  route();
}

function signOut() {
  clearToken();
  me = null;
  navigate('login');
}

export async function loadMe(force) {
  if (me && !force) return me;
  me = await api.me();
  return me;
}

export function forgetMe() {
  me = null;
}

export async function route() {
  const serial = ++renderSerial;
  if (cleanup) {
    try { cleanup(); } catch (e) { console.warn('cleanup failed', e); }
    cleanup = null;
  }
  let { name, params } = parseHash();
  if (name !== 'join') document.body.dataset.state = '';

  if (name !== 'join' && name !== 'login') {
    if (!getToken()) name = 'login';
    else {
      try {
        await loadMe();
      } catch (e) {
        if (e.status === 401 || e.status === 403) { clearToken(); me = null; name = 'login'; }
        else { showFatal(e); return; }
      }
    }
  }
  if (serial !== renderSerial) return;
  if (name === 'login' && getToken() && me) name = '';
  if (!name) name = me ? (NAV[me.role] || ['monitor'])[0] : 'login';
  if (!(name in PAGES)) {
    renderChrome(name);
    document.getElementById('main').replaceChildren(h('h1', {}, t('app.not_found')));
    return;
  }
  renderChrome(name);
  const main = document.getElementById('main');
  main.replaceChildren(h('p', { class: 'loading' }, t('app.loading')));
  main.dataset.page = name;
  try {
    const page = await PAGES[name]();
    if (serial !== renderSerial) return;
    // Each render gets its own container: a render that a newer route
    // overtook keeps writing into a detached node, never into the page.
    const container = h('div', { class: 'page', dataset: { page: name } });
    main.replaceChildren(container);
    const ctx = { me, params, navigate, toast, route };
    const result = await page.render(container, ctx);
    if (serial !== renderSerial) { if (typeof result === 'function') result(); return; }
    cleanup = typeof result === 'function' ? result : null;
    const heading = container.querySelector('h1');
    if (heading) heading.setAttribute('tabindex', '-1');
  } catch (e) {
    if (serial === renderSerial) showFatal(e);
  }
}

function showFatal(e) {
  const main = document.getElementById('main');
  const text = e && e.status === 0 ? t('app.network_error') : `${t('app.error')}: ${e.message || e}`;
  main.replaceChildren(h('div', { class: 'msg msg-error', role: 'alert' }, text),
    h('button', { type: 'button', onclick: () => route() }, t('app.retry')));
}

window.addEventListener('hashchange', () => route());
window.addEventListener('vc:unauthorized', () => {
  if (parseHash().name === 'join') return;
  clearToken();
  me = null;
  navigate('login');
});
document.getElementById('lang-toggle').addEventListener('click', () => {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
  route();
});
document.documentElement.lang = getLang();
route();
