/**
 * Typed errors of the proxy: codes, their HTTP statuses and every message text.
 * Messages are constants on purpose: nothing from the client or from Yahoo is
 * ever echoed back, so there is no way to leak a crumb, a cookie or a stack.
 */

import { MAX_ONE_MINUTE_CHUNKS } from './constants.ts';

/** Every error code a client can receive in `{ error: { code, message } }`. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_TIMEOUT'
  | 'EXPECTATION_FAILED'
  | 'HEADERS_TOO_LARGE'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_SCHEMA'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNREACHABLE'
  | 'INTERNAL';

/** HTTP status sent for each error code. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  EXPECTATION_FAILED: 417,
  HEADERS_TOO_LARGE: 431,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // 502: Yahoo answered, but not with something we can use.
  UPSTREAM_SCHEMA: 502,
  // 502: we could not get an answer from Yahoo at all (network, refused session, redirect).
  UPSTREAM_UNREACHABLE: 502,
  // 503 rather than 429 so clients can tell Yahoo's throttling from ours.
  UPSTREAM_RATE_LIMITED: 503,
  UPSTREAM_TIMEOUT: 504,
};

/** Error codes that mean "Yahoo is not working for us right now" (health turns "failing"). */
export const UPSTREAM_FAILURE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_SCHEMA',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNREACHABLE',
]);

/** Every message text the proxy can send. */
export const MSG = {
  URL_TOO_LONG: 'Request URL is too long.',
  QUERY_TOO_LONG: 'Query string is too long.',
  URL_BAD_CHARS: 'Request URL contains characters outside printable ASCII, or a fragment.',
  URL_NOT_ORIGIN_FORM: 'Request target must be a path starting with "/".',
  MALFORMED_REQUEST: 'Malformed HTTP request.',
  MISSING_HOST: 'An HTTP/1.1 request needs a Host header.',
  REQUEST_TIMEOUT: 'The request headers did not arrive in time.',
  HEADERS_TOO_LARGE: 'The request headers are too large.',
  EXPECTATION_FAILED: 'Unsupported Expect header: only "100-continue" is understood.',
  UNKNOWN_PARAM: (name: string, allowed: readonly string[]) =>
    `Unknown query parameter ${echoName(name)}: this endpoint accepts ${allowed.join(', ')}.`,
  REPEATED_PARAM: (name: string) => `Query parameter ${echoName(name)} was given more than once.`,
  EMPTY_PARAM: (name: string) => `Query parameter ${echoName(name)} was given without a value.`,
  MISSING_SYMBOL: 'Missing required parameter "symbol".',
  INVALID_SYMBOL:
    'Invalid "symbol": use 1-15 ASCII characters A-Z, 0-9, ^ = . - (starting with a letter, digit or ^, no "..").',
  INVALID_INTERVAL: 'Invalid "interval": use one of 1m 2m 5m 15m 30m 60m 90m 1h 1d 5d 1wk 1mo 3mo.',
  INVALID_PERIOD1:
    'Invalid "period1": use an ISO date (2025-01-01) or date-time with offset (2025-01-01T14:30:00Z), between 1970 and 2100.',
  INVALID_PERIOD2:
    'Invalid "period2": use an ISO date (2025-01-01) or date-time with offset (2025-01-01T14:30:00Z), between 1970 and 2100.',
  PERIOD_ORDER: '"period1" must be earlier than "period2".',
  ONE_MINUTE_TOO_OLD:
    'Yahoo serves 1-minute bars only for the last 30 days: move "period1" later or use a daily interval.',
  INTRADAY_TOO_OLD:
    'Yahoo serves 2m-90m bars only for the last 60 days (60m/1h: 730 days): move "period1" later.',
  ONE_MINUTE_WINDOW_TOO_LONG: `A 1-minute window may span at most ${MAX_ONE_MINUTE_CHUNKS * 7} days (${MAX_ONE_MINUTE_CHUNKS} Yahoo requests of 7 days): shorten it.`,
  PERIOD1_BEFORE_1970:
    'The window starts before 1970-01-01 (the default lookback before "period2" reaches past it): give a "period1" in 1970-2099.',
  PERIOD1_IN_FUTURE: '"period1" lies in the future: there are no bars yet.',
  UPSTREAM_REJECTED_PARAMS: 'Yahoo rejected the request parameters.',
  NO_ROUTE: 'No such endpoint. Endpoints: /api/chart, /api/quote, /api/health.',
  METHOD_NOT_ALLOWED: 'Only GET and OPTIONS are allowed.',
  RATE_LIMITED: 'Too many requests from this client; retry after the number of seconds in Retry-After.',
  SYMBOL_NOT_FOUND: 'Yahoo has no data for this symbol.',
  UPSTREAM_RATE_LIMITED: 'Yahoo is rate-limiting the proxy; retry later.',
  UPSTREAM_SCHEMA: 'Yahoo answered with data the proxy could not understand.',
  UPSTREAM_TOO_LARGE: 'Yahoo answered with a body larger than the proxy accepts.',
  UPSTREAM_TIMEOUT: 'Yahoo did not answer within the upstream timeout.',
  UPSTREAM_UNREACHABLE: 'Yahoo could not be reached (network error).',
  UPSTREAM_SESSION_REFUSED: 'Yahoo refused the proxy session (cookie/crumb); the session was reset, retry later.',
  UPSTREAM_REDIRECT: 'Yahoo answered with a redirect, which the proxy does not follow.',
  UPSTREAM_HOST_BLOCKED: 'An upstream request to a host outside the Yahoo allow-list was blocked.',
  UPSTREAM_HTTP_ERROR: 'Yahoo answered with an HTTP error.',
  INTERNAL: 'Internal proxy error.',
} as const;

/** A message from {@link MSG}: a constant, or what one of its builders returns. */
export type Message = string;

/**
 * A parameter name as it may appear in a message: echoed only when it is a short plain
 * identifier, so a response never reflects arbitrary client bytes.
 */
function echoName(name: string): string {
  return /^[A-Za-z0-9_]{1,32}$/.test(name) ? `"${name}"` : '(name not shown: not a plain identifier)';
}

/**
 * The only error type the proxy turns into a response. `detail` is for our own
 * logs (e.g. `ENOTFOUND`), is written only by our code, and is never sent.
 */
export class ProxyError extends Error {
  /** Machine-readable error code. */
  readonly code: ErrorCode;
  /** HTTP status derived from {@link code}. */
  readonly status: number;
  /** Seconds for a Retry-After header, when one applies. */
  readonly retryAfterSeconds: number | undefined;
  /** Log-only detail written by our code; never sent to clients. */
  readonly detail: string | undefined;

  /**
   * @param code - error code.
   * @param message - one of {@link MSG}.
   * @param extra - optional Retry-After seconds and log-only detail.
   */
  constructor(code: ErrorCode, message: Message, extra: { retryAfterSeconds?: number; detail?: string } = {}) {
    super(message);
    this.name = 'ProxyError';
    this.code = code;
    this.status = HTTP_STATUS[code];
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.detail = extra.detail;
  }
}

/** JSON body of every error response. */
export interface ErrorBody {
  /** The error. */
  error: {
    /** Machine-readable code. */
    code: ErrorCode;
    /** Human-readable explanation (a constant from {@link MSG}). */
    message: string;
  };
}

/** Builds the response body for an error. */
export function errorBody(err: ProxyError): ErrorBody {
  return { error: { code: err.code, message: err.message } };
}

/** Shorthand for a 400 with a constant message. */
export function badRequest(message: Message): ProxyError {
  return new ProxyError('BAD_REQUEST', message);
}
