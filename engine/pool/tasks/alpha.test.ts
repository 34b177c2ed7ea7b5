/**
 * `alpha.truth`: the demo's true β comes back aligned to the bars asked for, and the timestamp
 * alignment matches instants, not strings.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../../node.ts';
import type { Kernels } from '../../kernels.ts';
import { generateDemoMarket, type DemoMarket } from '../../demo.ts';
import { alignByTimestamp, demoBeta } from './alpha.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
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
