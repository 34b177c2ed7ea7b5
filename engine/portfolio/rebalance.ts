/**
 * The rebalance from the current book to the optimum: the target book in whole shares at the last
 * prices (weight × equity / price, rounded half away from zero), the trade list, the change in daily
 * funding it brings (engine/book/funding.ts), and whether the target's 10-day 99% parametric VaR
 * breaches the risk limit (engine/risk/var.ts `DEFAULT_RISK_LIMIT` unless given).
 */
import { AstraError, mention, Messages } from '../errors.ts';
import { computeFunding } from '../book/funding.ts';
import { DEFAULT_RISK_LIMIT } from '../risk/var.ts';
import type { Position } from '../types.ts';
import { varOfWeights } from './compare.ts';
import type { RebalanceFn, Trade } from './types.ts';

/** x rounded to a whole number, halves away from zero (so a short rounds like a long). */
function roundShares(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * The rebalance (see the module comment). Book tickers outside `tickers` are sold (target 0).
 * @throws AstraError `BAD_INPUT` for a ticker of the optimum without a positive, finite last price.
 */
export const rebalance: RebalanceFn = (input) => {
  const { tickers, weights, book, prices, equity, carry } = input;
  const limit = input.limit ?? DEFAULT_RISK_LIMIT.amount;
  const held = new Map<string, Position>();
  for (const p of book) held.set(p.ticker, p);
  const target: Position[] = [];
  const trades: Trade[] = [];
  const targetWeights = new Float64Array(tickers.length);
  tickers.forEach((ticker, i) => {
    const price = prices[i];
    const was = held.get(ticker);
    if (!(price > 0 && Number.isFinite(price))) {
      if (weights[i] === 0 && !was) return;
      throw new AstraError('BAD_INPUT', Messages.badValue(`last price of ${mention(ticker)}`, price, 'a positive number to size its trade'), { ticker });
    }
    const shares = roundShares((weights[i] * equity) / price);
    targetWeights[i] = (shares * price) / equity;
    const currentShares = was?.shares ?? 0;
    if (shares !== 0) target.push({ ticker, shares, price });
    if (shares !== currentShares) trades.push({ ticker, currentShares, targetShares: shares, shares: shares - currentShares, price, notional: (shares - currentShares) * price });
  });
  const universe = new Set(tickers);
  for (const p of book) {
    if (universe.has(p.ticker) || p.shares === 0) continue;
    trades.push({ ticker: p.ticker, currentShares: p.shares, targetShares: 0, shares: -p.shares, price: p.price, notional: -p.shares * p.price });
  }
  const fundingDailyChange = computeFunding(target, equity, carry).totalDaily - computeFunding(book, equity, carry).totalDaily;
  const targetVar = varOfWeights(input.covDaily, input.meanDaily, targetWeights, equity);
  return { trades, target, fundingDailyChange, targetVar, limit, breachesLimit: targetVar > limit };
};
