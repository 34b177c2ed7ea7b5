/**
 * The browser engine pool as the app uses it (web/main.ts): Worker look-alikes whose other end is
 * a Comlink-exposed `WorkerApi` in this thread, so the browser adapter (`web/workers/pool.ts`) is
 * exercised as in the page — Comlink calls, `error` events, terminate. The pool's own rules are
 * tested in engine/pool/; these check the adapter and the options main.ts relies on.
 */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { AstraError } from '../../engine/errors.ts';
import { serializeError } from '../../engine/pool/errors.ts';
import type { BlockOutcome, WorkerApi } from '../../engine/pool/protocol.ts';
import { StaleRequestError, TaskTimeoutError, WorkerCrashError } from '../../engine/pool/errors.ts';
import type { WorkerExitEvent } from '../../engine/pool/pool.ts';
import type { MarketSnapshot } from './protocol.ts';
import { canShareMemory, createBrowserPool, defaultBrowserPoolSize, type BrowserPoolOptions } from './pool.ts';

type Handler = (task: string, arg: unknown) => unknown;

/** A Worker look-alike serving `handler` through Comlink, like `engine.worker.ts` does. */
class FakeWorker extends EventTarget {
  terminated = false;
  readonly tasks: string[] = [];
  readonly #port: MessagePort;
  constructor(handler: Handler) {
    super();
    const { port1, port2 } = new MessageChannel();
    const api: WorkerApi = {
      alive: () => true,
      run: async (task, arg): Promise<BlockOutcome> => {
        this.tasks.push(task);
        try {
          return { ok: true, value: await handler(task, arg) };
        } catch (e) {
          return { ok: false, error: serializeError(e) };
        }
      },
    };
    Comlink.expose(api, port2);
    port1.addEventListener('message', (e) => this.dispatchEvent(new MessageEvent('message', { data: (e as MessageEvent).data })));
    port1.start();
    this.#port = port1;
  }
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.#port.postMessage(message, transfer as never);
  }
  terminate(): void {
    this.terminated = true;
    this.#port.close();
  }
  /** What a real worker's uncaught error looks like from the outside. Returns whether it was handled. */
  crash(message: string): boolean {
    const event = Object.assign(new Event('error', { cancelable: true }), { message });
    this.dispatchEvent(event);
    return event.defaultPrevented;
  }
}

const snapshot = (asOf: string) => ({ asOf }) as unknown as MarketSnapshot;
const never = () => new Promise<never>(() => undefined);
const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** Workers with handlers in order (the last one repeats). */
function fleet(handlers: Handler[]) {
  const workers: FakeWorker[] = [];
  const create = () => {
    const w = new FakeWorker(handlers[Math.min(workers.length, handlers.length - 1)]);
    workers.push(w);
    return w as unknown as Worker;
  };
  return { workers, create };
}

/** A pool of one fake worker at a time, as main.ts builds it. */
function poolOf(create: () => Worker, options: Omit<BrowserPoolOptions, 'createWorker'> = {}) {
  return createBrowserPool({ size: 1, ...options, createWorker: () => create() });
}

/** The market load as main.ts runs it: latest wins per key, two re-runs after a crash. */
const market = { task: 'market.demo', label: 'market', key: 'market', retries: 2 } as const;

describe('the browser pool over Web Workers', () => {
  it('runs market.demo and engine.ready on a worker', async () => {
    const { workers, create } = fleet([(task) => (task === 'market.demo' ? snapshot('2026-11-20') : 'ready')]);
    const pool = poolOf(create);
    await expect(pool.run(market)).resolves.toEqual({ asOf: '2026-11-20' });
    await expect(pool.run({ task: 'engine.ready', label: 'engine', key: 'ping' })).resolves.toBe('ready');
    expect(workers[0].tasks).toEqual(['market.demo', 'engine.ready']);
    await pool.dispose();
  });

  it('drops a stale answer: the latest request of a key wins', async () => {
    let n = 0;
    const { create } = fleet([async () => snapshot(`answer ${++n}`)]);
    const pool = poolOf(create);
    const first = pool.run(market);
    const second = pool.run(market);
    await expect(first).rejects.toBeInstanceOf(StaleRequestError);
    await expect(second).resolves.toEqual({ asOf: 'answer 1' }); // the first never reached the worker
    await pool.dispose();
  });

  it('stops a load whose AbortSignal fires (what Computation does to a superseded run)', async () => {
    const { create } = fleet([never]);
    const pool = poolOf(create);
    const abort = new AbortController();
    const run = pool.run({ ...market, signal: abort.signal });
    abort.abort();
    await expect(run).rejects.toThrow();
    await pool.dispose();
  });

  it('replaces a crashed worker, re-runs the block that was in flight and reports the exit', async () => {
    const exits: WorkerExitEvent[] = [];
    const { workers, create } = fleet([never, () => snapshot('from worker 2')]);
    const pool = poolOf(create, { onWorkerExit: (e) => exits.push(e) });
    const pending = pool.run(market);
    await tick();
    expect(workers[0].crash('boom')).toBe(true); // handled: not reported again as a page error
    await expect(pending).resolves.toEqual({ asOf: 'from worker 2' });
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(pool.stats.restarts).toBe(1);
    expect(exits.map((e) => [e.reason, e.restarts, e.replaced, e.label])).toEqual([['boom', 1, true, 'market']]);
    await pool.dispose();
  });

  it('gives up after the retries when every worker crashes, naming the task', async () => {
    const { workers, create } = fleet([never]);
    const pool = poolOf(create);
    const outcome = pool.run({ ...market, retries: 1 }).catch((e: unknown) => e);
    for (let i = 0; i < 2; i++) {
      await tick();
      workers[workers.length - 1].crash(`crash ${i + 1}`);
    }
    const error = await outcome;
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect((error as Error).message).toBe('market failed: its engine worker crashed (crash 2)');
    await pool.dispose();
  });

  it('stops a task that overruns its time limit and replaces the hung worker', async () => {
    const exits: WorkerExitEvent[] = [];
    const { workers, create } = fleet([never, () => snapshot('after the hang')]);
    const pool = poolOf(create, { onWorkerExit: (e) => exits.push(e), defaultTimeLimitMs: 30 });
    await expect(pool.run(market)).rejects.toBeInstanceOf(TaskTimeoutError);
    expect(workers[0].terminated).toBe(true);
    expect(exits.map((e) => [e.reason, e.cause, e.replaced])).toEqual([
      ['market did not finish within 30 ms and was stopped (its engine worker was replaced)', 'time-limit', true],
    ]);
    await expect(pool.run(market)).resolves.toEqual({ asOf: 'after the hang' });
    await pool.dispose();
  });

  it('stops recreating workers that keep crashing, and says so', async () => {
    const exits: WorkerExitEvent[] = [];
    const { workers, create } = fleet([never]);
    const pool = poolOf(create, { onWorkerExit: (e) => exits.push(e), maxCrashes: 3 });
    const outcome = pool.run({ ...market, retries: 10 }).catch((e: unknown) => e);
    for (let i = 0; i < 3; i++) {
      await tick();
      workers[workers.length - 1].crash('cannot start');
    }
    const error = await outcome;
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect(String(error)).toContain('crashed 3 times within 30 s (last: cannot start)');
    expect(workers).toHaveLength(3);
    expect(exits.map((e) => e.replaced)).toEqual([true, true, false]);
    expect(pool.stats.broken).toBe('cannot start');
    await expect(pool.run({ task: 'engine.ready', label: 'engine' })).rejects.toBeInstanceOf(WorkerCrashError);
    expect(workers).toHaveLength(3);
    await pool.dispose();
  });

  it('passes an engine error through with its code, without restarting the worker', async () => {
    const { workers, create } = fleet([
      () => {
        throw new AstraError('WASM_LOAD', 'could not load the ASTRA WebAssembly kernels: HTTP 503');
      },
    ]);
    const pool = poolOf(create);
    const error = await pool.run(market).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AstraError);
    expect((error as AstraError).code).toBe('WASM_LOAD');
    expect((error as Error).message).toContain('HTTP 503');
    expect(workers).toHaveLength(1);
    expect(pool.stats.restarts).toBe(0);
    await pool.dispose();
  });
});

describe('browser pool defaults', () => {
  it('sizes the pool to hardwareConcurrency − 1, between 1 and 8', () => {
    expect([1, 2, 3, 4, 9, 16].map((n) => defaultBrowserPoolSize(n))).toEqual([1, 1, 2, 3, 8, 8]);
  });

  it('shares memory only where the page is cross-origin isolated (never in Node)', () => {
    expect(canShareMemory()).toBe(false);
  });
});
