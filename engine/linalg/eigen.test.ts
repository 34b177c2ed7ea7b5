import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normals } from '../random/draws.ts';
import { symmetricEigen } from './eigen.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** A random symmetric matrix (B + Bᵀ)/2 from a seeded stream; eigenvalues of both signs. */
function symmetric(n: number, seed: number): Float64Array {
  const b = normals(k, n * n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (b[i * n + j] + b[j * n + i]);
  return a;
}

/** max over j of ‖A·vⱼ − λⱼ·vⱼ‖∞ / max|λ|, and max |VᵀV − I|. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  const scale = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]), 1e-300);
  let residual = 0;
  let orthogonality = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += a[i * n + q] * vectors[j * n + q];
      residual = Math.max(residual, Math.abs(s - values[j] * vectors[j * n + i]) / scale);
    }
    for (let l = 0; l <= j; l++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += vectors[j * n + q] * vectors[l * n + q];
      orthogonality = Math.max(orthogonality, Math.abs(s - (j === l ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

describe('symmetric eigen-decomposition (tred2 + tql2 kernel)', () => {
  it('closed forms: [[2,1],[1,2]] → 1, 3; the second-difference matrix → 2 − √2, 2, 2 + √2; a diagonal → sorted', () => {
    const two = symmetricEigen(k, [2, 1, 1, 2], 2);
    expect(two.values[0]).toBeCloseTo(1, 15);
    expect(two.values[1]).toBeCloseTo(3, 15);
    // Eigenvectors up to sign: (1, −1)/√2 for 1 and (1, 1)/√2 for 3.
    expect(Math.abs(two.vectors[0] + two.vectors[1])).toBeLessThan(1e-15);
    expect(Math.abs(two.vectors[2] - two.vectors[3])).toBeLessThan(1e-15);
    expect(Math.abs(two.vectors[0])).toBeCloseTo(Math.SQRT1_2, 15);

    const three = symmetricEigen(k, [2, -1, 0, -1, 2, -1, 0, -1, 2], 3);
    [2 - Math.SQRT2, 2, 2 + Math.SQRT2].forEach((v, i) => expect(three.values[i]).toBeCloseTo(v, 14));

    const diag = symmetricEigen(k, [3, 0, 0, 0, -1, 0, 0, 0, 2], 3);
    expect(Array.from(diag.values)).toEqual([-1, 2, 3]);
    expect(Array.from(diag.vectors).map(Math.abs)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(symmetricEigen(k, [5], 1).values)).toEqual([5]);
  });

  it('finds the zero eigenvalues of a rank-deficient matrix (what the repair clips)', () => {
    // u·uᵀ + w·wᵀ in 4 dimensions: rank 2.
    const u = [1, 2, 0, -1];
    const w = [0, 1, 1, 1];
    const a = new Float64Array(16);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) a[i * 4 + j] = u[i] * u[j] + w[i] * w[j];
    const { values } = symmetricEigen(k, a, 4);
    expect(Math.abs(values[0])).toBeLessThan(1e-14);
    expect(Math.abs(values[1])).toBeLessThan(1e-14);
    expect(values[2] + values[3]).toBeCloseTo(6 + 3, 13);
  });

  it('A·v = λ·v, orthonormal vectors, ascending values and trace = Σλ at every size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const a = symmetric(n, seed);
        const { values, vectors } = symmetricEigen(k, a, n);
        const { residual, orthogonality } = residuals(a, n, values, vectors);
        expect(residual).toBeLessThan(1e-13);
        expect(orthogonality).toBeLessThan(1e-13);
        for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
        let trace = 0;
        for (let i = 0; i < n; i++) trace += a[i * n + i];
        expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 11);
      }),
      { numRuns: 40 },
    );
  });

  it('reads the lower triangle only and refuses NaN naming row and column', () => {
    const lowerOnly = symmetricEigen(k, [2, 99, 1, 2], 2);
    expect(lowerOnly.values[1]).toBeCloseTo(3, 15);
    expect(() => symmetricEigen(k, [1, 0, NaN, 1], 2, 'daily covariance')).toThrow(/daily covariance has a non-finite value at row 2, column 1/);
    expect(() => symmetricEigen(k, [1, 2, 3], 2)).toThrow(expect.objectContaining({ code: 'BAD_SIZE' }));
  });
});
