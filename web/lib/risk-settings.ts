/**
 * The Risk module's inputs: what the panel's sliders and fields hold, their defaults, how they are
 * stored (the module's own slot, validated field by field), the paths slider's stops, and the
 * engine's `RiskInputs` built from them with today's book and the market's prices. Pure: no DOM.
 */
import type { Position } from '../../engine/types.ts';
import type { BacktestMethod, Drift, PriceTable, RiskInputs, Shock } from '../workers/protocol.ts';
import {
  CONFIDENCE_PERCENT_RULE,
  HORIZON_RULE,
  LOOKBACK_RULE,
  PATHS_RULE,
  RISK_LIMIT_RULE,
  SEED_RULE,
  SHOCK_PERCENT_RULE,
  type FieldRule,
} from './input-rules.ts';
import { isRecord, type Slot } from './storage.ts';

/** The VaR model of the backtest (the engine's list). */
export type { BacktestMethod };

/** A stress shock: a simple price change applied to one ticker, or to every position (`ticker: null`). */
export interface ShockSpec {
  ticker: string | null;
  /** Simple return, −0.1 = the price falls 10%. */
  change: number;
}

/** Everything the panel's inputs hold. */
export interface RiskSettings {
  /** c in [0.90, 0.999] (a fraction: 0.99 = 99%). */
  confidence: number;
  /** Trading days. */
  horizon: number;
  /** Monte Carlo paths. */
  paths: number;
  /** Estimation window, calendar days. */
  lookback: number;
  seed: number;
  drift: Drift;
  /** The risk limit, money, on the desk's 10-day 99% VaR. */
  limit: number;
  backtest: BacktestMethod;
  shocks: ShockSpec[];
}

/** Most shocks kept (the stress table stays readable). */
export const MAX_SHOCKS = 12;

/**
 * The defaults: the CLI's (`astra var`: 99%, 10 days, 5,000 paths, 730 days, seed 1, drift mean,
 * the desk's $150,000 limit), the parametric backtest, and the whole book ±10%. Written out here
 * rather than imported from engine/risk, whose modules would pull the risk code into the entry
 * chunk; risk-settings.test.ts checks they agree.
 */
export function defaultRiskSettings(): RiskSettings {
  return {
    confidence: 0.99,
    horizon: 10,
    paths: 5000,
    lookback: 730,
    seed: 1,
    drift: 'mean',
    limit: 150_000,
    backtest: 'parametric',
    shocks: [
      { ticker: null, change: -0.1 },
      { ticker: null, change: 0.1 },
    ],
  };
}

/** The paths slider's stops (1-2-5 steps); a typed count between them sits at the nearest. */
export const PATH_STOPS: readonly number[] = [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

/** The stop nearest to `paths` on a log scale. */
export function pathsStop(paths: number): number {
  let best = 0;
  for (let i = 1; i < PATH_STOPS.length; i++) {
    if (Math.abs(Math.log(paths / PATH_STOPS[i])) < Math.abs(Math.log(paths / PATH_STOPS[best]))) best = i;
  }
  return best;
}

/** The engine's shocks for `specs` on a book holding `tickers` (every held ticker for `ticker: null`). */
export function shocksFor(specs: readonly ShockSpec[], tickers: readonly string[]): Shock[] {
  return specs.map((s, i) => ({
    name: `shock ${i + 1}`,
    returns: Object.fromEntries((s.ticker === null ? tickers : [s.ticker]).map((t) => [t, s.change])),
  }));
}

/** The engine's inputs: today's book (prices filled) and equity, the market's prices, the settings. */
export function riskInputs(book: { positions: readonly Position[]; equity: number }, prices: PriceTable, s: RiskSettings): RiskInputs {
  const held = book.positions.filter((p) => p.shares !== 0).map((p) => p.ticker);
  return {
    prices,
    book: book.positions.map((p) => ({ ...p })),
    equity: book.equity,
    paths: s.paths,
    horizon: s.horizon,
    confidence: s.confidence,
    lookback: s.lookback,
    seed: s.seed,
    drift: s.drift,
    limit: { amount: s.limit },
    backtest: s.backtest,
    stress: { shocks: shocksFor(s.shocks, held) },
  };
}

const within = (v: unknown, rule: FieldRule, scale = 1): v is number =>
  typeof v === 'number' && v * scale >= rule.min && v * scale <= rule.max && (!rule.integer || Number.isInteger(v));

/** The stored record: the settings and a version. */
export interface StoredRisk extends RiskSettings {
  version: 1;
}

/** The Risk module's slot: a bad field falls back to its default alone, with a warning naming it. */
/** The numeric inputs: the field name messages use, the rule (in the unit shown) and the shown/stored scale. */
export const RISK_NUMBER_FIELDS = {
  confidence: { label: 'confidence', rule: CONFIDENCE_PERCENT_RULE, scale: 100 },
  horizon: { label: 'horizon', rule: HORIZON_RULE, scale: 1 },
  paths: { label: 'paths', rule: PATHS_RULE, scale: 1 },
  lookback: { label: 'lookback', rule: LOOKBACK_RULE, scale: 1 },
  seed: { label: 'seed', rule: SEED_RULE, scale: 1 },
  limit: { label: 'risk limit', rule: RISK_LIMIT_RULE, scale: 1 },
} satisfies Record<string, { label: string; rule: FieldRule; scale: number }>;

/** One of the numeric inputs. */
export type RiskNumberField = keyof typeof RISK_NUMBER_FIELDS;

export const RISK_SLOT: Slot<RiskSettings> = {
  key: 'astra.risk.v1',
  what: 'the saved risk settings',
  read(data, warn) {
    if (!isRecord(data)) throw new Error('it is not an object');
    if (data.version !== 1) throw new Error(`unknown version ${String(data.version)}`);
    const d = defaultRiskSettings();
    const out = { ...d };
    for (const [field, { rule, scale }] of Object.entries(RISK_NUMBER_FIELDS) as [RiskNumberField, (typeof RISK_NUMBER_FIELDS)[RiskNumberField]][]) {
      // Confidence is stored as a fraction: 0.99 must read as 99 under the percent rule, with
      // 0.999·100 = 99.9 allowed for float rounding.
      const v = data[field];
      if (within(v, rule, scale) || (field === 'confidence' && typeof v === 'number' && Math.abs(v * 100 - rule.max) < 1e-9)) out[field] = v as number;
      else warn(`${field} ${JSON.stringify(v)} was replaced by ${d[field]}`);
    }
    if (data.drift === 'mean' || data.drift === 'zero') out.drift = data.drift;
    else warn(`drift ${JSON.stringify(data.drift)} was replaced by ${d.drift}`);
    if (data.backtest === 'parametric' || data.backtest === 'historical' || data.backtest === 'montecarlo') out.backtest = data.backtest;
    else warn(`backtest method ${JSON.stringify(data.backtest)} was replaced by ${d.backtest}`);
    if (Array.isArray(data.shocks)) {
      out.shocks = data.shocks.slice(0, MAX_SHOCKS).flatMap((s, i) => {
        const ticker = isRecord(s) ? s.ticker : undefined;
        const tickerOk = ticker === null || (typeof ticker === 'string' && /^[A-Z0-9.\-=^]{1,15}$/.test(ticker));
        if (isRecord(s) && tickerOk && within(s.change, SHOCK_PERCENT_RULE, 100)) return [{ ticker: ticker as string | null, change: s.change as number }];
        warn(`shock ${i + 1} was dropped (not a valid {ticker, change})`);
        return [];
      });
    } else {
      warn('the shocks were replaced by the defaults');
    }
    return out;
  },
};
