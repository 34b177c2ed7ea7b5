/**
 * The inside of an engine worker, for any host: the browser entry (`web/workers/engine.worker.ts`)
 * and the Node entry (`node-worker.ts`) only supply how to load the kernels and how to talk.
 *
 * Start-up: the caller must `Comlink.expose` the returned API synchronously, before any `await`,
 * and this API loads the wasm as a promise that every call awaits — a top-level `await` before
 * `expose` has been seen to lose the first message in browsers (a silent hang). A failed load
 * (a network blip) is reported to the call that needed it, and the next call loads again.
 */
import * as Comlink from 'comlink';
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { serializeError } from './errors.ts';
import type { BlockOutcome, TaskContext, TaskFn, TaskRegistry, WorkerApi } from './protocol.ts';

/**
 * The worker's API over `load` (called at once, and again after a failed load) and a task table
 * (or a promise of one, e.g. extra test tasks still being imported).
 */
export function createWorkerApi(load: () => Promise<Kernels>, registry: TaskRegistry | Promise<TaskRegistry>): WorkerApi {
  const started = performance.now();
  let readyMs = NaN;
  const start = (): Promise<Kernels> => {
    const p = load().then((k) => {
      readyMs = performance.now() - started;
      return k;
    });
    p.catch(() => undefined); // reported by the call that awaits it, not as an unhandled rejection
    return p;
  };
  let ready = start();
  const kernels = async (): Promise<Kernels> => {
    const current = ready;
    try {
      return await current;
    } catch (e) {
      if (ready === current) ready = start();
      throw e;
    }
  };
  const table = Promise.resolve(registry);
  table.catch(() => undefined);

  return {
    alive: () => true,
    async run(name: string, arg: unknown): Promise<BlockOutcome> {
      try {
        const tasks = await table;
        const fn = Object.hasOwn(tasks, name) ? (tasks[name] as TaskFn<unknown, unknown>) : undefined;
        if (!fn) throw new AstraError('BAD_INPUT', Messages.unknownTask(name, Object.keys(tasks)));
        const k = await kernels();
        const context: TaskContext = { readyMs };
        const value = await fn(k, arg, context);
        const outcome: BlockOutcome = { ok: true, value };
        return Comlink.transfer(outcome, transferables(value, k.exports.memory.buffer));
      } catch (e) {
        return { ok: false, error: serializeError(e) };
      }
    },
  };
}

/**
 * The buffers of the typed arrays (and bare ArrayBuffers) in a result, to transfer instead of
 * copy: in arrays and plain objects, a few levels deep. Never the wasm memory (it cannot be
 * detached) nor a SharedArrayBuffer (shared, not moved). Each buffer once.
 */
export function transferables(value: unknown, keep?: ArrayBufferLike): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 4) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.buffer !== keep) found.add(v.buffer);
      return;
    }
    if (v instanceof ArrayBuffer) {
      if (v !== keep) found.add(v);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...found];
}
