// The dashboard against a broker that wants a password (Debian's chromium, headless): the page
// says the broker refused it and opens the form; with the user and password it goes live and
// shows the bed. Run by tests/EdgeAgent.Tests/Dashboard/DashboardBrowserTests.cs.
//
//   node test/login.mjs --page http://127.0.0.1:WS/ --mqtt mqtt://127.0.0.1:PORT --user U --password P --out DIR

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import puppeteer from 'puppeteer-core';

const HANG_GUARD_MS = 120_000;
const { values: args } = parseArgs({
  options: { page: { type: 'string' }, mqtt: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' }, out: { type: 'string' }, chromium: { type: 'string', default: '/usr/bin/chromium' } },
});
mkdirSync(args.out, { recursive: true });

// A bed's retained status, published with the same credentials.
const device = await mqtt.connectAsync(args.mqtt, { protocolVersion: 5, username: args.user, password: args.password });
const status = { state: 'online', deviceId: 'bed-login', model: null, modalities: {}, agentVersion: '1.0.0', since: new Date().toISOString() };
await device.publishAsync('edgeemo/v1/bed-login/status', JSON.stringify(status), { qos: 1, retain: true });
await device.endAsync();

const browser = await puppeteer.launch({ executablePath: args.chromium, headless: true, timeout: HANG_GUARD_MS, protocolTimeout: HANG_GUARD_MS, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  await page.goto(args.page, { waitUntil: 'load' });
  await page.waitForFunction(() => !document.getElementById('login').hidden && /not authorized/.test(document.getElementById('connection').textContent), { timeout: HANG_GUARD_MS });
  await page.screenshot({ path: join(args.out, 'dashboard-login.png') });
  if (await page.$('[data-bed="bed-login"]')) throw new Error('the bed showed before the page logged in');

  await page.type('#username', args.user);
  await page.type('#password', args.password);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('[data-bed="bed-login"][data-connection="online"]', { timeout: HANG_GUARD_MS });
  if (page.url().includes(args.password)) throw new Error('the password went into the address');
  console.log('PASS: refused without a password, live with it');
} catch (e) {
  console.error(`FAIL: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
