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

/** One standard normal by the kernel's ziggurat. */
export function nextNormalTs(): number {
  for (;;) {
    const [h, l] = nextU64Pair();
    const i = l & 0xff;
    // Signed bits 11..63, made odd: (hi as i32)·2^21 + (lo >>> 11), then | 1.
    const j = (h | 0) * 2 ** 21 + ((l >>> 11) | 1);
    const x = j * 2 ** -52 * X[i];
    if (Math.abs(x) < X[i + 1]) return x;
    if (i === 0) {
      let tx = 0;
      let ty = 0;
      do {
        tx = Math.log(openUniformTs()) / TAIL_START;
        ty = Math.log(openUniformTs());
      } while (-2 * ty < tx * tx);
      return x < 0 ? tx - TAIL_START : TAIL_START - tx;
    }
    if (F[i + 1] + (F[i] - F[i + 1]) * uniformTs() < Math.exp(-0.5 * x * x)) return x;
  }
}

/** Fill with standard normals from stream (seed, stream): the kernel's algorithm in TypeScript. */
export function fillNormalsTs(out: Float64Array, seed: number, stream = 0): void {
  seedStreamTs(seed, stream);
  for (let i = 0; i < out.length; i++) out[i] = nextNormalTs();
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
 * (seed, block) — the same per-path sums in the same order, and `Math.expm1` for the kernel's
 * vector expm1. Results agree with the kernel to rounding (expm1 within ~1 ulp, and the ziggurat's
 * rare wedge tests use each side's own exp).
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
  const z = new Float64Array(n * stride);
  const s = new Float64Array(n * stride);
  const e = new Float64Array(n * stride);
  const pnl = new Float64Array(B);
  const worst = a.method === 'paths' ? new Float64Array(B).fill(Infinity) : null;
  const y = new Float64Array(n);
  seedStreamTs(a.seed, a.block);
  const days = a.method === 'paths' ? a.horizon : 1;
  const rootH = Math.sqrt(a.horizon);
  for (let d = 0; d < days; d++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < B; j++) z[i * stride + j] = nextNormalTs();
    for (let j = 0; j < B; j++) {
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let k = 0; k <= i; k++) acc += L[i * n + k] * z[k * stride + j];
        y[i] = acc;
      }
      let p = 0;
      for (let i = 0; i < n; i++) {
        const at = i * stride + j;
        let x: number;
        if (worst) {
          s[at] += mu[i] + y[i];
          x = s[at];
        } else {
          x = a.horizon * mu[i] + rootH * y[i];
        }
        e[at] = Math.expm1(x);
        p += N[i] * e[at];
      }
      pnl[j] = p;
      if (worst && p < worst[j]) worst[j] = p;
    }
  }
  return { terminal: pnl, worst, e, stride };
}
