/**
 * `pool`: block-parallel Monte Carlo through the engine pool — 10^8 standard normals reduced to
 * their moments (block = 10^6 draws, one random stream per block), on a 1-worker pool and on the
 * default Node pool (every core, at most 8). The row's baseline is the 1-worker time and its
 * median the all-workers time, so `ratio` is the speed-up (target ≥ 1.8× on 2 cores).
 * Runs alternate between the two pools so a noisy neighbour slows both alike, and the note gives
 * the cores the all-workers runs really got (process CPU time / wall time, all threads): on a
 * shared machine other processes take cores, and a speed-up measured on 1 core says nothing.
 */
import { availableParallelism } from 'node:os';
import { createNodePool, defaultNodePoolSize } from '../engine/pool/node.ts';
import type { Pool } from '../engine/pool/pool.ts';
import { combineMoments, normalsMomentsBlocks } from '../engine/pool/tasks/normals.ts';
import type { MomentsSummary } from '../engine/pool/tasks/normals.ts';
import { row, type BenchRow } from './harness.ts';

/** Target speed-up on a 2-core machine (shown, never asserted). */
export const POOL_TARGET_2_CORES = 1.8;

export async function benchPool(count = 100_000_000, rounds = 5): Promise<BenchRow[]> {
  const size = defaultNodePoolSize();
  const one = createNodePool({ size: 1 });
  const all = createNodePool({ size });
  const blocks = normalsMomentsBlocks(count, 1);
  const run = (pool: Pool) =>
    pool.run({ task: 'normals.moments', label: 'bench pool', blocks, combine: combineMoments, timeLimitMs: Infinity });
  let cpuMs = 0;
  const timed = async (pool: Pool, times: number[]): Promise<MomentsSummary> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await run(pool);
    times.push(performance.now() - t0);
    if (pool === all) {
      const cpu = process.cpuUsage(cpu0);
      cpuMs += (cpu.user + cpu.system) / 1000;
    }
    return result;
  };
  try {
    // Warm: start the workers, tier the code up.
    const [a, b] = [await run(one), await run(all)];
    const oneTimes: number[] = [];
    const allTimes: number[] = [];
    for (let i = 0; i < rounds; i++) {
      await timed(one, oneTimes);
      await timed(all, allTimes);
    }
    const identical = Object.is(a.sum, b.sum) && Object.is(a.sumSquares, b.sumSquares);
    const coresUsed = cpuMs / allTimes.reduce((x, y) => x + y, 0);
    const oneMs = median(oneTimes);
    const allMs = median(allTimes);
    const note =
      `ratio = speed-up (baseline = 1 worker, median = ${size} workers; target ≥ ${POOL_TARGET_2_CORES}x on 2 cores); ` +
      `${((allMs * 1e6) / count).toFixed(2)} ns/draw; results ${identical ? 'bit-identical' : 'DIFFER'} across worker counts; ` +
      `the ${size}-worker runs got ${coresUsed.toFixed(2)} of ${availableParallelism()} cores (CPU/wall)`;
    return [row('pool', `n=1e8 w=1→${size}`, allMs, oneMs, note)];
  } finally {
    await Promise.all([one.dispose(), all.dispose()]);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
