/**
 * Fixed-size blocks for block-parallel Monte Carlo.
 *
 * Work of `total` items is cut into blocks of `blockSize` items (the last one shorter). Block `b`
 * draws from random stream `b` of the task's seed: the kernels seed xoshiro256** from
 * (seed, stream) through SplitMix64, so streams are independent and a block's numbers depend only
 * on (seed, b, blockSize) — never on how many workers run the blocks or in what order they
 * finish. Combine block results in block order (the pool does) and the answer is bit-identical at
 * any worker count. The block size is part of a result's definition: changing it changes the
 * numbers, so each task fixes its own as a named constant.
 */
import { AstraError, Messages } from '../errors.ts';

/** One block: its index (= its random stream), first item and item count. */
export interface BlockRange {
  block: number;
  start: number;
  count: number;
}

/** Cut `total` items into blocks of `blockSize` (the last one shorter). */
export function blockRanges(total: number, blockSize: number): BlockRange[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new AstraError('BAD_SIZE', Messages.badSize('total', total, 'a non-negative integer'));
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new AstraError('BAD_SIZE', Messages.badSize('block size', blockSize, 'a positive integer'));
  const out: BlockRange[] = [];
  for (let block = 0, start = 0; start < total; block++, start += blockSize) {
    out.push({ block, start, count: Math.min(blockSize, total - start) });
  }
  return out;
}

/** The random stream of block `block`: the block index itself (see the module comment). */
export function blockStream(block: number): number {
  return block;
}
