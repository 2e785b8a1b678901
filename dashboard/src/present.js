// What a nurse reads on a tile: words, tones and numbers from a bed's data. Pure: no DOM.
// Every tone goes with a word, so nothing is told by colour alone.

/** Below this probability a pain level is shown as uncertain (5 classes: 0.2 is a coin toss). */
export const CONFIDENT_LEVEL_PROBABILITY = 0.5;

/** Online but silent for this long: the tile says how long (health comes every 10 s by default). */
export const QUIET_AFTER_MS = 30_000;

/** "4 s", "3 min", "2 h 5 min", "3 d 4 h". */
export function formatAge(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * The bed's connection from its retained status or last will.
 * @returns {{label: string, tone: string, detail: string}}
 */
export function connectionView(status, now) {
  if (!status) {
    return { label: 'NO STATUS', tone: 'unknown', detail: 'no status from this device yet' };
  }
  const since = Date.parse(status.since);
  switch (status.state) {
    case 'online':
      return { label: 'ONLINE', tone: 'ok', detail: Number.isFinite(since) ? `for ${formatAge(now - since)}` : '' };
    case 'degraded':
      return { label: 'DEGRADED', tone: 'warn', detail: Number.isFinite(since) ? `for ${formatAge(now - since)}` : '' };
    case 'offline': {
      const why = status.reason ? `${status.reason}, ` : '';
      if (Number.isFinite(since)) {
        return { label: 'OFFLINE', tone: 'bad', detail: `${why}${formatAge(now - since)} ago` };
      }
      // The last will has no time: only the broker knew when it fired. A retained one came
      // before this page opened, so its arrival says nothing of when.
      return status.retained
        ? { label: 'OFFLINE', tone: 'bad', detail: `${why}before this page opened` }
        : { label: 'OFFLINE', tone: 'bad', detail: `${why}${formatAge(now - status.receivedAt)} ago` };
    }
    default:
      return { label: String(status.state).toUpperCase(), tone: 'unknown', detail: 'state unknown to this dashboard' };
  }
}

const STATES = {
  ok: { label: 'OK', tone: 'ok' },
  held: { label: 'HELD', tone: 'warn' },
  imagined: { label: 'IMAGINED', tone: 'info' },
  substituted: { label: 'SUBSTITUTED', tone: 'bad' },
  unknown: { label: 'UNKNOWN', tone: 'unknown' },
};

/** A modality's state word, tone and detail (reason, held age). Unknown states are shown as sent. */
export function modalityView(m) {
  const known = STATES[m.state];
  const label = known ? known.label : String(m.state ?? '?').toUpperCase();
  const tone = known ? known.tone : 'unknown';
  const parts = [];
  if (m.state === 'held' && typeof m.heldFor === 'number') {
    parts.push(`for ${m.heldFor.toFixed(1)} s`);
  }
  if (m.reason) {
    parts.push(String(m.reason));
  }
  if (!known) {
    parts.push('(state unknown to this dashboard)');
  }
  return { label, tone, detail: parts.join(' · '), source: sourceTag(m.source) };
}

/** Anything but a device is not the patient's signal (docs/mqtt.md, Simulated and recorded sources). */
export function sourceTag(source) {
  switch (source) {
    case undefined:
    case null:
    case 'device':
      return null;
    case 'synthetic':
      return 'SIMULATED';
    case 'file':
      return 'REPLAY';
    case 'none':
      return 'NO SOURCE';
    default:
      return String(source).toUpperCase();
  }
}

/** The tile's banner when any modality is not a sensor: "SIMULATED: not a patient" or "REPLAY: not live". */
export function testBedBanner(modalities) {
  const sources = [...modalities.values()].map((m) => m.source);
  if (sources.includes('synthetic')) return 'SIMULATED: not a patient';
  if (sources.includes('file')) return 'REPLAY: recorded, not live';
  const other = sources.find((s) => s && !['device', 'none'].includes(s));
  return other ? `${String(other).toUpperCase()}: not a patient's signal` : null;
}

const LABELS = { valence: 'Valence', arousal: 'Arousal', pain_probability: 'Pain', pain_level: 'Pain level', expression: 'Expression' };

/** A score's name for people: "Valence", "Pain level", or the pack's own name. */
export function scoreLabel(name) {
  return LABELS[name] ?? name.replaceAll('_', ' ');
}

/**
 * One score as text: valence/arousal signed, probabilities in per cent, a class output as its
 * level (or, for unordered classes such as expressions, its label) with that level's
 * probability (never a bare level), marked uncertain below
 * CONFIDENT_LEVEL_PROBABILITY.
 * @returns {{name: string, label: string, value: string, detail: string, uncertain: boolean}}
 */
export function scoreView(name, value) {
  const label = scoreLabel(name);
  if (typeof value === 'number') {
    if (name.endsWith('probability')) {
      return { name, label, value: `${Math.round(value * 100)} %`, detail: 'probability', uncertain: false };
    }
    const signed = value > 0 ? `+${value.toFixed(2)}` : value.toFixed(2).replace('-', '−');
    return { name, label, value: signed, detail: name === 'valence' || name === 'arousal' ? '−1 … +1' : '', uncertain: false };
  }
  if (value !== null && typeof value === 'object' && Number.isInteger(value.level)) {
    const p = Array.isArray(value.probabilities) ? value.probabilities[value.level] : undefined;
    if (typeof p !== 'number') {
      return { name, label, value: `level ${value.level} (?)`, detail: 'uncertain: no probabilities', uncertain: true };
    }
    const uncertain = p < CONFIDENT_LEVEL_PROBABILITY;
    if (typeof value.label === 'string') {
      // Unordered classes (the expression pack): the top class by name with its probability.
      return { name, label, value: `${value.label} (${Math.round(p * 100)} %)`, detail: uncertain ? 'UNCERTAIN' : '', uncertain };
    }
    const expected = typeof value.expected === 'number' ? `expected ${value.expected.toFixed(1)}` : '';
    return {
      name,
      label,
      value: `level ${value.level} (${Math.round(p * 100)} %)`,
      detail: [uncertain ? 'UNCERTAIN' : '', expected].filter(Boolean).join(' · '),
      uncertain,
    };
  }
  return { name, label, value: '?', detail: 'score in a form unknown to this dashboard', uncertain: true };
}

/** Health figures in one line each: stage latency, queue, drops, connection, temperature. */
export function healthView(health) {
  if (!health) return [];
  const rows = [];
  const lat = health.stageLatencyMs;
  if (lat && typeof lat.total === 'number') {
    rows.push(['Latency', `${Math.round(lat.total)} ms per output`]);
  }
  const q = health.queue;
  if (q) {
    const writable = q.writable === false ? ' · DISK NOT WRITABLE' : '';
    rows.push(['Queue', `${q.depth ?? '?'} waiting · ${q.dropped ?? 0} dropped${writable}`]);
  }
  const drops = health.droppedSamples && Object.entries(health.droppedSamples).filter(([, n]) => n > 0);
  rows.push(['Samples dropped', drops && drops.length ? drops.map(([k, n]) => `${k} ${n}`).join(', ') : 'none']);
  if (health.mqtt) {
    rows.push(['MQTT', `${health.mqtt.reconnects ?? 0} reconnects · ${health.mqtt.published ?? 0} sent`]);
  }
  const temps = health.temperaturesC && Object.values(health.temperaturesC).filter((t) => typeof t === 'number');
  if (temps && temps.length) {
    rows.push(['Hottest zone', `${Math.max(...temps).toFixed(1)} °C`]);
  }
  return rows;
}

/** The last OTA step: "1.0.1 rolled-back: health gate ...", with a tone. */
export function otaView(ota) {
  if (!ota) return null;
  const tone = { succeeded: 'ok', failed: 'bad', 'rolled-back': 'bad' }[ota.state] ?? 'info';
  const progress = typeof ota.progress === 'number' ? ` ${Math.round(ota.progress * 100)} %` : '';
  const reason = ota.reason ? `: ${ota.reason}` : '';
  return { tone, text: `${ota.version ?? '?'} ${String(ota.state ?? '?').toUpperCase()}${progress}${reason}` };
}
