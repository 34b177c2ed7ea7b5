/**
 * Wiring: storage, the engine pool, and one state module per panel, then the Svelte app.
 * Nothing here computes anything; each module owns its state, and the panels read them.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { CancelledError } from '../engine/pool/errors.ts';
import { StorageWriter } from './lib/storage.ts';
import { BookState } from './state/book.svelte.ts';
import { DisplayState } from './state/display.svelte.ts';
import { BOOK_SLOT } from './lib/book-slot.ts';
import { EngineStatus } from './state/engine-status.svelte.ts';
import { MarketState } from './state/market.svelte.ts';
import { Notices } from './state/notices.svelte.ts';
import { ThemeState } from './state/theme.svelte.ts';
import { createBrowserPool } from './workers/pool.ts';
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
window.addEventListener('pagehide', () => writer.flush());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') writer.flush();
});

const engine = new EngineStatus();
const pool = createBrowserPool({
  onWorkerExit: ({ reason, restarts, replaced }) => {
    engine.crashed(reason, restarts, replaced);
    if (!replaced) {
      console.error(`ASTRA: engine worker crashed again (${reason}); giving up`);
      return;
    }
    console.warn(`ASTRA: engine worker crashed (${reason}); restarted it (${restarts}×)`);
    // Prove the new worker is up even when nothing was in flight.
    pool.run({ task: 'engine.ready', label: 'engine', key: 'ping' }).then(
      () => engine.ready(),
      (e: unknown) => {
        if (!(e instanceof CancelledError)) engine.failed(e instanceof Error ? e.message : String(e));
      },
    );
  },
});

// Reading a source is idempotent: a block whose worker crashed is re-run (twice at most). A large
// CSV or snapshot takes seconds to parse and clean, hence the longer time limit.
const market = new MarketState(async (source, { signal, progress }) => {
  const snapshot = await pool.run({ task: 'market.load', arg: source, label: 'market', retries: 2, timeLimitMs: 60_000, signal, onProgress: (p) => progress(p.fraction) });
  engine.ready();
  return snapshot;
});
const book = new BookState(market, {
  storage,
  writer,
  notices,
  confirm: (message) => window.confirm(message),
  tabId: crypto.randomUUID().slice(0, 8),
  readBook: (file) => pool.run({ task: 'csv.book', arg: file, label: 'book CSV' }),
});
// The Risk module (state, pool run, panels) loads on demand, out of the entry chunk.
const risk = import('./risk.ts').then(
  ({ RiskState, runRisk }) => new RiskState(book, market, { storage, writer, notices, run: (inputs, ctx) => runRisk(pool, inputs, ctx) }),
);
// The Inventory module (optimizer) loads on demand too; it reads the Risk module's limit and status.
const inventory = Promise.all([import('./inventory.ts'), risk]).then(
  ([{ InventoryState, prepareInventory, stepInventory }, r]) =>
    new InventoryState(book, market, r, {
      storage, writer, notices,
      confirm: (message) => window.confirm(message),
      prepare: (arg, ctx) => prepareInventory(pool, arg, ctx),
      step: (arg, ctx) => stepInventory(pool, arg, ctx),
    }),
);
// The data-source module (its chunk loads on demand) restores the chosen source and loads it.
const data = import('./data.ts').then(({ DataSourceState, advertisedProxy, fetchShipped, indexedDbStore }) => {
  const state = new DataSourceState(market, book, {
    storage,
    writer,
    notices,
    store: indexedDbStore,
    fetch: (input, init) => fetch(input, init),
    advertisedProxy: () => advertisedProxy((input, init) => fetch(input, init), document.baseURI),
    shippedSnapshot: () => fetchShipped((input, init) => fetch(input, init), document.baseURI),
  });
  void state.boot().then(() => {
    if (market.data.error) engine.failed(market.data.error);
  });
  return state;
});
// The Alpha module loads on demand too; it reads the risk status (HALTED: no new trades) and its
// replay's feed loads on the first replay (web/lib/replay-feed.ts: the page's own wasm instance).
const alpha = Promise.all([import('./alpha.ts'), risk.catch(() => null)]).then(
  ([{ AlphaState, alphaRunners }, r]) =>
    new AlphaState(market, {
      storage, writer, notices, runners: alphaRunners(pool), riskStatus: () => r?.status ?? null,
      createFeed: (options) => import('./lib/replay-feed.ts').then((m) => m.createFeed(options)),
    }),
);
const theme = new ThemeState(storage, writer, notices);
const display = new DisplayState(storage, writer, notices);

// Another tab saved the book: show its version here, so this tab's next edit builds on it.
window.addEventListener('storage', (event) => {
  if (event.storageArea === storage && event.key === BOOK_SLOT.key) book.receive(event.newValue);
});

// Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo book and funding edits. Inside a field being
// typed in, the browser's own text undo keeps the keys.
window.addEventListener('keydown', (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key !== 'z' && key !== 'y') return;
  const target = event.target as HTMLElement | null;
  if (target?.matches('input, textarea') && target.dataset.pristine !== 'true') return;
  const redo = key === 'y' || event.shiftKey;
  if (redo ? book.redo() : book.undo()) event.preventDefault();
});

if (__ASTRA_TEST_HOOKS__) {
  void import('./test-hooks.ts').then(({ installTestHooks }) =>
    installTestHooks({
      market,
      engine,
      // 'test.crash' is in the e2e build's worker table only, so not in the production table's type.
      crashWorker: () => void pool.run({ task: 'test.crash' as 'engine.ready', label: 'crash' }).catch(() => undefined),
    }),
  );
}

const target = document.getElementById('app');
if (!target) throw new Error('ASTRA: #app is missing from index.html');
document.documentElement.dataset.theme = theme.theme; // no dark flash for a saved light theme
mount(App, { target, props: { market, book, risk, inventory, alpha, theme, engine, notices, display, data } });
