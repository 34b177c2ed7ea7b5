import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normals } from '../random/draws.ts';
import type { PriceTable } from '../types.ts';
import { generateDemoMarket, weekdays, type DemoMarket } from '../demo.ts';
import { choleskyFailure } from './repair.ts';
import { marketStats } from './stats.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

/** A synthetic table: `n` tickers T0… over `days` weekdays, one common factor, seeded. */
function market(n: number, days: number, seed: number): PriceTable {
  const dates = weekdays('2024-01-01', '2030-12-31').slice(0, days);
  const z = normals(k, (n + 1) * days, seed);
  const closes = Array.from({ length: n }, (_, j) => {
    const c = new Float64Array(days);
    let p = 100 + j;
    for (let d = 0; d < days; d++) {
      p *= Math.exp(0.01 * z[j * days + d] + 0.008 * z[n * days + d]);
      c[d] = p;
    }
    return c;
  });
  return { dates, tickers: Array.from({ length: n }, (_, j) => `T${j}`), closes };
}

describe('marketStats on the demo market', () => {
  it('recovers the true daily covariance within sampling error (4 standard errors per entry)', () => {
    const s = marketStats(k, demo.prices);
    const truth = demo.truth.dailyCovariance;
    const n = s.tickers.length;
    expect(s.tickers).toEqual(demo.truth.tickers);
    expect([s.observations, s.first, s.last, s.estimator, s.repair]).toEqual([522, '2024-11-21', '2026-11-20', 'sample', null]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // Var of a sample covariance of normals: (σᵢᵢσⱼⱼ + σᵢⱼ²)/T.
        const se = Math.sqrt((truth[i * n + i] * truth[j * n + j] + truth[i * n + j] ** 2) / s.observations);
        expect(Math.abs(s.covDaily[i * n + j] - truth[i * n + j])).toBeLessThan(4 * se);
      }
      expect(s.volAnnual[i]).toBe(Math.sqrt(252 * s.covDaily[i * n + i]));
    }
  });

  it('reports every estimator by name, with the same sample mean; Ledoit–Wolf states intensity and target, EWMA its λ', () => {
    const sample = marketStats(k, demo.prices, { estimator: 'sample' });
    const lw = marketStats(k, demo.prices, { estimator: 'ledoit-wolf' });
    const ewma = marketStats(k, demo.prices, { estimator: 'ewma' });
    expect(lw.estimator).toBe('ledoit-wolf');
    expect(lw.shrinkage).toBeGreaterThan(0);
    expect(lw.shrinkage).toBeLessThan(0.1);
    expect(lw.target?.kind).toBe('scaled-identity');
    expect(ewma.lambda).toBe(0.94);
    expect(sample.shrinkage).toBeUndefined();
    expect(ewma.shrinkage).toBeUndefined();
    for (let i = 0; i < 7; i++) {
      expect(lw.meanDaily[i]).toBe(sample.meanDaily[i]);
      expect(ewma.meanDaily[i]).toBeCloseTo(sample.meanDaily[i], 17);
    }
    expect(() => marketStats(k, demo.prices, { estimator: 'garch' as never })).toThrow(/estimator must be one of sample, ledoit-wolf, ewma, got "garch"/);
  });
});

describe('marketStats: properties', () => {
  it('permuting the price columns permutes every output; results are symmetric and positive definite', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 0, max: 1e5 }), fc.constantFrom('sample', 'ledoit-wolf', 'ewma' as const), (n, seed, estimator) => {
        const prices = market(n, 60, seed);
        const order = Array.from({ length: n }, (_, j) => j).reverse();
        const shuffled: PriceTable = { dates: prices.dates, tickers: order.map((j) => prices.tickers[j]), closes: order.map((j) => prices.closes[j]) };
        const a = marketStats(k, prices, { estimator });
        const b = marketStats(k, shuffled, { estimator });
        expect(b.tickers).toEqual(order.map((j) => a.tickers[j]));
        for (let i = 0; i < n; i++) {
          expect(b.meanDaily[i]).toBeCloseTo(a.meanDaily[order[i]], 16);
          for (let j = 0; j < n; j++) {
            const want = a.covDaily[order[i] * n + order[j]];
            expect(Math.abs(b.covDaily[i * n + j] - want)).toBeLessThan(1e-14 * Math.sqrt(a.covDaily[order[i] * (n + 1)] * a.covDaily[order[j] * (n + 1)]));
            expect(a.covDaily[i * n + j]).toBe(a.covDaily[j * n + i]);
          }
        }
        if (estimator === 'ledoit-wolf') expect(b.shrinkage! / a.shrinkage!).toBeCloseTo(1, 12);
        expect(choleskyFailure(k, a.covDaily, n)).toBe(-1);
      }),
      { numRuns: 30 },
    );
  });

  it('scaling a price column leaves its log returns, and so every estimate, unchanged', () => {
    const prices = market(4, 80, 11);
    const scaled: PriceTable = { ...prices, closes: prices.closes.map((c, j) => (j === 2 ? c.map((p) => p * 37.5) : c)) };
    const a = marketStats(k, prices);
    const b = marketStats(k, scaled);
    for (let i = 0; i < 16; i++) expect(b.covDaily[i]).toBeCloseTo(a.covDaily[i], 15);
  });
});

describe('marketStats: bad input gets an error or a warning', () => {
  it('more assets than observations: sample and EWMA are refused with the counts; Ledoit–Wolf works and warns', () => {
    const prices = market(12, 9, 5); // 8 returns, 12 assets
    expect(() => marketStats(k, prices)).toThrow(
      '12 assets but only 8 observations (2024-01-02 … 2024-01-11): the sample covariance needs more observations than assets, or it is singular. ' +
        'Use the ledoit-wolf estimator (--estimator ledoit-wolf), a longer lookback or fewer tickers',
    );
    expect(() => marketStats(k, prices, { estimator: 'ewma' })).toThrow(expect.objectContaining({ code: 'INSUFFICIENT_DATA', where: { assets: 12, observations: 8 } }));
    const lw = marketStats(k, prices, { estimator: 'ledoit-wolf' });
    expect(lw.repair).toBeNull();
    expect(choleskyFailure(k, lw.covDaily, 12)).toBe(-1);
    expect(lw.warnings).toContain(`12 assets and only 8 observations: the ledoit-wolf estimate leans on its target (shrinkage ${lw.shrinkage!.toFixed(4)})`);
    // Equal counts are singular too (rank ≤ T − 1).
    expect(() => marketStats(k, market(8, 9, 5))).toThrow(/8 assets but only 8 observations/);
  });

  it('a price that never moves: a warning naming it, then the repair, reported', () => {
    const prices = market(3, 40, 2);
    prices.closes[1].fill(42);
    const s = marketStats(k, prices);
    expect(s.warnings[0]).toBe('T1 has zero variance in the window: every return is 0 (the price does not move)');
    expect(s.repair).toMatchObject({ method: 'eigenvalue-clip', clipped: 1, failedRow: 1 });
    expect(s.warnings[1]).toMatch(/^daily covariance was not positive definite \(the Cholesky pivot of T1 was not positive\): 1 of 3 eigenvalues raised to the floor/);
    expect(s.covDaily[4]).toBeCloseTo(s.repair!.floor, 25);
    expect(choleskyFailure(k, s.covDaily, 3)).toBe(-1);
  });

  it('two identical columns (collinear): repaired and reported', () => {
    const prices = market(3, 50, 3);
    prices.tickers[2] = 'COPY';
    prices.closes[2] = prices.closes[0].map((p) => 2 * p);
    const s = marketStats(k, prices, { estimator: 'ewma' });
    expect(s.repair?.method).toBe('eigenvalue-clip');
    expect(s.repair?.clipped).toBe(1);
    expect(s.warnings.at(-1)).toMatch(/pivot of COPY was not positive/);
    expect(choleskyFailure(k, s.covDaily, 3)).toBe(-1);
  });

  it('missing prices: the gaps are reported, never filled', () => {
    const prices = market(3, 30, 4);
    prices.closes[0][10] = NaN;
    prices.closes[2][10] = NaN;
    prices.closes[1][20] = NaN;
    const s = marketStats(k, prices);
    expect(s.observations).toBe(27);
    expect(s.dropped.dates).toEqual([
      { date: prices.dates[10], missing: ['T0', 'T2'] },
      { date: prices.dates[20], missing: ['T1'] },
    ]);
    expect(s.dates).not.toContain(prices.dates[10]);
  });

  it('an all-constant market has nothing to estimate', () => {
    const prices = market(2, 10, 1);
    prices.closes.forEach((c) => c.fill(5));
    expect(() => marketStats(k, prices)).toThrow(expect.objectContaining({ code: 'NOT_POSITIVE_DEFINITE' }));
  });
});
