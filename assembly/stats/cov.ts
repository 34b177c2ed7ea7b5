// Mean and covariance of n return series of `t` days each, laid out asset-major: row i (asset i)
// is t contiguous f64, so x[i·t + d] is asset i on day d. Both kernels overwrite x (with the centred
// or weighted series) — the engine copies the returns in, and the Ledoit–Wolf step reads the
// centred rows afterwards.
import { gramSymmetric } from './gram';
import { STATUS_OK, STATUS_NON_FINITE_INPUT, STATUS_BAD_SIZE, fail } from '../util/status';

@inline function rowAt(base: usize, t: i32, row: i32): usize {
  return base + ((<usize>row * <usize>t) << 3);
}

/** Σ row[d] for d < t, two vector accumulators (reassociated: equal to a loop up to rounding). */
function rowSum(row: usize, t: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let d = 0;
  for (; d + 4 <= t; d += 4) {
    const off = <usize>d << 3;
    acc0 = f64x2.add(acc0, v128.load(row + off));
    acc1 = f64x2.add(acc1, v128.load(row + off, 16));
  }
  const acc = f64x2.add(acc0, acc1);
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; d < t; d++) sum += load<f64>(row + (<usize>d << 3));
  return sum;
}

/** Flat index of the first non-finite value of row i, or -1. */
function firstNonFinite(x: usize, t: i32, i: i32): i32 {
  const row = rowAt(x, t, i);
  for (let d = 0; d < t; d++) {
    if (!isFinite(load<f64>(row + (<usize>d << 3)))) return i * t + d;
  }
  return -1;
}

/**
 * Sample mean and covariance, two-pass: mean[i] = Σ_d x[i][d] / t, then x[i][d] -= mean[i] (in
 * place), then out = X̃·X̃ᵀ / (t − 1) (n×n row-major, exactly symmetric).
 * Returns STATUS_OK, STATUS_BAD_SIZE (detail: n if n < 1, else t if t < 2) or
 * STATUS_NON_FINITE_INPUT (detail: flat index i·t + d of the first NaN/±∞ found).
 */
export function covariance(x: usize, n: i32, t: i32, mean: usize, out: usize): i32 {
  if (n < 1) return fail(STATUS_BAD_SIZE, n);
  if (t < 2) return fail(STATUS_BAD_SIZE, t);
  for (let i = 0; i < n; i++) {
    const sum = rowSum(rowAt(x, t, i), t);
    // A NaN or ±∞ anywhere in the row makes its sum non-finite: look for it only then.
    if (!isFinite(sum)) {
      const at = firstNonFinite(x, t, i);
      if (at >= 0) return fail(STATUS_NON_FINITE_INPUT, at);
    }
    store<f64>(mean + (<usize>i << 3), sum / <f64>t);
  }
  for (let i = 0; i < n; i++) {
    const row = rowAt(x, t, i);
    const m = f64x2.splat(load<f64>(mean + (<usize>i << 3)));
    let d = 0;
    for (; d + 2 <= t; d += 2) {
      const p = row + (<usize>d << 3);
      v128.store(p, f64x2.sub(v128.load(p), m));
    }
    if (d < t) {
      const p = row + (<usize>d << 3);
      store<f64>(p, load<f64>(p) - f64x2.extract_lane(m, 0));
    }
  }
  gramSymmetric(x, n, t, out, 1.0 / <f64>(t - 1));
  return STATUS_OK;
}

/**
 * Weighted second moment about zero: out = Σ_d w[d] · x[:,d] · x[:,d]ᵀ (n×n, exactly symmetric),
 * computed as the Gram matrix of the columns scaled by √w[d] (x is overwritten with them).
 * Weights must be ≥ 0; the caller normalises them. Returns STATUS_OK, STATUS_BAD_SIZE (detail:
 * n or t when < 1) or STATUS_NON_FINITE_INPUT (detail: flat index of x, or n·t + d for a bad w[d]).
 */
export function weightedCovariance(x: usize, n: i32, t: i32, w: usize, out: usize): i32 {
  if (n < 1) return fail(STATUS_BAD_SIZE, n);
  if (t < 1) return fail(STATUS_BAD_SIZE, t);
  for (let d = 0; d < t; d++) {
    const wd = load<f64>(w + (<usize>d << 3));
    if (!isFinite(wd) || wd < 0) return fail(STATUS_NON_FINITE_INPUT, n * t + d);
    // Keep the square roots in w for the scaling pass below.
    store<f64>(w + (<usize>d << 3), Math.sqrt(wd));
  }
  for (let i = 0; i < n; i++) {
    const row = rowAt(x, t, i);
    for (let d = 0; d < t; d++) {
      const p = row + (<usize>d << 3);
      const v = load<f64>(p);
      if (!isFinite(v)) return fail(STATUS_NON_FINITE_INPUT, i * t + d);
      store<f64>(p, v * load<f64>(w + (<usize>d << 3)));
    }
  }
  gramSymmetric(x, n, t, out, 1.0);
  return STATUS_OK;
}
