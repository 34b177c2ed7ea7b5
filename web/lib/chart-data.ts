/**
 * Chart data shaping, apart from the chart wiring: series points with gaps as whitespace points
 * (a `{ time }` without a value — lightweight-charts leaves a gap there, never draws a 0).
 */
import type { ReturnSeries } from '../workers/protocol.ts';
import { lastFiniteIndex } from '../../engine/market/series.ts';

/** A point of a line series, or a whitespace point (gap). */
export type LinePoint = { time: string; value: number } | { time: string };

/** Points of column `j`: `{time, value}` where finite, `{time}` (a gap) where `NaN`. */
export function linePoints(returns: ReturnSeries, j: number): LinePoint[] {
  const values = returns.values[j];
  return returns.dates.map((time, i) => (Number.isFinite(values[i]) ? { time, value: values[i] } : { time }));
}

/** Last finite value of column `j`, `NaN` if none. */
export function lastValue(returns: ReturnSeries, j: number): number {
  const i = lastFiniteIndex(returns.values[j]);
  return i < 0 ? NaN : returns.values[j][i];
}

/** Distinct, colour-blind-friendly-ish line colours (Okabe–Ito + extras), cycled by index. */
export const SERIES_COLORS = [
  '#56b4e9', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#0072b2', '#999999', '#9467bd', '#a6761d', '#66a61e',
] as const;

/** Colour of series `j`. */
export function seriesColor(j: number): string {
  return SERIES_COLORS[j % SERIES_COLORS.length];
}
