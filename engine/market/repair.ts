/**
 * Positive-definiteness check and repair of a covariance matrix (docs/conventions.md).
 *
 * Check: the wasm Cholesky. When it fails: symmetrise, take the eigen-decomposition, and raise
 * every eigenvalue below the floor f = {@link REPAIR_FLOOR_RELATIVE} × λ_max to f, by adding
 * Σⱼ (f − λⱼ)·vⱼ·vⱼᵀ over those eigenvalues only — the rest of the matrix is kept to the last bit
 * rather than rebuilt from its eigenvectors. If the result still does not factor (rounding),
 * diagonal jitter f, 2f, 4f, … is added until it does. The repair is reported, never silent.
 */
import { AstraError, KERNEL_STATUS, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { checkSquare } from '../linalg/cholesky.ts';
import { symmetricEigen } from '../linalg/eigen.ts';

/** The eigenvalue floor relative to the largest eigenvalue: the repaired condition number is ≤ 1e8. */
export const REPAIR_FLOOR_RELATIVE = 1e-8;
/** Doublings of the diagonal jitter tried after clipping before giving up. */
const MAX_JITTER_STEPS = 60;

/** How a matrix was made positive definite. */
export interface Repair {
  /** `eigenvalue-clip`, or `eigenvalue-clip+jitter` when clipping alone did not factor. */
  method: 'eigenvalue-clip' | 'eigenvalue-clip+jitter';
  /**
   * Size of the change: the largest eigenvalue of (repaired − symmetrised input), which is
   * positive semi-definite — i.e. the most any direction's variance was raised. Units of the
   * matrix (daily variance for a daily covariance).
   */
  amount: number;
  /** The eigenvalue floor used (same units). */
  floor: number;
  /** How many eigenvalues were below the floor and raised to it. */
  clipped: number;
  /** The smallest eigenvalue before the repair (may be negative). */
  minEigenvalue: number;
  /** Diagonal jitter added after clipping (0 unless `method` says jitter). */
  jitter: number;
  /** Row (0-based) whose Cholesky pivot was not positive before the repair. */
  failedRow: number;
}

/**
 * The row at which the Cholesky factorisation of `matrix` fails, or −1 when it is positive
 * definite. Only the lower triangle is read.
 * @throws AstraError `NON_FINITE` naming row and column.
 */
export function choleskyFailure(k: Kernels, matrix: ArrayLike<number>, n: number, what = 'matrix'): number {
  checkSquare(matrix, n, what);
  k.reset();
  const a = k.putF64(matrix);
  const l = k.allocF64(n * n);
  const inv = k.allocF64(n);
  const status = k.exports.cholesky(a, l, n, inv);
  if (status === KERNEL_STATUS.NOT_POSITIVE_DEFINITE) return k.exports.lastDetail();
  k.check(status, what, n);
  return -1;
}

/**
 * Check that `matrix` is positive definite (wasm Cholesky) and repair it if not.
 * @param matrix row-major n×n covariance, finite (NaN/∞ are refused, `NON_FINITE`).
 * @param what how to name it in messages, e.g. `'daily covariance'`.
 * @returns the matrix unchanged (`repair: null`) when it factors; otherwise a new, exactly
 *   symmetric, positive-definite matrix and the {@link Repair} that made it.
 * @throws AstraError `NOT_POSITIVE_DEFINITE` when the largest eigenvalue is not positive (an all-zero
 *   matrix: there is no scale to take a floor from) or when jitter does not make it factor.
 */
export function ensurePositiveDefinite(
  k: Kernels,
  matrix: Float64Array,
  n: number,
  what = 'matrix',
): { matrix: Float64Array; repair: Repair | null } {
  const failedRow = choleskyFailure(k, matrix, n, what);
  if (failedRow < 0) return { matrix, repair: null };

  const sym = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
      sym[i * n + j] = v;
      sym[j * n + i] = v;
    }
  }
  const { values, vectors } = symmetricEigen(k, sym, n, what);
  const largest = values[n - 1];
  if (!(largest > 0)) throw new AstraError('NOT_POSITIVE_DEFINITE', Messages.zeroCovariance(what));
  const floor = REPAIR_FLOOR_RELATIVE * largest;
  const raised: number[] = [];
  for (let j = 0; j < n && values[j] < floor; j++) raised.push(j);

  // Σⱼ δⱼ·vⱼ·vⱼᵀ over the raised eigenvalues: the weighted Gram kernel over the n×m matrix whose
  // column c is the eigenvector of the c-th raised eigenvalue.
  const repaired = sym.slice();
  let amount = 0;
  if (raised.length > 0) {
    const m = raised.length;
    const v = new Float64Array(n * m);
    const deltas = new Float64Array(m);
    raised.forEach((j, c) => {
      deltas[c] = floor - values[j];
      amount = Math.max(amount, deltas[c]);
      for (let i = 0; i < n; i++) v[i * m + c] = vectors[j * n + i];
    });
    k.reset();
    const x = k.putF64(v);
    const w = k.putF64(deltas);
    const out = k.allocF64(n * n);
    k.check(k.exports.weightedCovariance(x, n, m, w, out), `${what} repair`, m);
    const correction = k.f64(out, n * n);
    for (let i = 0; i < n * n; i++) repaired[i] += correction[i];
  }

  let jitter = 0;
  if (choleskyFailure(k, repaired, n, what) >= 0) {
    jitter = addJitter(k, repaired, n, floor, what);
    amount += jitter;
  }
  return {
    matrix: repaired,
    repair: {
      method: jitter > 0 ? 'eigenvalue-clip+jitter' : 'eigenvalue-clip',
      amount,
      floor,
      clipped: raised.length,
      minEigenvalue: values[0],
      jitter,
      failedRow,
    },
  };
}

/**
 * Add ε·I to `matrix` in place, ε = start, 2·start, 4·start, …, until it factors; returns ε.
 * @throws AstraError `NOT_POSITIVE_DEFINITE` after {@link MAX_JITTER_STEPS} doublings.
 */
export function addJitter(k: Kernels, matrix: Float64Array, n: number, start: number, what = 'matrix'): number {
  if (!(start > 0 && Number.isFinite(start))) throw new AstraError('BAD_INPUT', Messages.badValue('jitter start', start, 'a positive number'));
  const original = matrix.slice();
  let eps = start;
  for (let step = 0; step < MAX_JITTER_STEPS; step++, eps *= 2) {
    for (let i = 0; i < n; i++) matrix[i * n + i] = original[i * n + i] + eps;
    const row = choleskyFailure(k, matrix, n, what);
    if (row < 0) return eps;
  }
  matrix.set(original);
  throw new AstraError('NOT_POSITIVE_DEFINITE', Messages.notPositiveDefinite(choleskyFailure(k, matrix, n, what), what));
}
