/**
 * The one entry point for market statistics: aligned returns → mean and covariance with a named
 * estimator → positive-definiteness check and repair → annual vols. Risk, the optimizer, the CLI's
 * `stats` command and the app all call {@link marketStats}; none re-derives returns on its own.
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import type { PriceTable } from '../types.ts';
import { TRADING_DAYS_PER_YEAR } from '../units.ts';
import { alignedReturns } from './returns.ts';
import type { Dropped, ReturnsOptions } from './returns.ts';
import { checkEstimator, ewmaCovariance, EWMA_LAMBDA, ledoitWolfCovariance, sampleCovariance, sampleMeans } from './covariance.ts';
import type { Estimator } from './covariance.ts';
import { ensurePositiveDefinite } from './repair.ts';
import type { Repair } from './repair.ts';

/** Options of {@link marketStats}. */
export interface MarketStatsOptions extends ReturnsOptions {
  /** Covariance estimator; default `sample`. Always reported in the result. */
  estimator?: Estimator;
}

/** Means, covariance and vols of a universe over a lookback window. */
export interface MarketStats {
  /** The universe after drops: n tickers; every per-asset array and matrix row is in this order. */
  tickers: string[];
  /** The T return dates (ISO, increasing). */
  dates: string[];
  /** First and last return date used. */
  first: string;
  last: string;
  /** T, the number of daily returns used. */
  observations: number;
  /** Lookback, calendar days; the window keeps returns dated after `windowStart`. */
  lookback: number;
  windowStart: string;
  /** Daily log returns, asset-major n×T (`returns[i·T + t]`), finite. */
  returns: Float64Array;
  /** n sample means of the daily log returns (every estimator reports the plain sample mean). */
  meanDaily: Float64Array;
  /** n×n row-major daily covariance from `estimator` (repaired if it had to be), exactly symmetric. */
  covDaily: Float64Array;
  /** n annual volatilities √(252 · covDaily[i][i]). */
  volAnnual: Float64Array;
  /** The estimator used. */
  estimator: Estimator;
  /** Ledoit–Wolf only: the intensity s in [0, 1]. */
  shrinkage?: number;
  /** Ledoit–Wolf only: the target μ·I, μ = trace(S)/n of the sample covariance S (daily variance). */
  target?: { kind: 'scaled-identity'; variance: number };
  /** EWMA only: the decay λ. */
  lambda?: number;
  /** null when the estimate was positive definite; else how it was repaired. */
  repair: Repair | null;
  /** Dates and tickers left out, with reasons. */
  dropped: Dropped;
  /** Rate series left out of the default universe. */
  excluded: string[];
  /** Sentences for the user (drops, gaps, zero variance, repair, a thin sample). */
  warnings: string[];
}

/**
 * Market statistics of `prices` (conventions: docs/conventions.md, "Returns and covariance").
 * @param prices a price table; NaN = missing (reported in `dropped`, never a zero).
 * @param options lookback (calendar days, default 730), estimator (default `sample`), tickers.
 * @throws AstraError — `BAD_INPUT` (bad option or price), `UNKNOWN_TICKER`, `INSUFFICIENT_DATA`
 *   (fewer than 2 returns; or, for `sample` and `ewma`, no more observations than assets: that
 *   covariance is singular, so it is refused with a message pointing at `ledoit-wolf`),
 *   `NOT_POSITIVE_DEFINITE` (an all-zero covariance: no price moves).
 */
export function marketStats(k: Kernels, prices: PriceTable, options: MarketStatsOptions = {}): MarketStats {
  const estimator = options.estimator ?? 'sample';
  checkEstimator(estimator);
  const r = alignedReturns(prices, options);
  const n = r.tickers.length;
  const T = r.dates.length;
  const first = r.dates[0];
  const last = r.dates[T - 1];
  const warnings = [...r.warnings];

  if (estimator !== 'ledoit-wolf' && T <= n) {
    throw new AstraError('INSUFFICIENT_DATA', Messages.singularSample(estimator, n, T, first, last), { assets: n, observations: T });
  }
  for (let i = 0; i < n; i++) {
    const row = r.returns.subarray(i * T, (i + 1) * T);
    if (row.every((v) => v === row[0])) warnings.push(Messages.zeroVariance(r.tickers[i], row[0]));
  }

  let meanDaily: Float64Array;
  let cov: Float64Array;
  const extra: Pick<MarketStats, 'shrinkage' | 'target' | 'lambda'> = {};
  if (estimator === 'sample') {
    ({ mean: meanDaily, cov } = sampleCovariance(k, r.returns, n, T));
  } else if (estimator === 'ledoit-wolf') {
    const lw = ledoitWolfCovariance(k, r.returns, n, T);
    ({ mean: meanDaily, cov } = lw);
    extra.shrinkage = lw.shrinkage;
    extra.target = { kind: 'scaled-identity', variance: lw.targetVariance };
    if (T <= n) warnings.push(Messages.ledoitWolfFewObservations(n, T, lw.shrinkage));
  } else {
    meanDaily = sampleMeans(r.returns, n, T);
    cov = ewmaCovariance(k, r.returns, n, T, EWMA_LAMBDA);
    extra.lambda = EWMA_LAMBDA;
  }

  const what = 'daily covariance';
  const { matrix: covDaily, repair } = ensurePositiveDefinite(k, cov, n, what);
  if (repair) {
    const text = Messages.covarianceRepaired(what, r.tickers[repair.failedRow], repair.clipped, n, repair.floor, repair.amount);
    warnings.push(repair.jitter > 0 ? `${text} ${Messages.jitterAdded(repair.jitter)}` : text);
  }
  const volAnnual = new Float64Array(n);
  for (let i = 0; i < n; i++) volAnnual[i] = Math.sqrt(TRADING_DAYS_PER_YEAR * covDaily[i * n + i]);

  return {
    tickers: r.tickers,
    dates: r.dates,
    first,
    last,
    observations: T,
    lookback: r.lookback,
    windowStart: r.windowStart,
    returns: r.returns,
    meanDaily,
    covDaily,
    volAnnual,
    estimator,
    ...extra,
    repair,
    dropped: r.dropped,
    excluded: r.excluded,
    warnings,
  };
}
