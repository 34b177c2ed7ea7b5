/**
 * The pair scan through the pool over real worker_threads: the same result as scanning in place,
 * bit for bit, at 1 and 2 workers, with progress, a cancel and the bad-input errors of a block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMarket, type DemoMarket } from '../../demo.ts';
import type { Kernels } from '../../kernels.ts';
import { loadKernels } from '../../node.ts';
import { scanPairs } from '../../pairs/scan.ts';
import { CancelledError } from '../errors.ts';
import { createNodePool } from '../node.ts';
import { runScanOnPool } from './scan.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

describe('the pair scan on the engine pool', () => {
  const pools: ReturnType<typeof createNodePool>[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.dispose()));
  });

  it.each([1, 2])('gives the in-place result bit for bit on %i worker(s)', async (size) => {
    const pool = createNodePool({ size });
    pools.push(pool);
    const expected = scanPairs(k, demo.bars, { top: 0 }, demo.label);
    const seen: number[] = [];
    const got = await runScanOnPool(pool, demo.bars, { top: 0 }, { source: demo.label, progress: (f) => seen.push(f) });
    expect(got).toEqual(expected);
    expect(seen.at(-1)).toBe(1);
  });

  it('stops when cancelled', async () => {
    const pool = createNodePool({ size: 1 });
    pools.push(pool);
    const controller = new AbortController();
    const run = runScanOnPool(pool, demo.bars, {}, { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses bad input before any block runs', async () => {
    const pool = createNodePool({ size: 1 });
    pools.push(pool);
    await expect(runScanOnPool(pool, { ...demo.bars, tickers: ['JPM'], closes: [demo.bars.closes[0]] }, {}, { source: 'x.csv' })).rejects.toThrow(
      'x.csv has only one ticker column (JPM)',
    );
  });
});
