/**
 * Wiring: storage, the engine worker, and one state module per panel, then the Svelte app.
 * Nothing here computes anything; each module owns its state, and the panels read them.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { EngineClient, StaleRequestError } from './lib/engine-client.ts';
import { StorageWriter } from './lib/storage.ts';
import { BookState } from './state/book.svelte.ts';
import { EngineStatus } from './state/engine-status.svelte.ts';
import { MarketState } from './state/market.svelte.ts';
import { Notices } from './state/notices.svelte.ts';
import { ThemeState } from './state/theme.svelte.ts';
import { spawnEngineWorker } from './workers/spawn.ts';
import './app.css';

function getStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the app still works, without persistence
  }
}

const storage = getStorage();
const notices = new Notices();
const writer = new StorageWriter(storage, (message) => notices.add(message));
// Debounced writes must not be lost when the tab is hidden, closed or reloaded.
addEventListener('pagehide', () => writer.flush());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') writer.flush();
});

const engine = new EngineStatus();
const client = new EngineClient(spawnEngineWorker, {
  onCrash: (reason, restarts, replaced) => {
    engine.crashed(reason, restarts, replaced);
    if (!replaced) {
      console.error(`ASTRA: engine worker crashed again (${reason}); giving up`);
      return;
    }
    console.warn(`ASTRA: engine worker crashed (${reason}); restarted it (${restarts}×)`);
    // Prove the new worker is up even when nothing was in flight.
    client.request('ping', (api) => api.ping()).then(
      () => engine.ready(),
      (e: unknown) => {
        if (!(e instanceof StaleRequestError)) engine.failed(e instanceof Error ? e.message : String(e));
      },
    );
  },
});

const market = new MarketState(async () => {
  const snapshot = await client.request('market', (api) => api.loadDemo());
  engine.ready();
  return snapshot;
});
const book = new BookState(market, storage, writer, notices);
const theme = new ThemeState(storage, writer, notices);

if (__ASTRA_TEST_HOOKS__) {
  void import('./test-hooks.ts').then(({ installTestHooks }) =>
    installTestHooks({ market, engine, crashWorker: () => client.send((api) => (api.crash as () => void)()) }),
  );
}

const target = document.getElementById('app');
if (!target) throw new Error('ASTRA: #app is missing from index.html');
// Start the worker first: fetching and instantiating the wasm and generating the demo overlap with
// the first render instead of following it.
void market.load().then(() => {
  if (market.data.error) engine.failed(market.data.error);
});
document.documentElement.dataset.theme = theme.theme; // no dark flash for a saved light theme
mount(App, { target, props: { market, book, theme, engine, notices } });
