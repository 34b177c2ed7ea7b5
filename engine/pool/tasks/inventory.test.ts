/**
 * The Inventory tasks on the demo market: `inventory.prepare` is `marketStats` with the last
 * closes; `inventory.step` answers the solve of its problem (the same as solving it directly, warm
 * or cold), and a rebalance whose whole shares and funding change agree with the book engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../node.ts';
import type { Kernels } from '../../kernels.ts';
import { generateDemoMarket, type DemoMarket } from '../../demo.ts';
import { marketStats } from '../../market/stats.ts';
import { computeFunding } from '../../book/funding.ts';
import { solvePortfolio } from '../../portfolio/solve.ts';
import { solveFrontier } from '../../portfolio/frontier.ts';
import { inventoryPrepare, inventoryStep, type InventoryMarket, type InventoryStepArg } from './inventory.ts';
import { currentWeights, frontierSpec, inventoryProblem } from '../../../web/lib/inventory-problem.ts';
import { defaultInventorySettings, type InventorySettings } from '../../../web/lib/inventory-settings.ts';

let k: Kernels;
let demo: DemoMarket;
let market: InventoryMarket;
const carry = { rfr: 0.036, longSpreadBps: 50, shortSpreadBps: 25, borrowBps: 40, borrowOverrides: { GS: 150 } };

beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
  market = inventoryPrepare(k, { prices: demo.prices, lookback: 730 });
});

function arg(settings: Partial<InventorySettings> = {}): InventoryStepArg {
  const s = { ...defaultInventorySettings(), ...settings };
  const book = { positions: demo.book, equity: demo.equity };
  return {
    problem: inventoryProblem(market, s, book, s.carry ? carry : null),
    frontier: frontierSpec(s),
    covDaily: market.covDaily,
    meanDaily: market.meanDaily,
    lastPrices: market.lastPrices,
    current: currentWeights(market.tickers, book),
    book: demo.book,
    equity: demo.equity,
    carry,
    limit: 150_000,
  };
}

describe('inventory tasks', () => {
  it('prepare: the market statistics of the universe and its last closes', () => {
    const stats = marketStats(k, demo.prices, { lookback: 730 });
    expect(market.tickers).toEqual(stats.tickers);
    expect(market.tickers).not.toContain('^IRX');
    expect(Array.from(market.covDaily)).toEqual(Array.from(stats.covDaily));
    expect(market.window).toEqual({ first: stats.first, last: stats.last, observations: stats.observations });
    const aapl = demo.prices.closes[demo.prices.tickers.indexOf('AAPL')];
    expect(market.lastPrices[market.tickers.indexOf('AAPL')]).toBe(aapl[aapl.length - 1]);
  });

  it('step: the solve of its problem, cold or warm-started, and no frontier when none is asked for', () => {
    const a = arg({ gross: 2 });
    const cold = inventoryStep(k, a);
    expect(cold.result.status).toBe('optimal');
    expect(Array.from(cold.result.weights!)).toEqual(Array.from(solvePortfolio(k, a.problem).weights!));
    const b = arg({ gross: 2.5 });
    const warm = inventoryStep(k, { ...b, warm: cold.result.warm, frontier: null });
    const direct = solvePortfolio(k, b.problem);
    warm.result.weights!.forEach((w, i) => expect(w).toBeCloseTo(direct.weights![i], 12));
    expect(warm.frontier).toBeNull();
    expect(cold.frontier?.ok && cold.frontier.value.map((p) => p.volAnnual)).toEqual(solveFrontier(k, a.problem, a.frontier!).map((p) => p.volAnnual));
    expect(cold.frontier?.ok && cold.frontier.value).toHaveLength(21);
  });

  it('step: the rebalance trades whole shares to the optimum at the last prices, and its funding change is the book engine’s', () => {
    const a = arg({ mode: 'meanvar', gross: 1.5, net: 0.1 });
    const step = inventoryStep(k, a);
    expect(step.rebalance?.ok).toBe(true);
    if (!step.rebalance?.ok) return;
    const rb = step.rebalance.value;
    market.tickers.forEach((t, i) => {
      // The nearest whole share to w·equity/price; a target of 0 shares leaves the target book.
      const shares = rb.target.find((p) => p.ticker === t)?.shares ?? 0;
      expect(Number.isInteger(shares)).toBe(true);
      expect(Math.abs(shares - (step.result.weights![i] * demo.equity) / market.lastPrices[i])).toBeLessThanOrEqual(0.5);
      const held = demo.book.find((p) => p.ticker === t)?.shares ?? 0;
      const trade = rb.trades.find((x) => x.ticker === t);
      expect(trade?.shares ?? 0).toBe(shares - held);
    });
    const daily = (positions: { ticker: string; shares: number; price: number }[]) => computeFunding(positions.filter((p) => p.shares !== 0), demo.equity, carry).totalDaily;
    expect(rb.fundingDailyChange).toBeCloseTo(daily(rb.target) - daily(demo.book), 8);
    expect(rb.breachesLimit).toBe(rb.targetVar > 150_000);
    const rows = step.comparison?.ok ? step.comparison.value : [];
    expect(rows.map((r) => r.name)).toEqual(['equal', 'current', 'optimum']);
    expect(rows[2].volAnnual).toBeCloseTo(step.result.volAnnual, 12);
    expect(rows[2].leverage).toBeCloseTo(step.result.gross, 12);
  });

  it('step: an infeasible problem has its conflict and nothing to compare or trade', () => {
    const step = inventoryStep(k, arg({ bounds: { AAPL: { lower: 3, upper: null } }, mode: 'minvar' }));
    expect(step.result.status).toBe('infeasible');
    expect(step.result.weights).toBeNull();
    expect(step.result.conflict).toMatch(/AAPL/);
    expect([step.comparison, step.rebalance]).toEqual([null, null]);
  });
});
