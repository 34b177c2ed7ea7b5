/**
 * The pool core with fake workers: scheduling, latest-wins, cancel, time limits, crash
 * attribution and replacement, giving up, progress throttling — no threads involved.
 */
import { describe, expect, it } from 'vitest';
import { AstraError } from '../errors.ts';
import { CancelledError, StaleRequestError, TaskTimeoutError, WorkerCrashError, serializeError } from './errors.ts';
import { Pool, clampPoolSize } from './pool.ts';
import type { PoolOptions, PoolWorker, WorkerExitEvent, WorkerHooks } from './pool.ts';
import type { BlockOutcome, TaskFn } from './protocol.ts';

/** Fake tasks: each block is `{ ms, value }` (answer `value` after `ms`), `hang`, or `fail`. */
type FakeArg = { ms?: number; value?: number; hang?: boolean; fail?: string };
type FakeTasks = { fake: TaskFn<FakeArg, number> };

interface Call {
  worker: number;
  arg: FakeArg;
  started: number;
  finish: (value: number) => void;
}

class FakeWorker implements PoolWorker {
  terminated = false;
  readonly calls: Call[] = [];
  constructor(
    readonly index: number,
    readonly serial: number,
    readonly hooks: WorkerHooks,
    readonly log: Call[],
  ) {}
  call(_task: string, arg: unknown): Promise<BlockOutcome> {
    const a = arg as FakeArg;
    return new Promise((resolve) => {
      const call: Call = { worker: this.serial, arg: a, started: Date.now(), finish: (value) => resolve({ ok: true, value }) };
      this.calls.push(call);
      this.log.push(call);
      if (a.hang) return;
      if (a.fail) {
        resolve({ ok: false, error: serializeError(new AstraError('BAD_INPUT', a.fail)) });
        return;
      }
      setTimeout(() => !this.terminated && call.finish(a.value ?? 0), a.ms ?? 0);
    });
  }
  terminate(): void {
    this.terminated = true;
  }
  /** What a real worker's uncaught error looks like to the pool. */
  crash(reason: string): void {
    this.hooks.crashed(reason);
  }
}

function fakePool(options: Partial<PoolOptions> & { size: number }) {
  const workers: FakeWorker[] = [];
  const log: Call[] = [];
  const exits: WorkerExitEvent[] = [];
  const pool = new Pool<FakeTasks>({
    spawn: (index, hooks) => {
      const w = new FakeWorker(index, workers.length, hooks, log);
      workers.push(w);
      return w;
    },
    onWorkerExit: (e) => exits.push(e),
    ...options,
  });
  /** The live worker currently running a block with this value. */
  const runningValue = (value: number) => workers.find((w) => !w.terminated && w.calls.some((c) => c.arg.value === value));
  return { pool, workers, log, exits, runningValue };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe('Pool: running tasks', () => {
  it('runs a single-block task and starts workers only when there is work', async () => {
    const { pool, workers } = fakePool({ size: 4 });
    expect(workers).toHaveLength(0);
    await expect(pool.run({ task: 'fake', label: 'one', arg: { value: 7 } })).resolves.toBe(7);
    expect(workers).toHaveLength(1);
    await pool.dispose();
  });

  it('starts `prewarm` workers at construction', async () => {
    const { pool, workers } = fakePool({ size: 4, prewarm: 2 });
    expect(workers).toHaveLength(2);
    await pool.dispose();
  });

  it('spreads blocks over at most `size` workers and combines answers in block order, not completion order', async () => {
    const { pool, workers, log } = fakePool({ size: 3 });
    // Later blocks finish first.
    const blocks = Array.from({ length: 9 }, (_, i) => ({ ms: 5 * (9 - i), value: i }));
    const order: number[] = [];
    const result = await pool.run({
      task: 'fake',
      label: 'blocks',
      blocks,
      combine: (answers) => {
        order.push(...answers);
        return answers.reduce((a, b) => a * 10 + b, 0);
      },
    });
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result).toBe(12345678);
    expect(workers).toHaveLength(3);
    expect(new Set(log.map((c) => c.worker)).size).toBe(3);
    await pool.dispose();
  });

  it('resolves the array of answers when no combine is given, and an empty task at once', async () => {
    const { pool, workers } = fakePool({ size: 2 });
    await expect(pool.run({ task: 'fake', label: 'x', blocks: [{ value: 1 }, { value: 2 }] })).resolves.toEqual([1, 2]);
    await expect(pool.run({ task: 'fake', label: 'x', blocks: [], combine: (r) => r.length })).resolves.toBe(0);
    expect(workers.length).toBeLessThanOrEqual(2);
    await pool.dispose();
  });

  it('hands out blocks round-robin across tasks, so a quick request is not stuck behind a long one', async () => {
    const { pool, log } = fakePool({ size: 1 });
    const long = pool.run({ task: 'fake', label: 'scan', blocks: Array.from({ length: 20 }, (_, i) => ({ ms: 2, value: 100 + i })) });
    const quick = pool.run({ task: 'fake', label: 'market', arg: { value: 1 } });
    await expect(quick).resolves.toBe(1);
    expect(log.findIndex((c) => c.arg.value === 1)).toBe(1); // right after the scan's first block
    await long;
    await pool.dispose();
  });

  it('passes a block error through with its code, fails only that task and keeps the worker', async () => {
    const { pool, workers, log } = fakePool({ size: 1 });
    const failing = pool.run({ task: 'fake', label: 'bad', blocks: [{ fail: 'seed must be …' }, { value: 2 }, { value: 3 }] });
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AstraError);
    expect((error as AstraError).code).toBe('BAD_INPUT');
    expect((error as Error).message).toBe('seed must be …');
    expect(log).toHaveLength(1); // the remaining blocks were never run
    await expect(pool.run({ task: 'fake', label: 'next', arg: { value: 4 } })).resolves.toBe(4);
    expect(workers).toHaveLength(1);
    expect(pool.stats.restarts).toBe(0);
    await pool.dispose();
  });

  it('rejects when combine throws', async () => {
    const { pool } = fakePool({ size: 1 });
    const run = pool.run({
      task: 'fake',
      label: 'x',
      blocks: [{ value: 1 }],
      combine: () => {
        throw new Error('combine broke');
      },
    });
    await expect(run).rejects.toThrow('combine broke');
    await pool.dispose();
  });

  it('refuses a bad size and a bad time limit', () => {
    expect(() => new Pool({ size: 0, spawn: () => ({}) as PoolWorker })).toThrow('pool size must be an integer from 1 to 64, got 0');
    const { pool } = fakePool({ size: 1 });
    return expect(pool.run({ task: 'fake', label: 'x', arg: {}, timeLimitMs: 0 })).rejects.toThrow('timeLimitMs must be');
  });

  it('clamps default sizes to 1…8', () => {
    expect([0, 1, 3, 8, 64, NaN].map(clampPoolSize)).toEqual([1, 1, 3, 8, 8, 1]);
  });
});

describe('Pool: starting workers', () => {
  /** Workers that answer `ready()` only when the test says so (or fail to start). */
  function gated() {
    const gates: { open: () => void; fail: (e: Error) => void }[] = [];
    const workers: FakeWorker[] = [];
    const log: Call[] = [];
    const pool = new Pool<FakeTasks>({
      size: 3,
      spawn: (index, hooks) => {
        const w = new FakeWorker(index, workers.length, hooks, log) as FakeWorker & { ready(): Promise<void> };
        const ready = new Promise<void>((open, fail) => gates.push({ open: () => open(), fail }));
        w.ready = () => ready;
        workers.push(w);
        return w;
      },
    });
    return { pool, gates, workers, log };
  }

  it('gives a starting worker no block, and starts no more workers than blocks are waiting', async () => {
    const { pool, gates, workers, log } = gated();
    const run = pool.run({ task: 'fake', label: 'x', blocks: [{ value: 1 }, { value: 2 }] });
    expect(workers).toHaveLength(2); // two blocks waiting, two workers starting (not three)
    expect(log).toHaveLength(0);
    gates[1].open();
    await expect(run).resolves.toEqual([1, 2]); // the first worker up runs both
    expect(workers[1].calls).toHaveLength(2);
    expect(workers[0].calls).toHaveLength(0);
    await pool.dispose();
  });

  it('counts a worker that fails to start as a crash', async () => {
    const { pool, gates, workers } = gated();
    const run = pool.run({ task: 'fake', label: 'x', arg: { value: 1 } });
    gates[0].fail(new Error('worker script failed to load'));
    await new Promise((r) => setTimeout(r, 0));
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    gates[1].open();
    await expect(run).resolves.toBe(1);
    await pool.dispose();
  });
});

describe('Pool: latest wins and cancel', () => {
  it('supersedes the unfinished task with the same key; its waiting blocks never run', async () => {
    const { pool, log } = fakePool({ size: 1 });
    const first = pool.run({ task: 'fake', label: 'VaR', key: 'var', blocks: Array.from({ length: 10 }, (_, i) => ({ ms: 5, value: i })) });
    await sleep(2);
    const second = pool.run({ task: 'fake', label: 'VaR', key: 'var', arg: { value: 99 } });
    const error = await first.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleRequestError);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as StaleRequestError).code).toBe('SUPERSEDED');
    expect((error as Error).message).toBe('VaR was superseded by a newer request');
    await expect(second).resolves.toBe(99);
    expect(log.map((c) => c.arg.value)).toEqual([0, 99]); // block 0 was running; 1…9 never ran
    await pool.dispose();
  });

  it('does not confuse tasks with different keys', async () => {
    const { pool } = fakePool({ size: 2 });
    const a = pool.run({ task: 'fake', label: 'a', key: 'a', arg: { ms: 5, value: 1 } });
    const b = pool.run({ task: 'fake', label: 'b', key: 'b', arg: { ms: 5, value: 2 } });
    await expect(Promise.all([a, b])).resolves.toEqual([1, 2]);
    await pool.dispose();
  });

  it('cancels through an AbortSignal at once: no block starts after it, the running ones are dropped', async () => {
    const { pool, log } = fakePool({ size: 2 });
    const controller = new AbortController();
    const run = settle(pool.run({ task: 'fake', label: 'scan', signal: controller.signal, blocks: Array.from({ length: 50 }, (_, i) => ({ ms: 10, value: i })) }));
    await sleep(25);
    const startedBefore = log.length;
    expect(pool.stats.blocksStarted).toBe(startedBefore);
    const t0 = performance.now();
    controller.abort();
    const outcome = await run;
    expect(performance.now() - t0).toBeLessThan(20); // at once, not after the running blocks (≥ 10 ms)
    expect(outcome.ok).toBe(false);
    expect((outcome as { error: unknown }).error).toBeInstanceOf(CancelledError);
    expect(String((outcome as { error: unknown }).error)).toContain('scan was cancelled');
    expect(pool.stats.queuedBlocks).toBe(0);
    await sleep(30); // the running blocks (≤ 10 ms) come back and are dropped
    expect(log.length).toBe(startedBefore);
    expect(pool.stats).toMatchObject({ busy: 0, tasks: 0 });
    await pool.dispose();
  });

  it('cancels by key, and rejects at once when the signal is already aborted', async () => {
    const { pool } = fakePool({ size: 1 });
    const run = pool.run({ task: 'fake', label: 'pairs', key: 'pairs', arg: { ms: 20, value: 1 } });
    expect(pool.cancel('pairs')).toBe(true);
    expect(pool.cancel('pairs')).toBe(false);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(pool.run({ task: 'fake', label: 'x', arg: {}, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
    await pool.dispose();
  });

  it('shuts down: pending tasks reject, workers are terminated, later runs reject', async () => {
    const { pool, workers } = fakePool({ size: 2 });
    const run = pool.run({ task: 'fake', label: 'VaR', blocks: [{ hang: true }, { hang: true }] });
    await sleep(1);
    await pool.dispose();
    await expect(run).rejects.toThrow('VaR was stopped: the engine was shut down');
    expect(workers.every((w) => w.terminated)).toBe(true);
    await expect(pool.run({ task: 'fake', label: 'later', arg: {} })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('Pool: progress', () => {
  /** A pool whose clock advances 30 ms each time a block finishes. */
  function clocked() {
    let clock = 0;
    const workers: FakeWorker[] = [];
    const pool = new Pool<FakeTasks>({
      size: 1,
      now: () => clock,
      spawn: (index, hooks) => {
        const w = new FakeWorker(index, workers.length, hooks, []);
        const call = w.call.bind(w);
        w.call = (task, arg) =>
          call(task, arg).then((outcome) => {
            clock += 30;
            return outcome;
          });
        workers.push(w);
        return w;
      },
    });
    return { pool };
  }

  it('reports once a task has run 100 ms, then at most every 100 ms, and at the end', async () => {
    const { pool } = clocked();
    const seen: [number, number, number][] = [];
    await pool.run({
      task: 'fake',
      label: 'scan',
      blocks: Array.from({ length: 10 }, (_, i) => ({ value: i })),
      onProgress: (p) => seen.push([p.done, p.total, p.elapsedMs]),
    });
    // Blocks end at 30, 60, …, 300 ms: the first report at 120 (≥ 100), the next ≥ 100 ms later at
    // 240, and the last block always.
    expect(seen).toEqual([
      [4, 10, 120],
      [8, 10, 240],
      [10, 10, 300],
    ]);
    await pool.dispose();
  });

  it('says nothing for a task shorter than 100 ms', async () => {
    const { pool } = clocked();
    const seen: number[] = [];
    await pool.run({ task: 'fake', label: 'quick', blocks: [{}, {}, {}], onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([]);
    await pool.dispose();
  });

  it('fails the task whose progress listener throws', async () => {
    const { pool } = clocked();
    const run = pool.run({
      task: 'fake',
      label: 'scan',
      blocks: Array.from({ length: 6 }, () => ({})),
      onProgress: () => {
        throw new Error('listener broke');
      },
    });
    await expect(run).rejects.toThrow('listener broke');
    await pool.dispose();
  });
});

describe('Pool: time limits', () => {
  it('stops a task past its time limit, terminates the worker running it and replaces it', async () => {
    const { pool, workers, exits } = fakePool({ size: 1 });
    const error = await pool.run({ task: 'fake', label: 'pair scan', arg: { hang: true }, timeLimitMs: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as TaskTimeoutError).code).toBe('TIMEOUT');
    expect((error as Error).message).toBe('pair scan did not finish within 30 ms and was stopped (its engine worker was replaced)');
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(exits).toEqual([expect.objectContaining({ worker: 0, cause: 'time-limit', label: 'pair scan', replaced: true, restarts: 1 })]);
    await expect(pool.run({ task: 'fake', label: 'next', arg: { value: 5 } })).resolves.toBe(5);
    expect(workers[1].calls).toHaveLength(1);
    await pool.dispose();
  });

  it('never fires for a task that finished in time', async () => {
    const { pool, workers, exits } = fakePool({ size: 1, defaultTimeLimitMs: 40 });
    await expect(pool.run({ task: 'fake', label: 'x', blocks: [{ ms: 10, value: 1 }, { ms: 10, value: 2 }] })).resolves.toEqual([1, 2]);
    await sleep(60);
    expect(exits).toEqual([]);
    expect(workers).toHaveLength(1);
    await pool.dispose();
  });

  it('replaces only the workers of the task that overran', async () => {
    const { pool, workers, runningValue } = fakePool({ size: 2 });
    const slow = settle(pool.run({ task: 'fake', label: 'slow', arg: { hang: true, value: 1 }, timeLimitMs: 30 }));
    const fine = pool.run({ task: 'fake', label: 'fine', arg: { ms: 50, value: 2 }, timeLimitMs: 1000 });
    await sleep(1);
    const fineWorker = runningValue(2)!;
    expect((await slow).ok).toBe(false);
    await expect(fine).resolves.toBe(2);
    expect(fineWorker.terminated).toBe(false);
    expect(workers.filter((w) => w.terminated)).toHaveLength(1);
    await pool.dispose();
  });
});

describe('Pool: crashes', () => {
  it("fails only the crashed worker's task, names its label, and replaces the worker", async () => {
    const { pool, workers, exits, runningValue } = fakePool({ size: 2 });
    const varTask = settle(pool.run({ task: 'fake', label: 'VaR', arg: { hang: true, value: 1 } }));
    const other = pool.run({ task: 'fake', label: 'optimizer', arg: { ms: 30, value: 2 } });
    await sleep(5);
    runningValue(1)!.crash('RangeError: out of memory');
    const outcome = await varTask;
    expect(outcome.ok).toBe(false);
    const error = (outcome as { error: unknown }).error as WorkerCrashError;
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect(error.message).toBe('VaR failed: its engine worker crashed (RangeError: out of memory)');
    expect(error.label).toBe('VaR');
    expect(error.code).toBe('WORKER_CRASH');
    await expect(other).resolves.toBe(2);
    expect(workers).toHaveLength(3);
    expect(workers.filter((w) => w.terminated)).toHaveLength(1);
    expect(exits).toEqual([{ worker: expect.any(Number), cause: 'crash', reason: 'RangeError: out of memory', label: 'VaR', replaced: true, restarts: 1 }]);
    await expect(pool.run({ task: 'fake', label: 'after', blocks: [{ value: 3 }, { value: 4 }] })).resolves.toEqual([3, 4]);
    await pool.dispose();
  });

  it('re-runs the crashed block on the new worker when the task allows retries', async () => {
    const { pool, workers } = fakePool({ size: 1 });
    const run = pool.run({ task: 'fake', label: 'market', arg: { ms: 5, value: 8 }, retries: 1 });
    workers[0].crash('boom'); // while its block runs
    await expect(run).resolves.toBe(8);
    expect(workers).toHaveLength(2);
    expect(workers[1].calls).toHaveLength(1);
    await pool.dispose();
  });

  it('replaces a worker that crashes while idle, failing nothing', async () => {
    const { pool, workers, exits } = fakePool({ size: 1, prewarm: 1 });
    workers[0].crash('boom');
    expect(exits).toEqual([expect.objectContaining({ label: null, replaced: true })]);
    expect(workers).toHaveLength(2);
    await expect(pool.run({ task: 'fake', label: 'x', arg: { value: 1 } })).resolves.toBe(1);
    await pool.dispose();
  });

  it('ignores late reports from a worker it already replaced', async () => {
    const { pool, workers, exits } = fakePool({ size: 1, prewarm: 1 });
    workers[0].crash('boom');
    workers[0].crash('boom again');
    expect(exits).toHaveLength(1);
    await pool.dispose();
  });

  it('gives up after repeated crashes: pending and later tasks reject, no more workers start', async () => {
    const { pool, workers, exits } = fakePool({ size: 1, maxCrashes: 3 });
    const run = settle(pool.run({ task: 'fake', label: 'market', arg: { hang: true }, retries: 10 }));
    for (let i = 0; i < 3; i++) {
      await sleep(1);
      workers[workers.length - 1].crash('cannot start');
    }
    const outcome = await run;
    const error = (outcome as { error: unknown }).error as WorkerCrashError;
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect(error.message).toBe(
      'market failed: the engine workers crashed 3 times within 30 s (last: cannot start), so they are no longer restarted',
    );
    expect(workers).toHaveLength(3);
    expect(exits.map((e) => e.replaced)).toEqual([true, true, false]);
    expect(pool.stats.broken).toBe('cannot start');
    await expect(pool.run({ task: 'fake', label: 'ping', arg: {} })).rejects.toThrow('ping failed: the engine workers crashed 3 times');
    expect(workers).toHaveLength(3);
    await pool.dispose();
  });

  it('gives up at once when a worker cannot even be created', async () => {
    const pool = new Pool<FakeTasks>({
      size: 2,
      spawn: () => {
        throw new Error("Failed to construct 'Worker': script URL is invalid");
      },
    });
    await expect(pool.run({ task: 'fake', label: 'market', arg: {} })).rejects.toThrow(
      "market failed: could not start an engine worker: Failed to construct 'Worker': script URL is invalid",
    );
    await pool.dispose();
  });
});
