/**
 * `astra scan` end to end: the contract's keys on the demo, the statistics of every pair against
 * statsmodels on the bars `astra demo-data` writes (scripts/golden/scan.py) to 1e-9, the table,
 * the pool, skipped pairs, and the bad inputs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsToCsv } from '../engine/csv.ts';
import { GOLDEN } from '../engine/pairs/fixtures/golden.ts';
import { barTable, expectScanGolden } from '../engine/pairs/fixtures/scan-helpers.ts';
import { expectBadInput, runInProcess, tempDir } from './test-helpers.ts';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (name: string, text: string) => {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
};

const CONTRACT = ['y', 'x', 'corr', 'adfStat', 'pValue', 'pAdjusted', 'halfLife', 'sharpe', 'trades'];
const json = async (args: string[]) => {
  const r = await runInProcess(['scan', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};

let demoAll: any;
beforeAll(async () => {
  demoAll = await json(['--top', '0']);
});

describe('astra scan on the demo', () => {
  it('prints { pairs: [...] } with the contract keys first, best 20 by default, the constructed pairs on top', async () => {
    const out = await json([]);
    expect(out.pairs).toHaveLength(20);
    for (const p of out.pairs) expect(Object.keys(p).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(out.pairs.map((p: { rank: number }) => p.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(out.pairs.slice(0, 4).map((p: { y: string; x: string }) => `${p.y}/${p.x}`))).toEqual(new Set(['JPM/C', 'BAC/WFC', 'GS/MS', 'USB/PNC']));
    expect(out).toMatchObject({ scanned: 45, total: 45, skipped: [], top: 20, formation: 0.5, source: 'demo data (synthetic)' });
    expect(out.calibration).toEqual({ window: 390, maxEvaluations: 40, burnIn: 30 });
    expect(out.pairs).toEqual(demoAll.pairs.slice(0, 20));
    const p = out.pairs.map((q: { pValue: number }) => q.pValue);
    expect([...p].sort((a, b) => a - b)).toEqual(p);
  });

  it('the bars astra demo-data writes give the same scan, and statsmodels agrees on every pair', async () => {
    const dir = join(tmp.dir, 'demo');
    expect((await runInProcess(['demo-data', '--out', dir])).code).toBe(0);
    const fromFile = await json(['--bars', join(dir, 'bars.csv'), '--top', '0']);
    expect(fromFile.pairs).toEqual(demoAll.pairs);
    for (const want of GOLDEN.demo.pairs) {
      const got = fromFile.pairs.find((q: { y: string; x: string }) => q.y === want.y && q.x === want.x);
      expectScanGolden({ ...got, halfLife: got.halfLife ?? Infinity }, want);
    }
  });

  it('--top and --formation', async () => {
    const three = await json(['--top', '3']);
    expect(three.pairs).toEqual(demoAll.pairs.slice(0, 3));
    const f = await json(['--formation', '0.6', '--top', '1']);
    expect(f.pairs[0]).toMatchObject({ rows: 11_700, formationRows: 7020, tradingRows: 4680 });
  });

  it('prints one row per pair with the BH summary', async () => {
    const r = await runInProcess(['scan', '--top', '5']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      'Pair scan - bars: demo data (synthetic); 10 tickers, 45 pairs, top 5 of 45 scanned pairs by pValue ascending, then sharpe descending (missing last), then column order',
    );
    const header = lines.findIndex((l) => l.trim().startsWith('#'));
    expect(lines[header]).toMatch(/#\s+y\s+x\s+corr\s+ADF t\s+lags\s+p\s+p \(BH\)\s+half-life\s+Sharpe\s+trades\s+hedge/);
    expect(lines.slice(header + 2, header + 7).map((l) => l.trim().split(/\s+/)[0])).toEqual(['1', '2', '3', '4', '5']);
    expect(lines[header + 2]).toMatch(/^ ?1\s+BAC\s+WFC\s+0\.985\s+-11\.58\s+0\s+3\.4e-20\s+1\.5e-18\s+15\.0\s/);
    expect(r.stdout).toContain('5 shown pairs with p < 0.05, 4 after the Benjamini–Hochberg adjustment over all 45');
  });

  it('gives the same JSON on a pool of two worker threads', async () => {
    const pooled = await json(['--top', '0', '--workers', '2']);
    expect(pooled).toEqual(demoAll);
  });
});

describe('astra scan on files', () => {
  it('prints null for the −∞ τ of collinear legs (p = 0), as statsmodels returns', async () => {
    const c = GOLDEN.cases.find((q) => q.name === 'collinear')!;
    const path = file('collinear.csv', barsToCsv(barTable(['Y', 'X'], [c.y, c.x])));
    const out = await json(['--bars', path]);
    expect(out.pairs[0]).toMatchObject({ y: 'Y', x: 'X', adfStat: null, pValue: 0, pAdjusted: 0 });
  });

  it('skips a pair with too few common rows, says why, and scans the rest', async () => {
    const c = GOLDEN.cases.find((q) => q.name === 'random-walks')!;
    const sparse = c.x.map((v, t) => (t % 120 === 0 ? v : null));
    const path = file('sparse.csv', barsToCsv(barTable(['A', 'B', 'S'], [c.y, c.x, sparse])));
    const out = await json(['--bars', path]);
    expect(out.scanned).toBe(1);
    expect(out.skipped).toEqual([
      { y: 'A', x: 'S', rows: 7, reason: 'only 3 formation rows (7 rows where both have a close); at least 10 needed' },
      { y: 'B', x: 'S', rows: 7, reason: 'only 3 formation rows (7 rows where both have a close); at least 10 needed' },
    ]);
    const text = (await runInProcess(['scan', '--bars', path])).stdout;
    expect(text).toContain('skipped A/S: only 3 formation rows (7 rows where both have a close); at least 10 needed');
  });

  it('--adf-max-lag reproduces statsmodels’ default lag bound; --adf-lags fixes k', async () => {
    const c = GOLDEN.cases.find((q) => q.name === 'ar3-spread')!;
    // The scan's formation part is the first half: reuse the fixture's series as the formation.
    const path = file('ar3.csv', barsToCsv(barTable(['Y', 'X'], [[...c.y, ...c.y], [...c.x, ...c.x]])));
    const def = await json(['--bars', path, '--adf-max-lag', String(c.expected.default.maxLag)]);
    expect(def.pairs[0].maxLag).toBe(22);
    expect(def.pairs[0].adfStat).toBeCloseTo(c.expected.default.adfStat as number, 9);
    const fixed = await json(['--bars', path, '--adf-lags', '2']);
    const want = c.expected.fixed!.find((f) => f.lags === 2)!;
    expect(fixed.pairs[0]).toMatchObject({ lags: 2, maxLag: 2 });
    expect(Math.abs(fixed.pairs[0].adfStat / (want.adfStat as number) - 1)).toBeLessThan(1e-9);
    expect(fixed.lagRule).toBe('fixed: 2 lags');
  });
});

describe('astra scan: bad input exits 2 naming what is wrong', () => {
  it.each([
    [['--formation', '0'], ['--formation', 'strictly between 0 and 1']],
    [['--formation', '1'], ['--formation']],
    [['--formation', 'half'], ['--formation', '"half"']],
    [['--top', '-1'], ['--top']],
    [['--top', '2.5'], ['--top']],
    [['--adf-lags', '-2'], ['--adf-lags']],
    [['--workers', '0'], ['--workers']],
    [['--entry', '0'], ['--entry']],
    [['--adf-lags', '5000'], ['demo data (synthetic): none of the 45 pairs could be scanned', 'ADF lags must be a whole number from 0 to 2924 for 5850 rows (at most rows/2 − 1), got 5000']],
    [['--bars', 'no-such-file.csv'], ['--bars', 'no-such-file.csv']],
  ])('%j', async (args, fragments) => {
    expectBadInput(await runInProcess(['scan', ...(args as string[])], tmp.dir), ...(fragments as string[]));
  });

  it('a file with one ticker, and a close that is not positive (named by file, row and column)', async () => {
    const one = file('one.csv', 'timestamp,A\n2026-01-05T14:30:00Z,1\n2026-01-05T14:31:00Z,2\n');
    expectBadInput(await runInProcess(['scan', '--bars', one]), 'has only one ticker column (A): a pair scan needs at least 2');
    const bad = file('bad.csv', 'timestamp,A,B\n2026-01-05T14:30:00Z,1,2\n2026-01-05T14:31:00Z,0,2\n');
    expectBadInput(await runInProcess(['scan', '--bars', bad]), 'bad.csv, row 3, column A: price must be positive, got "0"');
  });

  it('is listed in the help', async () => {
    const r = await runInProcess(['scan', '--help']);
    expect(r.stdout).toContain('--adf-max-lag K');
    expect(readFileSync(new URL('../docs/cli.md', import.meta.url), 'utf8')).toContain('astra scan');
  });
});
