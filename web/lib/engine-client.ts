/**
 * The app's engine client, now a thin wrapper over the browser engine pool (`web/workers/pool.ts`)
 * that keeps the interface `AppState` was written against: `request(key, (api) => api.loadDemo())`.
 * Every mechanism — latest request per key wins, crash detection and replacement, giving up after
 * repeated crashes, time limits — is the pool's; this file only maps the old calls onto pool tasks.
 *
 * New code should use the pool directly (`createBrowserPool()` and `pool.run(...)`, see
 * docs/engine-api.md); this wrapper goes once the app state is wired to the pool.
 *
 * Changes from the single-worker client it replaces:
 * - a request's label is its key, and every error of the pool names it;
 * - the 20 s watchdog is the pool's per-task time limit (`requestTimeoutMs` sets the default);
 * - a crash re-runs the request (up to `maxAttempts` runs in all), as before — `loadDemo` and
 *   `ping` are idempotent; pool tasks in general fail on a crash unless they ask for retries;
 * - `crash()` (browser-test builds only) runs the e2e build's `test.crash` task: the worker that
 *   picks it up answers, then dies on its next tick.
 */
import type { Pool } from '../../engine/pool/pool.ts';
import type { MarketSnapshot } from '../workers/protocol.ts';
import { createBrowserPool } from '../workers/pool.ts';

export { CancelledError, StaleRequestError, TaskTimeoutError, WorkerCrashError } from '../../engine/pool/errors.ts';

/** What the client reports about the workers' life, for the status indicator. */
export interface EngineClientEvents {
  /**
   * A worker crashed (or overran a time limit and was stopped). `replaced` is false when the pool
   * gave up (too many crashes in a row, see `EngineClientOptions.maxCrashes`): every pending and
   * future request then rejects.
   */
  onCrash?: (reason: string, restarts: number, replaced: boolean) => void;
}

/** Retry and restart limits. */
export interface EngineClientOptions {
  /** Runs of a request whose worker crashes, before it rejects with `WorkerCrashError`. Default 3. */
  maxAttempts?: number;
  /** Crashes within `crashWindowMs` after which workers are no longer replaced. Default 5. */
  maxCrashes?: number;
  /** Window of `maxCrashes`, ms. Default 30 000. */
  crashWindowMs?: number;
  /** Time limit of a request, ms: past it the worker is taken as hung and replaced. Default 20 000. */
  requestTimeoutMs?: number;
  /** Pool size. Default `hardwareConcurrency − 1` (1…8). */
  size?: number;
}

/** The calls `AppState` makes, each one pool task. */
export interface EngineApi {
  /** `market.demo`: the embedded demo market, summarised for the UI. */
  loadDemo(): Promise<MarketSnapshot>;
  /** `engine.ready`: resolves once a worker's wasm is ready. */
  ping(): Promise<'ready'>;
  /** Browser-test builds only (`__ASTRA_TEST_HOOKS__`): crash a worker, as a real crash would. */
  crash?(): void;
}

export class EngineClient {
  readonly #pool: Pool;
  readonly #retries: number;

  /**
   * @param create factory of a worker (called again for each replacement)
   * @param events lifecycle callbacks
   * @param options retry and restart limits
   */
  constructor(create: () => Worker, events: EngineClientEvents = {}, options: EngineClientOptions = {}) {
    this.#retries = Math.max(0, (options.maxAttempts ?? 3) - 1);
    this.#pool = createBrowserPool({
      createWorker: () => create(),
      size: options.size,
      maxCrashes: options.maxCrashes,
      crashWindowMs: options.crashWindowMs,
      defaultTimeLimitMs: options.requestTimeoutMs ?? 20_000,
      onWorkerExit: (e) => events.onCrash?.(e.reason, e.restarts, e.replaced),
    });
  }

  /** The pool underneath, for code that moves to `pool.run` already. */
  get pool(): Pool {
    return this.#pool;
  }

  /** Workers replaced after a crash or a time limit. */
  get restarts(): number {
    return this.#pool.stats.restarts;
  }

  /** Why the pool gave up replacing workers, or `null` while it is usable. */
  get brokenReason(): string | null {
    return this.#pool.stats.broken;
  }

  /**
   * Run `run` as the latest request of kind `key`. Resolves with its answer, or rejects with
   * `StaleRequestError` if a newer request of the same kind was made meanwhile.
   */
  request<T>(key: string, run: (api: EngineApi) => Promise<T>): Promise<T> {
    return run(this.#api(key));
  }

  /** Fire-and-forget call (errors ignored). */
  send(run: (api: EngineApi) => unknown): void {
    try {
      void Promise.resolve(run(this.#api('send'))).catch(() => undefined);
    } catch {
      // ignored, as documented
    }
  }

  /** Stop every worker; pending requests reject with `CancelledError`. */
  dispose(): void {
    void this.#pool.dispose();
  }

  #api(key: string): EngineApi {
    const options = { label: key, key, retries: this.#retries };
    return {
      loadDemo: () => this.#pool.run({ task: 'market.demo', ...options }),
      ping: () => this.#pool.run({ task: 'engine.ready', ...options }),
      ...(__ASTRA_TEST_HOOKS__
        ? // 'test.crash' is in the e2e build's worker table only, so not in the production table's type.
          { crash: () => void this.#pool.run({ task: 'test.crash' as 'engine.ready', label: 'crash' }).catch(() => undefined) }
        : {}),
    };
  }
}
