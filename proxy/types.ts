/**
 * Response shapes of the proxy API (the contract the web app, CLI and
 * snapshots rely on). Import these types rather than redeclaring them.
 */
// The wire format (chart, quote, snapshot) is defined once in the engine, which the app reads it
// with; the proxy re-exports it so its modules keep one import.
export type { Bar, Dividend, Split } from '../engine/market/snapshot.ts';
import type { ErrorCode } from './errors.ts';
import type { ChartResponse as ChartContract, QuoteResponse as QuoteContract } from '../engine/market/snapshot.ts';

/**
 * What was asked for and what was fetched. `symbol` stays the upper-cased symbol as requested
 * (`BRK.B`: the key a book or a snapshot uses); `yahooSymbol` is the one sent to Yahoo (`BRK-B`),
 * equal to `symbol` when no mapping applied. An added key: the contract's keys are unchanged.
 */
export interface SymbolPair {
  /** The symbol Yahoo was asked for (US share classes with a dash, e.g. `BRK-B`). */
  yahooSymbol: string;
}

/** Body of `GET /api/chart`: the contract's chart plus {@link SymbolPair}. */
export type ChartResponse = ChartContract & SymbolPair;

/** Body of `GET /api/quote`: the contract's quote plus {@link SymbolPair}. */
export type QuoteResponse = QuoteContract & SymbolPair;

/** Upstream state reported by `/api/health`. */
export type UpstreamState = 'unknown' | 'ok' | 'failing';

/** Body of `GET /api/health`. */
export interface HealthResponse {
  /** Always true when the proxy answers. */
  ok: boolean;
  /** Outcome of the most recent upstream call: unknown before the first one. */
  upstream: UpstreamState;
  /** While `upstream` is `failing`, the error code of that failure (e.g. `UPSTREAM_UNREACHABLE`); else null. */
  upstreamError: ErrorCode | null;
}
