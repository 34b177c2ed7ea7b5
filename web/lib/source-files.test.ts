import { describe, expect, it } from 'vitest';
import { asOfText, reportCounts } from './data-report.ts';
import { checkFileSize, csvKindOf, MAX_CSV_BYTES, MAX_SNAPSHOT_BYTES, missingBookTickers, sizeText } from './source-files.ts';

describe('asOfText', () => {
  it('keeps a date, shows an instant in UTC to the minute, and leaves anything else as it is', () => {
    expect(asOfText('2026-11-20')).toBe('2026-11-20');
    expect(asOfText('2025-03-14T21:00:05.123Z')).toBe('2025-03-14 21:00 UTC');
    expect(asOfText('2025-03-14T17:00:00-04:00')).toBe('2025-03-14 21:00 UTC');
    expect(asOfText('soon')).toBe('soon');
  });
});

describe('reportCounts', () => {
  it('adds the dropped values and counts the flags', () => {
    const flag = { rule: 'gap' as const, ticker: 'A', from: '', to: '', count: 3, message: '' };
    expect(reportCounts({ tables: [], dropped: [{ count: 2, message: '' }, { count: 5, message: '' }], flags: [flag, flag], notes: [] })).toEqual({ dropped: 7, flagged: 2 });
  });
});

describe('missingBookTickers', () => {
  it('names the book tickers with shares and no price in the market, in book order', () => {
    const book = [
      { ticker: 'AAPL', shares: 10, price: 1 },
      { ticker: 'XYZ', shares: -5, price: 1 },
      { ticker: 'FLAT', shares: 0, price: 1 },
      { ticker: '0700.HK', shares: 3, price: 1 },
    ];
    expect(missingBookTickers(book, { AAPL: 200 })).toEqual(['XYZ', '0700.HK']);
    expect(missingBookTickers(book, { AAPL: 1, XYZ: 2, '0700.HK': 3 })).toEqual([]);
    expect(missingBookTickers(null, { AAPL: 1 })).toEqual([]);
    expect(missingBookTickers(book, null)).toEqual([]);
  });
});

describe('file checks before reading', () => {
  it('caps CSV and snapshot files by size, naming the file and both sizes', () => {
    expect(checkFileSize('prices.csv', MAX_CSV_BYTES)).toEqual({ kind: 'csv', problem: null });
    expect(checkFileSize('prices.csv', MAX_CSV_BYTES + 1).problem).toBe('prices.csv is 20.0 MB; a CSV file may be at most 20.0 MB (checked before reading it)');
    expect(checkFileSize('snap.JSON', MAX_SNAPSHOT_BYTES)).toEqual({ kind: 'snapshot', problem: null });
    expect(checkFileSize('snap.json', 50 * 1024 * 1024).problem).toBe('snap.json is 50.0 MB; a snapshot may be at most 40.0 MB (checked before reading it)');
    expect(sizeText(1500)).toBe('2 KB');
  });

  it('tells prices, bars and books apart, also when separated by semicolons or missing the header', () => {
    expect(csvKindOf('date,AAPL\n2024-01-02,1\n')).toBe('prices');
    expect(csvKindOf('\uFEFFtimestamp,JPM\r\n2024-01-02T09:30:00Z,1\r\n')).toBe('bars');
    expect(csvKindOf('ticker,shares\nAAPL,1\n')).toBe('book');
    expect(csvKindOf('date;AAPL\n2024-01-02;1,5\n')).toBe('prices');
    expect(csvKindOf('ticker\tshares\nAAPL\t1\n')).toBe('book');
    expect(csvKindOf('2024-01-02,185.5\n')).toBe('prices');
    expect(csvKindOf('2024-01-02T09:30:00-05:00,170\n')).toBe('bars');
    expect(csvKindOf('AAPL,1500,277.02\n')).toBe('book');
    expect(csvKindOf('hello world\n')).toBeUndefined();
  });
});
