import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bed } from '../../src/bed.js';
import { Trend } from '../../src/trend.js';

const scores = (seq, producedAt, extra = {}) => JSON.stringify({ seq, producedAt, status: 'ok', scores: { valence: 0.1, arousal: -0.2 }, modalities: { visual: { state: 'ok', source: 'device' } }, ...extra });
const meta = { retained: false, receivedAt: 0 };

test('a repeat (seq already kept, same time) is dropped; a wiped queue starting again is kept', () => {
  const bed = new Bed('bed-1');
  assert.equal(bed.apply('scores', scores(5, '2026-12-07T08:00:01.000Z'), meta), true);
  assert.equal(bed.apply('scores', scores(5, '2026-12-07T08:00:01.000Z'), meta), false);
  assert.equal(bed.apply('scores', scores(4, '2026-12-07T08:00:00.500Z'), meta), false);
  assert.equal(bed.duplicates, 2);
  assert.equal(bed.apply('scores', scores(1, '2026-12-07T09:00:00.000Z'), meta), true);
  assert.equal(bed.scores.seq, 1);
});

test('the newest of status and scores says how a modality is', () => {
  const bed = new Bed('bed-1');
  bed.apply('scores', scores(1, '2026-12-07T08:00:01.000Z'), meta);
  bed.apply('status', JSON.stringify({ state: 'degraded', modalities: { visual: { state: 'held', source: 'device', reason: 'stalled' } } }), meta);
  assert.equal(bed.modalities.get('visual').state, 'held');
  bed.apply('scores', scores(2, '2026-12-07T08:00:02.000Z'), meta);
  assert.equal(bed.modalities.get('visual').state, 'ok');
});

test('an unreadable payload is counted, not thrown', () => {
  const bed = new Bed('bed-1');
  assert.equal(bed.apply('scores', '{nope', meta), true);
  assert.equal(bed.apply('status', '[1]', meta), true);
  assert.equal(bed.unreadable, 2);
  assert.equal(bed.scores, null);
});

test('the trend keeps 10 minutes at most and a bounded number of points', () => {
  const trend = new Trend(10 * 60_000, 100);
  for (let i = 0; i < 1000; i++) trend.push(i * 1000, { valence: i / 1000 });
  assert.equal(trend.length, 100);
  assert.equal(trend.times[0], 900_000);

  const windowed = new Trend(10 * 60_000, 10_000);
  for (let i = 0; i < 1000; i++) windowed.push(i * 1000, { valence: 0 });
  assert.equal(windowed.times[0], 999_000 - 600_000);

  const gaps = new Trend();
  gaps.push(0, { valence: 0.5 });
  gaps.push(500, {});
  gaps.push(1000, { valence: 0.2, arousal: 0.1 });
  assert.deepEqual(gaps.data(['valence', 'arousal']), [[0, 0.5, 1], [0.5, null, 0.2], [null, null, 0.1]]);
});
