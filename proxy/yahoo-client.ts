/**
 * The yahoo-finance2 3.x adapter: builds a silent, sandboxed YahooFinance
 * instance and exposes the two calls the proxy needs, returning raw results
 * for {@link ./normalize.ts} to check.
 *
 * Facts relied on (yahoo-finance2 3.15): `new YahooFinance({ fetch })` makes
 * every HTTP request (data, cookie page, getcrumb) go through that fetch;
 * per-call `moduleOptions.fetchOptions` (we pass an AbortSignal) are spread
 * into every request of that call, crumb requests included; `cookieJar` must
 * be an `ExtendedCookieJar` (default is one jar shared by all instances, so we
 * give each client its own); `versionCheck: true` would fetch the npm registry
 * with the global fetch on validation errors, so it is off; `validateResult:
 * false` returns Yahoo's result unvalidated (we validate ourselves).
 *
 * The crumb, however, is cached in module-level state shared by all instances,
 * and once reused it is never re-checked: only `getCrumbClear(jar)` (which also
 * empties the jar) forgets it. We call it when a client is created (a new
 * service starts a new session) and when Yahoo refuses the session (401/403).
 */
import YahooFinance from 'yahoo-finance2';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import { getCrumbClear } from 'yahoo-finance2/lib/getCrumb';
import { YAHOO_LIB_QUEUE_CONCURRENCY, YAHOO_QUERY_HOST } from './constants.ts';
import type { FetchLike } from './upstream-fetch.ts';

/** What the service needs from Yahoo; an interface so tests could swap it. */
export interface YahooClient {
  /** Raw `chart.result[0]` (object form) for one window. */
  chart(symbol: string, interval: string, period1: Date, period2: Date, signal: AbortSignal): Promise<unknown>;
  /** Raw first quote row for a symbol, or undefined when Yahoo has none. */
  quote(symbol: string, signal: AbortSignal): Promise<unknown>;
  /** Forgets cookies and crumb so the next call starts a fresh Yahoo session. */
  resetSession(): Promise<void>;
}

const silent = { info() {}, warn() {}, error() {}, debug() {}, dir() {} };

/**
 * Creates a YahooClient whose every request goes through `fetch` (the guarded
 * upstream fetch). Logging is silenced entirely: the library would otherwise
 * print survey notices, runtime warnings and, on validation errors, whole
 * responses.
 */
export function createYahooClient(fetch: FetchLike): YahooClient {
  const cookieJar = new ExtendedCookieJar();
  void getCrumbClear(cookieJar);
  const yf = new YahooFinance({
    fetch: fetch as typeof globalThis.fetch,
    cookieJar,
    logger: silent,
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    versionCheck: false,
    YF_QUERY_HOST: YAHOO_QUERY_HOST,
    queue: { concurrency: YAHOO_LIB_QUEUE_CONCURRENCY },
    validation: { logErrors: false, logOptionsErrors: false },
  });
  return {
    async chart(symbol, interval, period1, period2, signal) {
      return yf.chart(
        symbol,
        {
          period1,
          period2,
          interval: interval as '1d',
          // Regular session only: pre/post-market 1m bars would skew VWAP-style analytics.
          includePrePost: false,
          events: 'div|split',
          return: 'object',
        },
        { validateResult: false, fetchOptions: { signal } },
      );
    },
    async quote(symbol, signal) {
      const rows = await yf.quote([symbol], {}, { validateResult: false, fetchOptions: { signal } });
      return Array.isArray(rows) ? rows[0] : undefined;
    },
    async resetSession() {
      await getCrumbClear(cookieJar);
    },
  };
}
