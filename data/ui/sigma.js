// SPDX-License-Identifier: LGPL-2.1-or-later
// The web UI of `sigma serve`: plain DOM, no libraries. Talks to the REST API and streams
// the session's events over its WebSocket.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { session: null, tools: [], ws: null, uploaded: null, finished: false, dagTimer: null };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

function toast(text, error) {
  const t = $('toast');
  t.textContent = text;
  t.className = 'toast show' + (error ? ' error' : '');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = 'toast'; }, 3500);
}

function token() { return localStorage.getItem('sigma-token') || ''; }

async function api(method, path, body) {
  const headers = {};
  if (token()) headers.Authorization = 'Bearer ' + token();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 401) {
    const t = prompt('This server needs a token:');
    if (t) { localStorage.setItem('sigma-token', t); return api(method, path, body); }
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
  return data;
}

function fmtTime(t) {
  if (typeof t !== 'number') return '';
  return new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

// ---------------------------------------------------------------- scenario picker
async function loadScenarios() {
  const sel = $('scenario-select');
  sel.innerHTML = '';
  try {
    const data = await api('GET', '/scenarios');
    for (const s of data.scenarios) {
      const label = s.scenario_id + (s.summary ? ' — ' + s.summary : '') + (s.tags.length ? ' [' + s.tags.join(', ') + ']' : '');
      sel.append(el('option', { value: s.scenario_id, text: label }));
    }
    if (!data.scenarios.length) sel.append(el('option', { value: '', text: 'No registered scenarios: upload a JSON file' }));
  } catch (e) { toast(e.message, true); }
  const m = location.hash.match(/scenario=([^&]+)/);
  if (m) sel.value = decodeURIComponent(m[1]);
}

$('scenario-file').addEventListener('change', async (ev) => {
  const f = ev.target.files[0];
  if (!f) return;
  try {
    state.uploaded = JSON.parse(await f.text());
    const sel = $('scenario-select');
    const opt = el('option', { value: '__uploaded__', text: 'Uploaded: ' + f.name });
    sel.prepend(opt);
    sel.value = '__uploaded__';
  } catch (e) { toast('Not a JSON file: ' + e.message, true); }
});

// ---------------------------------------------------------------- chat
function addChat(kind, who, text, extraClass) {
  const chat = $('chat');
  const m = el('div', { class: 'msg ' + kind + (extraClass ? ' ' + extraClass : '') },
    el('div', { class: 'who', text: who }), el('div', { class: 'body', text }));
  chat.append(m);
  chat.scrollTop = chat.scrollHeight;
}

function userText(message) {
  const m = message.match(/\nMessage: ([\s\S]*?)(\nAlready read:|$)/);
  return m ? m[1] : message;
}

function showObservation(reply) {
  for (const n of reply.notifications || []) {
    if (n.type === 'user-message') addChat('user', 'User · ' + fmtTime(n.timestamp), userText(n.message));
    else addChat('system', n.type, n.message);
  }
  if (reply.time) $('clock').textContent = fmtTime(reply.time);
  if (reply.finished && !state.finished) finished(reply.end_reason);
}

// ---------------------------------------------------------------- sessions
async function startSession() {
  closeSession();
  const sel = $('scenario-select');
  const body = { agent: $('agent-select').value };
  if (sel.value === '__uploaded__') body.scenario = state.uploaded;
  else if (sel.value) body.scenario_id = sel.value;
  else { toast('Pick or upload a scenario first', true); return; }
  try {
    const created = await api('POST', '/sessions', body);
    state.session = created.session_id;
    $('session-label').textContent = 'session ' + state.session + ' · ' + created.scenario_id;
    await openSocket();
    const start = await api('POST', `/sessions/${state.session}/start`);
    showHints(start);
    showTools(start.tools);
    showObservation(start);
    refreshDag();
  } catch (e) { toast(e.message, true); }
}

function closeSession() {
  if (state.ws) { state.ws.onclose = state.ws.onerror = state.ws.onmessage = null; state.ws.close(); state.ws = null; }
  state.session = null; state.finished = false; state.tools = [];
  $('chat').innerHTML = ''; $('timeline').innerHTML = ''; $('dag').innerHTML = '';
  $('state').innerHTML = ''; $('tool-form').innerHTML = ''; $('tool-select').innerHTML = '';
  $('verdict').className = 'verdict muted'; $('verdict').textContent = 'The verdict appears when the run ends.';
  for (const b of ['reply-button', 'wait-button', 'done-button']) $(b).disabled = false;
}

function showHints(start) {
  const h = $('hints');
  h.innerHTML = '';
  h.classList.remove('muted');
  if (start.task) h.append(el('div', { text: start.task }));
  if (start.hints && start.hints.length) {
    const ul = el('ul');
    for (const x of start.hints) ul.append(el('li', { text: x }));
    h.append(el('strong', { text: 'Hints' }), ul);
  }
  if (!start.task && !(start.hints && start.hints.length)) h.append(el('span', { class: 'muted', text: 'No task text or hints: read the user\'s message.' }));
}

async function act(path, body) {
  if (!state.session) { toast('Start a session first', true); return null; }
  try {
    const reply = await api('POST', `/sessions/${state.session}/${path}`, body);
    return reply;
  } catch (e) { toast(e.message, true); return null; }
}

$('reply-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = $('reply-text').value.trim();
  if (!text) return;
  addChat('agent', 'You (agent)', text);
  $('reply-text').value = '';
  const reply = await act('respond', { message: text });
  if (reply) showObservation(reply);
  refreshDag();
});
$('wait-button').addEventListener('click', async () => {
  const reply = await act('wait', { timeout: 60 });
  if (reply) { addChat('system', 'wait', 'Waited until ' + fmtTime(reply.time)); showObservation(reply); }
});
$('done-button').addEventListener('click', async () => {
  const reply = await act('done', {});
  if (reply) showObservation(reply);
  if (state.session && !state.finished) finished('agent_done');
});
$('start-button').addEventListener('click', startSession);

async function finished(reason) {
  state.finished = true;
  addChat('system', 'end', 'The run has ended (' + (reason || 'done') + ').');
  for (const b of ['reply-button', 'wait-button', 'done-button']) $(b).disabled = true;
  if ($('call-tool')) $('call-tool').disabled = true;
  try {
    const r = await api('GET', `/sessions/${state.session}/result`);
    showVerdict(r);
  } catch (e) { toast(e.message, true); }
  refreshDag();
  selectTab('verdict');
}

function showVerdict(r) {
  const v = $('verdict');
  v.className = 'verdict';
  v.innerHTML = '';
  v.append(el('div', { class: 'headline ' + r.status, id: 'verdict-status', text: r.status === 'passed' ? '✔ Passed' : r.status === 'failed' ? '✘ Failed' : '⚠ ' + r.status }));
  const dl = el('dl');
  for (const [k, label] of [['end_reason', 'ended'], ['steps', 'steps'], ['sim_time', 'simulated seconds'], ['score', 'score']])
    if (r[k] !== undefined) dl.append(el('dt', { text: label }), el('dd', { text: String(r[k]) }));
  v.append(dl, el('h2', { text: 'Judge\'s rationale' }), el('pre', { id: 'verdict-rationale', text: r.rationale || '' }));
}

// ---------------------------------------------------------------- tools and their forms
function showTools(tools) {
  state.tools = tools.map((t) => t.function || t).sort((a, b) => a.name.localeCompare(b.name));
  filterTools();
}

function filterTools() {
  const q = $('tool-filter').value.toLowerCase();
  const sel = $('tool-select');
  sel.innerHTML = '';
  const groups = new Map();
  for (const t of state.tools) {
    if (!t.name.toLowerCase().includes(q)) continue;
    const cut = t.name.indexOf('__');
    const app = cut > 0 ? t.name.slice(0, cut) : 'Tools';
    let group = groups.get(app);
    if (!group) { group = el('optgroup', { label: app }); groups.set(app, group); sel.append(group); }
    group.append(el('option', { value: t.name, text: cut > 0 ? t.name.slice(cut + 2) : t.name, title: t.description || t.name }));
  }
}
$('tool-filter').addEventListener('input', filterTools);
$('tool-select').addEventListener('change', () => buildForm(state.tools.find((t) => t.name === $('tool-select').value)));

function typeOf(schema) {
  const t = schema.type;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') || 'string';
  return t || (schema.anyOf ? typeOf(schema.anyOf.find((x) => x.type !== 'null') || {}) : 'string');
}

function buildForm(tool) {
  const form = $('tool-form');
  form.innerHTML = '';
  if (!tool) return;
  form.append(el('div', { class: 'desc', text: tool.description || '' }));
  const params = (tool.parameters && tool.parameters.properties) || {};
  const required = new Set((tool.parameters && tool.parameters.required) || []);
  for (const [name, schema] of Object.entries(params)) {
    const type = typeOf(schema);
    let input;
    if (schema.enum) {
      input = el('select');
      if (!required.has(name)) input.append(el('option', { value: '', text: '(none)' }));
      for (const v of schema.enum) input.append(el('option', { value: JSON.stringify(v), text: String(v) }));
    } else if (type === 'boolean') {
      input = el('select');
      if (!required.has(name)) input.append(el('option', { value: '', text: '(default)' }));
      input.append(el('option', { value: 'true', text: 'true' }), el('option', { value: 'false', text: 'false' }));
    } else if (type === 'array' || type === 'object') {
      input = el('textarea', { rows: '3', placeholder: type === 'array' ? '["…"]' : '{"…": …}' });
    } else if (type === 'string' && /^(content|body|message|text|description)$/.test(name)) {
      input = el('textarea', { rows: '4' });
    } else {
      input = el('input', { type: type === 'integer' || type === 'number' ? 'number' : 'text' });
      if (type === 'number') input.step = 'any';
    }
    input.name = name;
    input.dataset.type = type;
    if (schema.default !== undefined && schema.default !== null)
      input.value = typeof schema.default === 'string' ? schema.default : JSON.stringify(schema.default);
    const label = el('label', {}, el('span', {}, name, required.has(name) ? el('span', { class: 'req', text: ' *' }) : null,
      el('span', { class: 'type', text: ' ' + type + (schema.description ? ' — ' + schema.description : '') })), input);
    form.append(label);
  }
  const call = el('button', { type: 'submit', class: 'primary', id: 'call-tool', text: 'Call ' + tool.name });
  call.disabled = state.finished;
  form.append(call);
  form.dataset.tool = tool.name;
  form.dataset.required = JSON.stringify([...required]);
}

function readForm(form) {
  const args = {};
  const required = new Set(JSON.parse(form.dataset.required || '[]'));
  for (const input of form.querySelectorAll('input, select, textarea')) {
    const raw = input.value;
    if (raw === '') {
      if (required.has(input.name)) throw new Error(`'${input.name}' is required`);
      continue;
    }
    const type = input.dataset.type;
    if (input.tagName === 'SELECT' && type !== 'boolean') args[input.name] = JSON.parse(raw);
    else if (type === 'integer') args[input.name] = parseInt(raw, 10);
    else if (type === 'number') args[input.name] = parseFloat(raw);
    else if (type === 'boolean') args[input.name] = raw === 'true';
    else if (type === 'array' || type === 'object') {
      try { args[input.name] = JSON.parse(raw); } catch (e) { throw new Error(`'${input.name}' must be JSON: ${e.message}`); }
    } else args[input.name] = raw;
  }
  return args;
}

$('tool-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  let args;
  try { args = readForm(form); } catch (e) { toast(e.message, true); return; }
  addChat('call', 'You called ' + form.dataset.tool.replace('__', '.'), JSON.stringify(args, null, 2));
  const reply = await act('tool', { tool: form.dataset.tool, args });
  if (!reply) return;
  if (reply.error) addChat('tool', 'Tool error · ' + reply.error.code, reply.error.message, 'error');
  else addChat('tool', 'Result', JSON.stringify(reply.result, null, 2));
  showObservation(reply);
  refreshDag();
});

// ---------------------------------------------------------------- live timeline (WebSocket)
// Resolves once the socket is open (or has failed), so that starting the session after it
// streams every event, the user's first message included.
function openSocket() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = token() ? '?token=' + encodeURIComponent(token()) : '';
  const ws = new WebSocket(`${proto}//${location.host}/sessions/${state.session}/ws${q}`);
  state.ws = ws;
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    addTimeline(m);
    if (m.type === 'event' || m.type === 'state') scheduleRefresh();
  };
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 3000);
    ws.onopen = () => { clearTimeout(timer); resolve(); };
    ws.onerror = () => {
      clearTimeout(timer);
      toast('The live timeline is unavailable (WebSocket error)', true);
      resolve();
    };
  });
}

function addTimeline(m) {
  let kind, what, failed = false;
  if (m.type === 'event' && m.event) {
    const e = m.event;
    kind = (e.event_type || 'env').toLowerCase();
    const a = e.action || {};
    const fn = (a.app || e.app || '') + '.' + (a.function || e.function || '');
    failed = !!(e.metadata && e.metadata.exception) || !!e.error;
    what = el('span', {}, el('code', { text: fn }), el('span', { class: 'id', text: e.event_id || '' }));
  } else if (m.type === 'notification') {
    kind = 'notification';
    what = el('span', { text: userText(m.notification.message).slice(0, 240) });
  } else if (m.type === 'state') {
    kind = 'state';
    what = el('span', { text: `environment ${m.old} → ${m.new}` });
  } else return;
  const li = el('li', {}, el('span', { class: 't', text: fmtTime(m.time).slice(11) }),
    el('span', {}, el('span', { class: 'badge ' + (failed ? 'failed' : kind), text: failed ? 'failed' : kind })), what);
  $('timeline').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function scheduleRefresh() {
  clearTimeout(state.dagTimer);
  state.dagTimer = setTimeout(refreshDag, 250);
}

// ---------------------------------------------------------------- DAG (layered layout in SVG)
async function refreshDag() {
  if (!state.session) return;
  let data;
  try { data = await api('GET', `/sessions/${state.session}/events`); } catch (e) { return; }
  drawDag(data.events);
  if (document.querySelector('.tab[data-tab="state"]').classList.contains('active')) refreshState();
}

const STATUS_LABEL = { done: '✓ fired', queued: '● pending', waiting: '○ waiting', failed: '✗ failed', dropped: '⊘ dropped', new: '○ new' };

// Top-down layered layout: an event sits one row below the deepest event it depends on;
// rows are centred, edges run from a parent's bottom to its child's top with an arrow.
function drawDag(events) {
  const byId = new Map(events.map((e) => [e.event_id, e]));
  const depth = new Map();
  const depthOf = (e, seen) => {
    if (depth.has(e.event_id)) return depth.get(e.event_id);
    if (seen.has(e.event_id)) return 0;
    seen.add(e.event_id);
    let d = 0;
    for (const p of e.depends_on) if (byId.has(p)) d = Math.max(d, depthOf(byId.get(p), seen) + 1);
    depth.set(e.event_id, d);
    return d;
  };
  const layers = [];
  for (const e of events) {
    const d = depthOf(e, new Set());
    (layers[d] = layers[d] || []).push(e);
  }
  const W = 210, H = 48, GX = 18, GY = 34, PAD = 12;
  const widest = Math.max(1, ...layers.map((l) => (l ? l.length : 0)));
  const inner = Math.max(widest * (W + GX) - GX, $('dag').clientWidth - 2 * PAD);
  const pos = new Map();
  layers.forEach((layer, d) => {
    if (!layer) return;
    const rowWidth = layer.length * (W + GX) - GX;
    layer.forEach((e, i) => pos.set(e.event_id, { x: PAD + (inner - rowWidth) / 2 + i * (W + GX), y: PAD + d * (H + GY) }));
  });
  const width = inner + 2 * PAD;
  const height = PAD * 2 + Math.max(1, layers.length) * (H + GY) - GY;
  const NS = 'http://www.w3.org/2000/svg';
  const svgEl = (tag, attrs) => {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    return n;
  };
  const svg = svgEl('svg', { width, height, id: 'dag-svg', role: 'img', 'aria-label': 'Event dependency graph' });
  const marker = svgEl('marker', { id: 'dag-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  const defs = svgEl('defs');
  defs.append(marker);
  svg.append(defs);
  for (const e of events) for (const p of e.depends_on) {
    const a = pos.get(p), b = pos.get(e.event_id);
    if (!a || !b) continue;
    const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y - 2, my = (y1 + y2) / 2;
    const parent = byId.get(p);
    svg.append(svgEl('path', { d: `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`,
                               class: 'edge' + (parent && parent.status === 'done' ? ' fired' : ''),
                               'marker-end': 'url(#dag-arrow)' }));
  }
  const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  for (const e of events) {
    const p = pos.get(e.event_id);
    const status = e.failed ? 'failed' : e.status;
    const g = svgEl('g', { class: 'node ' + status, transform: `translate(${p.x},${p.y})` });
    g.dataset.id = e.event_id;
    const label = e.app ? `${e.app}.${e.function}` : e.event_id;
    const t1 = svgEl('text', { x: 10, y: 19, class: 'label' });
    t1.textContent = clip(label, 30);
    const t2 = svgEl('text', { x: 10, y: 36, class: 'meta' });
    t2.textContent = `${STATUS_LABEL[status] || status} · ${e.event_type}` + (e.event_time ? ' · ' + fmtTime(e.event_time).slice(11) : '');
    const title = svgEl('title');
    title.textContent = `${e.event_id}\n${label}\n${e.kind} · ${e.event_type} · ${status}\ndepends on: ${e.depends_on.join(', ') || '—'}`;
    g.append(svgEl('rect', { width: W, height: H, rx: 7 }), svgEl('rect', { width: 5, height: H, rx: 2, class: 'bar' }), t1, t2, title);
    svg.append(g);
  }
  $('dag').replaceChildren(svg);
}

// ---------------------------------------------------------------- app state browser
async function refreshState() {
  if (!state.session) return;
  let data;
  try { data = await api('GET', `/sessions/${state.session}/state`); } catch (e) { toast(e.message, true); return; }
  const root = $('state');
  const open = new Set([...root.querySelectorAll(':scope > details[open]')].map((d) => d.dataset.app));
  root.innerHTML = '';
  for (const app of data.apps) {
    const d = el('details', {}, el('summary', { text: `${app.name} (${app.class_name})` }));
    d.dataset.app = app.name;
    if (open.has(app.name)) d.open = true;
    d.append(renderValue(app.state, 0));
    root.append(d);
  }
}

function isScalar(v) { return v === null || typeof v !== 'object'; }

function renderValue(v, level) {
  if (isScalar(v)) return el('span', { text: v === null ? '—' : String(v) });
  if (Array.isArray(v)) {
    if (!v.length) return el('span', { class: 'muted', text: '(empty)' });
    // an array of flat objects reads best as a table
    if (v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const cols = [...new Set(v.flatMap((x) => Object.keys(x)))].slice(0, 8);
      const table = el('table', {}, el('tr', {}, ...cols.map((c) => el('th', { text: c }))));
      for (const row of v.slice(0, 200))
        table.append(el('tr', {}, ...cols.map((c) => el('td', {}, isScalar(row[c]) ? String(row[c] ?? '') : JSON.stringify(row[c]).slice(0, 160)))));
      return table;
    }
    const wrap = el('div', { class: 'kv' });
    v.slice(0, 200).forEach((x, i) => wrap.append(el('div', {}, el('span', { class: 'k', text: i + ': ' }), renderValue(x, level + 1))));
    return wrap;
  }
  const wrap = el('div', { class: 'kv' });
  for (const [k, x] of Object.entries(v)) {
    if (isScalar(x)) wrap.append(el('div', {}, el('span', { class: 'k', text: k + ': ' }), renderValue(x, level + 1)));
    else {
      const d = el('details', {}, el('summary', { text: k + (Array.isArray(x) ? ` [${x.length}]` : ` {${Object.keys(x).length}}`) }));
      d.append(renderValue(x, level + 1));
      wrap.append(d);
    }
  }
  return wrap;
}

// ---------------------------------------------------------------- tabs
function selectTab(name) {
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.dataset.tab === name);
  for (const p of document.querySelectorAll('.tab-page')) p.classList.toggle('active', p.id === 'tab-' + name);
  if (name === 'state') refreshState();
  if (name === 'dag') refreshDag();
}
for (const t of document.querySelectorAll('.tab')) t.addEventListener('click', () => selectTab(t.dataset.tab));

loadScenarios();
