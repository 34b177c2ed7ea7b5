/**
 * Risk through the pool over real worker_threads: the same report as computing it in place, bit
 * for bit, at 1 and 2 workers (blocks land on whichever worker is free), with progress reported
 * and a cancel honoured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../node.ts';
import type { Kernels } from '../../kernels.ts';
import { generateDemoMarket, type DemoMarket } from '../../demo.ts';
import { computeRisk, type RiskInputs } from '../../risk/var.ts';
import { createNodePool } from '../node.ts';
import { CancelledError } from '../errors.ts';
import { runRiskOnPool } from './risk.ts';
import { quantileSorted } from '../../risk/quantile.ts';
import { MC_BLOCK_PATHS } from '../../risk/montecarlo.ts';
import type { Pool } from '../pool.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

function inputs(extra: Partial<RiskInputs> = {}): RiskInputs {
  return { prices: demo.prices, book: demo.book, equity: demo.equity, paths: 20_000, seed: 5, backtest: 'parametric', ...extra };
}

describe('risk on the engine pool', () => {
  const pools: ReturnType<typeof createNodePool>[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
  });

  it.each([1, 2])('gives the in-place report bit for bit on %i worker(s), limit run included', async (size) => {
    const pool = createNodePool({ size });
    pools.push(pool);
    const expected = computeRisk(k, inputs({ horizon: 5, confidence: 0.975 }));
    const seen: number[] = [];
    const got = await runRiskOnPool(pool, inputs({ horizon: 5, confidence: 0.975 }), { progress: (f) => seen.push(f) });
    expect(got.mc).toEqual(expected.mc);
    expect(got.contributions).toEqual(expected.contributions);
    expect(got.limit).toEqual(expected.limit);
    expect(got.status).toBe(expected.status);
    expect(got.parametric).toEqual(expected.parametric);
    expect(got.backtest?.exceptions).toBe(expected.backtest?.exceptions);
    expect(seen.at(-1)).toBe(1);
  });

  it('stops between blocks when cancelled', async () => {
    const pool = createNodePool({ size: 1 });
    pools.push(pool);
    const abort = new AbortController();
    const run = runRiskOnPool(pool, inputs({ paths: 1_000_000 }), {
      signal: abort.signal,
      progress: (f) => {
        if (f > 0 && !abort.signal.aborted) abort.abort();
      },
    });
    setTimeout(() => abort.abort(), 2_000);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('hands over the P&L the report was read from (not the limit run’s), and passes retries to every task', async () => {
    const pool = createNodePool({ size: 2 });
    pools.push(pool);
    const retries: unknown[] = [];
    const spy = { run: (spec: { retries?: number }) => (retries.push(spec.retries), pool.run(spec as never)) } as unknown as Pool;
    const seen: Float64Array[][] = [];
    const input = inputs({ paths: 5300, horizon: 3, confidence: 0.95 });
    const report = await runRiskOnPool(spy, input, { retries: 1, onPnl: (blocks) => seen.push(blocks) });
    expect(seen).toHaveLength(1);
    expect(seen[0].map((b) => b.length)).toEqual([MC_BLOCK_PATHS, MC_BLOCK_PATHS, 5300 - 2 * MC_BLOCK_PATHS]);
    const all = Float64Array.from(seen[0].flatMap((b) => [...b])).sort();
    expect(-quantileSorted(all, 1 - 0.95)).toBe(report.mc.var);
    // prepare, the report's blocks, the limit's blocks: each with the retries asked for.
    expect(retries).toEqual([1, 1, 1]);
  });

  it('calls onPnl neither for a cancelled run nor for a failed one', async () => {
    const pool = createNodePool({ size: 1 });
    pools.push(pool);
    const seen: unknown[] = [];
    const abort = new AbortController();
    abort.abort();
    await expect(runRiskOnPool(pool, inputs(), { signal: abort.signal, onPnl: (b) => seen.push(b) })).rejects.toBeInstanceOf(CancelledError);
    await expect(runRiskOnPool(pool, inputs({ horizon: 0 }), { onPnl: (b) => seen.push(b) })).rejects.toThrow('horizon');
    expect(seen).toEqual([]);
  });
});
