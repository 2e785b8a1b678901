// What the dashboard knows about one bed, from its four topics. Pure data: no DOM.

import { Trend } from './trend.js';

/** Statuses, scores, health and OTA status of one device; `version` grows with each change. */
export class Bed {
  constructor(id) {
    this.id = id;
    this.version = 0;
    /** Latest status payload, with `receivedAt` (page clock, ms) and whether the broker kept it (retained). */
    this.status = null;
    this.scores = null;
    this.health = null;
    this.ota = null;
    /** Per modality: the newest of what status and scores said, with when it arrived. */
    this.modalities = new Map();
    this.trend = new Trend();
    this.lastSeq = -1;
    this.lastProducedAt = -Infinity;
    this.duplicates = 0;
    this.unreadable = 0;
    this.lastError = null;
  }

  /**
   * Applies one message. Returns false when it changes nothing (a repeat, an unreadable payload).
   * @param {string} kind status | scores | health | ota/status
   * @param {string} text the payload
   * @param {{retained: boolean, receivedAt: number}} meta
   */
  apply(kind, text, meta) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return this.reject(`unreadable ${kind} message (not JSON)`);
    }
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      return this.reject(`unreadable ${kind} message (not an object)`);
    }

    switch (kind) {
      case 'status':
        return this.applyStatus(message, meta);
      case 'scores':
        return this.applyScores(message, meta);
      case 'health':
        this.health = { ...message, receivedAt: meta.receivedAt };
        return this.changed();
      case 'ota/status':
        this.ota = { ...message, receivedAt: meta.receivedAt };
        return this.changed();
      default:
        return false;
    }
  }

  applyStatus(message, meta) {
    if (typeof message.state !== 'string') {
      return this.reject('unreadable status message (no state)');
    }
    this.status = { ...message, receivedAt: meta.receivedAt, retained: meta.retained };
    this.mergeModalities(message.modalities, meta.receivedAt);
    return this.changed();
  }

  applyScores(message, meta) {
    const seq = Number.isInteger(message.seq) ? message.seq : -1;
    const producedAt = Date.parse(message.producedAt);
    // Delivery is at least once: a repeat carries a seq already kept and the same production
    // time. A device whose queue was wiped starts its seq again, with newer times: keep those.
    if (seq <= this.lastSeq && !(producedAt > this.lastProducedAt)) {
      this.duplicates++;
      return false;
    }
    this.lastSeq = seq;
    if (Number.isFinite(producedAt)) {
      this.lastProducedAt = producedAt;
    }
    this.scores = { ...message, receivedAt: meta.receivedAt };
    this.mergeModalities(message.modalities, meta.receivedAt);
    this.trend.push(Number.isFinite(producedAt) ? producedAt : meta.receivedAt, plotted(message.scores));
    return this.changed();
  }

  mergeModalities(modalities, receivedAt) {
    if (modalities === null || typeof modalities !== 'object') {
      return;
    }
    for (const [name, m] of Object.entries(modalities)) {
      if (m !== null && typeof m === 'object') {
        this.modalities.set(name, { ...m, receivedAt });
      }
    }
  }

  reject(reason) {
    this.unreadable++;
    this.lastError = reason;
    return this.changed();
  }

  changed() {
    this.version++;
    return true;
  }
}

/** The numbers a trend draws: each numeric score, and a class score's expected level. */
export function plotted(scores) {
  const values = {};
  if (scores === null || typeof scores !== 'object') {
    return values;
  }
  for (const [name, value] of Object.entries(scores)) {
    if (typeof value === 'number') {
      values[name] = value;
    } else if (value !== null && typeof value === 'object' && typeof value.expected === 'number') {
      values[name] = value.expected;
    }
  }
  return values;
}
