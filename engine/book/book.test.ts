import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_EQUITY, fillBookPrices, lastClose, sideOf, summarizeBook } from './book.ts';
import { HAND_DEMO_BOOK } from '../test-fixtures.ts';


describe('summarizeBook on the demo book (figures worked by hand)', () => {
  const s = summarizeBook(HAND_DEMO_BOOK, 1_000_000);

  it('computes each notional, side and weight', () => {
    // 1500×277.02, 1000×416, −1200×318.22, −500×914.14, −1000×180.74
    const expected = [415_530, 416_000, -381_864, -457_070, -180_740];
    s.positions.forEach((p, i) => {
      expect(p.notional).toBeCloseTo(expected[i], 6);
      expect(p.weight).toBeCloseTo(expected[i] / 1_000_000, 12);
    });
    expect(s.positions.map((p) => p.side)).toEqual(['long', 'long', 'short', 'short', 'short']);
  });

  it('computes long, short, gross, net, net/gross and leverage', () => {
    expect(s.longNotional).toBeCloseTo(831_530, 6);
    expect(s.shortNotional).toBeCloseTo(-1_019_674, 6);
    expect(s.gross).toBeCloseTo(1_851_204, 6);
    expect(s.net).toBeCloseTo(-188_144, 6);
    expect(s.netOfGross).toBeCloseTo(-0.101633315399, 11);
    expect(s.leverage).toBeCloseTo(1.851204, 12);
    expect(s.equity).toBe(1_000_000);
  });

  it('defaults equity to $1,000,000', () => {
    expect(DEFAULT_EQUITY).toBe(1_000_000);
    expect(summarizeBook(HAND_DEMO_BOOK).leverage).toBeCloseTo(1.851204, 12);
  });
});

describe('summarizeBook edge cases', () => {
  it('marks zero shares flat and an empty book has NaN net/gross, not 0', () => {
    expect(sideOf(0)).toBe('flat');
    const s = summarizeBook([{ ticker: 'X', shares: 0, price: 10 }], 100);
    expect(s.positions[0]).toMatchObject({ side: 'flat', notional: 0 });
    expect(s.gross).toBe(0);
    expect(s.netOfGross).toBeNaN();
    expect(summarizeBook([], 100).netOfGross).toBeNaN();
  });

  it('refuses a missing price, naming the ticker', () => {
    expect(() => summarizeBook([{ ticker: 'JPM', shares: 1, price: NaN }], 100)).toThrow(
      expect.objectContaining({ code: 'MISSING_PRICE', message: expect.stringContaining('JPM') }),
    );
  });

  it('refuses bad equity, bad prices, bad shares and duplicate tickers', () => {
    const ok = [{ ticker: 'A', shares: 1, price: 1 }];
    for (const equity of [0, -5, NaN, Infinity]) expect(() => summarizeBook(ok, equity)).toThrow(/equity/);
    expect(() => summarizeBook([{ ticker: 'A', shares: 1, price: -1 }], 1)).toThrow(/price of A/);
    expect(() => summarizeBook([{ ticker: 'A', shares: Infinity, price: 1 }], 1)).toThrow(/shares of A/);
    expect(() => summarizeBook([...ok, { ticker: 'a', shares: 2, price: 1 }], 1)).toThrow(/lists a more than once/);
  });

  it('keeps gross = long − short, net = long + short, and weights summing to net/equity', () => {
    const position = fc.record({ shares: fc.integer({ min: -1e6, max: 1e6 }), price: fc.double({ min: 0.01, max: 1e4, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(position, { maxLength: 20 }), fc.double({ min: 1, max: 1e9, noNaN: true }), (rows, equity) => {
        const book = rows.map((r, i) => ({ ticker: `T${i}`, ...r }));
        const s = summarizeBook(book, equity);
        const tol = 1e-9 * (1 + s.gross);
        expect(Math.abs(s.gross - (s.longNotional - s.shortNotional))).toBeLessThanOrEqual(tol);
        expect(Math.abs(s.net - (s.longNotional + s.shortNotional))).toBeLessThanOrEqual(tol);
        const weights = s.positions.reduce((a, p) => a + p.weight, 0);
        expect(Math.abs(weights - s.net / equity)).toBeLessThanOrEqual(tol / equity);
        const absWeights = s.positions.reduce((a, p) => a + Math.abs(p.weight), 0);
        expect(Math.abs(s.leverage - absWeights)).toBeLessThanOrEqual(tol / equity);
      }),
    );
  });
});

describe('lastClose and fillBookPrices', () => {
  const prices = {
    dates: ['2024-01-02', '2024-01-03'],
    tickers: ['JPM', 'GS'],
    closes: [new Float64Array([300, NaN]), new Float64Array([NaN, NaN])],
  };

  it('takes the last non-missing close and keeps book prices', () => {
    expect(lastClose(prices, 'JPM')).toEqual({ price: 300, date: '2024-01-02' });
    expect(lastClose(prices, 'GS')).toBeUndefined();
    expect(lastClose(prices, 'MS')).toBeUndefined();
    const filled = fillBookPrices(
      [
        { ticker: 'JPM', shares: -1, price: NaN },
        { ticker: 'GS', shares: 1, price: 900 },
      ],
      prices,
    );
    expect(filled.map((p) => p.price)).toEqual([300, 900]);
  });

  it('names the ticker that has no price anywhere', () => {
    expect(() => fillBookPrices([{ ticker: 'GS', shares: 1, price: NaN }], prices)).toThrow(/no price for GS: .*every close .* missing/);
    expect(() => fillBookPrices([{ ticker: 'MS', shares: 1, price: NaN }], prices)).toThrow(/no price for MS: .*no column/);
    expect(() => fillBookPrices([{ ticker: 'MS', shares: 1, price: NaN }])).toThrow(
      expect.objectContaining({ code: 'MISSING_PRICE' }),
    );
  });

  it('names the book file and row and the price file when it is told where they came from', () => {
    const book = [
      { ticker: 'JPM', shares: 1, price: NaN },
      { ticker: 'MS', shares: 1, price: NaN },
    ];
    const sources = { book: { file: 'book CSV b.csv', rows: [2, 5] }, prices: 'prices CSV p.csv' };
    expect(() => fillBookPrices(book, prices, sources)).toThrow(
      expect.objectContaining({
        code: 'MISSING_PRICE',
        message: 'book CSV b.csv, row 5: no price for MS: the book has no price and prices CSV p.csv has no column for it',
        where: { row: 5, ticker: 'MS' },
      }),
    );
    expect(() => fillBookPrices([{ ticker: 'GS', shares: 1, price: NaN }], prices, sources)).toThrow(/row 2: .*every close in prices CSV p\.csv is missing/);
  });

  it('escapes a ticker carrying terminal codes in its message', () => {
    expect(() => fillBookPrices([{ ticker: 'X\u001b[2J', shares: 1, price: NaN }], prices)).toThrow('no price for "X\\u001b[2J"');
  });

  it('fills a large book from a wide price table by lookup, not by scanning the columns', () => {
    const n = 20_000;
    const wide = {
      dates: ['2024-01-02'],
      tickers: Array.from({ length: n }, (_, j) => `T${j}`),
      closes: Array.from({ length: n }, (_, j) => Float64Array.of(j + 1)),
    };
    const book = Array.from({ length: 5 * n }, (_, i) => ({ ticker: `T${i % n}`, shares: 1, price: NaN }));
    const filled = fillBookPrices(book, wide);
    expect(filled[5 * n - 1].price).toBe(n);
  });
});
