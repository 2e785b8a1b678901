// One bed's tile. Built once; each update only touches the fields whose text changed.

import { el, setAttr, setHidden, setText } from './dom.js';
import { connectionView, formatAge, healthView, modalityView, otaView, QUIET_AFTER_MS, scoreView, testBedBanner } from './present.js';
import { SERIES_COLOURS, TrendChart } from './trendchart.js';

const ICONS = { ok: '✓', warn: '!', bad: '✕', info: 'i', unknown: '?' };

function badge(node, tone, label) {
  setText(node, `${ICONS[tone] ?? '?'} ${label}`);
  setAttr(node, 'data-tone', tone);
}

export class Tile {
  constructor(bed, compact) {
    this.bed = bed;
    this.root = el('article', 'tile');
    this.root.dataset.bed = bed.id;

    const head = el('header', 'tile__head');
    this.name = el('h2', 'tile__bed', bed.id);
    this.connection = el('span', 'badge badge--big');
    this.connection.dataset.role = 'connection';
    this.since = el('span', 'tile__since');
    head.append(this.name, this.connection, this.since);

    this.banner = el('div', 'tile__banner');
    this.banner.hidden = true;
    this.scoreList = el('div', 'tile__scores');
    this.scoreRows = new Map();
    this.noSignal = el('div', 'tile__nosignal', '✕ NO SIGNAL: every modality missing, no scores');
    this.noSignal.hidden = true;
    this.age = el('div', 'tile__age');
    this.trendBox = el('div', 'tile__trend');
    this.trendCaption = el('div', 'tile__trend-caption');
    this.trendBox.append(this.trendCaption);
    this.trend = new TrendChart(this.trendBox, 260, 56);
    this.modalityList = el('ul', 'tile__modalities');
    this.modalityRows = new Map();
    this.ota = el('div', 'tile__ota');
    this.ota.hidden = true;
    this.health = el('div', 'tile__health');
    this.healthRows = new Map();
    this.problem = el('div', 'tile__problem');
    this.problem.hidden = true;

    this.root.append(head, this.banner, this.scoreList, this.noSignal, this.age, this.trendBox, this.modalityList, this.ota, this.health, this.problem);
    this.setCompact(compact);
    this.renderedVersion = -1;
    this.trendVersion = -1;
  }

  setCompact(compact) {
    this.root.classList.toggle('tile--compact', compact);
  }

  /** Brings the tile up to date with its bed; `now` (ms) ages the "ago" texts. */
  update(now) {
    const bed = this.bed;
    const conn = connectionView(bed.status, now);
    badge(this.connection, conn.tone, conn.label);
    setText(this.since, conn.detail);
    setAttr(this.root, 'data-connection', bed.status?.state ?? 'none');
    setAttr(this.root, 'data-tone', conn.tone);

    const banner = testBedBanner(bed.modalities);
    setHidden(this.banner, banner === null);
    setText(this.banner, banner ?? '');
    this.root.classList.toggle('tile--test', banner !== null);

    this.updateScores(now);
    this.updateModalities();
    this.updateOta();
    this.updateHealth(now);

    const problems = [];
    if (bed.unreadable) problems.push(`${bed.unreadable} unreadable message${bed.unreadable > 1 ? 's' : ''} (${bed.lastError})`);
    if (bed.status?.queue?.writable === false) problems.push('queue disk not writable: an outage now loses scores');
    setHidden(this.problem, problems.length === 0);
    setText(this.problem, problems.join(' · '));
    this.renderedVersion = bed.version;
  }

  updateScores(now) {
    const message = this.bed.scores;
    const scores = message?.scores;
    const names = scores && typeof scores === 'object' ? Object.keys(scores) : [];
    const trendNames = this.bed.trend.names();
    for (const name of names) {
      let row = this.scoreRows.get(name);
      if (!row) {
        row = { root: el('div', 'score'), swatch: el('span', 'score__swatch'), label: el('span', 'score__label'), value: el('span', 'score__value'), detail: el('span', 'score__detail') };
        row.root.dataset.score = name;
        row.root.append(row.swatch, row.label, row.value, row.detail);
        this.scoreList.append(row.root);
        this.scoreRows.set(name, row);
      }
      const view = scoreView(name, scores[name]);
      setText(row.label, view.label);
      setText(row.value, view.value);
      setText(row.detail, view.detail);
      row.root.classList.toggle('score--uncertain', view.uncertain);
      const index = trendNames.indexOf(name);
      row.swatch.style.background = index >= 0 ? SERIES_COLOURS[index % SERIES_COLOURS.length] : 'transparent';
      setHidden(row.root, false);
    }
    for (const [name, row] of this.scoreRows) {
      if (!names.includes(name)) setHidden(row.root, true);
    }

    const noSignal = message?.status === 'no-signal';
    setHidden(this.noSignal, !noSignal);
    if (!message) {
      setText(this.age, 'no scores yet');
    } else {
      const model = message.model ? `${message.model.id} ${message.model.version}` : '';
      const ago = now - message.receivedAt;
      const stale = ago > QUIET_AFTER_MS;
      setText(this.age, `${stale ? '! ' : ''}scores ${formatAge(ago)} ago · seq ${message.seq} · ${model}`);
      this.age.classList.toggle('tile__age--stale', stale);
    }
    const old = !message || now - message.receivedAt > QUIET_AFTER_MS || this.bed.status?.state === 'offline';
    this.scoreList.classList.toggle('tile__scores--old', old);
  }

  updateModalities() {
    for (const [name, m] of this.bed.modalities) {
      let row = this.modalityRows.get(name);
      if (!row) {
        row = { root: el('li', 'mod'), name: el('span', 'mod__name', name), state: el('span', 'badge'), source: el('span', 'tag'), detail: el('span', 'mod__detail') };
        row.root.dataset.modality = name;
        row.root.append(row.name, row.state, row.source, row.detail);
        this.modalityList.append(row.root);
        this.modalityRows.set(name, row);
      }
      const view = modalityView(m);
      badge(row.state, view.tone, view.label);
      setAttr(row.root, 'data-state', String(m.state));
      setText(row.detail, view.detail);
      setText(row.source, view.source ?? '');
      setHidden(row.source, view.source === null);
    }
  }

  updateOta() {
    const view = otaView(this.bed.ota);
    setHidden(this.ota, view === null);
    if (view) {
      setText(this.ota, `OTA ${view.text}`);
      setAttr(this.ota, 'data-tone', view.tone);
    }
  }

  updateHealth(now) {
    const health = this.bed.health;
    const rows = healthView(health);
    if (health) rows.push(['Health', `${formatAge(now - health.receivedAt)} ago`]);
    const seen = new Set();
    for (const [key, text] of rows) {
      seen.add(key);
      let row = this.healthRows.get(key);
      if (!row) {
        row = { root: el('span', 'figure'), value: el('span') };
        row.root.dataset.figure = key;
        row.root.append(el('b', '', `${key}: `), row.value);
        this.health.append(row.root);
        this.healthRows.set(key, row);
      }
      setText(row.value, text);
      setHidden(row.root, false);
    }
    for (const [key, row] of this.healthRows) {
      if (!seen.has(key)) setHidden(row.root, true);
    }
  }

  /** Redraws the trend when the bed has new scores since the last drawing. */
  drawTrend(now) {
    if (this.trendVersion === this.bed.version) return;
    const width = this.trendBox.clientWidth;
    if (width > 0) this.trend.resize(width);
    this.trend.update(this.bed.trend, now);
    this.trendVersion = this.bed.version;
    const minutes = Math.round((this.trend.span ?? 0) / 60_000);
    setText(this.trendCaption, this.trend.plot ? `trend, last ${minutes} min` : '');
  }

  destroy() {
    this.trend.destroy();
    this.root.remove();
  }
}
