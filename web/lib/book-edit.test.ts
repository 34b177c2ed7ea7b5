import { describe, expect, it } from 'vitest';
import {
  addPosition,
  editBorrowOverride,
  editEquity,
  editPrice,
  editRfr,
  editShares,
  editSpread,
  removePosition,
} from './book-edit.ts';
import type { Book, CheckedBook } from './book-edit.ts';
import type { Result } from '../../engine/result.ts';
import { summarizeBook } from '../../engine/book/book.ts';
import { parseNumber } from './parse.ts';
import { fatFingerWarning } from './input-rules.ts';
import { defaultFunding } from './book-slot.ts';

const book: Book = {
  equity: 1_000_000,
  positions: [
    { ticker: 'AAPL', shares: 1500, price: 277.02 },
    { ticker: 'JPM', shares: -1200, price: 318.22 },
  ],
};
const market = { lastPrices: { AAPL: 277.02, JPM: 318.22, GOOGL: 292.5 }, label: 'demo data (synthetic)' };

function error<T>(edit: Result<T>): string {
  if (edit.ok) throw new Error('expected the edit to be rejected');
  return edit.error;
}
function value<T>(edit: Result<T>): T {
  if (!edit.ok) throw new Error(edit.error);
  return edit.value;
}
/** The edited book, checking that the summary that came with it is the book's own. */
function bookValue(edit: Result<CheckedBook>): Book {
  const { book: next, summary } = value(edit);
  expect(summary).toEqual(summarizeBook(next.positions, next.equity));
  return next;
}

describe('parseNumber', () => {
  it.each([
    ['3000', 3000],
    ['-1,200', -1200],
    ['1,234,567.5', 1234567.5],
    ['\u2212500', -500],
    ['.5', 0.5],
    ['1e3', 1000],
    [' 42 ', 42],
  ])('reads %j as %d', (text, expected) => expect(parseNumber(text, 'x')).toEqual({ ok: true, value: expected }));

  it.each(['abc', '', '1.2.3', '12,34', 'NaN', 'Infinity', '1e999', '0x10'])('rejects %j naming the field', (text) => {
    const parsed = parseNumber(text, 'shares of AAPL');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/^shares of AAPL must be/);
  });
});

describe('book edits', () => {
  it('bounds shares to whole numbers within a billion', () => {
    expect(error(editShares(book, 'AAPL', '1e300'))).toBe('shares of AAPL must be a whole number between −1,000,000,000 and 1,000,000,000, got 1e300');
    expect(error(editShares(book, 'AAPL', '1.5'))).toMatch(/must be a whole number/);
    expect(bookValue(editShares(book, 'AAPL', '-1,000,000,000')).positions[0].shares).toBe(-1e9);
    expect(Object.is(bookValue(editShares(book, 'AAPL', '-0')).positions[0].shares, 0)).toBe(true);
  });

  it('edits shares and keeps other lines', () => {
    const next = bookValue(editShares(book, 'AAPL', '3,000'));
    expect(next.positions[0]).toEqual({ ticker: 'AAPL', shares: 3000, price: 277.02 });
    expect(next.positions[1]).toBe(book.positions[1]);
    expect(book.positions[0].shares).toBe(1500); // the input book is not mutated
  });

  it('rejects non-numeric shares with the field and the value', () => {
    expect(error(editShares(book, 'AAPL', 'abc'))).toBe('shares of AAPL must be a number, got "abc"');
  });

  it('rejects a zero or negative price', () => {
    expect(error(editPrice(book, 'JPM', '0'))).toBe('price of JPM must be between 0.0001 and 10,000,000, got 0');
    expect(error(editPrice(book, 'JPM', '-3'))).toBe('price of JPM must be between 0.0001 and 10,000,000, got -3');
    expect(error(editPrice(book, 'JPM', '1e-300'))).toBe('price of JPM must be between 0.0001 and 10,000,000, got 1e-300');
    expect(error(editPrice(book, 'JPM', '1e8'))).toBe('price of JPM must be between 0.0001 and 10,000,000, got 1e8');
    expect(bookValue(editPrice(book, 'JPM', '0.0001')).positions[1].price).toBe(0.0001);
  });

  it('rejects a non-positive equity', () => {
    expect(error(editEquity(book, '0'))).toBe('equity must be between 1 and 10,000,000,000,000, got 0');
    expect(error(editEquity(book, '1e-300'))).toBe('equity must be between 1 and 10,000,000,000,000, got 1e-300');
    expect(bookValue(editEquity(book, '1')).equity).toBe(1);
    expect(bookValue(editEquity(book, '2,000,000')).equity).toBe(2_000_000);
  });

  it('adds a universe ticker at its last close, upper-casing it', () => {
    const next = bookValue(addPosition(book, { ticker: 'googl', shares: '-200', price: '' }, market));
    expect(next.positions.at(-1)).toEqual({ ticker: 'GOOGL', shares: -200, price: 292.5 });
  });

  it('adds an unknown ticker only with a price', () => {
    expect(error(addPosition(book, { ticker: 'ZZZZ', shares: '10', price: '' }, market))).toBe(
      'no price for ZZZZ: ZZZZ is not in the demo data (synthetic) universe; enter a price',
    );
    expect(bookValue(addPosition(book, { ticker: 'ZZZZ', shares: '10', price: '12.5' }, market)).positions).toHaveLength(3);
    expect(error(addPosition(book, { ticker: 'ZZZZ', shares: '10', price: '' }, null))).toContain('still loading');
  });

  it('rejects a duplicate ticker, a rate series and a malformed ticker', () => {
    expect(error(addPosition(book, { ticker: 'jpm', shares: '1', price: '' }, market))).toContain('lists JPM more than once');
    expect(error(addPosition(book, { ticker: '^IRX', shares: '1', price: '3' }, market))).toContain('rate series');
    expect(error(addPosition(book, { ticker: 'A B', shares: '1', price: '3' }, market))).toContain('got "A B"');
  });

  it('removes a position', () => {
    expect(bookValue(removePosition(book, 'AAPL')).positions.map((p) => p.ticker)).toEqual(['JPM']);
    expect(error(removePosition(book, 'MSFT'))).toBe('MSFT is not in the book');
  });
});

describe('funding input edits', () => {
  const inputs = defaultFunding();

  it('sets and clears the RFR override (percent in, decimal stored)', () => {
    const set = value(editRfr(inputs, '4.25'));
    expect(set.rfrOverride).toBeCloseTo(0.0425, 15);
    expect(value(editRfr(set, '')).rfrOverride).toBeNull();
    expect(error(editRfr(inputs, 'x'))).toBe('risk-free rate (%) must be a number, got "x"');
    expect(error(editRfr(inputs, '80'))).toBe('risk-free rate (%) must be between −10% and 50%, got 80');
    expect(value(editRfr(inputs, '3.6%')).rfrOverride).toBeCloseTo(0.036, 15);
  });

  it('validates spreads and per-ticker borrow overrides', () => {
    expect(value(editSpread(inputs, 'longSpreadBps', '75')).longSpreadBps).toBe(75);
    expect(error(editSpread(inputs, 'borrowBps', '-1'))).toBe('borrow fee (bp) must be between 0 and 10,000 bp, got -1');
    const withGme = value(editBorrowOverride(inputs, 'GME', '2500'));
    expect(withGme.borrowOverrides).toEqual({ GME: 2500 });
    expect(inputs.borrowOverrides).toEqual({});
    expect(value(editBorrowOverride(withGme, 'GME', ' ')).borrowOverrides).toEqual({});
    expect(error(editBorrowOverride(inputs, 'GS', 'lots'))).toBe('borrow fee of GS (bp) must be a number, got "lots"');
  });
});

describe('fat-finger guard', () => {
  const summary = (shares: number, equity = 1_000_000) =>
    summarizeBook([{ ticker: 'MSFT', shares, price: 416 }, { ticker: 'JPM', shares: -1200, price: 318.22 }], equity);

  it('asks when an edit takes a weight past 100% of equity or leverage past 10×', () => {
    // MSFT 1e6 shares × 416 = 416,000,000 = 41,600% of equity, 416× gross leverage.
    const warning = fatFingerWarning(summary(1000), summary(1_000_000));
    expect(warning).toContain('gross leverage 416.38×');
    expect(warning).toContain('MSFT at 41600% of equity');
  });

  it('stays quiet for an ordinary edit and when a big book shrinks', () => {
    expect(fatFingerWarning(summary(1000), summary(1500))).toBeNull();
    expect(fatFingerWarning(summary(1_000_000), summary(500_000))).toBeNull();
  });

  it('counts a weight past the limit on the short side too', () => {
    expect(fatFingerWarning(summary(1000), summary(-3000))).toContain('MSFT at -125% of equity');
  });
});
