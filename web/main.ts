import { mount } from 'svelte';
import App from './App.svelte';
import { AppState } from './state/app.svelte.ts';
import { spawnEngineWorker } from './workers/spawn.ts';
import './app.css';

/** Diagnostics and test hooks, reachable from the console and from the browser tests. */
export interface AstraHooks {
  /** Make the engine worker throw an uncaught error (it is recreated and the latest request retried). */
  crashWorker(): void;
  /** Regenerate the demo market in the worker. */
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
    /** See {@link AstraHooks}. */
    __astra?: AstraHooks;
  }
}

function getStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the app still works, without persistence
  }
}

const state = new AppState({
  createWorker: spawnEngineWorker,
  storage: getStorage(),
});

window.__astra = {
  crashWorker: () => state.crashWorker(),
  reloadMarket: () => state.loadMarket(),
  firstResultMs: () => state.firstResultMs,
  workerTimings: () => state.market?.timings ?? null,
  engine: () => ({ phase: state.engine.phase, restarts: state.engine.restarts }),
};

const target = document.getElementById('app');
if (!target) throw new Error('ASTRA: #app is missing from index.html');
// Start the worker first: fetching and instantiating the wasm and generating the demo overlap with
// the first render instead of following it.
state.start();
document.documentElement.dataset.theme = state.theme; // no dark flash for a saved light theme
mount(App, { target, props: { app: state } });
