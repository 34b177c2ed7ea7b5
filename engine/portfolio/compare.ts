/**
 * The comparison the Inventory module shows beside the optimum: equal weight, the current book and
 * the optimum, each with its annual volatility, 10-day 99% parametric VaR (engine/risk/parametric.ts,
 * at the risk limit's horizon and confidence), annual funding carry (engine/book/funding.ts) and
 * leverage. Weights are fractions of equity; money is weight × equity.
 */
import { computeFunding } from '../book/funding.ts';
import { parametricVar } from '../risk/parametric.ts';
import { DEFAULT_RISK_LIMIT } from '../risk/var.ts';
import { TRADING_DAYS_PER_YEAR } from '../units.ts';
import type { CarryOptions, ComparePortfoliosFn, ComparisonRow } from './types.ts';

/** Funding of weights `w` as a book of notionals (shares = notional at a price of 1). */
export function carryOfWeights(tickers: readonly string[], w: ArrayLike<number>, equity: number, carry: CarryOptions) {
  const positions = tickers.map((ticker, i) => ({ ticker, shares: w[i] * equity, price: 1 }));
  return computeFunding(positions, equity, carry);
}

/** 10-day 99% parametric VaR (the risk limit's horizon and confidence) of weights `w`, money. */
export function varOfWeights(covDaily: ArrayLike<number>, meanDaily: ArrayLike<number>, w: ArrayLike<number>, equity: number): number {
  const notionals = Float64Array.from({ length: w.length }, (_, i) => w[i] * equity);
  return parametricVar({ covDaily, meanDaily, notionals, horizon: DEFAULT_RISK_LIMIT.horizon, confidence: DEFAULT_RISK_LIMIT.confidence }).var;
}

/**
 * Equal weight, current and optimum side by side. The equal-weight book puts the same magnitude in
 * every asset with a side (long unless `sides` says short; flat assets get nothing) and uses the
 * gross limit `gross` in full.
 */
export const comparePortfolios: ComparePortfoliosFn = (input) => {
  const { tickers, covDaily, meanDaily, equity, carry } = input;
  const n = tickers.length;
  const signs = tickers.map((t) => {
    const s = input.sides?.[t];
    return s === 'short' ? -1 : s === 'flat' ? 0 : 1;
  });
  const held = signs.filter((s) => s !== 0).length;
  const equal = Float64Array.from(signs, (s) => (held > 0 ? (s * input.gross) / held : 0));
  const row = (name: ComparisonRow['name'], weights: Float64Array): ComparisonRow => {
    let variance = 0;
    let gross = 0;
    let net = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += covDaily[i * n + j] * weights[j];
      variance += weights[i] * s;
      gross += Math.abs(weights[i]);
      net += weights[i];
    }
    return {
      name,
      weights,
      volAnnual: Math.sqrt(Math.max(0, TRADING_DAYS_PER_YEAR * variance)),
      var10d99: varOfWeights(covDaily, meanDaily, weights, equity),
      carryAnnual: carryOfWeights(tickers, weights, equity, carry).totalAnnual,
      leverage: gross,
      net,
    };
  };
  return [row('equal', equal), row('current', Float64Array.from(input.current)), row('optimum', Float64Array.from(input.optimum))];
};
