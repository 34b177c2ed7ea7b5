/**
 * VaR backtest of today's book (docs/conventions.md, "VaR backtest"), at 99%.
 *
 * For each date t of the aligned return series, the estimation window is the returns dated in
 * [t − lookback calendar days, t): strictly before t. Dates whose window holds fewer than
 * {@link MIN_WINDOW} returns are skipped. VaRₜ is the 1-day parametric VaR from the window's mean
 * (zero under drift `zero`) and sample covariance, the window's 1-day historical VaR, or (on
 * request, with fewer paths: {@link BACKTEST_MC_PATHS}) a 1-day Monte Carlo VaR from the window's
 * mean and covariance, each day drawing from its own random stream (seed, day index). The
 * realised P&L is Σᵢ Nᵢ·(exp(rₜ,ᵢ) − 1); an exception is P&L < −VaRₜ.
 *
 * With T days tested, x exceptions and p = 1 − c:
 * - Kupiec POF: LR = −2[(T−x)·ln(1−p) + x·ln p − (T−x)·ln(1−x/T) − x·ln(x/T)], χ²₁ (0·ln 0 = 0);
 * - Christoffersen independence: from the transition counts nᵢⱼ of the exception indicator over
 *   the T − 1 consecutive pairs, LR = −2[ln L(π) − ln L(π₀, π₁)], χ²₁;
 * - conditional coverage: the sum, χ²₂ (Christoffersen 1998).
 * The Basel zone counts the exceptions of the last 250 days tested: green ≤ 4, yellow 5–9,
 * red ≥ 10 (Basel Committee, 1996, "Supervisory framework for the use of backtesting", Table 2 —
 * the 99% / 250-day traffic light); fewer than 250 days tested is "insufficient data".
 */
import { normalCdf, normalQuantile } from '../stats/normal.ts';
import { quantileSorted } from './quantile.ts';
import { MS_PER_DAY } from '../units.ts';
import type { Drift } from './parametric.ts';
import type { Kernels } from '../kernels.ts';
import { AstraError, Messages } from '../errors.ts';
import { cholesky } from '../linalg/cholesky.ts';
import { normals } from '../random/draws.ts';

/** Fewest returns an estimation window needs for its date to be tested. */
export const MIN_WINDOW = 60;
/** Monte Carlo paths per tested day of a `montecarlo` backtest (a day needs far fewer than a report). */
export const BACKTEST_MC_PATHS = 1000;

/** The VaR model a backtest re-estimates each day. */
export type BacktestMethod = 'parametric' | 'historical' | 'montecarlo';
/** Days the Basel traffic light looks back over. */
export const ZONE_DAYS = 250;
/** Exceptions in {@link ZONE_DAYS} days: green up to 4, yellow up to 9, red from 10. */
export const ZONE_LIMITS = { green: 4, yellow: 9 } as const;

/** The traffic light. */
export type Zone = 'green' | 'yellow' | 'red' | 'insufficient data';

/** A likelihood-ratio test: the statistic and its p-value. */
export interface LrTest {
  lr: number;
  p: number;
}

/** What the backtest reports. */
export interface BacktestResult {
  method: BacktestMethod;
  /** Days tested. */
  observations: number;
  /** Days whose P&L was below −VaR. */
  exceptions: number;
  kupiec: LrTest;
  christoffersen: LrTest;
  conditional: LrTest;
  zone: Zone;
  /** Exceptions in the last 250 days tested (all of them when fewer were tested). */
  zoneExceptions: number;
  /** The tested dates, their VaR, realised P&L and whether each was an exception (for the chart). */
  series: { dates: string[]; var: Float64Array; pnl: Float64Array; exception: Uint8Array };
}

/** Survival function of χ² with 1 degree of freedom: P(X > x) = 2·Φ(−√x). */
export function chiSquare1Sf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x <= 0 ? 1 : 2 * normalCdf(-Math.sqrt(x));
}

/** Survival function of χ² with 2 degrees of freedom: P(X > x) = exp(−x/2). */
export function chiSquare2Sf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x <= 0 ? 1 : Math.exp(-x / 2);
}

/** x·ln y with 0·ln 0 = 0. */
function xlny(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/** Kupiec's proportion-of-failures test for `x` exceptions in `T` days at exception rate `p`. */
export function kupiec(T: number, x: number, p: number): LrTest {
  const lr = -2 * (xlny(T - x, 1 - p) + xlny(x, p) - xlny(T - x, 1 - x / T) - xlny(x, x / T));
  const clean = Math.max(0, lr);
  return { lr: clean, p: chiSquare1Sf(clean) };
}

/** Christoffersen's independence test from the exception indicator (0/1 per day tested). */
export function christoffersen(hits: ArrayLike<number>): LrTest {
  let n00 = 0;
  let n01 = 0;
  let n10 = 0;
  let n11 = 0;
  for (let t = 1; t < hits.length; t++) {
    const a = hits[t - 1];
    const b = hits[t];
    if (a === 0) b === 0 ? n00++ : n01++;
    else b === 0 ? n10++ : n11++;
  }
  const pi0 = n00 + n01 > 0 ? n01 / (n00 + n01) : 0;
  const pi1 = n10 + n11 > 0 ? n11 / (n10 + n11) : 0;
  const pi = (n01 + n11) / Math.max(1, n00 + n01 + n10 + n11);
  const restricted = xlny(n00 + n10, 1 - pi) + xlny(n01 + n11, pi);
  const unrestricted = xlny(n00, 1 - pi0) + xlny(n01, pi0) + xlny(n10, 1 - pi1) + xlny(n11, pi1);
  const lr = Math.max(0, -2 * (restricted - unrestricted));
  return { lr, p: chiSquare1Sf(lr) };
}

/** The Basel zone of `exceptions` in the last 250 days, given how many days were tested. */
export function baselZone(exceptions: number, observations: number): Zone {
  if (observations < ZONE_DAYS) return 'insufficient data';
  return exceptions <= ZONE_LIMITS.green ? 'green' : exceptions <= ZONE_LIMITS.yellow ? 'yellow' : 'red';
}

/** Inputs of {@link backtestVar}. */
export interface BacktestInputs {
  /** Daily log returns of the whole aligned history, asset-major n×T. */
  returns: ArrayLike<number>;
  /** The T return dates (ISO, increasing). */
  dates: readonly string[];
  /** n notionals, money (the book held fixed). */
  notionals: ArrayLike<number>;
  /** Estimation window, calendar days. */
  lookback: number;
  /** Default 0.99, the level the traffic light is defined for. */
  confidence?: number;
  /** Default `parametric`. `montecarlo` needs `kernels`. */
  method?: BacktestMethod;
  /** The wasm kernels (Cholesky, normal draws) for the `montecarlo` method. */
  kernels?: Kernels;
  /** Paths per day for `montecarlo`, default {@link BACKTEST_MC_PATHS}. */
  paths?: number;
  /** Seed for `montecarlo` (day t draws from stream t). Default 1. */
  seed?: number;
  /** Default `mean`. */
  drift?: Drift;
}

/** Run the backtest (see the module comment). */
export function backtestVar(input: BacktestInputs): BacktestResult {
  const { returns, dates, notionals, lookback } = input;
  const c = input.confidence ?? 0.99;
  const method = input.method ?? 'parametric';
  const n = notionals.length;
  const T = dates.length;
  if (method === 'montecarlo' && !input.kernels) throw new AstraError('BAD_INPUT', Messages.badValue('backtest method', 'montecarlo', 'given the wasm kernels'));
  const time = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  // Per day: the linear P&L Nᵀr (whose window mean and variance are μᵀN and NᵀSN) and the realised P&L.
  const linear = new Float64Array(T);
  const realised = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    const N = notionals[i];
    for (let t = 0; t < T; t++) {
      const r = returns[i * T + t];
      linear[t] += N * r;
      realised[t] += N * Math.expm1(r);
    }
  }
  const z = normalQuantile(c);
  const tested: string[] = [];
  const vars: number[] = [];
  const pnls: number[] = [];
  const hits: number[] = [];
  // The historical window's P&L kept sorted as it slides: one insert and a few removals a day
  // instead of a sort per day.
  const sorted = new SortedWindow(T);
  let start = 0;
  for (let t = 0; t < T; t++) {
    const from = time[t] - lookback * MS_PER_DAY;
    while (start < t && time[start] < from) {
      if (method === 'historical') sorted.remove(realised[start]);
      start++;
    }
    if (method === 'historical' && t > 0) sorted.insert(realised[t - 1]);
    const m = t - start; // returns dated in [t − lookback, t)
    if (m < MIN_WINDOW) continue;
    let v: number;
    if (method === 'parametric') {
      let mean = 0;
      for (let s = start; s < t; s++) mean += linear[s];
      mean /= m;
      let ss = 0;
      for (let s = start; s < t; s++) ss += (linear[s] - mean) * (linear[s] - mean);
      const sd = Math.sqrt(ss / (m - 1));
      v = -(input.drift === 'zero' ? 0 : mean) + z * sd;
    } else if (method === 'historical') {
      v = -quantileSorted(sorted.view(), 1 - c);
    } else {
      v = monteCarloDayVar(input, start, t, T, c, t);
    }
    tested.push(dates[t]);
    vars.push(v);
    pnls.push(realised[t]);
    hits.push(realised[t] < -v ? 1 : 0);
  }
  const observations = tested.length;
  const exceptions = hits.reduce((a, b) => a + b, 0);
  const pof = kupiec(observations, exceptions, 1 - c);
  const ind = christoffersen(hits);
  const lr = pof.lr + ind.lr;
  const zoneExceptions = hits.slice(-ZONE_DAYS).reduce((a, b) => a + b, 0);
  return {
    method,
    observations,
    exceptions,
    kupiec: pof,
    christoffersen: ind,
    conditional: { lr, p: chiSquare2Sf(lr) },
    zone: baselZone(zoneExceptions, observations),
    zoneExceptions,
    series: { dates: tested, var: Float64Array.from(vars), pnl: Float64Array.from(pnls), exception: Uint8Array.from(hits) },
  };
}

/** A multiset of numbers kept in ascending order in one buffer (binary search + a block move). */
class SortedWindow {
  readonly #values: Float64Array;
  #size = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(Math.max(1, capacity));
  }

  /** The values, ascending (a view: valid until the next change). */
  view(): Float64Array {
    return this.#values.subarray(0, this.#size);
  }

  /** First index whose value is ≥ x. */
  #lowerBound(x: number): number {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#values[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(x: number): void {
    const i = this.#lowerBound(x);
    this.#values.copyWithin(i + 1, i, this.#size);
    this.#values[i] = x;
    this.#size++;
  }

  /** Remove one occurrence of x (which must be present). */
  remove(x: number): void {
    const i = this.#lowerBound(x);
    this.#values.copyWithin(i, i + 1, this.#size);
    this.#size--;
  }
}

/**
 * The 1-day Monte Carlo VaR of day `t` from the returns of days [start, t): the window's mean (0
 * under drift `zero`) and sample covariance, r = μ + L·z for `paths` draws from stream (seed, t),
 * P&L = Σ Nᵢ·(exp(rᵢ) − 1), VaR = −(1 − c) quantile.
 */
function monteCarloDayVar(input: BacktestInputs, start: number, t: number, T: number, c: number, day: number): number {
  const k = input.kernels as Kernels;
  const { returns, notionals } = input;
  const n = notionals.length;
  const m = t - start;
  const mean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let u = start; u < t; u++) s += returns[i * T + u];
    mean[i] = s / m;
  }
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let u = start; u < t; u++) s += (returns[i * T + u] - mean[i]) * (returns[j * T + u] - mean[j]);
      cov[i * n + j] = cov[j * n + i] = s / (m - 1);
    }
  }
  const lower = cholesky(k, cov, n, `covariance of the backtest window before ${input.dates[day]}`);
  const paths = input.paths ?? BACKTEST_MC_PATHS;
  const z = normals(k, paths * n, input.seed ?? 1, day);
  const pnl = new Float64Array(paths);
  const drift = input.drift === 'zero' ? null : mean;
  for (let p = 0; p < paths; p++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let r = drift ? drift[i] : 0;
      for (let j = 0; j <= i; j++) r += lower[i * n + j] * z[p * n + j];
      sum += notionals[i] * Math.expm1(r);
    }
    pnl[p] = sum;
  }
  return -quantileSorted(pnl.sort(), 1 - c);
}
