// xoshiro256** (Blackman & Vigna 2018): 256-bit state, period 2^256 − 1, passes BigCrush.
// The state lives in globals so the hot loops of the samplers inline `nextU64` without memory
// traffic. Seeding goes through SplitMix64 as the authors recommend, from (seed, stream) so that
// independent streams (one per Monte Carlo block, say) never depend on how work is split.

let s0: u64 = 0;
let s1: u64 = 0;
let s2: u64 = 0;
let s3: u64 = 0;

let splitState: u64 = 0;

/** Next SplitMix64 output (state set by `seedSplitMix` or `seedStream`). */
@inline export function splitMix64(): u64 {
  splitState += 0x9e3779b97f4a7c15;
  let z = splitState;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/**
 * Start SplitMix64 for (seed, stream) exactly as `seedStream` does (the stream mixed through a
 * round of its own, xored into the seed), for other generators seeded from the same pairs.
 */
export function seedSplitMix(seed: u64, stream: u64): void {
  // Mix the stream through one SplitMix round of its own so that seeds s and s+1 with streams
  // t and t−1 do not collide.
  splitState = stream;
  const streamMix = splitMix64();
  splitState = seed ^ streamMix;
}

/** Seed the generator for (seed, stream). Same pair → same sequence on every machine. */
export function seedStream(seed: u64, stream: u64): void {
  seedSplitMix(seed, stream);
  s0 = splitMix64();
  s1 = splitMix64();
  s2 = splitMix64();
  s3 = splitMix64();
}

/** Next 64 random bits. */
@inline export function nextU64(): u64 {
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

/** Uniform in [0, 1) with 53 random bits. */
@inline export function nextUniform(): f64 {
  return <f64>(nextU64() >> 11) * 1.1102230246251565e-16; // 2^-53
}

/** Uniform in (0, 1): never 0, so its logarithm is finite. */
@inline export function nextOpenUniform(): f64 {
  return (<f64>(nextU64() >> 12) + 0.5) * 2.220446049250313e-16; // 2^-52
}

// V8 keeps wasm globals in memory, so a step of `nextU64` is four loads and four stores that
// chain through store forwarding. Bulk fills therefore run the generator on locals and hand the
// state back (`loadState`/`saveState`) only around the rare calls that use the global API.
export let t0: u64 = 0;
export let t1: u64 = 0;
export let t2: u64 = 0;
export let t3: u64 = 0;

/** Copy the global state into t0..t3 for a caller that will run the generator on locals. */
@inline export function loadState(): void {
  t0 = s0; t1 = s1; t2 = s2; t3 = s3;
}

/** Make (a, b, c, d) the global state again. */
@inline export function saveState(a: u64, b: u64, c: u64, d: u64): void {
  s0 = a; s1 = b; s2 = c; s3 = d;
}

/** Fill `count` f64 at `out` with uniforms in [0, 1) from stream (seed, stream). */
export function fillUniforms(out: usize, count: i32, seed: u64, stream: u64): void {
  seedStream(seed, stream);
  loadState();
  let a = t0, b = t1, c = t2, d = t3;
  for (let i = 0; i < count; i++) {
    const result = rotl<u64>(b * 5, 7) * 9;
    const t = b << 17;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = rotl<u64>(d, 45);
    store<f64>(out + (<usize>i << 3), <f64>(result >> 11) * 1.1102230246251565e-16);
  }
  saveState(a, b, c, d);
}
