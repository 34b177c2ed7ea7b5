// Standard normal draws by the Marsaglia–Tsang ziggurat with 256 layers. About 99% of draws take
// the fast path: one 64-bit random number, one table lookup, one multiply and one compare.
// Layer i is the rectangle [0, X[i]] × [F[i], F[i+1]] under the unnormalised density exp(−x²/2).
import { nextU64, nextUniform, nextOpenUniform, seedStream, loadState, saveState, t0, t1, t2, t3 } from './xoshiro';

export const LAYERS = 256;
/** Right edge of the base layer; beyond it the tail is sampled exactly (Marsaglia 1964). */
export const TAIL_START: f64 = 3.6541528853610088;
/** Area of every layer (base layer includes the tail). */
const LAYER_AREA: f64 = 0.00492867323399;

// X[0..256] and F[0..256], 257 f64 each, in static memory so lookups are plain loads. XS holds
// X scaled by 2^-52 so the fast path turns 53 signed random bits into x with one multiply.
export const X: usize = memory.data((LAYERS + 1) * 8, 16);
const XS: usize = memory.data((LAYERS + 1) * 8, 16);
export const F: usize = memory.data((LAYERS + 1) * 8, 16);
const TWO_POW_M52: f64 = 2.220446049250313e-16;

@inline export function density(x: f64): f64 {
  return Math.exp(-0.5 * x * x);
}

function buildTables(): void {
  store<f64>(X, LAYER_AREA / density(TAIL_START));
  store<f64>(X + 8, TAIL_START);
  for (let i = 2; i < LAYERS; i++) {
    const prev = load<f64>(X + (<usize>(i - 1) << 3));
    store<f64>(X + (<usize>i << 3), Math.sqrt(-2.0 * Math.log(LAYER_AREA / prev + density(prev))));
  }
  store<f64>(X + (<usize>LAYERS << 3), 0.0);
  for (let i = 0; i <= LAYERS; i++) {
    store<f64>(F + (<usize>i << 3), density(load<f64>(X + (<usize>i << 3))));
    store<f64>(XS + (<usize>i << 3), load<f64>(X + (<usize>i << 3)) * TWO_POW_M52);
  }
}
buildTables();

/** Exact draw from the tail |x| > TAIL_START, on the side of `sign`. */
function tail(sign: f64): f64 {
  let x: f64 = 0;
  let y: f64 = 0;
  do {
    x = Math.log(nextOpenUniform()) / TAIL_START;
    y = Math.log(nextOpenUniform());
  } while (-2.0 * y < x * x);
  return sign < 0 ? x - TAIL_START : TAIL_START - x;
}

/** One standard normal draw from the generator's current stream. */
@inline export function nextNormal(): f64 {
  while (true) {
    const bits = nextU64();
    const i = <usize>(bits & 0xff);
    // Bits 11..63 as a signed integer, made odd so u = j·2^-52 lies in the open interval (−1, 1)
    // and is never 0 (the tail needs its sign). Bits 0..7 chose the layer: no bit is used twice.
    // Signed i64 → f64 is one instruction; unsigned needs a correction sequence on x86.
    const j = <f64>((<i64>bits >> 11) | 1);
    const x = j * load<f64>(XS + (i << 3));
    if (Math.abs(x) < load<f64>(X + ((i + 1) << 3))) return x;
    if (i == 0) return tail(x);
    const fHi = load<f64>(F + ((i + 1) << 3));
    const fLo = load<f64>(F + (i << 3));
    if (fHi + (fLo - fHi) * nextUniform() < density(x)) return x;
  }
  return 0; // unreachable; keeps the compiler's flow analysis happy
}

/** The slow part of a draw whose fast-path test failed: tail or wedge, then retries. */
function slowNormal(i: usize, x: f64): f64 {
  if (i == 0) return tail(x);
  const fHi = load<f64>(F + ((i + 1) << 3));
  const fLo = load<f64>(F + (i << 3));
  if (fHi + (fLo - fHi) * nextUniform() < density(x)) return x;
  return nextNormal();
}

/**
 * Fill `count` f64 at `out` with standard normals from stream (seed, stream). The same draws as
 * calling `nextNormal` `count` times; the fast path runs the generator on locals (see xoshiro.ts).
 */
export function fillNormals(out: usize, count: i32, seed: u64, stream: u64): void {
  seedStream(seed, stream);
  fillFromState(out, count);
}

/**
 * Fill `count` f64 at `out` with the next standard normals of the current stream (set by
 * `seedStream` or left by the previous fill). Consecutive fills continue one sequence: filling
 * a then b draws exactly what one fill of a + b would, so a kernel can draw a block's numbers
 * day by day (Monte Carlo paths) without holding them all.
 */
export function fillNormalsNext(out: usize, count: i32): void {
  fillFromState(out, count);
}

// One body for both fills, inlined into each so neither pays a call or loses an optimisation.
@inline function fillFromState(out: usize, count: i32): void {
  loadState();
  let a = t0, b = t1, c = t2, d = t3;
  const end = out + (<usize>count << 3);
  // Two draws per iteration: V8 checks for interrupts on every loop back-edge, which is a
  // measurable share of a 4 ns draw.
  let p = out;
  for (; p + 8 < end; p += 16) {
    let bits = rotl<u64>(b * 5, 7) * 9;
    let t = b << 17;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl<u64>(d, 45);
    let i = <usize>(<u32>bits & 0xff) << 3;
    let x = <f64>((<i64>bits >> 11) | 1) * load<f64>(XS + i);
    if (Math.abs(x) < load<f64>(X + i, 8)) {
      store<f64>(p, x);
    } else {
      saveState(a, b, c, d);
      store<f64>(p, slowNormal(i >> 3, x));
      loadState();
      a = t0; b = t1; c = t2; d = t3;
    }
    bits = rotl<u64>(b * 5, 7) * 9;
    t = b << 17;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl<u64>(d, 45);
    i = <usize>(<u32>bits & 0xff) << 3;
    x = <f64>((<i64>bits >> 11) | 1) * load<f64>(XS + i);
    if (Math.abs(x) < load<f64>(X + i, 8)) {
      store<f64>(p, x, 8);
    } else {
      saveState(a, b, c, d);
      store<f64>(p, slowNormal(i >> 3, x), 8);
      loadState();
      a = t0; b = t1; c = t2; d = t3;
    }
  }
  saveState(a, b, c, d);
  if (p < end) store<f64>(p, nextNormal());
}

/** Address of the layer edges X[0..256] (for the host's cross-checks). */
export function zigguratEdges(): usize {
  return X;
}
