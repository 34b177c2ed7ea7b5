/**
 * Hooks for the browser tests, installed only in the e2e build (`__ASTRA_TEST_HOOKS__`); the
 * production bundle contains none of this (checked by e2e/bundle-size.test.ts).
 */
import type { EngineStatus } from './state/engine-status.svelte.ts';
import type { MarketState } from './state/market.svelte.ts';

/** Diagnostics and switches the browser tests reach through `window.__astra`. */
export interface AstraHooks {
  /** Make the engine worker throw an uncaught error (it is recreated and the latest request retried). */
  crashWorker(): void;
  /** Reload the market in the worker. */
  reloadMarket(): Promise<void>;
  /** ms from navigation start to the first render with market data, `null` before it. */
  firstResultMs(): number | null;
  /** Worker-side timings of the last market load (wasm ready, demo generation), ms. */
  workerTimings(): { readyMs: number; generateMs: number } | null;
  /** Worker restarts and phase. */
  engine(): { phase: string; restarts: number };
}

declare global {
  interface Window {
    /** See {@link AstraHooks}; present only in the e2e build. */
    __astra?: AstraHooks;
  }
}

/** Put the hooks on `window`. */
export function installTestHooks(deps: { market: MarketState; engine: EngineStatus; crashWorker: () => void }): void {
  const { market, engine } = deps;
  window.__astra = {
    crashWorker: deps.crashWorker,
    reloadMarket: () => market.load(),
    firstResultMs: () => market.firstResultMs,
    workerTimings: () => market.snapshot?.timings ?? null,
    engine: () => ({ phase: engine.phase, restarts: engine.restarts }),
  };
}
