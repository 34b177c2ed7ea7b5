/**
 * The engine pool in the browser: `createBrowserPool()` starts module Web Workers
 * (`engine.worker.ts`) and runs engine tasks on them. See `engine/pool/pool.ts` for what a pool
 * does (latest wins per key, cancel, progress, time limits, crash attribution and replacement)
 * and docs/engine-api.md for how to use it.
 *
 *   const pool = createBrowserPool();
 *   const market = await pool.run({ task: 'market.demo', label: 'market', key: 'market' });
 *
 * Size: `navigator.hardwareConcurrency − 1` (the main thread keeps a core to render), at least
 * 1, at most 8. One worker starts at once (`prewarm`), so the wasm loads while the page mounts;
 * the others start when blocks are waiting and every started worker is busy.
 *
 * Results come back by message passing, their typed arrays transferred (no copies): that works
 * from any static server. `SharedArrayBuffer` exists only when the page is cross-origin isolated
 * (COOP/COEP headers); no task relies on it, and one that wants it must check `canShareMemory()`.
 */
import * as Comlink from 'comlink';
import { Pool, clampPoolSize } from '../../engine/pool/pool.ts';
import type { PoolOptions, PoolWorker, WorkerHooks } from '../../engine/pool/pool.ts';
import type { WorkerApi } from '../../engine/pool/protocol.ts';
import { spawnEngineWorker } from './spawn.ts';

/** `hardwareConcurrency − 1`, at least 1, at most 8. */
export function defaultBrowserPoolSize(concurrency = globalThis.navigator?.hardwareConcurrency ?? 2): number {
  return clampPoolSize(concurrency - 1);
}

export interface BrowserPoolOptions extends Omit<PoolOptions, 'spawn' | 'size'> {
  /** Most workers at once. Default {@link defaultBrowserPoolSize}. */
  size?: number;
  /** Creates worker number `index` (called again for a replacement). Default {@link spawnEngineWorker}. */
  createWorker?: (index: number) => Worker;
}

/** A pool of engine Web Workers. `prewarm` defaults to 1 here. */
export function createBrowserPool(options: BrowserPoolOptions = {}): Pool {
  const { size = defaultBrowserPoolSize(), createWorker = spawnEngineWorker, prewarm = 1, ...rest } = options;
  return new Pool({ ...rest, size, prewarm, spawn: (index, hooks) => browserWorker(createWorker(index), hooks) });
}

/**
 * Adapt a Web Worker serving `WorkerApi` to the pool. A crash is an `error` event (an uncaught
 * error in the worker, or a script that failed to load) or a `messageerror`; a worker stuck in a
 * loop raises nothing and is caught by the task's time limit instead.
 */
export function browserWorker(worker: Worker, hooks: WorkerHooks): PoolWorker {
  const api = Comlink.wrap<WorkerApi>(worker);
  let stopped = false;
  const crashed = (reason: string) => {
    if (stopped) return;
    stopped = true;
    hooks.crashed(reason);
  };
  worker.addEventListener('error', (event) => {
    event.preventDefault(); // handled here: not reported again as an uncaught page error
    crashed(event.message || 'uncaught error in the engine worker');
  });
  worker.addEventListener('messageerror', () => crashed('a message from the engine worker could not be decoded'));
  return {
    ready: () => api.alive(),
    call: (task, arg) => api.run(task, arg),
    terminate() {
      stopped = true;
      worker.terminate();
    },
  };
}

/**
 * Whether tasks may share memory with workers: `SharedArrayBuffer` exists and, in a browser, the
 * page is cross-origin isolated. Message passing (with transfer) is always available.
 */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true;
}
