// tekser's operator's page: reads the gateway's own API with the operator's bearer token and
// shows the refresh run, the state systems and the outbox, refreshing itself. No framework, no
// build step; every value from the API is written as text (textContent), never as markup.
'use strict';

const REFRESH_MS = 5000;
const LATENCY_WINDOW_MS = 5 * 60 * 1000;
const LATENCY_KEEP = 200;  // durations kept per system
const LATENCY_PAGE = 50;   // exchanges asked per system and refresh
const TOKEN_KEY = 'tekser.token';
const OUTCOMES = ['data', 'no_data', 'unavailable', 'refused', 'malformed'];

const $ = (id) => document.getElementById(id);

// The API's base: the page is served at <base>/ui/, the API at <base>/v1/…, so that the page
// also works behind a reverse proxy that adds a path prefix.
const apiBase = new URL('../', document.baseURI);

// ---- the token: from the fragment (never the query: fragments don't reach server logs) ----

function takeTokenFromFragment() {
  // Split by hand: URLSearchParams would read a '+' of a token (RFC 6750 allows it) as a space.
  const parts = location.hash.slice(1).split('&').filter((p) => p !== '');
  const found = parts.find((p) => p.startsWith('token='));
  if (!found) return;
  let value = found.slice('token='.length);
  try {
    value = decodeURIComponent(value);
  } catch (_) { /* not percent-encoded: as it is */ }
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  const rest = parts.filter((p) => p !== found).join('&');
  // Out of the address bar and the history, now that it is kept.
  history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

// ---- the API ----

class ApiError extends Error {
  constructor(request, status, field, reason) {
    super(`${request}: ${status}${field ? ' ' + field + ':' : ''} ${reason}`);
    this.status = status;
    this.field = field;
    this.reason = reason;
  }
}

// GET (or POST) a path of the API; JSON answers are parsed. A refusal becomes an ApiError with
// the API's {"error":{"field","reason"}}, shown as it is.
async function api(path, { method = 'GET', text = false } = {}) {
  const request = `${method} /${path.split('?')[0]}`;
  let response;
  try {
    response = await fetch(new URL(path, apiBase), {
      method,
      headers: { Authorization: 'Bearer ' + token(), Accept: text ? 'text/plain' : 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(request, 'no answer', '', 'the gateway is not reachable (' + e.message + ')');
  }
  const body = await response.text();
  if (!response.ok) {
    let field = '';
    let reason = body.trim() || response.statusText;
    try {
      const error = JSON.parse(body).error;
      if (error && typeof error === 'object') {
        field = error.field || '';
        reason = error.reason || reason;
      } else if (typeof error === 'string') {
        reason = error;
      }
    } catch (_) { /* not JSON: the text as it came */ }
    throw new ApiError(request, response.status, field, reason);
  }
  if (text) return body;
  return JSON.parse(body);
}

// ---- small helpers for the DOM ----

function setText(id, value) {
  $(id).textContent = value === null || value === undefined ? '—' : String(value);
}

function show(id, visible) {
  $(id).hidden = !visible;
}

function showError(id, error) {
  const element = $(id);
  element.hidden = !error;
  element.textContent = error ? error.message : '';
}

function cell(row, value, className) {
  const td = document.createElement('td');
  td.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

// A state system's row: the system's name on it and as its row header.
function systemRow(system) {
  const row = document.createElement('tr');
  row.dataset.system = system;
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = system;
  row.appendChild(th);
  return row;
}

// A trigger's row of the outbox's tables: the trigger's id on it, then one cell per [value,
// className?] of `cells`.
function triggerRow(t, cells) {
  const row = document.createElement('tr');
  row.dataset.triggerId = t.id;
  for (const [value, className] of cells) cell(row, value, className);
  return row;
}

// "2026-12-08 14:03:07" in the browser's time zone (the operator's).
function time(text) {
  if (!text) return null;
  const t = new Date(text);
  if (Number.isNaN(t.getTime())) return text;
  const two = (n) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ` +
    `${two(t.getHours())}:${two(t.getMinutes())}:${two(t.getSeconds())}`;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return null;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

// ---- the refresh run ----

async function loadRefresh() {
  const list = await api('v1/refresh-runs');
  const latest = list.runs.find((r) => r.status === 'running') || list.runs[0];
  let schedule = `Schedule: ${list.schedule}${list.schedule === 'off' ? '' : ' (Asia/Almaty)'}`;
  if (list.next_scheduled) schedule += `; next run ${time(list.next_scheduled)}`;
  setText('refresh-schedule', schedule);
  if (!latest) {
    show('refresh-none', true);
    show('refresh-run', false);
    return;
  }
  const run = await api(`v1/refresh-runs/${encodeURIComponent(latest.id)}`);
  show('refresh-none', false);
  show('refresh-run', true);
  const p = run.progress;
  setText('run-id', run.id);
  setText('run-status', run.status);
  $('run-status').dataset.status = run.status;
  setText('run-requested-by', run.requested_by);
  setText('run-created-at', time(run.created_at));
  setText('run-finished', run.finished_at ? `, ended ${time(run.finished_at)}` : '');
  setText('run-total', run.total);
  setText('run-total-2', run.total);
  setText('run-done', p.done);
  setText('run-failed', p.failed);
  setText('run-pending', p.pending);
  setText('run-leased', p.leased);
  setText('run-triggers', p.triggers);
  setText('run-percent', p.percent.toFixed(1));
  setText('run-finished-count', p.done + p.failed);
  setText('run-rate', `${p.rate_per_second.toFixed(2)} /s`);
  setText('run-eta', run.status === 'running' ? duration(p.eta_seconds) : null);
  $('run-progress').max = Math.max(run.total, 1);
  $('run-progress').value = run.total > 0 ? p.done + p.failed : 1;

  const body = $('run-systems').tBodies[0];
  body.replaceChildren();
  for (const system of Object.keys(run.systems).sort()) {
    const row = systemRow(system);
    for (const outcome of OUTCOMES) cell(row, run.systems[system][outcome] ?? 0, 'number');
    body.appendChild(row);
  }
  show('run-systems', body.rows.length > 0);
  return run;
}

// ---- state systems: breakers (/readyz with details) and latency (/v1/exchanges) ----

const latency = new Map();  // system -> {after, samples: [{at, ms}]}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, rank)];
}

// The newest exchanges of `system` since those already seen (the first time: the last five
// minutes); a full page means more came than one page holds, so the next look starts near now.
async function loadLatency(system) {
  const state = latency.get(system) || { after: null, since: null, seen: 0, samples: [] };
  latency.set(system, state);
  const now = Date.now();
  const params = new URLSearchParams({ system, limit: String(LATENCY_PAGE) });
  if (state.after !== null) params.set('after', String(state.after));
  else params.set('since', new Date(state.since ?? now - LATENCY_WINDOW_MS).toISOString());
  const page = await api(`v1/exchanges?${params}`);
  for (const e of page.exchanges) {
    if (e.id <= state.seen) continue;
    state.seen = e.id;
    state.samples.push({ at: Date.parse(e.started_at), ms: e.duration_ms });
  }
  if (page.exchanges.length === LATENCY_PAGE) {
    // More came than a page holds: skip to the last few seconds rather than fall behind.
    state.after = null;
    state.since = now - 2 * REFRESH_MS;
  } else {
    state.after = page.next_after;
  }
  state.samples = state.samples.filter((s) => s.at > now - LATENCY_WINDOW_MS).slice(-LATENCY_KEEP);
}

function latencyFigures(system) {
  const state = latency.get(system);
  if (!state) return { median: null, p95: null, count: null };
  const sorted = state.samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    median: sorted.length ? `${percentile(sorted, 50)} ms` : null,
    p95: sorted.length ? `${percentile(sorted, 95)} ms` : null,
    count: sorted.length,
  };
}

async function loadSystems(runSystems) {
  const ready = await api('readyz');
  if (!ready.sources) {
    throw new ApiError('GET /readyz', 200, 'scope',
      'the state systems are listed only for a client with the scope metrics:read');
  }
  setText('database-line', `Gateway ${ready.status}; database ${ready.database}.`);
  const names = new Set(ready.sources.map((s) => s.system));
  for (const name of runSystems) names.add(name);
  const systems = [...names].sort();

  let latencyError = null;
  await Promise.all(systems.map((s) => loadLatency(s).catch((e) => { latencyError = e; })));
  showError('latency-error', latencyError &&
    new Error(`Latency not shown: ${latencyError.message}`));

  const body = $('systems-table').tBodies[0];
  body.replaceChildren();
  for (const system of systems) {
    const health = ready.sources.find((s) => s.system === system);
    const row = systemRow(system);
    if (health) {
      cell(row, health.state, 'state').dataset.state = health.state;
      cell(row, health.consecutive_failures, 'number');
      cell(row, time(health.last_success_at));
      const failure = health.last_failure_at
        ? `${time(health.last_failure_at)}: ${health.last_failure_cause ?? ''}` : null;
      cell(row, failure);
    } else {
      // In the run but without a breaker on this replica: another replica asked it, or it is a
      // whole-register mirror fetched outside the per-supplier guards.
      cell(row, 'no breaker here', 'state');
      cell(row, null);
      cell(row, null);
      cell(row, null);
    }
    const figures = latencyFigures(system);
    cell(row, figures.median, 'number');
    cell(row, figures.p95, 'number');
    cell(row, figures.count, 'number');
    cell(row, health ? `${health.attempts} / ${health.retries} / ${health.short_circuited}` : null, 'number');
    body.appendChild(row);
  }
}

// ---- the outbox ----

// One gauge of the Prometheus text, e.g. tekser_triggers{status="dead"} 3.
function gauge(metrics, name, labels = '') {
  for (const line of metrics.split('\n')) {
    if (line.startsWith(name + labels + ' ')) return Number(line.slice(name.length + labels.length + 1));
  }
  return null;
}

function lastAnswer(t) {
  const parts = [];
  if (t.last_status !== null && t.last_status !== undefined) parts.push(`HTTP ${t.last_status}`);
  if (t.last_error) parts.push(t.last_error);
  return parts.join(': ');
}

async function replay(id, button) {
  button.disabled = true;
  const result = $('replay-result');
  result.className = '';
  try {
    const trigger = await api(`v1/triggers/${encodeURIComponent(id)}/replay`, { method: 'POST' });
    result.textContent = `Trigger ${trigger.id} replayed: now ${trigger.status}.`;
    result.className = 'ok';
    result.dataset.replayed = trigger.id;
  } catch (e) {
    result.textContent = `Replay of ${id} refused: ${e.message}`;
    result.className = 'error';
    button.disabled = false;
  }
  refreshSoon();
}

async function loadOutbox() {
  const [metrics, dead, pending] = await Promise.all([
    api('metrics', { text: true }),
    api('v1/triggers?status=dead&limit=100'),
    api('v1/triggers?status=pending&limit=10'),
  ]);
  setText('outbox-pending', gauge(metrics, 'tekser_triggers', '{status="pending"}'));
  setText('outbox-delivered', gauge(metrics, 'tekser_triggers', '{status="delivered"}'));
  setText('outbox-dead', gauge(metrics, 'tekser_triggers', '{status="dead"}'));
  setText('outbox-overdue', gauge(metrics, 'tekser_triggers_overdue'));

  const deadBody = $('dead-table').tBodies[0];
  deadBody.replaceChildren();
  for (const t of dead.triggers) {
    const row = triggerRow(t, [[time(t.created_at)], [t.kind], [t.supplier_id],
                               [t.attempts, 'number'], [lastAnswer(t)], [t.id, 'id']]);
    const action = document.createElement('td');
    row.appendChild(action);
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Replay';
    button.dataset.replay = t.id;
    button.setAttribute('aria-label', `Replay trigger ${t.id} (${t.kind}, supplier ${t.supplier_id})`);
    button.addEventListener('click', () => replay(t.id, button));
    action.appendChild(button);
    deadBody.appendChild(row);
  }
  show('dead-table', dead.triggers.length > 0);
  show('dead-none', dead.triggers.length === 0);

  const pendingBody = $('pending-table').tBodies[0];
  pendingBody.replaceChildren();
  for (const t of pending.triggers) {
    pendingBody.appendChild(triggerRow(t, [[time(t.created_at)], [t.kind], [t.supplier_id],
                                          [t.attempts, 'number'], [time(t.next_attempt_at)],
                                          [lastAnswer(t)]]));
  }
  show('pending-table', pending.triggers.length > 0);
  show('pending-none', pending.triggers.length === 0);
}

// ---- the loop ----

let timer = null;
let loads = 0;

function refreshSoon() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 0);
}

function askForToken(message) {
  show('login', true);
  for (const id of ['refresh', 'systems', 'outbox']) show(id, false);
  show('forget-token', false);
  showError('login-error', message ? new Error(message) : null);
  setText('status-line', 'Not signed in.');
  $('token-input').focus();
}

async function refresh() {
  clearTimeout(timer);
  if (!token()) {
    askForToken();
    return;
  }
  show('login', false);
  show('forget-token', true);
  for (const id of ['refresh', 'systems', 'outbox']) show(id, true);

  // Each part on its own: one refused (a missing scope) leaves the others shown.
  const running = loadRefresh();
  const parts = [
    ['refresh', running],
    ['systems', running.catch(() => null).then((run) => loadSystems(run ? Object.keys(run.systems) : []))],
    ['outbox', loadOutbox()],
  ];
  const results = await Promise.allSettled(parts.map(([, promise]) => promise));
  let unauthorized = null;
  let failed = false;
  results.forEach((r, i) => {
    const error = r.status === 'rejected' ? r.reason : null;
    showError(`${parts[i][0]}-error`, error);
    if (!error) return;
    failed = true;
    if (error.status === 401) unauthorized = error;
  });
  if (unauthorized) {
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken(`The gateway refused the token: ${unauthorized.message}`);
    return;
  }
  loads += 1;
  const now = new Date();
  $('main').dataset.loaded = 'true';
  $('main').dataset.loads = String(loads);
  setText('status-line', `${failed ? 'Updated with errors' : 'Updated'} at ${time(now)}; ` +
    `next update in ${REFRESH_MS / 1000} s.`);
  timer = setTimeout(refresh, REFRESH_MS);
}

document.addEventListener('DOMContentLoaded', () => {
  takeTokenFromFragment();
  window.addEventListener('hashchange', () => { takeTokenFromFragment(); refreshSoon(); });
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token-input').value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token-input').value = '';
    refreshSoon();
  });
  $('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    clearTimeout(timer);
    askForToken();
  });
  refresh();
});
