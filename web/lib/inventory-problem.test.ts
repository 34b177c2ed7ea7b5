import { describe, expect, it } from 'vitest';
import { solvePortfolioTs } from '../../engine/portfolio/baseline.ts';
import { TRADING_DAYS_PER_YEAR } from '../../engine/units.ts';
import { defaultInventorySettings } from './inventory-settings.ts';
import { annualCov, currentWeights, frontierSpec, inventoryProblem, outsideUniverse, portfolioPoint, sidesOf, type InventoryMarket } from './inventory-problem.ts';

const book = {
  equity: 1_000_000,
  positions: [
    { ticker: 'A', shares: 1000, price: 100 }, // +10%
    { ticker: 'B', shares: -500, price: 200 }, // −10%
    { ticker: 'X', shares: 10, price: 5 }, // outside the universe
  ],
};

/** Two uncorrelated assets, daily variances 1e-4 and 4e-4, and a third held by nobody. */
const market: InventoryMarket = {
  tickers: ['A', 'B', 'C'],
  covDaily: Float64Array.from([1e-4, 0, 0, 0, 4e-4, 0, 0, 0, 2e-4]),
  meanDaily: Float64Array.from([4e-4, 2e-4, 0]),
  lastPrices: Float64Array.from([100, 200, 50]),
  window: { first: '2025-01-02', last: '2026-11-20', observations: 480 },
  lookback: 730,
  warnings: [],
};

describe('the optimizer problem of the panel', () => {
  it('takes current weights and sides from the book, in the universe order', () => {
    expect(Array.from(currentWeights(market.tickers, book))).toEqual([0.1, -0.1, 0]);
    expect(sidesOf(market.tickers, book)).toEqual({ A: 'long', B: 'short', C: 'flat' });
    expect(outsideUniverse(market.tickers, book)).toEqual(['X']);
  });

  it('annualises Σ and μ with 252 trading days', () => {
    const p = inventoryProblem(market, { ...defaultInventorySettings(), mode: 'meanvar' }, book, null);
    expect(p.covAnnual[4]).toBeCloseTo(TRADING_DAYS_PER_YEAR * 4e-4, 15);
    expect(Array.from(p.expectedReturn!)).toEqual([252 * 4e-4, 252 * 2e-4, 0]);
    expect(p.sides).toBeUndefined();
    expect(p.current).toEqual({ A: 0.1, B: -0.1, C: 0 });
  });

  it('passes bounds of the universe only, one-sided where only one side is set, and the carry only when on', () => {
    const settings = { ...defaultInventorySettings(), carry: false, bounds: { A: { lower: null, upper: 0.3 }, Z: { lower: 0, upper: 1 }, B: { lower: -0.2, upper: 0 } } };
    const carry = { rfr: 0.04 };
    const p = inventoryProblem(market, settings, book, carry);
    expect(p.bounds).toEqual({ A: { upper: 0.3 }, B: { lower: -0.2, upper: 0 } });
    expect(p.carry).toBeUndefined();
    expect(inventoryProblem(market, { ...settings, carry: true }, book, carry).carry).toBe(carry);
    expect(p.sides).toEqual({ A: 'long', B: 'short', C: 'flat' }); // signed (the default)
  });

  it('gives the closed form through the engine: minvar at net 100% on uncorrelated assets is w ∝ 1/σ²', () => {
    // Σ⁻¹1 ∝ (1/1, 1/4, 1/2) → w = (4/7, 1/7, 2/7) at net 1, gross 1 (not binding: all long).
    const p = inventoryProblem(market, { ...defaultInventorySettings(), mode: 'minvar', net: 1, gross: 2 }, book, null);
    const r = solvePortfolioTs(p);
    expect(r.status).toBe('optimal');
    [4 / 7, 1 / 7, 2 / 7].forEach((w, i) => expect(r.weights![i]).toBeCloseTo(w, 12));
    // The point of those weights is the solver's own figures.
    const pt = portfolioPoint(r.weights!, p.covAnnual, p.expectedReturn!);
    expect(pt.volAnnual).toBeCloseTo(r.volAnnual, 14);
    expect(pt.expectedReturn).toBeCloseTo(r.expectedReturn, 14);
    expect(pt.gross).toBeCloseTo(1, 14);
  });

  it('computes a portfolio point by hand: vol √(wᵀΣw), expected return μᵀw, gross and net', () => {
    const cov = annualCov(market.covDaily);
    const pt = portfolioPoint([0.1, -0.1, 0], cov, [0.1, 0.05, 0]);
    expect(pt.volAnnual).toBeCloseTo(Math.sqrt(252 * (0.01 * 1e-4 + 0.01 * 4e-4)), 15);
    expect(pt.expectedReturn).toBeCloseTo(0.005, 15);
    expect([pt.gross, pt.net]).toEqual([0.2, 0]);
  });

  it('traces the frontier across γ for meanvar and across gross otherwise, over the sliders’ ranges', () => {
    expect(frontierSpec({ ...defaultInventorySettings(), mode: 'meanvar' })).toEqual({ axis: 'gamma', points: 21, from: 0.01, to: 1000 });
    expect(frontierSpec({ ...defaultInventorySettings(), mode: 'minvar' })).toEqual({ axis: 'gross', points: 21 });
    expect(frontierSpec(defaultInventorySettings()).axis).toBe('gross');
  });
});
