import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionView, formatAge, healthView, modalityView, otaView, scoreView, sourceTag, testBedBanner } from '../../src/present.js';

test('a pain level always carries its probability, and a near-uniform one is marked uncertain', () => {
  const flat = scoreView('pain_level', { level: 4, expected: 2.03, probabilities: [0.195, 0.212, 0.176, 0.2, 0.216] });
  assert.equal(flat.value, 'level 4 (22 %)');
  assert.equal(flat.uncertain, true);
  assert.match(flat.detail, /UNCERTAIN/);

  const clear = scoreView('pain_level', { level: 2, expected: 1.9, probabilities: [0.05, 0.1, 0.7, 0.1, 0.05] });
  assert.equal(clear.value, 'level 2 (70 %)');
  assert.equal(clear.uncertain, false);

  const noProbabilities = scoreView('pain_level', { level: 3, expected: 3 });
  assert.equal(noProbabilities.uncertain, true);
  assert.doesNotMatch(noProbabilities.value, /^level 3$/);
});

test('an expression shows the top expression by name with its probability', () => {
  const happy = scoreView('expression', { level: 1, label: 'happy', probability: 0.888, probabilities: [0.112, 0.888, 0, 0, 0, 0, 0] });
  assert.equal(happy.label, 'Expression');
  assert.equal(happy.value, 'happy (89 %)');
  assert.equal(happy.uncertain, false);

  const unsure = scoreView('expression', { level: 0, label: 'neutral', probability: 0.4, probabilities: [0.4, 0.3, 0.3, 0, 0, 0, 0] });
  assert.equal(unsure.value, 'neutral (40 %)');
  assert.equal(unsure.uncertain, true);
});

test('scores read as people read them', () => {
  assert.equal(scoreView('valence', -0.138).value, '−0.14');
  assert.equal(scoreView('arousal', 0.0646).value, '+0.06');
  assert.equal(scoreView('pain_probability', 0.476).value, '48 %');
  assert.equal(scoreView('something_new', [1, 2]).value, '?');
});

test('every modality state has a word; unknown states are shown as sent', () => {
  assert.deepEqual(modalityView({ state: 'held', reason: 'stalled', heldFor: 0.64, source: 'synthetic' }), { label: 'HELD', tone: 'warn', detail: 'for 0.6 s · stalled', source: 'SIMULATED' });
  assert.equal(modalityView({ state: 'substituted', reason: 'silent', source: 'device' }).label, 'SUBSTITUTED');
  assert.equal(modalityView({ state: 'imagined', reason: 'no source', source: 'device' }).label, 'IMAGINED');
  const future = modalityView({ state: 'dreamt', source: 'device' });
  assert.equal(future.label, 'DREAMT');
  assert.equal(future.tone, 'unknown');
  assert.match(future.detail, /unknown to this dashboard/);
});

test('simulated and replayed sources are named, a sensor is not', () => {
  assert.equal(sourceTag('device'), null);
  assert.equal(sourceTag('synthetic'), 'SIMULATED');
  assert.equal(sourceTag('file'), 'REPLAY');
  assert.equal(testBedBanner(new Map([['visual', { source: 'device' }], ['audio', { source: 'synthetic' }]])), 'SIMULATED: not a patient');
  assert.equal(testBedBanner(new Map([['visual', { source: 'device' }]])), null);
});

test('offline says why and since when; a retained last will says it came before the page', () => {
  const now = Date.parse('2026-12-07T08:00:00.000Z');
  assert.deepEqual(connectionView({ state: 'offline', reason: 'stopped', since: '2026-12-07T07:58:00.000Z' }, now), { label: 'OFFLINE', tone: 'bad', detail: 'stopped, 2 min ago' });
  assert.equal(connectionView({ state: 'offline', reason: 'connection lost', receivedAt: now - 5000, retained: false }, now).detail, 'connection lost, 5 s ago');
  assert.equal(connectionView({ state: 'offline', reason: 'connection lost', receivedAt: now, retained: true }, now).detail, 'connection lost, before this page opened');
  assert.equal(connectionView({ state: 'online', since: '2026-12-07T06:55:00.000Z' }, now).detail, 'for 1 h 5 min');
  assert.equal(connectionView(null, now).label, 'NO STATUS');
});

test('health and OTA figures', () => {
  const rows = Object.fromEntries(healthView({ stageLatencyMs: { total: 80.45 }, queue: { depth: 2, dropped: 1, writable: false }, droppedSamples: { visual: 0, audio: 3 }, mqtt: { reconnects: 1, published: 9 }, temperaturesC: { a: 41.5, b: 48.1 } }));
  assert.equal(rows.Latency, '80 ms per output');
  assert.equal(rows.Queue, '2 waiting · 1 dropped · DISK NOT WRITABLE');
  assert.equal(rows['Samples dropped'], 'audio 3');
  assert.equal(rows['Hottest zone'], '48.1 °C');
  assert.deepEqual(otaView({ version: '1.0.1', state: 'rolled-back', progress: null, reason: 'health gate' }), { tone: 'bad', text: '1.0.1 ROLLED-BACK: health gate' });
  assert.equal(formatAge(90_061_000), '1 d 1 h');
});
