import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { bookToSafeCsv, fundingToCsv, importPositions, kpisToText, safeText } from './book-io.ts';
import { readBookCsv } from '../../engine/csv.ts';
import { attempt, type Result } from '../../engine/result.ts';
import type { Position } from '../../engine/types.ts';
import { fmt } from './format.ts';
import { summarizeBook } from '../../engine/book/book.ts';
import { computeFunding } from '../../engine/book/funding.ts';
import { HAND_DEMO_BOOK } from '../../engine/test-fixtures.ts';

const LAST = Object.fromEntries(HAND_DEMO_BOOK.map((p) => [p.ticker, p.price]));

/** What the app does with a book CSV: the engine's reader (in a worker), then the desk's rules. */
function importBook(text: string, source: string, lastPrices: Record<string, number>): Result<Position[]> {
  const read = attempt(() => readBookCsv(text, { name: source }));
  return read.ok ? importPositions(read.value.positions, read.value.rows, source, lastPrices) : read;
}

describe('book export and import', () => {
  it('round-trips the book through the import', () => {
    const text = bookToSafeCsv(HAND_DEMO_BOOK);
    const back = importBook(text, 'book.csv', {});
    expect(back).toEqual({ ok: true, value: HAND_DEMO_BOOK });
  });

  it('neutralises formula-looking text cells and keeps negative numbers as numbers', () => {
    for (const bad of ['=HYPERLINK("http://x","y")', '+1', '-1+2', '@SUM(A1)', '\tx', '\rx']) expect(safeText(bad)).toBe(`'${bad}`);
    const text = bookToSafeCsv([{ ticker: '=cmd|calc', shares: -1200, price: 10 }]);
    const [header, row] = Papa.parse<string[]>(text.trim()).data;
    expect(header).toEqual(['ticker', 'shares', 'price']);
    expect(row).toEqual(["'=cmd|calc", '-1200', '10']);
    expect(text).toContain(`"'=cmd|calc",-1200,10`);
    // Quotes, commas and line breaks inside a cell survive the round trip.
    const odd = bookToSafeCsv([{ ticker: 'A"B,C\nD', shares: 1, price: 2 }]);
    expect(Papa.parse<string[]>(odd.trim()).data[1]).toEqual(['A"B,C\nD', '1', '2']);
  });

  it('fills a missing price from the market and names the row of a bad one', () => {
    expect(importBook('ticker,shares\naapl,10\n', 'pasted', LAST)).toEqual({ ok: true, value: [{ ticker: 'AAPL', shares: 10, price: LAST.AAPL }] });
    expect(importBook('ticker,shares\nZZZ,10\n', 'pasted', LAST)).toEqual({ ok: false, error: 'pasted, row 2: no price for ZZZ and the market has none; add a price column' });
    const bad = importBook('ticker,shares,price\nAAPL,abc,1\n', 'pasted', LAST);
    expect(!bad.ok && bad.error).toBe('book CSV pasted, row 2, column shares: shares must be a whole number (negative for shorts), got "abc"');
    expect(importBook('ticker,shares,price\nAAPL,5000000000,1\n', 'pasted', LAST)).toMatchObject({ ok: false, error: expect.stringContaining('row 2: shares of AAPL must be') });
    // Rows are the spreadsheet's, blank lines counted.
    expect(importBook('ticker,shares\nAAPL,1\n\nZZZ,2\n', 'pasted', LAST)).toMatchObject({ ok: false, error: 'pasted, row 4: no price for ZZZ and the market has none; add a price column' });
  });

  it('writes the funding table with numbers a spreadsheet reads', () => {
    const report = computeFunding(HAND_DEMO_BOOK, 1_000_000, { rfr: 0.036 });
    const rows = Papa.parse<string[]>(fundingToCsv(report).trim()).data;
    expect(rows[0]).toEqual(['ticker', 'side', 'notional', 'rate', 'borrow_bps', 'daily', 'annual']);
    expect(Number(rows[1][5])).toBe(report.positions[0].daily);
    expect(rows).toHaveLength(1 + HAND_DEMO_BOOK.length);
  });

  it('copies the KPIs as label/value lines', () => {
    const summary = summarizeBook(HAND_DEMO_BOOK, 1_000_000);
    const text = kpisToText(summary, computeFunding(HAND_DEMO_BOOK, 1_000_000, { rfr: 0.036 }), fmt, 'USD');
    expect(text).toContain('Gross\tUSD 1,851,204\n');
    expect(text).toContain('Net\tUSD \u2212188,144\n');
    expect(text).toContain('Longs\tpays 4.10%\n');
    expect(text).toContain('Shorts\treceives 2.95%\n');
  });
});
