import { describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import { EngineClient, StaleRequestError, WorkerCrashError } from './engine-client.ts';
import type { EngineWorkerApi, MarketSnapshot } from '../workers/protocol.ts';

/** A Worker look-alike whose other end is a Comlink-exposed object in this thread. */
class FakeWorker extends EventTarget {
  terminated = false;
  readonly #port: MessagePort;
  constructor(api: Partial<EngineWorkerApi>) {
    super();
    const { port1, port2 } = new MessageChannel();
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
  /** What a real worker's uncaught error looks like from the outside. */
  crash(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

const snapshot = (asOf: string) => ({ asOf }) as unknown as MarketSnapshot;
const never = () => new Promise<never>(() => undefined);

function fleet(apis: Partial<EngineWorkerApi>[]) {
  const workers: FakeWorker[] = [];
  const create = () => {
    const w = new FakeWorker(apis[Math.min(workers.length, apis.length - 1)]);
    workers.push(w);
    return w as unknown as Worker;
  };
  return { workers, create };
}

describe('EngineClient', () => {
  it('answers a request through Comlink', async () => {
    const { create } = fleet([{ loadDemo: async () => snapshot('2026-11-20') }]);
    const client = new EngineClient(create);
    await expect(client.request('market', (api) => api.loadDemo())).resolves.toEqual({ asOf: '2026-11-20' });
    client.dispose();
  });

  it('drops a stale answer: the latest request of a kind wins', async () => {
    let n = 0;
    const { create } = fleet([{ loadDemo: async () => snapshot(`answer ${++n}`) }]);
    const client = new EngineClient(create);
    const first = client.request('market', (api) => api.loadDemo());
    const second = client.request('market', (api) => api.loadDemo());
    await expect(first).rejects.toBeInstanceOf(StaleRequestError);
    await expect(second).resolves.toEqual({ asOf: 'answer 2' });
    client.dispose();
  });

  it('recreates a crashed worker and retries the request that was in flight', async () => {
    const crashes: string[] = [];
    const { workers, create } = fleet([{ loadDemo: never }, { loadDemo: async () => snapshot('from worker 2') }]);
    const client = new EngineClient(create, { onCrash: (reason) => crashes.push(reason) });
    const pending = client.request('market', (api) => api.loadDemo());
    await new Promise((r) => setTimeout(r, 10));
    workers[0].crash('boom');
    await expect(pending).resolves.toEqual({ asOf: 'from worker 2' });
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(client.restarts).toBe(1);
    expect(crashes).toEqual(['boom']);
    client.dispose();
  });

  it('replaces a worker that hangs without an error event, and retries on the new one', async () => {
    const crashes: string[] = [];
    const { workers, create } = fleet([{ loadDemo: never }, { loadDemo: async () => snapshot('after the hang') }]);
    const client = new EngineClient(create, { onCrash: (reason) => crashes.push(reason) }, { requestTimeoutMs: 30 });
    await expect(client.request('market', (api) => api.loadDemo())).resolves.toEqual({ asOf: 'after the hang' });
    expect(workers[0].terminated).toBe(true);
    expect(crashes).toEqual(['no answer within 30 ms (the engine worker looks hung)']);
    client.dispose();
  });

  it('does not fire the watchdog for a request that answers in time', async () => {
    const crashes: string[] = [];
    const { workers, create } = fleet([{ loadDemo: async () => snapshot('on time') }]);
    const client = new EngineClient(create, { onCrash: (reason) => crashes.push(reason) }, { requestTimeoutMs: 30 });
    await expect(client.request('market', (api) => api.loadDemo())).resolves.toEqual({ asOf: 'on time' });
    await new Promise((r) => setTimeout(r, 60));
    expect(crashes).toEqual([]);
    expect(workers).toHaveLength(1);
    client.dispose();
  });

  it('gives up after the retry budget when every worker crashes', async () => {
    const { workers, create } = fleet([{ loadDemo: never }]);
    const client = new EngineClient(create, {}, { maxAttempts: 2 });
    const pending = client.request('market', (api) => api.loadDemo());
    const outcome = pending.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 5));
      workers[workers.length - 1].crash(`crash ${i + 1}`);
    }
    expect(await outcome).toBeInstanceOf(WorkerCrashError);
    client.dispose();
  });

  it('stops recreating a worker that keeps crashing, and says so', async () => {
    const events: [string, number, boolean][] = [];
    const { workers, create } = fleet([{ loadDemo: never, ping: never }]);
    const client = new EngineClient(create, { onCrash: (...e) => events.push(e) }, { maxCrashes: 3, maxAttempts: 10 });
    const pending = client.request('market', (api) => api.loadDemo());
    const outcome = pending.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    for (let i = 0; i < 3; i++) workers[workers.length - 1].crash('cannot start');
    const error = await outcome;
    expect(error).toBeInstanceOf(WorkerCrashError);
    expect(String(error)).toContain('3 crashes in a row');
    expect(workers).toHaveLength(3);
    expect(events.map((e) => e[2])).toEqual([true, true, false]);
    expect(client.brokenReason).toContain('cannot start');
    await expect(client.request('ping', (api) => api.ping())).rejects.toBeInstanceOf(WorkerCrashError);
    expect(workers).toHaveLength(3);
    client.dispose();
  });

  it('passes an engine error through without restarting the worker', async () => {
    const { workers, create } = fleet([
      {
        loadDemo: async () => {
          throw new Error('could not load the ASTRA WebAssembly kernels: missing');
        },
      },
    ]);
    const client = new EngineClient(create);
    await expect(client.request('market', (api) => api.loadDemo())).rejects.toThrow('WebAssembly kernels');
    expect(workers).toHaveLength(1);
    expect(client.restarts).toBe(0);
    client.dispose();
  });
});
