// SPDX-License-Identifier: LGPL-2.1-or-later
// The result store and the model in the web UI of `sigma serve`: drafting a reply with the
// LLM, saving the session, and the batches with their pass rates. Loaded after sigma.js,
// whose helpers ($, el, api, toast, state) it uses; it adds its own controls to the page.
'use strict';

// ---------------------------------------------------------------- drafts and saving
function addDraftControls(health) {
  const buttons = document.querySelector('#reply-form .reply-buttons');
  const draftRow = el('div', { class: 'draft-row' },
    el('input', { id: 'draft-description', type: 'text', placeholder: 'Describe the reply for the LLM…',
                  'aria-label': 'What the drafted reply should say' }),
    el('button', { type: 'button', id: 'draft-button', title: 'Draft the reply with the LLM into the message box' },
       'Draft with the LLM'));
  $('reply-form').insertBefore(draftRow, $('reply-text'));
  if (!health.model) {
    $('draft-button').disabled = true;
    $('draft-button').title = 'No model: start sigma serve with --base-url (or --model, --replay)';
  }
  $('draft-button').addEventListener('click', draftReply);
  $('draft-description').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); draftReply(); }
  });

  const save = el('button', { type: 'button', id: 'save-button', title: 'Store this session in the result store' }, 'Save');
  buttons.append(save);
  save.addEventListener('click', saveSession);
}

async function draftReply() {
  if (!state.session) { toast('Start a session first', true); return; }
  const description = $('draft-description').value.trim();
  if (!description) { toast('Say in a few words what the reply should say', true); return; }
  const button = $('draft-button');
  button.disabled = true;
  button.textContent = 'Drafting…';
  try {
    const data = await api('POST', `/sessions/${state.session}/generate-response`, { description });
    $('reply-text').value = data.draft;      // editable: the person sends it, edits it or not
    $('reply-text').focus();
  } catch (e) { toast(e.message, true); }
  button.disabled = false;
  button.textContent = 'Draft with the LLM';
}

async function saveSession() {
  if (!state.session) { toast('Start a session first', true); return; }
  try {
    const data = await api('POST', `/sessions/${state.session}/save`);
    toast(`Saved as run ${data.run_id}` + (data.rejected_drafts ? ` (${data.rejected_drafts} rejected drafts)` : ''));
    if (!state.finished) finished();
  } catch (e) { toast(e.message, true); }
}

// ---------------------------------------------------------------- batches
function percent(x) { return typeof x === 'number' ? (100 * x).toFixed(0) + ' %' : '—'; }

function verdictBadge(status) { return el('span', { class: 'badge ' + status, text: status }); }

function addBatchesView() {
  const open = el('button', { type: 'button', id: 'batches-button', title: 'Batches in the result store' }, 'Batches');
  document.querySelector('.topbar .status').prepend(open);
  const overlay = el('div', { id: 'batches-overlay', class: 'overlay', hidden: '' },
    el('section', { class: 'panel overlay-panel' },
      el('div', { class: 'overlay-head' },
        el('h2', { text: 'Batches' }),
        el('button', { type: 'button', id: 'batches-close', 'aria-label': 'Close' }, '×')),
      el('div', { id: 'batches-list' }),
      el('div', { id: 'batch-detail' })));
  document.body.append(overlay);
  open.addEventListener('click', showBatches);
  $('batches-close').addEventListener('click', () => { overlay.hidden = true; });
}

async function showBatches() {
  $('batches-overlay').hidden = false;
  $('batch-detail').innerHTML = '';
  const list = $('batches-list');
  list.textContent = 'Loading…';
  let data;
  try { data = await api('GET', '/batches'); } catch (e) { list.textContent = e.message; return; }
  list.innerHTML = '';
  if (!data.batches.length) { list.textContent = 'No batches yet: run `sigma batch --db FILE` on this store.'; return; }
  const table = el('table', { class: 'results' },
    el('tr', {}, ...['Batch', 'Created', 'Agent', 'Runs', 'Passed', 'Failed', 'Errors', 'Pass rate']
      .map((h) => el('th', { text: h }))));
  for (const b of data.batches.slice().reverse()) {
    const row = el('tr', { class: 'clickable', title: 'Show the verdicts of batch ' + b.id },
      el('td', { text: '#' + b.id }), el('td', { text: b.created || '' }),
      el('td', { text: b.agent + (b.model ? ' (' + b.model + ')' : '') }),
      el('td', { text: String(b.runs) }), el('td', { text: String(b.passed) }),
      el('td', { text: String(b.failed) }), el('td', { text: String(b.errors) }),
      el('td', { text: b.runs ? percent(b.passed / b.runs) : '—' }));
    row.addEventListener('click', () => showBatch(b.id));
    table.append(row);
  }
  list.append(table);
}

async function showBatch(id) {
  const detail = $('batch-detail');
  detail.textContent = 'Loading…';
  let b;
  try { b = await api('GET', `/batches/${id}`); } catch (e) { detail.textContent = e.message; return; }
  const s = b.statistics;
  detail.innerHTML = '';
  detail.append(el('h2', { text: `Batch #${b.id} · ${b.agent} · ${b.status}` }),
    el('p', { class: 'muted', text: `pass@1 ${percent(s.pass_at_1)} · pass@${s.k} ${percent(s.pass_at_k)} · ` +
      `pass^${s.k} ${percent(s.pass_hat_k)} · ${s.runs} runs of ${s.scenarios} scenarios` }));
  const byScenario = {};
  for (const r of b.runs) (byScenario[r.source || r.scenario_id] ||= []).push(r);
  const table = el('table', { class: 'results' },
    el('tr', {}, ...['Scenario', 'Pass rate', 'Verdict', 'Runs'].map((h) => el('th', { text: h }))));
  for (const p of s.per_scenario) {
    const runs = el('td', {});
    for (const r of byScenario[p.source || p.scenario_id] || []) {
      const badge = verdictBadge(r.status);
      badge.title = `run ${r.id} #${r.run_index}: ${r.rationale || r.end_reason || ''}`;
      runs.append(badge, ' ');
    }
    table.append(el('tr', {}, el('td', { text: p.scenario_id }), el('td', { text: percent(p.pass_rate) }),
      el('td', {}, verdictBadge(p.verdict)), runs));
  }
  detail.append(table);
}

// ---------------------------------------------------------------- wiring
(async function initStoreAndModel() {
  let health = {};
  try { health = await api('GET', '/health'); } catch (e) { /* sigma.js reports connection errors */ }
  addDraftControls(health);
  addBatchesView();
  if (health.model) {
    const sel = $('agent-select');
    sel.append(el('option', { value: 'llm', text: 'LLM agent (' + health.model + ')' }));
  }
})();
