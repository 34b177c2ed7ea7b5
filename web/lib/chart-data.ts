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
