/**
 * The Alpha module's tasks: the pair run through a real worker equals `runPair` in place (the
 * typed arrays survive the trip), the demo's true β comes back aligned to the bars asked for, and
 * the timestamp alignment matches instants, not strings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../node.ts';
import type { Kernels } from '../../kernels.ts';
import { generateDemoMarket, type DemoMarket } from '../../demo.ts';
import { runPair } from '../../pairs/run.ts';
import { createNodePool } from '../node.ts';
import { alignByTimestamp, demoBeta } from './alpha.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

const column = (t: string) => demo.bars.closes[demo.bars.tickers.indexOf(t)];

describe('alpha.pair on the pool', () => {
  const pool = createNodePool({ size: 1 });
  afterAll(() => pool.dispose());

  it('gives runPair’s calibration and report for the two columns sent, through a worker', async () => {
    const options = { y: 'GS', x: 'MS', entry: 1.5, costBps: 1 };
    const got = await pool.run({
      task: 'alpha.pair',
      label: 'Alpha',
      arg: { timestamps: demo.bars.timestamps, y: column('GS'), x: column('MS'), options },
    });
    const want = runPair(k, demo.bars, options);
    expect(got.fitted).toEqual(want.fitted);
    expect(got.report.trades).toEqual(want.report.trades);
    expect(got.report.afterCosts.sharpe).toBe(want.report.afterCosts.sharpe);
    expect(got.report.series?.z).toEqual(want.report.series?.z);
    expect(got.report.afterCosts.equity).toEqual(want.report.afterCosts.equity);
    expect(got.report.halted).toBe(false);
  });

  it('opens no trade when the risk status is HALTED, and counts the entries refused', async () => {
    const options = { y: 'JPM', x: 'C', halted: true };
    const got = await pool.run({ task: 'alpha.pair', label: 'Alpha', arg: { timestamps: demo.bars.timestamps, y: column('JPM'), x: column('C'), options } });
    const free = runPair(k, demo.bars, { y: 'JPM', x: 'C' });
    expect(got.report.halted).toBe(true);
    expect(got.report.trades).toEqual([]);
    expect(free.report.roundTrips).toBeGreaterThan(0);
    expect(got.report.blockedEntries).toBeGreaterThan(0);
  });
});

describe('the demo’s true β', () => {
  it('is JPM/C’s drifting path, bar for bar, from 2.62 to 2.69', () => {
    const got = demoBeta(k, { y: 'JPM', x: 'C', timestamps: demo.bars.timestamps });
    expect(got?.kind).toBe('path');
    expect(got?.beta).toEqual(demo.truth.hedgeRatio);
    expect(got?.beta[0]).toBeCloseTo(2.62, 12);
    expect(got?.beta.at(-1)).toBeCloseTo(2.69, 2);
  });

  it('is the fixed β of the other pairs built cointegrated, and none for any other pair or order', () => {
    const some = demo.bars.timestamps.slice(100, 110);
    const bac = demoBeta(k, { y: 'BAC', x: 'WFC', timestamps: some });
    expect(bac).toEqual({ kind: 'constant', beta: new Float64Array(10).fill(0.59) });
    expect(demoBeta(k, { y: 'C', x: 'JPM', timestamps: some })).toBeNull();
    expect(demoBeta(k, { y: 'JPM', x: 'BAC', timestamps: some })).toBeNull();
  });

  it('lines up with the bars asked for: a bar the demo lacks is a gap', () => {
    const ts = demo.bars.timestamps;
    const asked = [ts[5], '2026-10-12T08:00:00-04:00', ts[7]].sort((a, b) => Date.parse(a) - Date.parse(b));
    const got = demoBeta(k, { y: 'JPM', x: 'C', timestamps: asked })!;
    expect(Array.from(got.beta)).toEqual([Number.NaN, demo.truth.hedgeRatio[5], demo.truth.hedgeRatio[7]]);
  });
});

describe('alignByTimestamp', () => {
  it('matches instants, so one minute written in two offsets is one bar', () => {
    const from = ['2026-11-20T14:30:00Z', '2026-11-20T14:31:00Z', '2026-11-20T14:33:00Z'];
    const to = ['2026-11-20T09:30:00-05:00', '2026-11-20T09:32:00-05:00', '2026-11-20T09:33:00-05:00', '2026-11-20T09:34:00-05:00'];
    expect(Array.from(alignByTimestamp(to, from, [1, 2, 3]))).toEqual([1, Number.NaN, 3, Number.NaN]);
    expect(Array.from(alignByTimestamp([], from, [1, 2, 3]))).toEqual([]);
  });
});
