/**
 * `astra var` end to end against golden values from an independent numpy/pandas implementation
 * (scripts/golden/var.py → engine/risk/fixtures/var-golden.json), plus the contract's keys and
 * the bad inputs the issue lists.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, tempDir } from './test-helpers.ts';

interface GoldenCase {
  horizon: number;
  confidence: number;
  drift: 'mean' | 'zero';
  lookback: number;
  backtestMethod: 'parametric' | 'historical';
  observations: number;
  first: string;
  last: string;
  parametric: { var: number; es: number; varContributions: number[]; esContributions: number[] };
  historical: { var: number; es: number; windows: number; varScaled: number; esScaled: number };
  backtest: { observations: number; exceptions: number; kupiec: number; christoffersen: number; zone: string; zoneExceptions: number };
}
const golden = JSON.parse(readFileSync(new URL('../engine/risk/fixtures/var-golden.json', import.meta.url), 'utf8')) as {
  pricesCsv: string;
  bookCsv: string;
  tickers: string[];
  notionals: number[];
  cases: GoldenCase[];
};

const tmp = tempDir();
beforeAll(() => {
  writeFileSync(join(tmp.dir, 'prices.csv'), golden.pricesCsv);
  writeFileSync(join(tmp.dir, 'book.csv'), golden.bookCsv);
});
afterAll(() => tmp.remove());

function close(actual: number, expected: number, rel = 1e-9): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));
}

async function varJson(args: string[]) {
  const r = await runInProcess(['var', '--prices', 'prices.csv', '--book', 'book.csv', '--json', ...args], tmp.dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('astra var against an independent implementation', () => {
  it.each(golden.cases.map((c) => [`H=${c.horizon} c=${c.confidence} drift=${c.drift} lookback=${c.lookback}`, c] as const))(
    '%s: parametric, historical and the backtest agree to 1e-9',
    async (_name, c) => {
      const out = await varJson([
        '--horizon', String(c.horizon), '--confidence', String(c.confidence), '--drift', c.drift, '--lookback', String(c.lookback),
        '--backtest', '--backtest-method', c.backtestMethod, '--paths', '2000',
      ]);
      expect(out.window).toEqual({ first: c.first, last: c.last, observations: c.observations });
      close(out.parametric.var, c.parametric.var);
      close(out.parametric.es, c.parametric.es);
      golden.tickers.forEach((t, i) => {
        close(out.parametric.contributions[t].var, c.parametric.varContributions[i]);
        close(out.parametric.contributions[t].es, c.parametric.esContributions[i]);
      });
      close(out.historical.var, c.historical.var);
      close(out.historical.es, c.historical.es);
      close(out.historical.varScaled, c.historical.varScaled);
      expect(out.historical.windows).toBe(c.historical.windows);
      close(out.parametric.varPct, (100 * c.parametric.var) / 1_000_000);
      expect(out.backtest).toMatchObject({
        method: c.backtestMethod,
        observations: c.backtest.observations,
        exceptions: c.backtest.exceptions,
        zone: c.backtest.zone,
        zoneExceptions: c.backtest.zoneExceptions,
      });
      close(out.backtest.kupiec.lr, c.backtest.kupiec);
      close(out.backtest.christoffersen.lr, c.backtest.christoffersen);
      close(out.backtest.conditional.lr, c.backtest.kupiec + c.backtest.christoffersen);
    },
  );

  it('has the contract keys, Monte Carlo within 4 SE of a large run, and contributions summing to the totals', async () => {
    const out = await varJson(['--seed', '7']);
    for (const key of ['mc', 'parametric', 'historical', 'contributions', 'paths', 'horizon', 'confidence', 'seed', 'limit', 'status']) expect(out).toHaveProperty(key);
    for (const key of ['var', 'es', 'varPct', 'esPct', 'se', 'ci95', 'worstLossInHorizon', 'breachProbability']) expect(out.mc).toHaveProperty(key);
    expect(out).toMatchObject({ paths: 5000, horizon: 10, confidence: 0.99, seed: 7, limit: 150_000 });
    expect(out.mc.ci95[0]).toBeLessThanOrEqual(out.mc.var);
    expect(out.mc.ci95[1]).toBeGreaterThanOrEqual(out.mc.var);
    const big = await varJson(['--seed', '99', '--paths', '400000']);
    expect(Math.abs(out.mc.var - big.mc.var)).toBeLessThan(4 * Math.hypot(out.mc.se, big.mc.se));
    const sum = (f: 'var' | 'es') => Object.values(out.contributions as Record<string, { var: number; es: number }>).reduce((a, x) => a + x[f], 0);
    close(sum('var'), out.mc.var, 1e-9);
    close(sum('es'), out.mc.es, 1e-9);
    // The same seed gives the same numbers.
    expect((await varJson(['--seed', '7'])).mc).toEqual(out.mc);
  });

  it('halts when the VaR is above the limit, and says so', async () => {
    const out = await varJson(['--limit', '1000']);
    expect(out.status).toBe('HALTED');
    const text = await runInProcess(['var', '--prices', 'prices.csv', '--book', 'book.csv', '--limit', '1000'], tmp.dir);
    expect(text.stdout).toMatch(/Status\s+HALTED\s+VaR above the limit: no new trades/);
  });

  it('adds stress scenarios: the worst windows with dates, and the user’s shocks', async () => {
    const out = await varJson(['--stress', '--group', 'longs=S0,S3', '--shock', 'longs=-0.1', '--shock', 'S2=0.05']);
    expect(out.stress).toHaveLength(6);
    expect(out.stress[0].name).toBe('worst 10-day window #1');
    expect(out.stress[0].dates).toHaveLength(2);
    expect(out.stress[0].pnl).toBeLessThanOrEqual(out.stress[1].pnl);
    const N = golden.notionals;
    close(out.stress[5].pnl, -0.1 * (N[0] + N[2]) + 0.05 * N[1], 1e-12);
  });
});

describe('astra var refuses bad input with a clear message (exit 2)', () => {
  it.each([
    [['--confidence', '1'], /--confidence must be a number strictly between 0 and 1/],
    [['--confidence', '0'], /--confidence must be a number strictly between 0 and 1/],
    [['--paths', '0'], /--paths must be a whole number from 2/],
    [['--horizon', '0'], /--horizon must be a whole number of trading days ≥ 1/],
    [['--limit', '-5'], /--limit must be a positive amount of money/],
    [['--drift', 'up'], /--drift must be mean or zero, got "up"/],
    [['--shock', 'XYZ=-0.1'], /--shock name must be a ticker of the book/],
  ])('%j', async (args, message) => {
    const r = await runInProcess(['var', '--prices', 'prices.csv', '--book', 'book.csv', ...args], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('names a book ticker without prices, an all-zero book, and too few observations', async () => {
    writeFileSync(join(tmp.dir, 'unknown.csv'), 'ticker,shares,price\nS0,10,\nZZZ,5,10\n');
    let r = await runInProcess(['var', '--prices', 'prices.csv', '--book', 'unknown.csv'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the prices have no column "ZZZ"/);
    // Several at once are all named (a switch of data source can leave many positions unpriced).
    writeFileSync(join(tmp.dir, 'unknowns.csv'), 'ticker,shares,price\nS0,10,\nZZZ,5,10\nYYY,-5,10\n');
    r = await runInProcess(['var', '--prices', 'prices.csv', '--book', 'unknowns.csv'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the prices have no columns "ZZZ", "YYY" of the book \(columns: S0, /);
    writeFileSync(join(tmp.dir, 'flat.csv'), 'ticker,shares,price\nS0,0,\nS2,0,\n');
    r = await runInProcess(['var', '--prices', 'prices.csv', '--book', 'flat.csv'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the book holds no position/);
    r = await runInProcess(['var', '--prices', 'prices.csv', '--book', 'book.csv', '--lookback', '10'], tmp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fewer than the 10-day horizon|more observations than assets/);
  });
});
