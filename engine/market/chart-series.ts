/**
 * Market-table reductions that prepare chart data in an engine worker (the `market.load` task),
 * so the main thread never walks the price table. Pure functions, no DOM. (The returns the
 * statistics use are `returns.ts`: aligned daily log returns, not a chart's cumulative ones.)
 */
import type { PriceTable } from '../types.ts';
import { RATE_SYMBOLS } from '../types.ts';
import { lastClose } from '../book/book.ts';
import { lastFiniteIndex } from './series.ts';

/** Cumulative log returns of every asset of the universe, ready to chart. */
export interface ReturnSeries {
  /** ISO dates `YYYY-MM-DD`, strictly increasing (the price table's grid). */
  dates: string[];
  /** Asset tickers in price-table order (rate series such as `^IRX` are excluded). */
  tickers: string[];
  /**
   * `values[j][i]` = 100·ln(P[j][i] / P[j][first finite]), in percent of log return;
   * `NaN` where the close is missing (drawn as a gap, never as 0).
   */
  values: Float64Array[];
}

/**
 * Cumulative log returns in percent: `100·ln(P_t / P_base)` where `P_base` is the first finite,
 * positive close of the column. Missing closes stay `NaN` (a gap on the chart, never a 0), and so
 * does everything before the first usable close. Rate series (`^IRX`…) are left out: they are
 * yields, not assets.
 */
export function cumulativeLogReturns(prices: PriceTable): ReturnSeries {
  const tickers: string[] = [];
  const values: Float64Array[] = [];
  prices.tickers.forEach((ticker, j) => {
    if (RATE_SYMBOLS.has(ticker)) return;
    const closes = prices.closes[j];
    const out = new Float64Array(closes.length).fill(NaN);
    let base = NaN;
    for (let i = 0; i < closes.length; i++) {
      const p = closes[i];
      if (!(Number.isFinite(p) && p > 0)) continue;
      if (Number.isNaN(base)) base = p;
      out[i] = 100 * Math.log(p / base);
    }
    tickers.push(ticker);
    values.push(out);
  });
  return { dates: prices.dates.slice(), tickers, values };
}

/** Last finite, positive close of every column (columns with none are left out). */
export function lastCloses(prices: PriceTable): Record<string, number> {
  const out: Record<string, number> = {};
  prices.tickers.forEach((ticker, j) => {
    const i = lastFiniteIndex(prices.closes[j], (p) => p > 0);
    if (i >= 0) out[ticker] = prices.closes[j][i];
  });
  return out;
}

/** Last finite value of a column with its date, or `null` when the column is absent or empty. */
export function lastQuote(prices: PriceTable, ticker: string): { date: string; value: number } | null {
  const last = lastClose(prices, ticker);
  return last ? { date: last.date, value: last.price } : null;
}
