/**
 * The optimizer on market data (what `astra optimize` and the app call): prices → market statistics
 * (engine/market/stats.ts: daily log returns, sample covariance, repair) → annual Σ = 252 × daily
 * and μ → the problem with the book's sides and weights → the solve (+ frontier).
 */
import { AstraError, mention, Messages } from '../errors.ts';
import { checkEquity, DEFAULT_EQUITY, fillBookPrices, lastClose } from '../book/book.ts';
import { DEFAULT_RFR, rfrFromPrices } from '../book/rates.ts';
import type { Kernels } from '../kernels.ts';
import { marketStats } from '../market/stats.ts';
import { DEFAULT_LOOKBACK_DAYS, TRADING_DAYS_PER_YEAR } from '../units.ts';
import { expectedReturns } from './expected.ts';
import { solveFrontier } from './frontier.ts';
import { solvePortfolio } from './solve.ts';
import type { CarryOptions, FixedSide, OptimizeFn, OptimizeInputs, OptimizeReport, PortfolioProblem } from './types.ts';

/** The carry options of `inputs`: RFR from the options, else `^IRX` in the prices, else the default. */
export function carryOptions(inputs: Pick<OptimizeInputs, 'carry' | 'prices'>): CarryOptions | undefined {
  if (!inputs.carry) return undefined;
  const given = inputs.carry === true ? {} : inputs.carry;
  const rfr = given.rfr ?? rfrFromPrices(inputs.prices)?.rate ?? DEFAULT_RFR;
  return { ...given, rfr };
}

/**
 * Optimise on market data (see the module comment). The book gives `signed` its sides (sign of
 * shares; tickers not in the book are flat) and every mode its current weights (shares × price /
 * equity) for turnover and the comparison.
 * @throws AstraError for bad input: the market statistics' errors, a book ticker outside the
 *   universe, `signed` without a book, and the problem's own checks (engine/portfolio/problem.ts).
 */
export const optimize: OptimizeFn = (k: Kernels, inputs: OptimizeInputs): OptimizeReport => {
  const equity = inputs.equity ?? DEFAULT_EQUITY;
  checkEquity(equity);
  const lookback = inputs.lookback ?? DEFAULT_LOOKBACK_DAYS;
  const stats = marketStats(k, inputs.prices, { lookback, tickers: inputs.tickers, estimator: inputs.estimator });
  const tickers = stats.tickers;
  const n = tickers.length;
  const covAnnual = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) covAnnual[i] = TRADING_DAYS_PER_YEAR * stats.covDaily[i];
  const mu = expectedReturns(tickers, stats.meanDaily, inputs.expected ?? { kind: 'historical' });

  const book = inputs.book ? fillBookPrices(inputs.book, inputs.prices) : undefined;
  const current: Record<string, number> = {};
  const sides: Record<string, FixedSide> = {};
  if (book) {
    const universe = new Set(tickers);
    const outside = book.filter((p) => p.shares !== 0 && !universe.has(p.ticker)).map((p) => p.ticker);
    if (outside.length > 0) {
      const why = stats.dropped.tickers.filter((d) => outside.includes(d.ticker)).map((d) => `${mention(d.ticker)}: ${d.reason}`).join('; ');
      throw new AstraError('INSUFFICIENT_DATA', Messages.bookTickersWithoutReturns(outside, why), { ticker: outside[0] });
    }
    for (const p of book) {
      if (!universe.has(p.ticker)) continue;
      current[p.ticker] = (current[p.ticker] ?? 0) + (p.shares * p.price) / equity;
      sides[p.ticker] = p.shares > 0 ? 'long' : p.shares < 0 ? 'short' : 'flat';
    }
  }
  if (inputs.mode === 'signed' && !book) throw new AstraError('BAD_INPUT', Messages.signedNeedsSides());

  const problem: PortfolioProblem = {
    tickers,
    covAnnual,
    expectedReturn: mu,
    mode: inputs.mode,
    gross: inputs.gross,
    net: inputs.net,
    netTol: inputs.netTol,
    gamma: inputs.gamma,
    bounds: inputs.bounds,
    ...(inputs.mode === 'signed' ? { sides } : {}),
    carry: carryOptions(inputs),
    turnoverBps: inputs.turnoverBps,
    current,
    maxIter: inputs.maxIter,
  };
  const result = solvePortfolio(k, problem);
  const spec = typeof inputs.frontier === 'number' ? { points: inputs.frontier } : inputs.frontier;
  const lastPrices = Float64Array.from(tickers, (t) => lastClose(inputs.prices, t)?.price ?? NaN);
  return {
    ...result,
    warnings: [...stats.warnings, ...result.warnings],
    mode: inputs.mode,
    problem,
    window: { first: stats.first, last: stats.last, observations: stats.observations },
    meanDaily: stats.meanDaily,
    covDaily: stats.covDaily,
    lastPrices,
    equity,
    currentWeights: Float64Array.from(tickers, (t) => current[t] ?? 0),
    ...(spec ? { frontier: solveFrontier(k, problem, spec) } : {}),
  };
};
