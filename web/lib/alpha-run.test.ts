/**
 * The Alpha module's runs through real worker_threads: the pair run on its two columns alone gives
 * `runPair`'s figures on the whole bar table (the other columns need not travel), the risk halt
 * opens no trade, the scan equals `scanPairs` in one thread, and the demo's true β comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../engine/node.ts';
import type { Kernels } from '../../engine/kernels.ts';
import { generateDemoMarket, type DemoMarket } from '../../engine/demo.ts';
import { runPair } from '../../engine/pairs/run.ts';
import { scanPairs } from '../../engine/pairs/scan.ts';
import { createNodePool } from '../../engine/pool/node.ts';
import { alphaRunners, pairColumns } from './alpha-run.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });

describe('the Alpha module’s pool runs', () => {
  const pool = createNodePool({ size: 2 });
  afterAll(() => pool.dispose());
  const runners = alphaRunners(pool);

  it('runs the pair on its two columns with runPair’s figures on the whole table', async () => {
    const options = { y: 'GS', x: 'MS', entry: 1.5, costBps: 1 };
    const got = await runners.pair(demo.bars, options, ctx());
    const want = runPair(k, demo.bars, options);
    expect(got.fitted).toEqual(want.fitted);
    expect(got.report.trades).toEqual(want.report.trades);
    expect(got.report.series?.z).toEqual(want.report.series?.z);
    expect(got.report.afterCosts).toEqual(want.report.afterCosts);
  });

  it('opens no trade under the risk halt and counts the entries refused', async () => {
    const got = await runners.pair(demo.bars, { y: 'JPM', x: 'C', halted: true }, ctx());
    expect(got.report.halted).toBe(true);
    expect(got.report.trades).toEqual([]);
    expect(got.report.blockedEntries).toBe(runPair(k, demo.bars, { y: 'JPM', x: 'C', halted: true }).report.blockedEntries);
    expect(got.report.blockedEntries).toBeGreaterThan(0);
  });

  it('scans every pair with scanPairs’ figures, and brings the demo’s true β', async () => {
    const got = await runners.scan(demo.bars, ctx());
    expect(got).toEqual(scanPairs(k, demo.bars, { top: 0 }));
    expect(got.pairs).toHaveLength(45);
    const truth = await runners.truth(demo.bars, 'JPM', 'C', ctx());
    expect(truth?.beta).toEqual(demo.truth.hedgeRatio);
  });

  it('sends only the pair’s columns, and names a ticker the bars lack', () => {
    const table = pairColumns(demo.bars, 'GS', 'MS');
    expect(table.tickers).toEqual(['GS', 'MS']);
    expect(table.closes[0]).toBe(demo.bars.closes[demo.bars.tickers.indexOf('GS')]);
    expect(table.timestamps).toBe(demo.bars.timestamps);
    expect(() => pairColumns(demo.bars, 'AAPL', 'MS')).toThrow(/AAPL is not among the bars' tickers \(JPM, C, /);
  });
});
