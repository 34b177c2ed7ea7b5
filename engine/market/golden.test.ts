/**
 * marketStats against golden values from an independent numpy/pandas implementation of the
 * conventions (scripts/golden/stats.py, which also cross-checks Ledoit–Wolf against scikit-learn).
 * The fixture holds the prices as CSV text, so both sides read the very same doubles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePricesCsv } from '../csv.ts';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { GOLDEN, expectRelative } from './fixtures/golden.ts';
import { marketStats } from './stats.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

describe('marketStats matches the numpy/pandas golden values to 1e-10 relative', () => {
  const prices = parsePricesCsv(GOLDEN.pricesCsv, { name: 'golden' });

  it('the fixture covers every estimator, gaps, drops and more than one lookback', () => {
    expect(new Set(GOLDEN.cases.map((c) => c.options.estimator))).toEqual(new Set(['sample', 'ledoit-wolf', 'ewma']));
    expect(new Set(GOLDEN.cases.map((c) => c.options.lookback)).size).toBeGreaterThan(1);
    expect(GOLDEN.cases.some((c) => c.expected.dropped.tickers.length > 0 && c.expected.dropped.dates.length > 0)).toBe(true);
  });

  for (const c of GOLDEN.cases) {
    it(c.name, () => {
      const want = c.expected;
      const got = marketStats(k, prices, c.options);
      expect(got.tickers).toEqual(want.tickers);
      expect([got.first, got.last, got.observations, got.estimator]).toEqual([want.first, want.last, want.observations, want.estimator]);
      expect(got.dropped.dates).toEqual(want.dropped.dates);
      expect(got.dropped.tickers.map((t) => t.ticker)).toEqual(want.dropped.tickers);
      expect(got.repair).toBeNull();
      const n = want.tickers.length;
      want.tickers.forEach((t, i) => {
        expectRelative(got.meanDaily[i], want.meanDaily[t], `mean ${t}`);
        expectRelative(got.volAnnual[i], want.volAnnual[t], `vol ${t}`);
        for (let j = 0; j < n; j++) expectRelative(got.covDaily[i * n + j], want.covDaily[i][j], `cov ${t},${want.tickers[j]}`);
      });
      if (want.shrinkage !== undefined) {
        expectRelative(got.shrinkage!, want.shrinkage, 'shrinkage');
        expectRelative(got.target!.variance, want.targetVariance!, 'target variance');
        expect(got.target!.kind).toBe('scaled-identity');
      } else {
        expect(got.shrinkage).toBeUndefined();
      }
      if (want.lambda !== undefined) expect(got.lambda).toBe(want.lambda);
    });
  }
});
