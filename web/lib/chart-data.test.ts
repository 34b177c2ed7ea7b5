import { describe, expect, it } from 'vitest';
import { cumulativeLogReturns, lastCloses, lastQuote } from '../../engine/market/chart-series.ts';
import { lastValue, linePoints } from './chart-data.ts';
import { heatColor, heatIntensity, maxAbs } from './heatmap.ts';
import type { PriceTable } from '../../engine/types.ts';

const table: PriceTable = {
  dates: ['2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06'],
  tickers: ['AAA', '^IRX', 'BBB'],
  closes: [
    new Float64Array([100, NaN, 110, 121]),
    new Float64Array([3.5, 3.6, NaN, 3.55]),
    new Float64Array([NaN, 50, 25, NaN]),
  ],
};

describe('cumulative log returns', () => {
  const r = cumulativeLogReturns(table);

  it('leaves rate series out and keeps the asset order', () => {
    expect(r.tickers).toEqual(['AAA', 'BBB']);
    expect(r.dates).toEqual(table.dates);
  });

  it('is 100·ln(P_t/P_first) with gaps kept as NaN, never 0', () => {
    expect(r.values[0][0]).toBe(0);
    expect(r.values[0][1]).toBeNaN();
    expect(r.values[0][2]).toBeCloseTo(100 * Math.log(1.1), 12);
    expect(r.values[0][3]).toBeCloseTo(100 * Math.log(1.21), 12);
    expect(r.values[1][0]).toBeNaN(); // before the first close
    expect(r.values[1][1]).toBe(0);
    expect(r.values[1][2]).toBeCloseTo(100 * Math.log(0.5), 12);
    expect(r.values[1][3]).toBeNaN();
  });

  it('turns gaps into whitespace points for the chart', () => {
    expect(linePoints(r, 1)).toEqual([
      { time: '2026-01-01' },
      { time: '2026-01-02', value: 0 },
      { time: '2026-01-05', value: r.values[1][2] },
      { time: '2026-01-06' },
    ]);
    expect(lastValue(r, 1)).toBe(r.values[1][2]);
  });

  it('finds last closes and the last ^IRX quote', () => {
    expect(lastCloses(table)).toEqual({ AAA: 121, '^IRX': 3.55, BBB: 25 });
    expect(lastQuote(table, '^IRX')).toEqual({ date: '2026-01-06', value: 3.55 });
    expect(lastQuote(table, '^TNX')).toBeNull();
  });
});

describe('heatmap', () => {
  it('colours cost red and income green, scaled by |value| / max', () => {
    expect(maxAbs([-47.3, 37.4, NaN, 14.8])).toBe(47.3);
    expect(heatIntensity(-47.3, 47.3)).toBe(70);
    expect(heatIntensity(23.65, 47.3)).toBe(35);
    expect(heatColor(-47.3, 47.3)).toBe('color-mix(in oklab, var(--heat-cost) 70%, transparent)');
    expect(heatColor(14.8, 47.3)).toContain('var(--heat-income)');
    expect(heatColor(0, 47.3)).toBe('transparent');
    expect(heatColor(NaN, 47.3)).toBe('transparent');
    expect(heatColor(5, 0)).toBe('transparent');
  });
});
