/**
 * Monte Carlo VaR and ES of a buy-and-hold book (docs/kernels.md, "Monte Carlo VaR").
 *
 * Each path draws H days of daily log returns r = μ + L·z (L the Cholesky factor of the daily
 * covariance, z standard normal; μ the daily mean under drift `mean`, 0 under `zero`). Its P&L on
 * day d is Σᵢ Nᵢ·(exp(Σ_{t≤d} rₜ,ᵢ) − 1). VaR at confidence c is minus the (1 − c) quantile of the
 * P&L at the horizon (numpy's linear interpolation), ES minus the mean of the P&L at or below it.
 *
 * Two methods, each exact in distribution at the horizon, each with its own draws:
 * - `paths` (default) walks every day: it gives the path-dependent outputs (the worst loss inside
 *   the horizon, the chance of breaching a limit before it) and a shorter horizon re-uses exactly
 *   the first days of a longer one. Its paths come in antithetic pairs (path j of a block draws z,
 *   path half + j uses −z; see {@link antitheticHalf}): each path is exactly the model, and a pair
 *   costs about one path's draws and exponentials;
 * - `terminal` draws the horizon directly, S = H·μ + √H·L·z: H times fewer draws, no path outputs;
 *   its paths are paired the same way (the mirror's shock is the exact negation of its partner's).
 *
 * Work is cut into blocks of {@link MC_BLOCK_PATHS} paths; block b draws from random stream
 * (seed, b), so a result depends on the seed and the inputs only — never on how many workers ran
 * the blocks or in which order they finished. The pieces a worker pool needs:
 *
 *   const plan = planMonteCarlo(k, inputs);                       // validate, factor, cut into blocks
 *   const results = plan.blocks.map((b) => monteCarloBlock(k, b)); // any worker, any order
 *   let out = combineMonteCarlo(plan, results);                    // in block order
 *   if (out.rerun) out = combineMonteCarlo(plan, results, out.rerun.map((b) => monteCarloBlock(k, b)));
 *
 * {@link runMonteCarlo} does exactly this on one `Kernels`. {@link MonteCarloScenarios} keeps the
 * draws (common random numbers) so that moving a notional, the confidence, the limit or the
 * horizon re-prices the same scenarios instead of drawing new ones.
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { toSeed } from '../kernels.ts';
import { checkSquare, cholesky, MAX_DIMENSION } from '../linalg/cholesky.ts';
import { DEFAULT_EQUITY, checkEquity } from '../book/book.ts';
import type { Drift } from './parametric.ts';

/**
 * Paths per block. Part of a result's definition: changing it changes the numbers. 2,500 makes the
 * default 5,000 paths two equal blocks, one per core of a two-worker pool.
 */
export const MC_BLOCK_PATHS = 2500;
export const DEFAULT_MC_PATHS = 5000;
export const DEFAULT_MC_HORIZON = 10;
export const DEFAULT_MC_CONFIDENCE = 0.99;
/** Most paths accepted (memory is a few arrays of this length, never paths × days × assets). */
export const MAX_MC_PATHS = 5_000_000;
/** Longest horizon accepted, trading days (ten years). */
export const MAX_MC_HORIZON = 2520;
/** Largest scenario cache kept for common random numbers, in f64 values (32 MB). */
export const MAX_CACHED_VALUES = 2 ** 22;
/** Most tail rows (paths × assets, f64 values) blocks return for the contributions (16 MB). */
export const MAX_ROW_VALUES = 2 ** 21;

/** 97.5% standard normal quantile. */
const Z975 = 1.959963984540054;

export type MonteCarloMethod = 'paths' | 'terminal';

/** The market the scenarios are drawn from. Arrays in one ticker order. */
export interface MonteCarloMarket {
  /** n×n row-major daily covariance of log returns (only the lower triangle is read). */
  covDaily: ArrayLike<number>;
  /** n daily mean log returns (used under drift `mean`). */
  meanDaily: ArrayLike<number>;
  /** Default `mean`. */
  drift?: Drift;
  /** Names of the n assets, for error messages. */
  tickers?: readonly string[];
}

/** How the scenarios are drawn. */
export interface MonteCarloSimulation {
  /** Non-negative safe integer; the same seed gives the same numbers everywhere. */
  seed: number;
  /** Default 5,000; 2 … {@link MAX_MC_PATHS}. */
  paths?: number;
  /** Trading days, default 10; 1 … {@link MAX_MC_HORIZON}. */
  horizon?: number;
  /** Default `paths`. */
  method?: MonteCarloMethod;
}

/** The book priced on the scenarios and what to report. */
export interface MonteCarloBook {
  /** n notionals, money (shares × price; shorts negative). */
  notionals: ArrayLike<number>;
  /** c in (0, 1), default 0.99. */
  confidence?: number;
  /**
   * Re-pricing horizon for {@link MonteCarloScenarios.price}: ≤ the simulated horizon under
   * `paths` (the first days of the same paths), any horizon under `terminal`. Default: the
   * simulated one.
   */
  horizon?: number;
  /** Money loss limit for `breachProbability` (≥ 0). Default: the Monte Carlo VaR itself. */
  limit?: number;
  /** For `varPct`/`esPct`; default {@link DEFAULT_EQUITY}. */
  equity?: number;
  /** Worst loss and breach probability (`paths` method only). Default true; false skips the day-by-day P&L. */
  pathOutputs?: boolean;
}

/** Everything one run needs. */
export type MonteCarloInputs = MonteCarloMarket & MonteCarloSimulation & Omit<MonteCarloBook, 'horizon'>;

/** Monte Carlo VaR, ES and the path-dependent figures of one book (money unless stated). */
export interface MonteCarloResult {
  method: MonteCarloMethod;
  drift: Drift;
  paths: number;
  horizon: number;
  confidence: number;
  seed: number;
  /** Blocks of {@link MC_BLOCK_PATHS} paths the run was cut into. */
  blocks: number;
  /** −(1 − c) quantile of the P&L at the horizon. */
  var: number;
  /** −mean of the P&L at or below that quantile. */
  es: number;
  /** VaR and ES as fractions of equity (0.021 = 2.1%). */
  varPct: number;
  esPct: number;
  equity: number;
  /** The (1 − c) quantile of P&L itself. */
  quantile: number;
  /** Scenarios at or below the quantile (the ES average's size). */
  tailCount: number;
  /**
   * Monte Carlo standard errors. VaR: half the width of the distribution-free 95% order-statistic
   * interval over 1.96 (NaN when there are too few tail scenarios for that interval); ES: the
   * delta-method error sd((q − X)⁺)/((1 − c)·√paths).
   */
  se: { var: number; es: number };
  /** 95% intervals: VaR from the binomial order statistics (±∞ when a rank is out of range), ES ± 1.96·se. */
  ci95: { var: [number, number]; es: [number, number] };
  /**
   * `paths` method: minus the (1 − c) quantile of each path's lowest P&L over days 1…H — the loss
   * that, at confidence c, the book does not exceed on any day up to the horizon (≥ VaR). Null
   * under `terminal` or `pathOutputs: false`.
   */
  worstLossInHorizon: number | null;
  /** Share of paths whose P&L is ≤ −limit on some day 1…H. Null as above. */
  breachProbability: number | null;
  /** The limit `breachProbability` used (the VaR unless given). Null as above. */
  limit: number | null;
  /** Per-asset Euler contributions: each sums to its total (VaR, ES). */
  contributions: { var: Float64Array; es: Float64Array };
}

// ---------------------------------------------------------------------------------------------
// Blocks: what a worker runs.

/** One block of paths: everything a worker needs, structured-clone friendly. */
export interface MonteCarloBlockArgs {
  method: MonteCarloMethod;
  seed: number;
  /** Block index = its random stream. */
  block: number;
  /** First path of the block (global index). */
  start: number;
  /** Paths in the block (≤ MC_BLOCK_PATHS). */
  paths: number;
  /** Days to simulate (paths), or the horizon the shocks are scaled to (terminal). */
  horizon: number;
  n: number;
  /** L, n×n row-major (only the lower triangle is read). */
  lower: Float64Array;
  /** n daily drifts (zeros under drift `zero`). */
  drift: Float64Array;
  /** n notionals (zeros when only building a scenario cache). */
  notionals: Float64Array;
  /** How many of its lowest-P&L paths the block returns per-asset values for (0 = none). */
  keepRows: number;
  /**
   * Second pass for the contributions, when the kept rows did not reach far enough: the block
   * returns the per-asset P&L sums over its paths in the ES tail and the VaR band instead.
   */
  sums: { quantile: number; bandLow: number; bandHigh: number } | null;
  /** Return the scenario cache (E per day, asset and path; or the terminal shocks). */
  cache: boolean;
  /** Return each path's lowest P&L over the days (`paths` method). */
  pathOutputs: boolean;
}

/** Per-asset P&L sums of a block over the ES tail and over the VaR band. */
export interface ContributionSums {
  tail: Float64Array;
  tailCount: number;
  band: Float64Array;
  bandCount: number;
}

/** What a block answers. Arrays are the caller's (a pool may transfer them). */
export interface MonteCarloBlockResult {
  block: number;
  start: number;
  paths: number;
  /** P&L at the horizon, per path of the block. */
  terminal: Float64Array;
  /** Lowest P&L over days 1…H per path, or null. */
  worst: Float64Array | null;
  /** In-block indices (ascending) of the paths whose per-asset values are in `rowValues`. */
  rowIndex: Int32Array;
  /** rowIndex.length × n: expm1 of each asset's cumulative log return at the horizon. */
  rowValues: Float64Array;
  /** Every path of the block with P&L < rowsBelow is among the rows (+∞: all, −∞: none). */
  rowsBelow: number;
  /** Second-pass sums (when `sums` was asked), else null. */
  sums: ContributionSums | null;
  /** The block's scenario cache (see {@link MonteCarloBlockArgs.cache}), else null. */
  cache: Float64Array | null;
}

const pad4 = (x: number) => (x + 3) & ~3;

/**
 * Row stride (f64) of a kernel array over `count` paths: rounded up to 4, plus one cache line. A
 * stride of 2048 puts every row of z, S and E in the same L1 set (8 ways), and the 4 × 4 blocks
 * touch 20-odd rows at once; the extra line spreads them (measured 8–10% faster). Padding lanes
 * are never drawn for and never read.
 */
export const rowStride = (count: number) => pad4(count) + 8;

/**
 * Base paths of a `paths`-method block of `paths` paths: ⌈paths/4⌉·2. Path j < half draws z and
 * path half + j uses −z (its antithetic mirror); 2·half ≥ paths, and the at most three mirrors
 * past `paths` are dropped.
 */
export const antitheticHalf = (paths: number) => ((paths + 3) >> 2) << 1;

function padLower(lower: ArrayLike<number>, n: number, n4: number): Float64Array {
  const out = new Float64Array(n4 * n4);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[i * n4 + j] = lower[i * n + j];
  return out;
}

function padVector(v: ArrayLike<number>, n4: number): Float64Array {
  const out = new Float64Array(n4);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}

/**
 * Run one block on `k` (pure in its argument: the same args give the same result on any worker).
 * @throws AstraError from the kernel's status (bad sizes, non-finite inputs).
 */
export function monteCarloBlock(k: Kernels, a: MonteCarloBlockArgs): MonteCarloBlockResult {
  const { n, paths: B } = a;
  const n4 = pad4(n);
  const stride = rowStride(B);
  const seed = toSeed(a.seed);
  const stream = toSeed(a.block, 'block');
  const x = k.exports;
  k.reset();
  const lower = k.putF64(padLower(a.lower, n, n4));
  const drift = k.putF64(padVector(a.drift, n4));
  const notionals = k.putF64(padVector(a.notionals, n4));
  const packed = k.allocF64(n4 * n4);
  const rowBytes = n * stride;
  let status: number;
  let eLast: number;
  let pnl: number;
  let worst = 0;
  let cachePtr = 0;
  let cacheCount = 0;
  if (a.method === 'paths') {
    const halfStride = rowStride(antitheticHalf(B));
    const zHalf = k.allocF64(n4 * halfStride);
    const y = k.allocF64(n4 * halfStride);
    const consts = k.allocF64(3 * n4);
    const g = k.allocF64(rowBytes);
    const cache = a.cache ? k.allocF64(a.horizon * rowBytes) : 0;
    const e = k.allocF64(rowBytes);
    pnl = k.allocF64(stride);
    worst = k.allocF64(stride);
    status = x.mcPathsBlock(
      lower, drift, notionals, n, n4, a.horizon, B, stride, halfStride, seed, stream, packed, zHalf, y, consts, g, cache, e, pnl, worst,
    );
    eLast = e;
    if (a.cache) [cachePtr, cacheCount] = [cache, a.horizon * rowBytes];
  } else {
    const z = k.allocF64(n4 * stride);
    const shock = k.allocF64(n4 * stride);
    const e = k.allocF64(rowBytes);
    pnl = k.allocF64(stride);
    status = x.mcTerminalBlock(lower, drift, notionals, n, n4, a.horizon, B, stride, seed, stream, packed, z, shock, e, pnl);
    eLast = e;
    if (a.cache) [cachePtr, cacheCount] = [shock, rowBytes];
  }
  k.check(status, 'Monte Carlo inputs');
  // Views only now: no allocation follows.
  return finishBlock(
    a,
    k.takeF64(pnl, B),
    a.method === 'paths' && a.pathOutputs ? k.takeF64(worst, B) : null,
    k.f64(eLast, rowBytes),
    stride,
    a.cache ? k.takeF64(cachePtr, cacheCount) : null,
  );
}

/**
 * The part of a block after the simulation, shared by the kernel run and the plain-TS baseline:
 * the kept rows (or the second pass's sums) from E at the horizon (`e`, n rows of `stride`).
 */
export function finishBlock(
  a: MonteCarloBlockArgs, terminal: Float64Array, worst: Float64Array | null, e: ArrayLike<number>, stride: number, cache: Float64Array | null,
): MonteCarloBlockResult {
  const { n, paths: B } = a;
  let rowIndex = new Int32Array(0);
  let rowValues = new Float64Array(0);
  let rowsBelow = -Infinity;
  let sums: ContributionSums | null = null;
  if (a.sums) {
    sums = newSums(n);
    const { quantile, bandLow, bandHigh } = a.sums;
    for (let j = 0; j < B; j++) addPath(sums, terminal[j], quantile, bandLow, bandHigh, a.notionals, e, j, stride);
  } else if (a.keepRows > 0) {
    rowsBelow = a.keepRows >= B ? Infinity : lowestValues(terminal, a.keepRows + 1)[a.keepRows];
    let count = 0;
    for (let j = 0; j < B; j++) if (terminal[j] < rowsBelow) count++;
    rowIndex = new Int32Array(count);
    rowValues = new Float64Array(count * n);
    for (let j = 0, r = 0; j < B; j++) {
      if (!(terminal[j] < rowsBelow)) continue;
      rowIndex[r] = j;
      for (let i = 0; i < n; i++) rowValues[r * n + i] = e[i * stride + j];
      r++;
    }
  }
  return { block: a.block, start: a.start, paths: B, terminal, worst, rowIndex, rowValues, rowsBelow, sums, cache };
}

function newSums(n: number): ContributionSums {
  return { tail: new Float64Array(n), tailCount: 0, band: new Float64Array(n), bandCount: 0 };
}

/**
 * Add one path to the sums when its P&L `v` is in the ES tail (v ≤ q) or the VaR band. E of asset
 * i is values[offset + i·step]. The one place these sums are formed, so a block's kept rows, its
 * second pass and a cached re-pricing produce the same bits.
 */
function addPath(
  sums: ContributionSums, v: number, q: number, bandLow: number, bandHigh: number,
  notionals: ArrayLike<number>, values: ArrayLike<number>, offset: number, step: number,
): void {
  const inTail = v <= q;
  const inBand = v >= bandLow && v <= bandHigh;
  if (!inTail && !inBand) return;
  const n = sums.tail.length;
  if (inTail) {
    for (let i = 0; i < n; i++) sums.tail[i] += notionals[i] * values[offset + i * step];
    sums.tailCount++;
  }
  if (inBand) {
    for (let i = 0; i < n; i++) sums.band[i] += notionals[i] * values[offset + i * step];
    sums.bandCount++;
  }
}

/** Add a block's sums to the running total (blocks in order). */
function addSums(total: ContributionSums, part: ContributionSums): void {
  for (let i = 0; i < total.tail.length; i++) {
    total.tail[i] += part.tail[i];
    total.band[i] += part.band[i];
  }
  total.tailCount += part.tailCount;
  total.bandCount += part.bandCount;
}

// ---------------------------------------------------------------------------------------------
// Order statistics.

/**
 * Rearrange `a` so a[k] is its k-th smallest (0-based), smaller-or-equal values before it and
 * larger-or-equal after (Hoare's FIND with a median-of-three pivot; a sort finishes a range that
 * keeps failing to shrink). Finite values. Returns a[k].
 */
export function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  let rounds = 0;
  while (lo < hi) {
    if (++rounds > 64) {
      a.subarray(lo, hi + 1).sort();
      break;
    }
    const mid = (lo + hi) >>> 1;
    const x0 = a[lo];
    const x1 = a[mid];
    const x2 = a[hi];
    const pivot = x0 < x1 ? (x1 < x2 ? x1 : x0 < x2 ? x2 : x0) : x0 < x2 ? x0 : x1 < x2 ? x2 : x1;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return a[k];
}

/** Values a cutoff for {@link lowestValues} is estimated from. */
const CUTOFF_SAMPLE = 128;
/** Scratch for {@link lowestValues}'s gathered values (grown on demand, never shared across calls). */
let gathered = new Float64Array(0);

/** Sort ascending in place: insertion sort for the short arrays here (a typed array's `sort` costs µs of set-up). */
function sortSmall(a: Float64Array): Float64Array {
  if (a.length > 64) return a.sort();
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
  return a;
}

/**
 * The lowest `count` values of `values` (finite), ascending, without reordering `values`. When
 * they are a small share, a sample of {@link CUTOFF_SAMPLE} values places a cutoff a few standard
 * errors above the share, one pass gathers the values at or below it (a branch almost never
 * taken, so almost never mispredicted — a selection over every value mispredicts about half its
 * comparisons), and a selection among those finishes; if the cutoff falls short, the whole array
 * is selected instead. Either way the same values come back.
 */
export function lowestValues(values: Float64Array, count: number): Float64Array {
  const n = values.length;
  const k = Math.min(count, n);
  if (k <= 0) return new Float64Array(0);
  if (k * 8 <= n && n >= 8 * CUTOFF_SAMPLE) {
    const step = Math.floor(n / CUTOFF_SAMPLE);
    const sample = new Float64Array(CUTOFF_SAMPLE);
    for (let i = 0; i < CUTOFF_SAMPLE; i++) sample[i] = values[i * step];
    const share = (k / n) * CUTOFF_SAMPLE;
    const rank = Math.ceil(share + 4 * Math.sqrt(share) + 4);
    if (rank < CUTOFF_SAMPLE) {
      const cutoff = kthSmallest(sample, rank);
      if (gathered.length < n) gathered = new Float64Array(n);
      const below = gathered;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v <= cutoff) below[m++] = v;
      }
      // Too few: the sample's tail was unlucky. Too many: selecting them costs what a full selection would.
      if (m >= k && m <= 4 * (rank + 1) * step) {
        const picked = below.subarray(0, m);
        if (k < m) kthSmallest(picked, k - 1);
        return sortSmall(picked.slice(0, k));
      }
    }
  }
  const all = values.slice();
  if (k < n) kthSmallest(all, k - 1);
  return sortSmall(all.subarray(0, k));
}

/**
 * 0-based ranks [l, u] of the distribution-free 95% interval [x₍ₗ₎, x₍ᵤ₎] of the p-quantile of m
 * draws: the number K of draws below the quantile is Binomial(m, p); l is the largest rank with
 * P(K ≤ l) ≤ 0.025 and u the smallest with P(K ≤ u) ≥ 0.975, so the interval covers it with
 * probability ≥ 95%. Exact binomial sums while m·p/(1 − p) ≤ 600, else the normal approximation
 * with continuity correction. l may be −1 and u may be m (that side unbounded).
 */
export function binomialInterval(m: number, p: number): [number, number] {
  if (m * p / (1 - p) <= 600) {
    let pmf = Math.exp(m * Math.log1p(-p));
    let cdf = pmf;
    let l = -1;
    let k = 0;
    const ratio = p / (1 - p);
    while (cdf < 0.975 && k < m) {
      if (cdf <= 0.025) l = k;
      k++;
      pmf *= ((m - k + 1) / k) * ratio;
      cdf += pmf;
    }
    if (cdf <= 0.025) l = k;
    return [l, cdf >= 0.975 ? k : m];
  }
  const mean = m * p;
  const sd = Math.sqrt(m * p * (1 - p));
  return [Math.max(-1, Math.floor(mean - 0.5 - Z975 * sd)), Math.min(m, Math.ceil(mean - 0.5 + Z975 * sd))];
}

/** Ranks a run at confidence c over m paths reads: the quantile's, the interval's and the VaR band's. */
export interface QuantileRanks {
  /** h = (m − 1)(1 − c): the quantile interpolates x₍⌊h⌋₎ and x₍⌊h⌋+1₎. */
  h: number;
  lo: number;
  /** Order-statistic interval ranks (see {@link binomialInterval}). */
  ciLow: number;
  ciHigh: number;
  /** The VaR contributions average the paths from x₍bandLow₎ to x₍bandHigh₎. */
  bandLow: number;
  bandHigh: number;
  /** Largest rank any of these needs (< m). */
  last: number;
}

/**
 * The ranks of {@link QuantileRanks}. The VaR band holds the order statistics ⌊h⌋ − w … ⌊h⌋ + 1 + w
 * with w = max(1, ⌈√(m(1 − c))/2⌉): it widens like the square root of the tail's size, so its share
 * of the tail shrinks as paths grow (a consistent estimator of the conditional mean at the quantile).
 */
export function quantileRanks(m: number, confidence: number): QuantileRanks {
  const p = 1 - confidence;
  const h = (m - 1) * p;
  const lo = Math.floor(h);
  const [ciLow, ciHigh] = binomialInterval(m, p);
  const w = Math.max(1, Math.ceil(Math.sqrt(m * p) / 2));
  const bandLow = Math.max(0, lo - w);
  const bandHigh = Math.min(m - 1, lo + 1 + w);
  const last = Math.min(m - 1, Math.max(lo + 1, bandHigh, ciHigh));
  return { h, lo, ciLow, ciHigh, bandLow, bandHigh, last };
}

/** The (1 − c) quantile from the lowest values, sorted: exactly `quantileSorted` of the full sort. */
function quantileOf(sorted: Float64Array, m: number, r: QuantileRanks): number {
  if (r.lo >= m - 1) return sorted[m - 1];
  return sorted[r.lo] + (r.h - r.lo) * (sorted[r.lo + 1] - sorted[r.lo]);
}

interface TerminalStats {
  quantile: number;
  var: number;
  es: number;
  tailCount: number;
  seVar: number;
  seEs: number;
  ciVar: [number, number];
  ciEs: [number, number];
  bandLow: number;
  bandHigh: number;
}

/**
 * VaR, ES, their errors and intervals, and the band's P&L bounds, from the P&L at the horizon.
 * Only the lowest `ranks.last + 1` values are sorted (a selection finds them first); the ES sum
 * runs over them in ascending order — the same bits as `tailRiskSorted` of the full sort.
 */
function terminalStats(pnl: Float64Array, confidence: number, ranks: QuantileRanks): TerminalStats {
  return statsFromLowest(lowestValues(pnl, ranks.last + 1), pnl, pnl.length, confidence, ranks);
}

/**
 * {@link terminalStats} from the lowest values already sorted (`sorted`, at least `ranks.last + 1`
 * of the m values, ascending) and `all` the values (ties at the quantile beyond `sorted` are
 * counted there; pass `sorted` itself when every value past it is known to exceed the quantile).
 */
function statsFromLowest(sorted: Float64Array, all: Float64Array, m: number, confidence: number, ranks: QuantileRanks): TerminalStats {
  const p = 1 - confidence;
  const q = quantileOf(sorted, m, ranks);
  let sum = 0;
  let count = 0;
  let sumY = 0;
  let sumY2 = 0;
  for (let i = 0; i < sorted.length && sorted[i] <= q; i++) {
    sum += sorted[i];
    count++;
    const y = q - sorted[i];
    sumY += y;
    sumY2 += y * y;
  }
  if (count === sorted.length && count < m) {
    // Ties at the quantile beyond the sorted part: every other value ≤ q equals q.
    let atMost = 0;
    for (let i = 0; i < all.length; i++) if (all[i] <= q) atMost++;
    for (let extra = atMost - sorted.length; extra > 0; extra--) {
      sum += q;
      count++;
    }
  }
  const es = -sum / count;
  const meanY = sumY / m;
  const varY = Math.max(0, (sumY2 - m * meanY * meanY) / (m - 1));
  const seEs = Math.sqrt(varY / m) / p;
  const xLow = ranks.ciLow >= 0 ? sorted[ranks.ciLow] : -Infinity;
  const xHigh = ranks.ciHigh < m ? sorted[ranks.ciHigh] : Infinity;
  const seVar = Number.isFinite(xHigh - xLow) ? (xHigh - xLow) / (2 * Z975) : NaN;
  return {
    quantile: q,
    var: -q,
    es,
    tailCount: count,
    seVar,
    seEs,
    ciVar: [-xHigh, -xLow],
    ciEs: [es - Z975 * seEs, es + Z975 * seEs],
    bandLow: sorted[ranks.bandLow],
    bandHigh: sorted[ranks.bandHigh],
  };
}

/** Worst loss inside the horizon and the breach probability, from each path's lowest P&L. */
function pathStats(worst: Float64Array, confidence: number, limit: number): { worstLoss: number; breach: number } {
  const m = worst.length;
  const h = (m - 1) * (1 - confidence);
  const lo = Math.floor(h);
  const sorted = lowestValues(worst, Math.min(m, lo + 2));
  const q = lo >= m - 1 ? sorted[m - 1] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
  let breaches = 0;
  for (let j = 0; j < m; j++) if (worst[j] <= -limit) breaches++;
  return { worstLoss: -q, breach: breaches / m };
}

// ---------------------------------------------------------------------------------------------
// Validation.

const nameOf = (tickers: readonly string[] | undefined, i: number) => tickers?.[i] ?? `asset ${i + 1}`;

function checkVector(v: ArrayLike<number>, n: number, what: string, tickers: readonly string[] | undefined): Float64Array {
  if (v == null || typeof v.length !== 'number') throw new AstraError('BAD_INPUT', Messages.badValue(what, v, `an array of ${n} numbers`));
  if (v.length !== n) throw new AstraError('BAD_SIZE', Messages.mcLength(what, v.length, n));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new AstraError('NON_FINITE', Messages.mcNonFinite(what, nameOf(tickers, i), x), { index: i, ticker: nameOf(tickers, i) });
    }
    out[i] = x;
  }
  return out;
}

function checkInteger(what: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new AstraError('BAD_SIZE', Messages.badSize(what, value as number, `an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`));
  }
  return value;
}

function checkConfidence(c: unknown): number {
  if (typeof c !== 'number' || !(c > 0 && c < 1)) {
    throw new AstraError('BAD_INPUT', Messages.badValue('confidence', c, 'a number strictly between 0 and 1 (e.g. 0.99)'));
  }
  return c;
}

function checkLimit(limit: unknown): number | undefined {
  if (limit === undefined) return undefined;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue('limit', limit, 'a finite loss in money, 0 or more'));
  }
  return limit;
}

function checkChoice<T extends string>(what: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) throw new AstraError('BAD_INPUT', Messages.badValue(what, value, `one of ${choices.join(', ')}`));
  return value as T;
}

/** A validated market: the factor and drift the blocks use. */
interface PreparedMarket {
  n: number;
  lower: Float64Array;
  drift: Float64Array;
  driftName: Drift;
  tickers?: readonly string[];
}

function prepareMarket(k: Kernels, market: MonteCarloMarket): PreparedMarket {
  const mean = market.meanDaily;
  if (mean == null || typeof mean.length !== 'number') throw new AstraError('BAD_INPUT', Messages.badValue('daily mean', mean, 'an array of numbers'));
  const n = mean.length;
  if (n < 1 || n > MAX_DIMENSION) throw new AstraError('BAD_SIZE', Messages.badSize('number of assets', n, `an integer from 1 to ${MAX_DIMENSION}`));
  if (market.tickers !== undefined && market.tickers.length !== n) throw new AstraError('BAD_SIZE', Messages.mcLength('tickers', market.tickers.length, n));
  checkSquare(market.covDaily, n, 'daily covariance');
  const driftName = checkChoice<Drift>('drift', market.drift, ['mean', 'zero'], 'mean');
  const drift = driftName === 'zero' ? new Float64Array(n) : checkVector(mean, n, 'daily mean', market.tickers);
  const lower = cholesky(k, market.covDaily, n, 'daily covariance');
  return { n, lower, drift, driftName, tickers: market.tickers };
}

interface PreparedSimulation {
  seed: number;
  paths: number;
  horizon: number;
  method: MonteCarloMethod;
}

function prepareSimulation(sim: MonteCarloSimulation): PreparedSimulation {
  toSeed(sim.seed);
  return {
    seed: sim.seed,
    paths: checkInteger('paths', sim.paths ?? DEFAULT_MC_PATHS, 2, MAX_MC_PATHS),
    horizon: checkInteger('horizon', sim.horizon ?? DEFAULT_MC_HORIZON, 1, MAX_MC_HORIZON),
    method: checkChoice<MonteCarloMethod>('method', sim.method, ['paths', 'terminal'], 'paths'),
  };
}

interface PreparedBook {
  notionals: Float64Array;
  confidence: number;
  limit: number | undefined;
  equity: number;
  pathOutputs: boolean;
}

function prepareBook(book: Omit<MonteCarloBook, 'horizon'>, market: PreparedMarket): PreparedBook {
  const equity = book.equity ?? DEFAULT_EQUITY;
  checkEquity(equity);
  return {
    notionals: checkVector(book.notionals, market.n, 'notionals', market.tickers),
    confidence: checkConfidence(book.confidence ?? DEFAULT_MC_CONFIDENCE),
    limit: checkLimit(book.limit),
    equity,
    pathOutputs: book.pathOutputs ?? true,
  };
}

// ---------------------------------------------------------------------------------------------
// Plan, combine, run.

/** A validated run cut into blocks (see the module comment). */
export interface MonteCarloPlan {
  method: MonteCarloMethod;
  drift: Drift;
  seed: number;
  paths: number;
  horizon: number;
  confidence: number;
  equity: number;
  limit: number | undefined;
  pathOutputs: boolean;
  n: number;
  notionals: Float64Array;
  ranks: QuantileRanks;
  blocks: MonteCarloBlockArgs[];
}

/** Rows a block of `size` paths keeps so that, with overwhelming probability, it holds all of its paths up to the band's top. */
function rowsToKeep(size: number, share: number): number {
  const expected = share * size;
  return Math.min(size, Math.ceil(expected + 6 * Math.sqrt(expected) + 8));
}

function blockArgs(
  market: PreparedMarket, sim: PreparedSimulation, notionals: Float64Array, share: number, cache: boolean, pathOutputs: boolean,
): MonteCarloBlockArgs[] {
  const blocks: MonteCarloBlockArgs[] = [];
  const sizes: number[] = [];
  for (let start = 0; start < sim.paths; start += MC_BLOCK_PATHS) sizes.push(Math.min(MC_BLOCK_PATHS, sim.paths - start));
  const keep = sizes.map((size) => (share > 0 ? rowsToKeep(size, share) : 0));
  // Past the row budget, keep none: the contributions then come from a second pass of sums.
  const rows = keep.reduce((a, b) => a + b, 0) * market.n;
  for (let b = 0, start = 0; b < sizes.length; start += sizes[b], b++) {
    blocks.push({
      method: sim.method,
      seed: sim.seed,
      block: b,
      start,
      paths: sizes[b],
      horizon: sim.horizon,
      n: market.n,
      lower: market.lower,
      drift: market.drift,
      notionals,
      keepRows: rows <= MAX_ROW_VALUES ? keep[b] : 0,
      sums: null,
      cache,
      pathOutputs: sim.method === 'paths' && pathOutputs,
    });
  }
  return blocks;
}

/**
 * Validate the inputs, factor the covariance and cut the run into blocks.
 * @throws AstraError naming the bad input: `BAD_SIZE` (paths, horizon, lengths), `BAD_INPUT`
 *   (confidence, seed, limit, equity, method, drift), `NON_FINITE` (naming the ticker),
 *   `NOT_POSITIVE_DEFINITE` (the covariance row).
 */
export function planMonteCarlo(k: Kernels, inputs: MonteCarloInputs): MonteCarloPlan {
  const sim = prepareSimulation(inputs);
  const market = prepareMarket(k, inputs);
  const book = prepareBook(inputs, market);
  return makePlan(market, sim, book);
}

function makePlan(market: PreparedMarket, sim: PreparedSimulation, book: PreparedBook): MonteCarloPlan {
  const ranks = quantileRanks(sim.paths, book.confidence);
  const share = (ranks.bandHigh + 1) / sim.paths;
  return {
    method: sim.method,
    drift: market.driftName,
    seed: sim.seed,
    paths: sim.paths,
    horizon: sim.horizon,
    confidence: book.confidence,
    equity: book.equity,
    limit: book.limit,
    pathOutputs: sim.method === 'paths' && book.pathOutputs,
    n: market.n,
    notionals: book.notionals,
    ranks,
    blocks: blockArgs(market, sim, book.notionals, share, false, book.pathOutputs),
  };
}

/** Either the result, or the blocks to run again (for their contribution sums) before combining once more. */
export type MonteCarloCombined =
  | { result: MonteCarloResult; rerun?: undefined }
  | { result?: undefined; rerun: MonteCarloBlockArgs[] };

/**
 * Combine block results, given in block order (index b holds block b), into the run's figures.
 * When a block's kept rows do not reach the VaR band's top (rare: the tail bunched in one
 * block), it answers `{ rerun }`: run those blocks and call again with their results as
 * `reruns`. The figures do not depend on whether that happened.
 */
export function combineMonteCarlo(
  plan: MonteCarloPlan, results: readonly MonteCarloBlockResult[], reruns: readonly MonteCarloBlockResult[] = [],
): MonteCarloCombined {
  if (results.length !== plan.blocks.length) throw new AstraError('BAD_SIZE', Messages.mcBlocks(results.length, plan.blocks.length));
  const worst = plan.pathOutputs ? new Float64Array(plan.paths) : null;
  // Every path with P&L below the lowest `rowsBelow` is among the kept rows of its block.
  let below = Infinity;
  results.forEach((r, b) => {
    const args = plan.blocks[b];
    if (r.block !== b || r.paths !== args.paths || r.start !== args.start) throw new AstraError('BAD_INPUT', Messages.mcBlockOrder(b, r.block));
    if (worst) {
      if (!r.worst) throw new AstraError('BAD_INPUT', Messages.mcBlockOrder(b, r.block));
      worst.set(r.worst, r.start);
    }
    below = Math.min(below, r.rowsBelow);
  });
  const stats = lowestFromRows(plan, results, below) ?? terminalStats(concatTerminal(plan, results), plan.confidence, plan.ranks);
  const top = Math.max(stats.bandHigh, stats.quantile);
  const total = newSums(plan.n);
  const rerun: MonteCarloBlockArgs[] = [];
  for (const r of results) {
    if (top < r.rowsBelow) {
      const part = newSums(plan.n);
      for (let i = 0; i < r.rowIndex.length; i++) {
        addPath(part, r.terminal[r.rowIndex[i]], stats.quantile, stats.bandLow, stats.bandHigh, plan.notionals, r.rowValues, i * plan.n, 1);
      }
      addSums(total, part);
      continue;
    }
    const again = reruns.find((x) => x.block === r.block)?.sums;
    if (again) addSums(total, again);
    else rerun.push({ ...plan.blocks[r.block], keepRows: 0, sums: { quantile: stats.quantile, bandLow: stats.bandLow, bandHigh: stats.bandHigh } });
  }
  if (rerun.length > 0) return { rerun };
  return { result: finish(plan, stats, worst, total) };
}

function concatTerminal(plan: MonteCarloPlan, results: readonly MonteCarloBlockResult[]): Float64Array {
  const terminal = new Float64Array(plan.paths);
  for (const r of results) terminal.set(r.terminal, r.start);
  return terminal;
}

/**
 * The statistics from the kept rows alone, when they hold the lowest `ranks.last + 1` values of
 * the whole run (every value below `below` is kept, so if enough are, they are the lowest): a
 * sort of a few thousand values instead of a selection over every path. The same bits as
 * {@link terminalStats} — the same values, sorted, summed in the same order. Undefined otherwise.
 */
function lowestFromRows(plan: MonteCarloPlan, results: readonly MonteCarloBlockResult[], below: number): TerminalStats | undefined {
  let count = 0;
  for (const r of results) for (let i = 0; i < r.rowIndex.length; i++) if (r.terminal[r.rowIndex[i]] < below) count++;
  if (count < plan.ranks.last + 1) return undefined;
  const lowest = new Float64Array(count);
  let at = 0;
  for (const r of results) {
    for (let i = 0; i < r.rowIndex.length; i++) {
      const v = r.terminal[r.rowIndex[i]];
      if (v < below) lowest[at++] = v;
    }
  }
  lowest.sort();
  // The quantile is at most the (last + 1)-th lowest, below `below`: no tie of it lies outside.
  return statsFromLowest(lowest, lowest, plan.paths, plan.confidence, plan.ranks);
}

function finish(plan: MonteCarloPlan, stats: TerminalStats, worst: Float64Array | null, sums: ContributionSums): MonteCarloResult {
  const n = plan.n;
  const varC = new Float64Array(n);
  const esC = new Float64Array(n);
  let raw = 0;
  for (let i = 0; i < n; i++) {
    varC[i] = -sums.band[i] / sums.bandCount;
    raw += varC[i];
    esC[i] = -sums.tail[i] / sums.tailCount;
  }
  // The band's mean loss is close to VaR but not equal: rescale so the parts sum to VaR.
  if (raw !== 0 && Number.isFinite(raw)) {
    const scale = stats.var / raw;
    for (let i = 0; i < n; i++) varC[i] *= scale;
  } else {
    varC.fill(stats.var / n);
  }
  let worstLoss: number | null = null;
  let breach: number | null = null;
  let limit: number | null = null;
  if (worst) {
    limit = plan.limit ?? stats.var;
    const p = pathStats(worst, plan.confidence, limit);
    worstLoss = p.worstLoss;
    breach = p.breach;
  }
  return {
    method: plan.method,
    drift: plan.drift,
    paths: plan.paths,
    horizon: plan.horizon,
    confidence: plan.confidence,
    seed: plan.seed,
    blocks: plan.blocks.length,
    var: stats.var,
    es: stats.es,
    varPct: stats.var / plan.equity,
    esPct: stats.es / plan.equity,
    equity: plan.equity,
    quantile: stats.quantile,
    tailCount: stats.tailCount,
    se: { var: stats.seVar, es: stats.seEs },
    ci95: { var: stats.ciVar, es: stats.ciEs },
    worstLossInHorizon: worstLoss,
    breachProbability: breach,
    limit,
    contributions: { var: varC, es: esC },
  };
}

/**
 * A plan's figures from every path at once: P&L at the horizon (`terminal`, `plan.paths`), each
 * path's lowest P&L (or null) and E at the horizon (n rows of `stride`, path j at column j). What
 * re-pricing does after its kernel; the contribution sums still go block by block, so the bits
 * equal those of the blocks' combine.
 */
export function summarizeDense(
  plan: MonteCarloPlan, terminal: Float64Array, worst: Float64Array | null, e: ArrayLike<number>, stride: number,
): MonteCarloResult {
  const stats = terminalStats(terminal, plan.confidence, plan.ranks);
  const total = newSums(plan.n);
  for (const block of plan.blocks) {
    const part = newSums(plan.n);
    for (let j = block.start; j < block.start + block.paths; j++) {
      addPath(part, terminal[j], stats.quantile, stats.bandLow, stats.bandHigh, plan.notionals, e, j, stride);
    }
    addSums(total, part);
  }
  return finish(plan, stats, worst, total);
}

/** Run the blocks of a plan in order on one `Kernels` and combine them (with the rare second pass). */
export function runPlan(k: Kernels, plan: MonteCarloPlan): MonteCarloResult {
  const results = plan.blocks.map((b) => monteCarloBlock(k, b));
  const first = combineMonteCarlo(plan, results);
  if (first.result) return first.result;
  const again = combineMonteCarlo(plan, results, first.rerun.map((b) => monteCarloBlock(k, b)));
  if (!again.result) throw new AstraError('BAD_INPUT', Messages.mcRerunIncomplete(again.rerun.length));
  return again.result;
}

/**
 * Monte Carlo VaR/ES of a book, sequentially on one `Kernels` (the same numbers as any worker
 * pool running the plan's blocks). See {@link MonteCarloInputs} for defaults.
 */
export function runMonteCarlo(k: Kernels, inputs: MonteCarloInputs): MonteCarloResult {
  return runPlan(k, planMonteCarlo(k, inputs));
}

// ---------------------------------------------------------------------------------------------
// Common random numbers.

export interface ScenarioOptions {
  /** Largest cache kept, f64 values (default {@link MAX_CACHED_VALUES}); 0 never caches. */
  cacheLimit?: number;
}

/**
 * Scenarios drawn once and re-priced under common random numbers: while the market and the seed
 * stay, moving a notional, the confidence, the limit or the horizon prices the same draws, so VaR
 * moves smoothly instead of jittering. Every `price` equals a fresh {@link runMonteCarlo} with
 * the same seed, bit for bit.
 *
 * When the scenarios fit in {@link ScenarioOptions.cacheLimit} values (`paths`: horizon × assets ×
 * paths values of expm1 of the cumulative log return; `terminal`: assets × paths shocks L·z), they
 * are kept and `price` only sums and sorts. Larger runs are drawn again from the seed on each call
 * (same numbers, the cost of a fresh run).
 */
export class MonteCarloScenarios {
  readonly method: MonteCarloMethod;
  readonly drift: Drift;
  readonly seed: number;
  readonly paths: number;
  /** Simulated horizon (`paths`: the longest `price` accepts). */
  readonly horizon: number;
  readonly n: number;
  /** Whether the scenarios are kept (else each `price` draws them again). */
  readonly cached: boolean;
  private readonly market: PreparedMarket;
  private readonly sim: PreparedSimulation;
  /** `paths`: G̃ [day][asset][path] (see mcPriceDays); `terminal`: shocks [asset][path]; path stride {@link stride}. */
  private readonly cache: Float64Array | null;
  private readonly stride: number;

  private constructor(market: PreparedMarket, sim: PreparedSimulation, cache: Float64Array | null, stride: number) {
    this.market = market;
    this.sim = sim;
    this.method = sim.method;
    this.drift = market.driftName;
    this.seed = sim.seed;
    this.paths = sim.paths;
    this.horizon = sim.horizon;
    this.n = market.n;
    this.cache = cache;
    this.stride = stride;
    this.cached = cache !== null;
  }

  /** Validate, factor and (for cacheable sizes) draw and keep the scenarios. Errors as {@link planMonteCarlo}. */
  static create(k: Kernels, market: MonteCarloMarket, simulation: MonteCarloSimulation, options: ScenarioOptions = {}): MonteCarloScenarios {
    const sim = prepareSimulation(simulation);
    const m = prepareMarket(k, market);
    const limit = options.cacheLimit ?? MAX_CACHED_VALUES;
    const stride = rowStride(sim.paths);
    const size = (sim.method === 'paths' ? sim.horizon : 1) * m.n * stride;
    if (size > limit) return new MonteCarloScenarios(m, sim, null, stride);
    const cache = new Float64Array(size);
    const days = sim.method === 'paths' ? sim.horizon : 1;
    for (const args of blockArgs(m, sim, new Float64Array(m.n), 0, true, false)) {
      const r = monteCarloBlock(k, args);
      const blockStride = rowStride(args.paths);
      const c = r.cache as Float64Array;
      for (let d = 0; d < days; d++) {
        for (let i = 0; i < m.n; i++) {
          const from = (d * m.n + i) * blockStride;
          cache.set(c.subarray(from, from + args.paths), (d * m.n + i) * stride + args.start);
        }
      }
    }
    return new MonteCarloScenarios(m, sim, cache, stride);
  }

  /**
   * VaR, ES and the rest for `book` on these scenarios. Equals `runMonteCarlo` with this market,
   * seed, paths, method and `book.horizon` (default the simulated one).
   * @throws AstraError `BAD_INPUT` for a horizon past the simulated one under `paths`, and as {@link planMonteCarlo}.
   */
  price(k: Kernels, book: MonteCarloBook): MonteCarloResult {
    const horizon = this.checkHorizon(book.horizon);
    const b = prepareBook(book, this.market);
    const sim = { ...this.sim, horizon };
    const plan = makePlan(this.market, sim, b);
    if (!this.cache) return runPlan(k, plan);
    const { n, stride, paths } = this;
    const dayValues = n * stride;
    k.reset();
    const notionals = k.putF64(b.notionals);
    let status: number;
    let pnl: number;
    let worst = 0;
    let eLast: number;
    if (this.method === 'paths') {
      const days = plan.pathOutputs ? horizon : 1;
      const g = k.putF64(this.cache.subarray((horizon - days) * dayValues, horizon * dayValues));
      const drift = k.putF64(this.market.drift);
      const consts = k.allocF64(3 * n);
      const e = k.allocF64(dayValues);
      pnl = k.allocF64(stride);
      if (plan.pathOutputs) worst = k.allocF64(stride);
      status = k.exports.mcPriceDays(g, drift, notionals, n, stride, horizon - days, days, pnl, worst, e, consts);
      eLast = e;
    } else {
      const shock = k.putF64(this.cache);
      const drift = k.putF64(this.market.drift);
      const e = k.allocF64(dayValues);
      pnl = k.allocF64(stride);
      status = k.exports.mcPriceTerminal(shock, drift, notionals, n, stride, horizon, e, pnl);
      eLast = e;
    }
    k.check(status, 'Monte Carlo re-pricing');
    // Views only now: no allocation follows.
    return summarizeDense(plan, k.f64(pnl, paths), plan.pathOutputs ? k.f64(worst, paths) : null, k.f64(eLast, dayValues), stride);
  }

  private checkHorizon(h: number | undefined): number {
    if (h === undefined) return this.horizon;
    const max = this.method === 'paths' ? this.horizon : MAX_MC_HORIZON;
    if (this.method === 'paths' && typeof h === 'number' && Number.isInteger(h) && h > max) {
      throw new AstraError('BAD_INPUT', Messages.mcHorizonBeyond(h, this.horizon));
    }
    return checkInteger('horizon', h, 1, max);
  }
}
