import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PriceTable } from '../types.ts';
import { loadKernels } from '../node.ts';
import { generateDemoMarket, type DemoMarket } from '../demo.ts';
import { alignedReturns, daysBefore } from './returns.ts';

/** A price table from rows `[date, ...closes]`; null is a missing close. */
function table(tickers: string[], rows: (string | number | null)[][]): PriceTable {
  return {
    dates: rows.map((r) => r[0] as string),
    tickers,
    closes: tickers.map((_, j) => Float64Array.from(rows, (r) => (r[j + 1] === null ? NaN : (r[j + 1] as number)))),
  };
}

const ln = Math.log;

describe('aligned daily log returns', () => {
  it('hand-worked: a gap removes its date for every ticker and the next return spans it', () => {
    const prices = table(['A', 'B', '^IRX'], [
      ['2024-01-02', 100, 50, 5.1],
      ['2024-01-03', 101, 51, 5.2],
      ['2024-01-04', 103, null, 5.2],
      ['2024-01-05', 102, 52, null],
      ['2024-01-08', 104, 53, 5.0],
    ]);
    const r = alignedReturns(prices);
    expect(r.tickers).toEqual(['A', 'B']);
    expect(r.excluded).toEqual(['^IRX']);
    expect(r.dates).toEqual(['2024-01-03', '2024-01-05', '2024-01-08']);
    // A on 01-05: ln(102/101) — the base is 01-03, the previous aligned date, not 01-04.
    expect(Array.from(r.returns)).toEqual([ln(101 / 100), ln(102 / 101), ln(104 / 102), ln(51 / 50), ln(52 / 51), ln(53 / 52)]);
    expect(r.dropped).toEqual({ dates: [{ date: '2024-01-04', missing: ['B'] }], tickers: [] });
    expect(r.windowEnd).toBe('2024-01-08');
    expect(r.windowStart).toBe('2022-01-08');
    expect(r.warnings).toEqual([
      'left out 1 of the 5 dates after the window start where a ticker had no price (most gaps: B 1); see dropped.dates',
    ]);
  });

  it('keeps the returns dated strictly after (last aligned date − lookback days)', () => {
    const prices = table(['A'], [
      ['2024-01-01', 10],
      ['2024-01-05', 11],
      ['2024-01-06', 12],
      ['2024-01-10', 13],
      ['2024-01-11', 14],
    ]);
    // Cutoff 2024-01-11 − 5 = 2024-01-06: the return dated 01-06 is out, its price is the base.
    const r = alignedReturns(prices, { lookback: 5 });
    expect(r.windowStart).toBe('2024-01-06');
    expect(r.dates).toEqual(['2024-01-10', '2024-01-11']);
    expect(Array.from(r.returns)).toEqual([ln(13 / 12), ln(14 / 13)]);
    expect(alignedReturns(prices, { lookback: 6 }).dates).toEqual(['2024-01-06', '2024-01-10', '2024-01-11']);
    expect(daysBefore('2024-03-01', 1)).toBe('2024-02-29');
  });

  it('anchors the window on the last ALIGNED date, and says when that is before the data ends', () => {
    const prices = table(['A', 'B'], [
      ['2024-01-02', 10, 20],
      ['2024-01-03', 11, 21],
      ['2024-01-04', 12, 22],
      ['2024-01-05', 13, null],
      ['2024-01-08', 14, null],
    ]);
    const r = alignedReturns(prices, { lookback: 1 + 1 });
    expect(r.windowEnd).toBe('2024-01-04');
    expect(r.dates).toEqual(['2024-01-03', '2024-01-04']);
    expect(r.dropped.dates).toEqual([
      { date: '2024-01-05', missing: ['B'] },
      { date: '2024-01-08', missing: ['B'] },
    ]);
    expect(r.warnings).toContain('the window ends on 2024-01-04, before the last date of the prices (2024-01-08): B has no price after it');
  });

  it('names a rate series or a subset explicitly, in the order given', () => {
    const prices = table(['A', 'B', '^IRX'], [
      ['2024-01-02', 100, 50, 5.0],
      ['2024-01-03', 101, 51, 5.5],
      ['2024-01-04', 103, 52, 5.2],
    ]);
    const r = alignedReturns(prices, { tickers: ['^IRX', 'A'] });
    expect(r.tickers).toEqual(['^IRX', 'A']);
    expect(r.excluded).toEqual([]);
    expect(Array.from(r.returns)).toEqual([ln(5.5 / 5), ln(5.2 / 5.5), ln(101 / 100), ln(103 / 101)]);
  });

  it('drops, with the reason, a ticker with no price, one price, or one price in the window', () => {
    const prices = table(['A', 'EMPTY', 'ONE', 'OLD'], [
      ['2020-01-02', 10, null, null, 5],
      ['2024-01-02', 11, null, 3, null],
      ['2024-01-03', 12, null, null, null],
      ['2024-01-04', 13, null, null, 6],
      ['2024-01-05', 14, null, null, null],
    ]);
    const r = alignedReturns(prices);
    expect(r.tickers).toEqual(['A']);
    expect(r.dropped.tickers).toEqual([
      { ticker: 'EMPTY', reason: 'it has no prices' },
      { ticker: 'ONE', reason: 'it has only one price (2024-01-02), and a return needs two' },
      {
        ticker: 'OLD',
        reason: 'it has only one price dated after 2022-01-04 up to 2024-01-04 (the lookback window), and a return needs two',
      },
    ]);
    // Without OLD the window ends on 2024-01-05 and starts after 2022-01-05. The first return in
    // it has its base in 2020, as the rule says — and a warning says it spans four years.
    expect(r.dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    expect(r.returns[0]).toBe(ln(11 / 10));
    expect(r.warnings).toEqual([
      'EMPTY left out of the universe: it has no prices',
      'ONE left out of the universe: it has only one price (2024-01-02), and a return needs two',
      expect.stringMatching(/^OLD left out of the universe: it has only one price dated after/),
      '1 return spans more than 10 calendar days between aligned dates (longest: 2024-01-02, 1461 days from 2020-01-02); each mixes several days of moves into one',
    ]);
  });

  it('refuses what it cannot use, naming it', () => {
    const prices = table(['A', 'B', '^IRX'], [
      ['2024-01-02', 10, null, 0.1],
      ['2024-01-03', 11, null, -0.1],
      ['2024-01-04', 12, 5, 0.2],
      ['2024-01-05', null, 6, 0.3],
      ['2024-01-08', null, 7, 0.4],
    ]);
    expect(() => alignedReturns(prices, { lookback: 0 })).toThrow('lookback must be a whole number of calendar days ≥ 1, got 0');
    expect(() => alignedReturns(prices, { lookback: 1.5 })).toThrow(/lookback must be a whole number/);
    expect(() => alignedReturns(prices, { tickers: ['A', 'ZZZ'] })).toThrow('the prices have no column "ZZZ" (columns: A, B, ^IRX)');
    expect(() => alignedReturns(prices, { tickers: ['A', 'A'] })).toThrow('the list of tickers lists A more than once');
    expect(() => alignedReturns(prices, { tickers: [] })).toThrow(/the list of tickers is empty/);
    expect(() => alignedReturns(prices, { tickers: ['^IRX'] })).toThrow('^IRX on 2024-01-03: a log return needs a positive, finite price, got -0.1');
    // A ends where B starts: B has a single price up to the last common date, so B is the one
    // that cannot contribute to that window.
    const joint = alignedReturns(prices);
    expect(joint.tickers).toEqual(['A']);
    expect(joint.dropped.tickers.map((t) => t.ticker)).toEqual(['B']);
    // Interleaved closes: one common date although each ticker has two prices in the window.
    const interleaved = table(['A', 'B'], [['2024-01-02', 10, null], ['2024-01-03', null, 5], ['2024-01-04', 12, 6]]);
    expect(() => alignedReturns(interleaved)).toThrow(
      "only 1 date where all 2 tickers have a price (a covariance needs at least 3, for 2 returns): B's prices start on 2024-01-03, A's end on 2024-01-04; choose tickers whose histories overlap",
    );
    expect(() => alignedReturns(table(['^IRX'], [['2024-01-02', 1]]))).toThrow(
      'the prices have no asset column (^IRX is a rate series, not an asset; name one explicitly to use it)',
    );
    const inf = table(['A'], [['2024-01-02', 1], ['2024-01-03', Infinity], ['2024-01-04', 2]]);
    expect(() => alignedReturns(inf)).toThrow('A on 2024-01-03: a log return needs a positive, finite price, got Infinity');
    const few = table(['A', 'B'], [['2024-01-02', 1, 5], ['2024-01-03', 2, 6], ['2024-01-04', 3, 7]]);
    expect(() => alignedReturns(few, { lookback: 1 })).toThrow(
      'only 1 return dated after 2024-01-03 up to 2024-01-04 (lookback 1 calendar days); a covariance needs at least 2: lengthen the lookback',
    );
    const two = table(['A'], [['2024-01-02', 1], ['2024-01-03', 2]]);
    expect(() => alignedReturns(two)).toThrow('only 1 return dated after 2022-01-03 up to 2024-01-03 (lookback 730 calendar days); a covariance needs at least 2');
    expect(() => alignedReturns(table(['A', 'B'], [['2024-01-02', null, 1], ['2024-01-03', 1, null]]))).toThrow(/no ticker has the two prices a return needs/);
  });

  it('property: every return is ln(P/P_prev) over aligned dates, gaps are listed, nothing becomes 0 or NaN', () => {
    const cell = fc.option(fc.double({ min: 1, max: 1000, noNaN: true }), { nil: null, freq: 5 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 40 }), fc.integer({ min: 1, max: 60 }), (n, rows, lookback) => {
        const tickers = ['A', 'B', 'C', 'D'].slice(0, n);
        const start = Date.parse('2024-01-01T00:00:00Z');
        const prices = table(tickers, rows.map((r, i) => [new Date(start + i * 86_400_000).toISOString().slice(0, 10), ...r.slice(0, n)]));
        let r;
        try {
          r = alignedReturns(prices, { lookback });
        } catch (e) {
          expect((e as { code?: string }).code).toBe('INSUFFICIENT_DATA');
          return;
        }
        const T = r.dates.length;
        const col = (t: string) => prices.closes[prices.tickers.indexOf(t)];
        const alignedIdx = prices.dates.map((_, d) => r.tickers.every((t) => !Number.isNaN(col(t)[d])));
        r.tickers.forEach((t, i) => {
          r.dates.forEach((date, s) => {
            const d = prices.dates.indexOf(date);
            let base = d - 1;
            while (!alignedIdx[base]) base--;
            expect(r.returns[i * T + s]).toBe(Math.log(col(t)[d] / col(t)[base]));
          });
        });
        for (const v of r.returns) expect(Number.isFinite(v)).toBe(true);
        // Every date after the cutoff is either a return date, the base of the first one, or dropped.
        const after = prices.dates.filter((d) => d > r.windowStart);
        const listed = new Set([...r.dates, ...r.dropped.dates.map((x) => x.date)]);
        for (const d of after) if (!listed.has(d)) expect(alignedIdx[prices.dates.indexOf(d)]).toBe(true);
        for (const x of r.dropped.dates) expect(x.missing.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the demo market', () => {
  let demo: DemoMarket;
  beforeAll(async () => {
    demo = generateDemoMarket(await loadKernels());
  });

  it('gives 522 returns of the seven stocks from 2024-11-21 (the 730-day window holds all of it), ^IRX excluded', () => {
    const r = alignedReturns(demo.prices);
    expect(r.tickers).toEqual(['AAPL', 'MSFT', 'GOOGL', 'JPM', 'GS', 'MS', 'C']);
    expect(r.excluded).toEqual(['^IRX']);
    expect([r.dates.length, r.dates[0], r.dates.at(-1)]).toEqual([522, '2024-11-21', '2026-11-20']);
    expect(r.dropped).toEqual({ dates: [], tickers: [] });
    expect(r.warnings).toEqual([]);
  });
});
