// Standard normals for the Monte Carlo kernels only (the demo market and `fillNormals` keep the
// 53-bit ziggurat of ziggurat.ts: changing it would change every golden figure).
//
// Generator: two xoshiro256++ generators (Blackman & Vigna 2018, "Scrambled linear pseudorandom
// number generators") in the two i64 lanes of a v128: one step is ten vector operations, no
// multiply, and gives 128 bits. Each 64-bit output is cut in two 32-bit halves and each half makes
// one normal by the 256-layer Marsaglia–Tsang ziggurat (Marsaglia & Tsang 2000, J. Stat. Software
// 5(8); the same layers as ziggurat.ts): bits 0–7 of the half pick the layer, bits 8–31 (signed)
// the position, so no bit is used twice (Doornik 2005's objection to the original 32-bit RNOR,
// which reused the layer bits). The position has 23 bits of magnitude, so within layer i the
// draws lie on a grid of X[i]·2⁻²³ (≤ 4.7e-7 σ) instead of 2⁻⁵² — far finer than any quantile
// 10⁷ draws can resolve (their standard error is > 1e-4 σ).
//
// A step gives four draws: lane 0 low half, lane 0 high, lane 1 low, lane 1 high. The fast path
// (98.5% of draws: x inside its layer's rectangle) is four table gathers and vector arithmetic; the
// hot loop only notes which lanes of a group missed, without a branch, and the misses are finished
// after each chunk, in order, by a third, scalar xoshiro256++ (the "helper"): the exact wedge test with a fresh
// uniform, the exact tail (Marsaglia 1964), and on rejection a fresh draw by the same ziggurat from
// the helper's high half. Every output position takes exactly one 32-bit half of the vector
// stream, and each output is an exact draw of the ziggurat whatever its neighbours did.
//
// Seeding from (seed, stream): SplitMix64 started as `seedStream` starts it; its next twelve
// outputs are lane 0's four state words, lane 1's and the helper's.
import { seedSplitMix, splitMix64 } from './xoshiro';
import { F, LAYERS, TAIL_START, X, density } from './ziggurat';

const TWO_POW_M23: f64 = 1.1920928955078125e-7;

// The layers X[0..256] and densities F = f(X) are ziggurat.ts's; XS = X·2⁻²³, so that a signed
// 24-bit position times XS[i] is x.
const XS: usize = memory.data((LAYERS + 1) * 8, 16);
for (let i = 0; i <= LAYERS; i++) store<f64>(XS + (<usize>i << 3), load<f64>(X + (<usize>i << 3)) * TWO_POW_M23);

// Vector state (lane 0, lane 1) and the helper's, in globals between fills; fills run on locals.
let va: v128 = i64x2.splat(0);
let vb: v128 = i64x2.splat(0);
let vc: v128 = i64x2.splat(0);
let vd: v128 = i64x2.splat(0);
let h0: u64 = 0;
let h1: u64 = 0;
let h2: u64 = 0;
let h3: u64 = 0;

/** Seed the Monte Carlo sampler for (seed, stream). */
export function mcSeedStream(seed: u64, stream: u64): void {
  seedSplitMix(seed, stream);
  const a0 = splitMix64(), b0 = splitMix64(), c0 = splitMix64(), d0 = splitMix64();
  const a1 = splitMix64(), b1 = splitMix64(), c1 = splitMix64(), d1 = splitMix64();
  va = i64x2.replace_lane(i64x2.splat(a0), 1, a1);
  vb = i64x2.replace_lane(i64x2.splat(b0), 1, b1);
  vc = i64x2.replace_lane(i64x2.splat(c0), 1, c1);
  vd = i64x2.replace_lane(i64x2.splat(d0), 1, d1);
  h0 = splitMix64(); h1 = splitMix64(); h2 = splitMix64(); h3 = splitMix64();
}

/** The helper's next 64 bits (xoshiro256++). */
@inline function helperU64(): u64 {
  const result = rotl<u64>(h0 + h3, 23) + h0;
  const t = h1 << 17;
  h2 ^= h0; h3 ^= h1; h1 ^= h2; h0 ^= h3; h2 ^= t;
  h3 = rotl<u64>(h3, 45);
  return result;
}

/** Uniform in [0, 1), 53 bits of the helper. */
@inline function helperUniform(): f64 {
  return <f64>(helperU64() >> 11) * 1.1102230246251565e-16;
}

/** Uniform in (0, 1), never 0. */
@inline function helperOpenUniform(): f64 {
  return (<f64>(helperU64() >> 12) + 0.5) * 2.220446049250313e-16;
}

/** Exact draw from the tail |x| > TAIL_START on the side of `sign`. */
function tail(sign: f64): f64 {
  let x: f64 = 0;
  let y: f64 = 0;
  do {
    x = Math.log(helperOpenUniform()) / TAIL_START;
    y = Math.log(helperOpenUniform());
  } while (-2.0 * y < x * x);
  return sign < 0 ? x - TAIL_START : TAIL_START - x;
}

/** Finish a draw x in layer i whose rectangle test failed: tail, wedge, else a fresh helper draw. */
function finish(i: i32, x: f64): f64 {
  while (true) {
    if (i == 0) return tail(x);
    const fHi = load<f64>(F + (<usize>(i + 1) << 3));
    const fLo = load<f64>(F + (<usize>i << 3));
    if (fHi + (fLo - fHi) * helperUniform() < density(x)) return x;
    // Rejected: a new draw from the helper's high half, by the same ziggurat.
    const h = <i32>(helperU64() >> 32);
    i = h & 255;
    x = <f64>((h >> 8) | 1) * load<f64>(XS + (<usize>i << 3));
    if (Math.abs(x) < load<f64>(X + (<usize>(i + 1) << 3))) return x;
  }
  return 0; // unreachable
}

// Groups whose fast test failed in the current chunk: the group's four layer offsets, and its
// offset in the chunk with the missed lanes as four bits above it. The hot loop only records them
// (no call in it, so V8 keeps the state in registers); they are finished after the chunk, in
// order, so the helper is read in the same order as if each draw were finished on the spot.
const CHUNK_GROUPS = 1024;
const PENDING: usize = memory.data(CHUNK_GROUPS * 16, 16);
const PENDING_AT: usize = memory.data(CHUNK_GROUPS * 4, 16);
// Vector constants, read with load64_splat (V8 rebuilds v128 immediates at every use).
const CONST: usize = memory.data<u64>([0x000000ff000000ff, 0x0000000100000001], 16);

/**
 * Write the next ⌈count/4⌉·4 normals of the current stream at `out` (a whole number of groups of
 * four: a row of p paths takes ⌈p/4⌉ groups, and the values past p are drawn and left as padding).
 * Consecutive fills continue one sequence.
 */
export function mcFillNormals(out: usize, count: i32): void {
  let a = va, b = vb, c = vc, d = vd;
  const end = out + (<usize>count << 3);
  for (let chunk = out; chunk < end; chunk += CHUNK_GROUPS * 32) {
    const chunkEnd = min(end, chunk + CHUNK_GROUPS * 32);
    let pending: usize = 0;
    for (let p = chunk; p < chunkEnd; p += 32) {
      // xoshiro256++ on both lanes: rotl(a + d, 23) + a, then the linear state update.
      const sum = i64x2.add(a, d);
      const r = i64x2.add(v128.or(i64x2.shl(sum, 23), i64x2.shr_u(sum, 41)), a);
      const t = i64x2.shl(b, 17);
      c = v128.xor(c, a); d = v128.xor(d, b); b = v128.xor(b, c); a = v128.xor(a, d); c = v128.xor(c, t);
      d = v128.or(i64x2.shl(d, 45), i64x2.shr_u(d, 19));
      // Four 32-bit halves: layer byte offsets and odd signed positions.
      const idx = i32x4.shl(v128.and(r, v128.load64_splat(CONST)), 3);
      const j = v128.or(i32x4.shr_s(r, 8), v128.load64_splat(CONST, 8));
      const i0 = <usize>i32x4.extract_lane(idx, 0), i1 = <usize>i32x4.extract_lane(idx, 1);
      const i2 = <usize>i32x4.extract_lane(idx, 2), i3 = <usize>i32x4.extract_lane(idx, 3);
      const s01 = v128.load64_lane(XS + i1, v128.load64_splat(XS + i0), 1);
      const s23 = v128.load64_lane(XS + i3, v128.load64_splat(XS + i2), 1);
      const e01 = v128.load64_lane(X + i1 + 8, v128.load64_splat(X + i0 + 8), 1);
      const e23 = v128.load64_lane(X + i3 + 8, v128.load64_splat(X + i2 + 8), 1);
      const x01 = f64x2.mul(f64x2.convert_low_i32x4_s(j), s01);
      const x23 = f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(j, j, 2, 3, 2, 3)), s23);
      v128.store(p, x01);
      v128.store(p, x23, 16);
      // Lanes whose rectangle test failed, as four bits. The group is written to the pending list
      // every time and kept only when a bit is set: no branch, since a mispredicted one here cost
      // more than the whole fast path of the group.
      const ok = i64x2.bitmask(f64x2.lt(f64x2.abs(x01), e01)) | (i64x2.bitmask(f64x2.lt(f64x2.abs(x23), e23)) << 2);
      const missed = ok ^ 15;
      v128.store(PENDING + (pending << 4), idx);
      store<u32>(PENDING_AT + (pending << 2), <u32>(p - chunk) | (missed << 16));
      pending += <usize>(missed != 0);
    }
    for (let g: usize = 0; g < pending; g++) {
      const at = load<u32>(PENDING_AT + (g << 2));
      const p = chunk + <usize>(at & 0xffff);
      // The missed lanes, in order (lane 0 low, lane 0 high, lane 1 low, lane 1 high).
      for (let missed = at >> 16; missed != 0; missed &= missed - 1) {
        const lane = ctz(missed);
        const q = p + (<usize>lane << 3);
        const layer = load<i32>(PENDING + (g << 4) + (<usize>lane << 2));
        store<f64>(q, finish(layer >> 3, load<f64>(q)));
      }
    }
  }
  va = a; vb = b; vc = c; vd = d;
}

/** Fill `count` (rounded up to 4) normals at `out` from stream (seed, stream). */
export function mcNormals(out: usize, count: i32, seed: u64, stream: u64): void {
  mcSeedStream(seed, stream);
  mcFillNormals(out, count);
}
