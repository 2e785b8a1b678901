// The ward dashboard: connects to the broker over MQTT 5 on WebSockets, subscribes to every
// device's status, scores, health and OTA status, and keeps one tile per bed.

import mqtt from 'mqtt/dist/mqtt.esm';
import { connectionSettings, parseTopic, subscriptions } from './connection.js';
import { Ward, emptyHint } from './ward.js';

const $ = (id) => document.getElementById(id);

/** MQTT 5 CONNACK / 3.1.1 return codes that mean "who are you": ask for a user name and password. */
const NOT_AUTHORIZED = new Set([4, 5, 134, 135]);

function start() {
  const banner = $('connection');
  let settings;
  try {
    settings = connectionSettings(window.location);
  } catch (e) {
    showState(banner, 'bad', `Cannot connect: ${e.message}`);
    return;
  }

  const grid = $('ward');
  const hint = emptyHint();
  grid.before(hint);
  const ward = new Ward(grid, $('summary'), settings.compact);
  const compact = $('compact');
  compact.checked = settings.compact;
  compact.addEventListener('change', () => ward.setCompact(compact.checked));

  const form = $('login');
  $('broker').value = settings.brokerUrl;
  let client = null;
  const decoder = new TextDecoder();

  const connect = (username, password) => {
    client?.end(true);
    const url = $('broker').value.trim() || settings.brokerUrl;
    showState(banner, 'info', `Connecting to ${url} …`);
    client = mqtt.connect(url, {
      protocolVersion: 5,
      clean: true,
      clientId: `edgeemo-dashboard-${Math.random().toString(16).slice(2, 10)}`,
      keepalive: 30,
      reconnectPeriod: 2000,
      connectTimeout: 10_000,
      username: username || undefined,
      password: password || undefined,
    });
    const topics = subscriptions(settings.root);
    client.on('connect', () => {
      client.subscribe(topics, { qos: 1 }, (err) => {
        if (err) {
          showState(banner, 'bad', `Connected to ${url}, but the broker refused the subscription (${err.message}): this user may not read ${settings.root}/#`);
          return;
        }
        showState(banner, 'ok', `Live: ${url} · ${settings.root}/+/{status,scores,health,ota/status}`);
        ward.setLive(true);
      });
    });
    client.on('message', (topic, payload, packet) => {
      const parsed = parseTopic(settings.root, topic);
      if (parsed) {
        hint.hidden = true;
        ward.receive(parsed.deviceId, parsed.kind, decoder.decode(payload), packet.retain === true);
      }
    });
    client.on('error', (err) => {
      if (NOT_AUTHORIZED.has(err.code)) {
        client.end(true);
        form.hidden = false;
        showState(banner, 'bad', `The broker at ${url} refused this dashboard (not authorized): enter a user name and password`);
        return;
      }
      showState(banner, 'bad', `Broker error: ${err.message}`);
    });
    client.on('offline', () => {
      ward.setLive(false);
      showState(banner, 'bad', `NOT CONNECTED to ${url}: retrying. Tiles show what was known at ${new Date().toLocaleTimeString()}`);
    });
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    connect($('username').value, $('password').value);
  });
  $('show-login').addEventListener('click', () => { form.hidden = !form.hidden; });
  connect();
}

function showState(node, tone, text) {
  node.textContent = text;
  node.dataset.tone = tone;
}

start();
