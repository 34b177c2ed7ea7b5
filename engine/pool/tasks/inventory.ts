/**
 * The Inventory module's tasks (the app's optimizer panel):
 * - `inventory.prepare`: the market statistics the optimizer works on (once per price table and
 *   lookback): `marketStats` → daily Σ and μ, the last closes of the universe, the window.
 * - `inventory.step`: one slider move — the solve (warm-started from the previous one), the
 *   frontier, the comparison and the rebalance, in one block. At desk size (tens of assets) the
 *   whole step is well under a millisecond, less than a second pool round trip would cost, and
 *   one block keeps the four answers consistent with one another (one set of inputs).
 *
 * The solve is `solvePortfolio` (the wasm active-set QP, as `astra optimize`), the frontier
 * `solveFrontier`, the comparison `comparePortfolios`, the rebalance `rebalance` (engine/portfolio).
 * The frontier, comparison and rebalance each come back as a `Result`, so one that fails (a bad
 * carry input, say) is named in its own panel while the others still show.
 */
import type { Kernels } from '../../kernels.ts';
import { attempt, type Result } from '../../result.ts';
import { marketStats } from '../../market/stats.ts';
import { lastCloses } from '../../market/chart-series.ts';
import { solvePortfolio } from '../../portfolio/solve.ts';
import { solveFrontier } from '../../portfolio/frontier.ts';
import { comparePortfolios } from '../../portfolio/compare.ts';
import { rebalance } from '../../portfolio/rebalance.ts';
import type { CarryOptions, ComparisonRow, FrontierPoint, FrontierSpec, PortfolioProblem, PortfolioResult, Rebalance, WarmStart } from '../../portfolio/types.ts';
import type { Position, PriceTable } from '../../types.ts';

/** What `inventory.prepare` takes. */
export interface InventoryPrepareArg {
  prices: PriceTable;
  /** Calendar days. */
  lookback: number;
}

/** The market statistics the optimizer works on (the answer of `inventory.prepare`). */
export interface InventoryMarket {
  /** The n tickers of the universe (every asset column with history; rate series left out). */
  tickers: string[];
  /** n×n row-major daily covariance of log returns (repaired when it had to be). */
  covDaily: Float64Array;
  /** n daily mean log returns. */
  meanDaily: Float64Array;
  /** n last closes, in `tickers` order: the rebalance trades at these. */
  lastPrices: Float64Array;
  /** The estimation window. */
  window: { first: string; last: string; observations: number };
  /** Calendar days of the lookback. */
  lookback: number;
  /** The statistics' sentences for the user (drops, a repaired covariance…). */
  warnings: string[];
}

/** `inventory.prepare`: one block. */
export function inventoryPrepare(k: Kernels, arg: InventoryPrepareArg): InventoryMarket {
  const stats = marketStats(k, arg.prices, { lookback: arg.lookback });
  const last = lastCloses(arg.prices);
  return {
    tickers: stats.tickers,
    covDaily: stats.covDaily,
    meanDaily: stats.meanDaily,
    lastPrices: Float64Array.from(stats.tickers, (t) => last[t] ?? NaN),
    window: { first: stats.first, last: stats.last, observations: stats.observations },
    lookback: stats.lookback,
    warnings: stats.warnings,
  };
}

/** What `inventory.step` takes: the problem (built by the page) and what the comparison and rebalance need. */
export interface InventoryStepArg {
  problem: PortfolioProblem;
  /** The previous solve's warm start (ignored when it was for other tickers). */
  warm?: WarmStart;
  /** The frontier to trace, or `null` when the page still has the curve for these inputs (only the varied parameter moved). */
  frontier: FrontierSpec | null;
  /** n×n daily covariance and n daily means (the comparison's and rebalance's VaR). */
  covDaily: ArrayLike<number>;
  meanDaily: ArrayLike<number>;
  /** n last closes: the rebalance's prices. */
  lastPrices: ArrayLike<number>;
  /** n current weights in `problem.tickers` order. */
  current: ArrayLike<number>;
  /** The book's positions in the universe, prices filled. */
  book: Position[];
  equity: number;
  /** The funding inputs the comparison's and the rebalance's carry figures use (whether or not the objective has a carry term). */
  carry: CarryOptions;
  /** The risk limit on the 10-day 99% VaR, money. */
  limit: number;
}

/** The answer of `inventory.step`. */
export interface InventoryStep {
  result: PortfolioResult;
  /** `null` when none was asked for. */
  frontier: Result<FrontierPoint[]> | null;
  /** `null` when there is no optimum to compare or trade to. */
  comparison: Result<ComparisonRow[]> | null;
  rebalance: Result<Rebalance> | null;
  /** ms the worker spent on the solve alone, and on the whole step. */
  solveMs: number;
  stepMs: number;
}

/** `inventory.step`: one block. */
export function inventoryStep(k: Kernels, arg: InventoryStepArg): InventoryStep {
  const t0 = performance.now();
  const result = solvePortfolio(k, arg.problem, arg.warm);
  const t1 = performance.now();
  const spec = arg.frontier;
  // All points in this block: at desk size a frontier is well under a millisecond here, less than
  // the round trips of `runFrontierOnPool`'s blocks would cost (same numbers either way).
  const frontier = spec ? attempt(() => solveFrontier(k, arg.problem, spec)) : null;
  const w = result.weights;
  const comparison = w
    ? attempt(() =>
        comparePortfolios({
          tickers: arg.problem.tickers,
          covDaily: arg.covDaily,
          meanDaily: arg.meanDaily,
          equity: arg.equity,
          current: arg.current,
          optimum: w,
          gross: arg.problem.gross,
          sides: arg.problem.mode === 'signed' ? arg.problem.sides : undefined,
          carry: arg.carry,
        }),
      )
    : null;
  const trade = w
    ? attempt(() =>
        rebalance({
          tickers: arg.problem.tickers,
          weights: w,
          book: arg.book,
          prices: arg.lastPrices,
          equity: arg.equity,
          covDaily: arg.covDaily,
          meanDaily: arg.meanDaily,
          carry: arg.carry,
          limit: arg.limit,
        }),
      )
    : null;
  return { result, frontier, comparison, rebalance: trade, solveMs: t1 - t0, stepMs: performance.now() - t0 };
}
