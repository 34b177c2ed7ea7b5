/** The pairs tasks over real worker_threads: the same run as in place, bit for bit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../node.ts';
import type { Kernels } from '../../kernels.ts';
import { generateDemoMarket, type DemoMarket } from '../../demo.ts';
import { runPair } from '../../pairs/run.ts';
import { createNodePool } from '../node.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

describe('pairs on the engine pool', () => {
  const pool = createNodePool({ size: 1 });
  afterAll(() => pool.dispose());

  it('pairs.demo hands over the demo bars and the true β; pairs.run gives the in-place run', async () => {
    const got = await pool.run({ task: 'pairs.demo', label: 'pairs demo' });
    expect(got.bars.timestamps).toEqual(demo.bars.timestamps);
    expect(Array.from(got.truthBeta)).toEqual(Array.from(demo.truth.hedgeRatio));
    const options = { y: 'JPM', x: 'C', costBps: 1 };
    const remote = await pool.run({ task: 'pairs.run', label: 'pair run', arg: { bars: got.bars, options } });
    const local = runPair(k, demo.bars, options);
    expect(remote.fitted).toEqual(local.fitted);
    expect(remote.report.trades).toEqual(local.report.trades);
    expect(Array.from(remote.report.series!.z)).toEqual(Array.from(local.report.series!.z));
    expect(remote.report.afterCosts.sharpe).toBe(local.report.afterCosts.sharpe);
  });
});
