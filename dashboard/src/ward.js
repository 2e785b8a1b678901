// Every bed on one page: messages update the bed's data at once; the DOM follows once per
// animation frame for the beds that changed, charts at most once a second, ages once a second.

import { Bed } from './bed.js';
import { el, setText } from './dom.js';
import { Tile } from './tile.js';

/** More device ids than this are ignored (and counted), so a topic flood cannot exhaust the page. */
export const MAX_BEDS = 500;

const CHART_INTERVAL_MS = 1000;

const bedOrder = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export class Ward {
  constructor(grid, summary, compact) {
    this.grid = grid;
    this.summary = summary;
    this.compact = compact;
    /** @type {Map<string, {bed: Bed, tile: Tile}>} */
    this.beds = new Map();
    this.dirty = new Set();
    this.ignoredBeds = 0;
    this.frame = 0;
    this.lastCharts = 0;
    this.visible = new Set();
    this.observer = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => {
        for (const e of entries) {
          const id = e.target.dataset.bed;
          if (e.isIntersecting) this.visible.add(id); else this.visible.delete(id);
        }
      })
      : null;
    setInterval(() => this.tick(), 1000);
  }

  /** One message from the broker (topic already split). */
  receive(deviceId, kind, text, retained) {
    let entry = this.beds.get(deviceId);
    if (!entry) {
      if (this.beds.size >= MAX_BEDS) {
        this.ignoredBeds++;
        return;
      }
      entry = this.add(deviceId);
    }
    if (entry.bed.apply(kind, text, { retained, receivedAt: Date.now() })) {
      this.dirty.add(deviceId);
      this.schedule();
    }
  }

  add(deviceId) {
    const bed = new Bed(deviceId);
    const tile = new Tile(bed, this.compact);
    const entry = { bed, tile };
    this.beds.set(deviceId, entry);
    // Natural order (bed-2 before bed-10), inserted once: tiles never move afterwards.
    const after = [...this.beds.keys()].filter((id) => id !== deviceId && bedOrder.compare(id, deviceId) > 0).sort(bedOrder.compare)[0];
    this.grid.insertBefore(tile.root, after ? this.beds.get(after).tile.root : null);
    this.observer?.observe(tile.root);
    return entry;
  }

  setCompact(compact) {
    this.compact = compact;
    for (const { tile } of this.beds.values()) tile.setCompact(compact);
  }

  schedule() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => this.flush());
    }
  }

  flush() {
    this.frame = 0;
    const now = Date.now();
    for (const id of this.dirty) {
      this.beds.get(id)?.tile.update(now);
    }
    this.dirty.clear();
    this.updateSummary();
  }

  /** Once a second: ages on every tile, and the charts of visible beds with new scores. */
  tick() {
    const now = Date.now();
    for (const { tile } of this.beds.values()) tile.update(now);
    if (!this.compact && now - this.lastCharts >= CHART_INTERVAL_MS) {
      this.lastCharts = now;
      for (const [id, { tile }] of this.beds) {
        if (!this.observer || this.visible.has(id)) tile.drawTrend(now);
      }
    }
    this.updateSummary();
  }

  updateSummary() {
    const counts = { online: 0, degraded: 0, offline: 0, other: 0 };
    for (const { bed } of this.beds.values()) {
      const state = bed.status?.state;
      counts[state in counts ? state : 'other']++;
    }
    const parts = [`${this.beds.size} beds`, `✓ ${counts.online} online`, `! ${counts.degraded} degraded`, `✕ ${counts.offline} offline`];
    if (counts.other) parts.push(`? ${counts.other} without status`);
    if (this.ignoredBeds) parts.push(`${this.ignoredBeds} messages from beds beyond ${MAX_BEDS} ignored`);
    setText(this.summary, parts.join(' · '));
  }

  /** Marks every tile as not live (the page lost the broker) or live again. */
  setLive(live) {
    this.grid.classList.toggle('ward--stale', !live);
  }
}

export function emptyHint() {
  return el('p', 'ward__empty', 'Waiting for devices: no bed has published yet.');
}
