// The last minutes of a bed's scores, bounded in time and in points, laid out for uPlot.

export const TREND_WINDOW_MS = 10 * 60 * 1000;

/** About 2 outputs a second fill 10 minutes with 1200 points; the cap bounds a faster pack. */
export const TREND_MAX_POINTS = 2400;

export class Trend {
  constructor(windowMs = TREND_WINDOW_MS, maxPoints = TREND_MAX_POINTS) {
    this.windowMs = windowMs;
    this.maxPoints = maxPoints;
    this.times = [];
    /** @type {Map<string, Array<number|null>>} one column per score, aligned with times */
    this.columns = new Map();
  }

  get length() {
    return this.times.length;
  }

  /** Appends one output at time t (ms) with its plotted values (name -> number); a gap (no-signal) when empty. */
  push(t, values) {
    if (this.times.length > 0 && t < this.times[this.times.length - 1]) {
      // Out of order (a device clock step back): start again rather than draw backwards.
      this.clear();
    }
    const index = this.times.length;
    this.times.push(t);
    for (const [name, value] of Object.entries(values)) {
      if (!this.columns.has(name)) {
        this.columns.set(name, new Array(index).fill(null));
      }
    }
    for (const [name, column] of this.columns) {
      column.push(Number.isFinite(values[name]) ? values[name] : null);
    }
    this.trim(t);
  }

  clear() {
    this.times = [];
    this.columns = new Map();
  }

  /** Drops points older than the window before `now` and beyond the cap. */
  trim(now) {
    let drop = 0;
    while (drop < this.times.length && this.times[drop] < now - this.windowMs) {
      drop++;
    }
    drop = Math.max(drop, this.times.length - this.maxPoints);
    if (drop > 0) {
      this.times.splice(0, drop);
      for (const column of this.columns.values()) {
        column.splice(0, drop);
      }
    }
  }

  /** uPlot's aligned data: seconds on x, then one array per score in `names` order. */
  data(names) {
    return [this.times.map((t) => t / 1000), ...names.map((n) => this.columns.get(n) ?? new Array(this.times.length).fill(null))];
  }

  names() {
    return [...this.columns.keys()];
  }
}
