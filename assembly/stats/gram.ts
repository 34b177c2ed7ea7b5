// The Gram matrix G = X·Xᵀ of the rows of an n×len matrix (row-major, each row contiguous): the
// inner loop of every covariance estimator once its rows are centred and/or weighted.
//
// Only the lower triangle is computed, then mirrored, so the result is exactly symmetric. Rows are
// taken four at a time against two at a time (`dot4x2`): 8 accumulators and 6 operands fill the 16
// vector registers, and each pair of j-rows is read once per four i-rows. The time axis is cut into
// chunks so the four i-rows of a block stay in L1 while the j-rows stream past; partial sums are
// added into the output, which is also a blocked (more accurate) summation over time.
import { dot, dot4x2, e00, e01, e10, e11, e20, e21, e30, e31 } from '../linalg/dot';

/** Days per chunk: 4 i-rows × 512 × 8 bytes = 16 KiB, half of a 32 KiB L1. */
const CHUNK: i32 = 512;

@inline function rowAt(base: usize, stride: i32, row: i32): usize {
  return base + ((<usize>row * <usize>stride) << 3);
}

@inline function addAt(out: usize, n: i32, i: i32, j: i32, v: f64): void {
  const p = out + ((<usize>i * <usize>n + <usize>j) << 3);
  store<f64>(p, load<f64>(p) + v);
}

/**
 * out (n×n, row-major) = scale · X·Xᵀ for X the n×len matrix at `x` (row-major: row i is
 * len contiguous f64). The lower triangle is computed and mirrored into the upper one.
 * `out` must not overlap `x`. No checks: callers validate sizes and values.
 */
export function gramSymmetric(x: usize, n: i32, len: i32, out: usize, scale: f64): void {
  memory.fill(out, 0, (<usize>n * <usize>n) << 3);
  const blocked = n & ~3;
  for (let k0 = 0; k0 < len; k0 += CHUNK) {
    const m = min(CHUNK, len - k0);
    const off = <usize>k0 << 3;
    for (let i = 0; i < blocked; i += 4) {
      const a0 = rowAt(x, len, i) + off;
      const a1 = rowAt(x, len, i + 1) + off;
      const a2 = rowAt(x, len, i + 2) + off;
      const a3 = rowAt(x, len, i + 3) + off;
      // j pairs up to and including the 4×4 diagonal block (its upper half is overwritten by the
      // mirror below).
      for (let j = 0; j < i + 4; j += 2) {
        dot4x2(a0, a1, a2, a3, rowAt(x, len, j) + off, rowAt(x, len, j + 1) + off, m);
        addAt(out, n, i, j, e00);
        addAt(out, n, i, j + 1, e01);
        addAt(out, n, i + 1, j, e10);
        addAt(out, n, i + 1, j + 1, e11);
        addAt(out, n, i + 2, j, e20);
        addAt(out, n, i + 2, j + 1, e21);
        addAt(out, n, i + 3, j, e30);
        addAt(out, n, i + 3, j + 1, e31);
      }
    }
    // The last n mod 4 rows, one dot product per entry of the lower triangle.
    for (let i = blocked; i < n; i++) {
      const a = rowAt(x, len, i) + off;
      for (let j = 0; j <= i; j++) addAt(out, n, i, j, dot(a, rowAt(x, len, j) + off, m));
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = load<f64>(out + ((<usize>i * <usize>n + <usize>j) << 3)) * scale;
      store<f64>(out + ((<usize>i * <usize>n + <usize>j) << 3), v);
      store<f64>(out + ((<usize>j * <usize>n + <usize>i) << 3), v);
    }
  }
}
