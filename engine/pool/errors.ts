/**
 * The ways a pool task can end without a result, as typed errors (messages in `engine/errors.ts`),
 * and how errors cross the worker boundary.
 *
 * Every pool error carries the task's `label` — the name the UI shows (a panel, "market") — so a
 * failure can be reported next to what failed. `CancelledError` covers the endings a caller asked
 * for (cancel, a newer request with the same key, shutdown); callers usually ignore it.
 */
import { AstraError, Messages } from '../errors.ts';
import type { AstraErrorCode } from '../errors.ts';

/** The task was cancelled (`signal`, `pool.cancel(key)` or `pool.dispose()`): its answer is dropped. */
export class CancelledError extends AstraError {
  /** The task's label. */
  readonly label: string;
  constructor(label: string, message = Messages.taskCancelled(label), code: AstraErrorCode = 'CANCELLED') {
    super(code, message, { task: label });
    this.name = 'CancelledError';
    this.label = label;
  }
}

/** A newer task with the same key was started: this one's answer is dropped (latest wins). */
export class StaleRequestError extends CancelledError {
  constructor(label: string) {
    super(label, Messages.taskSuperseded(label), 'SUPERSEDED');
    this.name = 'StaleRequestError';
  }
}

/** The worker running one of the task's blocks crashed (or the pool gave up restarting workers). */
export class WorkerCrashError extends AstraError {
  /** The task's label. */
  readonly label: string;
  /** What the worker reported (the uncaught error's message, an exit code…). */
  readonly reason: string;
  constructor(label: string, reason: string, message = Messages.workerCrashed(label, reason)) {
    super('WORKER_CRASH', message, { task: label });
    this.name = 'WorkerCrashError';
    this.label = label;
    this.reason = reason;
  }
}

/** The task ran past its time limit: it was stopped and the workers still running it replaced. */
export class TaskTimeoutError extends AstraError {
  /** The task's label. */
  readonly label: string;
  /** The limit that was exceeded, ms. */
  readonly limitMs: number;
  constructor(label: string, limitMs: number) {
    super('TIMEOUT', Messages.taskTimedOut(label, limitMs), { task: label });
    this.name = 'TaskTimeoutError';
    this.label = label;
    this.limitMs = limitMs;
  }
}

/** An error as it crosses the worker boundary (structured-clone data; `code` for `AstraError`s). */
export interface SerializedError {
  name: string;
  message: string;
  code?: AstraErrorCode;
  where?: Record<string, string | number>;
  stack?: string;
}

/**
 * Flatten an error for `postMessage`. Comlink's own error channel keeps only name, message and
 * stack, so `AstraError`'s `code` and `where` would be lost: tasks' errors travel as data instead.
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AstraError) {
    return { name: error.name, message: error.message, code: error.code, where: error.where ? { ...error.where } : undefined, stack: error.stack };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** Rebuild an error on the main side: an `AstraError` with its code, or a plain `Error` with its name. */
export function deserializeError(e: SerializedError): Error {
  const error = e.code ? new AstraError(e.code, e.message, e.where) : new Error(e.message);
  if (e.name) error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
