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
import { BOOK_SLOT, defaultFunding } from '../lib/book-slot.ts';
import { loadSlot, type StorageWriter } from '../lib/storage.ts';
import type { MarketState } from './market.svelte.ts';
import type { Notices } from './notices.svelte.ts';

/** Which panel an input error belongs to (it is shown next to that panel). */
export type ErrorScope = 'book' | 'funding';

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

  readonly #market: MarketState;
  readonly #writer: StorageWriter;

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

  constructor(market: MarketState, storage: Storage | undefined, writer: StorageWriter, notices: Notices) {
    this.#market = market;
    this.#writer = writer;
    const { value, notice } = loadSlot(storage, BOOK_SLOT);
    if (value) {
      this.#user = value.book;
      this.funding = value.funding;
    }
    notices.add(notice);
  }

  // ---- edits: each validates, then commits and persists, or keeps the previous value ----

  #commit<T>(scope: ErrorScope, edit: Result<T>, apply: (value: T) => void): boolean {
    if (!edit.ok) {
      this.inputError = { scope, message: edit.error };
      return false;
    }
    apply(edit.value);
    this.inputError = null;
    this.#writer.write(BOOK_SLOT.key, { version: 1, book: this.#user?.book ?? null, funding: this.funding });
    return true;
  }

  #editBook(f: (book: Book) => Result<CheckedBook>): boolean {
    const book = this.book;
    if (!book) {
      this.inputError = { scope: 'book', message: 'the book is still loading' };
      return false;
    }
    return this.#commit('book', f(book), (checked) => (this.#user = checked));
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

  /** Add a position; an empty price takes the last close of the market. */
  addPosition(input: { ticker: string; shares: string; price: string }): boolean {
    const m = this.#market.snapshot;
    const source = m ? { lastPrices: m.lastPrices, label: m.label } : null;
    return this.#editBook((b) => addPosition(b, input, source));
  }

  /** Remove `ticker` from the book. */
  removePosition(ticker: string): boolean {
    return this.#editBook((b) => removePosition(b, ticker));
  }

  /** Go back to the demo book (funding inputs are kept). */
  resetBook(): void {
    this.#commit('book', { ok: true, value: null }, () => (this.#user = null));
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
}
