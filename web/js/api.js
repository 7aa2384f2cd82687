// Every call the UI makes to vc-scheduler lives here, so that a change in
// the REST API touches one file. The API token (Bearer) is kept in
// sessionStorage: it dies with the tab, and no cookie means no CSRF.

const TOKEN_KEY = 'vc.token';

export function getToken() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  try { sessionStorage.removeItem(TOKEN_KEY); } catch { /* ignore */ }
}

/** An error answer: status, the API's {error, message, field} and the body. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && (body.message || body.error)) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.field = body && body.field;
    this.body = body || {};
  }
}

function buildUrl(path, query) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  return url.pathname + url.search;
}

async function call(method, path, { query, body, headers, as = 'json', token } = {}) {
  const h = { Accept: as === 'json' ? 'application/json' : '*/*', ...(headers || {}) };
  const bearer = token ?? getToken();
  if (bearer) h.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(buildUrl(path, query), {
      method, headers: h, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { error: 'network', message: String(e.message || e) });
  }
  if (response.status === 204) return null;
  if (!response.ok) {
    let data = null;
    try { data = await response.json(); } catch { /* not JSON */ }
    const err = new ApiError(response.status, data);
    if (response.status === 401 && !token) {
      window.dispatchEvent(new CustomEvent('vc:unauthorized'));
    }
    throw err;
  }
  if (as === 'text') return response.text();
  if (as === 'blob') return response.blob();
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

const list = (key) => (r) => (Array.isArray(r) ? r : (r && r[key]) || []);

export const api = {
  health: () => call('GET', '/healthz'),

  /** {role, unit, endpoint, name}; `token` checks a token before keeping it. */
  me: (token) => call('GET', '/api/v1/me', { token }),

  units: () => call('GET', '/api/v1/units').then(list('units')),
  /** {units[], record_default}: the site's default for "record" as well */
  unitsWithDefaults: () => call('GET', '/api/v1/units'),
  endpoints: () => call('GET', '/api/v1/endpoints').then(list('endpoints')),
  /** {code, name, valid_from, valid_to, successor, changes[]} (issue #16) */
  unitHistory: (code) => call('GET', `/api/v1/units/${encodeURIComponent(code)}/history`),

  /** query: {from, to, unit, endpoint, status} */
  meetings: (query) => call('GET', '/api/v1/meetings', { query }).then(list('meetings')),
  meeting: (id) => call('GET', `/api/v1/meetings/${encodeURIComponent(id)}`),
  /** body: {title, unit, chair, endpoints[], start, end, recurrence?, skip_conflicts?} */
  createMeeting: (body) => call('POST', '/api/v1/meetings', { body }),
  /** patch: {start?, end?, title?, ...}; 412 when `version` is stale. */
  /** scope: this (default) | following | series — the occurrences of a series changed. */
  updateMeeting: (id, version, patch, scope) => call('PATCH', `/api/v1/meetings/${encodeURIComponent(id)}`, {
    body: patch, query: { scope }, headers: version !== undefined && version !== null ? { 'If-Match': `"${version}"` } : {},
  }),
  /** What a booking would be (nothing written): {occurrences[{start, end, holiday, provisional, conflicts}], bookable, incomplete_holiday_years} */
  previewMeeting: (body) => call('POST', '/api/v1/meetings/preview', { body }),
  cancelMeeting: (id, scope) => call('DELETE', `/api/v1/meetings/${encodeURIComponent(id)}`, { query: { scope } }),
  extendMeeting: (id, minutes) => call('POST', `/api/v1/meetings/${encodeURIComponent(id)}/extend`, { body: { minutes } }),
  endMeeting: (id) => call('POST', `/api/v1/meetings/${encodeURIComponent(id)}/end`, { body: {} }),
  attendance: (id) => call('GET', `/api/v1/meetings/${encodeURIComponent(id)}/attendance`),
  /** {recordings[{id, url, play_url, name, segment, bytes, seconds, started_at}], bytes, seconds, segments, state, live} */
  recordings: (id) => call('GET', `/api/v1/meetings/${encodeURIComponent(id)}/recordings`),
  /** action: pause | resume; 409 reason not_recording / no_room */
  recordingControl: (id, action) => call('POST', `/api/v1/meetings/${encodeURIComponent(id)}/recording`, { body: { action } }),
  deleteRecording: (id) => call('DELETE', `/api/v1/recordings/${encodeURIComponent(id)}`),
  /** {meeting_id, signal_url, endpoint, central_room, token_expires_at, set_by, set_at, room_open, state, attempts, last_error, connected_at} */
  uplink: (id) => call('GET', `/api/v1/meetings/${encodeURIComponent(id)}/uplink`),
  setUplink: (id, signalUrl, token) => call('PUT', `/api/v1/meetings/${encodeURIComponent(id)}/uplink`, { body: { signal_url: signalUrl, token } }),
  clearUplink: (id) => call('DELETE', `/api/v1/meetings/${encodeURIComponent(id)}/uplink`),

  /** query: {from, to, group_by: unit|endpoint|level|month, compare?} */
  stats: (query) => call('GET', '/api/v1/stats', { query }),
  statsCsv: (query) => call('GET', '/api/v1/stats.csv', { query, as: 'blob' }),
  summary: (query) => call('GET', '/api/v1/reports/summary', { query }),

  /** {year, complete, missing[], holidays[{date: "yyyy-mm-dd", name, name_en, provisional, source, id}], entries[]} */
  holidays: (year) => call('GET', '/api/v1/holidays', { query: { year } }),
  /** Admin: body {start, end?, name, name_en?, official?} ("yyyy-mm-dd") → the entry. */
  createHoliday: (body) => call('POST', '/api/v1/holidays', { body }),
  updateHoliday: (id, body) => call('PATCH', `/api/v1/holidays/${encodeURIComponent(id)}`, { body }),
  deleteHoliday: (id) => call('DELETE', `/api/v1/holidays/${encodeURIComponent(id)}`),

  monitor: () => call('GET', '/api/v1/monitor'),
  /** body: {action: mute|unmute|floor|layout, endpoint?, layout?} */
  control: (id, body) => call('POST', `/api/v1/monitor/meetings/${encodeURIComponent(id)}/control`, { body }),
  /** → 201 {url: "/#/join?meeting=ID&token=JWT", signal_url, token, endpoint, expires} */
  createJoinLink: (id, name) => call('POST', `/api/v1/monitor/meetings/${encodeURIComponent(id)}/join-links`, { body: { name } }),
};

/** Tolerant accessors for shapes that may still shift while the API settles. */
export function endpointCodes(meeting) {
  return (meeting.endpoints || meeting.participants || []).map((e) =>
    (typeof e === 'string' ? e : e.code || e.endpoint));
}

export function statsGroups(result) {
  if (!result) return [];
  return result.groups || result.rows || result.items || [];
}

export function groupKey(group) {
  return group.key ?? group.code ?? group.group ?? group.unit ?? group.endpoint ?? group.level ?? group.month;
}

export function groupLabel(group) {
  return group.name ?? group.label ?? group.unit_name ?? group.endpoint_name ?? groupKey(group);
}
