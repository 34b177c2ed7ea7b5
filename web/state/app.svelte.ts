/**
 * Application state: the market snapshot from the engine worker, the user's book and funding
 * inputs (persisted), and the book/funding figures derived from them.
 *
 * Book summary and funding are computed here, on the main thread, with the engine's pure TS
 * modules: they cost microseconds for a desk-sized book, so an input or slider updates the KPIs in
 * the same frame, synchronously — no round trip, no out-of-order answers, and they keep working
 * while the worker restarts. Everything that needs the wasm kernels runs in the worker.
 */
import { tick } from 'svelte';
import { summarizeBook } from '../../engine/book/book.ts';
import type { BookSummary } from '../../engine/book/book.ts';
import { computeFunding } from '../../engine/book/funding.ts';
import type { FundingReport, RfrSource } from '../../engine/book/funding.ts';
import { AstraError } from '../../engine/errors.ts';
import type { MarketSnapshot } from '../workers/protocol.ts';
import { EngineClient, StaleRequestError } from '../lib/engine-client.ts';
import {
  addPosition,
  editBorrowOverride,
  editEquity,
  editPrice,
  editRfr,
  editShares,
  editSpread,
  removePosition,
} from '../lib/book-edit.ts';
import type { Book, Edit, FundingInputs, SpreadField } from '../lib/book-edit.ts';
import { defaultFunding, loadState, saveState } from '../lib/storage.ts';
import type { Theme } from '../lib/storage.ts';

/** Which panel an input error belongs to (it is shown next to that panel). */
export type ErrorScope = 'book' | 'funding';

/** A rejected input: the message names the field and the value; the previous value was kept. */
export interface InputError {
  /** Panel the input belongs to. */
  scope: ErrorScope;
  /** What was wrong, e.g. `shares of AAPL must be a number, got "abc"`. */
  message: string;
}

/** Life of the engine worker, for the status indicator. */
export interface EngineStatus {
  /** `starting` until the wasm is loaded, `restarting` between a crash and the new worker's answer. */
  phase: 'starting' | 'ready' | 'restarting' | 'failed';
  /** Workers recreated after a crash. */
  restarts: number;
  /** Reason of the last crash, if any. */
  lastCrash: string | null;
}

/** Derived figures, or why they cannot be computed. */
export type Computed<T> = { ok: true; value: T } | { ok: false; error: string };

function compute<T>(f: () => T): Computed<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof AstraError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Where the app gets its worker and storage (injected so both can be swapped). */
export interface AppDeps {
  /** Creates the engine worker (called again after each crash). */
  createWorker: () => Worker;
  /** Persistent storage, `undefined` to disable persistence. */
  storage: Storage | undefined;
}

export class AppState {
  /** The demo market from the worker; `null` until it arrives. Large: not deeply reactive. */
  market = $state.raw<MarketSnapshot | null>(null);
  /** Why the market could not be loaded, if it could not. */
  marketError = $state<string | null>(null);
  /** The user's edited book; `null` = the demo book from the market. */
  userBook = $state.raw<Book | null>(null);
  /** Funding inputs (spreads, fees, RFR override). */
  funding = $state.raw<FundingInputs>(defaultFunding());
  /** Colour theme (dark by default). */
  theme = $state<Theme>('dark');
  /** Message about storage (unreadable saved book, quota…), shown until dismissed. */
  notice = $state<string | null>(null);
  /** The last rejected input, cleared by the next accepted edit. */
  inputError = $state<InputError | null>(null);
  /** Engine worker status. */
  engine = $state<EngineStatus>({ phase: 'starting', restarts: 0, lastCrash: null });
  /** ms from navigation start to the first render with market data (KPIs, funding, chart data). */
  firstResultMs = $state<number | null>(null);

  /** The book on screen: the user's, else the demo book, else `null` while loading. */
  book: Book | null = $derived(
    this.userBook ?? (this.market ? { positions: this.market.book, equity: this.market.equity } : null),
  );
  /** Whether the book on screen is the untouched demo book. */
  isDemoBook: boolean = $derived(this.userBook === null);
  /** Risk-free rate in use (decimal per year, ACT/360); `NaN` until known. */
  rfr: number = $derived(this.funding.rfrOverride ?? this.market?.rfr ?? NaN);
  /** Where {@link rfr} comes from. */
  rfrSource: RfrSource = $derived(this.funding.rfrOverride !== null ? 'override' : '^IRX');
  /** Book summary (gross, net, leverage…). */
  summary: Computed<BookSummary> | null = $derived.by(() => {
    const book = this.book;
    return book ? compute(() => summarizeBook(book.positions, book.equity)) : null;
  });
  /** Funding report; `null` until the book and the RFR are known. */
  report: Computed<FundingReport> | null = $derived.by(() => {
    const book = this.book;
    const rfr = this.rfr;
    if (!book || !Number.isFinite(rfr)) return null;
    const f = this.funding;
    return compute(() =>
      computeFunding(book.positions, book.equity, {
        rfr,
        rfrSource: this.rfrSource,
        longSpreadBps: f.longSpreadBps,
        shortSpreadBps: f.shortSpreadBps,
        borrowBps: f.borrowBps,
        borrowOverrides: f.borrowOverrides,
      }),
    );
  });

  readonly #deps: AppDeps;
  #client: EngineClient | null = null;

  constructor(deps: AppDeps) {
    this.#deps = deps;
    const { state, notice } = loadState(deps.storage);
    this.userBook = state.book;
    this.funding = state.funding;
    this.theme = state.theme;
    this.notice = notice;
  }

  /** Start the engine worker and load the demo market. */
  start(): void {
    this.#client = new EngineClient(this.#deps.createWorker, {
      onCrash: (reason, restarts, replaced) => {
        if (!replaced) {
          this.engine = { phase: 'failed', restarts, lastCrash: reason };
          console.error(`ASTRA: engine worker crashed again (${reason}); giving up`);
          return;
        }
        this.engine = { phase: 'restarting', restarts, lastCrash: reason };
        console.warn(`ASTRA: engine worker crashed (${reason}); restarted it (${restarts}×)`);
        // Prove the new worker is up even when nothing was in flight.
        this.#ping();
      },
    });
    void this.loadMarket();
  }

  /** Stop the worker (component teardown). */
  stop(): void {
    this.#client?.dispose();
    this.#client = null;
  }

  /** (Re)generate the demo market in the worker; the latest call wins. */
  async loadMarket(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      const market = await client.request('market', (api) => api.loadDemo());
      this.market = market;
      this.marketError = null;
      this.engine = { ...this.engine, phase: 'ready' };
      if (this.firstResultMs === null) {
        await tick();
        this.firstResultMs = performance.now();
      }
    } catch (e) {
      if (e instanceof StaleRequestError) return;
      this.marketError = e instanceof Error ? e.message : String(e);
      this.engine = { ...this.engine, phase: 'failed' };
    }
  }

  /** Test hook: crash the worker (the client recreates it and retries what was in flight). */
  crashWorker(): void {
    this.#client?.send((api) => api.crash());
  }

  #ping(): void {
    this.#client?.request('ping', (api) => api.ping()).then(
      () => {
        if (this.engine.phase === 'restarting') this.engine = { ...this.engine, phase: 'ready' };
      },
      (e: unknown) => {
        if (e instanceof StaleRequestError) return;
        this.engine = { ...this.engine, phase: 'failed', lastCrash: e instanceof Error ? e.message : String(e) };
      },
    );
  }

  // ---- edits: each validates, then commits and persists, or keeps the previous value ----

  #commit<T>(scope: ErrorScope, edit: Edit<T>, apply: (value: T) => void): boolean {
    if (!edit.ok) {
      this.inputError = { scope, message: edit.error };
      return false;
    }
    apply(edit.value);
    this.inputError = null;
    this.#persist();
    return true;
  }

  #editBook(f: (book: Book) => Edit<Book>): boolean {
    const book = this.book;
    if (!book) {
      this.inputError = { scope: 'book', message: 'the book is still loading' };
      return false;
    }
    return this.#commit('book', f(book), (b) => (this.userBook = b));
  }

  /** Set the shares of `ticker` from typed text. Returns whether the edit was accepted. */
  setShares(ticker: string, text: string): boolean {
    return this.#editBook((b) => editShares(b, ticker, text));
  }

  /** Set the price of `ticker` from typed text. */
  setPrice(ticker: string, text: string): boolean {
    return this.#editBook((b) => editPrice(b, ticker, text));
  }

  /** Set the equity from typed text. */
  setEquity(text: string): boolean {
    return this.#editBook((b) => editEquity(b, text));
  }

  /** Add a position; an empty price takes the last close of the demo market. */
  addPosition(input: { ticker: string; shares: string; price: string }): boolean {
    const market = this.market;
    const source = market ? { lastPrices: market.lastPrices, label: market.label } : null;
    return this.#editBook((b) => addPosition(b, input, source));
  }

  /** Remove `ticker` from the book. */
  removePosition(ticker: string): boolean {
    return this.#editBook((b) => removePosition(b, ticker));
  }

  /** Go back to the demo book (funding inputs are kept). */
  resetBook(): void {
    this.userBook = null;
    this.inputError = null;
    this.#persist();
  }

  /** Set the RFR override from percent text; empty = use the market's ^IRX rate. */
  setRfr(text: string): boolean {
    return this.#commit('funding', editRfr(this.funding, text), (f) => (this.funding = f));
  }

  /** Set a spread / the default borrow fee from bp text. */
  setSpread(field: SpreadField, text: string): boolean {
    return this.#commit('funding', editSpread(this.funding, field, text), (f) => (this.funding = f));
  }

  /** Set or clear (empty text) the borrow fee override of `ticker`, bp. */
  setBorrowOverride(ticker: string, text: string): boolean {
    return this.#commit('funding', editBorrowOverride(this.funding, ticker, text), (f) => (this.funding = f));
  }

  /** Switch between dark and light. */
  toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
    this.#persist();
  }

  /** Hide the storage notice. */
  dismissNotice(): void {
    this.notice = null;
  }

  #persist(): void {
    const error = saveState(this.#deps.storage, {
      version: 1,
      book: this.userBook,
      funding: this.funding,
      theme: this.theme,
    });
    if (error) this.notice = error;
  }
}
