/**
 * Owns the engine worker: creates it, talks to it with Comlink, recreates it when it crashes and
 * retries the latest request of each kind. Stale answers (a newer request of the same kind was
 * made meanwhile) are dropped: their promise rejects with `StaleRequestError`, which callers ignore.
 *
 * A crash is any `error` / `messageerror` event on the Worker object, or a request that gets no
 * answer within `requestTimeoutMs` (a worker stuck in a loop raises no event at all). Calls in
 * flight to a dead worker never answer, so each attempt races the worker's "crashed" promise.
 */
import * as Comlink from 'comlink';
import type { EngineWorkerApi } from '../workers/protocol.ts';

/** The request of a given kind was superseded by a newer one; its answer is dropped. */
export class StaleRequestError extends Error {
  constructor(key: string) {
    super(`request "${key}" was superseded by a newer one`);
    this.name = 'StaleRequestError';
  }
}

/** The worker crashed more often than the retry budget allows while serving a request. */
export class WorkerCrashError extends Error {
  constructor(reason: string) {
    super(`the engine worker crashed: ${reason}`);
    this.name = 'WorkerCrashError';
  }
}

/** What the client reports about the worker's life, for the status indicator and the tests. */
export interface EngineClientEvents {
  /**
   * A worker crashed. `replaced` is false when the client gave up (too many crashes in a row, see
   * `EngineClientOptions.maxCrashes`): every pending and future request then rejects.
   */
  onCrash?: (reason: string, restarts: number, replaced: boolean) => void;
}

/** Retry and restart limits. */
export interface EngineClientOptions {
  /** Attempts per request before its promise rejects with `WorkerCrashError`. Default 3. */
  maxAttempts?: number;
  /**
   * Crashes within `crashWindowMs` after which the client stops recreating the worker (a worker
   * that cannot even start — a missing script — would otherwise be respawned forever). Default 5.
   */
  maxCrashes?: number;
  /** Window of `maxCrashes`, ms. Default 30 000. */
  crashWindowMs?: number;
  /**
   * An attempt unanswered for this long is taken as a hung worker: it is terminated and replaced
   * like a crashed one. Default 20 000 ms — far above any engine call on the demo (~50 ms).
   */
  requestTimeoutMs?: number;
}

interface Job {
  key: string;
  id: number;
  attempts: number;
  run: (api: Comlink.Remote<EngineWorkerApi>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Generation {
  worker: Worker;
  api: Comlink.Remote<EngineWorkerApi>;
  crashed: Promise<never>;
  dead: boolean;
  /** Mark this worker dead (terminate, replace, retry): crash events and the watchdog call it. */
  fail: (reason: string) => void;
}

export class EngineClient {
  /** How many times the worker was recreated after a crash. */
  restarts = 0;
  readonly #create: () => Worker;
  readonly #events: EngineClientEvents;
  readonly #maxAttempts: number;
  readonly #maxCrashes: number;
  readonly #crashWindowMs: number;
  readonly #requestTimeoutMs: number;
  #crashTimes: number[] = [];
  #brokenReason: string | null = null;
  readonly #latest = new Map<string, Job>();
  #seq = 0;
  #gen: Generation;
  #disposed = false;

  /**
   * @param create factory of the worker (called again after each crash)
   * @param events lifecycle callbacks
   * @param options retry and restart limits
   */
  constructor(create: () => Worker, events: EngineClientEvents = {}, options: EngineClientOptions = {}) {
    this.#create = create;
    this.#events = events;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#maxCrashes = options.maxCrashes ?? 5;
    this.#crashWindowMs = options.crashWindowMs ?? 30_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
    this.#gen = this.#spawn();
  }

  /** Why the client gave up recreating the worker, or `null` while it is usable. */
  get brokenReason(): string | null {
    return this.#brokenReason;
  }

  /**
   * Run `run` against the worker as the latest request of kind `key`. Resolves with its answer,
   * or rejects with `StaleRequestError` if a newer request of the same kind was made meanwhile.
   */
  request<T>(key: string, run: (api: Comlink.Remote<EngineWorkerApi>) => Promise<T>): Promise<T> {
    if (this.#disposed) return Promise.reject(new Error('the engine client was disposed'));
    if (this.#brokenReason) return Promise.reject(new WorkerCrashError(this.#brokenReason));
    const previous = this.#latest.get(key);
    if (previous) previous.reject(new StaleRequestError(key));
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        key,
        id: ++this.#seq,
        attempts: 0,
        run,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      this.#latest.set(key, job);
      this.#attempt(job);
    });
  }

  /** Fire-and-forget call to the current worker (no retry), e.g. the crash test hook. */
  send(run: (api: Comlink.Remote<EngineWorkerApi>) => unknown): void {
    void Promise.resolve(run(this.#gen.api)).catch(() => undefined);
  }

  /** Terminate the worker; pending requests reject. */
  dispose(): void {
    this.#disposed = true;
    this.#gen.dead = true;
    this.#gen.worker.terminate();
    for (const job of this.#latest.values()) job.reject(new Error('the engine client was disposed'));
    this.#latest.clear();
  }

  #spawn(): Generation {
    const worker = this.#create();
    let markCrashed: (reason: Error) => void = () => undefined;
    const crashed = new Promise<never>((_, reject) => {
      markCrashed = reject;
    });
    crashed.catch(() => undefined);
    const gen: Generation = { worker, api: Comlink.wrap<EngineWorkerApi>(worker), crashed, dead: false, fail: () => undefined };
    const onFatal = (reason: string) => {
      if (gen.dead || this.#disposed) return;
      gen.dead = true;
      worker.terminate();
      markCrashed(new WorkerCrashError(reason));
      const now = Date.now();
      this.#crashTimes = [...this.#crashTimes.filter((t) => now - t < this.#crashWindowMs), now];
      if (this.#crashTimes.length >= this.#maxCrashes) {
        this.#brokenReason = `${reason} (${this.#crashTimes.length} crashes in a row; not restarting it again)`;
        for (const job of this.#latest.values()) job.reject(new WorkerCrashError(this.#brokenReason));
        this.#latest.clear();
        this.#events.onCrash?.(reason, this.restarts, false);
        return;
      }
      this.restarts++;
      this.#events.onCrash?.(reason, this.restarts, true);
      this.#gen = this.#spawn();
      // Retry the latest request of each kind on the fresh worker.
      for (const job of this.#latest.values()) this.#attempt(job);
    };
    gen.fail = onFatal;
    worker.addEventListener('error', (event) => {
      // Handled here: don't let the browser report it again as an uncaught page error.
      event.preventDefault();
      onFatal(event.message || 'uncaught error in the engine worker');
    });
    worker.addEventListener('messageerror', () => onFatal('a message from the engine worker could not be decoded'));
    return gen;
  }

  #attempt(job: Job): void {
    const gen = this.#gen;
    job.attempts++;
    if (job.attempts > this.#maxAttempts) {
      this.#finish(job, () => job.reject(new WorkerCrashError(`gave up after ${this.#maxAttempts} attempts`)));
      return;
    }
    const watchdog = setTimeout(
      () => gen.fail(`no answer within ${this.#requestTimeoutMs} ms (the engine worker looks hung)`),
      this.#requestTimeoutMs,
    );
    Promise.race([job.run(gen.api), gen.crashed]).finally(() => clearTimeout(watchdog)).then(
      (value) => this.#finish(job, () => job.resolve(value)),
      (error: unknown) => {
        // A crash is retried by the crash handler (it re-attempts every latest job).
        if (error instanceof WorkerCrashError && gen.dead) return;
        this.#finish(job, () => job.reject(error));
      },
    );
  }

  #finish(job: Job, settle: () => void): void {
    if (this.#latest.get(job.key)?.id !== job.id) return; // stale: already rejected as superseded
    this.#latest.delete(job.key);
    settle();
  }
}
