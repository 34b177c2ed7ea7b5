/**
 * The window rules of `/api/chart`, applied before any upstream call: default
 * lookbacks, the 1970 floor, Yahoo's retention limits, the cap of `period2` at
 * now + slack, and the bounded 1-minute split. Pure functions of the request
 * and the clock.
 */
import {
  DEFAULT_LOOKBACK_1M_MS,
  DEFAULT_LOOKBACK_DAILY_MS,
  DEFAULT_LOOKBACK_INTRADAY_MS,
  FUTURE_SLACK_MS,
  HOURLY_MAX_AGE_MS,
  INTRADAY_AGE_SLACK_MS,
  MAX_ONE_MINUTE_CHUNKS,
  MIN_DATE_MS,
  ONE_MINUTE_CHUNK_MS,
  ONE_MINUTE_MAX_AGE_MS,
  SHORT_INTRADAY_MAX_AGE_MS,
} from './constants.ts';
import { badRequest, MSG } from './errors.ts';
import type { ChartRequest, Interval } from './validate.ts';

/** A half-open time window [period1, period2) in epoch ms. */
export interface Window {
  /** Inclusive start (epoch ms). */
  period1: number;
  /** Exclusive end (epoch ms). */
  period2: number;
}

/** Oldest allowed `period1` for an intraday interval, or null for daily and longer. */
function maxAgeMs(interval: Interval): number | null {
  if (interval === '1m') return ONE_MINUTE_MAX_AGE_MS;
  if (interval === '60m' || interval === '1h') return HOURLY_MAX_AGE_MS;
  if (interval.endsWith('m')) return SHORT_INTRADAY_MAX_AGE_MS;
  return null;
}

function defaultLookbackMs(interval: Interval): number {
  if (interval === '1m') return DEFAULT_LOOKBACK_1M_MS;
  return maxAgeMs(interval) === null ? DEFAULT_LOOKBACK_DAILY_MS : DEFAULT_LOOKBACK_INTRADAY_MS;
}

/**
 * Splits [period1, period2) into consecutive windows of at most `size` ms.
 * Counts them first and refuses more than `maxPieces` (BAD_REQUEST naming the
 * 1-minute limit), so a long window never builds a long list, let alone calls.
 */
export function splitWindow(w: Window, size: number, maxPieces: number): Window[] {
  if (Math.ceil((w.period2 - w.period1) / size) > maxPieces) throw badRequest(MSG.ONE_MINUTE_WINDOW_TOO_LONG);
  const out: Window[] = [];
  for (let start = w.period1; start < w.period2; start += size) {
    out.push({ period1: start, period2: Math.min(start + size, w.period2) });
  }
  return out;
}

/** What one chart request will ask Yahoo for, decided before any upstream call. */
export interface ChartPlan {
  /** The requested window [period1, period2) in epoch ms, defaults filled in; answers are trimmed to it. */
  window: Window;
  /** The upstream requests: the window capped at now + {@link FUTURE_SLACK_MS}, split for 1-minute bars. */
  upstream: Window[];
}

/**
 * Applies the window rules to a validated request at time `now`: default
 * lookback, 1970 floor, Yahoo's retention limits, the cap of `period2` at
 * now + slack (so no request asks for years that have no bars yet), then the
 * 1-minute split with its bound. Throws BAD_REQUEST for windows we will not send.
 */
export function planChart(req: ChartRequest, now: number): ChartPlan {
  const period2 = req.period2 ?? now;
  const period1 = req.period1 ?? period2 - defaultLookbackMs(req.interval);
  if (!(period1 < period2)) throw badRequest(MSG.PERIOD_ORDER);
  // Only the default lookback can get here (parsed dates are ≥ 1970): never send a negative period1.
  if (period1 < MIN_DATE_MS) throw badRequest(MSG.PERIOD1_BEFORE_1970);
  const age = maxAgeMs(req.interval);
  if (age !== null && period1 < now - age - INTRADAY_AGE_SLACK_MS) {
    throw badRequest(req.interval === '1m' ? MSG.ONE_MINUTE_TOO_OLD : MSG.INTRADAY_TOO_OLD);
  }
  const horizon = now + FUTURE_SLACK_MS;
  if (period1 >= horizon) throw badRequest(MSG.PERIOD1_IN_FUTURE);
  const capped = { period1, period2: Math.min(period2, horizon) };
  const upstream = req.interval === '1m' ? splitWindow(capped, ONE_MINUTE_CHUNK_MS, MAX_ONE_MINUTE_CHUNKS) : [capped];
  return { window: { period1, period2 }, upstream };
}
