/**
 * Edits of the book and of the funding inputs as pure functions: each takes the current value and
 * what the user typed, and returns either the new value or a message naming the field and the
 * value. The caller keeps the previous value on error, so bad input never corrupts the book.
 *
 * Whole-book rules (duplicate ticker, missing or non-positive price, equity) are checked by the
 * engine's own `summarizeBook`, so the UI and the CLI reject exactly the same books.
 */
import { summarizeBook } from '../../engine/book/book.ts';
import type { BookSummary } from '../../engine/book/book.ts';
import { Messages } from '../../engine/errors.ts';
import { attempt, fail, ok, type Result } from '../../engine/result.ts';
import type { Position } from '../../engine/types.ts';
import { RATE_SYMBOLS } from '../../engine/types.ts';
import { parseTicker } from './parse.ts';
import { BPS_RULE, EQUITY_RULE, PRICE_RULE, RFR_PERCENT_RULE, SHARES_RULE, readField } from './input-rules.ts';

/** A book as the UI edits it. */
export interface Book {
  /** Positions in display order; prices are filled (finite, > 0). */
  positions: Position[];
  /** Equity (NAV) in the book's currency, > 0. */
  equity: number;
}

/** Funding inputs the user controls. */
export interface FundingInputs {
  /** User's risk-free rate (decimal per year, ACT/360), or `null` to use the market's (^IRX). */
  rfrOverride: number | null;
  /** Longs pay RFR + this, bp. */
  longSpreadBps: number;
  /** Shorts receive RFR − this − borrow, bp. */
  shortSpreadBps: number;
  /** Borrow fee for shorts without an override, bp. */
  borrowBps: number;
  /** Per-ticker borrow fee, bp. */
  borrowOverrides: Record<string, number>;
}

/** A book that passed the engine's checks, with the summary those checks computed. */
export interface CheckedBook {
  /** The book. */
  book: Book;
  /** Its summary (gross, net, leverage, per-position weights): computed once per edit. */
  summary: BookSummary;
}

/** What the market knows, for pricing new positions. */
export interface PriceSource {
  /** Last close per asset ticker. */
  lastPrices: Readonly<Record<string, number>>;
  /** Label of the data source, for messages. */
  label: string;
}

/** Validate a whole book with the engine and keep its summary; the engine's message on failure. */
export function checkBook(book: Book): Result<CheckedBook> {
  return attempt(() => ({ book, summary: summarizeBook(book.positions, book.equity) }));
}

function replaceAt(book: Book, ticker: string, patch: Partial<Position>): Result<CheckedBook> {
  const i = book.positions.findIndex((p) => p.ticker === ticker);
  if (i < 0) return fail(`${ticker} is not in the book`);
  const positions = book.positions.map((p, k) => (k === i ? { ...p, ...patch } : p));
  return checkBook({ ...book, positions });
}

/** Set the signed share count of `ticker` from typed text (`abc` → error, `-1,200` → −1200). */
export function editShares(book: Book, ticker: string, text: string): Result<CheckedBook> {
  const shares = readField(text, `shares of ${ticker}`, SHARES_RULE);
  if (!shares.ok) return shares;
  return replaceAt(book, ticker, { shares: shares.value });
}

/** Set the price of `ticker` from typed text, under {@link PRICE_RULE}. */
export function editPrice(book: Book, ticker: string, text: string): Result<CheckedBook> {
  const price = readField(text, `price of ${ticker}`, PRICE_RULE);
  if (!price.ok) return price;
  return replaceAt(book, ticker, { price: price.value });
}

/** Set the equity (NAV) from typed text, under {@link EQUITY_RULE}. */
export function editEquity(book: Book, text: string): Result<CheckedBook> {
  const equity = readField(text, 'equity', EQUITY_RULE);
  if (!equity.ok) return equity;
  return checkBook({ ...book, equity: equity.value });
}

/**
 * Add a position. An empty price takes the ticker's last close from `market`; a ticker the market
 * does not know needs an explicit price. Rate series (`^IRX`…) are not tradable positions.
 */
export function addPosition(
  book: Book,
  input: { ticker: string; shares: string; price: string },
  market: PriceSource | null,
): Result<CheckedBook> {
  const ticker = parseTicker(input.ticker);
  if (!ticker.ok) return ticker;
  const t = ticker.value;
  if (RATE_SYMBOLS.has(t)) return fail(`ticker ${t} is a rate series, not a position`);
  if (book.positions.some((p) => p.ticker.toUpperCase() === t)) {
    return fail(Messages.duplicateTicker('the book', t) + ': edit its shares instead');
  }
  const shares = readField(input.shares, `shares of ${t}`, SHARES_RULE);
  if (!shares.ok) return shares;
  let price: number;
  if (input.price.trim() === '') {
    const last = market?.lastPrices[t];
    if (last === undefined) {
      const why = market
        ? `${t} is not in the ${market.label} universe; enter a price`
        : 'market data is still loading; enter a price';
      return fail(Messages.missingPrice(t, why));
    }
    price = last;
  } else {
    const p = readField(input.price, `price of ${t}`, PRICE_RULE);
    if (!p.ok) return p;
    price = p.value;
  }
  return checkBook({ ...book, positions: [...book.positions, { ticker: t, shares: shares.value, price }] });
}

/** Remove `ticker` from the book (an empty book is allowed). */
export function removePosition(book: Book, ticker: string): Result<CheckedBook> {
  if (!book.positions.some((p) => p.ticker === ticker)) return fail(`${ticker} is not in the book`);
  return checkBook({ ...book, positions: book.positions.filter((p) => p.ticker !== ticker) });
}

/** Set the RFR override from a percent text (`3.6` → 0.036); empty text → back to the market rate. */
export function editRfr(inputs: FundingInputs, text: string): Result<FundingInputs> {
  if (text.trim() === '') return ok({ ...inputs, rfrOverride: null });
  const pct = readField(text, 'risk-free rate (%)', RFR_PERCENT_RULE);
  if (!pct.ok) return pct;
  return ok({ ...inputs, rfrOverride: pct.value / 100 });
}

function parseBps(text: string, field: string) {
  return readField(text, field, BPS_RULE);
}

/** Which spread input. */
export type SpreadField = 'longSpreadBps' | 'shortSpreadBps' | 'borrowBps';

const SPREAD_NAMES: Record<SpreadField, string> = {
  longSpreadBps: 'long spread (bp)',
  shortSpreadBps: 'short spread (bp)',
  borrowBps: 'borrow fee (bp)',
};

/** Set a spread or the default borrow fee, in bp. */
export function editSpread(inputs: FundingInputs, field: SpreadField, text: string): Result<FundingInputs> {
  const bps = parseBps(text, SPREAD_NAMES[field]);
  if (!bps.ok) return bps;
  return ok({ ...inputs, [field]: bps.value });
}

/** Set (or with empty text, clear) the borrow fee override of `ticker`, in bp. */
export function editBorrowOverride(inputs: FundingInputs, ticker: string, text: string): Result<FundingInputs> {
  const overrides = { ...inputs.borrowOverrides };
  if (text.trim() === '') {
    delete overrides[ticker];
    return ok({ ...inputs, borrowOverrides: overrides });
  }
  const bps = parseBps(text, `borrow fee of ${ticker} (bp)`);
  if (!bps.ok) return bps;
  overrides[ticker] = bps.value;
  return ok({ ...inputs, borrowOverrides: overrides });
}
