// The dashboard in a real browser: Debian's chromium, headless, driven by puppeteer-core. Run by
// tests/EdgeAgent.Tests/Dashboard/DashboardBrowserTests.cs against a real mosquitto and a real
// `edgeemo demo`; usable by hand with the same arguments. Exit 0 when every check passed, else 1
// with "FAIL: ..." (2 for a bad command line or a missing browser).
//
//   node test/browser.mjs --page http://127.0.0.1:WS/ --mqtt mqtt://127.0.0.1:PORT --device demo \
//     --agent-pid PID --out DIR [--beds 50] [--chromium /usr/bin/chromium]
//
// Checks, in order: the demo bed's tile shows scores; the scripted dropout shows held or
// substituted within 3 s of the WebSocket frame that said so (both timed on the page's clock);
// 50 simulated beds render; killing the agent (SIGKILL) turns its tile offline (the last will).
// Screenshots go to DIR. Waits have long limits that only guard against a hang.

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import puppeteer from 'puppeteer-core';
import { bedMessages, wardBedIds } from './ward-messages.mjs';

export const DROPOUT_LIMIT_MS = 3000;
const HANG_GUARD_MS = Number(process.env.EDGEEMO_HANG_GUARD_MS ?? 180_000);

const { values: args } = parseArgs({
  options: {
    page: { type: 'string' },
    mqtt: { type: 'string' },
    device: { type: 'string', default: 'demo' },
    'agent-pid': { type: 'string' },
    out: { type: 'string' },
    beds: { type: 'string', default: '50' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    root: { type: 'string', default: 'edgeemo/v1' },
  },
});
for (const required of ['page', 'mqtt', 'agent-pid', 'out']) {
  if (!args[required]) usage(`--${required} is required`);
}
if (!existsSync(args.chromium)) {
  console.error(`FAIL: no browser at ${args.chromium}: install Debian's chromium ('bash scripts/setup.sh' does)`);
  process.exit(2);
}
mkdirSync(args.out, { recursive: true });
rmSync(join(args.out, 'dashboard-failure.png'), { force: true });

const device = args.device;
const tileSel = `[data-bed="${device}"]`;
const results = {};
let browser;
let page;
try {
  browser = await puppeteer.launch({
    executablePath: args.chromium,
    headless: true,
    timeout: HANG_GUARD_MS, // a loaded CI machine can take long to start a browser
    protocolTimeout: HANG_GUARD_MS,
    // Root in a container has no user namespaces for chromium's sandbox.
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1600,1000'],
    defaultViewport: { width: 1600, height: 1000 },
  });
  page = await browser.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.evaluateOnNewDocument(recorder, device, args.root);

  // 1. The demo bed's tile with scores.
  await page.goto(args.page, { waitUntil: 'load' });
  await waitFor('the demo bed\'s tile with scores', (sel) => {
    const values = document.querySelectorAll(`${sel} .score__value`);
    return values.length > 0 && [...values].every((v) => v.textContent.trim() !== '' && !v.closest('[hidden]'));
  }, tileSel);
  results.tile = await page.$eval(tileSel, (t) => t.innerText);
  await waitFor('the demo bed\'s trend', (sel) => document.querySelector(`${sel} .tile__trend canvas`) !== null, tileSel);
  await shot(page, 'dashboard-demo-live.png', tileSel);

  // 2. The scripted dropout (visual missing from 8 s): held or substituted on the tile within
  //    DROPOUT_LIMIT_MS of the WebSocket frame that first said so.
  await waitFor('a dropout (held or substituted) on the demo bed\'s tile', () => window.__dropout.shown !== null);
  const dropout = await page.evaluate(() => window.__dropout);
  if (dropout.said === null) throw new Error(`the tile shows ${dropout.shownState} for ${dropout.modality} but no message said so`);
  results.dropout = { modality: dropout.modality, state: dropout.shownState, latencyMs: Math.round(dropout.shown - dropout.said) };
  console.log(`dropout: ${dropout.modality} ${dropout.shownState} shown ${results.dropout.latencyMs} ms after the message`);
  if (dropout.shown - dropout.said > DROPOUT_LIMIT_MS) {
    throw new Error(`the dropout took ${results.dropout.latencyMs} ms from message to tile (limit ${DROPOUT_LIMIT_MS} ms)`);
  }
  await shot(page, 'dashboard-demo-dropout.png', tileSel);

  // 3. A ward of simulated beds beside the demo bed, on a screen tall enough to see them all.
  await page.setViewport({ width: 1600, height: 6000 });
  const ids = wardBedIds(Number(args.beds));
  const published = await publishWard(args.mqtt, args.root, ids);
  writeFileSync(join(args.out, 'ward-messages.jsonl'), published.map((m) => JSON.stringify(m)).join('\n') + '\n');
  await waitFor(`${ids.length} simulated beds with scores`, (wanted) => wanted.every((id) => {
    const tile = document.querySelector(`[data-bed="${id}"]`);
    return tile && tile.getAttribute('data-connection') !== 'none' && tile.querySelector('.score__value')?.textContent.trim();
  }), ids);
  results.tiles = await page.$$eval('[data-bed]', (tiles) => tiles.length);
  results.summary = await page.$eval('#summary', (s) => s.textContent);
  const uncertain = await page.$$eval('.score--uncertain .score__value', (v) => v.map((x) => x.textContent));
  if (uncertain.length === 0 || !uncertain.every((t) => /^level \d \(\d+ %\)$/.test(t))) {
    throw new Error(`near-uniform pain levels are not shown with their probability as uncertain: ${JSON.stringify(uncertain)}`);
  }
  const imagined = await page.$$eval('[data-modality][data-state="imagined"] .badge', (b) => b.map((x) => x.textContent));
  if (imagined.length === 0) throw new Error('no modality shows IMAGINED');
  await waitFor('a trend on every tile', (n) => document.querySelectorAll('[data-bed] .tile__trend canvas').length >= n, ids.length + 1);
  console.log(`ward: ${results.tiles} tiles; ${results.summary}`);
  await page.screenshot({ path: join(args.out, 'dashboard-ward-50.png'), fullPage: true });

  // What one screen shows of the ward, normal and compact.
  await page.setViewport({ width: 1600, height: 1000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(args.out, 'dashboard-ward-50-screen.png') });
  await page.click('#compact');
  await page.screenshot({ path: join(args.out, 'dashboard-ward-50-compact.png') });
  await page.click('#compact');

  // 4. The agent dies without a goodbye: the broker's last will turns the tile offline.
  process.kill(Number(args['agent-pid']), 'SIGKILL');
  await waitFor('the demo bed offline after the kill', (sel) => document.querySelector(`${sel}[data-connection="offline"]`) !== null, tileSel);
  results.offline = await page.$eval(tileSel, (t) => t.querySelector('.tile__since').textContent);
  if (!results.offline.includes('connection lost')) throw new Error(`the offline tile does not say why: '${results.offline}'`);
  await shot(page, 'dashboard-demo-offline.png', tileSel);

  if (pageErrors.length) throw new Error(`the page threw: ${pageErrors.join(' | ')}`);
  writeFileSync(join(args.out, 'dashboard-browser-results.json'), JSON.stringify(results, null, 2));
  console.log('PASS: tile with scores, dropout shown, ward rendered, offline after kill');
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  if (page) {
    await page.screenshot({ path: join(args.out, 'dashboard-failure.png'), fullPage: true }).catch(() => {});
  }
  process.exitCode = 1;
} finally {
  await browser?.close();
}

/** Waits for a condition in the page; a hang says which condition. */
async function waitFor(what, fn, ...fnArgs) {
  try {
    await page.waitForFunction(fn, { timeout: HANG_GUARD_MS, polling: 100 }, ...fnArgs);
  } catch (e) {
    throw new Error(`waited ${HANG_GUARD_MS / 1000} s for ${what} in vain (${e.message})`);
  }
}

/** Screenshot of the whole page and of one tile. */
async function shot(page, name, selector) {
  await page.screenshot({ path: join(args.out, name) });
  const tile = await page.$(selector);
  await tile?.screenshot({ path: join(args.out, name.replace('.png', '-tile.png')) });
}

/** Publishes the simulated ward over plain MQTT; returns what it sent, for the schema check. */
async function publishWard(url, root, ids) {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, clientId: `edgeemo-test-ward-${process.pid}` });
  const sent = [];
  const now = Date.now();
  for (const [i, id] of ids.entries()) {
    for (const m of bedMessages(id, i, now)) {
      await client.publishAsync(`${root}/${id}/${m.kind}`, JSON.stringify(m.payload), { qos: 1, retain: m.retain });
      sent.push(m);
    }
  }
  await client.endAsync();
  return sent;
}

/**
 * Runs in the page before its scripts: notes, on the page's clock, the first WebSocket frame
 * that says a modality of the device is held or substituted, and the first moment a tile shows
 * it. Independent of the dashboard's code: it reads the raw frames and the DOM.
 */
function recorder(deviceId, root) {
  const said = new RegExp(`"(\\w+)":\\{"state":"(held|substituted)"`);
  const topic = `${root}/${deviceId}/`;
  window.__dropout = { said: null, shown: null, modality: null, shownState: null };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      const decoder = new TextDecoder();
      this.addEventListener('message', (e) => {
        if (window.__dropout.said !== null) return;
        const now = performance.now();
        if (typeof e.data !== 'string' && !(e.data instanceof ArrayBuffer)) return;
        const text = typeof e.data === 'string' ? e.data : decoder.decode(e.data);
        const m = text.includes(topic) ? said.exec(text) : null;
        if (m) {
          window.__dropout.said = now;
          window.__dropout.saidModality = m[1];
        }
      });
    }
  };
  new MutationObserver(() => {
    if (window.__dropout.shown !== null) return;
    const row = document.querySelector(`[data-bed="${deviceId}"] [data-modality][data-state="held"], [data-bed="${deviceId}"] [data-modality][data-state="substituted"]`);
    if (row) {
      window.__dropout.shown = performance.now();
      window.__dropout.modality = row.getAttribute('data-modality');
      window.__dropout.shownState = row.getAttribute('data-state');
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
}

function usage(message) {
  console.error(`error: ${message}\nusage: node test/browser.mjs --page URL --mqtt mqtt://HOST:PORT --device ID --agent-pid PID --out DIR [--beds 50] [--chromium PATH]`);
  process.exit(2);
}
