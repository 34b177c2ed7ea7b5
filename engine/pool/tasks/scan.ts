/**
 * The pair scan on the engine pool: `pairs.scanBlock` scans one block of pairs (its columns travel
 * with it); `runScanOnPool` plans the blocks, hands them out and combines the answers in block
 * order. Every pair's figures depend on its two columns only, so the result is the one
 * `scanPairs` gives in one thread, bit for bit, at any worker count.
 */
import type { Kernels } from '../../kernels.ts';
import { combineScan, planScan, scanBlock, type ScanBlock, type ScanBlockResult, type ScanOptions, type ScanResult } from '../../pairs/scan.ts';
import type { BarTable } from '../../types.ts';
import type { Pool, TaskProgress } from '../pool.ts';
import type { EngineTasks } from './index.ts';

/** `pairs.scanBlock`: one block of pairs. */
export function scanBlockTask(k: Kernels, block: ScanBlock): ScanBlockResult {
  return scanBlock(k, block);
}

/** Options of {@link runScanOnPool}. */
export interface ScanRunOptions {
  /** What errors call the task (default `Scan`). */
  label?: string;
  /** Latest wins among scans with the same key. */
  key?: string;
  /** Cancels the run (between blocks). */
  signal?: AbortSignal;
  /** Blocks done, a fraction in [0, 1]. */
  progress?: (fraction: number) => void;
  /** How messages name the bars (a file, or the demo's label). */
  source?: string;
  /** ms for the whole scan; default the pool's. */
  timeLimitMs?: number;
}

/** The scan of {@link scanPairs} with its blocks on `pool`. */
export async function runScanOnPool(pool: Pool<EngineTasks>, bars: BarTable, options: ScanOptions = {}, run: ScanRunOptions = {}): Promise<ScanResult> {
  const plan = planScan(bars, options, run.source);
  const results = await pool.run({
    task: 'pairs.scanBlock',
    blocks: plan.blocks,
    label: run.label ?? 'Scan',
    key: run.key,
    signal: run.signal,
    timeLimitMs: run.timeLimitMs,
    // Every block is deterministic in its argument: a re-run after a worker crash gives the same answer.
    retries: 1,
    onProgress: (p: TaskProgress) => run.progress?.(p.fraction),
  });
  run.progress?.(1);
  return combineScan(plan, results, run.source);
}
