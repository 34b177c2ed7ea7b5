/**
 * The optimizer's public shapes (docs/conventions.md, "Optimizer"): the problem, the result, the
 * warm-start state, frontier points, the comparison and the rebalance, plus the signatures of the
 * functions engine/portfolio exports. Everything here is structured-clone data (it crosses from a
 * worker to the page); names are stable — new fields are added, never renamed.
 *
 * Units: weights are fractions of equity (w = notional / equity); volatilities, expected returns,
 * carry and rates are decimals per year; money is in the book's currency.
 */
import type { Kernels } from '../kernels.ts';
import type { FundingOptions } from '../book/funding.ts';
import type { Estimator } from '../market/covariance.ts';
import type { Position, PriceTable } from '../types.ts';

/**
 * - `minvar`: minimise wᵀΣw (plus the optional carry and turnover terms, see {@link PortfolioProblem.gamma});
 * - `meanvar`: maximise μᵀw − γ·wᵀΣw (+ carry − turnover cost);
 * - `signed`: minimise wᵀΣw with every asset's side fixed and gross exactly equal to the limit.
 */
export type PortfolioMode = 'minvar' | 'meanvar' | 'signed';

/**
 * How a solve ended (problems the user can fix — bad numbers, unknown tickers — are `AstraError`s,
 * not statuses):
 * - `optimal`: the KKT conditions hold to the tolerances;
 * - `infeasible`: no weights meet the constraints; `conflict` says which ones clash, weights are `null`;
 * - `max_iter`: the iteration limit was reached first; weights are `null` (never a half-way point);
 * - `inaccurate`: feasible weights whose KKT residual is above the tolerance (1e-9, `KKT_TOLERANCE`) — returned, flagged.
 */
export type SolveStatus = 'optimal' | 'infeasible' | 'max_iter' | 'inaccurate';

/** A side for `signed`: longs are held ≥ 0, shorts ≤ 0, flat assets at 0. */
export type FixedSide = 'long' | 'short' | 'flat';

/** Per-asset bounds on the weight (fractions of equity). A missing side is unbounded (the gross limit still applies). */
export interface AssetBounds {
  /** Lowest weight, e.g. −0.1; default −∞. */
  lower?: number;
  /** Highest weight, e.g. 0.25; default +∞. */
  upper?: number;
}

/**
 * Where the annual expected returns μ come from:
 * - `historical`: 252 × the sample mean of the daily log returns over the lookback;
 * - `zero`: μ = 0 (meanvar then trades risk against carry and turnover only);
 * - `views`: the user's annual views per ticker; tickers without a view take `fallback` (default `historical`).
 */
export type ExpectedReturnSource =
  | { kind: 'historical' }
  | { kind: 'zero' }
  | { kind: 'views'; views: Readonly<Record<string, number>>; fallback?: 'historical' | 'zero' };

/**
 * The funding-carry term (docs/conventions.md, "Funding"): a long weight w costs w·(RFR + long spread),
 * a short earns |w|·(RFR − short spread − borrow), per year on ACT/360 accrual (× 365/360).
 * Same options and defaults as `computeFunding` (engine/book/funding.ts); `rfrSource` is ignored.
 */
export type CarryOptions = FundingOptions;

/**
 * One optimisation problem on annualised statistics. Arrays are in `tickers` order.
 *
 * Objective, every mode: minimise γ·wᵀΣw − μᵀw − carry(w) + turnover(w), with μ = 0 for `minvar` and
 * `signed` (so without carry or turnover γ only scales the objective and the weights do not depend on it).
 */
export interface PortfolioProblem {
  /** n tickers (names the binding constraints and the conflict message). */
  tickers: readonly string[];
  /** n×n row-major annual covariance (252 × daily), symmetric, finite. */
  covAnnual: ArrayLike<number>;
  /** n annual expected returns; used by `meanvar` only (ignored otherwise). Default zeros. */
  expectedReturn?: ArrayLike<number>;
  mode: PortfolioMode;
  /** Gross limit L: Σ|wᵢ| ≤ L (`signed`: = L). Finite, ≥ 0. */
  gross: number;
  /** Net target: the band is [net − netTol, net + netTol] on Σwᵢ. */
  net: number;
  /** Half-width of the net band, ≥ 0. Default 0 (net exactly). */
  netTol?: number;
  /** Risk aversion γ > 0. Default `DEFAULT_GAMMA` (engine/portfolio/problem.ts). */
  gamma?: number;
  /** Bounds per ticker; tickers not named are only limited by the gross limit. */
  bounds?: Readonly<Record<string, AssetBounds>>;
  /** `signed` only: the side of each ticker; a ticker not named is flat (held at 0). */
  sides?: Readonly<Record<string, FixedSide>>;
  /** Include the funding carry in the objective. */
  carry?: CarryOptions;
  /** Turnover cost in basis points of traded weight, charged as bps/10⁴ × Σ|wᵢ − currentᵢ|. Default 0. */
  turnoverBps?: number;
  /** Current weights per ticker (the book's), for the turnover term; missing tickers are 0. */
  current?: Readonly<Record<string, number>>;
  /** Iteration limit, both phases together. Default `defaultMaxIter(n)` = 50 + 20·n (engine/portfolio/problem.ts). */
  maxIter?: number;
}

/** What the solver remembers to re-solve a nearby problem quickly (same tickers, any other change). */
export interface WarmStart {
  /** The tickers it was made for; a warm start for another universe is ignored. */
  tickers: readonly string[];
  /** The previous weights. */
  weights: Float64Array;
  /**
   * Per asset, where the previous solution held it: 0 free, 1 at its lower bound, 2 at its upper
   * bound, 3 at zero, 4 at its current weight (the turnover kink).
   */
  state: Int8Array;
  /** Whether the gross limit was in the working set. */
  grossActive: boolean;
  /** −1 net at the band's lower edge, 1 at its upper edge, 0 inside. */
  netActive: -1 | 0 | 1;
}

/** The answer to a {@link PortfolioProblem}. */
export interface PortfolioResult {
  status: SolveStatus;
  tickers: string[];
  /** n weights in `tickers` order; `null` unless status is `optimal` or `inaccurate`. */
  weights: Float64Array | null;
  /** Σ|wᵢ| (NaN without weights). */
  gross: number;
  /** Σwᵢ (NaN without weights). */
  net: number;
  /** √(wᵀΣw), annual (NaN without weights). */
  volAnnual: number;
  /** μᵀw with the problem's μ (0 for minvar/signed unless μ given), annual (NaN without weights). */
  expectedReturn: number;
  /** Annual funding carry of the weights as a fraction of equity (negative = cost); 0 without the carry term, NaN without weights. */
  carry: number;
  /** The objective γ·wᵀΣw − μᵀw − carry + turnover cost at the weights (NaN without weights). */
  objective: number;
  /** Iterations taken: the primal-dual phase's solves, plus the primal phase's working-set changes when it ran. */
  iterations: number;
  /**
   * The largest scaled violation of the KKT conditions: primal (weight units), stationarity and
   * multiplier signs (relative to the scaled gradient). NaN without weights.
   */
  kktResidual: number;
  /** Names of the binding constraints: `gross`, `net`, `net:lower`, `net:upper`, `bound:T:lower`, `bound:T:upper`, `side:T`. */
  binding: string[];
  /** Infeasible only: which constraints conflict, in words. */
  conflict?: string;
  /** Sentences for the user (a repaired covariance, flat assets in `signed`…). */
  warnings: string[];
  /** State to pass back for a quick re-solve (absent without weights). */
  warm?: WarmStart;
}

/** A frontier request: `gamma` traces meanvar across γ, `gross` traces across the gross limit. */
export interface FrontierSpec {
  /** What varies. Default: `gamma` for meanvar, `gross` for minvar and signed. */
  axis?: 'gamma' | 'gross';
  /** Number of points K ≥ 2 (evenly spaced on a log scale for γ, linearly for gross). */
  points: number;
  /** Range of the varying parameter; defaults `FRONTIER_GAMMA_RANGE` / `FRONTIER_GROSS_RANGE` (engine/portfolio/frontier.ts). */
  from?: number;
  to?: number;
}

/** One point of a frontier. */
export interface FrontierPoint {
  /** The γ of this point (axis `gamma`). */
  gamma?: number;
  /** The gross limit of this point (axis `gross`). */
  gross?: number;
  status: SolveStatus;
  /** NaN when the point has no weights. */
  volAnnual: number;
  expectedReturn: number;
  /** The weights (null when not optimal or inaccurate). */
  weights: Float64Array | null;
  iterations: number;
}

/** A block of consecutive frontier points: the unit of work of the pool task `portfolio.frontier`. */
export interface FrontierBlock {
  problem: PortfolioProblem;
  axis: 'gamma' | 'gross';
  /** The parameter values of this block's points, in order; the first is solved cold, the rest warm. */
  values: number[];
}

/** Market-level inputs of {@link OptimizeFn}: prices → statistics → problem → solve (the CLI and the app). */
export interface OptimizeInputs {
  prices: PriceTable;
  mode: PortfolioMode;
  gross: number;
  net: number;
  netTol?: number;
  gamma?: number;
  /** Calendar days, default 730. */
  lookback?: number;
  /** Covariance estimator, default `sample`. */
  estimator?: Estimator;
  /** Default `historical` for meanvar. */
  expected?: ExpectedReturnSource;
  bounds?: Readonly<Record<string, AssetBounds>>;
  /** The current book (prices filled or taken from `prices`): sides for `signed`, current weights for turnover and comparisons. */
  book?: readonly Position[];
  /** Equity (NAV), default 1,000,000. */
  equity?: number;
  /** Include funding carry (options as `computeFunding`; RFR from `^IRX` in the prices when not given). */
  carry?: boolean | Partial<CarryOptions>;
  turnoverBps?: number;
  /** Add a frontier of this many points. */
  frontier?: number | FrontierSpec;
  /** Universe: these price columns (default every asset column). */
  tickers?: readonly string[];
  maxIter?: number;
}

/** The result of {@link OptimizeFn}: the solve, its problem and market window, and the frontier. */
export interface OptimizeReport extends PortfolioResult {
  mode: PortfolioMode;
  /** The problem that was solved (Σ, μ and constraints as used). */
  problem: PortfolioProblem;
  /** Window of the statistics. */
  window: { first: string; last: string; observations: number };
  frontier?: FrontierPoint[];
  /** The market statistics behind Σ and μ, in `tickers` order: n daily means and the n×n daily covariance (for the comparison and the rebalance). */
  meanDaily: Float64Array;
  covDaily: Float64Array;
  /** Last close per ticker (NaN when a column ends in gaps beyond the window). */
  lastPrices: Float64Array;
  /** Equity the weights are fractions of. */
  equity: number;
  /** The book's weights per ticker (zeros without a book). */
  currentWeights: Float64Array;
}

/** One row of the comparison table: equal weight, the current book, the optimum. */
export interface ComparisonRow {
  name: 'equal' | 'current' | 'optimum';
  weights: Float64Array;
  volAnnual: number;
  /** 10-day 99% parametric VaR in money (engine/risk/parametric.ts), daily statistics. */
  var10d99: number;
  /** Annual funding carry in money (negative = cost). */
  carryAnnual: number;
  /** Gross / equity. */
  leverage: number;
  net: number;
}

/** One trade of the rebalance. */
export interface Trade {
  ticker: string;
  currentShares: number;
  targetShares: number;
  /** targetShares − currentShares (whole shares). */
  shares: number;
  price: number;
  /** shares × price, money. */
  notional: number;
}

/** The rebalance from the current book to the optimum. */
export interface Rebalance {
  trades: Trade[];
  /** The target book, in whole shares at the last prices. */
  target: Position[];
  /** Daily funding of the target minus that of the current book, money (negative = costs more). */
  fundingDailyChange: number;
  /** 10-day 99% parametric VaR of the target book, money. */
  targetVar: number;
  /** The risk limit it is compared with (engine/risk/var.ts `DEFAULT_RISK_LIMIT` unless given). */
  limit: number;
  /** targetVar > limit. */
  breachesLimit: boolean;
}

// Signatures of the functions engine/portfolio exports (the modules implement them with `satisfies`).

/** `solvePortfolio` (engine/portfolio/solve.ts): the wasm active-set solver. */
export type SolvePortfolioFn = (k: Kernels, problem: PortfolioProblem, warm?: WarmStart) => PortfolioResult;
/** `solvePortfolioTs` (engine/portfolio/baseline.ts): the same algorithm in plain TypeScript (bench baseline, tests). */
export type SolvePortfolioTsFn = (problem: PortfolioProblem, warm?: WarmStart) => PortfolioResult;
/** `findConflict` (engine/portfolio/feasibility.ts): the infeasibility message, or null when the constraints can all be met. */
export type FindConflictFn = (problem: PortfolioProblem) => string | null;
/** `frontierBlocks` / `solveFrontierBlock` / `solveFrontier` (engine/portfolio/frontier.ts); `runFrontierOnPool` (engine/pool/tasks/portfolio.ts). */
export type FrontierBlocksFn = (problem: PortfolioProblem, spec: FrontierSpec) => FrontierBlock[];
export type SolveFrontierBlockFn = (k: Kernels, block: FrontierBlock) => FrontierPoint[];
export type SolveFrontierFn = (k: Kernels, problem: PortfolioProblem, spec: FrontierSpec) => FrontierPoint[];
/** `optimize` (engine/portfolio/optimize.ts): market statistics → problem → solve (+ frontier). */
export type OptimizeFn = (k: Kernels, inputs: OptimizeInputs) => OptimizeReport;
/** `expectedReturns` (engine/portfolio/expected.ts): annual μ in `tickers` order from daily means. */
export type ExpectedReturnsFn = (tickers: readonly string[], meanDaily: ArrayLike<number>, source: ExpectedReturnSource) => Float64Array;
/** `comparePortfolios` (engine/portfolio/compare.ts). */
export type ComparePortfoliosFn = (input: {
  tickers: readonly string[];
  covDaily: ArrayLike<number>;
  meanDaily: ArrayLike<number>;
  equity: number;
  current: ArrayLike<number>;
  optimum: ArrayLike<number>;
  /** The gross limit: the equal-weight row uses it in full. */
  gross: number;
  /** Sides of the equal-weight row's assets (default long; flat assets get nothing). */
  sides?: Readonly<Record<string, FixedSide>>;
  carry: CarryOptions;
}) => ComparisonRow[];
/** `rebalance` (engine/portfolio/rebalance.ts). */
export type RebalanceFn = (input: {
  tickers: readonly string[];
  weights: ArrayLike<number>;
  /** The current book with prices filled. */
  book: readonly Position[];
  /** Last price per ticker of `tickers`. */
  prices: ArrayLike<number>;
  equity: number;
  covDaily: ArrayLike<number>;
  meanDaily: ArrayLike<number>;
  carry: CarryOptions;
  /** VaR limit in money; default the risk engine's. */
  limit?: number;
}) => Rebalance;
