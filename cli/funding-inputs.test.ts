/**
 * `astra funding` on large and hostile inputs: a million-line book, megabyte cells, tickers
 * carrying terminal escape codes, and data errors that must name their file, row and column.
 * Inputs are generated here; the assertions are on output and exit codes, never on timings.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, tempFiles, expectBadInput } from './test-helpers.ts';

const { dir: tmpDir, file } = tempFiles();
/** Characters that must never reach a terminal raw (a newline ends each line of output and is allowed there). */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A bad-input run: exit 2, nothing on stdout, one short `astra: …` line on stderr containing every fragment. */
function expectShortError(r: { code: number; stdout: string; stderr: string }, ...fragments: string[]): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('astra: ')).toBe(true);
  expect(r.stderr.length, r.stderr).toBeLessThan(500);
  expect(r.stderr.trimEnd()).not.toContain('\n');
  expect(r.stderr).not.toMatch(RAW_CONTROL);
  for (const f of fragments) expect(r.stderr).toContain(f);
}

/** A book of `n` lines T0…T(n−1), longs and shorts, every price given. */
function bigBook(n: number, extra = ''): string {
  const lines = ['ticker,shares,price'];
  for (let i = 0; i < n; i++) lines.push(`T${i},${i % 2 ? -(100 + (i % 900)) : 100 + (i % 900)},${10 + (i % 1000) / 8}`);
  return `${lines.join('\n')}\n${extra}`;
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

describe('a book of a million lines', () => {
  const n = 1_000_000;
  const path = file('big.csv', bigBook(n));

  it('prints the JSON report (a spread Math.max made this exit 1)', { timeout: 120_000 }, async () => {
    const r = await runInProcess(['funding', '--book', path, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(countLines(r.stdout)).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.positions).toHaveLength(n);
    expect(out.positions[n - 1]).toMatchObject({ ticker: `T${n - 1}`, shares: -(100 + ((n - 1) % 900)), side: 'short', borrowBps: 40 });
    let sum = 0;
    for (const p of out.positions) sum += p.daily;
    expect(out.totalDaily).toBeCloseTo(sum, 3);
  });

  it('prints the table, a line per position', { timeout: 120_000 }, async () => {
    const r = await runInProcess(['funding', '--book', path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // title, RFR line, blank, header, rule, n positions, blank, 6 totals
    expect(countLines(r.stdout)).toBe(n + 12);
    const last = r.stdout.slice(r.stdout.indexOf(`\nT${n - 1} `) + 1).split('\n')[0];
    // T999999: −(100 + 999999 mod 900) = −199 shares at 10 + 999/8 = 134.875, shown half away from zero
    expect(last.split(/\s+/).slice(0, 5)).toEqual([`T${n - 1}`, 'short', '-199', '134.88', '-26,840.13']);
  });

  it('names both rows of a duplicate ticker near the end, in a short message', { timeout: 60_000 }, async () => {
    const dup = file('big-dup.csv', bigBook(n, 't123,1,1\nX,1,1\n'));
    expectShortError(await runInProcess(['funding', '--book', dup]), 'book CSV', `row ${n + 2}`, 'column ticker', 'already on row 125', '"t123"');
  });
});

describe('megabyte cells exit 2 at once with a short message', () => {
  const mb = 1_000_000;

  it('in a book: shares, price, ticker', async () => {
    expectShortError(
      await runInProcess(['funding', '--book', file('mb-shares.csv', `ticker,shares,price\nA,1,2\nB,${'9'.repeat(mb)}x,2\n`)]),
      'row 3',
      'column shares',
      '(1000001 characters)',
    );
    expectShortError(
      await runInProcess(['funding', '--book', file('mb-price.csv', `ticker,shares,price\nA,1,${'1'.repeat(mb)}\n`)]),
      'row 2',
      'column price',
    );
    const ticker = `${'Q'.repeat(mb)}\u001b[2J`;
    expectShortError(
      await runInProcess(['funding', '--book', file('mb-ticker.csv', `ticker,shares\n"${ticker}",1\n`)]),
      `no price for "${'Q'.repeat(100)}… (1000004 characters)"`,
    );
  });

  it('in a prices file: a close, a date, a header', async () => {
    expectShortError(
      await runInProcess(['funding', '--prices', file('mb-close.csv', `date,AAPL\n2024-01-02,${'1'.repeat(mb)}.5.\n`)]),
      'prices CSV',
      'row 2',
      'column AAPL',
    );
    expectShortError(await runInProcess(['funding', '--prices', file('mb-date.csv', `date,AAPL\n${'2'.repeat(mb)},1\n`)]), 'row 2', 'column date');
    expectShortError(
      await runInProcess(['funding', '--prices', file('mb-header.csv', `date,${'\u001b'.repeat(mb)}\n2024-01-02,x\n`)]),
      'row 2',
      `column "${'\\u001b'.repeat(16)}… (1000000 characters)"`,
    );
  });

  it('and with --json the structured location is cut too', async () => {
    const r = await runInProcess(['funding', '--book', file('mb-dup.csv', `ticker,shares\n${'D'.repeat(mb)},1\n${'d'.repeat(mb)},1\n`), '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeLessThan(1000);
    const { error } = JSON.parse(r.stderr.split('\n')[1]);
    expect(error.where).toMatchObject({ row: 3, column: 'ticker', ticker: `${'d'.repeat(100)}…` });
  });
});

describe('terminal escape codes in tickers', () => {
  const evil = 'EV\u001b[31mIL\u009b2J\u202e';

  it('are escaped in the table', async () => {
    const r = await runInProcess(['funding', '--book', file('evil.csv', `ticker,shares,price\n"${evil}",-10,5\nAAPL,1,1\n`)]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('EV\\u001b[31mIL\\u009b2J\\u202e  short');
  });

  it('are escaped in the JSON and read back unchanged', async () => {
    const r = await runInProcess(['funding', '--book', file('evil.csv', `ticker,shares,price\n"${evil}",-10,5\n`), '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(r.stdout).positions[0].ticker).toBe(evil);
  });

  it('are escaped in messages: a missing price, a --borrow ticker, a path', async () => {
    expectShortError(await runInProcess(['funding', '--book', file('evil-np.csv', `ticker,shares\n"${evil}",1\n`)]), 'no price for "EV\\u001b[31mIL');
    expectShortError(await runInProcess(['funding', '--borrow', `${evil}=5`]), '--borrow names "EV\\u001b[31mIL');
    expectShortError(await runInProcess(['funding', '--book', join(tmpDir, `${evil}.csv`)]), 'cannot read --book "', '\\u001b[31mIL', 'no such file');
  });
});

describe('every data error names its file, row and column', () => {
  it('an impossible ^IRX quote in the prices', async () => {
    const prices = file('irx.csv', 'date,AAPL,^IRX\n2024-01-02,1,5\n2024-01-03,1,400\n');
    expectShortError(await runInProcess(['funding', '--prices', prices]), `prices CSV ${prices}, row 3, column ^IRX`, 'below 395.604', '"400"');
  });

  it('a book price that is missing and not in --prices', async () => {
    const book = file('np-book.csv', 'ticker,shares,price\nAAPL,1,2\n\nMSFT,1,\n');
    const prices = file('np-prices.csv', 'date,AAPL\n2024-01-02,1\n');
    expectShortError(
      await runInProcess(['funding', '--book', book, '--prices', prices]),
      `book CSV ${book}, row 4: no price for MSFT: the book has no price and prices CSV ${prices} has no column for it`,
    );
  });

  it('an empty path is not "a directory"', async () => {
    expectShortError(await runInProcess(['funding', '--book', '']), '--book needs a path, got an empty value');
    expectShortError(await runInProcess(['funding', '--prices=']), '--prices needs a path');
    expectShortError(await runInProcess(['demo-data', '--out', ' ']), '--out needs a path');
  });
});

describe('a wide prices file', () => {
  it('prices a large book from 2,000 dates × 500 tickers', { timeout: 60_000 }, async () => {
    const tickers = Array.from({ length: 500 }, (_, j) => `S${j}`);
    const lines = [`date,${tickers.join(',')},^IRX`];
    const day = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 2000; i++) {
      const date = new Date(day + i * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${date},${tickers.map((_, j) => (i === 1999 && j === 7 ? '' : String(10 + j + i / 100))).join(',')},4.5`);
    }
    const prices = file('wide.csv', `${lines.join('\n')}\n`);
    const book = file('wide-book.csv', `ticker,shares\n${tickers.map((t, j) => `${t},${j + 1}`).join('\n')}\n`);
    const r = await runInProcess(['funding', '--book', book, '--prices', prices, '--json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.positions).toHaveLength(500);
    expect(out.positions[0].price).toBeCloseTo(10 + 19.99, 9);
    expect(out.positions[7].price).toBeCloseTo(17 + 19.98, 9); // its last close is missing: the one before
    expect(out.rfrQuote).toMatchObject({ symbol: '^IRX', percent: 4.5 });
  });
});
