/**
 * The types the UI gets from the engine workers, in one import for web/. They are defined beside
 * the code that produces them (`engine/pool/tasks/*`, `engine/market/*`, `engine/risk/*`); the
 * worker protocol itself is `engine/pool/protocol.ts`.
 *
 * Payloads are plain structured-clone data (strings, numbers, typed arrays) — no classes, no
 * functions — so they survive `postMessage` unchanged and their arrays are transferred, not copied.
 */
export type { DataSourceLabel, FailedSymbol, MarketSnapshot, MarketSource, SourceFile } from '../../engine/pool/tasks/market.ts';
export type { DataReport, SourceKind } from '../../engine/market/sources.ts';
export type { DataFlag } from '../../engine/market/clean.ts';
export type { BarTable } from '../../engine/types.ts';
export type { ReturnSeries } from '../../engine/market/chart-series.ts';
export type { WorkerApi } from '../../engine/pool/protocol.ts';
export type { PriceTable } from '../../engine/types.ts';
export type { RiskInputs, RiskReport, RiskStatus } from '../../engine/risk/var.ts';
export type { Drift } from '../../engine/risk/parametric.ts';
export type { Shock } from '../../engine/risk/stress.ts';
export type { BacktestMethod, BacktestResult, Zone } from '../../engine/risk/backtest.ts';
export type { StressResult } from '../../engine/risk/stress.ts';
export type { InventoryMarket, InventoryPrepareArg, InventoryStep, InventoryStepArg } from '../../engine/pool/tasks/inventory.ts';
export type {
  Calibration, PairBacktestReport, PairRunOptions, PairTick, Performance, Side, Trade, IncrementalPair, IncrementalOptions,
} from '../../engine/pairs/types.ts';
