/**
 * The optimizer on the engine pool over real worker_threads: a frontier split into blocks gives
 * the in-process frontier bit for bit at 1 and 2 workers, and `portfolio.solve` the in-process solve.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../node.ts';
import type { Kernels } from '../../kernels.ts';
import { generateDemoMarket } from '../../demo.ts';
import { marketStats } from '../../market/stats.ts';
import { solveFrontier } from '../../portfolio/frontier.ts';
import { solvePortfolio } from '../../portfolio/solve.ts';
import type { PortfolioProblem } from '../../portfolio/types.ts';
import { createNodePool } from '../node.ts';
import { runFrontierOnPool } from './portfolio.ts';

let k: Kernels;
let problem: PortfolioProblem;
beforeAll(async () => {
  k = await loadKernels();
  const demo = generateDemoMarket(k);
  const s = marketStats(k, demo.prices);
  problem = {
    tickers: s.tickers,
    covAnnual: s.covDaily.map((v) => 252 * v),
    expectedReturn: s.meanDaily.map((v) => 252 * v),
    mode: 'meanvar',
    gross: 2,
    net: 0,
    netTol: 0.1,
  };
});

describe('optimizer on the engine pool', () => {
  const pools: ReturnType<typeof createNodePool>[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
  });

  it.each([1, 2])('a 20-point frontier on %i worker(s) equals the in-process one, bit for bit', async (size) => {
    const pool = createNodePool({ size });
    pools.push(pool);
    for (const [p, spec] of [
      [problem, { points: 20 }],
      [{ ...problem, mode: 'minvar' as const, net: 0.5, netTol: 0 }, { points: 12 }],
    ] as const) {
      const expected = solveFrontier(k, p, spec);
      const got = await runFrontierOnPool(pool, p, spec);
      expect(got).toEqual(expected);
      expect(got.every((x) => x.status === 'optimal')).toBe(true);
    }
  });

  it('portfolio.solve gives the in-process answer, warm start included', async () => {
    const pool = createNodePool({ size: 1 });
    pools.push(pool);
    const first = solvePortfolio(k, problem);
    const moved = { ...problem, gross: 1.8 };
    const got = await pool.run({ task: 'portfolio.solve', arg: { problem: moved, warm: first.warm }, label: 'Inventory' });
    expect(got.weights).toEqual(solvePortfolio(k, moved, first.warm).weights);
  });
});
