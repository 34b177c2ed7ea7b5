/**
 * Named defaults for the market-data proxy. Every tunable lives here so that
 * `server.ts`, `createServer()`, the docs and the tests agree on one value.
 */

/** Interface the proxy binds to by default: loopback only, never all interfaces. */
export const DEFAULT_HOST = '127.0.0.1';
/** TCP port the proxy listens on by default. */
export const DEFAULT_PORT = 8787;

/**
 * Browser origins allowed by CORS when ALLOWED_ORIGINS is not set: the Vite dev
 * server (5173) and `vite preview` (4173), on both spellings of loopback.
 */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://localhost:4173',
  'http://127.0.0.1:4173',
];

/** How long a successful upstream answer is reused. 0 disables the cache. */
export const DEFAULT_CACHE_TTL_MS = 60_000;
/** Upper bound on cached answers; least recently used entries are evicted first. */
export const DEFAULT_CACHE_MAX_ENTRIES = 500;
/**
 * Byte budget of the answer cache (serialised JSON, keys and a per-entry overhead): 64 MiB holds
 * about a thousand 2-year daily charts, or sixty 30-day 1-minute charts (about 1 MB each).
 */
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/** Data requests allowed per client IP per minute (token bucket, burst = this value). */
export const DEFAULT_RATE_LIMIT_PER_MIN = 120;
/** Client IPs the limiter remembers at once; least recently seen are forgotten first. */
export const DEFAULT_RATE_LIMIT_MAX_CLIENTS = 10_000;

/** Deadline for one data request's whole upstream work (queueing included). */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 15_000;
/** Largest upstream body we will buffer; larger bodies fail with UPSTREAM_SCHEMA. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Upstream HTTP requests allowed in flight at once; the rest wait in a FIFO queue. */
export const DEFAULT_MAX_IN_FLIGHT = 4;

/** Longest accepted request target (path + query), in characters. */
export const MAX_URL_LENGTH = 1024;
/** Longest accepted query string (after `?`), in characters. */
export const MAX_QUERY_LENGTH = 512;
/** Node's cap on request header bytes, lowered from 16 KiB because we need none of it. */
export const MAX_HEADER_BYTES = 8 * 1024;
/** Time a client gets to send its headers (slowloris guard). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Time a client gets to send a whole request. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** `Access-Control-Max-Age` for preflight answers: browsers may cache them this long. */
export const CORS_MAX_AGE_SECONDS = 600;
/** Retry-After we suggest when Yahoo throttles us (Yahoo sends none we could trust). */
export const UPSTREAM_RATE_LIMIT_RETRY_AFTER_SECONDS = 30;

/** Yahoo hosts the upstream fetch may contact; anything else is refused before any I/O. */
export const ALLOWED_UPSTREAM_HOSTS: readonly string[] = [
  'query1.finance.yahoo.com',
  'query2.finance.yahoo.com',
  'finance.yahoo.com',
  'fc.yahoo.com',
  'guce.yahoo.com',
  'consent.yahoo.com',
];
/** Hosts serving JSON APIs; their non-2xx statuses are mapped to typed errors by us. */
export const API_UPSTREAM_HOSTS: readonly string[] = ['query1.finance.yahoo.com', 'query2.finance.yahoo.com'];
/** The host yahoo-finance2 is pinned to for chart/quote calls. */
export const YAHOO_QUERY_HOST = 'query2.finance.yahoo.com';

/**
 * Concurrency we hand to yahoo-finance2's own (process-global) queue. It is set
 * well above our limiter so that OUR limiter is the one that decides.
 */
export const YAHOO_LIB_QUEUE_CONCURRENCY = 1000;

const DAY_MS = 86_400_000;
/** One day in milliseconds. */
export const ONE_DAY_MS = DAY_MS;
/** Yahoo serves 1-minute bars only for roughly the last 30 days. */
export const ONE_MINUTE_MAX_AGE_MS = 30 * DAY_MS;
/** Yahoo answers at most ~8 days of 1-minute bars per request; we ask for 7. */
export const ONE_MINUTE_CHUNK_MS = 7 * DAY_MS;
/** Yahoo keeps 2m…90m bars for about 60 days. */
export const SHORT_INTRADAY_MAX_AGE_MS = 60 * DAY_MS;
/** Yahoo keeps hourly bars for about 730 days. */
export const HOURLY_MAX_AGE_MS = 730 * DAY_MS;
/** Lookback used when `period1` is omitted for 1-minute bars. */
export const DEFAULT_LOOKBACK_1M_MS = DAY_MS;
/** Lookback used when `period1` is omitted for other intraday intervals. */
export const DEFAULT_LOOKBACK_INTRADAY_MS = 5 * DAY_MS;
/** Lookback used when `period1` is omitted for daily and longer intervals. */
export const DEFAULT_LOOKBACK_DAILY_MS = 365 * DAY_MS;
/** Slack for clock skew when checking a 1m/intraday window against "now". */
export const INTRADAY_AGE_SLACK_MS = 60_000;
/**
 * How far past "now" a window may reach upstream: `period2` is capped at now + this before the
 * 1-minute split, so a window ending in 2099 costs no calls for the years with no bars yet. The
 * slack only absorbs clock skew between us and Yahoo; answers are still trimmed to the request.
 */
export const FUTURE_SLACK_MS = 5 * 60_000;
/**
 * Most 7-day upstream requests one 1-minute chart may cost (35 days: Yahoo's 30-day retention
 * plus slack). Checked before any upstream call; a longer window is a 400 naming this limit.
 */
export const MAX_ONE_MINUTE_CHUNKS = 5;

/** Symbol of the start-up probe that tells health whether Yahoo is reachable (the app needs it anyway: the RFR). */
export const PROBE_SYMBOL = '^IRX';

/** Earliest date accepted in `period1`/`period2` (Unix epoch). */
export const MIN_DATE_MS = Date.UTC(1970, 0, 1);
/** Latest date accepted in `period1`/`period2`. */
export const MAX_DATE_MS = Date.UTC(2100, 0, 1);
