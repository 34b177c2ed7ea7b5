/**
 * The pool in Node (CLI, bench, tests): engine workers are `worker_threads`, each with its own
 * wasm instance, spoken to with Comlink through its Node adapter.
 *
 * Default size: every core (`os.availableParallelism()`), at most 8. In the browser the pool
 * leaves a core to the main thread, which renders; in Node the main thread only hands out blocks
 * and adds up their answers (microseconds per block) while it waits, so keeping a core idle for
 * it would throw away half of a 2-core machine.
 *
 * Idle workers do not keep the process alive (they are `unref`'d between blocks), so a CLI that
 * forgets `dispose()` still exits; call it anyway to stop the threads promptly.
 */
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Pool, clampPoolSize } from './pool.ts';
import type { PoolOptions, PoolWorker, WorkerHooks } from './pool.ts';
import type { BlockOutcome, TaskRegistry, WorkerApi } from './protocol.ts';
import type { EngineTasks } from './tasks/index.ts';

/** Every core, at least 1, at most 8 (see the module comment). */
export function defaultNodePoolSize(): number {
  return clampPoolSize(availableParallelism());
}

export interface NodePoolOptions extends Omit<PoolOptions, 'spawn' | 'size'> {
  /** Most workers at once. Default {@link defaultNodePoolSize}. */
  size?: number;
  /**
   * Modules (file URLs or absolute paths) whose `tasks` export is added to every worker's task
   * table. For tests (crash and hang tasks); production tasks belong in `tasks/index.ts`.
   */
  taskModules?: readonly (string | URL)[];
}

const BOOTSTRAP = new URL('./node-worker.mjs', import.meta.url);

/** A pool of `worker_threads` engine workers. `R` types the extra test tasks, if any. */
export function createNodePool<R extends TaskRegistry = EngineTasks>(options: NodePoolOptions = {}): Pool<R> {
  const { size = defaultNodePoolSize(), taskModules = [], ...rest } = options;
  const modules = taskModules.map((m) => (m instanceof URL ? m.href : m.startsWith('file:') ? m : pathToFileURL(m).href));
  return new Pool<R>({ ...rest, size, spawn: (index, hooks) => spawnNodeWorker(index, hooks, modules) });
}

function spawnNodeWorker(index: number, hooks: WorkerHooks, taskModules: string[]): PoolWorker {
  // execArgv: [] — the bootstrap registers tsx itself; inheriting a parent's loader flags (tsx's
  // CLI, vitest's) would register a second one.
  const worker = new Worker(BOOTSTRAP, { workerData: { taskModules }, execArgv: [], name: `astra-engine-${index}` });
  const api = Comlink.wrap<WorkerApi>(nodeEndpoint(worker));
  let stopped = false;
  const crashed = (reason: string) => {
    if (stopped) return;
    stopped = true;
    hooks.crashed(reason);
  };
  worker.on('error', (e: unknown) => crashed(e instanceof Error ? e.message : String(e)));
  worker.on('messageerror', () => crashed('a message from the engine worker could not be decoded'));
  worker.on('exit', (code) => crashed(`the worker thread exited with code ${code}`));
  // Keep the process alive while the pool waits for this worker, not while it idles.
  let waiting = 0;
  const track = async <T>(answer: Promise<T>): Promise<T> => {
    if (waiting++ === 0) worker.ref();
    try {
      return await answer;
    } finally {
      if (--waiting === 0) worker.unref();
    }
  };
  return {
    ready: () => track(api.alive()),
    call: (task, arg) => track(api.run(task, arg) as Promise<BlockOutcome>),
    async terminate() {
      stopped = true;
      api[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}
