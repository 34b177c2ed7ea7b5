// Cholesky factorisation Σ = L·Lᵀ of a symmetric positive-definite matrix, row-major, in the
// row-oriented (Crout) order: every inner product runs over two contiguous row prefixes, so it
// vectorises. Rows are taken four at a time against two columns at a time (a 4×2 register block):
// the loop is bound by reading earlier rows of L, and the block reads each of them once per four
// rows instead of once per row.
import { dot, dot4x2, e00, e01, e10, e11, e20, e21, e30, e31 } from './dot';
import { STATUS_OK, STATUS_NOT_POSITIVE_DEFINITE, STATUS_NON_FINITE_INPUT, STATUS_BAD_SIZE, fail } from '../util/status';

@inline function rowAt(base: usize, n: i32, row: i32): usize {
  return base + ((<usize>row * <usize>n) << 3);
}

@inline function get(row: usize, col: i32): f64 {
  return load<f64>(row + (<usize>col << 3));
}

@inline function set(row: usize, col: i32, v: f64): void {
  store<f64>(row + (<usize>col << 3), v);
}

/**
 * L[i][j] for j in [from, to) on one row, by the plain Crout update, then the diagonal of row i
 * if `to == i`. Returns false when the pivot is not positive (or NaN).
 */
function finishRow(l: usize, n: i32, i: i32, from: i32, invDiag: usize): bool {
  const ri = rowAt(l, n, i);
  for (let j = from; j < i; j++) {
    set(ri, j, (get(ri, j) - dot(ri, rowAt(l, n, j), j)) * load<f64>(invDiag + (<usize>j << 3)));
  }
  const pivot = get(ri, i) - dot(ri, ri, i);
  if (!(pivot > 0.0)) return false;
  const lii = Math.sqrt(pivot);
  set(ri, i, lii);
  store<f64>(invDiag + (<usize>i << 3), 1.0 / lii);
  return true;
}

@inline function update2(row: usize, j: i32, d0: f64, d1: f64, ljj1: f64, inv0: f64, inv1: f64): void {
  const lj = (get(row, j) - d0) * inv0;
  set(row, j, lj);
  set(row, j + 1, (get(row, j + 1) - d1 - lj * ljj1) * inv1);
}

/**
 * Factor the n×n matrix at `a` (only its lower triangle is read) into `l` (n×n, zeros above the
 * diagonal). `a` and `l` must not overlap. `invDiag` is scratch for n f64.
 * Returns STATUS_OK, STATUS_NON_FINITE_INPUT (detail: flat index), STATUS_NOT_POSITIVE_DEFINITE
 * (detail: the row whose pivot was ≤ 0 or NaN) or STATUS_BAD_SIZE.
 */
export function cholesky(a: usize, l: usize, n: i32, invDiag: usize): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = j <= i ? load<f64>(a + ((<usize>i * <usize>n + <usize>j) << 3)) : 0.0;
      if (!isFinite(v)) return fail(STATUS_NON_FINITE_INPUT, i * n + j);
      store<f64>(l + ((<usize>i * <usize>n + <usize>j) << 3), v);
    }
  }
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = rowAt(l, n, i);
    const r1 = rowAt(l, n, i + 1);
    const r2 = rowAt(l, n, i + 2);
    const r3 = rowAt(l, n, i + 3);
    // Columns before the block (i is even, so they pair up exactly).
    for (let j = 0; j < i; j += 2) {
      const rj1 = rowAt(l, n, j + 1);
      dot4x2(r0, r1, r2, r3, rowAt(l, n, j), rj1, j);
      const ljj1 = get(rj1, j);
      const inv0 = load<f64>(invDiag + (<usize>j << 3));
      const inv1 = load<f64>(invDiag + (<usize>(j + 1) << 3));
      update2(r0, j, e00, e01, ljj1, inv0, inv1);
      update2(r1, j, e10, e11, ljj1, inv0, inv1);
      update2(r2, j, e20, e21, ljj1, inv0, inv1);
      update2(r3, j, e30, e31, ljj1, inv0, inv1);
    }
    // The 4×4 diagonal block, row by row.
    for (let r = 0; r < 4; r++) {
      if (!finishRow(l, n, i + r, i, invDiag)) return fail(STATUS_NOT_POSITIVE_DEFINITE, i + r);
    }
  }
  for (; i < n; i++) {
    if (!finishRow(l, n, i, 0, invDiag)) return fail(STATUS_NOT_POSITIVE_DEFINITE, i);
  }
  return STATUS_OK;
}

/**
 * out[d] = L · z[d] for `draws` vectors of length n (all row-major, `draws × n`): turns
 * independent standard normals into draws with covariance L·Lᵀ. L's upper triangle is ignored.
 */
export function lowerTimesVectors(l: usize, z: usize, out: usize, n: i32, draws: i32): void {
  for (let d = 0; d < draws; d++) {
    const zd = z + ((<usize>d * <usize>n) << 3);
    const od = out + ((<usize>d * <usize>n) << 3);
    for (let i = 0; i < n; i++) {
      store<f64>(od + (<usize>i << 3), dot(rowAt(l, n, i), zd, i + 1));
    }
  }
}
