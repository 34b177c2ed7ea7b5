/**
 * The pair scan: it finds the demo's constructed pairs, it computes the statistics statsmodels
 * gives on each pair's formation rows (fixture from scripts/golden/scan.py), it keeps the formation
 * and trading parts apart, and it ranks, adjusts and cuts as documented.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMarket, type DemoMarket } from '../demo.ts';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import type { BarTable } from '../types.ts';
import { engleGranger } from './cointegration.ts';
import { runPair } from './run.ts';
import { GOLDEN } from './fixtures/golden.ts';
import { barTable, expectScanGolden } from './fixtures/scan-helpers.ts';
import { combineScan, planScan, SCAN_GROUP, scanBlock, scanPairs, type ScanBlockResult, type ScanPlan } from './scan.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

describe('the scan on the demo banks', () => {
  it('ranks the four pairs cointegrated by construction first, and only they survive Benjamini–Hochberg', () => {
    const r = scanPairs(k, demo.bars, { top: 0 });
    expect(r.total).toBe(45);
    expect(r.scanned).toBe(45);
    expect(r.skipped).toEqual([]);
    const truth = new Set(demo.truth.cointegrated.map((c) => `${c.y}/${c.x}`));
    expect(truth.size).toBe(4);
    const top4 = r.pairs.slice(0, 4).map((p) => `${p.y}/${p.x}`);
    expect(new Set(top4)).toEqual(truth);
    // Score: every constructed pair is found at 1% after the adjustment; no other pair at 5%.
    for (const p of r.pairs) {
      if (truth.has(`${p.y}/${p.x}`)) expect(p.pAdjusted).toBeLessThan(0.01);
      else expect(p.pAdjusted).toBeGreaterThan(0.05);
    }
    // Their hedge ratios and half-lives are close to the construction's (formation: sessions 1–15).
    for (const c of demo.truth.cointegrated) {
      const p = r.pairs.find((q) => q.y === c.y && q.x === c.x)!;
      expect(Math.abs(p.hedgeRatio / c.beta - 1)).toBeLessThan(0.02);
      expect(p.halfLife / c.halfLifeBars).toBeGreaterThan(0.6);
      expect(p.halfLife / c.halfLifeBars).toBeLessThan(1.6);
    }
  });

  it("equals statsmodels on every pair's formation rows (astra demo-data bars, first half)", () => {
    const r = scanPairs(k, demo.bars, { top: 0 });
    expect(GOLDEN.demo.rows).toBe(demo.bars.timestamps.length);
    expect(GOLDEN.demo.pairs).toHaveLength(45);
    for (const want of GOLDEN.demo.pairs) expectScanGolden(r.pairs.find((p) => p.y === want.y && p.x === want.x)!, want);
  });

  it('fits δ and Vₑ and backtests every pair on the trading part', () => {
    const r = scanPairs(k, demo.bars, { top: 0 });
    for (const p of r.pairs) {
      expect(p.backtestNote).toBeUndefined();
      expect(p.delta).toBeGreaterThan(0);
      expect(p.ve).toBeGreaterThan(0);
      expect(Number.isFinite(p.sharpe)).toBe(true);
      expect(p.trades).toBeGreaterThan(0);
      expect([p.rows, p.formationRows, p.tradingRows]).toEqual([11_700, 5_850, 5_850]);
    }
  });
});

describe('formation and trading parts', () => {
  const pairOf = (bars: BarTable) => scanPairs(k, bars, { top: 0 }).pairs[0];
  const jpmC = () => ({ ...demo.bars, tickers: ['JPM', 'C'], closes: [demo.bars.closes[0].slice(), demo.bars.closes[1].slice()] });

  it('the statistics are those of the first ⌊F·m⌋ rows', () => {
    const bars = jpmC();
    for (const formation of [0.3, 0.5, 0.8]) {
      const p = scanPairs(k, bars, { formation }).pairs[0];
      const mf = Math.floor(formation * 11_700);
      const eg = engleGranger(k, bars.closes[0].subarray(0, mf), bars.closes[1].subarray(0, mf));
      expect([p.formationRows, p.tradingRows]).toEqual([mf, 11_700 - mf]);
      expect([p.adfStat, p.pValue, p.halfLife, p.corr, p.lags]).toEqual([eg.adfStat, eg.pValue, eg.halfLife, eg.corr, eg.lags]);
    }
  });

  it('sharpe and trades are astra pairs (runPair, 40 evaluations) on the rows from the calibration window on', () => {
    const p = scanPairs(k, jpmC()).pairs[0];
    const from = 5_850 - 390;
    const slice: BarTable = {
      timestamps: demo.bars.timestamps.slice(from),
      times: demo.bars.times.slice(from),
      tickers: ['JPM', 'C'],
      closes: [demo.bars.closes[0].slice(from), demo.bars.closes[1].slice(from)],
    };
    const run = runPair(k, slice, { y: 'JPM', x: 'C', calibrate: 390, maxEvaluations: 40, series: false });
    expect([p.delta, p.ve, p.logLik]).toEqual([run.fitted.delta, run.fitted.ve, run.fitted.logLik]);
    expect([p.sharpe, p.sharpeBeforeCosts, p.trades]).toEqual([run.report.afterCosts.sharpe, run.report.beforeCosts.sharpe, run.report.roundTrips]);
    expect(run.report.firstSignalBar).toBe(390 + 30);
  });

  it('changing the trading part leaves every formation figure and the fitted δ, Vₑ unchanged', () => {
    const base = pairOf(jpmC());
    const bars = jpmC();
    for (let t = 5_850; t < 11_700; t++) bars.closes[0][t] *= 1 + 0.001 * Math.sin(t);
    const moved = pairOf(bars);
    expect([moved.adfStat, moved.pValue, moved.corr, moved.halfLife, moved.delta, moved.ve, moved.logLik]).toEqual([
      base.adfStat, base.pValue, base.corr, base.halfLife, base.delta, base.ve, base.logLik,
    ]);
    expect(moved.sharpe).not.toBe(base.sharpe);
  });

  it('changing the formation part before its last session leaves the backtest unchanged', () => {
    const base = pairOf(jpmC());
    const bars = jpmC();
    for (let t = 0; t < 5_850 - 390; t++) bars.closes[1][t] *= 1.01;
    const moved = pairOf(bars);
    expect(moved.adfStat).not.toBe(base.adfStat);
    expect([moved.sharpe, moved.trades, moved.delta, moved.ve]).toEqual([base.sharpe, base.trades, base.delta, base.ve]);
  });
});

describe('gaps: each pair uses the rows where both have a close', () => {
  it('matches statsmodels on the gappy table (F = 0.6): common rows, formation rows, every statistic, BH', () => {
    const g = GOLDEN.gappy;
    const r = scanPairs(k, barTable(g.tickers, g.closes), { formation: g.formation, top: 0 });
    expect(r.scanned).toBe(g.pairs.length);
    for (const want of g.pairs) expectScanGolden(r.pairs.find((p) => p.y === want.y && p.x === want.x)!, want);
  });

  it('a complete column beside one with gaps early on: the formation part runs past the first half of the table', () => {
    const c = GOLDEN.cases.find((q) => q.name === 'ar3-spread')!;
    const x: (number | null)[] = c.x.map((v, t) => (t < 400 ? null : v)); // 600 rows left
    const r = scanPairs(k, barTable(['Y', 'X'], [c.y, x]), { top: 0 });
    const eg = engleGranger(k, c.y.slice(400, 700), c.x.slice(400, 700));
    const p = r.pairs[0];
    expect([p.rows, p.formationRows]).toEqual([600, 300]);
    expect([p.adfStat, p.pValue, p.corr, p.halfLife, p.lags]).toEqual([eg.adfStat, eg.pValue, eg.corr, eg.halfLife, eg.lags]);
  });

  it('skips a pair with too few common rows, with the reason, and scans the others', () => {
    const c = GOLDEN.cases.find((q) => q.name === 'random-walks')!;
    const sparse: (number | null)[] = c.x.map((v, t) => (t % 120 === 0 ? v : null)); // 7 rows
    const r = scanPairs(k, barTable(['A', 'B', 'S'], [c.y, c.x, sparse]), { top: 0 });
    expect(r.scanned).toBe(1);
    expect(r.skipped.map((s) => [s.y, s.x, s.rows])).toEqual([['A', 'S', 7], ['B', 'S', 7]]);
    expect(r.skipped[0].reason).toBe('only 3 formation rows (7 rows where both have a close); at least 10 needed');
  });

  it('skips a pair whose ADF regression is singular (a deterministic spread), with the reason', () => {
    const n = 400;
    const wave = (f: number) => Array.from({ length: n }, (_, t) => 100 + 5 * Math.sin(t / f));
    const r = scanPairs(k, barTable(['A', 'B', 'C'], [wave(8), wave(9), GOLDEN.cases[1].x.slice(0, n)]), { top: 0 });
    expect(r.skipped.map((s) => [s.y, s.x])).toContainEqual(['A', 'B']);
    expect(r.skipped.find((s) => s.y === 'A' && s.x === 'B')!.reason).toContain('ADF regression is not positive definite');
    expect(r.scanned).toBeGreaterThanOrEqual(1);
  });

  it('keeps the statistics of a pair whose trading part is too short for a backtest, with the reason', () => {
    const c = GOLDEN.cases.find((q) => q.name === 'cointegrated-ar1')!;
    const r = scanPairs(k, barTable(['Y', 'X'], [c.y, c.x]), { formation: 0.95 });
    const p = r.pairs[0];
    expect(p.tradingRows).toBe(30);
    expect(p.sharpe).toBeNaN();
    expect(p.trades).toBe(0);
    expect(p.backtestNote).toContain('warm-up');
    expect(Number.isFinite(p.adfStat)).toBe(true);
  });
});

describe('ranking, adjustment and the cut', () => {
  /** A plan and block results made by hand: pairs with the given p-values and Sharpes. */
  function handMade(rows: { p: number; sharpe: number }[], top: number): { plan: ScanPlan; results: ScanBlockResult[] } {
    const results: ScanBlockResult = rows.map((r, i) => ({
      index: i,
      ok: true,
      stats: {
        y: `Y${i}`, x: `X${i}`, corr: 0, adfStat: -3, pValue: r.p, halfLife: 10, reversion: -0.07, sharpe: r.sharpe, trades: 1, sharpeBeforeCosts: r.sharpe,
        sharpeSe: 1, hedgeRatio: 1, intercept: 0, lags: 0, maxLag: 4, rows: 100, formationRows: 50, tradingRows: 50, delta: 1e-6, ve: 1, logLik: 0,
      },
    }));
    const plan: ScanPlan = { blocks: [], total: rows.length + 1, top, settings: { formation: 0.5 }, tickers: [] };
    return { plan, results: [results.slice(0, 2), results.slice(2), [{ index: rows.length, ok: false, y: 'S', x: 'T', rows: 3, reason: 'too few' }]] };
  }

  it('orders by p, then Sharpe (missing last), then pair order; BH over every scanned pair; top N', () => {
    const { plan, results } = handMade(
      [
        { p: 0.2, sharpe: 1 },
        { p: 0, sharpe: 0.5 },
        { p: 0, sharpe: 2 },
        { p: 0.01, sharpe: NaN },
        { p: 0.01, sharpe: -1 },
        { p: 0.2, sharpe: 1 },
      ],
      4,
    );
    const r = combineScan(plan, results);
    expect(r.pairs.map((p) => p.y)).toEqual(['Y2', 'Y1', 'Y4', 'Y3']);
    expect(r.pairs.map((p) => p.rank)).toEqual([1, 2, 3, 4]);
    expect(r.scanned).toBe(6);
    expect(r.skipped).toEqual([{ y: 'S', x: 'T', rows: 3, reason: 'too few' }]);
    // BH over the six: sorted 0, 0, .01, .01, .2, .2 → p·6/rank = 0, 0, .02, .015, .24, .2 → step-up
    // minima 0, 0, .015, .015, .2, .2.
    const adjusted = r.pairs.map((p) => p.pAdjusted);
    expect(adjusted.slice(0, 2)).toEqual([0, 0]);
    expect(adjusted[2]).toBeCloseTo(0.015, 15);
    expect(adjusted[3]).toBe(adjusted[2]);
    const all = combineScan({ ...plan, top: 0 }, results);
    expect(all.pairs.map((p) => p.y)).toEqual(['Y2', 'Y1', 'Y4', 'Y3', 'Y0', 'Y5']);
    expect(all.pairs.at(-1)!.pAdjusted).toBeCloseTo(0.2, 15);
  });

  it('refuses a scan where no pair could be scanned, naming why', () => {
    const { plan } = handMade([], 20);
    expect(() => combineScan(plan, [[{ index: 0, ok: false, y: 'A', x: 'B', rows: 3, reason: 'only 1 formation rows' }]], 'bars.csv')).toThrow(
      'bars.csv: none of the 1 pairs could be scanned (only 1 formation rows)',
    );
  });

  it('gives the same figures however the pairs are cut into blocks', () => {
    const plan = planScan(demo.bars, { top: 0 });
    // Tiles of groups of 4 tickers: {JPM C BAC WFC} {GS MS USB PNC} {TFC SCHW}.
    expect(plan.blocks.map((b) => b.pairs.length)).toEqual([6, 16, 8, 6, 8, 1]);
    expect(plan.blocks.map((b) => b.tickers.length)).toEqual([4, 8, 6, 4, 6, 2]);
    expect(SCAN_GROUP).toBe(4);
    expect(plan.blocks.flatMap((b) => b.pairs.map((p) => p.index)).sort((a, b) => a - b)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(plan.blocks[1].pairs[0]).toEqual({ y: 0, x: 4, index: 3 }); // JPM/GS, the 4th pair in column order
    const results = plan.blocks.map((b) => scanBlock(k, b));
    // The same pairs as one block each, in reverse order.
    const single = plan.blocks.flatMap((b) => b.pairs.map((p) => ({ ...b, pairs: [p] }))).reverse();
    const again = single.map((b) => scanBlock(k, b));
    expect(combineScan(plan, again)).toEqual(combineScan(plan, results));
  });

  it('checks its inputs: two tickers at least, positive closes, options in range', () => {
    const one = barTable(['A'], [[1, 2, 3]]);
    expect(() => planScan(one, {}, 'bars.csv')).toThrow('bars.csv has only one ticker column (A): a pair scan needs at least 2');
    const bad = barTable(['A', 'B'], [[1, 2, 3], [1, -2, 3]]);
    expect(() => planScan(bad, {}, 'bars.csv')).toThrow('B, "2026-01-05T14:31:00Z" (row 3 of bars.csv): a close must be positive and finite');
    const ok = barTable(['A', 'B'], [[1, 2, 3], [1, 2, 3]]);
    expect(() => planScan(ok, { formation: 1 })).toThrow('formation must be a fraction strictly between 0 and 1, got 1');
    expect(() => planScan(ok, { top: -1 })).toThrow('top must be');
    expect(() => planScan(ok, { lags: 1.5 })).toThrow('ADF lags must be');
  });
});
