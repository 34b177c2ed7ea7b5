/**
 * Chart data shaping, apart from the chart wiring: series points with gaps as whitespace points
 * (a `{ time }` without a value — lightweight-charts leaves a gap there, never draws a 0), and the
 * arithmetic of the visible range (which dates a zoom shows, keyboard zoom and pan). Every series
 * of a chart carries every date of the grid (gaps included), so bar index i is `dates[i]`.
 */
import type { ReturnSeries } from '../workers/protocol.ts';
import { lastFiniteIndex } from '../../engine/market/series.ts';

/** A point of a line series, or a whitespace point (gap). */
export type LinePoint = { time: string; value: number } | { time: string };

/** Points of column `j`: `{time, value}` where finite, `{time}` (a gap) where `NaN`. */
export function linePoints(returns: ReturnSeries, j: number): LinePoint[] {
  return seriesPoints(returns.dates, returns.values[j]);
}

/** Last finite value of column `j`, `NaN` if none. */
export function lastValue(returns: ReturnSeries, j: number): number {
  const i = lastFiniteIndex(returns.values[j]);
  return i < 0 ? NaN : returns.values[j][i];
}

/** Points of one column on a date grid: `{time, value}` where finite, `{time}` (a gap) elsewhere. */
export function seriesPoints(dates: readonly string[], values: ArrayLike<number>): LinePoint[] {
  return dates.map((time, i) => (Number.isFinite(values[i]) ? { time, value: values[i] } : { time }));
}

/** A histogram bar coloured by its sign, or a whitespace point (gap). */
export type BarPoint = { time: string; value: number; color: string } | { time: string };

/** Daily P&L bars: `gain` colour for ≥ 0, `loss` for < 0, gaps as whitespace points. */
export function pnlBars(dates: readonly string[], pnl: ArrayLike<number>, gain: string, loss: string): BarPoint[] {
  return dates.map((time, i) => {
    const value = pnl[i];
    return Number.isFinite(value) ? { time, value, color: value < 0 ? loss : gain } : { time };
  });
}

/** A logical range of the time scale: fractional bar indices, possibly beyond the data. */
export interface LogicalSpan {
  from: number;
  to: number;
}

/** The dates shown in a logical range: first and last whole bar inside it, clamped to the data. */
export interface DateSpan {
  from: string;
  to: string;
  fromIndex: number;
  toIndex: number;
}

/** Float noise allowed when deciding whether a bar index is inside a logical range. */
const EDGE = 1e-6;

/** Which dates of `dates` the logical range `span` shows, `null` when none (or no range yet). */
export function visibleDates(dates: readonly string[], span: LogicalSpan | null): DateSpan | null {
  if (!span || dates.length === 0 || !Number.isFinite(span.from) || !Number.isFinite(span.to)) return null;
  const fromIndex = Math.max(0, Math.ceil(span.from - EDGE));
  const toIndex = Math.min(dates.length - 1, Math.floor(span.to + EDGE));
  if (fromIndex > toIndex) return null;
  return { from: dates[fromIndex], to: dates[toIndex], fromIndex, toIndex };
}

/** The chart header's range text: `from 2024-11-20 to 2026-11-20`, empty without a range. */
export function rangeLabel(span: DateSpan | null): string {
  return span ? `from ${span.from} to ${span.to}` : '';
}

/** Whether `span` shows every date of a grid of `count` dates. */
export function showsAll(span: DateSpan | null, count: number): boolean {
  return span !== null && span.fromIndex === 0 && span.toIndex === count - 1;
}

/** Fewest bars a keyboard zoom-in keeps visible. */
const MIN_BARS = 5;

/** Zoom `span` about its centre: `factor` < 1 zooms in, > 1 out; never narrower than 5 bars. */
export function zoomSpan(span: LogicalSpan, factor: number): LogicalSpan {
  const centre = (span.from + span.to) / 2;
  const half = Math.max(MIN_BARS / 2, ((span.to - span.from) * factor) / 2);
  return { from: centre - half, to: centre + half };
}

/** Move `span` by `fraction` of its width (negative = towards older dates). */
export function panSpan(span: LogicalSpan, fraction: number): LogicalSpan {
  const shift = (span.to - span.from) * fraction;
  return { from: span.from + shift, to: span.to + shift };
}
