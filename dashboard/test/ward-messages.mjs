// Messages of a simulated ward, shaped as docs/mqtt.md and its schemas say (the browser test
// checks them against the schemas): a mix of affect and pain beds, online, degraded (held,
// substituted, imagined) and offline, a near-uniform pain level, device and synthetic sources.

const iso = (ms) => new Date(ms).toISOString();

/** Bed ids ward-01 ... ward-NN. */
export function wardBedIds(count) {
  const width = String(count).length < 2 ? 2 : String(count).length;
  return Array.from({ length: count }, (_, i) => `ward-${String(i + 1).padStart(width, '0')}`);
}

function modalitiesOf(index, pain) {
  const source = index % 5 === 0 ? 'synthetic' : 'device';
  const second = pain ? 'eda' : 'audio';
  switch (index % 6) {
    case 1:
      return { visual: { state: 'held', source, reason: 'no face', heldFor: 1.5 }, [second]: { state: 'ok', source } };
    case 2:
      return { visual: { state: 'ok', source }, [second]: { state: 'substituted', source, reason: pain ? 'electrode off or saturated' : 'silent' } };
    case 3:
      // The state the issue-14 imagination models add; schemas of older agents lack it.
      return { visual: { state: 'ok', source }, [second]: { state: 'imagined', source, reason: 'no source' } };
    default:
      return { visual: { state: 'ok', source }, [second]: { state: 'ok', source } };
  }
}

/** status carries a modality's state and reason; only scores say how long it was held. */
function withoutHeldFor(modalities) {
  return Object.fromEntries(Object.entries(modalities).map(([name, { heldFor, ...rest }]) => [name, rest]));
}

/** Everything one bed publishes: a retained status, a few scores and one health message. */
export function bedMessages(deviceId, index, now, scoreCount = 3) {
  const pain = index % 2 === 1;
  const model = pain ? { id: 'pain-tiny', version: '1.0.0', task: 'pain' } : { id: 'affect-tiny', version: '1.0.0', task: 'affect' };
  const modalities = modalitiesOf(index, pain);
  const degraded = Object.values(modalities).some((m) => m.state !== 'ok');
  const offline = index % 10 === 9;
  const messages = [];

  const status = offline
    ? { state: 'offline', deviceId, model, modalities: Object.fromEntries(Object.entries(modalities).map(([k, m]) => [k, { state: 'unknown', source: m.source }])), agentVersion: '1.0.0', reason: 'connection lost' }
    : { state: degraded ? 'degraded' : 'online', deviceId, model, modalities: withoutHeldFor(modalities), agentVersion: '1.0.0', since: iso(now - 60_000 * (index + 1)), queue: { writable: true, dropped: 0 } };
  messages.push({ kind: 'status', retain: true, payload: status });

  for (let s = 0; s < scoreCount; s++) {
    const t = now - (scoreCount - s) * 500;
    const phase = (index + s) / 7;
    let scores;
    if (pain) {
      // Every fourth pain bed has a near-uniform level distribution: shown as uncertain.
      const probabilities = index % 4 === 1 ? [0.195, 0.212, 0.176, 0.2, 0.217] : [0.05, 0.1, 0.62, 0.15, 0.08];
      const level = probabilities.indexOf(Math.max(...probabilities));
      const expected = probabilities.reduce((sum, p, i) => sum + p * i, 0);
      scores = { pain_probability: Math.round(500 + 400 * Math.sin(phase)) / 1000, pain_level: { level, expected: Math.round(expected * 1e6) / 1e6, probabilities } };
    } else {
      scores = { valence: Math.round(600 * Math.sin(phase)) / 1000, arousal: Math.round(500 * Math.cos(phase)) / 1000 };
    }
    messages.push({
      kind: 'scores',
      retain: false,
      payload: {
        seq: s + 1, deviceId, producedAt: iso(t), model, clip: s, clipEnd: 1.6 + s * 0.533, status: degraded ? 'degraded' : 'ok', scores, modalities,
        latencyMs: { visualPreprocess: 4.2, visualBackbone: 6.1, faceDetection: 30.5, fusion: 0.6, total: 41.4 },
      },
    });
  }

  if (!offline) {
    messages.push({
      kind: 'health',
      retain: false,
      payload: {
        deviceId, producedAt: iso(now), uptimeSeconds: 600 + index,
        queue: { depth: index % 3, dropped: 0, corruptSkipped: 0, unwritten: 0, droppedUnwritable: 0, writable: true },
        mqtt: { connected: true, reconnects: index % 2, published: 1200 + index },
        providers: { visual: 'cpu', [pain ? 'eda' : 'audio']: 'cpu', fusion: 'cpu' },
        stageLatencyMs: { visualPreprocess: 4.2, visualBackbone: 6.1, faceDetection: 30.5, fusion: 0.6, total: 41.4 },
        droppedSamples: { visual: index % 4 === 0 ? 3 : 0, [pain ? 'eda' : 'audio']: 0 },
        temperaturesC: { 'CPU-therm': 45 + (index % 10) },
      },
    });
  }
  return messages;
}
