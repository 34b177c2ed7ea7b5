/**
 * The risk report of a book: Monte Carlo, parametric and historical VaR/ES side by side on the same
 * inputs, risk contributions, the risk limit and its status, and optionally the VaR backtest and
 * stress scenarios. One function used by the CLI (`astra var`) and the app's Risk panel.
 *
 * Inputs: a price table and today's book (prices filled). The universe is the book's tickers with
 * non-zero shares, in book order; their daily log returns and sample statistics come from
 * `marketStats` (docs/conventions.md). Notionals are shares × price.
 */
import { AstraError, Messages, mention } from '../errors.ts';
import { marketStats } from '../market/stats.ts';
import { alignedReturns } from '../market/returns.ts';
import type { Estimator } from '../market/covariance.ts';
import type { Kernels } from '../kernels.ts';
import type { Position, PriceTable } from '../types.ts';
import { DEFAULT_LOOKBACK_DAYS } from '../units.ts';
import { DEFAULT_EQUITY, checkEquity } from '../book/book.ts';
import { parametricVar, type Drift } from './parametric.ts';
import { historicalVar } from './historical.ts';
import { backtestVar, type BacktestMethod, type BacktestResult } from './backtest.ts';
import { applyShock, worstWindows, type Shock, type StressResult } from './stress.ts';
import {
  DEFAULT_MC_CONFIDENCE,
  DEFAULT_MC_HORIZON,
  DEFAULT_MC_PATHS,
  planMonteCarlo,
  runPlan,
  type MonteCarloPlan,
  type MonteCarloResult,
} from './montecarlo.ts';

/** The desk's rule: the 10-day 99% VaR must stay at or below $150,000. */
export const DEFAULT_RISK_LIMIT = { amount: 150_000, horizon: 10, confidence: 0.99 } as const;
/** Seed used when none is given (reported in every result, so a run can be repeated). */
export const DEFAULT_SEED = 1;
/** A lookback long enough to take every date of a file (the backtest's history). */
const ALL_HISTORY_DAYS = 1_000_000;

/** `OK`, or `HALTED` when the limit's VaR is above the limit: no new trades, proposals flagged. */
export type RiskStatus = 'OK' | 'HALTED';

/** The risk limit: a money amount on the VaR at a horizon and confidence. */
export interface RiskLimit {
  /** Money; must be positive. */
  amount: number;
  /** Trading days. */
  horizon: number;
  /** In (0, 1). */
  confidence: number;
}

/** Inputs of {@link computeRisk}. */
export interface RiskInputs {
  prices: PriceTable;
  /** Today's book with prices filled (finite, > 0). */
  book: readonly Position[];
  /** Equity (NAV), money. Default 1,000,000. */
  equity?: number;
  /** Monte Carlo paths, default 5,000. */
  paths?: number;
  /** Horizon H, trading days, default 10. */
  horizon?: number;
  /** Confidence c, default 0.99. */
  confidence?: number;
  /** Estimation window, calendar days, default 730. */
  lookback?: number;
  /** Default {@link DEFAULT_SEED}. */
  seed?: number;
  /** Default `mean`. */
  drift?: Drift;
  /** Default `sample`. */
  estimator?: Estimator;
  /** Default {@link DEFAULT_RISK_LIMIT}. */
  limit?: Partial<RiskLimit>;
  /** Run the VaR backtest with this method. */
  backtest?: BacktestMethod;
  /** Add stress scenarios: the worst historical windows and these shocks. */
  stress?: { shocks: Shock[] };
}

/** VaR and ES of one method, in money and in percent of equity. */
export interface MethodRisk {
  var: number;
  es: number;
  /** VaR as a percent of equity (2.1 = 2.1%). */
  varPct: number;
  esPct: number;
}

/** The report. */
export interface RiskReport {
  tickers: string[];
  notionals: Float64Array;
  equity: number;
  paths: number;
  horizon: number;
  confidence: number;
  seed: number;
  drift: Drift;
  lookback: number;
  /** First and last return date, and how many. */
  window: { first: string; last: string; observations: number };
  mc: MethodRisk & {
    /** Monte Carlo standard error of VaR (and of ES), money. */
    se: number;
    esSe: number;
    /** 95% interval of VaR (and of ES), money. */
    ci95: [number, number];
    esCi95: [number, number];
    worstLossInHorizon: number | null;
    breachProbability: number | null;
  };
  parametric: MethodRisk & { contributions: Record<string, { var: number; es: number }> };
  historical: MethodRisk & { windows: number; varScaled: number; esScaled: number };
  /** Monte Carlo Euler contributions per ticker; each sums to the total. */
  contributions: Record<string, { var: number; es: number }>;
  limit: RiskLimit & { var: number };
  status: RiskStatus;
  backtest?: Omit<BacktestResult, 'series'> & { series: BacktestResult['series'] };
  stress?: StressResult[];
  warnings: string[];
  /** The full Monte Carlo result (histogram data for the app). */
  monteCarlo: MonteCarloResult;
}

const pct = (x: number, equity: number) => (100 * x) / equity;

function checkConfidence(c: number, what: string): void {
  if (!(c > 0 && c < 1)) throw new AstraError('BAD_INPUT', Messages.badValue(what, c, 'a number strictly between 0 and 1 (0.99 for 99%)'));
}

/**
 * Everything of the report but the Monte Carlo figures, plus the Monte Carlo plans to run: the
 * app runs the plans' blocks on its worker pool (progress, cancel), the CLI runs them in place.
 * Structured-clone data only (it crosses from a worker to the page).
 */
export interface PreparedRisk {
  report: Omit<RiskReport, 'mc' | 'contributions' | 'limit' | 'status' | 'monteCarlo'> & { limit: RiskLimit };
  /** The Monte Carlo run at the report's horizon and confidence. */
  plan: MonteCarloPlan;
  /** The run at the limit's horizon and confidence, when they differ from the report's. */
  limitPlan: MonteCarloPlan | null;
}

/** Validate, estimate, and compute the non-Monte-Carlo figures (see the module comment). */
export function prepareRisk(k: Kernels, input: RiskInputs): PreparedRisk {
  const equity = input.equity ?? DEFAULT_EQUITY;
  checkEquity(equity);
  const paths = input.paths ?? DEFAULT_MC_PATHS;
  const horizon = input.horizon ?? DEFAULT_MC_HORIZON;
  const confidence = input.confidence ?? DEFAULT_MC_CONFIDENCE;
  const seed = input.seed ?? DEFAULT_SEED;
  const drift = input.drift ?? 'mean';
  const lookback = input.lookback ?? DEFAULT_LOOKBACK_DAYS;
  const limit: RiskLimit = { ...DEFAULT_RISK_LIMIT, ...input.limit };
  checkConfidence(confidence, 'confidence');
  checkConfidence(limit.confidence, 'limit confidence');
  if (!(limit.amount > 0 && Number.isFinite(limit.amount))) {
    throw new AstraError('BAD_INPUT', Messages.badValue('risk limit', limit.amount, 'a positive amount of money'));
  }
  if (!Number.isSafeInteger(horizon) || horizon < 1) throw new AstraError('BAD_INPUT', Messages.badValue('horizon', horizon, 'a whole number of trading days ≥ 1'));

  const held = input.book.filter((p) => p.shares !== 0);
  if (held.length === 0) throw new AstraError('BAD_INPUT', Messages.emptyBook());
  const tickers = held.map((p) => p.ticker);
  // Name every book ticker the prices lack, not just the first: after a switch of data source
  // the user sees at once which positions cannot be priced.
  const unknown = tickers.filter((t) => !input.prices.tickers.includes(t));
  if (unknown.length === 1) throw new AstraError('UNKNOWN_TICKER', Messages.unknownPriceTicker(unknown[0], input.prices.tickers), { ticker: unknown[0] });
  if (unknown.length > 1) throw new AstraError('UNKNOWN_TICKER', Messages.unknownPriceTickers(unknown, input.prices.tickers), { ticker: unknown[0] });
  const stats = marketStats(k, input.prices, { lookback, tickers, estimator: input.estimator });
  const lost = tickers.filter((t) => !stats.tickers.includes(t));
  if (lost.length > 0) {
    const why = stats.dropped.tickers.map((d) => `${mention(d.ticker)}: ${d.reason}`).join('; ');
    throw new AstraError('INSUFFICIENT_DATA', Messages.bookTickersWithoutReturns(lost, why), { ticker: lost[0] });
  }
  const T = stats.observations;
  if (T < horizon) throw new AstraError('INSUFFICIENT_DATA', Messages.tooFewForHorizon(T, horizon));
  const notionals = Float64Array.from(held, (p) => p.shares * p.price);
  const market = { covDaily: stats.covDaily, meanDaily: stats.meanDaily, drift, tickers };

  const plan = planMonteCarlo(k, { ...market, seed, paths, horizon, notionals, confidence, limit: limit.amount, equity });
  const limitPlan =
    limit.horizon === horizon && limit.confidence === confidence
      ? null
      : planMonteCarlo(k, { ...market, seed, paths, horizon: limit.horizon, notionals, confidence: limit.confidence, equity, pathOutputs: false });
  const param = parametricVar({ ...market, notionals, horizon, confidence });
  const hist = historicalVar(stats.returns, notionals, T, horizon, confidence);
  const report: PreparedRisk['report'] = {
    tickers,
    notionals,
    equity,
    paths,
    horizon,
    confidence,
    seed,
    drift,
    lookback,
    window: { first: stats.first, last: stats.last, observations: T },
    parametric: {
      var: param.var,
      es: param.es,
      varPct: pct(param.var, equity),
      esPct: pct(param.es, equity),
      contributions: byTicker(tickers, param.varContributions, param.esContributions),
    },
    historical: {
      var: hist.var,
      es: hist.es,
      varPct: pct(hist.var, equity),
      esPct: pct(hist.es, equity),
      windows: hist.windows,
      varScaled: hist.varScaled,
      esScaled: hist.esScaled,
    },
    limit,
    warnings: stats.warnings,
  };
  if (input.backtest) {
    const history = alignedReturns(input.prices, { lookback: ALL_HISTORY_DAYS, tickers });
    report.backtest = backtestVar({
      returns: history.returns,
      dates: history.dates,
      notionals,
      lookback,
      method: input.backtest,
      drift,
      confidence: 0.99,
      kernels: k,
      seed,
    });
  }
  if (input.stress) {
    report.stress = [
      ...worstWindows(stats.returns, stats.dates, notionals, horizon),
      ...input.stress.shocks.map((s) => applyShock(s, tickers, notionals)),
    ];
  }
  return { report, plan, limitPlan };
}

function byTicker(tickers: readonly string[], a: Float64Array, b: Float64Array): Record<string, { var: number; es: number }> {
  return Object.fromEntries(tickers.map((t, i) => [t, { var: a[i], es: b[i] }]));
}

/** Complete a prepared report with its Monte Carlo results (and the limit run's, if it had one). */
export function finishRisk(prepared: PreparedRisk, mc: MonteCarloResult, limitRun: MonteCarloResult | null): RiskReport {
  const { report } = prepared;
  const atLimit = limitRun ?? mc;
  return {
    ...report,
    mc: {
      var: mc.var,
      es: mc.es,
      varPct: pct(mc.var, report.equity),
      esPct: pct(mc.es, report.equity),
      se: mc.se.var,
      esSe: mc.se.es,
      ci95: mc.ci95.var,
      esCi95: mc.ci95.es,
      worstLossInHorizon: mc.worstLossInHorizon,
      breachProbability: mc.breachProbability,
    },
    contributions: byTicker(report.tickers, mc.contributions.var, mc.contributions.es),
    limit: { ...report.limit, var: atLimit.var },
    status: atLimit.var > report.limit.amount ? 'HALTED' : 'OK',
    monteCarlo: mc,
  };
}

/** Compute the whole report in place (the CLI's path; see the module comment). */
export function computeRisk(k: Kernels, input: RiskInputs): RiskReport {
  const prepared = prepareRisk(k, input);
  return finishRisk(prepared, runPlan(k, prepared.plan), prepared.limitPlan ? runPlan(k, prepared.limitPlan) : null);
}
