import { describe, expect, it } from 'vitest';
import { BookPathCache, bookPath, rangePnl, reconstructCloses } from './book-path.ts';
import { cumulativeLogReturns, lastCloses } from '../../engine/market/chart-series.ts';
import type { PriceTable } from '../../engine/types.ts';

// A and B have a gap each; ^IRX is a rate (not an asset, not in the returns).
const table: PriceTable = {
  dates: ['2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09'],
  tickers: ['A', '^IRX', 'B', 'EMPTY'],
  closes: [
    new Float64Array([10, 11, NaN, 12, 12.5]),
    new Float64Array([3.5, 3.6, 3.6, 3.55, 3.5]),
    new Float64Array([20, 19, 18, 21, 20]),
    new Float64Array([NaN, NaN, NaN, NaN, NaN]),
  ],
};
// What the worker sends: cumulative log returns and last closes, computed by the worker's own code.
const returns = cumulativeLogReturns(table);
const lastPrices = lastCloses(table);
const history = reconstructCloses(returns, lastPrices);

/** Number arrays compare NaN as NaN: map gaps to null for readable expectations. */
const show = (a: Float64Array) => Array.from(a, (v) => (Number.isNaN(v) ? null : Math.round(v * 1e9) / 1e9));

describe('reconstructCloses', () => {
  it('gives back the closes from cumulative log returns and the last closes', () => {
    for (const [j, ticker] of [[0, 'A'], [2, 'B']] as const) {
      const rebuilt = history.closes.get(ticker)!;
      table.closes[j].forEach((p, i) => {
        if (Number.isNaN(p)) expect(rebuilt[i]).toBeNaN();
        else expect(Math.abs(rebuilt[i] - p) / p).toBeLessThan(1e-14);
      });
    }
    expect(history.closes.get('A')![4]).toBe(12.5); // exact at the last close
    expect(history.dates).toEqual(table.dates);
  });

  it('leaves out tickers without history and rate series', () => {
    expect([...history.closes.keys()]).toEqual(['A', 'B']);
  });
});

describe('bookPath', () => {
  // 100 A long, 50 B short, equity 1000. V = 100·A − 50·B = [0, 150, —, 150, 250].
  const path = bookPath(history, [{ ticker: 'A', shares: 100 }, { ticker: 'B', shares: -50 }], 1000);

  it('is today’s shares at historical closes, ending at today’s equity (hand-worked)', () => {
    expect(show(path.nav)).toEqual([750, 900, null, 900, 1000]);
    // P&L on 01-09 = 100·(12.5 − 12) − 50·(20 − 21) = 50 + 50.
    expect(show(path.pnl)).toEqual([null, 150, null, null, 100]);
    expect(path.anchor).toBe(4);
    expect(path.included).toEqual(['A', 'B']);
    expect(path.missing).toEqual([]);
  });

  it('keeps gaps as gaps: no P&L across a gap, NAV resumes at the right level', () => {
    expect(path.nav[2]).toBeNaN();
    expect(path.pnl[3]).toBeNaN(); // 01-08 follows the gap of A
    expect(path.nav[3] - path.nav[1]).toBeCloseTo(0, 9); // V went 150 → 150 across the gap
    for (let i = 1; i < 5; i++) {
      if (Number.isFinite(path.pnl[i])) expect(path.nav[i] - path.nav[i - 1]).toBeCloseTo(path.pnl[i], 9);
    }
  });

  it('leaves out and names tickers without market history, and ignores flat positions', () => {
    const withTyped = bookPath(
      history,
      [{ ticker: 'A', shares: 100 }, { ticker: 'ZZZZ', shares: 10 }, { ticker: 'B', shares: -50 }, { ticker: 'EMPTY', shares: 5 }, { ticker: 'QQQQ', shares: 0 }],
      1000,
    );
    expect(withTyped.missing).toEqual(['ZZZZ', 'EMPTY']);
    expect(withTyped.included).toEqual(['A', 'B']);
    expect(show(withTyped.nav)).toEqual(show(path.nav));
  });

  it('anchors NAV on the last date every book ticker has a close', () => {
    const shortHistory = reconstructCloses(
      cumulativeLogReturns({ ...table, closes: [table.closes[0], table.closes[1], new Float64Array([20, 19, 18, 21, NaN]), table.closes[3]] }),
      lastPrices,
    );
    const p = bookPath(shortHistory, [{ ticker: 'A', shares: 100 }, { ticker: 'B', shares: -50 }], 1000);
    expect(p.anchor).toBe(3);
    expect(p.nav[3]).toBe(1000);
    expect(p.nav[4]).toBeNaN();
    expect(p.pnl[4]).toBeNaN();
  });

  it('is all gaps when no ticker of the book has history, and flat at equity for an empty book', () => {
    const none = bookPath(history, [{ ticker: 'ZZZZ', shares: 10 }], 1000);
    expect(show(none.nav)).toEqual([null, null, null, null, null]);
    expect(none.anchor).toBe(-1);
    const empty = bookPath(history, [], 1000);
    expect(show(empty.nav)).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(show(empty.pnl)).toEqual([null, 0, 0, 0, 0]);
  });

  it('changes when a position with history is added', () => {
    const aOnly = bookPath(history, [{ ticker: 'A', shares: 100 }], 1000);
    expect(show(aOnly.nav)).toEqual([750, 850, null, 950, 1000]); // 1000 + 100·(A − 12.5)
    expect(show(path.nav)).not.toEqual(show(aOnly.nav));
  });

  it('sums the P&L over a visible range from the NAVs at its ends', () => {
    expect(rangePnl(path, 0, 4)).toEqual({ from: '2026-01-05', to: '2026-01-09', pnl: 250 });
    expect(rangePnl(path, 1.2, 10)).toEqual({ from: '2026-01-08', to: '2026-01-09', pnl: 100 });
    expect(rangePnl(path, -3, 2.5)).toEqual({ from: '2026-01-05', to: '2026-01-06', pnl: 150 });
    expect(rangePnl(path, 2, 2)).toBeNull();
  });
});

describe('BookPathCache', () => {
  it('does no work when the snapshot, tickers, shares and equity are unchanged', () => {
    const cache = new BookPathCache();
    const book = [{ ticker: 'A', shares: 100 }, { ticker: 'B', shares: -50 }];
    const first = cache.get(returns, lastPrices, book, 1000);
    // A new book object with the same shares (a price edit): the same path, no work.
    const again = cache.get(returns, lastPrices, book.map((p) => ({ ...p, price: 1 })), 1000);
    expect(again).toBe(first);
    expect(cache.work).toEqual({ histories: 1, paths: 1 });

    const edited = cache.get(returns, lastPrices, [...book, { ticker: 'C', shares: 1 }], 1000);
    expect(edited).not.toBe(first);
    expect(cache.get(returns, lastPrices, book, 2000).nav[4]).toBe(2000);
    expect(cache.work).toEqual({ histories: 1, paths: 3 });

    // A new snapshot rebuilds the closes once.
    cache.get({ ...returns }, lastPrices, book, 2000);
    expect(cache.work).toEqual({ histories: 2, paths: 4 });
  });
});
