/** Symmetric eigen-decomposition over the wasm kernel (Householder tridiagonalisation + implicit QL). */
import type { Kernels } from '../kernels.ts';
import { checkSquare } from './cholesky.ts';

/** Eigenvalues in ascending order and their unit eigenvectors. */
export interface SymmetricEigen {
  /** n eigenvalues, ascending. */
  values: Float64Array;
  /** n×n row-major; ROW j is the unit eigenvector of `values[j]`, so A = Σⱼ values[j]·vⱼ·vⱼᵀ. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of a real symmetric matrix.
 * @param matrix row-major n×n, 1 ≤ n ≤ 4096; only the lower triangle is read (the upper is taken
 *   as its mirror). NaN/∞ are refused.
 * @returns eigenvalues ascending and eigenvectors as rows (orthonormal to rounding, ~n·ε).
 * @throws AstraError `NON_FINITE` naming row and column, `NO_CONVERGENCE` naming the eigenvalue,
 *   `BAD_SIZE` for a matrix that is not n×n.
 */
export function symmetricEigen(k: Kernels, matrix: ArrayLike<number>, n: number, what = 'matrix'): SymmetricEigen {
  checkSquare(matrix, n, what);
  k.reset();
  const vectors = k.putF64(matrix);
  const values = k.allocF64(n);
  const work = k.allocF64(n);
  k.check(k.exports.symmetricEigen(vectors, n, values, vectors, work), what, n);
  return { values: k.takeF64(values, n), vectors: k.takeF64(vectors, n * n) };
}
