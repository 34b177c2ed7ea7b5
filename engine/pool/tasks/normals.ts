/**
 * `normals.moments`: count, sum and sum of squares of one block of standard normal draws — the
 * smallest block-parallel Monte Carlo task, used to prove that results do not depend on the
 * worker count and to benchmark the pool. Block `b` draws from stream `b` of the seed
 * (`blocks.ts`); the main side adds block sums in block order.
 */
import type { Kernels } from '../../kernels.ts';
import { checkCount, toSeed } from '../../kernels.ts';
import { AstraError, Messages } from '../../errors.ts';
import { blockRanges, blockStream } from '../blocks.ts';

/**
 * Draws per block. ~5 ms of kernel work on the project's machines, so a cancel takes effect
 * well within 50 ms. Part of the result's definition: changing it changes the numbers.
 */
export const NORMALS_BLOCK = 1_000_000;

/** One block: `count` draws from stream `block` of `seed`. */
export interface NormalsBlock {
  seed: number;
  block: number;
  count: number;
}

/** Moments of a set of draws. */
export interface Moments {
  count: number;
  sum: number;
  sumSquares: number;
}

/** Moments of the combined blocks, with the mean and the sample variance. */
export interface MomentsSummary extends Moments {
  mean: number;
  variance: number;
}

/** Worker side: draw one block into scratch memory and reduce it there (no copy out). */
export function normalsMoments(k: Kernels, arg: NormalsBlock): Moments {
  const { seed, block, count } = arg;
  checkCount('count', count);
  const s = toSeed(seed);
  const stream = toSeed(blockStream(block), 'block');
  k.reset();
  const ptr = k.allocF64(count);
  k.exports.fillNormals(ptr, count, s, stream);
  const x = k.f64(ptr, count); // after the last allocation: growing memory detaches views
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < count; i++) {
    const v = x[i];
    sum += v;
    sumSquares += v * v;
  }
  return { count, sum, sumSquares };
}

/** Main side: the blocks of `count` draws of `seed`. */
export function normalsMomentsBlocks(count: number, seed: number, blockSize = NORMALS_BLOCK): NormalsBlock[] {
  toSeed(seed); // refuse a bad seed here, before any worker is involved
  return blockRanges(count, blockSize).map((b) => ({ seed, block: b.block, count: b.count }));
}

/** Main side: add block moments in block order (the order they are given in — never completion order). */
export function combineMoments(blocks: readonly Moments[]): MomentsSummary {
  let count = 0;
  let sum = 0;
  let sumSquares = 0;
  for (const b of blocks) {
    count += b.count;
    sum += b.sum;
    sumSquares += b.sumSquares;
  }
  if (count < 2) throw new AstraError('BAD_SIZE', Messages.badSize('count', count, 'at least 2'));
  const mean = sum / count;
  return { count, sum, sumSquares, mean, variance: (sumSquares - count * mean * mean) / (count - 1) };
}
