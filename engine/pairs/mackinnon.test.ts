/**
 * MacKinnon's tables and the normal tail they are read through, against the published values and
 * statsmodels' `mackinnonp` / `mackinnoncrit` / scipy's `norm.cdf` (scripts/golden/scan.py).
 */
import { describe, expect, it } from 'vitest';
import { normalCdfPrecise } from '../stats/normal-tail.ts';
import { normalCdf } from '../stats/normal.ts';
import { GOLDEN, expectRelative } from './fixtures/golden.ts';
import { mackinnonCrit, mackinnonP } from './mackinnon.ts';

describe('normalCdfPrecise', () => {
  it("agrees with scipy's norm.cdf to 1e-14 relative, tails included (down to 1e-300)", () => {
    // scipy evaluates erfc(−x/√2): rounding x/√2 costs it about x²·ε of relative error in a far
    // tail (5.7e-14 at x = −30), which Cody's split of x² avoids; allow for that.
    for (const { x, cdf } of GOLDEN.normal) expectRelative(normalCdfPrecise(x), cdf, `Φ(${x})`, Math.max(1e-14, 2 * x * x * 2.2e-16));
    expect(GOLDEN.normal.some((c) => typeof c.cdf === 'number' && c.cdf > 0 && c.cdf < 1e-300)).toBe(true);
  });

  it('is symmetric, monotone and equal to the series normalCdf away from the tails', () => {
    let prev = 0;
    for (let x = -12; x <= 8; x += 0.01) {
      const p = normalCdfPrecise(x);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
      expect(Math.abs(p + normalCdfPrecise(-x) - 1)).toBeLessThan(5e-16);
      if (Math.abs(x) < 5) expect(Math.abs(p - normalCdf(x))).toBeLessThan(1e-15); // normalCdf's own accuracy
    }
    expect(normalCdfPrecise(NaN)).toBeNaN();
    expect(normalCdfPrecise(-40)).toBe(0);
    expect(normalCdfPrecise(40)).toBe(1);
  });
});

describe('MacKinnon critical values', () => {
  it('are the published asymptotic values (MacKinnon 2010, Table 2, constant)', () => {
    // Dickey–Fuller with a constant: the familiar −3.43 / −2.86 / −2.57.
    expect(mackinnonCrit(1)).toEqual([-3.43035, -2.86154, -2.56677]);
    // Engle–Granger, two variables with a constant: −3.90 / −3.34 / −3.04.
    expect(mackinnonCrit(2)).toEqual([-3.89644, -3.33613, -3.04445]);
    expect(mackinnonCrit(12)).toEqual([-6.6379, -6.11279, -5.83724]);
  });

  it('follow the response surface β∞ + β₁/T + β₂/T² + β₃/T³ (worked by hand for T = 100)', () => {
    const [c1, c5, c10] = mackinnonCrit(2, 100);
    expect(c1).toBeCloseTo(-3.89644 - 10.9519 / 100 - 33.527 / 1e4, 12);
    expect(c5).toBeCloseTo(-3.33613 - 6.1101 / 100 - 6.823 / 1e4, 12);
    expect(c10).toBeCloseTo(-3.04445 - 4.2412 / 100 - 2.72 / 1e4, 12);
    const [d1] = mackinnonCrit(1, 50);
    expect(d1).toBeCloseTo(-3.43035 - 6.5393 / 50 - 16.786 / 2500 - 79.433 / 125_000, 12);
  });

  it("equal statsmodels' mackinnoncrit for N = 1, 2, 3, 12 at every sample size of the fixture", () => {
    for (const c of GOLDEN.mackinnon.crit) {
      const got = mackinnonCrit(c.n, c.nobs === 'Infinity' ? Infinity : (c.nobs as number));
      c.values.forEach((v, i) => expectRelative(got[i], v, `crit N=${c.n} T=${c.nobs} [${i}]`, 1e-15));
    }
  });
});

describe('MacKinnon p-values', () => {
  it("equal statsmodels' mackinnonp(τ, 'c', N) to 1e-12 relative on a grid from −20 to 3", () => {
    for (const c of GOLDEN.mackinnon.p) expectRelative(mackinnonP(c.tau, c.n), c.p, `p(τ=${c.tau}, N=${c.n})`, 1e-12);
  });

  it('give about 1%, 5% and 10% at the asymptotic critical values (the 1994 and 2010 tables agree)', () => {
    for (const n of [1, 2, 3]) {
      const [c1, c5, c10] = mackinnonCrit(n);
      expect(Math.abs(mackinnonP(c1, n) - 0.01)).toBeLessThan(0.001);
      expect(Math.abs(mackinnonP(c5, n) - 0.05)).toBeLessThan(0.002);
      expect(Math.abs(mackinnonP(c10, n) - 0.1)).toBeLessThan(0.003);
    }
  });

  it('are 0 below τ_min, 1 above τ_max, continuous at τ*, NaN for NaN; −∞ gives 0', () => {
    expect(mackinnonP(-18.87, 2)).toBe(0);
    expect(mackinnonP(-Infinity, 2)).toBe(0);
    expect(mackinnonP(0.93, 2)).toBe(1);
    expect(mackinnonP(NaN, 2)).toBeNaN();
    // The two surfaces meet at τ* = −2.62 to within the tables' fit.
    expect(Math.abs(mackinnonP(-2.62 - 1e-9, 2) - mackinnonP(-2.62 + 1e-9, 2))).toBeLessThan(2e-3);
    expect(() => mackinnonP(-3, 7)).toThrow(RangeError);
  });
});
