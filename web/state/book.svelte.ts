/**
 * The book and its funding: the user's positions and equity, the funding inputs, and the figures
 * derived from them. Persisted in the book module's own storage slot.
 *
 * Book summary and funding are computed here, on the main thread, with the engine's pure TS
 * modules: they cost microseconds for a desk-sized book, so an input or slider updates the KPIs in
 * the same frame — no round trip, and they keep working while a worker restarts. The book is
 * summarised once per edit (the edit's validation produces the summary) and funding is derived
 * from that summary.
 */
import { fundingOfBook } from '../../engine/book/funding.ts';
import type { FundingReport, RfrSource } from '../../engine/book/funding.ts';
import type { BookSummary } from '../../engine/book/book.ts';
import { attempt, type Result } from '../../engine/result.ts';
import {
  addPosition,
  checkBook,
  editBorrowOverride,
  editEquity,
  editPrice,
  editRfr,
  editShares,
  editSpread,
  removePosition,
} from '../lib/book-edit.ts';
import type { Book, CheckedBook, FundingInputs, SpreadField } from '../lib/book-edit.ts';
import { BOOK_SLOT, defaultFunding, type StoredBook } from '../lib/book-slot.ts';
import { fatFingerWarning } from '../lib/input-rules.ts';
import { importPositions } from '../lib/book-io.ts';
import { loadSlot, readSlot, type StorageWriter } from '../lib/storage.ts';
import type { Position } from '../../engine/types.ts';
import type { MarketState } from './market.svelte.ts';
import type { Notices } from './notices.svelte.ts';

/** Which panel an input error belongs to (it is shown next to that panel). */
export type ErrorScope = 'book' | 'funding';

/** What became of an edit: applied, refused with a message (`inputError`), or declined at the fat-finger question. */
export type EditOutcome = 'accepted' | 'rejected' | 'declined';

/** Everything an edit can change: what undo and redo step through. */
interface Snapshot {
  user: CheckedBook | null;
  funding: FundingInputs;
}

/** What the book module needs from its surroundings. */
export interface BookDeps {
  /** Browser storage, `undefined` when unavailable. */
  storage: Storage | undefined;
  /** The debounced writer shared by the modules. */
  writer: StorageWriter;
  /** Where storage problems and other tabs' changes are reported. */
  notices: Notices;
  /** Ask the user to confirm (the app passes `window.confirm`). */
  confirm: (message: string) => boolean;
  /** This tab's id, unique among open tabs (revisions of the stored record carry it). */
  tabId: string;
  /**
   * Reads a book CSV (the engine's reader, in a worker: the `csv.book` task) into positions and
   * their spreadsheet rows; it rejects with the reader's message (row and column). Needed only by
   * {@link BookState.importCsv}.
   */
  readBook?: (file: { name: string; text: string }) => Promise<{ positions: Position[]; rows: number[] }>;
}

/** Undo steps kept. */
export const UNDO_DEPTH = 100;

/** A rejected input: the message names the field and the value; the previous value was kept. */
export interface InputError {
  /** Panel the input belongs to. */
  scope: ErrorScope;
  /** What was wrong, e.g. `shares of AAPL must be a number, got "abc"`. */
  message: string;
}

export class BookState {
  /** The user's edited book with its summary; `null` = the demo book from the market. */
  #user = $state.raw<CheckedBook | null>(null);
  /** Funding inputs (spreads, fees, RFR override). */
  funding = $state.raw<FundingInputs>(defaultFunding());
  /** The last rejected input, cleared by the next accepted edit. */
  inputError = $state<InputError | null>(null);
  /** The last change, for the undo toast: what it was and a counter that changes with each one. */
  lastChange = $state<{ label: string; seq: number } | null>(null);

  #past = $state.raw<Snapshot[]>([]);
  #future = $state.raw<Snapshot[]>([]);
  readonly #market: MarketState;
  readonly #deps: BookDeps;
  /** Revision of the stored record this tab last read or wrote. */
  #revision = '';
  #writes = 0;
  #changes = 0;

  /** The demo book of the market, checked once per market load. */
  #demo: Result<CheckedBook> | null = $derived.by(() => {
    const m = this.#market.snapshot;
    return m ? checkBook({ positions: m.book, equity: m.equity }) : null;
  });
  /** The book on screen with its summary: the user's, else the demo book; `null` while loading. */
  #current: CheckedBook | null = $derived(this.#user ?? (this.#demo?.ok ? this.#demo.value : null));

  /** The book on screen, `null` while loading. */
  book: Book | null = $derived(this.#current?.book ?? null);
  /** Its summary (gross, net, leverage, per-position weights). */
  summary: BookSummary | null = $derived(this.#current?.summary ?? null);
  /** Why the book on screen cannot be summarised (only a malformed demo book can fail here). */
  bookError: string | null = $derived(this.#user === null && this.#demo && !this.#demo.ok ? this.#demo.error : null);
  /** Whether the book on screen is the untouched demo book. */
  isDemoBook: boolean = $derived(this.#user === null);
  /** Whether there is an edit to undo / redo. */
  canUndo: boolean = $derived(this.#past.length > 0);
  canRedo: boolean = $derived(this.#future.length > 0);
  /** Risk-free rate in use (decimal per year, ACT/360); `NaN` until known. */
  rfr: number = $derived.by(() => this.funding.rfrOverride ?? this.#market.snapshot?.rfr ?? NaN);
  /** Where {@link rfr} comes from. */
  rfrSource: RfrSource = $derived(this.funding.rfrOverride !== null ? 'override' : '^IRX');
  /** Funding report; `null` until the book and the RFR are known. */
  report: Result<FundingReport> | null = $derived.by(() => {
    const summary = this.summary;
    const rfr = this.rfr;
    if (!summary || !Number.isFinite(rfr)) return null;
    const f = this.funding;
    return attempt(() =>
      fundingOfBook(summary, {
        rfr,
        rfrSource: this.rfrSource,
        longSpreadBps: f.longSpreadBps,
        shortSpreadBps: f.shortSpreadBps,
        borrowBps: f.borrowBps,
        borrowOverrides: f.borrowOverrides,
      }),
    );
  });

  constructor(market: MarketState, deps: BookDeps) {
    this.#market = market;
    this.#deps = deps;
    const { value, notice, corrupt } = loadSlot(deps.storage, BOOK_SLOT);
    if (value) {
      this.#user = value.book;
      this.funding = value.funding;
      this.#revision = value.revision;
    }
    deps.notices.add(notice, corrupt === undefined ? undefined : { filename: `${BOOK_SLOT.key}.corrupt.json`, text: corrupt });
  }

  // ---- history ----

  #snapshot(): Snapshot {
    return { user: this.#user, funding: this.funding };
  }

  #restore(s: Snapshot): void {
    this.#user = s.user;
    this.funding = s.funding;
    this.inputError = null;
    this.#persist();
  }

  /** Apply a change as one undo step. */
  #apply(next: Snapshot, label: string): void {
    this.#past = [...this.#past.slice(-(UNDO_DEPTH - 1)), this.#snapshot()];
    this.#future = [];
    this.#restore(next);
    this.lastChange = { label, seq: ++this.#changes };
  }

  /** Undo the last book or funding edit. Returns whether there was one. */
  undo(): boolean {
    const previous = this.#past.at(-1);
    if (!previous) return false;
    this.#future = [...this.#future, this.#snapshot()];
    this.#past = this.#past.slice(0, -1);
    this.#restore(previous);
    this.lastChange = { label: 'Undone', seq: ++this.#changes };
    return true;
  }

  /** Redo the last undone edit. Returns whether there was one. */
  redo(): boolean {
    const next = this.#future.at(-1);
    if (!next) return false;
    this.#past = [...this.#past, this.#snapshot()];
    this.#future = this.#future.slice(0, -1);
    this.#restore(next);
    this.lastChange = { label: 'Redone', seq: ++this.#changes };
    return true;
  }

  // ---- storage: one record per book, with a revision so no tab overwrites a newer one silently ----

  #persist(): void {
    this.#deps.writer.write(BOOK_SLOT.key, () => this.#recordToWrite());
  }

  /** Called by the writer at write time: the record, or `undefined` when another tab saved first. */
  #recordToWrite(): StoredBook | undefined {
    const stored = this.#storedRevision();
    if (stored !== null && stored !== this.#revision) {
      this.#deps.notices.add('Another tab saved a newer book before this tab could save its last edit; that newer book is shown here now, and this tab\'s last edit was not saved (undo still has it).');
      this.#adopt(this.#deps.storage?.getItem(BOOK_SLOT.key) ?? null, false);
      return undefined;
    }
    this.#revision = `${this.#deps.tabId}:${++this.#writes}`;
    return { version: 1, revision: this.#revision, book: this.#user?.book ?? null, funding: this.funding };
  }

  #storedRevision(): string | null {
    try {
      const raw = this.#deps.storage?.getItem(BOOK_SLOT.key);
      if (!raw) return null;
      const data = JSON.parse(raw) as { revision?: unknown };
      return typeof data.revision === 'string' ? data.revision : '';
    } catch {
      return null;
    }
  }

  /**
   * Another tab saved the book (the `storage` event's new value for {@link BOOK_SLOT}): show its
   * version here, so the next edit in this tab builds on it instead of overwriting it.
   */
  receive(raw: string | null): void {
    this.#adopt(raw, true);
  }

  #adopt(raw: string | null, tell: boolean): void {
    if (raw === null) return;
    try {
      const { value } = readSlot(BOOK_SLOT, raw);
      if (value.revision === this.#revision) return;
      this.#revision = value.revision;
      this.#user = value.book;
      this.funding = value.funding;
      this.inputError = null;
      if (tell) this.lastChange = { label: 'Updated from another tab', seq: ++this.#changes };
    } catch {
      // Another tab wrote something unreadable: keep what this tab shows; its next save repairs it.
    }
  }

  // ---- edits: each validates, asks before a fat-finger change, then applies as one undo step ----

  #commit(scope: ErrorScope, edit: Result<Snapshot>, label: string): EditOutcome {
    if (!edit.ok) {
      this.inputError = { scope, message: edit.error };
      return 'rejected';
    }
    const warning = edit.value.user ? fatFingerWarning(this.summary, edit.value.user.summary) : null;
    if (warning && !this.#deps.confirm(`${warning} Apply it?`)) {
      this.inputError = null;
      return 'declined';
    }
    this.inputError = null;
    this.#apply(edit.value, label);
    return 'accepted';
  }

  #editBook(f: (book: Book) => Result<CheckedBook>, label: string): EditOutcome {
    const book = this.book;
    if (!book) {
      this.inputError = { scope: 'book', message: 'the book is still loading' };
      return 'rejected';
    }
    const edit = f(book);
    return this.#commit('book', edit.ok ? { ok: true, value: { user: edit.value, funding: this.funding } } : edit, label);
  }

  #editFunding(edit: Result<FundingInputs>, label: string): EditOutcome {
    return this.#commit('funding', edit.ok ? { ok: true, value: { user: this.#user, funding: edit.value } } : edit, label);
  }

  /** Set the shares of `ticker` from typed text. */
  setShares(ticker: string, text: string): EditOutcome {
    return this.#editBook((b) => editShares(b, ticker, text), `Shares of ${ticker} changed`);
  }

  /** Set the price of `ticker` from typed text. */
  setPrice(ticker: string, text: string): EditOutcome {
    return this.#editBook((b) => editPrice(b, ticker, text), `Price of ${ticker} changed`);
  }

  /** Set the equity from typed text. */
  setEquity(text: string): EditOutcome {
    return this.#editBook((b) => editEquity(b, text), 'Equity changed');
  }

  /** Add a position; an empty price takes the last close of the market. */
  addPosition(input: { ticker: string; shares: string; price: string }): EditOutcome {
    const m = this.#market.snapshot;
    const source = m ? { lastPrices: m.lastPrices, label: m.label } : null;
    return this.#editBook((b) => addPosition(b, input, source), `${input.ticker.trim().toUpperCase()} added`);
  }

  /** Remove `ticker` from the book. */
  removePosition(ticker: string): EditOutcome {
    return this.#editBook((b) => removePosition(b, ticker), `${ticker} removed`);
  }

  /**
   * Import a book CSV (`ticker,shares[,price]`) as the new positions: read in a worker, checked by
   * the desk's rules (an empty price takes the market's last close), applied as one undo step.
   * Resolves to `null` when imported, else to the message (naming row and column).
   */
  async importCsv(text: string, source: string): Promise<string | null> {
    if (!this.#deps.readBook) return 'book CSV import is not available here';
    let read: { positions: Position[]; rows: number[] };
    try {
      read = await this.#deps.readBook({ name: source, text });
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    const positions = importPositions(read.positions, read.rows, source, this.#market.snapshot?.lastPrices ?? {});
    if (!positions.ok) return positions.error;
    const outcome = this.replacePositions(positions.value, source);
    return outcome === 'accepted' ? null : outcome === 'declined' ? 'the import was declined; the book is unchanged' : (this.inputError?.message ?? `${source} was not imported`);
  }

  /** Replace the positions with an imported list (equity kept); one undo step. */
  replacePositions(positions: Position[], source: string): EditOutcome {
    return this.#editBook((b) => checkBook({ ...b, positions }), `Book imported from ${source}`);
  }

  /** Replace the positions (equity kept) as one undo step named `label` (the optimizer's "apply to book"). */
  setPositions(positions: Position[], label: string): EditOutcome {
    return this.#editBook((b) => checkBook({ ...b, positions }), label);
  }

  /** Go back to the demo book (funding inputs are kept), after asking. */
  resetBook(): EditOutcome {
    if (this.isDemoBook) return 'rejected';
    if (!this.#deps.confirm('Replace your book with the demo book? (Undo brings yours back.)')) return 'declined';
    this.#apply({ user: null, funding: this.funding }, 'Book reset to the demo book');
    return 'accepted';
  }

  /** Set the RFR override from percent text (`3.6` or `3.6%`); empty = use the market's ^IRX rate. */
  setRfr(text: string): EditOutcome {
    return this.#editFunding(editRfr(this.funding, text), 'Risk-free rate changed');
  }

  /** Set a spread / the default borrow fee from bp text. */
  setSpread(field: SpreadField, text: string): EditOutcome {
    return this.#editFunding(editSpread(this.funding, field, text), 'Spread changed');
  }

  /** Set or clear (empty text) the borrow fee override of `ticker`, bp. */
  setBorrowOverride(ticker: string, text: string): EditOutcome {
    return this.#editFunding(editBorrowOverride(this.funding, ticker, text), `Borrow fee of ${ticker} changed`);
  }
}
