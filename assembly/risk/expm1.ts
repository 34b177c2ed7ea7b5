// exp(x) − 1 on the two f64 lanes of a v128, for the Monte Carlo kernels (one call per simulated
// asset-day: it must be cheap, accurate for the small cumulative log returns that dominate, and
// give each lane a value that depends on that lane alone, so a path's P&L never depends on which
// path shares its vector).
//
// Range reduction x = k·ln 2 + r with k = nearest(x / ln 2), |r| ≤ ln 2 / 2 (Cody–Waite: ln 2 split
// in a high part with trailing zero bits, so k·LN2_HI is exact, and a low part); then
// expm1(x) = 2^k·expm1(r) + (2^k − 1). For |x| < ln 2 / 2 (every daily and most multi-day
// returns) k = 0 and the result is the polynomial itself, with no cancellation: relative accuracy
// ~1 ulp near 0, where exp(x) − 1 would lose digits. expm1(r) is its Taylor series to r¹³: on
// |r| ≤ 0.3466 the first omitted term is < 4.2e-18, below half an ulp of the result. A lane with
// |x| > 700 (or NaN) takes the library's scalar expm1 (overflow, the −1 limit, NaN).
// Accuracy against Math.expm1: within 1.5 ulp over [−700, 700] (tested).

const INV_LN2: f64 = 1.4426950408889634;
/** ln 2 to 33 bits (fdlibm's ln2_hi): k·LN2_HI is exact for |k| < 2^20. */
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
/** Below this |x|, k = nearest(x / ln 2) is 0 (0.34 / ln 2 < 0.4905): the reduction is the identity. */
const SMALL: f64 = 0.34;
const LIMIT: f64 = 700.0;

// Constants live in memory and are read with load64_splat: V8 rebuilds every v128 constant
// from immediates at each use (three instructions), while a splat-load is one.
// Order: 1/13!, 1/12!, …, 1/2!, then the reduction's constants.
const K: usize = memory.data<f64>([
  1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
  1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5,
  INV_LN2, LN2_HI, LN2_LO, SMALL, LIMIT, 1.0,
], 16);

@inline function c(i: i32): v128 {
  return v128.load64_splat(K + (<usize>i << 3));
}

/**
 * expm1(r) = r + r²·q(r), q(r) = Σ_{k=2}^{13} r^(k−2)/k!, by Estrin's scheme: pairs, then r², r⁴,
 * r⁸. A Horner chain of 24 dependent operations leaves the core waiting on latency (≈ 84 cycles
 * per vector); Estrin's tree is about a third as deep for three more multiplies, and measured
 * 1.7× faster here.
 */
@inline function series(r: v128): v128 {
  const r2 = f64x2.mul(r, r);
  const r4 = f64x2.mul(r2, r2);
  const r8 = f64x2.mul(r4, r4);
  const a0 = f64x2.add(c(11), f64x2.mul(r, c(10)));
  const a1 = f64x2.add(c(9), f64x2.mul(r, c(8)));
  const a2 = f64x2.add(c(7), f64x2.mul(r, c(6)));
  const a3 = f64x2.add(c(5), f64x2.mul(r, c(4)));
  const a4 = f64x2.add(c(3), f64x2.mul(r, c(2)));
  const a5 = f64x2.add(c(1), f64x2.mul(r, c(0)));
  const b0 = f64x2.add(a0, f64x2.mul(r2, a1));
  const b1 = f64x2.add(a2, f64x2.mul(r2, a3));
  const b2 = f64x2.add(a4, f64x2.mul(r2, a5));
  const q = f64x2.add(f64x2.add(b0, f64x2.mul(r4, b1)), f64x2.mul(r8, b2));
  return f64x2.add(r, f64x2.mul(r2, q));
}

/** Both lanes by the scalar library function. */
function expm1Scalar2(x: v128): v128 {
  const a = NativeMath.expm1(f64x2.extract_lane(x, 0));
  const b = NativeMath.expm1(f64x2.extract_lane(x, 1));
  return f64x2.replace_lane(f64x2.splat(a), 1, b);
}

/**
 * The reduced evaluation (see the module comment). Not inlined: most calls never need it. A lane
 * beyond ±700 (or NaN) takes the scalar library value; the other lane keeps the vector's.
 */
function expm1Reduced(x: v128): v128 {
  const inRange = f64x2.le(f64x2.abs(x), c(16));
  const xr = v128.bitselect(x, f64x2.splat(0), inRange);
  const k = f64x2.nearest(f64x2.mul(xr, c(12)));
  const r = f64x2.sub(f64x2.sub(xr, f64x2.mul(k, c(13))), f64x2.mul(k, c(14)));
  const p = series(r);
  // 2^k from its bits: (k + 1023) << 52, exact for |k| ≤ 1010 (|x| ≤ 700).
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  const scale = i64x2.shl(i64x2.add(ki, i64x2.splat(1023)), 52);
  const result = f64x2.add(f64x2.mul(scale, p), f64x2.sub(scale, c(17)));
  if (i64x2.all_true(inRange)) return result;
  return v128.bitselect(result, expm1Scalar2(x), inRange);
}

/**
 * exp(x) − 1 lane by lane (see the module comment). When both |x| < 0.34, k = 0 in both lanes
 * and the reduction would return the series of x unchanged (r = x, 2^0·p + 0 = p), so the series
 * alone gives the same bits: a lane's value never depends on the other lane.
 */
@inline export function expm1x2(x: v128): v128 {
  if (i64x2.all_true(f64x2.lt(f64x2.abs(x), c(15)))) return series(x);
  return expm1Reduced(x);
}

/** out[i] = expm1(x[i]) for i < count (count even; for tests of the vector routine). */
export function expm1Many(x: usize, out: usize, count: i32): void {
  for (let i = 0; i + 1 < count; i += 2) {
    const off = <usize>i << 3;
    v128.store(out + off, expm1x2(v128.load(x + off)));
  }
  if (count & 1) {
    const off = <usize>(count - 1) << 3;
    store<f64>(out + off, f64x2.extract_lane(expm1x2(f64x2.splat(load<f64>(x + off))), 0));
  }
}
