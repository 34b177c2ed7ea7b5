/**
 * `market.demo`: the embedded demo market, generated with the wasm kernels and summarised for the
 * UI (cumulative returns for the chart, last closes, the ^IRX quote behind the RFR). Runs in any
 * engine worker — browser or Node — as a single block.
 */
import type { Kernels } from '../../kernels.ts';
import { DEMO_LABEL, generateDemoDaily } from '../../demo.ts';
import type { Position, PriceTable } from '../../types.ts';
import { cumulativeLogReturns, lastCloses, lastQuote } from '../../market/chart-series.ts';
import type { ReturnSeries } from '../../market/chart-series.ts';
import type { TaskContext } from '../protocol.ts';

/** Label shown wherever the embedded demo's data is displayed (`'demo data (synthetic)'`). */
export type DataSourceLabel = typeof DEMO_LABEL;

/** Everything the UI needs from the demo market. */
export interface MarketSnapshot {
  /** Where the data comes from, shown in the header badge. */
  label: DataSourceLabel;
  /** Last date of the price table. */
  asOf: string;
  /** Asset tickers of the universe (no rate series). */
  tickers: string[];
  /** Last finite close of each asset, used to price positions entered without a price. */
  lastPrices: Record<string, number>;
  /** The demo book (prices are the last closes). */
  book: Position[];
  /** Equity of the demo book. */
  equity: number;
  /** Risk-free rate (decimal per year, ACT/360 money-market) converted from the last ^IRX value. */
  rfr: number;
  /** Last ^IRX quote (percent, discount basis) the RFR came from, when the table has one. */
  irx: { date: string; value: number } | null;
  /** Chart data (its arrays are transferred to the main thread, not copied). */
  returns: ReturnSeries;
  /**
   * The daily price table itself (assets and rate series, `NaN` where missing), for the tasks that
   * estimate from it (risk). Its `Float64Array` closes are transferred, not copied; the page sends
   * the table back as a task argument, which copies it (arguments are never transferred).
   */
  prices: PriceTable;
  /** Milliseconds the worker spent: from its start to the wasm being ready, and generating the market. */
  timings: { readyMs: number; generateMs: number };
}

/** Generate the demo market's daily part and summarise it (the minute bars are generated when asked for). */
export function loadDemo(k: Kernels, _arg: undefined, ctx: TaskContext): MarketSnapshot {
  const t0 = performance.now();
  const demo = generateDemoDaily(k);
  const returns = cumulativeLogReturns(demo.prices);
  const lastPrices = lastCloses(demo.prices);
  return {
    label: demo.label,
    asOf: demo.prices.dates[demo.prices.dates.length - 1] ?? '',
    tickers: returns.tickers.slice(),
    lastPrices: Object.fromEntries(returns.tickers.filter((t) => t in lastPrices).map((t) => [t, lastPrices[t]])),
    book: demo.book.map((p) => ({ ticker: p.ticker, shares: p.shares, price: p.price })),
    equity: demo.equity,
    rfr: demo.rfr,
    irx: lastQuote(demo.prices, '^IRX'),
    returns,
    prices: demo.prices,
    timings: { readyMs: ctx.readyMs, generateMs: performance.now() - t0 },
  };
}
