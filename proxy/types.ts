/**
 * Response shapes of the proxy API (the contract the web app, CLI and
 * snapshots rely on). Import these types rather than redeclaring them.
 */
// The wire format (chart, quote, snapshot) is defined once in the engine, which the app reads it
// with; the proxy re-exports it so its modules keep one import.
export type { Bar, ChartResponse, Dividend, QuoteResponse, Split } from '../engine/market/snapshot.ts';

/** Upstream state reported by `/api/health`. */
export type UpstreamState = 'unknown' | 'ok' | 'failing';

/** Body of `GET /api/health`. */
export interface HealthResponse {
  /** Always true when the proxy answers. */
  ok: boolean;
  /** Outcome of the most recent upstream call: unknown before the first one. */
  upstream: UpstreamState;
}
