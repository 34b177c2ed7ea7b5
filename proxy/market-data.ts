/**
 * The market-data service shared by the HTTP server and the snapshot tool:
 * window rules (1-minute chunking, intraday age limits), cache, coalescing,
 * the per-request upstream deadline, error classification and upstream health.
 */
import {
  ALLOWED_UPSTREAM_HOSTS,
  DEFAULT_CACHE_MAX_BYTES,
  DEFAULT_CACHE_MAX_ENTRIES,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_LOOKBACK_1M_MS,
  DEFAULT_LOOKBACK_DAILY_MS,
  DEFAULT_LOOKBACK_INTRADAY_MS,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  FUTURE_SLACK_MS,
  HOURLY_MAX_AGE_MS,
  INTRADAY_AGE_SLACK_MS,
  MAX_ONE_MINUTE_CHUNKS,
  MIN_DATE_MS,
  ONE_DAY_MS,
  ONE_MINUTE_CHUNK_MS,
  PROBE_SYMBOL,
  ONE_MINUTE_MAX_AGE_MS,
  SHORT_INTRADAY_MAX_AGE_MS,
} from './constants.ts';
import { Coalescer, TtlCache } from './cache.ts';
import { badRequest, MSG, ProxyError, UPSTREAM_FAILURE_CODES, type ErrorCode } from './errors.ts';
import { mergeChartPieces, normalizeChartPiece, normalizeQuote } from './normalize.ts';
import type { ChartResponse, QuoteResponse, UpstreamState } from './types.ts';
import { toYahooSymbol } from './symbols.ts';
import { createUpstreamFetch, type FetchLike } from './upstream-fetch.ts';
import type { ChartRequest, Interval, QuoteRequest } from './validate.ts';
import { createYahooClient, type YahooClient } from './yahoo-client.ts';

/** Options of {@link MarketDataService}; every field has a named default. */
export interface MarketDataOptions {
  /** fetch used for every upstream request (default: globalThis.fetch). Tests inject a fake Yahoo here. */
  fetch?: FetchLike;
  /** Cache lifetime in ms (default {@link DEFAULT_CACHE_TTL_MS}); 0 disables caching. */
  cacheTtlMs?: number;
  /** Cache capacity in answers (default {@link DEFAULT_CACHE_MAX_ENTRIES}). */
  cacheMaxEntries?: number;
  /** Cache capacity in bytes of serialised answers (default {@link DEFAULT_CACHE_MAX_BYTES}); 0 disables the cache. */
  cacheMaxBytes?: number;
  /** Deadline for one request's upstream work (default {@link DEFAULT_UPSTREAM_TIMEOUT_MS}). */
  upstreamTimeoutMs?: number;
  /** Largest upstream body accepted (default {@link DEFAULT_MAX_RESPONSE_BYTES}). */
  maxResponseBytes?: number;
  /** Upstream requests in flight at once (default {@link DEFAULT_MAX_IN_FLIGHT}). */
  maxInFlight?: number;
  /** Clock in epoch ms (default Date.now). */
  now?: () => number;
}

type Window = { period1: number; period2: number };

/** Answers are either kind of response. */
type Answer = ChartResponse | QuoteResponse;

/**
 * An answer as the service hands it out: its serialised JSON body (what the
 * server sends, and all the cache keeps) and, when it was just fetched, the
 * object it was serialised from (so in-process callers need not parse it back).
 */
export interface Served<T extends Answer = Answer> {
  /** UTF-8 JSON of the answer, in a buffer of exactly its own size. */
  body: Buffer;
  /** The answer itself, when this call (or one it joined) fetched it; absent on a cache hit. */
  value?: T;
}

/**
 * Serialises an answer into a buffer that owns exactly its bytes. (Buffer.from(string)
 * carves small strings out of a shared 8 KiB slab, which a cached slice would keep
 * alive whole; TextEncoder allocates to size, so the cache's byte count is the truth.)
 */
function encodeBody(value: Answer): Buffer {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Oldest allowed `period1` for an intraday interval, or null for daily and longer. */
function maxAgeMs(interval: Interval): number | null {
  if (interval === '1m') return ONE_MINUTE_MAX_AGE_MS;
  if (interval === '60m' || interval === '1h') return HOURLY_MAX_AGE_MS;
  if (interval.endsWith('m')) return SHORT_INTRADAY_MAX_AGE_MS;
  return null;
}

function defaultLookbackMs(interval: Interval): number {
  if (interval === '1m') return DEFAULT_LOOKBACK_1M_MS;
  return maxAgeMs(interval) === null ? DEFAULT_LOOKBACK_DAILY_MS : DEFAULT_LOOKBACK_INTRADAY_MS;
}

/**
 * Splits [period1, period2) into consecutive windows of at most `size` ms.
 * Counts them first and refuses more than `maxPieces` (BAD_REQUEST naming the
 * 1-minute limit), so a long window never builds a long list, let alone calls.
 */
export function splitWindow(w: Window, size: number, maxPieces: number): Window[] {
  if (Math.ceil((w.period2 - w.period1) / size) > maxPieces) throw badRequest(MSG.ONE_MINUTE_WINDOW_TOO_LONG);
  const out: Window[] = [];
  for (let start = w.period1; start < w.period2; start += size) {
    out.push({ period1: start, period2: Math.min(start + size, w.period2) });
  }
  return out;
}

/** What one chart request will ask Yahoo for, decided before any upstream call. */
export interface ChartPlan {
  /** The requested window [period1, period2) in epoch ms, defaults filled in; answers are trimmed to it. */
  window: Window;
  /** The upstream requests: the window capped at now + {@link FUTURE_SLACK_MS}, split for 1-minute bars. */
  upstream: Window[];
}

/**
 * Applies the window rules to a validated request at time `now`: default
 * lookback, 1970 floor, Yahoo's retention limits, the cap of `period2` at
 * now + slack (so no request asks for years that have no bars yet), then the
 * 1-minute split with its bound. Throws BAD_REQUEST for windows we will not send.
 */
export function planChart(req: ChartRequest, now: number): ChartPlan {
  const period2 = req.period2 ?? now;
  const period1 = req.period1 ?? period2 - defaultLookbackMs(req.interval);
  if (!(period1 < period2)) throw badRequest(MSG.PERIOD_ORDER);
  // Only the default lookback can get here (parsed dates are ≥ 1970): never send a negative period1.
  if (period1 < MIN_DATE_MS) throw badRequest(MSG.PERIOD1_BEFORE_1970);
  const age = maxAgeMs(req.interval);
  if (age !== null && period1 < now - age - INTRADAY_AGE_SLACK_MS) {
    throw badRequest(req.interval === '1m' ? MSG.ONE_MINUTE_TOO_OLD : MSG.INTRADAY_TOO_OLD);
  }
  const horizon = now + FUTURE_SLACK_MS;
  if (period1 >= horizon) throw badRequest(MSG.PERIOD1_IN_FUTURE);
  const capped = { period1, period2: Math.min(period2, horizon) };
  const upstream = req.interval === '1m' ? splitWindow(capped, ONE_MINUTE_CHUNK_MS, MAX_ONE_MINUTE_CHUNKS) : [capped];
  return { window: { period1, period2 }, upstream };
}

/**
 * Fetches, validates and caches market data. One instance owns one Yahoo
 * session (cookie jar), one in-flight limiter, one cache.
 */
export class MarketDataService {
  private readonly client: YahooClient;
  private readonly cache: TtlCache<Buffer>;
  private readonly coalescer = new Coalescer<Served>();
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private state: UpstreamState = 'unknown';
  private lastError: ErrorCode | null = null;

  /** @param opts - see {@link MarketDataOptions}. */
  constructor(opts: MarketDataOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    this.cache = new TtlCache<Buffer>({
      ttlMs: opts.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      maxEntries: opts.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
      maxBytes: opts.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES,
      sizeOf: (body) => body.byteLength,
      now: this.now,
    });
    let client: YahooClient | undefined;
    const upstream = createUpstreamFetch({
      fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      allowedHosts: ALLOWED_UPSTREAM_HOSTS,
      maxInFlight: opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      // A refused crumb is usually a stale session: drop it so the next call re-handshakes.
      onSessionRefused: () => void client?.resetSession(),
    });
    client = createYahooClient(upstream.fetch);
    this.client = client;
  }

  /** Outcome of the most recent upstream call. */
  get upstreamState(): UpstreamState {
    return this.state;
  }

  /** Code of the failure that made {@link upstreamState} `failing`, else null. */
  get upstreamError(): ErrorCode | null {
    return this.lastError;
  }

  /**
   * One cheap upstream call (5 daily bars of {@link PROBE_SYMBOL}) so that
   * health knows whether Yahoo is reachable before the first user request.
   * Never throws; resolves to the resulting upstream state.
   */
  async probe(): Promise<UpstreamState> {
    const now = this.now();
    try {
      await this.chart({ symbol: PROBE_SYMBOL, interval: '1d', period1: now - 5 * ONE_DAY_MS, period2: now });
    } catch {
      // Recorded in the state by cached(); a probe has nobody else to tell.
    }
    return this.state;
  }

  /** Entries and bytes the answer cache holds now (for diagnostics and tests). */
  get cacheUsage(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }

  /**
   * Chart bars for a validated request. Throws {@link ProxyError} (BAD_REQUEST
   * for windows Yahoo will not serve, or a mapped upstream error).
   */
  async chart(req: ChartRequest): Promise<ChartResponse> {
    return valueOf(await this.chartServed(req));
  }

  /** Like {@link chart}, as the serialised body the server sends (cached in this form). */
  async chartServed(req: ChartRequest): Promise<Served<ChartResponse>> {
    const { window, upstream } = planChart(req, this.now());
    // Omitted periods key as "-" so "latest" requests share one cache entry within the TTL.
    const key = `chart|${req.symbol}|${req.interval}|${req.period1 ?? '-'}|${req.period2 ?? '-'}`;
    const yahooSymbol = toYahooSymbol(req.symbol);
    return (await this.cached(key, async (signal) => {
      const pieces = await Promise.all(
        upstream.map(async (w) =>
          normalizeChartPiece(
            await this.client.chart(yahooSymbol, req.interval, new Date(w.period1), new Date(w.period2), signal),
          ),
        ),
      );
      return mergeChartPieces(pieces, { ...req, yahooSymbol }, new Date(this.now()).toISOString(), window);
    })) as Served<ChartResponse>;
  }

  /** Latest quote for a validated request. */
  async quote(req: QuoteRequest): Promise<QuoteResponse> {
    return valueOf(await this.quoteServed(req));
  }

  /** Like {@link quote}, as the serialised body the server sends (cached in this form). */
  async quoteServed(req: QuoteRequest): Promise<Served<QuoteResponse>> {
    const key = `quote|${req.symbol}`;
    const yahooSymbol = toYahooSymbol(req.symbol);
    return (await this.cached(key, async (signal) => {
      const raw = await this.client.quote(yahooSymbol, signal);
      return normalizeQuote(raw, req.symbol, yahooSymbol, new Date(this.now()).toISOString());
    })) as Served<QuoteResponse>;
  }

  /** Cache → coalesce → deadline → classify → record health → serialise → cache the bytes. */
  private async cached(key: string, work: (signal: AbortSignal) => Promise<Answer>): Promise<Served> {
    const hit = this.cache.get(key);
    if (hit) return { body: hit };
    return this.coalescer.run(key, async () => {
      try {
        const value = await this.withDeadline(work);
        this.state = 'ok';
        this.lastError = null;
        const body = encodeBody(value);
        this.cache.set(key, body);
        return { body, value };
      } catch (err) {
        const e = classify(err);
        if (UPSTREAM_FAILURE_CODES.has(e.code)) {
          this.state = 'failing';
          this.lastError = e.code;
        } else if (e.code === 'NOT_FOUND') {
          this.state = 'ok'; // Yahoo answered; the symbol just has no data.
          this.lastError = null;
        }
        throw e;
      }
    });
  }

  /**
   * Runs `work` with an AbortSignal that fires after the upstream timeout, and
   * stops waiting at that moment even if something below ignores the signal.
   */
  private async withDeadline<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timeout = new ProxyError('UPSTREAM_TIMEOUT', MSG.UPSTREAM_TIMEOUT, { detail: `${this.timeoutMs} ms` });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(timeout);
        reject(timeout);
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([work(controller.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The answer of a {@link Served}: the object when at hand, else parsed back from the cached bytes. */
function valueOf<T extends Answer>(served: Served<T>): T {
  return served.value ?? (JSON.parse(served.body.toString('utf8')) as T);
}

/**
 * Maps anything thrown below us to a ProxyError. Our guarded fetch already
 * throws typed errors for network, status, size and timeout problems, so what
 * is left comes from yahoo-finance2 parsing Yahoo's answer (malformed JSON,
 * unexpected shape, an `error` object in a 200): UPSTREAM_SCHEMA. An options
 * error from the library would be our bug: INTERNAL.
 */
export function classify(err: unknown): ProxyError {
  if (err instanceof ProxyError) return err;
  const name = err instanceof Error ? err.name : typeof err;
  if (name === 'InvalidOptionsError') return new ProxyError('INTERNAL', MSG.INTERNAL, { detail: name });
  return new ProxyError('UPSTREAM_SCHEMA', MSG.UPSTREAM_SCHEMA, { detail: name });
}
