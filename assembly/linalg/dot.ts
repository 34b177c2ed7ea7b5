// Dot products over contiguous f64 runs with wasm SIMD (two lanes) and two accumulators, which
// reassociates the sum: results match a plain loop to rounding, not bit for bit.

/** Σ a[k]·b[k] for k < len. */
@inline export function dot(a: usize, b: usize, len: i32): f64 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const off = <usize>k << 3;
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(a + off), v128.load(b + off)));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(a + off, 16), v128.load(b + off, 16)));
  }
  const acc = f64x2.add(acc0, acc1);
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; k < len; k++) {
    const off = <usize>k << 3;
    sum += load<f64>(a + off) * load<f64>(b + off);
  }
  return sum;
}

// Results of `dot4x2`: e<row><col>.
export let e00: f64 = 0;
export let e01: f64 = 0;
export let e10: f64 = 0;
export let e11: f64 = 0;
export let e20: f64 = 0;
export let e21: f64 = 0;
export let e30: f64 = 0;
export let e31: f64 = 0;

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * The eight dot products of rows a0..a3 with rows b0, b1 over len entries in one pass. Four rows
 * against two keeps 8 accumulators and 6 operands in the 16 vector registers of x86-64 and reads
 * each b vector once for four rows, which is what bounds the Cholesky inner loop.
 */
@inline export function dot4x2(a0: usize, a1: usize, a2: usize, a3: usize, b0: usize, b1: usize, len: i32): void {
  let s00 = f64x2.splat(0);
  let s01 = f64x2.splat(0);
  let s10 = f64x2.splat(0);
  let s11 = f64x2.splat(0);
  let s20 = f64x2.splat(0);
  let s21 = f64x2.splat(0);
  let s30 = f64x2.splat(0);
  let s31 = f64x2.splat(0);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const off = <usize>k << 3;
    const y0 = v128.load(b0 + off);
    const y1 = v128.load(b1 + off);
    const x0 = v128.load(a0 + off);
    s00 = f64x2.add(s00, f64x2.mul(x0, y0));
    s01 = f64x2.add(s01, f64x2.mul(x0, y1));
    const x1 = v128.load(a1 + off);
    s10 = f64x2.add(s10, f64x2.mul(x1, y0));
    s11 = f64x2.add(s11, f64x2.mul(x1, y1));
    const x2 = v128.load(a2 + off);
    s20 = f64x2.add(s20, f64x2.mul(x2, y0));
    s21 = f64x2.add(s21, f64x2.mul(x2, y1));
    const x3 = v128.load(a3 + off);
    s30 = f64x2.add(s30, f64x2.mul(x3, y0));
    s31 = f64x2.add(s31, f64x2.mul(x3, y1));
  }
  let r00 = hsum(s00), r01 = hsum(s01), r10 = hsum(s10), r11 = hsum(s11);
  let r20 = hsum(s20), r21 = hsum(s21), r30 = hsum(s30), r31 = hsum(s31);
  if (k < len) {
    const off = <usize>k << 3;
    const y0 = load<f64>(b0 + off);
    const y1 = load<f64>(b1 + off);
    const x0 = load<f64>(a0 + off);
    const x1 = load<f64>(a1 + off);
    const x2 = load<f64>(a2 + off);
    const x3 = load<f64>(a3 + off);
    r00 += x0 * y0; r01 += x0 * y1;
    r10 += x1 * y0; r11 += x1 * y1;
    r20 += x2 * y0; r21 += x2 * y1;
    r30 += x3 * y0; r31 += x3 * y1;
  }
  e00 = r00; e01 = r01; e10 = r10; e11 = r11;
  e20 = r20; e21 = r21; e30 = r30; e31 = r31;
}
