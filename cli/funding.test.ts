import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinary, runInProcess, tempFiles, expectBadInput } from './test-helpers.ts';

const { dir: tmpDir, file } = tempFiles();

describe('astra funding on the demo book (hand-worked figures, RFR 3.60%)', () => {
  it('prints the contract JSON', async () => {
    const r = await runInProcess(['funding', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.positions.map((p: { ticker: string }) => p.ticker)).toEqual(['AAPL', 'MSFT', 'JPM', 'GS', 'MS']);
    const notional = [415_530, 416_000, -381_864, -457_070, -180_740];
    const rate = [0.041, 0.041, 0.0295, 0.0295, 0.0295];
    const daily = [-47.32425, -47.377777777778, 31.291633333333, 37.454347222222, 14.810638888889];
    out.positions.forEach((p: Record<string, number>, i: number) => {
      expect(p.notional).toBeCloseTo(notional[i], 6);
      expect(p.rate).toBeCloseTo(rate[i], 14);
      expect(p.daily).toBeCloseTo(daily[i], 9);
      expect(p.annual).toBeCloseTo(daily[i] * 365, 6);
    });
    expect(out.positions[0]).toMatchObject({ shares: 1500, price: 277.02, side: 'long' });
    expect(out.positions[2]).toMatchObject({ shares: -1200, price: 318.22, side: 'short', borrowBps: 40 });
    expect(out.totalDaily).toBeCloseTo(-11.145408333333, 9);
    expect(out.totalAnnual).toBeCloseTo(-4068.074041666667, 7);
    expect(out.hurdleRate).toBeCloseTo(0.004068074041667, 12);
    expect(out).toMatchObject({ rfrSource: '^IRX', equity: 1_000_000, dayCount: 'ACT/360' });
    expect(out.rfr).toBeCloseTo(0.036, 14);
    expect(out.gross).toBeCloseTo(1_851_204, 6);
    expect(out.net).toBeCloseTo(-188_144, 6);
    expect(out.leverage).toBeCloseTo(1.851204, 12);
  });

  it('prints a readable table by default', async () => {
    const r = await runInProcess(['funding']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('demo data (synthetic)');
    expect(r.stdout).toContain('RFR 3.600% (^IRX 3.5675% discount on 2026-11-20, as money-market yield)');
    expect(lines.find((l) => l.startsWith('Ticker'))?.split(/\s+/)).toEqual([
      'Ticker', 'Side', 'Shares', 'Price', 'Notional', 'Weight', 'Rate', 'Borrow', 'Daily', 'Annual',
    ]);
    expect(lines.find((l) => l.startsWith('AAPL'))?.split(/\s+/)).toEqual([
      'AAPL', 'long', '1,500', '277.02', '415,530.00', '41.55%', '4.100%', '-47.32', '-17,273.35',
    ]);
    expect(lines.find((l) => l.startsWith('GS'))?.split(/\s+/)).toEqual([
      'GS', 'short', '-500', '914.14', '-457,070.00', '-45.71%', '2.950%', '40', 'bp', '37.45', '13,670.84',
    ]);
    expect(r.stdout).toMatch(/Hurdle rate\s+0\.407%/);
    expect(r.stdout).toMatch(/Annual carry\s+-4,068\.07\s+daily x 365/);
  });
});

describe('astra funding options', () => {
  it('--rfr overrides the rate and --equity rescales the hurdle', async () => {
    const out = JSON.parse((await runInProcess(['funding', '--rfr', '0.05', '--equity', '2000000', '--json'])).stdout);
    expect(out.rfrSource).toBe('override');
    expect(out.positions[0].rate).toBeCloseTo(0.055, 14);
    // −415,530 × 0.055 / 360
    expect(out.positions[0].daily).toBeCloseTo(-63.48375, 9);
    const base = JSON.parse((await runInProcess(['funding', '--equity=2000000', '--json'])).stdout);
    expect(base.hurdleRate).toBeCloseTo(0.002034037020833, 12);
  });

  it('--borrow sets a per-ticker fee', async () => {
    const out = JSON.parse((await runInProcess(['funding', '--borrow', 'GS=300', '--json'])).stdout);
    const gs = out.positions.find((p: { ticker: string }) => p.ticker === 'GS');
    // 0.036 − 0.0025 − 0.03 = 0.0035; 457,070 × 0.0035 / 360
    expect(gs.rate).toBeCloseTo(0.0035, 14);
    expect(gs.daily).toBeCloseTo(4.443736111111, 9);
    expect(out.positions.find((p: { ticker: string }) => p.ticker === 'JPM').borrowBps).toBe(40);
  });

  it('fills missing book prices from the last close in --prices and takes the RFR from ^IRX', async () => {
    const book = file('book-no-price.csv', 'ticker,shares\nAAPL,100\n');
    const prices = file('prices-irx.csv', 'date,AAPL,^IRX\n2024-01-02,190,4.9\n2024-01-03,200,5\n2024-01-04,,\n');
    const out = JSON.parse((await runInProcess(['funding', '--book', book, '--prices', prices, '--json'])).stdout);
    expect(out.positions[0].price).toBe(200);
    expect(out.rfrSource).toBe('^IRX');
    expect(out.rfrQuote).toEqual({ symbol: '^IRX', percent: 5, date: '2024-01-03' });
    // 5% discount, 91 days → 0.05/(1 − 0.05·91/360) = 0.050640033760022; daily = −20,000 × (that + 0.005)/360
    expect(out.rfr).toBeCloseTo(0.050640033760022, 14);
    expect(out.positions[0].daily).toBeCloseTo(-3.091112986668, 9);
    expect(out.equity).toBe(1_000_000);
  });

  it('uses the default RFR with a book that has prices and no --prices', async () => {
    const book = file('book-priced.csv', 'ticker,shares,price\nXYZ,-10,36\n');
    const out = JSON.parse((await runInProcess(['funding', '--book', book, '--json'])).stdout);
    expect(out).toMatchObject({ rfr: 0.036, rfrSource: 'default' });
    // short 360 at 2.95%: 360 × 0.0295 / 360
    expect(out.totalDaily).toBeCloseTo(0.0295, 14);
    expect(out.hurdleRate).toBeLessThan(0);
  });
});

describe('astra funding bad input → exit 2, message on stderr, nothing on stdout', () => {
  it('names the row, column and value of a bad book cell', async () => {
    const book = file('bad-book.csv', 'ticker,shares,price\nAAPL,100,277\nMSFT,ten,416\n');
    expectBadInput(await runInProcess(['funding', '--book', book]), 'book CSV', 'row 3', 'column shares', '"ten"');
  });

  it('names the row and column of a bad prices cell', async () => {
    const prices = file('bad-prices.csv', 'date,AAPL\n2024-01-02,1\n2024-01-03,n/a\n');
    expectBadInput(await runInProcess(['funding', '--prices', prices]), 'prices CSV', 'row 3', 'column AAPL', '"n/a"');
  });

  it('names the ticker without a price', async () => {
    const book = file('no-price.csv', 'ticker,shares\nAAPL,100\n');
    expectBadInput(await runInProcess(['funding', '--book', book]), 'no price for AAPL');
  });

  it('rejects an unknown flag, negative equity, a bad --rfr and a missing file', async () => {
    expectBadInput(await runInProcess(['funding', '--bogus']), 'unknown option --bogus', '--book');
    expectBadInput(await runInProcess(['funding', '--equity', '-5']), '--equity', '"-5"', 'positive');
    expectBadInput(await runInProcess(['funding', '--equity=0']), '--equity', '"0"');
    expectBadInput(await runInProcess(['funding', '--rfr', '3.6']), '--rfr', '"3.6"', '0.036 for 3.6%');
    expectBadInput(await runInProcess(['funding', '--rfr', 'abc']), '--rfr', '"abc"');
    expectBadInput(await runInProcess(['funding', '--long-spread-bps', '-1']), '--long-spread-bps', '"-1"');
    expectBadInput(await runInProcess(['funding', '--borrow', 'GS']), '--borrow entry', '"GS"');
    expectBadInput(await runInProcess(['funding', '--borrow', 'NOPE=10']), '--borrow names NOPE');
    expectBadInput(await runInProcess(['funding', '--book', join(tmpDir, 'missing.csv')]), '--book', 'no such file');
  });

  it('adds one JSON error line on stderr with --json', async () => {
    const r = await runInProcess(['funding', '--rfr', '3.6', '--json']);
    expectBadInput(r, '--rfr');
    const [, second] = r.stderr.trimEnd().split('\n');
    expect(JSON.parse(second)).toEqual({ error: { code: 'BAD_INPUT', message: expect.stringContaining('--rfr'), where: { option: '--rfr' } } });
  });
});

describe('the astra binary', () => {
  it('runs funding as a child process and prints the same JSON as in-process', async () => {
    const child = runBinary(['funding', '--json']);
    expect(child.code).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(JSON.parse((await runInProcess(['funding', '--json'])).stdout));
  });

  it('exits 2 on a bad CSV with the message on stderr only', () => {
    const book = file('ragged.csv', 'ticker,shares\nAAPL,1,2\n');
    const r = runBinary(['funding', '--book', book]);
    expectBadInput(r, 'row 2', 'has 3 cells');
  });
});
