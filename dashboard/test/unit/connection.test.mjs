import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionSettings, parseTopic, subscriptions } from '../../src/connection.js';

const at = (href) => { const u = new URL(href); return { protocol: u.protocol, host: u.host, search: u.search }; };

test('the broker is the one that served the page, ws:// or wss:// after its scheme', () => {
  assert.equal(connectionSettings(at('http://ward.clinic:9001/')).brokerUrl, 'ws://ward.clinic:9001/mqtt');
  assert.equal(connectionSettings(at('https://ward.clinic/')).brokerUrl, 'wss://ward.clinic/mqtt');
});

test('the query string overrides the broker and the topic root, and refuses what a browser cannot use', () => {
  assert.equal(connectionSettings(at('http://x/?broker=wss://b.clinic:8884')).brokerUrl, 'wss://b.clinic:8884/mqtt');
  assert.equal(connectionSettings(at('http://x/?broker=ws://b:9001/ws')).brokerUrl, 'ws://b:9001/ws');
  assert.equal(connectionSettings(at('http://x/?root=site-a/edgeemo/v1/')).root, 'site-a/edgeemo/v1');
  assert.throws(() => connectionSettings(at('http://x/?broker=mqtt://b:1883')), /ws:\/\/ or wss:\/\//);
  assert.throws(() => connectionSettings(at('http://x/?broker=wss://u:p@b')), /user name or password/);
  assert.throws(() => connectionSettings(at('http://x/?root=edgeemo/%23')), /without \+ or #/);
  assert.throws(() => connectionSettings({ protocol: 'file:', host: '', search: '' }), /ws:\/\/host:port/);
});

test('a dashboard reads the four device topics and nothing else', () => {
  assert.deepEqual(subscriptions('edgeemo/v1'), ['edgeemo/v1/+/status', 'edgeemo/v1/+/scores', 'edgeemo/v1/+/health', 'edgeemo/v1/+/ota/status']);
  assert.deepEqual(parseTopic('edgeemo/v1', 'edgeemo/v1/bed-12/ota/status'), { deviceId: 'bed-12', kind: 'ota/status' });
  assert.equal(parseTopic('edgeemo/v1', 'edgeemo/v1/bed-12/ota/request'), null);
  assert.equal(parseTopic('edgeemo/v1', 'other/bed-12/scores'), null);
});
