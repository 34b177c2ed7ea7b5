import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CHARTABLE,
  backtestSeries,
  contributionRows,
  histogramRange,
  linear,
  lossBand,
  niceStep,
  pnlHistogram,
  ticks,
  zeroBasedDomain,
} from './risk-chart.ts';

describe('niceStep and ticks', () => {
  it('cuts a span into about `count` round steps', () => {
    expect(niceStep(100, 10)).toBe(10);
    expect(niceStep(100, 7)).toBe(20);
    expect(niceStep(300_000, 6)).toBe(50_000);
    expect(niceStep(0.9, 4)).toBe(0.25);
    expect(niceStep(0, 5)).toBe(1);
  });

  it('gives round ticks inside the range, zero exactly zero', () => {
    expect(ticks(-0.30000000000000004, 0.3, 3)).toEqual([-0.25, 0, 0.25]);
    expect(ticks(0, 0.3, 3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(ticks(-237_512, 96_004, 5)).toEqual([-200_000, -100_000, 0]);
    expect(Object.is(ticks(-1, 1, 2)[1], 0)).toBe(true);
    expect(ticks(5, 5, 4)).toEqual([5]);
  });

  it('maps a domain linearly onto a range', () => {
    const x = linear(-10, 10, 0, 200);
    expect([x(-10), x(0), x(10)]).toEqual([0, 100, 200]);
    expect(linear(3, 3, 0, 10)(3)).toBe(5);
  });
});

describe('pnlHistogram', () => {
  it('counts a hand-worked sample into round bins across blocks', () => {
    const h = pnlHistogram([[-3, -1, 0], [0.5, 2, 2]], { bins: 5, sds: 10 });
    expect(h.width).toBe(1);
    expect(h.start).toBe(-3);
    expect(h.counts).toEqual([1, 0, 1, 2, 2]); // [−3,−2) [−2,−1) [−1,0) [0,1) [1,2]: the last bin holds its right edge
    expect([h.total, h.below, h.above, h.min, h.max]).toEqual([6, 0, 0, -3, 2]);
    expect(h.mean).toBeCloseTo(0.0833333333, 9);
  });

  it('leaves extreme paths out of the bars but counts them', () => {
    const bulk = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
    const h = pnlHistogram([bulk, [1e6, -1e6]], { bins: 40, sds: 5 });
    expect(h.below).toBe(1);
    expect(h.above).toBe(1);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    const [lo, hi] = histogramRange(h);
    expect(hi - lo).toBeLessThan(0.25 * 2e6);
  });

  it('widens its range to hold the figures it must show (VaR, ES, their bands)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i - 500) / 10);
    values.push(-400);
    const h = pnlHistogram([values], { bins: 20, sds: 2, include: [-400, NaN] });
    expect(histogramRange(h)[0]).toBeLessThanOrEqual(-400);
    expect(h.below).toBe(0);
  });

  it('skips non-finite values and handles a sample of one value', () => {
    const h = pnlHistogram([[NaN, 7, 7, Infinity]]);
    expect([h.skipped, h.total, h.counts]).toEqual([2, 2, [2]]);
    expect(h.start).toBeLessThan(7);
    expect(h.start + h.width).toBeGreaterThan(7);
    expect(pnlHistogram([]).total).toBe(0);
  });

  it('accounts for every finite path, in bars or beyond them', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 50 }), { maxLength: 5 }), fc.integer({ min: 1, max: 100 }), (blocks, bins) => {
        const h = pnlHistogram(blocks, { bins });
        const inBars = h.counts.reduce((a, b) => a + b, 0);
        const n = blocks.reduce((a, b) => a + b.length, 0);
        return inBars + h.below + h.above === n && h.total === n && h.counts.length <= bins * 1.25 + 2;
      }),
    );
  });
});

describe('lossBand', () => {
  it('turns a loss interval into a P&L span, cut to the drawn range', () => {
    expect(lossBand([100, 150], -500, 500)).toEqual({ from: -150, to: -100, openLeft: false, openRight: false });
    expect(lossBand([100, Infinity], -500, 500)).toEqual({ from: -500, to: -100, openLeft: true, openRight: false });
    expect(lossBand([-Infinity, 150], -500, 500)).toEqual({ from: -150, to: 500, openLeft: false, openRight: true });
    expect(lossBand([NaN, 150], -500, 500)).toBeNull();
    expect(lossBand([600, 700], -500, 500)).toBeNull();
  });
});

describe('contribution bars', () => {
  it('puts the largest contribution first and hedges last, with shares of the total', () => {
    const rows = contributionRows(['A', 'B', 'C'], { A: { var: 10, es: 12 }, B: { var: -5, es: -4 }, C: { var: 95, es: 110 } }, 100);
    expect(rows.map((r) => r.ticker)).toEqual(['C', 'A', 'B']);
    expect(rows.map((r) => r.share)).toEqual([0.95, 0.1, -0.05]);
    expect(contributionRows(['X'], {}, 0)[0]).toEqual({ ticker: 'X', var: NaN, es: NaN, share: NaN });
  });

  it('always shows zero on a bar axis', () => {
    expect(zeroBasedDomain([5, 12, NaN])).toEqual([0, 12]);
    expect(zeroBasedDomain([-3, 2])).toEqual([-3, 2]);
  });
});

describe('backtestSeries', () => {
  it('draws −VaR as the line, P&L as bars coloured on exception days, and never a gap as 0', () => {
    const s = backtestSeries(
      {
        dates: ['d1', 'd2', 'd3'],
        var: new Float64Array([10, NaN, 12]),
        pnl: new Float64Array([-11, 3, NaN]),
        exception: new Uint8Array([1, 0, 0]),
      },
      { normal: 'grey', exception: 'red' },
    );
    expect(s.pnl).toEqual([{ time: 'd1', value: -11, color: 'red' }, { time: 'd2', value: 3, color: 'grey' }, { time: 'd3' }]);
    expect(s.threshold).toEqual([{ time: 'd1', value: -10 }, { time: 'd2' }, { time: 'd3', value: -12 }]);
    expect(s.exceptions).toEqual([{ time: 'd1', pnl: -11, var: 10 }]);
    expect(s.offscale).toBe(0);
  });

  it('leaves out, and counts, values the chart library cannot draw (a book at the input rules’ extremes)', () => {
    const s = backtestSeries(
      { dates: ['d1', 'd2'], var: new Float64Array([1e14, 5]), pnl: new Float64Array([-2e14, CHARTABLE]), exception: new Uint8Array([1, 0]) },
      { normal: 'grey', exception: 'red' },
    );
    expect(s.pnl).toEqual([{ time: 'd1' }, { time: 'd2', value: CHARTABLE, color: 'grey' }]);
    expect(s.threshold).toEqual([{ time: 'd1' }, { time: 'd2', value: -5 }]);
    expect([s.offscale, s.exceptions]).toEqual([1, []]);
  });
});
