import { describe, expect, it } from 'vitest';
import { cumulativeLogReturns, lastCloses, lastQuote } from '../../engine/market/chart-series.ts';
import { lastValue, linePoints, panSpan, pnlBars, rangeLabel, seriesPoints, showsAll, visibleDates, zoomSpan } from './chart-data.ts';
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

describe('visible range', () => {
  const dates = ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09'];

  it('names the first and last whole bar inside the logical range, clamped to the data', () => {
    expect(visibleDates(dates, { from: -0.5, to: 4.5 })).toEqual({ from: '2026-01-05', to: '2026-01-09', fromIndex: 0, toIndex: 4 });
    expect(visibleDates(dates, { from: 0.2, to: 3.9 })).toEqual({ from: '2026-01-06', to: '2026-01-08', fromIndex: 1, toIndex: 3 });
    expect(visibleDates(dates, { from: 1 - 1e-9, to: 3 + 1e-9 })?.fromIndex).toBe(1); // float noise
    expect(visibleDates(dates, { from: -20, to: 80 })).toMatchObject({ fromIndex: 0, toIndex: 4 });
    expect(visibleDates(dates, { from: 2.2, to: 2.8 })).toBeNull(); // between two bars
    expect(visibleDates(dates, { from: 6, to: 9 })).toBeNull();
    expect(visibleDates(dates, null)).toBeNull();
    expect(visibleDates([], { from: 0, to: 1 })).toBeNull();
  });

  it('reads “from … to …” and knows the full range', () => {
    const all = visibleDates(dates, { from: -0.5, to: 4.5 });
    expect(rangeLabel(all)).toBe('from 2026-01-05 to 2026-01-09');
    expect(rangeLabel(null)).toBe('');
    expect(showsAll(all, dates.length)).toBe(true);
    expect(showsAll(visibleDates(dates, { from: 0.5, to: 4 }), dates.length)).toBe(false);
  });

  it('zooms about the centre and pans by a fraction of the width', () => {
    expect(zoomSpan({ from: 0, to: 100 }, 0.5)).toEqual({ from: 25, to: 75 });
    expect(zoomSpan({ from: 0, to: 100 }, 2)).toEqual({ from: -50, to: 150 });
    expect(zoomSpan({ from: 10, to: 12 }, 0.5)).toEqual({ from: 8.5, to: 13.5 }); // at least 5 bars
    expect(panSpan({ from: 0, to: 100 }, -0.1)).toEqual({ from: -10, to: 90 });
  });

  it('colours P&L bars by sign and keeps gaps', () => {
    expect(pnlBars(['a', 'b', 'c', 'd'], [NaN, 2, -1, 0], 'G', 'L')).toEqual([
      { time: 'a' },
      { time: 'b', value: 2, color: 'G' },
      { time: 'c', value: -1, color: 'L' },
      { time: 'd', value: 0, color: 'G' },
    ]);
    expect(seriesPoints(['a', 'b'], new Float64Array([NaN, 3]))).toEqual([{ time: 'a' }, { time: 'b', value: 3 }]);
  });
});
