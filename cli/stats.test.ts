import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../engine/node.ts';
import { generateDemoMarket } from '../engine/demo.ts';
import { marketStats } from '../engine/market/stats.ts';
import { GOLDEN, expectRelative } from '../engine/market/fixtures/golden.ts';
import type { GoldenExpected } from '../engine/market/fixtures/golden.ts';
import { runInProcess, tempFiles, expectBadInput } from './test-helpers.ts';

const { dir: tmpDir, file } = tempFiles();

async function statsJson(argv: string[]) {
  const r = await runInProcess(['stats', ...argv, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('astra stats on the demo', () => {
  let engine: ReturnType<typeof marketStats>;
  beforeAll(async () => {
    const k = await loadKernels();
    engine = marketStats(k, generateDemoMarket(k).prices);
  });

  it('prints the contract JSON: full precision, rows and columns in tickers order', async () => {
    const out = await statsJson([]);
    expect(Object.keys(out).slice(0, 10)).toEqual([
      'source', 'tickers', 'first', 'last', 'observations', 'estimator', 'meanDaily', 'covDaily', 'volAnnual', 'repair',
    ]);
    expect(out).toMatchObject({
      source: { prices: 'demo data (synthetic)' },
      tickers: ['AAPL', 'MSFT', 'GOOGL', 'JPM', 'GS', 'MS', 'C'],
      first: '2024-11-21',
      last: '2026-11-20',
      observations: 522,
      estimator: 'sample',
      repair: null,
      dropped: { dates: [], tickers: [] },
      lookback: 730,
      excluded: ['^IRX'],
      warnings: [],
    });
    expect(out).not.toHaveProperty('shrinkage');
    const n = 7;
    out.tickers.forEach((t: string, i: number) => {
      // Bit for bit: JSON carries every double exactly.
      expect(out.meanDaily[t]).toBe(engine.meanDaily[i]);
      expect(out.volAnnual[t]).toBe(engine.volAnnual[i]);
      for (let j = 0; j < n; j++) expect(out.covDaily[i][j]).toBe(engine.covDaily[i * n + j]);
    });
  });

  it('names the estimator and its figures: Ledoit-Wolf intensity and target, EWMA lambda', async () => {
    const lw = await statsJson(['--estimator', 'ledoit-wolf']);
    expect(lw.estimator).toBe('ledoit-wolf');
    expect(lw.shrinkage).toBeGreaterThan(0);
    expect(lw.shrinkageTarget).toEqual({ kind: 'scaled-identity', variance: expect.any(Number) });
    const ewma = await statsJson(['--estimator=ewma', '--lookback', '365']);
    expect(ewma).toMatchObject({ estimator: 'ewma', lambda: 0.94, lookback: 365, windowStart: '2025-11-20', first: '2025-11-21' });
    expect(ewma).not.toHaveProperty('shrinkage');
  });

  it('prints a readable table by default', async () => {
    const r = await runInProcess(['stats', '--estimator', 'ledoit-wolf']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Market statistics - prices: demo data (synthetic)');
    expect(lines[1]).toBe('Window: 2024-11-21 … 2026-11-20, 522 daily log returns of 7 tickers (dated after 2024-11-20: lookback 730 calendar days)');
    expect(lines[2]).toMatch(/^Estimator: Ledoit-Wolf: shrinkage 0\.\d{4} towards the scaled identity mu\*I, mu = trace\/n = /);
    expect(lines[3]).toBe('Repair: none (positive definite)');
    expect(lines.find((l) => l.startsWith('Ticker'))?.split(/\s{2,}/)).toEqual(['Ticker', 'Mean daily', 'Mean annual (x252)', 'Vol annual']);
    expect(lines.find((l) => l.startsWith('AAPL '))).toMatch(/^AAPL\s+-?\d\.\d{4}%\s+-?\d+\.\d{2}%\s+\d+\.\d{2}%$/);
    expect(r.stdout).toContain('Correlation\n');
    expect(r.stdout).toMatch(/\nAAPL\s+1\.000\s+0\.\d{3}/);
    expect(r.stdout).toContain('Daily covariance (x 1e-4)');
    expect(r.stdout).toMatch(/Rate series\s+\^IRX\s+not assets/);
  });

  it('--tickers chooses and orders the universe, rate series included when named', async () => {
    const out = await statsJson(['--tickers', 'JPM,C', '--tickers', '^IRX']);
    expect(out.tickers).toEqual(['JPM', 'C', '^IRX']);
    expect(out.excluded).toEqual([]);
    expect(out.covDaily).toHaveLength(3);
  });
});

describe('astra stats end to end against the numpy/pandas golden values', () => {
  const prices = file('golden-prices.csv', GOLDEN.pricesCsv);

  for (const c of GOLDEN.cases) {
    it(c.name, async () => {
      const argv = ['--prices', prices, '--lookback', String(c.options.lookback), '--estimator', c.options.estimator];
      if (c.options.tickers) argv.push('--tickers', c.options.tickers.join(','));
      const out = await statsJson(argv);
      const want: GoldenExpected = c.expected;
      expect([out.tickers, out.first, out.last, out.observations, out.estimator]).toEqual([want.tickers, want.first, want.last, want.observations, want.estimator]);
      expect(out.dropped.dates).toEqual(want.dropped.dates);
      expect(out.dropped.tickers.map((t: { ticker: string }) => t.ticker)).toEqual(want.dropped.tickers);
      for (const [i, t] of want.tickers.entries()) {
        expectRelative(out.meanDaily[t], want.meanDaily[t], `mean ${t}`);
        expectRelative(out.volAnnual[t], want.volAnnual[t], `vol ${t}`);
        want.tickers.forEach((u, j) => expectRelative(out.covDaily[i][j], want.covDaily[i][j], `cov ${t},${u}`));
      }
      if (want.shrinkage !== undefined) expectRelative(out.shrinkage, want.shrinkage, 'shrinkage');
      expect(out.repair).toBeNull();
    });
  }

  it('reports the gaps of the golden file in the table, and warns about them', async () => {
    const r = await runInProcess(['stats', '--prices', prices, '--lookback', '120']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dropped ticker\s+EMPTY\s+it has no prices/);
    expect(r.stdout).toMatch(/Dropped dates\s+8\s+\d{4}-\d{2}-\d{2} \(/);
    expect(r.stdout).toContain('Warnings:\n  - EMPTY left out of the universe: it has no prices');
    expect(r.stdout).toMatch(/the window ends on 2025-09-04, before the last date of the prices \(2025-09-05\): CCC has no price after it/);
  });
});

describe('astra stats: bad data gets a warning or exit 2 with a located message', () => {
  it('a flat price series: a warning naming it and the repair, reported', async () => {
    const csv = file('flat.csv', 'date,A,B,FLAT\n2024-01-02,10,20,5\n2024-01-03,10.5,19,5\n2024-01-04,10.2,19.5,5\n2024-01-05,10.9,19.1,5\n2024-01-08,11,19.9,5\n');
    const out = await statsJson(['--prices', csv]);
    expect(out.warnings[0]).toBe('FLAT has zero variance in the window: every return is 0 (the price does not move)');
    expect(out.repair).toMatchObject({ method: 'eigenvalue-clip', clipped: 1, ticker: 'FLAT', jitter: 0 });
    expect(out.repair.amount).toBeGreaterThan(0);
    expect(out.covDaily[2][2]).toBe(out.repair.floor);
  });

  it('more tickers than returns: refused for sample naming the counts, computed by ledoit-wolf', async () => {
    const csv = file('wide.csv', 'date,A,B,C,D\n2024-01-02,10,20,30,40\n2024-01-03,11,19,31,41\n2024-01-04,10,21,29,40\n2024-01-05,12,20,30,42\n');
    expectBadInput(
      await runInProcess(['stats', '--prices', csv]),
      `prices CSV ${csv}: 4 assets but only 3 observations (2024-01-03 … 2024-01-05)`,
      '--estimator ledoit-wolf',
    );
    const lw = await statsJson(['--prices', csv, '--estimator', 'ledoit-wolf']);
    expect(lw.repair).toBeNull();
    expect(lw.warnings).toContain(`4 assets and only 3 observations: the ledoit-wolf estimate leans on its target (shrinkage ${lw.shrinkage.toFixed(4)})`);
  });

  it('a file with fewer than 2 aligned returns names the file and the tickers', async () => {
    const csv = file('short.csv', 'date,A,B\n2024-01-02,10,\n2024-01-03,,20\n2024-01-04,11,21\n');
    expectBadInput(await runInProcess(['stats', '--prices', csv]), `prices CSV ${csv}: only 1 date where all 2 tickers have a price`, "B's prices start on 2024-01-03");
    const two = file('two.csv', 'date,A\n2024-01-02,10\n2024-01-03,11\n');
    expectBadInput(await runInProcess(['stats', '--prices', two]), `prices CSV ${two}: only 1 return dated after`, 'a covariance needs at least 2');
  });

  it('rejects bad options and files', async () => {
    expectBadInput(await runInProcess(['stats', '--lookback', '0']), '--lookback must be a whole number of calendar days ≥ 1, got "0"');
    expectBadInput(await runInProcess(['stats', '--lookback', '30.5']), '--lookback', '"30.5"');
    expectBadInput(await runInProcess(['stats', '--lookback', 'abc']), '--lookback', '"abc"');
    expectBadInput(await runInProcess(['stats', '--estimator', 'shrunk']), '--estimator must be one of sample, ledoit-wolf, ewma, got "shrunk"');
    expectBadInput(await runInProcess(['stats', '--tickers', 'AAPL,,MSFT']), '--tickers', 'comma-separated');
    expectBadInput(await runInProcess(['stats', '--tickers', 'NOPE']), 'demo data (synthetic): the prices have no column "NOPE" (columns: AAPL, MSFT');
    expectBadInput(await runInProcess(['stats', '--prices', join(tmpDir, 'missing.csv')]), '--prices', 'no such file');
    const bad = file('bad.csv', 'date,A\n2024-01-02,1\n2024-01-03,x\n');
    expectBadInput(await runInProcess(['stats', '--prices', bad]), 'prices CSV', 'row 3', 'column A', '"x"');
  });

  it('adds the JSON error line with the code and where it is', async () => {
    const csv = file('wide2.csv', 'date,A,B,C\n2024-01-02,10,20,30\n2024-01-03,11,19,31\n2024-01-04,10,21,29\n');
    const r = await runInProcess(['stats', '--prices', csv, '--json']);
    expectBadInput(r, '3 assets but only 2 observations');
    const [, second] = r.stderr.trimEnd().split('\n');
    expect(JSON.parse(second).error).toMatchObject({ code: 'INSUFFICIENT_DATA', where: { assets: 3, observations: 2, source: `prices CSV ${csv}` } });
  });

  it('shows tickers carrying terminal escape codes escaped, in warnings, the table and messages', async () => {
    const evil = 'EV\u001b[31mIL';
    const csv = file('evil.csv', `date,A,B,"${evil}"\n2024-01-02,10,20,\n2024-01-03,11,19,\n2024-01-04,10.5,21,5\n2024-01-05,12,20,\n`);
    const r = await runInProcess(['stats', '--prices', csv]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"EV\\u001b[31mIL" left out of the universe');
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    const lonely = file('evil-lonely.csv', `date,"${evil}"\n2024-01-02,1\n2024-01-03,\n`);
    const refused = await runInProcess(['stats', '--prices', lonely]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(refused.stderr).toContain('no ticker has the two prices a return needs: "EV\\u001b[31mIL": it has only one price');
  });

  it('lists its options in --help', async () => {
    const r = await runInProcess(['stats', '--help']);
    expect(r.code).toBe(0);
    for (const option of ['--prices FILE', '--lookback DAYS', '--estimator NAME', '--tickers T,…', '--json']) expect(r.stdout).toContain(option);
  });
});
