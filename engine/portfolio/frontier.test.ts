/**
 * Frontiers: across γ the optimum trades expected return for volatility monotonically (both fall
 * as γ rises); across gross the least variance at full deployment grows with the gross; points
 * solved warm equal the same points solved cold; the range and blocks are as documented.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { FRONTIER_BLOCK_POINTS, FRONTIER_GAMMA_RANGE, frontierBlocks, frontierValues, solveFrontier } from './frontier.ts';
import { solvePortfolio } from './solve.ts';
import type { PortfolioProblem } from './types.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

function problem(n: number, mode: PortfolioProblem['mode']): PortfolioProblem {
  const tickers = Array.from({ length: n }, (_, i) => `S${i}`);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) cov[i * n + j] = 0.02 * (1 + 0.3 * Math.sin(i + 1) * Math.sin(j + 1)) + (i === j ? 0.03 + 0.01 * (i % 5) : 0);
  }
  return {
    tickers,
    covAnnual: cov,
    expectedReturn: tickers.map((_, i) => 0.02 + 0.02 * Math.cos(3 * i)),
    mode,
    gross: 2,
    net: mode === 'signed' ? 0 : 0.2,
    netTol: mode === 'signed' ? 0.5 : 0,
    sides: Object.fromEntries(tickers.map((t, i) => [t, i % 3 === 0 ? 'short' : 'long'])),
  };
}

describe('frontier', () => {
  it('across γ: log-spaced on the default range, expected return and volatility both fall as γ rises', () => {
    const p = problem(30, 'meanvar');
    const points = solveFrontier(k, p, { points: 20 });
    expect(points.map((x) => x.gamma)).toEqual(frontierValues(p, { points: 20 }));
    expect(points[0].gamma).toBeCloseTo(FRONTIER_GAMMA_RANGE[0], 14);
    expect(points[19].gamma).toBeCloseTo(FRONTIER_GAMMA_RANGE[1], 12);
    for (let j = 1; j < points.length; j++) {
      expect(points[j].status).toBe('optimal');
      expect(points[j].expectedReturn).toBeLessThanOrEqual(points[j - 1].expectedReturn + 1e-12);
      expect(points[j].volAnnual).toBeLessThanOrEqual(points[j - 1].volAnnual + 1e-12);
    }
  });

  it('across gross (signed): volatility grows with the balance sheet deployed', () => {
    const p = problem(12, 'signed');
    const points = solveFrontier(k, p, { points: 10, from: 0.5, to: 3 });
    points.forEach((x, j) => expect(x.gross).toBeCloseTo(0.5 + (2.5 * j) / 9, 14));
    for (let j = 1; j < points.length; j++) expect(points[j].volAnnual).toBeGreaterThan(points[j - 1].volAnnual);
  });

  it('warm-started points equal cold solves of the same problems', () => {
    const p = problem(40, 'meanvar');
    const spec = { points: 12 };
    const points = solveFrontier(k, p, spec);
    for (const x of points) {
      const cold = solvePortfolio(k, { ...p, gamma: x.gamma });
      for (let i = 0; i < 40; i++) expect(x.weights![i]).toBeCloseTo(cold.weights![i], 10);
    }
  });

  it('minvar across gross starts at the least feasible gross: no infeasible points', () => {
    const p = { ...problem(8, 'minvar'), net: 0.9 };
    const values = frontierValues(p, { points: 5 });
    expect(values[0]).toBeCloseTo(0.9, 14);
    expect(solveFrontier(k, p, { points: 5 }).every((x) => x.status === 'optimal')).toBe(true);
  });

  it('cuts the points into blocks of FRONTIER_BLOCK_POINTS, in order', () => {
    const blocks = frontierBlocks(problem(5, 'meanvar'), { points: 12 });
    expect(blocks.map((b) => b.values.length)).toEqual([FRONTIER_BLOCK_POINTS, FRONTIER_BLOCK_POINTS, 12 - 2 * FRONTIER_BLOCK_POINTS]);
    expect(blocks.flatMap((b) => b.values)).toEqual(frontierValues(problem(5, 'meanvar'), { points: 12 }));
    expect(() => frontierValues(problem(5, 'meanvar'), { points: 1 })).toThrow('frontier points must be an integer from 2 to 1000, got 1');
  });
});
