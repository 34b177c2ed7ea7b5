/**
 * The contract between the engine worker and the UI: every type that crosses the worker boundary.
 *
 * Payloads are plain structured-clone data (strings, numbers, typed arrays) — no classes, no
 * functions — so they survive `postMessage` unchanged and can be transferred without copies.
 */
import type { Position } from '../../engine/types.ts';
import type { DEMO_LABEL } from '../../engine/demo.ts';
import type { ReturnSeries } from '../../engine/market/chart-series.ts';

export type { ReturnSeries };

/** Label shown wherever the embedded demo's data is displayed (`'demo data (synthetic)'`). */
export type DataSourceLabel = typeof DEMO_LABEL;

/** Everything the UI needs from the demo market, computed in the worker. */
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
  /** Chart data. */
  returns: ReturnSeries;
  /** Milliseconds the worker spent: loading wasm (awaiting `ready`) and generating the market. */
  timings: { readyMs: number; generateMs: number };
}

/** The API the worker exposes with Comlink (`Comlink.wrap<EngineWorkerApi>(worker)`). */
export interface EngineWorkerApi {
  /** Generate the embedded demo market with the wasm engine and summarise it for the UI. */
  loadDemo(): Promise<MarketSnapshot>;
  /** Resolve once the wasm engine is instantiated (rejects with the load error otherwise). */
  ping(): Promise<'ready'>;
  /**
   * Browser-test builds only: make the worker throw an uncaught error on its next tick, as a real
   * crash would. The UI's engine client must recreate the worker and retry its latest request.
   */
  crash?(): void;
}
