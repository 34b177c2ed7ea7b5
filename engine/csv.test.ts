import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { barsToCsv, bookToCsv, parseBarsCsv, parseBookCsv, parsePricesCsv, pricesToCsv, readBookCsv, sniffCsvKind } from './csv.ts';
import type { BarTable, Position, PriceTable } from './types.ts';

/** Run `fn`, expecting a CSV_FORMAT error whose message contains every fragment. */
function expectCsvError(fn: () => unknown, ...fragments: string[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ name: 'AstraError', code: 'CSV_FORMAT' });
  for (const f of fragments) expect((error as Error).message).toContain(f);
}

describe('parsePricesCsv', () => {
  it('reads a wide table, empty cells as NaN', () => {
    const t = parsePricesCsv('date,AAPL,^IRX\n2024-01-02,185.5,5.2\n2024-01-03,,5.19\n');
    expect(t.dates).toEqual(['2024-01-02', '2024-01-03']);
    expect(t.tickers).toEqual(['AAPL', '^IRX']);
    expect(Array.from(t.closes[0])).toEqual([185.5, NaN]);
    expect(Array.from(t.closes[1])).toEqual([5.2, 5.19]);
  });

  it('accepts pandas to_csv output: BOM, CRLF, Date header, tz-aware midnight dates, NaN, trailing blank line', () => {
    const text = '\uFEFFDate,AAPL,MSFT\r\n2024-01-02 00:00:00-05:00,185.5,NaN\r\n2024-01-03 00:00:00-05:00,184.25,370.6\r\n\r\n';
    const t = parsePricesCsv(text);
    expect(t.dates).toEqual(['2024-01-02', '2024-01-03']);
    expect(Array.from(t.closes[1])).toEqual([NaN, 370.6]);
    expect(parsePricesCsv(',A\n2024-01-02,1\n').tickers).toEqual(['A']);
  });

  it('lets rate columns be zero or negative but not asset prices', () => {
    expect(Array.from(parsePricesCsv('date,^IRX\n2021-01-04,-0.01\n2021-01-05,0\n').closes[0])).toEqual([-0.01, 0]);
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-02,0\n'), 'row 2', 'column A', 'positive', '"0"');
    expectCsvError(() => parsePricesCsv('date,A,B\n2024-01-02,1,2\n2024-01-03,3,-4\n'), 'row 3', 'column B', '"-4"');
  });

  it('names file, row, column and value of a non-numeric price', () => {
    const text = 'date,AAPL,MSFT\n2024-01-02,1,2\n2024-01-03,1,2\n2024-01-04,abc,2\n';
    expectCsvError(() => parsePricesCsv(text, { name: 'p.csv' }), 'prices CSV p.csv', 'row 4', 'column AAPL', '"abc"');
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-02,1e999\n'), 'row 2', 'column A', '"1e999"');
  });

  it('rejects bad, duplicate and decreasing dates', () => {
    expectCsvError(() => parsePricesCsv('date,A\n2024-02-30,1\n'), 'row 2', 'column date', 'YYYY-MM-DD', '"2024-02-30"');
    expectCsvError(() => parsePricesCsv('Date,A\n01/02/2024,1\n'), 'row 2', 'column Date', '"01/02/2024"');
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-02 09:30:00,1\n'), 'row 2', '"2024-01-02 09:30:00"');
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-02,1\n2024-01-02,2\n'), 'row 3', 'duplicate date', 'row 2');
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-03,1\n2024-01-02,2\n'), 'row 3', 'must increase', '"2024-01-02"');
  });

  it('rejects bad headers and shapes', () => {
    expectCsvError(() => parsePricesCsv('date,A,A\n2024-01-02,1,2\n'), 'header (row 1)', 'duplicate ticker column A');
    expectCsvError(() => parsePricesCsv('date,A,,B\n2024-01-02,1,2,3\n'), 'header (row 1)', 'column 3 has an empty name');
    expectCsvError(() => parsePricesCsv('ticker,A\n2024-01-02,1\n'), 'first column must be', '"ticker"');
    expectCsvError(() => parsePricesCsv('date\n2024-01-02\n'), 'no ticker columns');
    expectCsvError(() => parsePricesCsv('date,A,B\n2024-01-02,1,2\n2024-01-03,1\n'), 'row 3', 'has 2 cells but the header has 3');
    expectCsvError(() => parsePricesCsv('date,A\n'), 'no data rows');
    expectCsvError(() => parsePricesCsv(''), 'is empty');
  });
});

describe('parseBarsCsv', () => {
  it('reads timestamps with offsets into epoch milliseconds and normalises pandas spaces to T', () => {
    const text = 'Datetime,JPM,C\n2024-01-02 09:30:00-05:00,170.1,\n2024-01-02T09:31:00-05:00,170.2,51.5\n2024-01-02T14:32:00.250Z,170.3,51.6\n';
    const b = parseBarsCsv(text);
    expect(b.timestamps).toEqual(['2024-01-02T09:30:00-05:00', '2024-01-02T09:31:00-05:00', '2024-01-02T14:32:00.250Z']);
    // 09:30 at −05:00 is 14:30 UTC on 2024-01-02 = 1,704,205,800,000 ms
    expect(Array.from(b.times)).toEqual([1_704_205_800_000, 1_704_205_860_000, 1_704_205_920_250]);
    expect(Array.from(b.closes[1])).toEqual([NaN, 51.5, 51.6]);
  });

  it('rejects a timestamp without offset, a bad one, and times that do not increase across offsets', () => {
    expectCsvError(() => parseBarsCsv('timestamp,A\n2024-01-02T09:30:00,1\n'), 'bars CSV', 'row 2', 'column timestamp', 'offset', '"2024-01-02T09:30:00"');
    expectCsvError(() => parseBarsCsv('timestamp,A\n2024-01-02T25:30:00Z,1\n'), 'row 2', '"2024-01-02T25:30:00Z"');
    // 15:00 at +01:00 is 14:00 UTC, before 09:30 at −05:00 (14:30 UTC)
    expectCsvError(() => parseBarsCsv('timestamp,A\n2024-01-02T09:30:00-05:00,1\n2024-01-02T15:00:00+01:00,2\n'), 'row 3', 'must increase');
    expectCsvError(() => parseBarsCsv('timestamp,A\n2024-01-02T09:30:00-05:00,1\n2024-01-02T14:30:00Z,2\n'), 'row 3', 'duplicate timestamp');
  });
});

describe('parseBookCsv', () => {
  it('reads ticker,shares[,price] with shorts negative and an empty price as NaN', () => {
    const book = parseBookCsv('ticker,shares,price\nAAPL,1500,277.02\nJPM,-1200,\n');
    expect(book).toEqual([
      { ticker: 'AAPL', shares: 1500, price: 277.02 },
      { ticker: 'JPM', shares: -1200, price: NaN },
    ]);
    expect(parseBookCsv('Ticker,Shares\r\nGS,-500\r\n')).toEqual([{ ticker: 'GS', shares: -500, price: NaN }]);
  });

  it('accepts pandas output with an unnamed index column, float-formatted shares and any column order', () => {
    const book = parseBookCsv('\uFEFF,price,ticker,shares\n0,416.0,MSFT,1000.0\n1,,MS,-1000.0\n');
    expect(book).toEqual([
      { ticker: 'MSFT', shares: 1000, price: 416 },
      { ticker: 'MS', shares: -1000, price: NaN },
    ]);
  });

  it('names the fault: fractional shares, duplicate ticker, bad price, unknown or missing column', () => {
    expectCsvError(() => parseBookCsv('ticker,shares\nA,1\nB,2.5\n', { name: 'b.csv' }), 'book CSV b.csv', 'row 3', 'column shares', '"2.5"');
    expectCsvError(() => parseBookCsv('ticker,shares\nA,x\n'), 'row 2', 'column shares', '"x"');
    expectCsvError(() => parseBookCsv('ticker,shares\nAAPL,1\nMSFT,1\naapl,2\n'), 'row 4', 'duplicate ticker', 'row 2');
    expectCsvError(() => parseBookCsv('ticker,shares,price\nA,1,0\n'), 'row 2', 'column price', '"0"');
    expectCsvError(() => parseBookCsv('ticker,shares\n,1\n'), 'row 2', 'ticker is empty');
    expectCsvError(() => parseBookCsv('ticker,qty\nA,1\n'), 'unknown column "qty"');
    expectCsvError(() => parseBookCsv('ticker,price\nA,1\n'), "missing column 'shares'");
    expectCsvError(() => parseBookCsv('ticker,shares\nA,1,2\n'), 'row 2', 'has 3 cells');
  });
});

describe('sniffCsvKind', () => {
  it('tells prices, bars and books apart by their headers', () => {
    expect(sniffCsvKind('date,A\n2024-01-02,1\n')).toBe('prices');
    expect(sniffCsvKind('\uFEFFDatetime,A\n2024-01-02 09:30:00-05:00,1\n')).toBe('bars');
    expect(sniffCsvKind(',A\n2024-01-02 09:30:00-05:00,1\n')).toBe('bars');
    expect(sniffCsvKind(',A\n2024-01-02,1\n')).toBe('prices');
    expect(sniffCsvKind('ticker,shares\nA,1\n')).toBe('book');
    expect(sniffCsvKind('foo,bar\n1,2\n')).toBeUndefined();
  });
});

// Round trips: write → parse gives back the same table, NaN stays NaN (and −0 stays −0).
const tickerArb = fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,5}$/);
const closeArb = fc.oneof(fc.constant(NaN), fc.double({ min: 1e-6, max: 1e7, noNaN: true }));
const rateArb = fc.oneof(fc.constant(NaN), fc.constant(-0), fc.double({ min: -5, max: 20, noNaN: true }));

function columnsArb(tickers: string[], rows: number) {
  return fc.tuple(...tickers.map((t) => fc.array(t === '^IRX' ? rateArb : closeArb, { minLength: rows, maxLength: rows }))).map(
    (cols) => cols.map((c) => Float64Array.from(c)),
  );
}

const priceTableArb: fc.Arbitrary<PriceTable> = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 30 }),
    tickers: fc.uniqueArray(tickerArb, { minLength: 1, maxLength: 5 }),
    irx: fc.boolean(),
  })
  .chain(({ days, tickers, irx }) => {
    const dates = [...days].sort((a, b) => a - b).map((d) => new Date(Date.UTC(1980, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const all = irx ? [...tickers, '^IRX'] : tickers;
    return columnsArb(all, dates.length).map((closes) => ({ dates, tickers: all, closes }));
  });

const OFFSETS = [-300, -240, 0, 60, 330];
const barTableArb: fc.Arbitrary<BarTable> = fc
  .record({
    instants: fc.uniqueArray(fc.integer({ min: 1.5e12, max: 1.9e12 }), { minLength: 1, maxLength: 30 }),
    offsets: fc.infiniteStream(fc.constantFrom(...OFFSETS)),
    zulu: fc.boolean(),
    tickers: fc.uniqueArray(tickerArb, { minLength: 1, maxLength: 4 }),
  })
  .chain(({ instants, offsets, zulu, tickers }) => {
    const times = Float64Array.from([...instants].sort((a, b) => a - b));
    const timestamps = Array.from(times, (ms) => {
      const off = offsets.next().value as number;
      if (off === 0 && zulu) return new Date(ms).toISOString();
      const local = new Date(ms + off * 60_000).toISOString().slice(0, 23);
      const abs = Math.abs(off);
      return `${local}${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    });
    return columnsArb(tickers, times.length).map((closes) => ({ timestamps, times, tickers, closes }));
  });

const bookArb: fc.Arbitrary<Position[]> = fc
  .uniqueArray(
    fc.record({ ticker: tickerArb, shares: fc.integer({ min: -1e9, max: 1e9 }), price: closeArb }),
    { minLength: 1, maxLength: 20, selector: (p) => p.ticker.toUpperCase() },
  )
  .map((rows) => rows.map((r) => ({ ...r, shares: r.shares === 0 ? 0 : r.shares })));

describe('CSV writers round-trip', () => {
  it('prices', () => {
    fc.assert(fc.property(priceTableArb, (t) => {
      expect(parsePricesCsv(pricesToCsv(t))).toEqual(t);
    }));
  });

  it('bars', () => {
    fc.assert(fc.property(barTableArb, (t) => {
      expect(parseBarsCsv(barsToCsv(t))).toEqual(t);
    }));
  });

  it('books', () => {
    fc.assert(fc.property(bookArb, (b) => {
      expect(parseBookCsv(bookToCsv(b))).toEqual(b);
    }));
  });

  it('writes NaN as an empty cell and refuses infinities and ragged tables', () => {
    const t: PriceTable = { dates: ['2024-01-02'], tickers: ['A'], closes: [Float64Array.of(NaN)] };
    expect(pricesToCsv(t)).toBe('date,A\n2024-01-02,\n');
    expect(() => pricesToCsv({ ...t, closes: [Float64Array.of(Infinity)] })).toThrow(/Infinity/);
    expect(() => pricesToCsv({ ...t, closes: [Float64Array.of(1, 2)] })).toThrow(/column A has 2 values, expected 1/);
    expect(bookToCsv([{ ticker: 'JPM', shares: -1200, price: NaN }])).toBe('ticker,shares,price\nJPM,-1200,\n');
  });
});

describe('hostile cells', () => {
  it('refuses a megabyte-long number cell at once, quoting only its start', () => {
    const cell = `${'1'.repeat(1_000_000)}x`;
    let message = '';
    try {
      parsePricesCsv(`date,AAPL\n2024-01-02,${cell}\n`);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^prices CSV, row 2, column AAPL: price must be a number \(or empty when missing\), got "1{100}… \(1000001 characters\)"$/);
  });

  it('escapes control characters of a value in a message (one line, no terminal escapes)', () => {
    expect(() => parseBookCsv('ticker,shares\n"AA\u001b[31mPL\nX",abc\n')).toThrow(/got "abc"/);
    let message = '';
    try {
      parsePricesCsv('date,AAPL\n"2024-01-02\u001b[2J",1\n');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('\\u001b[2J');
    expect(message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('every user value in a CSV message is made safe', () => {
  it('mentions header names and file names: bare when plain, quoted and escaped otherwise', () => {
    expectCsvError(() => parsePricesCsv('date,A\u001b[2J,A\u001b[2J\n2024-01-02,1,2\n', { name: 'p.csv' }), 'prices CSV p.csv', 'duplicate ticker column "A\\u001b[2J"');
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-02,x\n', { name: 'my prices.csv' }), 'prices CSV "my prices.csv", row 2, column A');
    expectCsvError(() => parsePricesCsv(`date,${'Z'.repeat(1_000_000)}\n2024-01-02,x\n`), `column "${'Z'.repeat(100)}… (1000000 characters)"`);
    expectCsvError(() => parseBookCsv('ticker,shares,Shares\nA,1,1\n'), 'duplicate column Shares');
  });

  it('quotes the previous row value in an ordering error', () => {
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-03 00:00:00+00:00,1\n2024-01-02,1\n'), 'row 3', 'row 2 has "2024-01-03 00:00:00+00:00"');
  });

  it('keeps every message short, whatever the cell holds', () => {
    const huge = 'x'.repeat(2_000_000);
    for (const text of [
      `ticker,shares\n${huge},1\n${huge},2\n`,
      `ticker,shares\nA,${huge}\n`,
      `ticker,shares,price\nA,1,${huge}\n`,
      `date,A\n${huge},1\n`,
      `date,A\n2024-01-02,1\n2024-01-02,${huge}\n`,
      `date,${huge}\n2024-01-02,x\n`,
      `${huge},A\n2024-01-02,1\n`,
    ]) {
      let message = '';
      try {
        if (text.startsWith('ticker')) parseBookCsv(text);
        else parsePricesCsv(text);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).not.toBe('');
      expect(message.length).toBeLessThan(400);
    }
  });
});

describe('^IRX quotes are checked where they are read', () => {
  it('names file, row and column of a discount yield no 13-week bill can have', () => {
    const text = 'date,AAPL,^IRX\n2024-01-02,1,5\n2024-01-03,1,400\n';
    expectCsvError(() => parsePricesCsv(text, { name: 'p.csv' }), 'prices CSV p.csv', 'row 3', 'column ^IRX', 'discount yield', 'below 395.604', '"400"');
    // Negative and zero bill yields happened (2020-21); other rate columns are not discount yields.
    expect(parsePricesCsv('date,^IRX,^TNX\n2024-01-02,-0.05,400\n2024-01-03,0,1\n').closes[0][0]).toBe(-0.05);
  });
});

describe('readBookCsv', () => {
  it('says which spreadsheet row each position is on, blank lines counted', () => {
    const book = readBookCsv('ticker,shares\nA,1\n\nB,2\r\n', { name: 'b.csv' });
    expect(book.positions.map((p) => p.ticker)).toEqual(['A', 'B']);
    expect(book.rows).toEqual([2, 4]);
    expect(book.file).toBe('book CSV b.csv');
    expect(parseBookCsv('ticker,shares\nA,1\n\nB,2\r\n')).toEqual(book.positions);
  });

  it('names both rows of a duplicate ticker at the end of a large book', () => {
    const lines = ['ticker,shares'];
    for (let i = 0; i < 200_000; i++) lines.push(`T${i},1`);
    lines.push('t17,5');
    expectCsvError(() => readBookCsv(lines.join('\n')), 'row 200002', 'already on row 19', '"t17"');
  });
});

describe('what a spreadsheet brings, cell by cell', () => {
  it('refuses thousands separators, naming row, column and value, and says what to write', () => {
    expectCsvError(() => parsePricesCsv('date,AAPL\n2024-01-02,"1,234.5"\n', { name: 'p.csv' }), 'p.csv, row 2, column AAPL', 'thousands separators are not allowed', '"1,234.5"');
    expectCsvError(() => parseBarsCsv('timestamp,JPM\n2024-01-02T09:30:00-05:00,"1,170.25"\n'), 'row 2', 'column JPM', 'thousands separators', '"1,170.25"');
    expectCsvError(() => parseBookCsv('ticker,shares\nAAPL,"1,500"\n'), 'row 2', 'column shares', 'thousands separators', '"1,500"');
    expectCsvError(() => parseBookCsv('ticker,shares,price\nAAPL,1,"1,277.02"\n'), 'row 2', 'column price', 'thousands separators', '"1,277.02"');
  });

  it('refuses a decimal comma with its own hint', () => {
    expectCsvError(() => parsePricesCsv('date,AAPL\n2024-01-02,"185,5"\n'), 'row 2', 'column AAPL', 'write a decimal point', '"185,5"');
  });

  it('refuses percent signs, also in a ^IRX column', () => {
    expectCsvError(() => parsePricesCsv('date,AAPL,^IRX\n2024-01-02,185.5,5.2%\n'), 'row 2', 'column ^IRX', 'percent signs are not allowed', '"5.2%"');
    expectCsvError(() => parseBookCsv('ticker,shares\nAAPL,10%\n'), 'row 2', 'column shares', 'percent signs', '"10%"');
  });

  it('reads NaN like an empty cell in prices and bars (missing), but refuses it as shares', () => {
    const t = parsePricesCsv('date,AAPL,MSFT\n2024-01-02,NaN,1\n2024-01-03,nan,\n');
    expect(Array.from(t.closes[0])).toEqual([NaN, NaN]);
    expect(Array.from(t.closes[1])).toEqual([1, NaN]);
    expect(Array.from(parseBarsCsv('timestamp,JPM\n2024-01-02T09:30:00Z,NaN\n').closes[0])).toEqual([NaN]);
    expectCsvError(() => parseBookCsv('ticker,shares\nAAPL,NaN\n'), 'row 2', 'column shares', 'shares are missing', '"NaN"');
  });

  it('treats empty cells per format: missing prices and closes, market price in the book, an error for dates, tickers and shares', () => {
    expect(Array.from(parsePricesCsv('date,A,B\n2024-01-02,,2\n').closes[0])).toEqual([NaN]);
    expect(Array.from(parseBarsCsv('timestamp,A,B\n2024-01-02T09:30:00Z,,2\n').closes[0])).toEqual([NaN]);
    expect(parseBookCsv('ticker,shares,price\nAAPL,1,\n')[0].price).toBeNaN();
    expectCsvError(() => parsePricesCsv('date,A\n,1\n'), 'row 2', 'column date', 'YYYY-MM-DD', 'got ""');
    expectCsvError(() => parseBarsCsv('timestamp,A\n,1\n'), 'row 2', 'column timestamp', 'got ""');
    expectCsvError(() => parseBookCsv('ticker,shares\nAAPL,\n'), 'row 2', 'column shares', 'shares are missing', 'got ""');
    expectCsvError(() => parseBookCsv('ticker,shares\n,5\n'), 'row 2', 'column ticker', 'ticker is empty');
  });

  it('points other missing markers to an empty cell', () => {
    for (const marker of ['N/A', 'NA', '#N/A', 'null', '-']) {
      expectCsvError(() => parsePricesCsv(`date,A\n2024-01-02,${marker}\n`), 'row 2', 'column A', 'leave the cell empty', `"${marker}"`);
    }
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-02,$185.5\n'), 'row 2', 'currency symbols');
  });

  it('refuses duplicate and empty column names in every format', () => {
    expectCsvError(() => parsePricesCsv('date,AAPL,MSFT,AAPL\n2024-01-02,1,2,3\n'), 'header (row 1)', 'duplicate ticker column AAPL', 'columns 2 and 4');
    expectCsvError(() => parseBarsCsv('timestamp,JPM,JPM\n2024-01-02T09:30:00Z,1,2\n'), 'header (row 1)', 'duplicate ticker column JPM');
    expectCsvError(() => parseBookCsv('ticker,shares,shares\nA,1,2\n'), 'header (row 1)', 'duplicate column shares');
    expectCsvError(() => parseBarsCsv('timestamp,,C\n2024-01-02T09:30:00Z,1,2\n'), 'header (row 1)', 'column 2 has an empty name');
  });

  it('refuses a file whose first row is data, not column names', () => {
    expectCsvError(() => parsePricesCsv('2024-01-02,185.5,370.6\n2024-01-03,186,371\n'), 'header (row 1)', 'the first row holds data', '"2024-01-02"', "'date,TICKER1");
    expectCsvError(() => parseBarsCsv('2024-01-02T09:30:00-05:00,170.1\n2024-01-02T09:31:00-05:00,170.2\n'), 'header (row 1)', 'the first row holds data', "'timestamp,TICKER1");
    expectCsvError(() => parseBookCsv('AAPL,1500,277.02\nJPM,-1200,\n'), 'header (row 1)', 'no column is named ticker, shares or price', '"AAPL,1500,277.02"');
  });

  it('strips a BOM and reads CRLF and lone CR line ends, rows counted as a spreadsheet does', () => {
    const t = parsePricesCsv('\uFEFFdate,AAPL\r\n2024-01-02,1\r\n2024-01-03,2\r\n');
    expect(t.tickers).toEqual(['AAPL']);
    expect(Array.from(t.closes[0])).toEqual([1, 2]);
    expect(parseBookCsv('\uFEFFticker,shares\rAAPL,1\rMSFT,2\r')).toEqual([
      { ticker: 'AAPL', shares: 1, price: NaN },
      { ticker: 'MSFT', shares: 2, price: NaN },
    ]);
    // Row numbers survive the line-end rewrite: the bad cell is on spreadsheet row 3.
    expectCsvError(() => parsePricesCsv('date,A\r\n2024-01-02,1\r\n2024-01-03,x\r\n'), 'row 3', 'column A');
  });

  it('refuses semicolon- and tab-separated files at the header, saying why', () => {
    expectCsvError(() => parsePricesCsv('date;AAPL;MSFT\n2024-01-02;185,5;370,6\n', { name: 'eu.csv' }), 'prices CSV eu.csv, header (row 1)', 'separated by semicolons (;)', 'comma-separated');
    expectCsvError(() => parseBookCsv('ticker;shares\nAAPL;1\n'), 'header (row 1)', 'semicolons');
    expectCsvError(() => parseBarsCsv('timestamp\tJPM\n2024-01-02T09:30:00Z\t1\n'), 'header (row 1)', 'separated by tabs');
    // A semicolon inside a comma-separated file is just a bad cell.
    expectCsvError(() => parsePricesCsv('date,A\n2024-01-02,1;2\n'), 'row 2', 'column A', '"1;2"');
  });

  it('refuses ragged rows, too short or too long, naming the row', () => {
    expectCsvError(() => parsePricesCsv('date,A,B\n2024-01-02,1,2\n2024-01-03,1,2,3\n'), 'row 3', 'has 4 cells but the header has 3');
    expectCsvError(() => parseBarsCsv('timestamp,A,B\n2024-01-02T09:30:00Z,1\n'), 'row 2', 'has 2 cells but the header has 3');
    expectCsvError(() => parseBookCsv('ticker,shares,price\nA,1\n'), 'row 2', 'has 2 cells but the header has 3');
  });

  it('keeps tickers as strings: TRUE, NA, NaN, 0700.HK and 1e5 are tickers, not values', () => {
    const t = parsePricesCsv('date,TRUE,NA,NaN,0700.HK,1e5\n2024-01-02,1,2,3,4,5\n');
    expect(t.tickers).toEqual(['TRUE', 'NA', 'NaN', '0700.HK', '1e5']);
    expect(parseBarsCsv('timestamp,TRUE,0700.HK\n2024-01-02T01:30:00Z,1,2\n').tickers).toEqual(['TRUE', '0700.HK']);
    const book = parseBookCsv('ticker,shares\nTRUE,1\nNA,2\nNaN,3\n0700.HK,-4\n007,5\n');
    expect(book.map((p) => p.ticker)).toEqual(['TRUE', 'NA', 'NaN', '0700.HK', '007']);
    expect(book.map((p) => typeof p.ticker)).toEqual(['string', 'string', 'string', 'string', 'string']);
  });
});
