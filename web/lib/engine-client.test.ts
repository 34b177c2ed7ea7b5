/**
 * The app's engine client over the browser pool: Worker look-alikes whose other end is a
 * Comlink-exposed `WorkerApi` in this thread, so the browser adapter (`web/workers/pool.ts`) is
 * exercised as in the page — Comlink calls, `error` events, terminate.
 */
import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { AstraError } from '../../engine/errors.ts';
import { serializeError } from '../../engine/pool/errors.ts';
import type { BlockOutcome, WorkerApi } from '../../engine/pool/protocol.ts';
import type { MarketSnapshot } from '../workers/protocol.ts';
import { canShareMemory, defaultBrowserPoolSize } from '../workers/pool.ts';
import { EngineClient, StaleRequestError, TaskTimeoutError, WorkerCrashError } from './engine-client.ts';

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

describe('EngineClient over the browser pool', () => {
  it('runs loadDemo as the market.demo task and ping as engine.ready', async () => {
    const { workers, create } = fleet([(task) => (task === 'market.demo' ? snapshot('2026-11-20') : 'ready')]);
    const client = new EngineClient(create, {}, { size: 1 });
    await expect(client.request('market', (api) => api.loadDemo())).resolves.toEqual({ asOf: '2026-11-20' });
    await expect(client.request('ping', (api) => api.ping())).resolves.toBe('ready');
    expect(workers[0].tasks).toEqual(['market.demo', 'engine.ready']);
    client.dispose();
  });

  it('drops a stale answer: the latest request of a kind wins', async () => {
    let n = 0;
    const { create } = fleet([async () => snapshot(`answer ${++n}`)]);
    const client = new EngineClient(create, {}, { size: 1 });
    const first = client.request('market', (api) => api.loadDemo());
    const second = client.request('market', (api) => api.loadDemo());
    await expect(first).rejects.toBeInstanceOf(StaleRequestError);
    await expect(second).resolves.toEqual({ asOf: 'answer 1' }); // the first never reached the worker
    client.dispose();
  });

  it('replaces a crashed worker and re-runs the request that was in flight', async () => {
    const crashes: [string, number, boolean][] = [];
    const { workers, create } = fleet([never, () => snapshot('from worker 2')]);
    const client = new EngineClient(create, { onCrash: (...e) => crashes.push(e) }, { size: 1 });
    const pending = client.request('market', (api) => api.loadDemo());
    await tick();
    expect(workers[0].crash('boom')).toBe(true); // handled: not reported again as a page error
    await expect(pending).resolves.toEqual({ asOf: 'from worker 2' });
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(client.restarts).toBe(1);
    expect(crashes).toEqual([['boom', 1, true]]);
    client.dispose();
  });

  it('gives up after maxAttempts runs when every worker crashes, naming the request', async () => {
    const { workers, create } = fleet([never]);
    const client = new EngineClient(create, {}, { size: 1, maxAttempts: 2 });
    const outcome = client.request('market', (api) => api.loadDemo()).catch((e: unknown) => e);
    for (let i = 0; i < 2; i++) {
      await tick();
      workers[workers.length - 1].crash(`crash ${i + 1}`);
    }
    const error = await outcome;
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect((error as Error).message).toBe('market failed: its engine worker crashed (crash 2)');
    client.dispose();
  });

  it('stops a request that overruns its time limit and replaces the hung worker', async () => {
    const crashes: [string, number, boolean][] = [];
    const { workers, create } = fleet([never, () => snapshot('after the hang')]);
    const client = new EngineClient(create, { onCrash: (...e) => crashes.push(e) }, { size: 1, requestTimeoutMs: 30 });
    await expect(client.request('market', (api) => api.loadDemo())).rejects.toBeInstanceOf(TaskTimeoutError);
    expect(workers[0].terminated).toBe(true);
    expect(crashes).toEqual([['market did not finish within 30 ms and was stopped (its engine worker was replaced)', 1, true]]);
    await expect(client.request('market', (api) => api.loadDemo())).resolves.toEqual({ asOf: 'after the hang' });
    client.dispose();
  });

  it('stops recreating workers that keep crashing, and says so', async () => {
    const events: [string, number, boolean][] = [];
    const { workers, create } = fleet([never]);
    const client = new EngineClient(create, { onCrash: (...e) => events.push(e) }, { size: 1, maxCrashes: 3, maxAttempts: 10 });
    const outcome = client.request('market', (api) => api.loadDemo()).catch((e: unknown) => e);
    for (let i = 0; i < 3; i++) {
      await tick();
      workers[workers.length - 1].crash('cannot start');
    }
    const error = await outcome;
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect(String(error)).toContain('crashed 3 times within 30 s (last: cannot start)');
    expect(workers).toHaveLength(3);
    expect(events.map((e) => e[2])).toEqual([true, true, false]);
    expect(client.brokenReason).toBe('cannot start');
    await expect(client.request('ping', (api) => api.ping())).rejects.toBeInstanceOf(WorkerCrashError);
    expect(workers).toHaveLength(3);
    client.dispose();
  });

  it('passes an engine error through with its code, without restarting the worker', async () => {
    const { workers, create } = fleet([
      () => {
        throw new AstraError('WASM_LOAD', 'could not load the ASTRA WebAssembly kernels: HTTP 503');
      },
    ]);
    const client = new EngineClient(create, {}, { size: 1 });
    const error = await client.request('market', (api) => api.loadDemo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AstraError);
    expect((error as AstraError).code).toBe('WASM_LOAD');
    expect((error as Error).message).toContain('HTTP 503');
    expect(workers).toHaveLength(1);
    expect(client.restarts).toBe(0);
    client.dispose();
  });

  it('has no crash switch outside the browser-test build', () => {
    const { create } = fleet([() => 'ready']);
    const client = new EngineClient(create, {}, { size: 1 });
    let crash: unknown = 'unset';
    void client.request('x', async (api) => (crash = api.crash));
    expect(crash).toBeUndefined();
    client.dispose();
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
