/** Cholesky factorisation and correlated draws, over the SIMD wasm kernels. */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { checkCount, toSeed } from '../kernels.ts';

/** Largest matrix dimension accepted. */
export const MAX_DIMENSION = 4096;

/** Throws `BAD_SIZE` unless `matrix` holds n×n values with 1 ≤ n ≤ {@link MAX_DIMENSION}. */
export function checkSquare(matrix: ArrayLike<number>, n: number, what = 'matrix'): void {
  if (!Number.isInteger(n) || n <= 0 || n > MAX_DIMENSION) {
    throw new AstraError('BAD_SIZE', Messages.badSize(`${what} dimension`, n, `an integer from 1 to ${MAX_DIMENSION}`));
  }
  if (matrix.length !== n * n) throw new AstraError('BAD_SIZE', Messages.notSquare(matrix.length, n));
}

/**
 * Cholesky factor of a symmetric positive-definite matrix.
 * @param matrix row-major n×n; only the lower triangle is read. NaN/∞ are refused.
 * @param what how to name the matrix in error messages (e.g. `'daily covariance'`).
 * @returns L, row-major n×n with zeros above the diagonal, such that L·Lᵀ = matrix.
 * @throws AstraError `NOT_POSITIVE_DEFINITE` naming the row, `NON_FINITE` naming row and column.
 */
export function cholesky(k: Kernels, matrix: ArrayLike<number>, n: number, what = 'matrix'): Float64Array {
  checkSquare(matrix, n);
  k.reset();
  const a = k.putF64(matrix);
  const l = k.allocF64(n * n);
  const inv = k.allocF64(n);
  k.check(k.exports.cholesky(a, l, n, inv), what, n);
  return k.takeF64(l, n * n);
}

/**
 * `draws` correlated normal vectors L·z, z standard normal from stream (`seed`, `stream`).
 * @param lower Cholesky factor, row-major n×n (upper triangle ignored).
 * @returns row-major `draws × n`.
 */
export function correlatedNormals(k: Kernels, lower: ArrayLike<number>, n: number, draws: number, seed: number, stream = 0): Float64Array {
  checkSquare(lower, n, 'Cholesky factor');
  checkCount('draws', draws * n);
  const s = toSeed(seed);
  const t = toSeed(stream, 'stream');
  k.reset();
  const l = k.putF64(lower);
  const z = k.allocF64(draws * n);
  const out = k.allocF64(draws * n);
  k.exports.fillNormals(z, draws * n, s, t);
  k.exports.lowerTimesVectors(l, z, out, n, draws);
  return k.takeF64(out, draws * n);
}
