/**
 * Data shapes shared by the engine, the CLI, the workers and the UI.
 *
 * Conventions (see docs/conventions.md): weights are fractions of equity, rates are decimals per
 * year, money is in the book's currency, missing values are `NaN` — never 0.
 */

/** Daily closes on a date grid: the shape of a wide `date,TICKER1,…` CSV. */
export interface PriceTable {
  /** ISO dates `YYYY-MM-DD`, strictly increasing. */
  dates: string[];
  /** Column names in file order (assets and rate series such as `^IRX`). */
  tickers: string[];
  /** `closes[j][i]` is the adjusted close of `tickers[j]` on `dates[i]`; `NaN` where missing. */
  closes: Float64Array[];
}

/** Intraday closes on a timestamp grid: the shape of a wide `timestamp,TICKER1,…` CSV. */
export interface BarTable {
  /** ISO 8601 date-times with an offset or `Z`, strictly increasing. */
  timestamps: string[];
  /** Milliseconds since the epoch of each timestamp (same length as `timestamps`). */
  times: Float64Array;
  /** Column names in file order. */
  tickers: string[];
  /** `closes[j][i]` is the close of `tickers[j]` in bar `i`; `NaN` where missing. */
  closes: Float64Array[];
}

/** One line of the book. */
export interface Position {
  /** Ticker symbol as the data source spells it, e.g. `AAPL`. */
  ticker: string;
  /** Signed share count: longs positive, shorts negative. */
  shares: number;
  /** Price per share in the book's currency; `NaN` when it must come from market data. */
  price: number;
}

/** Rate symbols are series in percent (e.g. `^IRX`), never assets of the return universe. */
export const RATE_SYMBOLS: ReadonlySet<string> = new Set(['^IRX', '^FVX', '^TNX', '^TYX']);
