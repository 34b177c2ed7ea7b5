/**
 * Seeded random draws from the wasm kernels: xoshiro256** seeded per (seed, stream) through
 * SplitMix64, and a 256-layer ziggurat for normals. The same (seed, stream) gives the same numbers
 * on every machine; different streams are independent, which is how Monte Carlo work is cut into
 * blocks that do not depend on how many workers run them (one stream per block).
 */
import type { KernelExports, Kernels } from '../kernels.ts';
import { checkCount, toSeed } from '../kernels.ts';

/**
 * `count` standard normal draws from stream (`seed`, `stream`).
 * @param seed, stream non-negative safe integers (`BAD_INPUT` otherwise).
 * @returns a new array of length `count` (0 ≤ count ≤ 2^28, `BAD_SIZE` otherwise).
 */
export function normals(k: Kernels, count: number, seed: number, stream = 0): Float64Array {
  return fill(k, k.exports.fillNormals, count, seed, stream);
}

/** `count` uniforms in [0, 1) from stream (`seed`, `stream`): 53 random bits each. */
export function uniforms(k: Kernels, count: number, seed: number, stream = 0): Float64Array {
  return fill(k, k.exports.fillUniforms, count, seed, stream);
}

function fill(k: Kernels, kernel: KernelExports['fillNormals'], count: number, seed: number, stream: number): Float64Array {
  checkCount('count', count);
  const s = toSeed(seed);
  const t = toSeed(stream, 'stream');
  k.reset();
  const out = k.allocF64(count);
  kernel(out, count, s, t);
  return k.takeF64(out, count);
}
