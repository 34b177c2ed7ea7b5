/**
 * The demo's intraday market: 1-minute bars of a banking universe of ten tickers over thirty
 * sessions, built so that a pair scanner has something real to find and tests can score it.
 *
 * - **The bank factor** is C's own minute shock: C is a log random walk (30% a year, eight times
 *   the minute volatility across each night), and every other random-walk leg loads on C's shock
 *   with its own idiosyncratic shock beside it, so all banks are correlated.
 * - **Random-walk legs** (C, WFC, MS, PNC, TFC, SCHW): each has its own idiosyncratic random walk,
 *   so no two of them are cointegrated (their correlation comes from the factor's returns only:
 *   any spread between them still has a unit root).
 * - **Cointegrated pairs** ({@link DEMO_COINTEGRATED}): y = β·x + α + sₜ with sₜ an
 *   Ornstein–Uhlenbeck spread of a given half-life. JPM/C is the original demo pair, β drifting
 *   from 2.62 to 2.69 over its last five sessions; BAC/WFC, GS/MS and USB/PNC hold β fixed.
 *   Every pair not listed there is not cointegrated.
 *
 * The last five sessions of JPM and C are bit for bit the demo's original five sessions: they are
 * generated exactly as before (streams 3 and 4), and the 25 sessions before them are walked
 * backwards from their first bar on new streams (the OU spread is time-reversible, so walking it
 * backwards from a stationary value gives the same law). Every other ticker comes from new
 * streams. Each series ends exactly at its last close (the daily demo's close where it has one).
 */
import type { Kernels } from './kernels.ts';
import { normals } from './random/draws.ts';
import type { BarTable } from './types.ts';
import { BARS_PER_SESSION, MINUTE_BARS_PER_YEAR, MS_PER_DAY } from './units.ts';

/** The original demo pair: JPM on C, with its hedge-ratio drift and OU spread. */
export const PAIR = {
  y: 'JPM',
  x: 'C',
  betaStart: 2.62,
  betaEnd: 2.69,
  /** Half-life of the spread's mean reversion, in bars. */
  spreadHalfLifeBars: 30,
  /** Stationary standard deviation of the spread, dollars. */
  spreadStd: 0.15,
  /** Annual vol of C's 1-minute log returns. */
  annualVolX: 0.3,
} as const;

/** The sessions of the original JPM/C bars: the last five of {@link DEMO_SESSIONS}. */
export const PAIR_SESSIONS = 5;

/** One random-walk leg of the banking universe (C is the factor itself; see the module comment). */
export interface BankLeg {
  ticker: string;
  /** Close of the last bar, dollars. */
  lastClose: number;
  /** Annual volatility of its 1-minute log returns (252 × 390 bars a year). */
  annualVol: number;
  /** Correlation of its minute log return with the bank factor (C's). */
  factorLoading: number;
}

/** A pair cointegrated by construction: y = β·x + α + s, s an OU spread. */
export interface CointegratedSpec {
  y: string;
  x: string;
  /** β: fixed, except JPM/C's, which is 2.62 until its last five sessions and then drifts to 2.69. */
  beta: number;
  /** Half-life of the spread's mean reversion, bars. */
  halfLifeBars: number;
  /** Stationary standard deviation of the spread, dollars. */
  spreadStd: number;
  /** Close of y's last bar, dollars (α is set so that y ends there). */
  lastClose: number;
}

/** The banking universe, in the bar table's column order (y legs right before their x legs). */
export const DEMO_BANKS = ['JPM', 'C', 'BAC', 'WFC', 'GS', 'MS', 'USB', 'PNC', 'TFC', 'SCHW'] as const;

/**
 * The random-walk legs besides C. MS ends at the daily demo's close; the others at plausible
 * late-2026 levels.
 */
export const DEMO_BANK_LEGS: readonly BankLeg[] = [
  { ticker: 'WFC', lastClose: 88.6, annualVol: 0.27, factorLoading: 0.65 },
  { ticker: 'MS', lastClose: 180.74, annualVol: 0.3, factorLoading: 0.7 },
  { ticker: 'PNC', lastClose: 206.5, annualVol: 0.25, factorLoading: 0.65 },
  { ticker: 'TFC', lastClose: 47.9, annualVol: 0.32, factorLoading: 0.6 },
  { ticker: 'SCHW', lastClose: 98.2, annualVol: 0.33, factorLoading: 0.55 },
];

/**
 * The pairs cointegrated by construction, with different half-lives (JPM/C's is {@link PAIR}).
 * Spread sizes are about 5 bp of y's price; JPM and GS end at the daily demo's closes.
 */
export const DEMO_COINTEGRATED: readonly CointegratedSpec[] = [
  { y: 'JPM', x: 'C', beta: PAIR.betaStart, halfLifeBars: PAIR.spreadHalfLifeBars, spreadStd: PAIR.spreadStd, lastClose: 318.22 },
  { y: 'BAC', x: 'WFC', beta: 0.59, halfLifeBars: 15, spreadStd: 0.03, lastClose: 52.4 },
  { y: 'GS', x: 'MS', beta: 4.6, halfLifeBars: 60, spreadStd: 0.5, lastClose: 914.14 },
  { y: 'USB', x: 'PNC', beta: 0.23, halfLifeBars: 45, spreadStd: 0.03, lastClose: 51.3 },
];

/** C's last close (the daily demo's). */
const C_LAST_CLOSE = 118.3;
/** A night's move is this many minutes' standard deviations. */
const OVERNIGHT_MULTIPLE = 8;
/** The first session of the bars: 30 weekdays before the daily series' last date, inclusive. */
export const DEMO_BARS_START = '2026-10-12';
const DEMO_BARS_END = '2026-11-20';

/**
 * Random streams of the bars (of the demo's seed). 3 and 4 are the original pair's; the daily
 * series use 1 and 2. Each use has its own stream, so every part is independent of the others.
 */
const STREAM = {
  barsX: 3,
  barsSpread: 4,
  /** C's shocks (the bank factor) before the original five sessions. */
  barsXEarly: 5,
  /** JPM/C's spread walked backwards before the original five sessions. */
  barsSpreadEarly: 6,
  /** Idiosyncratic shocks of the random-walk legs, in `DEMO_BANK_LEGS` order. */
  legs: [7, 8, 9, 10, 11],
  /** Spreads of the other cointegrated pairs, in `DEMO_COINTEGRATED` order from the second. */
  spreads: [12, 13, 14],
} as const;

/** What the generating process was, for tests and the Alpha module's "true β". */
export interface DemoBarsTruth {
  /** JPM/C's hedge ratio βₜ, one per bar. */
  hedgeRatio: Float64Array;
  /** JPM/C's OU spread sₜ = JPM − βₜ·C − α, one per bar. */
  spread: Float64Array;
  /** JPM/C's intercept α, dollars. */
  alpha: number;
  /** Every pair cointegrated by construction, with its α; all other pairs are not. */
  cointegrated: (CointegratedSpec & { alpha: number })[];
}

/** The sessions, 09:30–16:00 New York: the 30 weekdays ending on the daily series' last date. */
export function demoSessions(): string[] {
  const out: string[] = [];
  const last = Date.parse(`${DEMO_BARS_END}T00:00:00Z`);
  for (let t = Date.parse(`${DEMO_BARS_START}T00:00:00Z`); t <= last; t += MS_PER_DAY) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The demo's intraday sessions (see {@link demoSessions}). */
export const DEMO_SESSIONS: readonly string[] = demoSessions();

/**
 * New York's UTC offset in minutes on `date` (ISO) during a regular session: −240 (EDT) from the
 * second Sunday of March to the day before the first Sunday of November, −300 (EST) otherwise
 * (the US rule since 2007; both changes happen at 02:00, before any session).
 */
export function newYorkOffsetMinutes(date: string): number {
  const year = Number(date.slice(0, 4));
  const nthSunday = (month: number, n: number) => {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return Date.UTC(year, month, 1 + ((7 - first) % 7) + 7 * (n - 1));
  };
  const t = Date.parse(`${date}T00:00:00Z`);
  return t >= nthSunday(2, 2) && t < nthSunday(10, 1) ? -240 : -300;
}

/** `YYYY-MM-DDTHH:MM:SS±HH:MM` for epoch milliseconds shown at a fixed UTC offset (minutes). */
export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The bars of the banking universe and their truth, from the demo's `seed`. */
export function generateDemoBars(k: Kernels, seed: number): { bars: BarTable; truth: DemoBarsTruth } {
  const n = DEMO_SESSIONS.length * BARS_PER_SESSION;
  const pair = jpmOnC(k, seed, n);
  const closes = new Map<string, Float64Array>([
    ['JPM', pair.y],
    ['C', pair.x],
  ]);
  // The factor: C's standardised shock into each bar (with the night multiple), shared by all legs.
  const factor = pair.xShocks;
  DEMO_BANK_LEGS.forEach((leg, i) => {
    closes.set(leg.ticker, randomWalkLeg(k, leg, factor, seed, STREAM.legs[i], n));
  });
  const cointegrated: DemoBarsTruth['cointegrated'] = [{ ...DEMO_COINTEGRATED[0], alpha: pair.alpha }];
  DEMO_COINTEGRATED.slice(1).forEach((spec, i) => {
    const { y, alpha } = cointegratedLeg(k, spec, closes.get(spec.x)!, seed, STREAM.spreads[i], n);
    closes.set(spec.y, y);
    cointegrated.push({ ...spec, alpha });
  });
  const { timestamps, times } = sessionClock(n);
  const bars: BarTable = { timestamps, times, tickers: [...DEMO_BANKS], closes: DEMO_BANKS.map((t) => closes.get(t)!) };
  return { bars, truth: { hedgeRatio: pair.hedgeRatio, spread: pair.spread, alpha: pair.alpha, cointegrated } };
}

/** How many minutes' standard deviations the move into bar `t` is. */
function moveMultiple(t: number): number {
  return t % BARS_PER_SESSION === 0 ? OVERNIGHT_MULTIPLE : 1;
}

/**
 * JPM and C over `n` bars: the original five sessions (verbatim) as the last `PAIR_SESSIONS`,
 * walked backwards before them. Returns C's shock into each bar (index 0 unused) as the factor.
 */
function jpmOnC(k: Kernels, seed: number, n: number) {
  const last = originalPair(k, seed);
  const offset = n - last.x.length;
  const minuteVol = PAIR.annualVolX / Math.sqrt(MINUTE_BARS_PER_YEAR);
  const xEarly = normals(k, offset, seed, STREAM.barsXEarly);
  const spreadEarly = normals(k, offset, seed, STREAM.barsSpreadEarly);
  const xShocks = new Float64Array(n);
  xShocks.set(xEarly.subarray(1), 1);
  // The original block never used its first x shock: it becomes the night move into its first bar.
  xShocks.set(last.xShocks, offset);

  const x = new Float64Array(n);
  const spread = new Float64Array(n);
  const hedgeRatio = new Float64Array(n);
  x.set(last.x, offset);
  spread.set(last.spread, offset);
  hedgeRatio.set(last.hedgeRatio, offset);
  const phi = Math.pow(0.5, 1 / PAIR.spreadHalfLifeBars);
  const innovation = PAIR.spreadStd * Math.sqrt(1 - phi * phi);
  for (let t = offset; t >= 1; t--) {
    x[t - 1] = x[t] * Math.exp(-minuteVol * moveMultiple(t) * xShocks[t]);
    spread[t - 1] = phi * spread[t] + innovation * spreadEarly[t - 1];
  }
  const y = new Float64Array(n);
  y.set(last.y, offset);
  for (let t = 0; t < offset; t++) {
    hedgeRatio[t] = PAIR.betaStart;
    y[t] = hedgeRatio[t] * x[t] + last.alpha + spread[t];
  }
  return { x, y, hedgeRatio, spread, alpha: last.alpha, xShocks };
}

/**
 * The demo's original five sessions of JPM/C bars, computed exactly as they always were (do not
 * touch: tests pin their bits).
 */
function originalPair(k: Kernels, seed: number) {
  const bars = PAIR_SESSIONS * BARS_PER_SESSION;
  const minuteVol = PAIR.annualVolX / Math.sqrt(MINUTE_BARS_PER_YEAR);
  const xShocks = normals(k, bars, seed, STREAM.barsX);
  const spreadShocks = normals(k, bars, seed, STREAM.barsSpread);
  const xLast = C_LAST_CLOSE;
  const yLast = DEMO_COINTEGRATED[0].lastClose;

  // C: a log random walk ending at its last daily close, with a larger move across each night.
  const x = new Float64Array(bars);
  x[bars - 1] = xLast;
  for (let t = bars - 1; t >= 1; t--) {
    const overnight = t % BARS_PER_SESSION === 0 ? 8 : 1;
    x[t - 1] = x[t] * Math.exp(-minuteVol * overnight * xShocks[t]);
  }
  // β drifts linearly. Random wander in β would be multiplied by C's price (~$118) and swamp the
  // $0.15 spread, leaving the filter nothing tradeable to find.
  const hedgeRatio = new Float64Array(bars);
  for (let t = 0; t < bars; t++) hedgeRatio[t] = PAIR.betaStart + ((PAIR.betaEnd - PAIR.betaStart) * t) / (bars - 1);
  // The spread: an OU process sampled each minute, started from its stationary law.
  const phi = Math.pow(0.5, 1 / PAIR.spreadHalfLifeBars);
  const innovation = PAIR.spreadStd * Math.sqrt(1 - phi * phi);
  const spread = new Float64Array(bars);
  spread[0] = PAIR.spreadStd * spreadShocks[0];
  for (let t = 1; t < bars; t++) spread[t] = phi * spread[t - 1] + innovation * spreadShocks[t];
  // α makes JPM end exactly at its last daily close.
  const alpha = yLast - hedgeRatio[bars - 1] * xLast - spread[bars - 1];
  const y = new Float64Array(bars);
  for (let t = 0; t < bars; t++) y[t] = hedgeRatio[t] * x[t] + alpha + spread[t];
  y[bars - 1] = yLast;
  return { x, y, hedgeRatio, spread, alpha, xShocks };
}

/** A log random walk ending at `leg.lastClose`, loading on the factor `factor` (shock into bar t). */
function randomWalkLeg(k: Kernels, leg: BankLeg, factor: Float64Array, seed: number, stream: number, n: number): Float64Array {
  const own = normals(k, n, seed, stream);
  const minuteVol = leg.annualVol / Math.sqrt(MINUTE_BARS_PER_YEAR);
  const rho = leg.factorLoading;
  const idio = Math.sqrt(1 - rho * rho);
  const p = new Float64Array(n);
  p[n - 1] = leg.lastClose;
  for (let t = n - 1; t >= 1; t--) p[t - 1] = p[t] * Math.exp(-minuteVol * moveMultiple(t) * (rho * factor[t] + idio * own[t]));
  return p;
}

/** y = β·x + α + s with s a stationary OU spread; α puts y's last bar at `spec.lastClose`. */
function cointegratedLeg(k: Kernels, spec: CointegratedSpec, x: Float64Array, seed: number, stream: number, n: number) {
  const shocks = normals(k, n, seed, stream);
  const phi = Math.pow(0.5, 1 / spec.halfLifeBars);
  const innovation = spec.spreadStd * Math.sqrt(1 - phi * phi);
  const y = new Float64Array(n);
  let s = spec.spreadStd * shocks[0];
  y[0] = s;
  for (let t = 1; t < n; t++) {
    s = phi * s + innovation * shocks[t];
    y[t] = s;
  }
  const alpha = spec.lastClose - spec.beta * x[n - 1] - y[n - 1];
  for (let t = 0; t < n; t++) y[t] += spec.beta * x[t] + alpha;
  y[n - 1] = spec.lastClose;
  return { y, alpha };
}

/**
 * Timestamps of every bar: each session's 390 minutes from 09:30 at New York's offset that day.
 * The text is assembled from the session's date, the wall-clock minute and the offset (the same
 * string {@link isoWithOffset} gives, which a test checks): formatting 11,700 dates one by one
 * would cost more than generating all the prices.
 */
function sessionClock(n: number) {
  const timestamps: string[] = new Array(n);
  const times = new Float64Array(n);
  const two = (v: number) => String(v).padStart(2, '0');
  const minutes = Array.from({ length: BARS_PER_SESSION }, (_, m) => `${two(9 + Math.floor((30 + m) / 60))}:${two((30 + m) % 60)}:00`);
  let bar = 0;
  for (const day of DEMO_SESSIONS) {
    const offset = newYorkOffsetMinutes(day);
    const open = Date.parse(`${day}T09:30:00Z`) - offset * 60_000;
    const suffix = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
    for (let m = 0; m < BARS_PER_SESSION; m++, bar++) {
      times[bar] = open + m * 60_000;
      timestamps[bar] = `${day}T${minutes[m]}${suffix}`;
    }
  }
  return { timestamps, times };
}
