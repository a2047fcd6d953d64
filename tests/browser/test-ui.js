// SPDX-License-Identifier: LGPL-2.1-or-later
// Sigma's web UI in headless Chromium through playwright-core: starts `sigma serve --port 0`,
// plays built-in scenarios as the human agent through the page (picker, chat, tool forms,
// timeline, DAG, app state, verdict) and asserts on the DOM. Every console error or uncaught
// exception fails. Prints TAP; screenshots go to $SIGMA_BROWSER_OUT/screenshots.
//
// Environment: SIGMA_CLI, SIGMA_CHROMIUM, SIGMA_BROWSER_OUT, PLAYWRIGHT_CORE_DIR (set by
// run-browser-tests.sh).
'use strict';

const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const SCENARIO = 'tutorial_contact_email';
const LEA = 'lea.fontaine@atelier-fontaine.fr';

const env = (name) => {
  const v = process.env[name];
  if (!v) { console.log(`Bail out! ${name} is not set: run tests/browser/run-browser-tests.sh`); process.exit(1); }
  return v;
};

let chromium;
try {
  ({ chromium } = require(env('PLAYWRIGHT_CORE_DIR')));
} catch (e) {
  console.log(`Bail out! playwright-core cannot be loaded: ${e.message}`);
  process.exit(1);
}

const shots = path.join(env('SIGMA_BROWSER_OUT'), 'screenshots');
fs.rmSync(shots, { recursive: true, force: true });
fs.mkdirSync(shots, { recursive: true });

// ---------------------------------------------------------------- the server
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(env('SIGMA_CLI'), ['serve', '--host', '127.0.0.1', '--port', '0', '--idle-timeout', '120'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => { child.kill(); reject(new Error('sigma serve printed no URL within 10 s')); }, 10000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sigma serve exited with ${code} before printing its URL`)); });
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ child, url: line.trim().replace(/\/$/, '') });
    });
  });
}

// ---------------------------------------------------------------- TAP
const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// ---------------------------------------------------------------- helpers on the page
const consoleErrors = [];

async function startScenario(page, url, scenario) {
  await page.goto(url + '/');
  await page.waitForSelector(`#scenario-select option[value="${scenario}"]`, { state: 'attached' });
  await page.selectOption('#scenario-select', scenario);
  await page.selectOption('#agent-select', 'human');
  await page.click('#start-button');
  // the user's first message arrives in the chat
  await page.waitForSelector('#chat .msg.user');
  const label = await page.textContent('#session-label');
  const m = label.match(/session (\S+)/);
  assert.ok(m, `the header names the session: "${label}"`);
  return m[1];
}

async function callTool(page, name, fill) {
  await page.fill('#tool-filter', name.split('__')[1]);
  await page.waitForSelector(`#tool-select option[value="${name}"]`, { state: 'attached' });
  await page.selectOption('#tool-select', name);
  await page.waitForSelector(`#tool-form[data-tool="${name}"] #call-tool`);
  for (const [field, value] of Object.entries(fill))
    await page.fill(`#tool-form [name="${field}"]`, value);
  const before = await page.locator('#chat .msg.tool').count();
  await page.click('#call-tool');
  await page.locator('#chat .msg.tool').nth(before).waitFor();
  return page.locator('#chat .msg.tool').nth(before);
}

async function reply(page, text) {
  await page.fill('#reply-text', text);
  await page.click('#reply-button');
  await page.waitForSelector('#verdict-status');
}

async function apiResult(url, sid) {
  const res = await fetch(`${url}/sessions/${sid}/result`);
  assert.equal(res.status, 200, 'GET /result answers 200');
  return res.json();
}

async function apiEvents(url, sid) {
  const res = await fetch(`${url}/sessions/${sid}/events`);
  assert.equal(res.status, 200, 'GET /events answers 200');
  return (await res.json()).events;
}

// ---------------------------------------------------------------- the tests
test('the page lists the built-in scenarios and starts empty', async ({ page, url }) => {
  await page.goto(url + '/');
  await page.waitForSelector(`#scenario-select option[value="${SCENARIO}"]`, { state: 'attached' });
  const ids = await page.$$eval('#scenario-select option', (os) => os.map((o) => o.value));
  for (const id of [SCENARIO, 'tutorial_event_flow', 'tutorial_milestones'])
    assert.ok(ids.includes(id), `${id} is in the picker: ${ids.join(', ')}`);
  assert.equal(await page.textContent('#session-label'), 'no session');
  assert.equal(await page.locator('#chat .msg').count(), 0, 'the chat is empty before Start');
  await page.screenshot({ path: path.join(shots, '01-picker.png') });
});

test(`${SCENARIO}: search the contact, send the email, tell the user → passed`, async ({ page, url }) => {
  const sid = await startScenario(page, url, SCENARIO);

  const first = await page.textContent('#chat .msg.user .body');
  assert.match(first, /Léa Fontaine/, 'the user asks about Léa Fontaine');
  assert.match(first, /15 minutes late/);
  assert.doesNotMatch(first, /Received at:|Already read:/, 'the chat shows the words, not the notification header');
  assert.match(await page.textContent('#hints'), /Look the person up in Contacts/, 'the hints are shown');

  // the search form: one required string field
  const found = await callTool(page, 'Contacts__search_contacts', { query: 'Fontaine' });
  assert.match(await found.textContent(), new RegExp(LEA.replace(/\./g, '\\.')), 'the search finds Léa\'s address');
  assert.ok(!(await found.getAttribute('class')).includes('error'), 'the search is not an error');

  // the email form: an array (as JSON), a subject and the content
  await page.fill('#tool-filter', 'send_email');
  await page.selectOption('#tool-select', 'Emails__send_email');
  for (const field of ['recipients', 'subject', 'content', 'cc'])
    assert.equal(await page.locator(`#tool-form [name="${field}"]`).count(), 1, `the send_email form has ${field}`);
  assert.equal(await page.getAttribute('#tool-form [name="recipients"]', 'data-type'), 'array');
  const sent = await callTool(page, 'Emails__send_email', {
    recipients: JSON.stringify([LEA]),
    subject: 'Running late',
    content: 'Hi Léa, Nadia is running 15 minutes late for your 10:30 coffee at Café Lisboa.',
  });
  assert.match(await sent.textContent(), /"[0-9a-f]{8,}"/, 'send_email answers the new email\'s id');

  // the live timeline got the user's task and both calls over the WebSocket
  await page.click('.tab[data-tab="timeline"]');
  await page.waitForSelector('#timeline li:has-text("Emails.send_email")');
  const rows = await page.$$eval('#timeline li', (lis) => lis.map((li) => li.textContent));
  assert.ok(rows.some((r) => /user/.test(r) && /send_message_to_agent/.test(r)), `the user's task is on the timeline: ${rows.join(' | ')}`);
  assert.ok(rows.some((r) => /agent/.test(r) && /Contacts\.search_contacts/.test(r)), 'the search is on the timeline');
  await page.screenshot({ path: path.join(shots, '02-timeline.png') });

  // the DAG: one node per scheduled event, coloured by status, one edge per dependency
  await page.click('.tab[data-tab="dag"]');
  await page.waitForSelector('#dag-svg g.node.done');
  const events = await apiEvents(url, sid);
  const nodes = await page.$$eval('#dag-svg g.node', (gs) => gs.map((g) => ({ id: g.dataset.id, cls: g.getAttribute('class') })));
  assert.equal(nodes.length, events.length, 'one DAG node per event');
  for (const e of events) {
    const n = nodes.find((x) => x.id === e.event_id);
    assert.ok(n, `${e.event_id} is drawn`);
    assert.ok(n.cls.split(' ').includes(e.failed ? 'failed' : e.status), `${e.event_id} is drawn as ${e.status}: ${n.cls}`);
  }
  const edges = events.reduce((k, e) => k + e.depends_on.length, 0);
  assert.equal(await page.locator('#dag-svg path.edge').count(), edges, 'one edge per dependency');
  await page.screenshot({ path: path.join(shots, '03-dag.png') });

  // the app state: the email is in Emails' SENT folder
  await page.click('.tab[data-tab="state"]');
  await page.waitForSelector('#state details[data-app="Emails"]');
  const emails = page.locator('#state details[data-app="Emails"]');
  await emails.locator('> summary').click();
  await emails.locator('summary', { hasText: /^folders/ }).click();
  const sentSummary = emails.locator('summary', { hasText: /^SENT/ });
  await sentSummary.click();
  const sentFolder = sentSummary.locator('..');
  await sentFolder.locator('summary', { hasText: /^emails/ }).click();
  const sentRow = sentFolder.locator('td', { hasText: 'Running late' });
  assert.ok(await sentRow.isVisible(), 'the sent email is visible in Emails › folders › SENT');
  await page.screenshot({ path: path.join(shots, '04-state.png') });

  // tell the user: the run ends and the verdict tab opens
  await reply(page, 'Done: I emailed Léa Fontaine that you are 15 minutes late.');
  assert.equal(await page.textContent('#verdict-status'), '✔ Passed');
  assert.ok(await page.isVisible('#tab-verdict'), 'the verdict tab is shown');
  const result = await apiResult(url, sid);
  assert.equal(result.status, 'passed');
  assert.equal(await page.textContent('#verdict-rationale'), result.rationale, 'the page shows the judge\'s rationale');
  assert.match(result.rationale, /Léa Fontaine/);
  assert.ok(await page.isDisabled('#reply-button'), 'the reply button is off once the run ended');
  assert.ok(await page.isDisabled('#call-tool'), 'the tool button is off once the run ended');
  // the chat now overflows: it scrolls, it does not squeeze its bubbles (a short result is whole)
  const clipped = await sent.evaluate((m) => m.scrollHeight - m.clientHeight);
  assert.ok(clipped <= 1, `the send_email result bubble is not clipped (${clipped}px hidden)`);
  await page.screenshot({ path: path.join(shots, '05-verdict-passed.png') });
});

test(`${SCENARIO}: reply without doing the task → failed`, async ({ page, url }) => {
  const sid = await startScenario(page, url, SCENARIO);
  await reply(page, 'Sure, consider it done!');
  assert.equal(await page.textContent('#verdict-status'), '✘ Failed');
  const result = await apiResult(url, sid);
  assert.equal(result.status, 'failed');
  const rationale = await page.textContent('#verdict-rationale');
  assert.equal(rationale, result.rationale, 'the page shows the judge\'s rationale');
  assert.ok(rationale.length > 10, `the rationale says why: "${rationale}"`);
  await page.click('.tab[data-tab="dag"]');
  await page.waitForSelector('#dag-svg g.node');
  await page.screenshot({ path: path.join(shots, '06-verdict-failed-dag.png') });
  await page.click('.tab[data-tab="verdict"]');
  await page.screenshot({ path: path.join(shots, '07-verdict-failed.png') });
});

test('no console error or uncaught exception on the page', async () => {
  assert.deepEqual(consoleErrors, []);
});

// ---------------------------------------------------------------- main
(async () => {
  let server, browser, failures = 0;
  console.log(`1..${tests.length}`);
  try {
    server = await startServer();
    browser = await chromium.launch({
      executablePath: env('SIGMA_CHROMIUM'),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--disable-sync'],
      timeout: 30000,
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(10000);
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`console: ${m.text()} (${m.location().url})`); });
    page.on('pageerror', (e) => consoleErrors.push(`exception: ${e.message}`));
    for (const [i, t] of tests.entries()) {
      try {
        await t.fn({ page, url: server.url });
        console.log(`ok ${i + 1} - ${t.name}`);
      } catch (e) {
        failures++;
        console.log(`not ok ${i + 1} - ${t.name}`);
        for (const line of String(e.stack || e).split('\n')) console.log('# ' + line);
        await page.screenshot({ path: path.join(shots, `failure-${i + 1}.png`) }).catch(() => {});
      }
    }
  } catch (e) {
    console.log(`Bail out! ${e.message}`);
    failures++;
  } finally {
    if (browser) await browser.close();
    if (server) server.child.kill();
  }
  console.log(`# screenshots in ${shots}`);
  process.exitCode = failures ? 1 : 0;
})();
