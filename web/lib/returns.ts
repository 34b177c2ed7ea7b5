/**
 * Market-table reductions used by the worker to prepare chart data. Pure functions, no DOM.
 */
import type { PriceTable } from '../../engine/types.ts';
import { RATE_SYMBOLS } from '../../engine/types.ts';
import { lastClose } from '../../engine/book/book.ts';
import { lastFiniteIndex } from '../../engine/market/series.ts';
import type { ReturnSeries } from '../workers/protocol.ts';

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
