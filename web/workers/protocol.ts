/**
 * The types the UI gets from the engine workers, in one import for web/. They are defined beside
 * the code that produces them (`engine/pool/tasks/*`, `engine/market/returns.ts`); the worker
 * protocol itself is `engine/pool/protocol.ts`.
 *
 * Payloads are plain structured-clone data (strings, numbers, typed arrays) — no classes, no
 * functions — so they survive `postMessage` unchanged and their arrays are transferred, not copied.
 */
export type { DataSourceLabel, MarketSnapshot } from '../../engine/pool/tasks/market.ts';
export type { ReturnSeries } from '../../engine/market/chart-series.ts';
export type { WorkerApi } from '../../engine/pool/protocol.ts';
