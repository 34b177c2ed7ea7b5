/**
 * What crosses the boundary between the pool (main side) and an engine worker, in any host.
 *
 * A worker exposes one call, `run(task, arg)`, through Comlink. It runs ONE block of a task — a
 * few milliseconds of kernel work — and answers with a tagged outcome. Cutting tasks into blocks
 * on the main side is what makes cancel, progress and crash attribution simple: the pool always
 * knows which block of which task each worker is running, a cancel just stops handing out blocks,
 * and progress is blocks done / blocks in all. No message ever interrupts a running kernel.
 */
import type { Kernels } from '../kernels.ts';
import type { SerializedError } from './errors.ts';

/** What a task function gets besides its kernels and argument. */
export interface TaskContext {
  /** ms from the worker's start to its wasm being ready (for the UI's start-up timings). */
  readonly readyMs: number;
}

/**
 * One block of work, run inside a worker on that worker's own wasm instance. It must be
 * deterministic in its argument (a retried or re-run block gives the same answer) and return
 * structured-clone data; typed arrays in the result are transferred, not copied, so it must not
 * keep them. Size a block to take well under 50 ms: that bounds how late a cancel takes effect.
 */
export type TaskFn<A, R> = (k: Kernels, arg: A, ctx: TaskContext) => R | Promise<R>;

/** Tasks by name. The production table is `engine/pool/tasks/index.ts`. */
export type TaskRegistry = Record<string, TaskFn<never, unknown>>;

/** The argument a task of the registry takes. */
export type TaskArg<R extends TaskRegistry, N extends keyof R> = Parameters<R[N]>[1];
/** What one block of a task of the registry answers. */
export type TaskResult<R extends TaskRegistry, N extends keyof R> = Awaited<ReturnType<R[N]>>;

/** A block's answer: its value, or the error it threw (as data, so `AstraError` codes survive). */
export type BlockOutcome = { ok: true; value: unknown } | { ok: false; error: SerializedError };

/** The API an engine worker exposes with `Comlink.expose`. */
export interface WorkerApi {
  /**
   * Answers as soon as the worker listens (its wasm may still be loading): the pool gives a
   * worker no block before that, so no block waits behind a worker's start-up.
   */
  alive(): true;
  /** Run one block of `task` on `arg`. Never rejects for a task's own error (see `BlockOutcome`). */
  run(task: string, arg: unknown): Promise<BlockOutcome>;
}
