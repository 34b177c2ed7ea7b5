import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normals } from '../random/draws.ts';
import { choleskyFailure } from './repair.ts';
import {
  checkEstimator,
  ewmaCovariance,
  ewmaWeights,
  EWMA_LAMBDA,
  ledoitWolfCovariance,
  sampleCovariance,
  sampleMeans,
} from './covariance.ts';
import { covarianceTs } from '../../bench/baselines.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** Asset-major n×T returns with some cross-correlation, from a seeded stream. */
function returnsOf(n: number, T: number, seed: number, scale = 0.01): Float64Array {
  const z = normals(k, n * T + T, seed);
  const x = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) x[i * T + t] = scale * (z[i * T + t] + 0.6 * z[n * T + t]) + 0.0004 * (i % 3);
  }
  return x;
}

/** max |a − b| / √(bᵢᵢ·bⱼⱼ): the error on the correlation scale. */
function covError(a: Float64Array, b: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(a[i * n + j] - b[i * n + j]) / Math.sqrt(b[i * n + i] * b[j * n + j]));
  }
  return worst;
}

function expectExactlySymmetric(c: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (c[i * n + j] !== c[j * n + i]) throw new Error(`asymmetric at ${i},${j}`);
}

describe('sample covariance (SIMD kernel)', () => {
  it('a 2×3 case worked by hand', () => {
    // A: 1, 2, 3 → mean 2, deviations −1, 0, 1, variance 2/2 = 1.
    // B: 2, 4, 7 → mean 13/3, deviations −7/3, −1/3, 8/3, variance (49 + 1 + 64)/9/2 = 19/3;
    // cov = (7/3 + 0 + 8/3)/2 = 5/2.
    const { mean, cov } = sampleCovariance(k, [1, 2, 3, 2, 4, 7], 2, 3);
    expect(mean[0]).toBe(2);
    expect(mean[1]).toBeCloseTo(13 / 3, 15);
    expect(cov[0]).toBeCloseTo(1, 15);
    expect(cov[1]).toBeCloseTo(2.5, 14);
    expect(cov[2]).toBe(cov[1]);
    expect(cov[3]).toBeCloseTo(19 / 3, 14);
  });

  it('closed form: B = 2A + c has cov [[v, 2v], [2v, 4v]] and a single series its variance', () => {
    const a = [0.01, -0.02, 0.015, 0.003, -0.007];
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const v = a.reduce((s, x) => s + (x - mean) ** 2, 0) / (a.length - 1);
    const { cov } = sampleCovariance(k, [...a, ...a.map((x) => 2 * x + 0.5)], 2, 5);
    expect(cov[0]).toBeCloseTo(v, 17);
    expect(cov[1] / v).toBeCloseTo(2, 12);
    expect(cov[3] / v).toBeCloseTo(4, 12);
    expect(sampleCovariance(k, a, 1, 5).cov[0]).toBeCloseTo(v, 17);
  });

  it('matches the plain-TS baseline at every shape: n mod 4, odd T, T across the 512-day chunks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 2, max: 1200 }), fc.integer({ min: 0, max: 1e6 }), (n, T, seed) => {
        const x = returnsOf(n, T, seed);
        const got = sampleCovariance(k, x, n, T);
        const want = covarianceTs(x, n, T);
        expect(covError(got.cov, want.cov, n)).toBeLessThan(1e-13);
        for (let i = 0; i < n; i++) expect(Math.abs(got.mean[i] - want.mean[i])).toBeLessThan(1e-15);
        expectExactlySymmetric(got.cov, n);
      }),
      { numRuns: 60 },
    );
  });

  it('is positive definite for T > n (the wasm Cholesky factors it)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const T = n + 1 + (seed % 50);
        const { cov } = sampleCovariance(k, returnsOf(n, T, seed), n, T);
        expect(choleskyFailure(k, cov, n)).toBe(-1);
      }),
      { numRuns: 40 },
    );
  });

  it('permuting the assets permutes the mean and the covariance', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 13 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const T = 97;
        const x = returnsOf(n, T, seed);
        // A seeded permutation: sort indices by a hash.
        const perm = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
        const px = new Float64Array(n * T);
        perm.forEach((src, dst) => px.set(x.subarray(src * T, (src + 1) * T), dst * T));
        const a = sampleCovariance(k, x, n, T);
        const b = sampleCovariance(k, px, n, T);
        const back = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) back[perm[i] * n + perm[j]] = b.cov[i * n + j];
        expect(covError(back, a.cov, n)).toBeLessThan(1e-14);
        perm.forEach((src, dst) => expect(b.mean[dst]).toBeCloseTo(a.mean[src], 17));
      }),
      { numRuns: 30 },
    );
  });

  it('shifting a series moves its mean only; scaling by a scales the covariance by a²', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, shift, a, seed) => {
          const T = 250;
          const x = returnsOf(n, T, seed);
          const base = sampleCovariance(k, x, n, T);
          const shifted = sampleCovariance(k, x.map((v) => v + shift), n, T);
          expect(covError(shifted.cov, base.cov, n)).toBeLessThan(1e-11);
          for (let i = 0; i < n; i++) expect(shifted.mean[i]).toBeCloseTo(base.mean[i] + shift, 15);
          const scaled = sampleCovariance(k, x.map((v) => v * a), n, T);
          expect(covError(scaled.cov.map((v) => v / (a * a)), base.cov, n)).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('leaves the caller’s returns untouched', () => {
    const x = returnsOf(5, 40, 3);
    const copy = x.slice();
    sampleCovariance(k, x, 5, 40);
    ledoitWolfCovariance(k, x, 5, 40);
    ewmaCovariance(k, x, 5, 40);
    expect(x).toEqual(copy);
  });

  it('refuses NaN/∞ naming asset (row) and day (column), and bad sizes', () => {
    const x = returnsOf(3, 10, 1);
    x[2 * 10 + 6] = NaN;
    expect(() => sampleCovariance(k, x, 3, 10)).toThrow(/returns \(asset × day\) has a non-finite value at row 3, column 7/);
    x[2 * 10 + 6] = Infinity;
    expect(() => ewmaCovariance(k, x, 3, 10)).toThrow(/row 3, column 7/);
    expect(() => sampleCovariance(k, [0.1], 1, 1)).toThrow(expect.objectContaining({ code: 'BAD_SIZE' }));
    expect(() => sampleCovariance(k, [0.1, 0.2, 0.3], 2, 2)).toThrow(/returns length must be n×T = 2×2 = 4, got 3/);
    expect(() => sampleCovariance(k, [], 0, 2)).toThrow(/number of assets/);
  });
});

describe('Ledoit–Wolf (scaled-identity target, sklearn intensity)', () => {
  /** The intensity straight from the paper: b̄² = (1/T²)·Σₜ‖x̃ₜx̃ₜᵀ − S_T‖²/n, d² = ‖S_T − m·I‖²/n. */
  function paperShrinkage(x: Float64Array, n: number, T: number): number {
    const mean = sampleMeans(x, n, T);
    const c = (i: number, t: number) => x[i * T + t] - mean[i];
    const s = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < T; t++) s[i * n + j] += (c(i, t) * c(j, t)) / T;
    let m = 0;
    for (let i = 0; i < n; i++) m += s[i * n + i] / n;
    let d2 = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d2 += (s[i * n + j] - (i === j ? m : 0)) ** 2 / n;
    let b2 = 0;
    for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b2 += (c(i, t) * c(j, t) - s[i * n + j]) ** 2 / n / (T * T);
    return Math.min(b2, d2) / d2;
  }

  it('gives the paper’s intensity, and (1 − s)·S + s·(tr S/n)·I with S the sample covariance', () => {
    for (const [n, T, seed] of [[2, 5, 1], [4, 30, 2], [7, 6, 3], [12, 200, 4]]) {
      const x = returnsOf(n, T, seed);
      const lw = ledoitWolfCovariance(k, x, n, T);
      expect(lw.shrinkage).toBeGreaterThan(0);
      expect(lw.shrinkage).toBeLessThanOrEqual(1);
      expect(Math.abs(lw.shrinkage / paperShrinkage(x, n, T) - 1)).toBeLessThan(1e-10);
      const { cov: s } = covarianceTs(x, n, T);
      let mu = 0;
      for (let i = 0; i < n; i++) mu += s[i * n + i] / n;
      expect(lw.targetVariance).toBeCloseTo(mu, 17);
      const want = s.map((v, idx) => (1 - lw.shrinkage) * v + (idx % (n + 1) === 0 ? lw.shrinkage * mu : 0));
      expect(covError(lw.cov, want, n)).toBeLessThan(1e-13);
      expectExactlySymmetric(lw.cov, n);
    }
  });

  it('is positive definite with more assets than observations (its purpose)', () => {
    const n = 40;
    const T = 12;
    const lw = ledoitWolfCovariance(k, returnsOf(n, T, 9), n, T);
    expect(lw.shrinkage).toBeGreaterThan(0.1);
    expect(choleskyFailure(k, lw.cov, n)).toBe(-1);
  });

  it('does not shrink a single asset (as sklearn) and leaves a scaled identity alone', () => {
    const one = ledoitWolfCovariance(k, [0.01, -0.02, 0.005, 0.0], 1, 4);
    expect(one.shrinkage).toBe(0);
    expect(one.cov[0]).toBeCloseTo(covarianceTs(new Float64Array([0.01, -0.02, 0.005, 0.0]), 1, 4).cov[0], 18);
    // Orthogonal centred columns of equal norm: S is exactly μ·I, so δ = 0 and nothing to shrink.
    const x = [1, -1, 1, -1, 1, 1, -1, -1];
    const lw = ledoitWolfCovariance(k, x, 2, 4);
    expect(lw.shrinkage).toBe(0);
    expect(Array.from(lw.cov)).toEqual([4 / 3, 0, 0, 4 / 3]);
  });
});

describe('EWMA (RiskMetrics, λ = 0.94, about zero, normalised weights)', () => {
  it('weights λ^(T−1−t) normalised to sum 1, newest heaviest', () => {
    const w = ewmaWeights(3);
    const sum = 1 + 0.94 + 0.94 ** 2;
    expect(Array.from(w)).toEqual([0.94 ** 2 / sum, 0.94 / sum, 1 / sum].map((v) => expect.closeTo(v, 16)));
    const long = ewmaWeights(1000);
    expect(long.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    // Long windows: the normalisation tends to RiskMetrics' (1 − λ).
    expect(long[999]).toBeCloseTo(1 - EWMA_LAMBDA, 14);
    expect(long[998] / long[999]).toBeCloseTo(EWMA_LAMBDA, 14);
    expect(() => ewmaWeights(3, 1)).toThrow(/EWMA lambda must be a number strictly between 0 and 1/);
  });

  it('a 2×2 case worked by hand: Σₜ wₜ·rₜ·rₜᵀ, the mean not subtracted', () => {
    // r₀ = (0.01, 0.02), r₁ = (−0.03, 0.01); w = (0.94, 1)/1.94.
    const cov = ewmaCovariance(k, [0.01, -0.03, 0.02, 0.01], 2, 2);
    const w0 = 0.94 / 1.94;
    const w1 = 1 / 1.94;
    expect(cov[0]).toBeCloseTo(w0 * 1e-4 + w1 * 9e-4, 18);
    expect(cov[1]).toBeCloseTo(w0 * 2e-4 - w1 * 3e-4, 18);
    expect(cov[2]).toBe(cov[1]);
    expect(cov[3]).toBeCloseTo(w0 * 4e-4 + w1 * 1e-4, 18);
  });

  it('constant returns r give exactly r·rᵀ (weights sum to one); matches a plain weighted sum', () => {
    const r = [0.01, -0.02, 0.03];
    const T = 50;
    const x = new Float64Array(3 * T);
    for (let i = 0; i < 3; i++) x.fill(r[i], i * T, (i + 1) * T);
    const cov = ewmaCovariance(k, x, 3, T);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(cov[i * 3 + j]).toBeCloseTo(r[i] * r[j], 17);
    const y = returnsOf(6, 333, 5);
    const w = ewmaWeights(333);
    const want = new Float64Array(36);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) for (let t = 0; t < 333; t++) want[i * 6 + j] += w[t] * y[i * 333 + t] * y[j * 333 + t];
    expect(covError(ewmaCovariance(k, y, 6, 333), want, 6)).toBeLessThan(1e-13);
  });
});

describe('estimator names', () => {
  it('accepts the three names and refuses others, listing them', () => {
    for (const name of ['sample', 'ledoit-wolf', 'ewma']) expect(() => checkEstimator(name)).not.toThrow();
    expect(() => checkEstimator('shrunk')).toThrow('estimator must be one of sample, ledoit-wolf, ewma, got "shrunk"');
  });
});
