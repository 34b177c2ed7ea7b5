/**
 * The data-source module: which source the market comes from (demo, live through the proxy, a
 * snapshot file, CSV files), switching between them without losing the book or the data on
 * screen, the live load's progress per ticker, and what survives a reload (settings in the
 * `astra.data.v1` slot, the loaded data in IndexedDB).
 *
 * At start ({@link DataSourceState.boot}): the source chosen last, read again from IndexedDB; on
 * a first visit, live data when `npm start` advertised its proxy, else the shipped
 * `snapshot.json` beside index.html when there is one, else the demo. Whatever fails says why and
 * leaves the demo (or the previous data) on screen.
 */
import { checkFileSize, csvKindOf, missingBookTickers } from '../lib/source-files.ts';
import {
  DATA_SLOT,
  DEFAULT_PROXY_URL,
  dataRecord,
  defaultDataSettings,
  readPair,
  readProxyUrl,
  readTickers,
  type DataSettings,
} from '../lib/data-settings.ts';
import { LOOKBACK_RULE, readField } from '../lib/input-rules.ts';
import { fetchLive, LiveError, type LiveItem } from '../lib/live.ts';
import { loadSource, saveSource, type KeyValueStore } from '../lib/market-store.ts';
import { loadSlot, type StorageWriter } from '../lib/storage.ts';
import type { MarketSource, SourceFile, SourceKind } from '../workers/protocol.ts';
import type { BookState } from './book.svelte.ts';
import type { MarketState } from './market.svelte.ts';
import type { Notices } from './notices.svelte.ts';

/** What the module needs from its surroundings. */
export interface DataSourceDeps {
  storage: Storage | undefined;
  writer: StorageWriter;
  notices: Notices;
  /** IndexedDB (web/lib/market-store.ts `indexedDbStore`), or a fake in tests. */
  store: KeyValueStore;
  /** `fetch` for the proxy and the shipped snapshot. */
  fetch: typeof globalThis.fetch;
  /** The proxy URL `npm start` advertised, `null` when there is none (a plain static server). */
  advertisedProxy: () => Promise<string | null>;
  /** The shipped snapshot's text beside index.html, `null` when there is none. */
  shippedSnapshot: () => Promise<SourceFile | null>;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
}

/** A message of the module: an error (something was refused or failed) or information. */
export interface SourceMessage {
  kind: 'error' | 'info';
  text: string;
}

/** The sources by name as the switcher shows them. */
export const SOURCE_NAMES: Record<SourceKind, string> = { demo: 'Demo', live: 'Live', snapshot: 'Snapshot', csv: 'CSV' };

export class DataSourceState {
  /** The module's settings (kept in `astra.data.v1`). */
  settings = $state.raw<DataSettings>(defaultDataSettings());
  /** Progress of the live load in flight or last run, one line per request. */
  items = $state.raw<LiveItem[]>([]);
  /** What is loading now, `null` when nothing is. */
  busy = $state<SourceKind | 'book' | null>(null);
  /** The last message (a refused file, the proxy down, a source that loaded with failures). */
  message = $state.raw<SourceMessage | null>(null);
  /** Why the loaded data will not survive a reload (storage full, too large), `null` when it will. */
  storageNote = $state<string | null>(null);
  /** The panel is open. */
  open = $state(false);
  /** The proxy URL `npm start` advertised, once known. */
  advertised = $state<string | null>(null);

  readonly #market: MarketState;
  readonly #book: BookState;
  readonly #deps: DataSourceDeps;
  #abort: AbortController | null = null;

  /** The proxy the app talks to: the user's, else the advertised one, else the default. */
  proxyUrl: string = $derived(this.settings.proxyUrl ?? this.advertised ?? DEFAULT_PROXY_URL);
  /** The source on screen. */
  active: SourceKind = $derived.by(() => this.#market.source.kind);
  /** Book tickers (shares ≠ 0) the data on screen has no price for. */
  missing: string[] = $derived.by(() => missingBookTickers(this.#book.book?.positions, this.#market.snapshot?.lastPrices));

  constructor(market: MarketState, book: BookState, deps: DataSourceDeps) {
    this.#market = market;
    this.#book = book;
    this.#deps = deps;
    const { value, notice, corrupt } = loadSlot(deps.storage, DATA_SLOT);
    if (value) this.settings = value;
    deps.notices.add(notice, corrupt === undefined ? undefined : { filename: `${DATA_SLOT.key}.corrupt.json`, text: corrupt });
  }

  #save(change: Partial<DataSettings>): void {
    this.settings = { ...this.settings, ...change };
    const record = dataRecord(this.settings);
    this.#deps.writer.write(DATA_SLOT.key, record);
  }

  /** Start-up: restore the chosen source, or pick one on a first visit (see the module comment). */
  async boot(): Promise<void> {
    const demo: MarketSource = { kind: 'demo' };
    const chosen = this.settings.source;
    if (chosen === 'demo') return this.#market.load(demo);
    const advertised = this.#deps.advertisedProxy().then(
      (url) => (this.advertised = url),
      () => null,
    );
    const shipped = () => this.#deps.shippedSnapshot().catch(() => null);
    if (chosen !== null) {
      const stored = await loadSource(this.#deps.store);
      let source = stored.source?.kind === chosen ? stored.source : undefined;
      // A shipped snapshot is read again from beside index.html: a refreshed one replaces the copy kept.
      if (source?.kind === 'snapshot' && source.shipped) {
        const file = await shipped();
        if (file) source = { ...source, file };
      }
      if (source) {
        const problem = await this.#switch(source);
        if (problem === null) return;
        this.message = { kind: 'error', text: `The saved ${SOURCE_NAMES[chosen]} data could not be read again (${problem}); showing the demo.` };
      } else {
        this.message = { kind: 'error', text: `${stored.problem ?? `The saved ${SOURCE_NAMES[chosen]} data is not in this browser any more.`} Showing the demo.` };
      }
      return this.#market.load(demo);
    }
    // First visit: live data when npm start advertised its proxy, else the shipped snapshot, else the demo.
    const [proxy, file] = await Promise.all([advertised, shipped()]);
    if (proxy) {
      void this.#market.load(demo); // on screen while the live data loads
      if (await this.loadLive()) return;
    }
    if (file) {
      const problem = await this.#switch({ kind: 'snapshot', file, shipped: true });
      if (problem === null) return;
      this.#addProblem(`The shipped snapshot.json was refused: ${problem}`);
    }
    if (!proxy) await this.#market.load(demo);
  }

  /**
   * Switch to `source`; on success remember it (settings and IndexedDB). Returns the failure
   * message (the data on screen is then unchanged), `null` on success.
   */
  async #switch(source: MarketSource, signal?: AbortSignal): Promise<string | null> {
    this.busy = source.kind;
    const problem = await this.#market.try(source, signal);
    if (this.busy === source.kind) this.busy = null;
    if (signal?.aborted) return 'cancelled';
    if (problem !== null) return problem;
    this.#save({ source: source.kind });
    this.storageNote = await saveSource(this.#deps.store, source);
    return null;
  }

  /** Back to the demo (one click from any failure). */
  async useDemo(): Promise<void> {
    this.cancel();
    this.message = null;
    const problem = await this.#switch({ kind: 'demo' });
    if (problem !== null) this.message = { kind: 'error', text: problem };
  }

  /**
   * Load live data through the proxy with the settings' tickers, pair and history. Progress is in
   * {@link items}; failed tickers are named in the message and the report; when nothing loads (or
   * the proxy is down) the data on screen stays and the message says why. Resolves to whether
   * live data is now on screen.
   */
  async loadLive(): Promise<boolean> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    this.busy = 'live';
    this.message = null;
    this.items = [];
    const proxy = this.proxyUrl;
    try {
      const live = await fetchLive(
        { proxy, tickers: this.settings.tickers, pair: this.settings.pair, lookback: this.settings.lookback, now: (this.#deps.now ?? Date.now)() },
        { fetch: this.#deps.fetch, signal: abort.signal, onItems: (items) => (this.items = items) },
      );
      const problem = await this.#switch({ kind: 'live', file: live.file, proxy, failed: live.failed }, abort.signal);
      if (abort.signal.aborted) return false;
      if (problem !== null) {
        this.message = { kind: 'error', text: `Live data refused: ${problem}` };
        return false;
      }
      if (live.failed.length > 0) {
        this.message = { kind: 'error', text: `Live data loaded without ${live.failed.map((f) => `${f.symbol} (${f.code}: ${f.message})`).join(', ')}.` };
      }
      return true;
    } catch (e) {
      if (abort.signal.aborted) return false;
      const why = e instanceof LiveError ? e.message : `Live data failed: ${e instanceof Error ? e.message : String(e)}`;
      this.message = { kind: 'error', text: why };
      return false;
    } finally {
      if (this.#abort === abort) {
        this.#abort = null;
        if (this.busy === 'live') this.busy = null;
      }
    }
  }

  /** Stop the live load in flight; the data on screen stays. */
  cancel(): void {
    if (!this.#abort) return;
    this.#abort.abort();
    this.#abort = null;
    this.busy = null;
    this.message = { kind: 'info', text: 'Live load cancelled; the data on screen is unchanged.' };
  }

  /**
   * Files dropped on the page or picked: a `.json` is a snapshot; CSV files are told apart by
   * their header — prices and bars make the CSV source (a bars file alone joins the prices of the
   * CSV source on screen), a book file replaces the book's positions (one undoable step). Each
   * file's size is checked before it is read.
   */
  async loadFiles(files: readonly File[]): Promise<void> {
    this.message = null;
    let snapshot: SourceFile | null = null;
    let prices: SourceFile | null = null;
    let bars: SourceFile | null = null;
    let book: SourceFile | null = null;
    for (const file of files) {
      const { kind, problem } = checkFileSize(file.name, file.size);
      if (problem) {
        this.#addProblem(problem);
        continue;
      }
      const read = { name: file.name, text: await file.text() };
      if (kind === 'snapshot') {
        snapshot = read;
        continue;
      }
      const csv = csvKindOf(read.text);
      if (csv === 'prices') prices = read;
      else if (csv === 'bars') bars = read;
      else if (csv === 'book') book = read;
      else this.#addProblem(`${file.name}: cannot tell from its first row whether it is prices (date,TICKER,…), 1-minute bars (timestamp,TICKER,…) or a book (ticker,shares[,price])`);
    }
    if (snapshot) {
      const problem = await this.#switch({ kind: 'snapshot', file: snapshot, shipped: false });
      if (problem !== null) this.#addProblem(`${snapshot.name} was refused: ${problem}`);
    }
    if (prices || bars) {
      const current = this.#market.source;
      const base = current.kind === 'csv' ? current : null;
      const pricesFile = prices ?? base?.prices ?? null;
      if (!pricesFile) {
        this.#addProblem(`${bars?.name}: 1-minute bars need a prices file (date,TICKER,…) for the CSV source; drop both together`);
      } else {
        // New bars replace the old; new prices alone keep the CSV source's bars.
        const source: MarketSource = { kind: 'csv', prices: pricesFile, bars: bars ?? base?.bars ?? null };
        const problem = await this.#switch(source);
        if (problem !== null) this.#addProblem(problem);
      }
    }
    if (book) await this.#importBook(book);
  }

  #addProblem(text: string): void {
    this.message = { kind: 'error', text: this.message?.kind === 'error' ? `${this.message.text}; ${text}` : text };
  }

  async #importBook(file: SourceFile): Promise<void> {
    this.busy = 'book';
    const problem = await this.#book.importCsv(file.text, file.name);
    this.busy = null;
    if (problem !== null) this.#addProblem(problem);
  }

  /** Set the proxy URL from typed text (empty = the default). Returns the message when refused. */
  setProxyUrl(text: string): string | null {
    if (text.trim() === '') {
      this.#save({ proxyUrl: null });
      return null;
    }
    const url = readProxyUrl(text);
    if (!url.ok) return url.error;
    this.#save({ proxyUrl: url.value });
    return null;
  }

  /** Set the live tickers from typed text. Returns the message when refused. */
  setTickers(text: string): string | null {
    const tickers = readTickers(text);
    if (!tickers.ok) return tickers.error;
    this.#save({ tickers: tickers.value });
    return null;
  }

  /** Set the live pair from typed text (empty = none). Returns the message when refused. */
  setPair(text: string): string | null {
    const pair = readPair(text);
    if (!pair.ok) return pair.error;
    this.#save({ pair: pair.value });
    return null;
  }

  /** Set the live history, calendar days. Returns the message when refused. */
  setLookback(text: string): string | null {
    const days = readField(text, 'history (calendar days)', LOOKBACK_RULE);
    if (!days.ok) return days.error;
    this.#save({ lookback: days.value });
    return null;
  }

  /** Load the shipped snapshot (beside index.html) again. */
  async loadShipped(): Promise<void> {
    this.message = null;
    let file: SourceFile | null;
    try {
      file = await this.#deps.shippedSnapshot();
    } catch (e) {
      return this.#addProblem(e instanceof Error ? e.message : String(e));
    }
    if (!file) return this.#addProblem('No snapshot.json is shipped beside this page: put one there (see the README) or drop a snapshot file on the page.');
    const problem = await this.#switch({ kind: 'snapshot', file, shipped: true });
    if (problem !== null) this.#addProblem(`The shipped snapshot.json was refused: ${problem}`);
  }
}
