/**
 * Plain-TypeScript versions of the wasm kernels' algorithms. They are the benchmark's reference
 * ("how much does wasm buy us?") and an independent implementation the tests compare the kernels
 * against, bit for bit where the algorithm allows.
 *
 * JavaScript has no 64-bit integers outside BigInt (far too slow for a baseline), so the
 * generator works on (hi, lo) pairs of unsigned 32-bit halves.
 */

// Generator state as eight u32 halves: s0 = (h0, l0) … s3 = (h3, l3).
const st = new Uint32Array(8);

/** 64-bit add of (ah, al) + (bh, bl) → [hi, lo]. */
function add64(ah: number, al: number, bh: number, bl: number): [number, number] {
  const lo = (al + bl) >>> 0;
  const carry = lo < al ? 1 : 0;
  return [(ah + bh + carry) >>> 0, lo];
}

/** 64-bit multiply by a small constant k (k·x as Σ shifted copies is exact in u32 halves). */
function mulSmall(h: number, l: number, k: number): [number, number] {
  // Split l into 16-bit halves so every partial product stays below 2^53.
  const lLo = l & 0xffff;
  const lHi = l >>> 16;
  const p0 = lLo * k;
  const p1 = lHi * k + Math.floor(p0 / 65536);
  const lo = (((p1 & 0xffff) << 16) | (p0 & 0xffff)) >>> 0;
  const hi = (h * k + Math.floor(p1 / 65536)) >>> 0;
  return [hi, lo];
}

function rotl64(h: number, l: number, k: number): [number, number] {
  if (k === 32) return [l, h];
  if (k > 32) return rotl64(l, h, k - 32);
  return [((h << k) | (l >>> (32 - k))) >>> 0, ((l << k) | (h >>> (32 - k))) >>> 0];
}

/** xoshiro256** step on `st`: returns the output as [hi, lo]. */
export function nextU64Pair(): [number, number] {
  const [mh, ml] = mulSmall(st[2], st[3], 5);
  const [rh, rl] = rotl64(mh, ml, 7);
  const result = mulSmall(rh, rl, 9);
  // t = s1 << 17
  const th = ((st[2] << 17) | (st[3] >>> 15)) >>> 0;
  const tl = (st[3] << 17) >>> 0;
  st[4] ^= st[0]; st[5] ^= st[1]; // s2 ^= s0
  st[6] ^= st[2]; st[7] ^= st[3]; // s3 ^= s1
  st[2] ^= st[4]; st[3] ^= st[5]; // s1 ^= s2
  st[0] ^= st[6]; st[1] ^= st[7]; // s0 ^= s3
  st[4] ^= th; st[5] ^= tl; // s2 ^= t
  const [h3, l3] = rotl64(st[6], st[7], 45);
  st[6] = h3; st[7] = l3;
  return result;
}

const MASK64 = (1n << 64n) - 1n;

/** The first `count` outputs of SplitMix64 from `state` (BigInt: only used for seeding). */
export function splitMix64(state: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    out.push(z ^ (z >> 31n));
  }
  return out;
}

/** Seed like the kernel: SplitMix64 of the stream, xored into the seed, then four SplitMix64 outputs. */
export function seedStreamTs(seed: number, stream: number): void {
  const [streamMix] = splitMix64(BigInt(stream), 1);
  setStateTs(splitMix64(BigInt(seed) ^ streamMix, 4));
}

/** Set the raw state (for the published test vectors). */
export function setStateTs(words: readonly bigint[]): void {
  for (let i = 0; i < 4; i++) {
    st[2 * i] = Number(words[i] >> 32n);
    st[2 * i + 1] = Number(words[i] & 0xffffffffn);
  }
}

/** Uniforms in [0, 1) with the kernel's bit recipe: (x >> 11) · 2^-53. */
export function fillUniformsTs(out: Float64Array, seed: number, stream = 0): void {
  seedStreamTs(seed, stream);
  for (let i = 0; i < out.length; i++) {
    const [h, l] = nextU64Pair();
    out[i] = (h * 2 ** 21 + (l >>> 11)) * 2 ** -53;
  }
}

// Ziggurat tables, built exactly as the kernel builds them.
const LAYERS = 256;
const TAIL_START = 3.6541528853610088;
const LAYER_AREA = 0.00492867323399;
const X = new Float64Array(LAYERS + 1);
const F = new Float64Array(LAYERS + 1);
{
  const density = (x: number) => Math.exp(-0.5 * x * x);
  X[0] = LAYER_AREA / density(TAIL_START);
  X[1] = TAIL_START;
  for (let i = 2; i < LAYERS; i++) X[i] = Math.sqrt(-2 * Math.log(LAYER_AREA / X[i - 1] + density(X[i - 1])));
  X[LAYERS] = 0;
  for (let i = 0; i <= LAYERS; i++) F[i] = density(X[i]);
}

/** The ziggurat's layer edges, for cross-checking the kernel's tables. */
export const zigguratEdgesTs: Readonly<Float64Array> = X;

function uniformTs(): number {
  const [h, l] = nextU64Pair();
  return (h * 2 ** 21 + (l >>> 11)) * 2 ** -53;
}

function openUniformTs(): number {
  const [h, l] = nextU64Pair();
  return (h * 2 ** 20 + (l >>> 12) + 0.5) * 2 ** -52;
}

/** Exact draw from the tail beyond TAIL_START on the side of `sign` (Marsaglia 1964). */
function tailTs(sign: number, openUniform: () => number): number {
  let tx = 0;
  let ty = 0;
  do {
    tx = Math.log(openUniform()) / TAIL_START;
    ty = Math.log(openUniform());
  } while (-2 * ty < tx * tx);
  return sign < 0 ? tx - TAIL_START : TAIL_START - tx;
}

/** One standard normal by the kernel's ziggurat. */
export function nextNormalTs(): number {
  for (;;) {
    const [h, l] = nextU64Pair();
    const i = l & 0xff;
    // Signed bits 11..63, made odd: (hi as i32)·2^21 + (lo >>> 11), then | 1.
    const j = (h | 0) * 2 ** 21 + ((l >>> 11) | 1);
    const x = j * 2 ** -52 * X[i];
    if (Math.abs(x) < X[i + 1]) return x;
    if (i === 0) return tailTs(x, openUniformTs);
    if (F[i + 1] + (F[i] - F[i + 1]) * uniformTs() < Math.exp(-0.5 * x * x)) return x;
  }
}

/** Fill with standard normals from stream (seed, stream): the kernel's algorithm in TypeScript. */
export function fillNormalsTs(out: Float64Array, seed: number, stream = 0): void {
  seedStreamTs(seed, stream);
  for (let i = 0; i < out.length; i++) out[i] = nextNormalTs();
}

// ---- The Monte Carlo sampler (assembly/random/mcnormal.ts), in (hi, lo) u32 halves ----

/** Three xoshiro256++ states (vector lanes 0 and 1, then the helper), eight u32 halves each. */
const mcState = [new Uint32Array(8), new Uint32Array(8), new Uint32Array(8)];
/** Draws of the current group of four not yet handed out. */
let mcGroup: number[] = [];

/** xoshiro256++ step on one state: returns the output as [hi, lo]. */
function xoshiroPlusPlus(q: Uint32Array): [number, number] {
  const [sh, sl] = add64(q[0], q[1], q[6], q[7]);
  const [rh, rl] = rotl64(sh, sl, 23);
  const result = add64(rh, rl, q[0], q[1]);
  const th = ((q[2] << 17) | (q[3] >>> 15)) >>> 0;
  const tl = (q[3] << 17) >>> 0;
  q[4] ^= q[0]; q[5] ^= q[1];
  q[6] ^= q[2]; q[7] ^= q[3];
  q[2] ^= q[4]; q[3] ^= q[5];
  q[0] ^= q[6]; q[1] ^= q[7];
  q[4] ^= th; q[5] ^= tl;
  const [h3, l3] = rotl64(q[6], q[7], 45);
  q[6] = h3; q[7] = l3;
  return result;
}

/** Seed like the kernel's `mcSeedStream`: twelve SplitMix64 outputs after the stream mix. */
export function mcSeedStreamTs(seed: number, stream: number): void {
  const [streamMix] = splitMix64(BigInt(stream), 1);
  const words = splitMix64(BigInt(seed) ^ streamMix, 12);
  for (let g = 0; g < 3; g++) {
    for (let i = 0; i < 4; i++) {
      mcState[g][2 * i] = Number(words[4 * g + i] >> 32n);
      mcState[g][2 * i + 1] = Number(words[4 * g + i] & 0xffffffffn);
    }
  }
  mcGroup = [];
}

const helper = () => xoshiroPlusPlus(mcState[2]);
const helperUniform = () => { const [h, l] = helper(); return (h * 2 ** 21 + (l >>> 11)) * 2 ** -53; };
const helperOpenUniform = () => { const [h, l] = helper(); return (h * 2 ** 20 + (l >>> 12) + 0.5) * 2 ** -52; };

/** One draw from a 32-bit half `w` (as a signed i32): the fast test, else the helper finishes it. */
function mcHalf(w: number): number {
  let i = w & 0xff;
  let x = ((w >> 8) | 1) * 2 ** -23 * X[i];
  if (Math.abs(x) < X[i + 1]) return x;
  for (;;) {
    if (i === 0) return tailTs(x, helperOpenUniform);
    if (F[i + 1] + (F[i] - F[i + 1]) * helperUniform() < Math.exp(-0.5 * x * x)) return x;
    const [h] = helper();
    i = h & 0xff;
    x = (((h | 0) >> 8) | 1) * 2 ** -23 * X[i];
    if (Math.abs(x) < X[i + 1]) return x;
  }
}

/**
 * The next group of four draws (lane 0 low, lane 0 high, lane 1 low, lane 1 high), each finished in
 * that order — the kernel defers misses to the end of a chunk, which reads the helper in this order.
 */
function mcNextGroup(): number[] {
  const [h0, l0] = xoshiroPlusPlus(mcState[0]);
  const [h1, l1] = xoshiroPlusPlus(mcState[1]);
  return [mcHalf(l0 | 0), mcHalf(h0 | 0), mcHalf(l1 | 0), mcHalf(h1 | 0)];
}

/** Fill `out` like the kernel's `mcFillNormals` over `count` values: ⌈count/4⌉ groups of four. */
export function mcFillNormalsTs(out: Float64Array, offset: number, count: number): void {
  for (let j = 0; j < count; j += 4) {
    const g = mcNextGroup();
    for (let l = 0; l < 4 && j + l < count; l++) out[offset + j + l] = g[l];
  }
}

/** Textbook row-oriented Cholesky (the kernel's order, without blocking or SIMD). */
export function choleskyTs(a: Float64Array, n: number): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}

/**
 * Sample mean and covariance of asset-major n×T returns (`x[i·T + t]`), the kernel's algorithm
 * without SIMD or blocking: means, then one dot product of centred rows per entry of the lower
 * triangle, divided by T − 1 and mirrored.
 */
export function covarianceTs(x: Float64Array, n: number, T: number): { mean: Float64Array; cov: Float64Array } {
  const mean = new Float64Array(n);
  const c = new Float64Array(n * T);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += x[i * T + t];
    mean[i] = s / T;
    for (let t = 0; t < T; t++) c[i * T + t] = x[i * T + t] - mean[i];
  }
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += c[i * T + t] * c[j * T + t];
      cov[i * n + j] = cov[j * n + i] = s / (T - 1);
    }
  }
  return { mean, cov };
}

/**
 * One Monte Carlo VaR block in plain TypeScript: the kernel's algorithm (engine/risk/montecarlo.ts,
 * assembly/risk/montecarlo.ts) with the same draws in the same order — day, asset, path from stream
 * (seed, block) of the Monte Carlo sampler (`mcFillNormalsTs`, each row ⌈count/4⌉ groups of four) —
 * and the same per-path sums in the same order. Both methods run the antithetic pairs as the kernel
 * lays them out (base path j < half draws, path half + j uses −z); the paths method with
 * `Math.exp(μ ± y)` for the kernel's series, the terminal method with `Math.expm1`. Results agree with the kernel to
 * rounding (the ziggurat's rare wedge tests use each side's own exp).
 * @returns the block's P&L at the horizon, each path's lowest P&L over the days (paths method),
 *   and E = expm1(S) at the horizon, n rows of `stride` = paths rounded up to 4 (as the kernel).
 */
export function monteCarloBlockTs(a: {
  method: 'paths' | 'terminal';
  seed: number;
  block: number;
  paths: number;
  horizon: number;
  n: number;
  lower: ArrayLike<number>;
  drift: ArrayLike<number>;
  notionals: ArrayLike<number>;
}): { terminal: Float64Array; worst: Float64Array | null; e: Float64Array; stride: number } {
  const { n, paths: B, lower: L, drift: mu, notionals: N } = a;
  const stride = (B + 3) & ~3;
  const e = new Float64Array(n * stride);
  const pnl = new Float64Array(stride);
  const y = new Float64Array(n);
  const shock = (z: Float64Array, zStride: number, j: number) => {
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = 0; k <= i; k++) acc += L[i * n + k] * z[k * zStride + j];
      y[i] = acc;
    }
  };
  mcSeedStreamTs(a.seed, a.block);
  const half = stride / 2;
  if (a.method === 'terminal') {
    const z = new Float64Array(n * half);
    for (let i = 0; i < n; i++) mcFillNormalsTs(z, i * half, half);
    const rootH = Math.sqrt(a.horizon);
    for (let j = 0; j < half; j++) {
      shock(z, half, j);
      for (const [col, sign] of [[j, 1], [half + j, -1]]) {
        let p = 0;
        for (let i = 0; i < n; i++) {
          e[i * stride + col] = Math.expm1(a.horizon * mu[i] + rootH * (sign * y[i]));
          p += N[i] * e[i * stride + col];
        }
        pnl[col] = p;
      }
    }
    return { terminal: pnl.slice(0, B), worst: null, e, stride };
  }
  const z = new Float64Array(n * half);
  const g = new Float64Array(n * stride).fill(1);
  const worst = new Float64Array(stride).fill(Infinity);
  for (let d = 0; d < a.horizon; d++) {
    for (let i = 0; i < n; i++) mcFillNormalsTs(z, i * half, half);
    for (let j = 0; j < half; j++) {
      shock(z, half, j);
      for (const [col, sign] of [[j, 1], [half + j, -1]]) {
        let p = 0;
        for (let i = 0; i < n; i++) {
          const at = i * stride + col;
          g[at] *= Math.exp(mu[i] + sign * y[i]);
          e[at] = g[at] - 1;
          p += N[i] * e[at];
        }
        pnl[col] = p;
        if (p < worst[col]) worst[col] = p;
      }
    }
  }
  return { terminal: pnl.slice(0, B), worst: worst.slice(0, B), e, stride };
}
