/**
 * The pool over real `worker_threads`: determinism at 1, 2 and 4 workers, real crashes and hangs
 * (test-only tasks from `test-tasks.ts`, loaded into the workers by this file only), cancel of a
 * real run, and the market task through the pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { AstraError } from '../errors.ts';
import { CancelledError, TaskTimeoutError, WorkerCrashError } from './errors.ts';
import { createNodePool, defaultNodePoolSize } from './node.ts';
import type { Pool, WorkerExitEvent } from './pool.ts';
import { tasks as productionTasks } from './tasks/index.ts';
import type { EngineTasks } from './tasks/index.ts';
import { loadDemo } from './tasks/market.ts';
import { NORMALS_BLOCK, combineMoments, normalsMoments, normalsMomentsBlocks } from './tasks/normals.ts';
import type { Moments } from './tasks/normals.ts';
import type { TestTasks } from './test-tasks.ts';

const TEST_TASKS = new URL('./test-tasks.ts', import.meta.url);
type AllTasks = EngineTasks & TestTasks;

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

describe('Node pool: determinism', () => {
  const COUNT = 10_000_000;
  const SEED = 20_261_120;
  const blocks = normalsMomentsBlocks(COUNT, SEED);

  it('cuts 10^7 draws into fixed blocks, one random stream per block', () => {
    expect(blocks).toHaveLength(COUNT / NORMALS_BLOCK);
    expect(blocks.map((b) => b.block)).toEqual(blocks.map((_, i) => i));
    expect(blocks.every((b) => b.count === NORMALS_BLOCK && b.seed === SEED)).toBe(true);
  });

  it('gives bit-identical moments of 10^7 normals at 1, 2 and 4 workers, equal to one thread doing every block', async () => {
    // Reference: this thread runs the blocks itself, in order.
    const reference = blocks.map((b) => normalsMoments(k, b));
    const expected = combineMoments(reference);
    for (const size of [1, 2, 4]) {
      const pool = createNodePool({ size });
      try {
        const perBlock: Moments[] = await pool.run({ task: 'normals.moments', label: `moments at ${size}`, blocks });
        expect(perBlock, `per-block moments at ${size} workers`).toEqual(reference);
        const got = combineMoments(perBlock);
        expect(Object.is(got.sum, expected.sum) && Object.is(got.sumSquares, expected.sumSquares), `${size} workers`).toBe(true);
      } finally {
        await pool.dispose();
      }
    }
    // And they are standard normal moments: mean within 5 standard errors of 0, variance of 1.
    expect(Math.abs(expected.mean)).toBeLessThan(5 / Math.sqrt(COUNT));
    expect(Math.abs(expected.variance - 1)).toBeLessThan(5 * Math.sqrt(2 / COUNT));
  });
});

describe('Node pool: tasks', () => {
  let pool: Pool;
  beforeAll(() => {
    pool = createNodePool({ size: 2 });
  });
  afterAll(() => pool.dispose());

  it('sizes itself to every core, 1…8', () => {
    expect(defaultNodePoolSize()).toBeGreaterThanOrEqual(1);
    expect(defaultNodePoolSize()).toBeLessThanOrEqual(8);
  });

  it('runs the market task and returns what this thread computes', async () => {
    const snapshot = await pool.run({ task: 'market.demo', label: 'market', key: 'market' });
    const local = loadDemo(k, undefined, { readyMs: 0 });
    expect({ ...snapshot, timings: null }).toEqual({ ...local, timings: null });
    expect(snapshot.returns.values[0]).toBeInstanceOf(Float64Array);
    expect(snapshot.timings.readyMs).toBeGreaterThan(0);
  });

  it('brings a task error back with its code', async () => {
    const error = await pool.run({ task: 'normals.moments', label: 'moments', arg: { seed: -1, block: 0, count: 10 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AstraError);
    expect((error as AstraError).code).toBe('BAD_INPUT');
    expect((error as Error).message).toBe('seed must be a non-negative safe integer, got -1');
  });

  it('refuses an unknown task, naming the ones there are', async () => {
    await expect(pool.run({ task: 'no.such' as 'engine.ready', label: 'x' })).rejects.toThrow(
      `unknown engine task 'no.such' (tasks: ${Object.keys(productionTasks).join(', ')})`,
    );
  });

  it('keeps the test tasks out of the production table', () => {
    expect(Object.keys(productionTasks).filter((name) => name.startsWith('test.'))).toEqual([]);
  });

  // Timing on a shared 2-core machine is noisy: the structural checks are exact, the 50 ms bound
  // gets retries (measured 2–15 ms from cancel to idle on an unloaded machine, 8 runs).
  it('cancels a long run at once: no block starts after the cancel, the workers are idle within 50 ms', { retry: 2 }, async () => {
    const controller = new AbortController();
    let firstProgress: () => void = () => undefined;
    const progressed = new Promise<void>((r) => (firstProgress = r));
    const run = pool
      .run({
        task: 'normals.moments',
        label: 'moments',
        blocks: normalsMomentsBlocks(100_000_000, 1),
        signal: controller.signal,
        onProgress: () => firstProgress(),
      })
      .catch((e: unknown) => e);
    await progressed; // ~100 ms in: blocks are running on both workers
    const t0 = performance.now();
    controller.abort();
    const startedAtCancel = pool.stats.blocksStarted;
    expect(await run).toBeInstanceOf(CancelledError);
    const rejectedMs = performance.now() - t0;
    while (pool.stats.busy > 0) await new Promise((r) => setTimeout(r, 1));
    const idleMs = performance.now() - t0;
    expect(pool.stats.blocksStarted).toBe(startedAtCancel); // only the blocks already running finished
    expect(pool.stats).toMatchObject({ tasks: 0, queuedBlocks: 0 });
    expect(startedAtCancel).toBeLessThan(100);
    expect(rejectedMs).toBeLessThan(20);
    expect(idleMs).toBeLessThan(50);
  });
});

describe('Node pool: crashes and hangs (test-only tasks)', () => {
  let pool: Pool<AllTasks>;
  const exits: WorkerExitEvent[] = [];
  beforeAll(() => {
    pool = createNodePool<AllTasks>({ size: 2, taskModules: [TEST_TASKS], onWorkerExit: (e) => exits.push(e) });
  });
  afterAll(() => pool.dispose());

  it("fails only the task whose worker exited, names its label, and replaces the worker", async () => {
    const other = pool.run({ task: 'test.sleep', label: 'optimizer', arg: { ms: 300, value: 42 } });
    const error = await pool.run({ task: 'test.exit', label: 'VaR', arg: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect((error as WorkerCrashError).label).toBe('VaR');
    expect((error as Error).message).toBe('VaR failed: its engine worker crashed (the worker thread exited with code 7)');
    await expect(other).resolves.toBe(42);
    expect(exits.at(-1)).toMatchObject({ cause: 'crash', label: 'VaR', replaced: true });
    await expect(pool.run({ task: 'normals.moments', label: 'after', blocks: normalsMomentsBlocks(4_000_000, 3), combine: combineMoments })).resolves.toMatchObject({
      count: 4_000_000,
    });
  });

  it('attributes an uncaught asynchronous error to the task that caused it', async () => {
    const error = await pool.run({ task: 'test.throwLater', label: 'pairs', arg: 'kernel state corrupt' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect((error as Error).message).toBe('pairs failed: its engine worker crashed (kernel state corrupt)');
    await expect(pool.run({ task: 'engine.ready', label: 'ping' })).resolves.toBe('ready');
  });

  it('stops a worker stuck in a loop at the time limit and replaces it', async () => {
    const restarts = pool.stats.restarts;
    const error = await pool.run({ task: 'test.spin', label: 'scan', arg: Infinity, timeLimitMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(pool.stats.restarts).toBe(restarts + 1);
    expect(exits.at(-1)).toMatchObject({ cause: 'time-limit', label: 'scan', replaced: true });
    await expect(pool.run({ task: 'test.sleep', label: 'next', arg: { ms: 1, value: 5 } })).resolves.toBe(5);
  });
});
