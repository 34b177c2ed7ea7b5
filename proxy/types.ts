/**
 * Response shapes of the proxy API (the contract the web app, CLI and
 * snapshots rely on). Import these types rather than redeclaring them.
 */
import type { Interval } from './validate.ts';

/** One OHLCV bar. Missing values stay null, never 0. */
export interface Bar {
  /** Bar start, ISO 8601 with the exchange's UTC offset, e.g. `2025-03-03T09:30:00-05:00`. */
  t: string;
  /** Open price, or null where Yahoo has none. */
  open: number | null;
  /** High price, or null. */
  high: number | null;
  /** Low price, or null. */
  low: number | null;
  /** Close price, or null. */
  close: number | null;
  /** Yahoo's split- and dividend-adjusted close; null where Yahoo gives none (e.g. intraday). */
  adjClose: number | null;
  /** Volume, or null. */
  volume: number | null;
}

/** A stock split. */
export interface Split {
  /** Split date, ISO 8601 with exchange offset. */
  t: string;
  /** New shares per `denominator` old shares. */
  numerator: number;
  /** Old shares. */
  denominator: number;
  /** Yahoo's ratio text, e.g. `4:1`. */
  ratio: string;
}

/** A cash dividend. */
export interface Dividend {
  /** Ex-date, ISO 8601 with exchange offset. */
  t: string;
  /** Amount per share, in the chart's currency. */
  amount: number;
}

/** Body of `GET /api/chart`. */
export interface ChartResponse {
  /** Upper-cased symbol as requested. */
  symbol: string;
  /** Bar interval. */
  interval: Interval;
  /** ISO currency code, or null where Yahoo gives none. */
  currency: string | null;
  /** IANA zone of the exchange, e.g. `America/New_York`. */
  exchangeTimezone: string;
  /** Bars in ascending time, deduplicated by `t`. */
  bars: Bar[];
  /** Corporate actions inside the requested window, ascending. */
  events: { splits: Split[]; dividends: Dividend[] };
  /** Always `"yahoo"`. */
  source: 'yahoo';
  /** When the proxy fetched this from Yahoo (UTC ISO 8601); cached answers keep it. */
  asOf: string;
}

/** Body of `GET /api/quote`. */
export interface QuoteResponse {
  /** Upper-cased symbol. */
  symbol: string;
  /** Yahoo's `regularMarketPrice`, or null. */
  price: number | null;
  /** ISO currency code, or null. */
  currency: string | null;
  /** Yahoo's quote type, e.g. `EQUITY`, `INDEX`, `CURRENCY`, `CRYPTOCURRENCY`. */
  quoteType: string;
  /** Time of `price`, ISO 8601 with the exchange's offset, or null. */
  marketTime: string | null;
  /** When the proxy fetched this (UTC ISO 8601). */
  asOf: string;
}

/** Upstream state reported by `/api/health`. */
export type UpstreamState = 'unknown' | 'ok' | 'failing';

/** Body of `GET /api/health`. */
export interface HealthResponse {
  /** Always true when the proxy answers. */
  ok: boolean;
  /** Outcome of the most recent upstream call: unknown before the first one. */
  upstream: UpstreamState;
}
