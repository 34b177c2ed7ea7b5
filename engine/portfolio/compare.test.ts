/**
 * The comparison (equal weight, current, optimum) and the rebalance, on hand-worked numbers: the
 * funding rules (docs/conventions.md, "Funding"), the parametric VaR formula with the published 99%
 * normal quantile, whole shares rounded half away from zero, and the risk limit's flag.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_LIMIT } from '../risk/var.ts';
import { comparePortfolios } from './compare.ts';
import { rebalance } from './rebalance.ts';

const Z99 = 2.3263478740408408; // standard normal 0.99-quantile
const tickers = ['AAPL', 'JPM'];
const covDaily = [4e-4, 1e-4, 1e-4, 2.25e-4];
const meanDaily = [5e-4, -2e-4];
const equity = 1_000_000;
const carry = { rfr: 0.036 };

/** 10-day 99% parametric VaR of notionals N, by the convention's formula. */
function var10(N: number[]): number {
  const q = N[0] * N[0] * covDaily[0] + 2 * N[0] * N[1] * covDaily[1] + N[1] * N[1] * covDaily[3];
  return -10 * (meanDaily[0] * N[0] + meanDaily[1] * N[1]) + Z99 * Math.sqrt(10) * Math.sqrt(q);
}

/** Annual carry of notionals (long AAPL, short JPM): −N·(RFR + 50 bp) + |N|·(RFR − 25 bp − 40 bp), × 365/360. */
function carryAnnual(long: number, short: number): number {
  return ((-long * (0.036 + 0.005) + short * (0.036 - 0.0065)) * 365) / 360;
}

describe('comparePortfolios', () => {
  it('equal weight at the gross limit with the sides, the current book and the optimum', () => {
    const rows = comparePortfolios({
      tickers,
      covDaily,
      meanDaily,
      equity,
      current: [0.5, -0.3],
      optimum: [0.8, -0.7],
      gross: 1.5,
      sides: { AAPL: 'long', JPM: 'short' },
      carry,
    });
    expect(rows.map((r) => r.name)).toEqual(['equal', 'current', 'optimum']);
    expect(Array.from(rows[0].weights)).toEqual([0.75, -0.75]);
    const cases: [number, number][] = [
      [0.75, -0.75],
      [0.5, -0.3],
      [0.8, -0.7],
    ];
    rows.forEach((row, j) => {
      const [a, b] = cases[j];
      const variance = a * a * covDaily[0] + 2 * a * b * covDaily[1] + b * b * covDaily[3];
      expect(row.volAnnual).toBeCloseTo(Math.sqrt(252 * variance), 14);
      expect(row.var10d99).toBeCloseTo(var10([a * equity, b * equity]), 6);
      expect(row.carryAnnual).toBeCloseTo(carryAnnual(a * equity, -b * equity), 6);
      expect(row.leverage).toBeCloseTo(Math.abs(a) + Math.abs(b), 15);
      expect(row.net).toBeCloseTo(a + b, 15);
    });
  });

  it('equal weight is long-only without sides, and skips flat assets', () => {
    const base = { tickers, covDaily, meanDaily, equity, current: [0, 0], optimum: [0, 0], gross: 2, carry };
    expect(Array.from(comparePortfolios(base)[0].weights)).toEqual([1, 1]);
    expect(Array.from(comparePortfolios({ ...base, sides: { AAPL: 'flat' } })[0].weights)).toEqual([0, 2]);
  });
});

describe('rebalance', () => {
  const book = [
    { ticker: 'AAPL', shares: 1500, price: 200 },
    { ticker: 'JPM', shares: -1000, price: 150 },
    { ticker: 'XOM', shares: 300, price: 100 },
  ];

  it('whole shares at the last prices, the trades, the funding change and the VaR flag', () => {
    // 0.3·1e6/200 = 1500 exactly; −0.1·1e6/150 = −666.67 → −667 (half away from zero rounds like a long).
    const r = rebalance({ tickers, weights: [0.3, -0.1], book, prices: [200, 150], equity, covDaily, meanDaily, carry });
    expect(r.target).toEqual([
      { ticker: 'AAPL', shares: 1500, price: 200 },
      { ticker: 'JPM', shares: -667, price: 150 },
    ]);
    expect(r.trades).toEqual([
      { ticker: 'JPM', currentShares: -1000, targetShares: -667, shares: 333, price: 150, notional: 333 * 150 },
      { ticker: 'XOM', currentShares: 300, targetShares: 0, shares: -300, price: 100, notional: -30_000 },
    ]);
    // Daily funding: −N_long·(RFR + 50 bp)/360 + |N_short|·(RFR − 65 bp)/360, target minus current.
    const daily = (long: number, short: number) => (-long * 0.041 + short * 0.0295) / 360;
    expect(r.fundingDailyChange).toBeCloseTo(daily(300_000, 100_050) - daily(300_000 + 30_000, 150_000), 9);
    expect(r.targetVar).toBeCloseTo(var10([300_000, -100_050]), 6);
    expect(r.limit).toBe(DEFAULT_RISK_LIMIT.amount);
    expect(r.breachesLimit).toBe(false);
  });

  it('flags a target whose 10-day 99% VaR is above the limit', () => {
    const r = rebalance({ tickers, weights: [3, 0], book: [], prices: [200, 150], equity, covDaily, meanDaily, carry });
    expect(r.targetVar).toBeGreaterThan(DEFAULT_RISK_LIMIT.amount);
    expect(r.breachesLimit).toBe(true);
    expect(rebalance({ tickers, weights: [3, 0], book: [], prices: [200, 150], equity, covDaily, meanDaily, carry, limit: 1e9 }).breachesLimit).toBe(false);
  });

  it('refuses to size a trade without a price, naming the ticker', () => {
    expect(() => rebalance({ tickers, weights: [0.3, -0.1], book: [], prices: [200, NaN], equity, covDaily, meanDaily, carry })).toThrow(
      'last price of JPM must be a positive number to size its trade, got NaN',
    );
  });
});
