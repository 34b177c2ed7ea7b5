/// <reference types="vite/client" />
/**
 * The engine worker: owns the wasm kernels and every engine call, so the main thread only renders.
 *
 * `Comlink.expose` runs synchronously at module evaluation. The wasm instantiation is a promise
 * (`ready`) that each method awaits: a top-level `await` before `expose` has been seen to lose the
 * first message on these machines (the call never answers).
 */
import * as Comlink from 'comlink';
import wasmUrl from '../../build/astra.wasm?url';
import { Kernels } from '../../engine/kernels.ts';
import { generateDemoMarket } from '../../engine/demo.ts';
import { cumulativeLogReturns, lastCloses, lastQuote } from '../../engine/market/chart-series.ts';
import type { EngineWorkerApi, MarketSnapshot } from './protocol.ts';

const started = performance.now();
let readyAt = NaN;

function load(): Promise<Kernels> {
  const p = Kernels.load(fetch(wasmUrl)).then((engine) => {
    readyAt = performance.now();
    return engine;
  });
  // The rejection is reported by the methods that await it; don't let it go unhandled here.
  p.catch(() => undefined);
  return p;
}

/** Starts loading at once (before any call arrives); `Comlink.expose` below does not wait for it. */
let ready: Promise<Kernels> = load();

/** The engine; after a failed load (e.g. a network blip) the next call tries again. */
async function engine(): Promise<Kernels> {
  const current = ready;
  try {
    return await current;
  } catch (e) {
    if (ready === current) ready = load();
    throw e;
  }
}

const api: EngineWorkerApi = {
  async loadDemo(): Promise<MarketSnapshot> {
    const kernels = await engine();
    const t0 = performance.now();
    const demo = generateDemoMarket(kernels);
    const returns = cumulativeLogReturns(demo.prices);
    const lastPrices = lastCloses(demo.prices);
    const snapshot: MarketSnapshot = {
      label: demo.label,
      asOf: demo.prices.dates[demo.prices.dates.length - 1] ?? '',
      tickers: returns.tickers.slice(),
      lastPrices: Object.fromEntries(returns.tickers.filter((t) => t in lastPrices).map((t) => [t, lastPrices[t]])),
      book: demo.book.map((p) => ({ ticker: p.ticker, shares: p.shares, price: p.price })),
      equity: demo.equity,
      rfr: demo.rfr,
      irx: lastQuote(demo.prices, '^IRX'),
      returns,
      timings: { readyMs: readyAt - started, generateMs: performance.now() - t0 },
    };
    return Comlink.transfer(
      snapshot,
      returns.values.map((v) => v.buffer as ArrayBuffer),
    );
  },

  async ping(): Promise<'ready'> {
    await engine();
    return 'ready';
  },

  // Browser-test builds only (see web/env.d.ts): production bundles carry no crash switch.
  ...(__ASTRA_TEST_HOOKS__
    ? {
        crash(): void {
          setTimeout(() => {
            throw new Error('ASTRA test hook: simulated engine worker crash');
          }, 0);
        },
      }
    : {}),
};

Comlink.expose(api);
