/**
 * The Risk module's chart data, apart from the drawing: the Monte Carlo P&L histogram, the
 * Monte Carlo error bands in P&L coordinates, axis ticks and scales for the SVG charts, the
 * contribution bars, and the backtest's time series (gaps as whitespace points, never zeros).
 * Pure: no DOM.
 */
import type { BacktestResult } from '../workers/protocol.ts';
import type { BarPoint, LinePoint } from './chart-data.ts';

/** Paths per bin of a P&L range, plus what fell outside it. */
export interface PnlHistogram {
  /** Left edge of the first bin, money. */
  start: number;
  /** Bin width, money (a 1-2-2.5-5 step, so bin edges are round numbers). */
  width: number;
  /** Paths in bin i: [start + i·width, start + (i + 1)·width). */
  counts: number[];
  /** Finite paths in all, those outside the bins included. */
  total: number;
  /** Paths left of the first bin and right of the last (the far tails past the drawn range). */
  below: number;
  above: number;
  /** Non-finite values skipped (none from a valid run). */
  skipped: number;
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation. */
  sd: number;
}

/** Options of {@link pnlHistogram}. */
export interface HistogramOptions {
  /** Bins wanted (the step is rounded, so the count is near it). Default 60. */
  bins?: number;
  /** The range is mean ± this many standard deviations, cut to [min, max]. Default 5. */
  sds?: number;
  /** Values the range must hold (VaR, ES and their bands), each cut to [min, max]. */
  include?: readonly number[];
}

/**
 * A 1, 2, 2.5 or 5 × 10ᵏ step that cuts `span` into about `count` parts (never more than
 * count·1.25 + 1, never 0 for a positive span).
 */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0) || !Number.isFinite(span)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/**
 * Histogram of the values of `blocks` (P&L per path, one array per block): a range around the
 * bulk (mean ± `sds`·sd, cut to the sample's min and max, widened to hold `include`), cut into
 * round bins; the last bin holds its right edge. Paths beyond the range are counted in `below` /
 * `above` rather than drawn, so the few farthest paths of a long run do not squeeze the bulk into
 * a handful of bars.
 */
export function pnlHistogram(blocks: readonly ArrayLike<number>[], options: HistogramOptions = {}): PnlHistogram {
  const bins = options.bins ?? 60;
  const sds = options.sds ?? 5;
  let total = 0;
  let skipped = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const block of blocks) {
    for (let i = 0; i < block.length; i++) {
      const v = block[i];
      if (!Number.isFinite(v)) {
        skipped++;
        continue;
      }
      total++;
      const d = v - mean; // Welford: no cancellation when |mean| ≫ sd
      mean += d / total;
      m2 += d * (v - mean);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (total === 0) return { start: 0, width: 1, counts: [], total: 0, below: 0, above: 0, skipped, min: NaN, max: NaN, mean: NaN, sd: NaN };
  const sd = total > 1 ? Math.sqrt(m2 / (total - 1)) : 0;
  let lo = Math.max(min, mean - sds * sd);
  let hi = Math.min(max, mean + sds * sd);
  for (const x of options.include ?? []) {
    if (!Number.isFinite(x)) continue;
    const v = Math.min(max, Math.max(min, x));
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(hi > lo)) {
    // Every path has the same P&L: one bin around it.
    const width = niceStep(Math.max(Math.abs(lo) * 0.02, 1), 1);
    return { start: lo - width / 2, width, counts: [total], total, below: 0, above: 0, skipped, min, max, mean, sd };
  }
  const width = niceStep(hi - lo, bins);
  const start = Math.floor(lo / width) * width;
  const n = Math.max(1, Math.ceil((hi - start) / width - 1e-9));
  const end = start + n * width;
  const counts = new Array<number>(n).fill(0);
  let below = 0;
  let above = 0;
  for (const block of blocks) {
    for (let i = 0; i < block.length; i++) {
      const v = block[i];
      if (!Number.isFinite(v)) continue;
      if (v < start) below++;
      else if (v > end) above++;
      else counts[Math.min(n - 1, Math.floor((v - start) / width))]++;
    }
  }
  return { start, width, counts, total, below, above, skipped, min, max, mean, sd };
}

/** The x-range [from, to] of the histogram's bins. */
export function histogramRange(h: PnlHistogram): [number, number] {
  return [h.start, h.start + h.counts.length * h.width];
}

/** A Monte Carlo error band on the P&L axis, cut to the drawn range. */
export interface Band {
  from: number;
  to: number;
  /** The band goes on past the drawn range (or is unbounded: too few tail paths for that side). */
  openLeft: boolean;
  openRight: boolean;
}

/**
 * The 95% interval of a loss figure (VaR or ES, money, `[low, high]` as the engine reports it,
 * either side possibly ±∞) as a span of P&L, [−high, −low], cut to [`lo`, `hi`]. `null` when
 * the interval is not known (NaN) or lies wholly outside.
 */
export function lossBand(ci: readonly [number, number], lo: number, hi: number): Band | null {
  const [a, b] = ci;
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  const left = -b;
  const right = -a;
  if (right < lo || left > hi) return null;
  return { from: Math.max(left, lo), to: Math.min(right, hi), openLeft: left < lo, openRight: right > hi };
}

/**
 * Round ticks across [lo, hi], about `count` of them (a {@link niceStep} apart). A tick within
 * float noise of zero is exactly 0, so an axis never reads −0.
 */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    const v = Number((k * step).toPrecision(12)); // 3 × 0.1 is 0.3, not 0.30000000000000004
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

/** A linear map of [d0, d1] onto [r0, r1] (a flat domain maps to the range's middle). */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** One position's bar of the contribution chart. */
export interface ContributionRow {
  ticker: string;
  /** Contribution to VaR and to ES, money (negative: the position hedges). */
  var: number;
  es: number;
  /** var / total VaR (the parts sum to 1). */
  share: number;
}

/**
 * The contribution bars, largest contribution to VaR first (hedges, negative, last). `total` is
 * the VaR the contributions sum to.
 */
export function contributionRows(
  tickers: readonly string[], contributions: Readonly<Record<string, { var: number; es: number }>>, total: number,
): ContributionRow[] {
  return tickers
    .map((ticker) => {
      const c = contributions[ticker] ?? { var: NaN, es: NaN };
      return { ticker, var: c.var, es: c.es, share: total !== 0 ? c.var / total : NaN };
    })
    .sort((a, b) => (Number.isNaN(a.var) ? 1 : Number.isNaN(b.var) ? -1 : b.var - a.var));
}

/** [min(0, values), max(0, values)] over the finite values: a bar axis that always shows zero. */
export function zeroBasedDomain(values: readonly number[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

/** A marker under an exception day's bar. */
export interface ExceptionMarker {
  time: string;
  /** P&L of the day, money. */
  pnl: number;
  /** VaR of the day, money. */
  var: number;
}

/**
 * Largest |value| lightweight-charts accepts (it asserts |v| ≤ MAX_SAFE_INTEGER / 100). A book at
 * the input rules' extremes (10⁹ shares at 10⁷) has daily P&L past it.
 */
export const CHARTABLE = Number.MAX_SAFE_INTEGER / 100;

/** The backtest chart's series: every tested date on each, gaps as whitespace. */
export interface BacktestSeries {
  dates: string[];
  /** Days with a P&L or VaR beyond {@link CHARTABLE}: left out of the chart (as gaps) and counted. */
  offscale: number;
  /** The day's realised P&L as bars: `exception` colour on exception days, `normal` otherwise. */
  pnl: BarPoint[];
  /** −VaR of the day (the loss an exception goes below), a line. */
  threshold: LinePoint[];
  exceptions: ExceptionMarker[];
}

/**
 * The backtest's chart data from its series (dates tested, VaR, realised P&L, exception flags).
 * A day without a finite P&L or VaR is a gap on that series, never a 0; so is a value beyond what
 * the chart can draw ({@link CHARTABLE}), counted in `offscale`.
 */
export function backtestSeries(series: BacktestResult['series'], colours: { normal: string; exception: string }): BacktestSeries {
  const { dates } = series;
  const pnl: BarPoint[] = [];
  const threshold: LinePoint[] = [];
  const exceptions: ExceptionMarker[] = [];
  let offscale = 0;
  const drawable = (x: number) => Number.isFinite(x) && Math.abs(x) <= CHARTABLE;
  for (let i = 0; i < dates.length; i++) {
    const time = dates[i];
    const p = series.pnl[i];
    const v = series.var[i];
    const hit = series.exception[i] === 1;
    if ((Number.isFinite(p) && !drawable(p)) || (Number.isFinite(v) && !drawable(v))) offscale++;
    pnl.push(drawable(p) ? { time, value: p, color: hit ? colours.exception : colours.normal } : { time });
    threshold.push(drawable(v) ? { time, value: -v } : { time });
    if (hit && drawable(p)) exceptions.push({ time, pnl: p, var: v });
  }
  return { dates: dates.slice(), offscale, pnl, threshold, exceptions };
}
