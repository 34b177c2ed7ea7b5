/**
 * The Inventory module's tasks (the app's optimizer panel):
 * - `inventory.prepare`: the market statistics the optimizer works on (once per price table and
 *   lookback): `marketStats` → daily Σ and μ, the last closes of the universe, the window.
 * - `inventory.step`: one slider move — the solve (warm-started from the previous one), the
 *   frontier, the comparison and the rebalance, in one block. At desk size (tens of assets) the
 *   whole step is well under a millisecond, less than a second pool round trip would cost, and
 *   one block keeps the four answers consistent with one another (one set of inputs).
 *
 * The frontier, comparison and rebalance each come back as a `Result`, so one that fails (a bad
 * carry input, say) is named in its own panel while the others still show.
 */
import type { Kernels } from '../../kernels.ts';
import { attempt, type Result } from '../../result.ts';
import { marketStats } from '../../market/stats.ts';
import { lastCloses } from '../../market/chart-series.ts';
import { fundingRates } from '../../book/funding.ts';
import { parametricVar } from '../../risk/parametric.ts';
import { DEFAULT_RISK_LIMIT } from '../../risk/var.ts';
import { CALENDAR_DAYS_PER_YEAR, DAY_COUNT_BASIS, TRADING_DAYS_PER_YEAR } from '../../units.ts';
import { solvePortfolioTs } from '../../portfolio/baseline.ts';
import type {
  CarryOptions,
  ComparisonRow,
  FixedSide,
  FrontierPoint,
  FrontierSpec,
  PortfolioProblem,
  PortfolioResult,
  Rebalance,
  WarmStart,
} from '../../portfolio/types.ts';
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
export function inventoryStep(_k: Kernels, arg: InventoryStepArg): InventoryStep {
  const t0 = performance.now();
  const result = solvePortfolioTs(arg.problem, arg.warm);
  const t1 = performance.now();
  const spec = arg.frontier;
  const frontier = spec ? attempt(() => frontierOf(arg.problem, spec)) : null;
  const w = result.weights;
  const comparison = w
    ? attempt(() =>
        compare({
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
  const rebalance = w
    ? attempt(() =>
        rebalanceTo({
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
  return { result, frontier, comparison, rebalance, solveMs: t1 - t0, stepMs: performance.now() - t0 };
}

// ---- Interim: the engine's frontier, comparison and rebalance (engine/portfolio/frontier.ts,
// compare.ts, rebalance.ts) are not in yet. These follow their documented contracts
// (engine/portfolio/types.ts) and are replaced by imports when they land. ----

function frontierOf(problem: PortfolioProblem, spec: FrontierSpec): FrontierPoint[] {
  const axis = spec.axis ?? (problem.mode === 'meanvar' ? 'gamma' : 'gross');
  const K = spec.points;
  const from = spec.from ?? (axis === 'gamma' ? 0.01 : 0.5);
  const to = spec.to ?? (axis === 'gamma' ? 1000 : 5);
  let warm: WarmStart | undefined;
  const out: FrontierPoint[] = [];
  for (let j = 0; j < K; j++) {
    const t = K === 1 ? 0 : j / (K - 1);
    const v = axis === 'gamma' ? from * (to / from) ** t : from + (to - from) * t;
    const r = solvePortfolioTs({ ...problem, [axis]: v }, warm);
    warm = r.warm ?? warm;
    out.push({ [axis]: v, status: r.status, volAnnual: r.volAnnual, expectedReturn: r.expectedReturn, weights: r.weights, iterations: r.iterations });
  }
  return out;
}

const TEN_DAY_99 = { horizon: DEFAULT_RISK_LIMIT.horizon, confidence: DEFAULT_RISK_LIMIT.confidence };

/** Annual carry (money; negative = cost) of notionals N under `carry`'s rates, ACT/360 accrual × 365. */
function carryAnnual(tickers: readonly string[], N: ArrayLike<number>, carry: CarryOptions): number {
  const rates = fundingRates(carry);
  let daily = 0;
  for (let i = 0; i < tickers.length; i++) {
    const rate = N[i] > 0 ? rates.longRate : N[i] < 0 ? rates.shortRate(tickers[i]) : 0;
    daily += (-N[i] * rate) / DAY_COUNT_BASIS;
  }
  return daily * CALENDAR_DAYS_PER_YEAR;
}

function compare(input: {
  tickers: readonly string[];
  covDaily: ArrayLike<number>;
  meanDaily: ArrayLike<number>;
  equity: number;
  current: ArrayLike<number>;
  optimum: ArrayLike<number>;
  gross: number;
  sides?: Readonly<Record<string, FixedSide>>;
  carry: CarryOptions;
}): ComparisonRow[] {
  const { tickers, equity } = input;
  const n = tickers.length;
  const signs = tickers.map((t) => (input.sides?.[t] === 'short' ? -1 : input.sides?.[t] === 'flat' ? 0 : 1));
  const held = signs.filter((s) => s !== 0).length;
  const equal = Float64Array.from(signs, (s) => (held > 0 ? (s * input.gross) / held : 0));
  const row = (name: ComparisonRow['name'], w: ArrayLike<number>): ComparisonRow => {
    const N = Float64Array.from(w, (x) => x * equity);
    const pv = parametricVar({ meanDaily: input.meanDaily, covDaily: input.covDaily, notionals: N, ...TEN_DAY_99 });
    let variance = 0;
    let gross = 0;
    let net = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += input.covDaily[i * n + j] * w[j];
      variance += w[i] * s;
      gross += Math.abs(w[i]);
      net += w[i];
    }
    return { name, weights: Float64Array.from(w), volAnnual: Math.sqrt(TRADING_DAYS_PER_YEAR * Math.max(variance, 0)), var10d99: pv.var, carryAnnual: carryAnnual(tickers, N, input.carry), leverage: gross, net };
  };
  return [row('equal', equal), row('current', input.current), row('optimum', input.optimum)];
}

function rebalanceTo(input: {
  tickers: readonly string[];
  weights: ArrayLike<number>;
  book: readonly Position[];
  prices: ArrayLike<number>;
  equity: number;
  covDaily: ArrayLike<number>;
  meanDaily: ArrayLike<number>;
  carry: CarryOptions;
  limit?: number;
}): Rebalance {
  const { tickers, equity } = input;
  const held = new Map(input.book.map((p) => [p.ticker, p]));
  const target: Position[] = tickers.map((t, i) => ({ ticker: t, shares: Math.round((input.weights[i] * equity) / input.prices[i]) || 0, price: input.prices[i] }));
  const trades = target.map((p) => {
    const cur = held.get(p.ticker)?.shares ?? 0;
    const shares = p.shares - cur;
    return { ticker: p.ticker, currentShares: cur, targetShares: p.shares, shares, price: p.price, notional: shares * p.price };
  });
  const currentN = tickers.map((t) => {
    const p = held.get(t);
    return p ? p.shares * p.price : 0;
  });
  const targetN = target.map((p) => p.shares * p.price);
  const daily = (N: ArrayLike<number>) => carryAnnual(tickers, N, input.carry) / CALENDAR_DAYS_PER_YEAR;
  const targetVar = parametricVar({ meanDaily: input.meanDaily, covDaily: input.covDaily, notionals: targetN, ...TEN_DAY_99 }).var;
  const limit = input.limit ?? DEFAULT_RISK_LIMIT.amount;
  return { trades, target, fundingDailyChange: daily(targetN) - daily(currentN), targetVar, limit, breachesLimit: targetVar > limit };
}
