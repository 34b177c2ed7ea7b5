/**
 * Book summary: notionals, sides, weights and exposures of a long/short equity book.
 *
 * Conventions (docs/conventions.md): notional = shares × price in the book's currency (shorts are
 * negative); weight = notional / equity; a missing price is an error here, never a zero.
 */
import { AstraError, mention, Messages } from '../errors.ts';
import type { Position, PriceTable } from '../types.ts';
import { lastFiniteIndex } from '../market/series.ts';

/** Equity (NAV) assumed when none is given: $1,000,000. */
export const DEFAULT_EQUITY = 1_000_000;

/** Direction of a position: shares > 0 long, < 0 short, 0 flat. */
export type Side = 'long' | 'short' | 'flat';

/** One position with its exposure. */
export interface PositionSummary {
  /** Ticker as given. */
  ticker: string;
  /** Signed share count (shorts negative). */
  shares: number;
  /** Price per share used, in the book's currency (finite, > 0). */
  price: number;
  /** shares × price: signed, in the book's currency. */
  notional: number;
  /** `long`, `short` or `flat` from the sign of `shares`. */
  side: Side;
  /** notional / equity: signed fraction of equity. */
  weight: number;
}

/** Exposures of a whole book. */
export interface BookSummary {
  /** Positions in input order. */
  positions: PositionSummary[];
  /** Equity (NAV) the weights are fractions of, in the book's currency. */
  equity: number;
  /** Σ|notional|. */
  gross: number;
  /** Σ notional. */
  net: number;
  /** net / gross as a fraction (−0.1016 = net short 10.16% of gross); `NaN` for an empty/flat book. */
  netOfGross: number;
  /** gross / equity (1.85 = 1.85×). */
  leverage: number;
  /** Σ notional of longs (≥ 0). */
  longNotional: number;
  /** Σ notional of shorts (≤ 0). */
  shortNotional: number;
}

/** Throws `BAD_INPUT` unless `equity` is finite and positive. */
export function checkEquity(equity: number): void {
  if (!Number.isFinite(equity) || equity <= 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue('equity', equity, 'a positive number'));
  }
}

/** `long`, `short` or `flat` for a signed share count. */
export function sideOf(shares: number): Side {
  return shares > 0 ? 'long' : shares < 0 ? 'short' : 'flat';
}

/**
 * Summarize a book. Throws `MISSING_PRICE` naming the first position whose price is `NaN` (fill it
 * first with {@link fillBookPrices}), `BAD_INPUT` for a non-finite share count, a non-positive
 * price, a ticker listed twice, or equity that is not a positive number.
 */
export function summarizeBook(positions: readonly Position[], equity: number = DEFAULT_EQUITY): BookSummary {
  checkEquity(equity);
  const seen = new Set<string>();
  let gross = 0;
  let net = 0;
  let longNotional = 0;
  let shortNotional = 0;
  const lines: PositionSummary[] = positions.map(({ ticker, shares, price }) => {
    const key = ticker.toUpperCase();
    if (seen.has(key)) throw new AstraError('BAD_INPUT', Messages.duplicateTicker('the book', ticker), { ticker });
    seen.add(key);
    if (!Number.isFinite(shares)) {
      throw new AstraError('BAD_INPUT', Messages.badValue(`shares of ${mention(ticker)}`, shares, 'a finite number'), { ticker });
    }
    if (Number.isNaN(price)) {
      throw new AstraError('MISSING_PRICE', Messages.missingPrice(ticker, 'the book has no price and none was filled from market data'), { ticker });
    }
    if (!Number.isFinite(price) || price <= 0) {
      throw new AstraError('BAD_INPUT', Messages.badValue(`price of ${mention(ticker)}`, price, 'a positive number'), { ticker });
    }
    const notional = shares * price;
    gross += Math.abs(notional);
    net += notional;
    if (notional > 0) longNotional += notional;
    else shortNotional += notional;
    return { ticker, shares, price, notional, side: sideOf(shares), weight: notional / equity };
  });
  return {
    positions: lines,
    equity,
    gross,
    net,
    netOfGross: gross > 0 ? net / gross : NaN,
    leverage: gross / equity,
    longNotional,
    shortNotional,
  };
}

/** The last non-missing value of a column. */
export interface LastClose {
  /** The value (a close, or a rate quote in percent for rate symbols). */
  price: number;
  /** ISO date it was observed on. */
  date: string;
}

/**
 * Last finite close of `ticker` in `prices` (exact ticker match); `undefined` when the column
 * is absent or entirely missing.
 */
export function lastClose(prices: PriceTable, ticker: string): LastClose | undefined {
  const j = prices.tickers.indexOf(ticker);
  if (j < 0) return undefined;
  const i = lastFiniteIndex(prices.closes[j]);
  return i < 0 ? undefined : { price: prices.closes[j][i], date: prices.dates[i] };
}

/** Where a book and a price table came from, so a missing price can be located in messages. */
export interface PriceSources {
  /** The book's file as messages name it (`book CSV data/book.csv`) and the spreadsheet row of each position. */
  book?: { file: string; rows: readonly number[] };
  /** The price table as messages name it, e.g. `prices CSV data/prices.csv`. */
  prices?: string;
}

/**
 * Copy of `positions` where each `NaN` price is replaced by the ticker's last non-missing close in
 * `prices`; prices already in the book win. Throws `MISSING_PRICE` naming the first ticker with
 * neither a book price nor a close (or when `prices` is absent and a book price is missing), with
 * its file and row and the price table's name when `sources` gives them.
 */
export function fillBookPrices(positions: readonly Position[], prices?: PriceTable, sources: PriceSources = {}): Position[] {
  // One lookup table instead of a scan of the tickers per position: a book of 10⁶ lines and a
  // price file of 10⁴ columns must not cost 10¹⁰ comparisons.
  const columns = new Map<string, number>();
  prices?.tickers.forEach((t, j) => {
    if (!columns.has(t)) columns.set(t, j);
  });
  return positions.map((position, i) => {
    if (!Number.isNaN(position.price)) return { ...position };
    const j = columns.get(position.ticker);
    const k = prices && j !== undefined ? lastFiniteIndex(prices.closes[j]) : -1;
    if (prices && k >= 0) return { ...position, price: prices.closes[j as number][k] };
    const table = sources.prices ?? 'the prices';
    const hint = prices
      ? j !== undefined
        ? `the book has no price and every close in ${table} is missing`
        : `the book has no price and ${table} has no column for it`
      : 'the book has no price; give one in the book or supply prices';
    const row = sources.book?.rows[i];
    const message = Messages.missingPrice(position.ticker, hint);
    if (sources.book && row !== undefined) {
      throw new AstraError('MISSING_PRICE', Messages.csvRow(sources.book.file, row, message), { row, ticker: position.ticker });
    }
    throw new AstraError('MISSING_PRICE', message, { ticker: position.ticker });
  });
}
