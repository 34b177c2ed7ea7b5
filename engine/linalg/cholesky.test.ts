import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normals } from '../random/draws.ts';
import { cholesky, correlatedNormals } from './cholesky.ts';
import { AstraError } from '../errors.ts';
import { choleskyTs } from '../../bench/baselines.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** A random SPD matrix B·Bᵀ + n·I from a seeded stream (well conditioned). */
function spd(n: number, seed: number): Float64Array {
  const b = normals(k, n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = s + (i === j ? n : 0);
    }
  }
  return a;
}

function maxReconstructionError(l: Float64Array, a: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
      worst = Math.max(worst, Math.abs(s - a[i * n + j]) / Math.max(1, Math.abs(a[i * n + j])));
    }
  }
  return worst;
}

describe('cholesky', () => {
  it('factors a 3×3 worked by hand', () => {
    // L = [[2,0,0],[1,1,0],[0.3,0.2,√2.87]]: 4=2², 2=2·1, 2=1+1, 0.6=2·0.3, 0.5=0.3+0.2, 3=0.09+0.04+2.87.
    const l = cholesky(k, [4, 2, 0.6, 2, 2, 0.5, 0.6, 0.5, 3], 3);
    const expected = [2, 0, 0, 1, 1, 0, 0.3, 0.2, Math.sqrt(2.87)];
    for (let i = 0; i < 9; i++) expect(l[i]).toBeCloseTo(expected[i], 14);
  });

  it('gives L·Lᵀ = Σ with L lower triangular and a positive diagonal, at every size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 41 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const a = spd(n, seed);
        const l = cholesky(k, a, n);
        for (let i = 0; i < n; i++) {
          expect(l[i * n + i]).toBeGreaterThan(0);
          for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
        }
        expect(maxReconstructionError(l, a, n)).toBeLessThan(1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it('matches the textbook algorithm at the sizes that exercise the 4-row blocks and their tails', () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 50, 101]) {
      const a = spd(n, n);
      const expected = choleskyTs(a, n)!;
      const l = cholesky(k, a, n);
      for (let i = 0; i < n * n; i++) expect(l[i]).toBeCloseTo(expected[i], 10);
    }
  });

  it('reads only the lower triangle', () => {
    const a = spd(6, 3);
    const garbled = a.slice();
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) garbled[i * 6 + j] = 1e9;
    expect(cholesky(k, garbled, 6)).toEqual(cholesky(k, a, 6));
  });

  it('reports a matrix that is not positive definite, naming the row', () => {
    // Correlation 2 is impossible: pivot of row 2 is 1 − 4 < 0.
    expect(() => cholesky(k, [1, 2, 2, 1], 2)).toThrow('matrix is not positive definite: the pivot of row 2 is not positive');
    // Singular (rank 1) PSD matrix: row 2's pivot is exactly 0.
    try {
      cholesky(k, [1, 1, 1, 1, 1, 1, 1, 1, 1], 3, 'daily covariance');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AstraError);
      expect((err as AstraError).code).toBe('NOT_POSITIVE_DEFINITE');
      expect((err as AstraError).message).toMatch(/^daily covariance is not positive definite: the pivot of row 2/);
    }
    // A negative diagonal at row 7 of a larger matrix (inside a 4-row block).
    const a = spd(9, 1);
    a[6 * 9 + 6] = -1;
    expect(() => cholesky(k, a, 9)).toThrow(/row 7 /);
  });

  it('refuses NaN and infinities, naming row and column, and bad sizes', () => {
    const a = spd(4, 2);
    a[2 * 4 + 1] = NaN;
    expect(() => cholesky(k, a, 4)).toThrow('matrix has a non-finite value at row 3, column 2');
    expect(() => cholesky(k, [1, 0, 0], 2)).toThrow('matrix of 3 values is not 2×2 (expected 4)');
    expect(() => cholesky(k, [], 0)).toThrow(/dimension must be an integer from 1 to 4096, got 0/);
  });
});

describe('correlatedNormals', () => {
  it('draws with covariance L·Lᵀ (sample covariance within sampling error)', () => {
    const sigma = [4, 1.2, -0.6, 1.2, 1, 0.3, -0.6, 0.3, 2.25];
    const l = cholesky(k, sigma, 3);
    const draws = 200_000;
    const x = correlatedNormals(k, l, 3, draws, 11);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let d = 0; d < draws; d++) s += x[d * 3 + i] * x[d * 3 + j];
        const cov = s / draws;
        // Standard error of a sample covariance: √((σᵢᵢσⱼⱼ + σᵢⱼ²)/N).
        const se = Math.sqrt((sigma[i * 4] * sigma[j * 4] + sigma[i * 3 + j] ** 2) / draws);
        expect(Math.abs(cov - sigma[i * 3 + j])).toBeLessThan(5 * se);
      }
    }
  });
});
