// A tile's 10-minute trend: one small uPlot, redrawn by the ward at most once a second.

import uPlot from 'uplot';
import { TREND_WINDOW_MS } from './trend.js';

export const SERIES_COLOURS = ['#1f5fbf', '#c2410c', '#7c3aed', '#0f766e', '#a21caf'];

/** Scales: valence/arousal -1..1, probabilities 0..1, class outputs (expected level) 0..4. */
function scaleOf(name) {
  if (name.endsWith('probability')) return 'p';
  if (name === 'valence' || name === 'arousal') return 'va';
  return 'level';
}

const MIN_SPAN_MS = 60_000;

const RANGES = { va: [-1, 1], p: [0, 1], level: [0, 4] };

export class TrendChart {
  constructor(container, width, height) {
    this.container = container;
    this.width = width;
    this.height = height;
    this.names = [];
    this.plot = null;
  }

  /** Redraws from the bed's trend, building the plot again when its scores change. */
  update(trend, now) {
    const names = trend.names();
    if (names.join() !== this.names.join()) {
      this.build(names);
    }
    if (!this.plot) return;
    // The window grows from a minute to ten as data comes, so a new bed's line is not a dot.
    const end = Math.max(now, trend.times.at(-1) ?? now);
    const span = Math.min(TREND_WINDOW_MS, Math.max(MIN_SPAN_MS, end - (trend.times[0] ?? end)));
    this.span = span;
    this.plot.batch(() => {
      this.plot.setData(trend.data(this.names), false);
      this.plot.setScale('x', { min: (end - span) / 1000, max: end / 1000 });
    });
  }

  build(names) {
    this.plot?.destroy();
    this.names = names;
    if (names.length === 0) {
      this.plot = null;
      return;
    }
    const scales = { x: { time: true } };
    for (const name of names) {
      const key = scaleOf(name);
      scales[key] = { auto: false, range: RANGES[key] };
    }
    this.plot = new uPlot(
      {
        width: this.width,
        height: this.height,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false },
        scales,
        axes: [{ show: false }, { show: false, scale: scaleOf(names[0]) }],
        series: [{}, ...names.map((name, i) => ({ label: name, scale: scaleOf(name), stroke: SERIES_COLOURS[i % SERIES_COLOURS.length], width: 1.5, spanGaps: false, points: { show: false } }))],
      },
      [[], ...names.map(() => [])],
      this.container,
    );
  }

  resize(width) {
    if (width !== this.width) {
      this.width = width;
      this.plot?.setSize({ width, height: this.height });
    }
  }

  destroy() {
    this.plot?.destroy();
    this.plot = null;
  }
}
