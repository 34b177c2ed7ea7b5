/**
 * The only door to the network. Wraps the (injectable) fetch that
 * yahoo-finance2 uses so that every upstream request is: to an allow-listed
 * https Yahoo host, never auto-redirected, limited in concurrency, bounded in
 * body size, abortable, and turned into a typed {@link ProxyError} on failure.
 */
import { API_UPSTREAM_HOSTS, UPSTREAM_RATE_LIMIT_RETRY_AFTER_SECONDS } from './constants.ts';
import { MSG, ProxyError } from './errors.ts';
import { Semaphore } from './limiter.ts';

/** The fetch signature yahoo-finance2 calls. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Options of {@link createUpstreamFetch}. */
export interface UpstreamFetchOptions {
  /** The real (or fake) fetch underneath. */
  fetch: FetchLike;
  /** Hosts that may be contacted (https only). */
  allowedHosts: readonly string[];
  /** Maximum upstream requests in flight. */
  maxInFlight: number;
  /** Maximum body bytes buffered per response. */
  maxResponseBytes: number;
  /** Called when Yahoo refuses our session (401/403), so the caller can reset cookies. */
  onSessionRefused?: () => void;
}

/** A guarded fetch plus its limiter (exposed for tests and diagnostics). */
export interface UpstreamFetch {
  /** Guarded fetch to hand to yahoo-finance2. */
  fetch: FetchLike;
  /** The in-flight limiter. */
  semaphore: Semaphore;
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Rejects with the signal's reason as soon as it aborts, so a fetch that ignores its signal cannot hang us. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined | null): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Reads a body into memory, stopping (and cancelling the stream) once it exceeds `max` bytes. */
async function readCapped(res: Response, max: number, signal: AbortSignal | undefined | null): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new ProxyError('UPSTREAM_SCHEMA', MSG.UPSTREAM_TOO_LARGE, { detail: `content-length ${declared}` });
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), signal);
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        throw new ProxyError('UPSTREAM_SCHEMA', MSG.UPSTREAM_TOO_LARGE, { detail: `over ${max} bytes` });
      }
      chunks.push(value);
    }
  } catch (err) {
    // Stop the producer: for a real socket this closes it instead of draining 50 MB.
    reader.cancel().catch(() => undefined);
    throw err;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Maps an API host's non-2xx status to a typed error (null when the status is fine). */
function statusError(status: number, onSessionRefused?: () => void): ProxyError | null {
  if (status >= 200 && status < 300) return null;
  const detail = `status ${status}`;
  if (status >= 300 && status < 400) return new ProxyError('UPSTREAM_UNREACHABLE', MSG.UPSTREAM_REDIRECT, { detail });
  if (status === 404) return new ProxyError('NOT_FOUND', MSG.SYMBOL_NOT_FOUND, { detail });
  if (status === 429) {
    return new ProxyError('UPSTREAM_RATE_LIMITED', MSG.UPSTREAM_RATE_LIMITED, {
      detail,
      retryAfterSeconds: UPSTREAM_RATE_LIMIT_RETRY_AFTER_SECONDS,
    });
  }
  if (status === 401 || status === 403) {
    onSessionRefused?.();
    return new ProxyError('UPSTREAM_UNREACHABLE', MSG.UPSTREAM_SESSION_REFUSED, { detail });
  }
  // 400/422: Yahoo rejects the parameters (e.g. a 1m window it will not serve).
  if (status === 400 || status === 422) return new ProxyError('BAD_REQUEST', MSG.UPSTREAM_REJECTED_PARAMS, { detail });
  return new ProxyError('UPSTREAM_UNREACHABLE', MSG.UPSTREAM_HTTP_ERROR, { detail });
}

/** Log-only description of a network failure, e.g. `ENOTFOUND` (never includes the URL). */
function networkDetail(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return err instanceof Error ? err.name : 'unknown';
}

/** Builds the guarded fetch. See the module comment for what it enforces. */
export function createUpstreamFetch(opts: UpstreamFetchOptions): UpstreamFetch {
  const semaphore = new Semaphore(opts.maxInFlight);
  const guarded: FetchLike = async (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      throw new ProxyError('UPSTREAM_UNREACHABLE', MSG.UPSTREAM_HOST_BLOCKED, { detail: 'unparsable url' });
    }
    if (url.protocol !== 'https:' || !opts.allowedHosts.includes(url.hostname) || url.port !== '' || url.username || url.password) {
      throw new ProxyError('UPSTREAM_UNREACHABLE', MSG.UPSTREAM_HOST_BLOCKED, { detail: url.hostname });
    }
    const signal = init?.signal ?? undefined;
    const release = await semaphore.acquire(signal);
    try {
      let res: Response;
      try {
        // redirect: 'manual' always: a 3xx comes back to us (or to yahoo-finance2's
        // consent flow, whose next hop is checked above) instead of being followed.
        res = await abortable(opts.fetch(url.href, { ...init, redirect: 'manual' }), signal);
      } catch (err) {
        if (err instanceof ProxyError) throw err;
        if (signal?.aborted) throw signal.reason;
        throw new ProxyError('UPSTREAM_UNREACHABLE', MSG.UPSTREAM_UNREACHABLE, { detail: networkDetail(err) });
      }
      if (API_UPSTREAM_HOSTS.includes(url.hostname)) {
        const mapped = statusError(res.status, opts.onSessionRefused);
        if (mapped) {
          await res.body?.cancel().catch(() => undefined);
          throw mapped;
        }
      }
      let body: Uint8Array;
      try {
        body = await readCapped(res, opts.maxResponseBytes, signal);
      } catch (err) {
        if (err instanceof ProxyError) throw err;
        if (signal?.aborted) throw signal.reason;
        throw new ProxyError('UPSTREAM_UNREACHABLE', MSG.UPSTREAM_UNREACHABLE, { detail: networkDetail(err) });
      }
      return new Response(NULL_BODY_STATUSES.has(res.status) ? null : (body as BodyInit), {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    } finally {
      release();
    }
  };
  return { fetch: guarded, semaphore };
}
