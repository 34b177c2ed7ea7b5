/**
 * The engine pool: a few engine workers, each with its own wasm instance, and the tasks they run.
 * Environment-agnostic — it never creates a worker itself but calls an injected `spawn(index)`,
 * so the same core runs over browser Web Workers (`web/workers/pool.ts`), Node `worker_threads`
 * (`engine/pool/node.ts`) and, in its unit tests, fake workers.
 *
 * Tasks are cut into blocks (see `protocol.ts`). The pool hands blocks to idle workers one at a
 * time, round-robin across the tasks that have blocks left (a quick request is not stuck behind
 * a long scan), and combines a task's block results in block order — never completion order — so
 * the answer does not depend on how many workers ran it.
 *
 * - **Latest wins:** a task with a `key` supersedes the unfinished task with the same key, which
 *   rejects with `StaleRequestError` and gets no more blocks.
 * - **Cancel:** `signal` or `cancel(key)` rejects at once with `CancelledError` and stops handing
 *   out the task's blocks; blocks already running finish (each well under 50 ms) and are dropped.
 * - **Progress:** `onProgress` is called as blocks finish, once the task has run ~100 ms, at most
 *   every ~100 ms, and for the last block.
 * - **Time limit:** a task not done `timeLimitMs` after it was submitted rejects with
 *   `TaskTimeoutError`; the workers still running its blocks are terminated and replaced (wasm
 *   cannot be interrupted, and a block that overran may be stuck in a loop).
 * - **Crash:** a worker that dies fails only the task whose block it was running, with a
 *   `WorkerCrashError` naming that task's label (or re-runs the block if the task allowed
 *   `retries`), and is replaced. After `maxCrashes` crashes within `crashWindowMs` the pool stops
 *   replacing workers (one that cannot even start would be respawned forever): every pending
 *   and later task rejects.
 *
 * Workers are started lazily (after `prewarm` at construction), up to `size`, when more blocks
 * are waiting than workers are starting and none is idle: a page that only loads the demo pays
 * for one wasm instance. A starting worker gets blocks once it answers `ready()`.
 */
import { AstraError, Messages } from '../errors.ts';
import { CancelledError, StaleRequestError, TaskTimeoutError, WorkerCrashError, deserializeError, serializeError } from './errors.ts';
import type { BlockOutcome, TaskArg, TaskRegistry, TaskResult } from './protocol.ts';
import type { EngineTasks } from './tasks/index.ts';

/** One engine worker as the pool sees it; the adapters build it over a real worker. */
export interface PoolWorker {
  /**
   * Resolves once the worker listens. Until then it gets no block (a block would wait behind the
   * start-up — ~200 ms for a Node worker — while another worker could run it). Rejecting counts
   * as a crash. Without it the worker takes blocks at once.
   */
  ready?(): Promise<unknown>;
  /** Run one block of `task` on `arg` in this worker. */
  call(task: string, arg: unknown): Promise<BlockOutcome>;
  /** Stop the worker at once. It must not report a crash after this. */
  terminate(): void | Promise<void>;
}

/** What a spawned worker reports to the pool. */
export interface WorkerHooks {
  /** The worker died by itself: an uncaught error, an exit, an undecodable message. */
  crashed(reason: string): void;
}

/** Start worker number `index` (0 ≤ index < size; an index is reused for a replacement). */
export type SpawnWorker = (index: number, hooks: WorkerHooks) => PoolWorker;

/** A worker left the pool by itself (crash) or was stopped for overrunning a time limit. */
export interface WorkerExitEvent {
  /** Index of the worker slot. */
  worker: number;
  cause: 'crash' | 'time-limit';
  /** What the worker reported, or which limit it overran. */
  reason: string;
  /** Label of the task whose block it was running, `null` if it was idle. */
  label: string | null;
  /** Whether a new worker took its place (`false` once the pool has given up). */
  replaced: boolean;
  /** Workers replaced so far, this one included. */
  restarts: number;
}

export interface PoolOptions {
  /** Starts a worker. */
  spawn: SpawnWorker;
  /** Most workers at once (1…64). */
  size: number;
  /** Workers started at construction, so the first task does not wait for a wasm load. Default 0. */
  prewarm?: number;
  /** Time limit of a task that sets none, ms (`Infinity`: none). Default 20 000. */
  defaultTimeLimitMs?: number;
  /** Crashes within `crashWindowMs` after which workers are no longer replaced. Default 5. */
  maxCrashes?: number;
  /** Default 30 000 ms. */
  crashWindowMs?: number;
  /** A task reports progress once it has run this long, ms. Default 100. */
  progressDelayMs?: number;
  /** …and then at most this often, ms. Default 100. */
  progressIntervalMs?: number;
  /** Called when a worker crashes or is stopped for overrunning a time limit. */
  onWorkerExit?: (event: WorkerExitEvent) => void;
  /** Clock for progress timing, ms (tests inject one). Default `performance.now`. */
  now?: () => number;
}

/** Progress of a task. */
export interface TaskProgress {
  label: string;
  /** Blocks finished. */
  done: number;
  /** Blocks in all. */
  total: number;
  /** done / total. */
  fraction: number;
  /** ms since the task was submitted. */
  elapsedMs: number;
}

/** What every task takes besides its name and argument(s). */
export interface TaskOptions {
  /** What the UI calls this task ("VaR", "market"…): every error of the task names it. */
  label: string;
  /** Latest wins: a new task with the same key supersedes the unfinished one. */
  key?: string;
  /** Aborting it cancels the task. */
  signal?: AbortSignal;
  /** ms from submission to the end; default the pool's `defaultTimeLimitMs` (`Infinity`: none). */
  timeLimitMs?: number;
  /** Progress of a task that runs longer than ~100 ms (see `PoolOptions.progressDelayMs`). */
  onProgress?: (progress: TaskProgress) => void;
  /** Times a block whose worker crashed is re-run on a new worker before the task fails. Default 0. */
  retries?: number;
}

/** A task that is one block: `arg` goes to the worker, its answer is the task's result. */
export type SingleTaskSpec<R extends TaskRegistry, N extends keyof R & string> = TaskOptions & {
  task: N;
  blocks?: never;
  combine?: never;
} & (undefined extends TaskArg<R, N> ? { arg?: TaskArg<R, N> } : { arg: TaskArg<R, N> });

/**
 * A task cut into blocks: one worker call per element of `blocks`; `combine` gets the answers in
 * block order (default: the array of answers).
 */
export type BlockTaskSpec<R extends TaskRegistry, N extends keyof R & string, Out> = TaskOptions & {
  task: N;
  blocks: readonly TaskArg<R, N>[];
  combine?: (results: TaskResult<R, N>[]) => Out;
  arg?: never;
};

/** A snapshot of the pool, for status displays and tests. */
export interface PoolStats {
  /** Most workers at once. */
  size: number;
  /** Workers alive now (starting ones included). */
  workers: number;
  /** Workers still starting. */
  starting: number;
  /** Workers running a block now. */
  busy: number;
  /** Unfinished tasks. */
  tasks: number;
  /** Blocks waiting for a worker. */
  queuedBlocks: number;
  /** Blocks handed to a worker since the pool was created. */
  blocksStarted: number;
  /** Workers replaced after a crash or a time limit. */
  restarts: number;
  /** Why the pool gave up restarting workers (the last crash's reason), `null` while it is usable. */
  broken: string | null;
}

interface Task {
  name: string;
  label: string;
  key: string | undefined;
  args: readonly unknown[];
  results: unknown[];
  /** Block indices waiting for a worker, in dispatch order. */
  queue: number[];
  done: number;
  retriesLeft: number;
  timeLimitMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  submittedAt: number;
  lastProgressAt: number | null;
  onProgress: ((p: TaskProgress) => void) | undefined;
  combine: (results: unknown[]) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  settled: boolean;
  detach: () => void;
}

interface Job {
  task: Task;
  block: number;
}

interface Slot {
  index: number;
  worker: PoolWorker | undefined;
  /** Answered `ready()`: may take blocks. */
  ready: boolean;
  job: Job | null;
  dead: boolean;
}

/** setTimeout's longest delay (a longer one fires at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Default pool sizes are clamped to this: past it, memory (one wasm instance each) buys little. */
export const MAX_DEFAULT_WORKERS = 8;

/** Clamp a core count to a pool size: at least 1, at most {@link MAX_DEFAULT_WORKERS}. */
export function clampPoolSize(n: number): number {
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, Math.floor(Number.isFinite(n) ? n : 1)));
}

export class Pool<R extends TaskRegistry = EngineTasks> {
  /** Most workers at once. */
  readonly size: number;
  readonly #spawn: SpawnWorker;
  readonly #defaultTimeLimitMs: number;
  readonly #maxCrashes: number;
  readonly #crashWindowMs: number;
  readonly #progressDelayMs: number;
  readonly #progressIntervalMs: number;
  readonly #onWorkerExit: ((e: WorkerExitEvent) => void) | undefined;
  readonly #now: () => number;
  readonly #slots: (Slot | undefined)[];
  /** Unfinished tasks in submission order; `#cursor` walks them round-robin. */
  #tasks: Task[] = [];
  #cursor = 0;
  readonly #byKey = new Map<string, Task>();
  #crashTimes: number[] = [];
  #restarts = 0;
  #blocksStarted = 0;
  #broken: string | null = null;
  #disposed = false;

  constructor(options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1 || options.size > 64) {
      throw new AstraError('BAD_INPUT', Messages.badSize('pool size', options.size, 'an integer from 1 to 64'));
    }
    this.size = options.size;
    this.#spawn = options.spawn;
    this.#defaultTimeLimitMs = options.defaultTimeLimitMs ?? 20_000;
    this.#maxCrashes = options.maxCrashes ?? 5;
    this.#crashWindowMs = options.crashWindowMs ?? 30_000;
    this.#progressDelayMs = options.progressDelayMs ?? 100;
    this.#progressIntervalMs = options.progressIntervalMs ?? 100;
    this.#onWorkerExit = options.onWorkerExit;
    this.#now = options.now ?? (() => performance.now());
    this.#slots = new Array<Slot | undefined>(this.size).fill(undefined);
    const prewarm = Math.min(this.size, options.prewarm ?? 0);
    for (let i = 0; i < prewarm && !this.#broken; i++) this.#startSlot(i);
  }

  /**
   * Run a task and resolve with its result. One block: `{ task, arg, label }`. Several:
   * `{ task, blocks, combine, label }`, where `combine` receives the block answers in block order.
   * Rejects with `CancelledError` (cancelled, or `StaleRequestError` when superseded),
   * `TaskTimeoutError`, `WorkerCrashError`, or the error a block threw (`AstraError`s keep their code).
   */
  run<N extends keyof R & string>(spec: SingleTaskSpec<R, N>): Promise<TaskResult<R, N>>;
  run<N extends keyof R & string, Out = TaskResult<R, N>[]>(spec: BlockTaskSpec<R, N, Out>): Promise<Out>;
  run(spec: TaskOptions & { task: string; arg?: unknown; blocks?: readonly unknown[]; combine?: (results: never) => unknown }): Promise<unknown> {
    const { label } = spec;
    if (this.#disposed) return Promise.reject(new CancelledError(label, Messages.poolShutDown(label)));
    if (this.#broken) return Promise.reject(new WorkerCrashError(label, this.#broken, this.#brokenMessage(label)));
    if (spec.signal?.aborted) return Promise.reject(new CancelledError(label));
    const blocks = spec.blocks ? [...spec.blocks] : [spec.arg]; // a copy: the caller may reuse its array
    const combine: (r: unknown[]) => unknown = spec.blocks
      ? ((spec.combine as ((r: unknown[]) => unknown) | undefined) ?? ((r) => r))
      : (r) => r[0];
    const limit = spec.timeLimitMs ?? this.#defaultTimeLimitMs;
    if (!(limit > 0)) return Promise.reject(new AstraError('BAD_INPUT', Messages.badValue('timeLimitMs', limit, 'a positive number of ms')));

    return new Promise<unknown>((resolve, reject) => {
      const task: Task = {
        name: spec.task,
        label,
        key: spec.key,
        args: blocks,
        results: new Array<unknown>(blocks.length),
        queue: blocks.map((_, i) => i),
        done: 0,
        retriesLeft: Math.max(0, Math.floor(spec.retries ?? 0)),
        timeLimitMs: limit,
        timer: undefined,
        submittedAt: this.#now(),
        lastProgressAt: null,
        onProgress: spec.onProgress,
        combine,
        resolve,
        reject,
        settled: false,
        detach: () => undefined,
      };
      if (spec.key !== undefined) {
        const previous = this.#byKey.get(spec.key);
        if (previous) this.#fail(previous, new StaleRequestError(previous.label));
        this.#byKey.set(spec.key, task);
      }
      const signal = spec.signal;
      if (signal) {
        const onAbort = () => this.#fail(task, new CancelledError(label));
        signal.addEventListener('abort', onAbort, { once: true });
        task.detach = () => signal.removeEventListener('abort', onAbort);
      }
      this.#tasks.push(task);
      if (limit <= MAX_TIMER_MS) task.timer = setTimeout(() => this.#timedOut(task), limit); // longer: no limit
      if (blocks.length === 0) this.#complete(task);
      else this.#pump();
    });
  }

  /** Cancel the unfinished task with this key (it rejects with `CancelledError`). Returns whether there was one. */
  cancel(key: string): boolean {
    const task = this.#byKey.get(key);
    if (!task) return false;
    this.#fail(task, new CancelledError(task.label));
    return true;
  }

  /** Current state (a copy). */
  get stats(): PoolStats {
    const live = this.#slots.filter((s): s is Slot => !!s && !s.dead);
    return {
      size: this.size,
      workers: live.length,
      starting: live.filter((s) => !s.ready).length,
      busy: live.filter((s) => s.job).length,
      tasks: this.#tasks.length,
      queuedBlocks: this.#tasks.reduce((n, t) => n + t.queue.length, 0),
      blocksStarted: this.#blocksStarted,
      restarts: this.#restarts,
      broken: this.#broken,
    };
  }

  /** Stop every worker; unfinished tasks reject with `CancelledError`. Later `run`s reject too. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const task of [...this.#tasks]) this.#fail(task, new CancelledError(task.label, Messages.poolShutDown(task.label)));
    await Promise.all(this.#slots.map((slot) => (slot ? this.#stop(slot) : undefined)));
  }

  // ---- scheduling ----

  #pump(): void {
    if (this.#broken || this.#disposed) return;
    for (;;) {
      const queued = this.#tasks.reduce((n, t) => n + t.queue.length, 0);
      if (queued === 0) return;
      const idle = this.#slots.find((s): s is Slot => !!s && !s.dead && s.ready && !s.job);
      if (idle) {
        this.#dispatch(idle, this.#nextTask());
        continue;
      }
      // No idle worker: start one more if blocks outnumber the workers already starting. The next
      // finished block or ready worker pumps again.
      const starting = this.#slots.filter((s) => s && !s.dead && !s.ready).length;
      const free = this.#slots.findIndex((s) => !s || s.dead);
      if (starting >= queued || free < 0) return;
      if (!this.#startSlot(free)) return; // could not start one: the pool is broken now
    }
  }

  /** The next task with blocks waiting, round-robin (there is one). */
  #nextTask(): Task {
    const n = this.#tasks.length;
    for (let i = 0; i < n; i++) {
      const at = (this.#cursor + i) % n;
      const task = this.#tasks[at];
      if (task.queue.length > 0) {
        this.#cursor = at + 1;
        return task;
      }
    }
    throw new Error('unreachable: no task has blocks waiting');
  }

  #dispatch(slot: Slot, task: Task): void {
    const block = task.queue.shift()!;
    const job: Job = { task, block };
    slot.job = job;
    this.#blocksStarted++;
    let answer: Promise<BlockOutcome>;
    try {
      answer = slot.worker!.call(task.name, task.args[block]);
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer.then(
      (outcome) => this.#finished(slot, job, outcome),
      // The call itself failed (an argument that cannot be cloned, say): the task's error, not a crash.
      (error: unknown) => this.#finished(slot, job, { ok: false, error: serializeError(error) }),
    );
  }

  #finished(slot: Slot, job: Job, outcome: BlockOutcome): void {
    if (slot.job !== job) return; // the worker was stopped meanwhile; its task has been dealt with
    slot.job = null;
    const { task, block } = job;
    if (!task.settled) {
      if (outcome.ok) {
        task.results[block] = outcome.value;
        task.done++;
        this.#progress(task);
        if (!task.settled && task.done === task.args.length) this.#complete(task);
      } else {
        this.#fail(task, deserializeError(outcome.error));
      }
    }
    this.#pump();
  }

  #progress(task: Task): void {
    if (!task.onProgress) return;
    const t = this.#now();
    const elapsedMs = t - task.submittedAt;
    if (elapsedMs < this.#progressDelayMs) return;
    const last = task.done === task.args.length;
    if (!last && task.lastProgressAt !== null && t - task.lastProgressAt < this.#progressIntervalMs) return;
    task.lastProgressAt = t;
    const total = task.args.length;
    try {
      task.onProgress({ label: task.label, done: task.done, total, fraction: task.done / total, elapsedMs });
    } catch (e) {
      this.#fail(task, e); // the caller's listener is broken: say so through the task it asked for
    }
  }

  #complete(task: Task): void {
    let value: unknown;
    try {
      value = task.combine(task.results);
    } catch (e) {
      this.#fail(task, e);
      return;
    }
    this.#settle(task);
    task.resolve(value);
  }

  #fail(task: Task, error: unknown): void {
    if (task.settled) return;
    this.#settle(task);
    task.reject(error);
  }

  /** Forget a task: no more blocks, no timer, no abort listener. Its running blocks are dropped on return. */
  #settle(task: Task): void {
    task.settled = true;
    task.queue.length = 0;
    if (task.timer !== undefined) clearTimeout(task.timer);
    task.detach();
    const at = this.#tasks.indexOf(task);
    if (at >= 0) {
      this.#tasks.splice(at, 1);
      if (this.#cursor > at) this.#cursor--;
    }
    if (task.key !== undefined && this.#byKey.get(task.key) === task) this.#byKey.delete(task.key);
  }

  // ---- workers ----

  /** Start a worker in slot `index`; `undefined` (and the pool broken) if it cannot start. */
  #startSlot(index: number): Slot | undefined {
    const slot: Slot = { index, worker: undefined, ready: false, job: null, dead: false };
    this.#slots[index] = slot;
    try {
      const worker = this.#spawn(index, { crashed: (reason) => this.#crashed(slot, reason) });
      slot.worker = worker;
      if (!worker.ready) slot.ready = true;
      else {
        worker.ready().then(
          () => {
            if (slot.dead) return;
            slot.ready = true;
            this.#pump();
          },
          (e: unknown) => this.#crashed(slot, e instanceof Error ? e.message : String(e)),
        );
      }
    } catch (e) {
      // `new Worker` itself threw (a bad URL, a content security policy): retrying cannot help.
      slot.dead = true;
      const reason = Messages.workerNoStart(e instanceof Error ? e.message : String(e));
      this.#giveUp(reason, (label) => `${label} failed: ${reason}`);
      return undefined;
    }
    return slot;
  }

  #stop(slot: Slot): void | Promise<void> {
    slot.dead = true;
    slot.job = null;
    try {
      return slot.worker?.terminate();
    } catch {
      return undefined; // already gone
    }
  }

  #crashed(slot: Slot, reason: string): void {
    if (slot.dead || this.#disposed || this.#slots[slot.index] !== slot) return;
    const job = slot.job;
    void this.#stop(slot);
    const now = Date.now();
    this.#crashTimes = [...this.#crashTimes.filter((t) => now - t < this.#crashWindowMs), now];
    const label = job?.task.label ?? null;
    if (this.#crashTimes.length >= this.#maxCrashes) {
      const crashes = this.#crashTimes.length;
      const windowMs = this.#crashWindowMs;
      this.#giveUp(reason, (l) => Messages.workersGaveUp(l, crashes, windowMs, reason));
      this.#emit({ worker: slot.index, cause: 'crash', reason, label, replaced: false, restarts: this.#restarts });
      return;
    }
    if (job && !job.task.settled) {
      const task = job.task;
      if (task.retriesLeft > 0) {
        task.retriesLeft--;
        task.queue.unshift(job.block);
      } else {
        this.#fail(task, new WorkerCrashError(task.label, reason));
      }
    }
    this.#replace(slot, 'crash', reason, label);
  }

  #timedOut(task: Task): void {
    if (task.settled) return;
    this.#fail(task, new TaskTimeoutError(task.label, task.timeLimitMs));
    for (const slot of this.#slots) {
      if (slot && !slot.dead && slot.job?.task === task) {
        void this.#stop(slot);
        this.#replace(slot, 'time-limit', Messages.taskTimedOut(task.label, task.timeLimitMs), task.label);
      }
    }
  }

  #replace(old: Slot, cause: WorkerExitEvent['cause'], reason: string, label: string | null): void {
    this.#restarts++;
    const fresh = this.#startSlot(old.index);
    this.#emit({ worker: old.index, cause, reason, label, replaced: !!fresh, restarts: this.#restarts });
    this.#pump();
  }

  /** Stop replacing workers: every unfinished and later task rejects with `message(label)`. */
  #giveUp(reason: string, message: (label: string) => string): void {
    if (this.#broken) return;
    this.#broken = reason;
    this.#brokenMessage = message;
    for (const task of [...this.#tasks]) this.#fail(task, new WorkerCrashError(task.label, reason, message(task.label)));
    for (const slot of this.#slots) if (slot && !slot.dead) void this.#stop(slot);
  }

  #brokenMessage: (label: string) => string = (label) => label;

  #emit(event: WorkerExitEvent): void {
    this.#onWorkerExit?.(event);
  }
}
