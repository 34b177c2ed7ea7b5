/**
 * The public shapes of the Kalman pairs engine (engine/pairs): the filter, its calibration, the
 * backtest, the incremental (live) API and the one-call pair run the CLI, the app and the pair
 * scanner use. Exact definitions: docs/conventions.md, "Kalman pair filter" and "Pairs backtest".
 *
 * Names here are stable: fields are added, never renamed.
 *
 * Functions (each takes the kernel-access object first):
 * - `kalmanFilter(k, y, x, { delta, ve })` → {@link KalmanFilterResult}       (engine/pairs/filter.ts)
 * - `calibrateKalman(k, y, x, window | options)` → {@link Calibration}        (engine/pairs/calibrate.ts)
 * - `pairBacktest(k, inputs)` → {@link PairBacktestReport}                     (engine/pairs/backtest.ts)
 * - `createIncrementalPair(k, options)` → {@link IncrementalPair}             (engine/pairs/incremental.ts)
 * - `runPair(k, bars, options)` → {@link PairRun}: pick y/x from a bar table, calibrate, backtest
 *                                                                              (engine/pairs/run.ts)
 * - `sessionIds(timestamps)` → Int32Array, the session index of each bar     (engine/pairs/sessions.ts)
 *
 * The model (y regressed on x, both closes in money):
 *   yₜ = βₜ·xₜ + αₜ + εₜ, εₜ ~ N(0, Vₑ);  θ = [β, α] a random walk with covariance V_w = δ/(1−δ)·I;
 *   θ₀ = 0, P₀ = 0; per bar R = P + V_w, h = [xₜ, 1], eₜ = yₜ − h·θ, Qₜ = h R hᵀ + Vₑ, K = R hᵀ/Qₜ,
 *   θ ← θ + K eₜ, P ← (I − K h) R (I − K h)ᵀ + K Vₑ Kᵀ (Joseph form, symmetrised), zₜ = eₜ/√Qₜ.
 *   A missing bar (NaN in y or x) only predicts (P ← P + V_w).
 */

/** The two variances of the filter. */
export interface KalmanParams {
  /** δ in (0, 1): the state random walk has covariance δ/(1−δ)·I per bar. */
  delta: number;
  /** Vₑ > 0: variance of the observation noise, in price units squared (money²). */
  ve: number;
}

/** The filter's per-bar outputs; every array has one value per input bar. */
export interface KalmanSeries {
  /** βₜ after bar t's update (the prediction, i.e. βₜ₋₁, at a missing bar). */
  beta: Float64Array;
  /** αₜ after bar t's update (money; the prediction at a missing bar). */
  alpha: Float64Array;
  /** The spread eₜ = yₜ − βₜ₋₁·xₜ − αₜ₋₁ (the innovation, before the update), money; NaN at a missing bar. */
  spread: Float64Array;
  /** Qₜ, the innovation variance (money²); NaN at a missing bar. */
  variance: Float64Array;
  /** zₜ = eₜ/√Qₜ; NaN at a missing bar. */
  z: Float64Array;
}

/** {@link KalmanSeries} plus the Gaussian log-likelihood of the whole run. */
export interface KalmanFilterResult extends KalmanSeries {
  /** −½ Σ (ln 2πQₜ + eₜ²/Qₜ) over the bars that have both prices. */
  logLik: number;
  /** How many bars have both prices (entered the likelihood). */
  observations: number;
}

/** How {@link Calibration} searches; every field optional. */
export interface CalibrationOptions {
  /** First bar of the calibration window (default 0). The filter starts afresh (θ = 0, P = 0) there. */
  from?: number;
  /** Bars in the window, from `from` (default: one session, 390 bars). */
  window?: number;
  /**
   * Bars at the window's start that run through the filter but stay out of the likelihood: with
   * θ₀ = 0 and P₀ = 0 the first innovations are whole prices, and counting them would buy a large δ.
   * Default: see `DEFAULT_BURN_IN` in calibrate.ts.
   */
  burnIn?: number;
  /** Most likelihood evaluations (each one a filter pass over the window); default in calibrate.ts. */
  maxEvaluations?: number;
  /** Hold δ or Vₑ at a value set by hand and fit only the other. */
  fixed?: Partial<KalmanParams>;
  /** Where the search starts (default from the window's data: see calibrate.ts). */
  start?: Partial<KalmanParams>;
  /** Stop when the simplex's log-likelihood values differ by less than this (default 1e-6). */
  tolerance?: number;
}

/** δ and Vₑ chosen by maximum likelihood on a window before the traded period. */
export interface Calibration extends KalmanParams {
  /** The log-likelihood at (delta, ve) over the window's bars after the burn-in. */
  logLik: number;
  /** Likelihood evaluations spent (filter passes over the window). */
  evaluations: number;
  /** Whether the search met its tolerance before `maxEvaluations`. */
  converged: boolean;
  /** The window, bar indices [from, to). */
  window: { from: number; to: number };
  /** Bars of the window left out of the likelihood. */
  burnIn: number;
  /** Bars of the window that entered the likelihood (both prices present, after the burn-in). */
  observations: number;
  /** `mle` when fitted; `manual` when both values were set by hand (logLik is still reported). */
  method: 'mle' | 'manual';
  /** Fitted parameters that ended at the edge of the search box (the likelihood wants them further out). */
  atBound: ('delta' | 've')[];
}

/** The trading rules of the backtest. */
export interface BacktestRules {
  /** Enter when |z| > entry (default 2): short the spread above +entry, long below −entry. */
  entry?: number;
  /** Exit when |z| < exit (default 0.5); 0 ≤ exit < entry. */
  exit?: number;
  /** Costs, basis points of traded notional (default 0). */
  costBps?: number;
  /** Bars with no signal from `tradeFrom` on… see {@link PairBacktestInputs.tradeFrom}. */
  warmup?: number;
  /** Close every position at the last bar of each session (default true). */
  flatAtSessionEnd?: boolean;
  /** The risk engine's `RiskReport.status === 'HALTED'`: no new trade opens; open ones may close. */
  halted?: boolean;
  /** Halted from this bar on (for a replay whose status changed); `halted: true` means from bar 0. */
  haltedFrom?: number;
}

/** Everything {@link PairBacktestReport} is computed from. */
export interface PairBacktestInputs extends KalmanParams, BacktestRules {
  /** Closes of the dependent leg (money), NaN = missing. */
  y: Float64Array;
  /** Closes of the hedge leg, same length. */
  x: Float64Array;
  /** The session of each bar (any integers, equal within a session and increasing); see `sessionIds`. */
  sessions: ArrayLike<number>;
  /** Timestamps for the trade list (optional; ISO strings as in the bars CSV). */
  timestamps?: readonly string[];
  /**
   * First bar that may carry a signal, before the warm-up (default 0): the end of the calibration
   * window. Signals start at `tradeFrom + warmup`; the filter still runs from bar 0.
   */
  tradeFrom?: number;
  /** Return the per-bar arrays (default true); the scan asks for the summary only. */
  series?: boolean;
}

/** Side of a position in the spread y − β·x. */
export type Side = 'long' | 'short';

/** Why a trade closed. */
export type ExitReason = 'signal' | 'session-end' | 'flip' | 'end-of-data';

/** One round trip. Returns are fractions of the gross notional committed at entry (the return base). */
export interface Trade {
  /** `long`: long 1 share of y, short β shares of x (entered at z < −entry); `short` the opposite. */
  side: Side;
  /** Bar whose close opened it (the position earns from the next bar on). */
  entryBar: number;
  /** Bar whose close closed it. */
  exitBar: number;
  /** Timestamps of those bars when the inputs had them. */
  entryTime?: string;
  exitTime?: string;
  /** β at entry: the hedge ratio held for the whole trade. */
  betaEntry: number;
  /** z at entry and at exit (NaN when the exit bar was missing). */
  zEntry: number;
  zExit: number;
  /** Bars held: exitBar − entryBar. */
  bars: number;
  /** Return before costs: Σ over held bars of side·(Δy − βₑ·Δx) / (yₑ + |βₑ|·xₑ). */
  pnl: number;
  /** Costs of the entry and the exit, as a return on the same base. */
  costs: number;
  /** pnl − costs. */
  pnlAfterCosts: number;
  /** Why it closed. */
  exitReason: ExitReason;
}

/** Performance figures of one equity curve (before or after costs) over the traded bars. */
export interface Performance {
  /** Final equity − 1: the sum of the bar returns (no compounding; see docs/conventions.md). */
  totalReturn: number;
  /** Annualised Sharpe ratio: mean/sd (n−1) of the traded bars' returns × √(252 × 390); NaN if sd = 0. */
  sharpe: number;
  /** Its standard error, Lo (2002) i.i.d.: √((1 + SR²/2)/T) per bar, annualised by the same factor. */
  sharpeSe: number;
  /** Largest fall of equity from a running peak, as a fraction of that peak (≥ 0). */
  maxDrawdown: number;
  /** Closed round trips with a positive P&L, as a fraction of round trips (NaN with none). */
  hitRate: number;
  /** Traded notional over the traded bars, in units of the return base (an entry counts 1). */
  turnover: number;
  /** Equity per bar (1 before the first trade): one value per input bar when series were asked for. */
  equity?: Float64Array;
}

/** What {@link PairBacktestInputs} give. */
export interface PairBacktestReport {
  /** The filter's per-bar outputs (when `series` was not false). */
  series?: KalmanSeries;
  /** Position held after each bar's close: +1 long spread, −1 short, 0 flat (when `series`). */
  position?: Int8Array;
  /** The round trips, in order. */
  trades: Trade[];
  /** Closed round trips (= trades.length). */
  roundTrips: number;
  /** Figures before costs. */
  beforeCosts: Performance;
  /** Figures after costs. */
  afterCosts: Performance;
  /** Fewer than 30 round trips: the Sharpe means little; read it with its standard error. */
  smallSample: boolean;
  /** First bar with a signal (tradeFrom + warmup) and the number of traded bars after it. */
  firstSignalBar: number;
  tradedBars: number;
  /** The rules as applied. */
  entry: number;
  exit: number;
  costBps: number;
  warmup: number;
  /** Whether the risk halt was in force (from `haltedFrom`), and the entries it refused. */
  halted: boolean;
  blockedEntries: number;
  /** √(bars a year) that annualises the per-bar Sharpe, and the bars a year (252 × 390). */
  annualisation: { barsPerYear: number; factor: number };
}

/** Options of the incremental API. */
export interface IncrementalOptions extends KalmanParams, Omit<BacktestRules, 'halted' | 'haltedFrom' | 'flatAtSessionEnd'> {
  /** Bars before the first signal, counted from the first push (as tradeFrom + warmup of the batch). */
  tradeFrom?: number;
}

/** Per-push flags of a live bar. */
export interface PushOptions {
  /** This bar is its session's last: the position is closed at its close (a live feed knows the clock). */
  sessionEnd?: boolean;
  /** The risk status is HALTED now: no new entry at this bar. */
  halted?: boolean;
}

/** What one new bar gives. */
export interface PairTick {
  /** Index of the bar (0 for the first push). */
  bar: number;
  beta: number;
  alpha: number;
  /** eₜ, Qₜ and zₜ (NaN when the bar was missing). */
  spread: number;
  variance: number;
  z: number;
  /** The position after this bar's close: +1 long spread, −1 short, 0 flat. */
  signal: -1 | 0 | 1;
  /** Bar return (t−1 → t) before costs and the costs paid at this bar's close. */
  pnl: number;
  costs: number;
  /** Equity before and after costs, as in the batch report. */
  equity: number;
  equityAfterCosts: number;
  /** An entry signal refused because of the risk halt. */
  blocked: boolean;
  /** The round trip this bar closed, if any. */
  closed?: Trade;
}

/** A stateful filter + backtest, one bar at a time; the same numbers as the batch, bit for bit. */
export interface IncrementalPair {
  /** Feed the next bar's closes (NaN = missing). */
  push(y: number, x: number, options?: PushOptions): PairTick;
  /** Bars pushed so far. */
  readonly bars: number;
  /** Round trips closed so far. */
  trades(): Trade[];
}

/** Options of the one-call pair run. */
export interface PairRunOptions extends BacktestRules {
  /** Tickers of the bar table: y on x. */
  y: string;
  x: string;
  /** Set by hand; the one not set (or both) is fitted by maximum likelihood. */
  delta?: number;
  ve?: number;
  /** Calibration bars at the start (default one session when anything is fitted, else 0). */
  calibrate?: number;
  /** Likelihood evaluations of the calibration (default in calibrate.ts). */
  maxEvaluations?: number;
  /** Per-bar arrays in the report (default true). */
  series?: boolean;
}

/** A pair run: the calibration, then the backtest over the bars after it. */
export interface PairRun {
  y: string;
  x: string;
  /** The parameters used and how they were obtained. */
  fitted: Calibration;
  /** The backtest, its series covering every bar of the table from bar 0. */
  report: PairBacktestReport;
  /** The bar timestamps (the input's). */
  timestamps: readonly string[];
}
