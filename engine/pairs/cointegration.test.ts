/**
 * Engle–Granger statistics against statsmodels 0.13.5 (scripts/golden/scan.py) on seeded series
 * stored in the fixture, plus the properties the convention states.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { engleGranger, halfLifeFromReversion, resolveLags, schwertMaxLag } from './cointegration.ts';
import { GOLDEN, expectRelative, num, type GoldenPairStats } from './fixtures/golden.ts';
import type { EngleGranger } from './cointegration.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** Compare every statistic statsmodels gives for a pair; `what` names the case in messages. */
export function expectGolden(got: EngleGranger, want: GoldenPairStats, what: string): void {
  expect(got.rows).toBe(want.rows);
  expect(got.maxLag).toBe(want.maxLag);
  expectRelative(got.intercept, want.intercept, `${what} intercept`, 1e-9, 1e-6);
  expectRelative(got.hedgeRatio, want.hedgeRatio, `${what} hedge ratio`);
  expectRelative(got.corr, want.corr, `${what} corr`);
  expectRelative(got.adfStat, want.adfStat, `${what} adfStat`);
  expectRelative(got.pValue, want.pValue, `${what} pValue`);
  if (want.lags === undefined) return; // collinear legs: no ADF regression, and u is rounding noise
  expectRelative(got.rSquared, want.rSquared, `${what} R²`);
  expect(got.lags).toBe(want.lags);
  expect(got.adfObservations).toBe(want.adfObservations);
  expectRelative(got.aic, want.aic!, `${what} AIC`);
  expectRelative(got.reversion, want.reversion, `${what} reversion β`);
  expectRelative(got.halfLife, want.halfLife, `${what} half-life`);
}

describe('engleGranger matches statsmodels coint(y, x, trend="c") to 1e-9 relative', () => {
  it('the fixture covers cointegrated, independent, short, lag-rich, collinear and slowly reverting pairs', () => {
    expect(GOLDEN.statsmodels).toMatch(/^0\.13\.5/);
    const lags = GOLDEN.cases.map((c) => c.expected.lags ?? -1);
    expect(Math.max(...lags)).toBeGreaterThanOrEqual(2);
    expect(lags).toContain(0);
    expect(GOLDEN.cases.some((c) => num(c.expected.adfStat) === -Infinity)).toBe(true);
    expect(GOLDEN.cases.some((c) => num(c.expected.pValue) > 0.5)).toBe(true);
  });

  for (const c of GOLDEN.cases) {
    it(`${c.name} (m = ${c.expected.rows}): AIC lag search over 0…⌊12·(m/100)^¼⌋`, () => {
      expectGolden(engleGranger(k, c.y, c.x), c.expected, c.name);
    });
    for (const f of c.expected.fixed ?? []) {
      it(`${c.name}: fixed ${f.lags} lags (autolag=None)`, () => {
        const got = engleGranger(k, c.y, c.x, { lags: f.lags });
        expect(got.lags).toBe(f.lags);
        expect(got.fixedLags).toBe(true);
        expect(got.aic).toBeNaN();
        expectRelative(got.adfStat, f.adfStat, `${c.name} k=${f.lags} adfStat`);
        expectRelative(got.pValue, f.pValue, `${c.name} k=${f.lags} pValue`);
      });
    }
    it(`${c.name}: statsmodels' default bound ⌈…⌉ = ${c.expected.default.maxLag} through maxLag`, () => {
      const got = engleGranger(k, c.y, c.x, { maxLag: c.expected.default.maxLag });
      expectRelative(got.adfStat, c.expected.default.adfStat, `${c.name} default adfStat`);
      expectRelative(got.pValue, c.expected.default.pValue, `${c.name} default pValue`);
    });
  }
});

describe('engleGranger conventions', () => {
  it('K = ⌊12·(m/100)^¼⌋, at most m/2 − 1', () => {
    expect(schwertMaxLag(5850)).toBe(33); // 12 · 58.5^¼ = 33.19
    expect(schwertMaxLag(100)).toBe(12);
    expect(schwertMaxLag(1000)).toBe(21);
    expect(schwertMaxLag(20)).toBe(8); // 12 · 0.2^¼ = 8.02
    expect(schwertMaxLag(10)).toBe(4); // the cap: 10/2 − 1
  });

  it('half-life: −ln 2 / ln(1 + β); infinite when β ≥ 0, NaN when β ≤ −1', () => {
    expect(halfLifeFromReversion(Math.pow(0.5, 1 / 30) - 1)).toBeCloseTo(30, 10);
    expect(halfLifeFromReversion(-0.5)).toBeCloseTo(1, 14);
    expect(halfLifeFromReversion(0)).toBe(Infinity);
    expect(halfLifeFromReversion(0.01)).toBe(Infinity);
    expect(halfLifeFromReversion(-1)).toBeNaN();
    expect(halfLifeFromReversion(NaN)).toBeNaN();
  });

  it('refuses a lag the rows cannot carry, naming it', () => {
    expect(() => resolveLags(100, { lags: 50 })).toThrow('ADF lags must be a whole number from 0 to 49 for 100 rows');
    expect(() => resolveLags(100, { maxLag: -1 })).toThrow('largest ADF lag');
    expect(resolveLags(100, { lags: 49 })).toEqual({ maxLag: 49, fixed: true });
  });

  it('refuses short, unequal or non-positive inputs', () => {
    expect(() => engleGranger(k, [1, 2, 3], [1, 2, 3])).toThrow('only 3 rows');
    expect(() => engleGranger(k, [1, 2], [1])).toThrow('y has 2 values but x has 1');
    const y = Array.from({ length: 20 }, (_, t) => 10 + Math.sin(t));
    const x = y.map((v) => v * 2);
    x[7] = 0;
    expect(() => engleGranger(k, y, x)).toThrow('x, row 8: a close must be positive and finite (empty when missing), got 0');
  });

  it('is invariant to the scale of y (τ, p, lags) and scales a and b with it', () => {
    const c = GOLDEN.cases.find((q) => q.name === 'ar3-spread')!;
    const base = engleGranger(k, c.y, c.x);
    const scaled = engleGranger(k, c.y.map((v) => v * 3), c.x);
    expect(scaled.adfStat).toBeCloseTo(base.adfStat, 9);
    expect(scaled.lags).toBe(base.lags);
    expect(scaled.hedgeRatio).toBeCloseTo(3 * base.hedgeRatio, 9);
    expect(scaled.halfLife).toBeCloseTo(base.halfLife, 9);
  });
});
