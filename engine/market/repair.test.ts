import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normals } from '../random/draws.ts';
import { symmetricEigen } from '../linalg/eigen.ts';
import { addJitter, choleskyFailure, ensurePositiveDefinite, REPAIR_FLOOR_RELATIVE } from './repair.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

describe('positive-definiteness check and repair', () => {
  it('leaves a positive-definite matrix alone (the same array, repair null)', () => {
    const a = new Float64Array([4, 2, 2, 3]);
    const out = ensurePositiveDefinite(k, a, 2);
    expect(out.repair).toBeNull();
    expect(out.matrix).toBe(a);
  });

  it('an indefinite 2×2 worked by hand: eigenvalue −1 raised to the floor along (1, −1)/√2', () => {
    // [[1, 2], [2, 1]] has eigenvalues −1 (vector (1, −1)/√2) and 3. Floor f = 3e-8; adding
    // (f + 1)·v·vᵀ gives [[1 + δ/2, 2 − δ/2], [2 − δ/2, 1 + δ/2]] with δ = 1 + f.
    const { matrix, repair } = ensurePositiveDefinite(k, new Float64Array([1, 2, 2, 1]), 2, 'test matrix');
    const f = 3 * REPAIR_FLOOR_RELATIVE;
    const delta = 1 + f;
    expect(repair).toMatchObject({ method: 'eigenvalue-clip', clipped: 1, jitter: 0, failedRow: 1 });
    expect(repair!.floor).toBeCloseTo(f, 20);
    expect(repair!.amount).toBeCloseTo(delta, 14);
    expect(repair!.minEigenvalue).toBeCloseTo(-1, 14);
    expect(matrix[0]).toBeCloseTo(1 + delta / 2, 14);
    expect(matrix[1]).toBeCloseTo(2 - delta / 2, 14);
    expect(matrix[1]).toBe(matrix[2]);
    const { values } = symmetricEigen(k, matrix, 2);
    expect(values[0] / f).toBeCloseTo(1, 6);
    expect(values[1]).toBeCloseTo(3, 13);
    expect(choleskyFailure(k, matrix, 2)).toBe(-1);
  });

  it('a zero-variance asset gets the floor as its variance and the rest is kept', () => {
    const a = new Float64Array([4e-4, 0, 1e-4, 0, 0, 0, 1e-4, 0, 2e-4]);
    const { matrix, repair } = ensurePositiveDefinite(k, a, 3);
    expect(repair).toMatchObject({ method: 'eigenvalue-clip', clipped: 1, failedRow: 1 });
    expect(matrix[4]).toBeCloseTo(repair!.floor, 24);
    for (const idx of [0, 2, 6, 8]) expect(Math.abs(matrix[idx] - a[idx])).toBeLessThan(1e-19);
    expect(choleskyFailure(k, matrix, 3)).toBe(-1);
  });

  it('symmetrises an asymmetric input before repairing it', () => {
    const { matrix } = ensurePositiveDefinite(k, new Float64Array([1, 3, 1, 1]), 2);
    // (A + Aᵀ)/2 = [[1, 2], [2, 1]]: the same repair as the hand-worked case.
    expect(matrix[1]).toBe(matrix[2]);
    expect(matrix[1]).toBeCloseTo(2 - (1 + 3e-8) / 2, 14);
  });

  it('refuses an all-zero matrix: there is no scale to take a floor from', () => {
    expect(() => ensurePositiveDefinite(k, new Float64Array(4), 2, 'daily covariance')).toThrow(
      "daily covariance is zero: no asset's price moves in the window, so there is nothing to estimate",
    );
  });

  it('random rank-deficient matrices: the result factors, its eigenvalues are ≥ the floor, and the change is PSD of norm `amount`', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rank = 1 + (seed % (n - 1));
        const b = normals(k, n * rank, seed);
        const a = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let q = 0; q < rank; q++) a[i * n + j] += 1e-4 * b[i * rank + q] * b[j * rank + q];
        const { matrix, repair } = ensurePositiveDefinite(k, a, n);
        if (repair === null) return; // rounding can leave a tiny positive pivot: then it factors as it is
        expect(choleskyFailure(k, matrix, n)).toBe(-1);
        const { values } = symmetricEigen(k, matrix, n);
        expect(values[0]).toBeGreaterThan(repair.floor * (1 - 1e-4));
        // The change, up to the rounding of the subtraction (~n·ε·λ_max).
        const change = matrix.map((v, idx) => v - a[idx]);
        const spectrum = symmetricEigen(k, change, n).values;
        const noise = 1e-13 * values[n - 1];
        expect(spectrum[0]).toBeGreaterThan(-noise);
        expect(Math.abs(spectrum[n - 1] - repair.amount)).toBeLessThan(noise);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(matrix[i * n + j]).toBe(matrix[j * n + i]);
      }),
      { numRuns: 40 },
    );
  });

  it('jitter: the smallest of f, 2f, 4f, … that makes it factor, added to the diagonal', () => {
    const a = new Float64Array([1, 1, 1, 1]);
    expect(addJitter(k, a, 2, 1e-8)).toBe(1e-8);
    expect(Array.from(a)).toEqual([1 + 1e-8, 1, 1, 1 + 1e-8]);
    // [[1, 2], [2, 1]] needs ε > 1: 0.3 → 0.6 → 1.2.
    const b = new Float64Array([1, 2, 2, 1]);
    expect(addJitter(k, b, 2, 0.3)).toBeCloseTo(1.2, 15);
    expect(() => addJitter(k, b, 2, 0)).toThrow(/jitter start must be a positive number/);
  });
});
