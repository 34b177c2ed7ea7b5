/**
 * `createServer(options)`: the proxy's HTTP layer — routing, method and CORS
 * policy, per-client rate limiting, validation and error mapping — on top of
 * {@link MarketDataService}. It does not read the environment (see server.ts).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_ALLOWED_ORIGINS,
  DEFAULT_RATE_LIMIT_MAX_CLIENTS,
  DEFAULT_RATE_LIMIT_PER_MIN,
  HEADERS_TIMEOUT_MS,
  MAX_HEADER_BYTES,
  REQUEST_TIMEOUT_MS,
} from './constants.ts';
import { applyCors } from './cors.ts';
import { errorBody, MSG, ProxyError } from './errors.ts';
import { installEdgeHandlers, SocketLoad } from './http-edges.ts';
import { RateLimiter } from './limiter.ts';
import { MarketDataService, type MarketDataOptions } from './market-data.ts';
import type { HealthResponse } from './types.ts';
import { HEALTH_PARAMS, parseChartQuery, parseQuery, parseQuoteQuery, splitTarget } from './validate.ts';

/** Options of {@link createServer}. All optional; defaults are the named constants. */
export interface ProxyOptions extends MarketDataOptions {
  /** Origins allowed by CORS, compared exactly (default {@link DEFAULT_ALLOWED_ORIGINS}). */
  allowedOrigins?: readonly string[];
  /** Data requests per client IP per minute (default {@link DEFAULT_RATE_LIMIT_PER_MIN}). */
  rateLimitPerMin?: number;
  /** Client IPs remembered by the limiter (default {@link DEFAULT_RATE_LIMIT_MAX_CLIENTS}). */
  rateLimitMaxClients?: number;
  /** One-line log sink for errors (default: none). Never receives crumbs, cookies or stacks. */
  log?: (line: string) => void;
  /** Time a client gets to send its request headers before a 408 (default {@link HEADERS_TIMEOUT_MS}). */
  headersTimeoutMs?: number;
  /** Time a client gets to send a whole request before a 408 (default {@link REQUEST_TIMEOUT_MS}); at least headersTimeoutMs. */
  requestTimeoutMs?: number;
}

/** A created proxy: the Node server plus helpers. */
export interface ProxyServer {
  /** The underlying Node HTTP server (not yet listening). */
  server: http.Server;
  /** The data service (exposed for diagnostics and tests). */
  service: MarketDataService;
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:8787`. */
  listen(port: number, host: string): Promise<string>;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const ROUTES = ['/api/chart', '/api/quote', '/api/health'] as const;
type Route = (typeof ROUTES)[number];

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

/** Sends an object as JSON. */
function sendJson(res: ServerResponse, status: number, body: object, extra: Record<string, string> = {}): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body), 'utf8'), extra);
}

/** Sends an already serialised JSON body (data answers come from the service, and its cache, in this form). */
function sendBytes(res: ServerResponse, status: number, payload: Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': String(payload.byteLength),
    ...extra,
  });
  res.end(payload);
}

function sendError(_req: IncomingMessage, res: ServerResponse, err: ProxyError): void {
  const extra: Record<string, string> = {};
  if (err.retryAfterSeconds !== undefined) extra['Retry-After'] = String(err.retryAfterSeconds);
  if (err.code === 'METHOD_NOT_ALLOWED') extra.Allow = 'GET, OPTIONS';
  sendJson(res, err.status, errorBody(err), extra);
}

/** Normalises `::ffff:127.0.0.1` to `127.0.0.1` so one client has one bucket. */
function clientKey(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

/** Creates (but does not start) the proxy server. */
export function createServer(options: ProxyOptions = {}): ProxyServer {
  const service = new MarketDataService(options);
  const now = options.now ?? Date.now;
  const allowed = new Set(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS);
  const limiter = new RateLimiter({
    perMinute: options.rateLimitPerMin ?? DEFAULT_RATE_LIMIT_PER_MIN,
    maxClients: options.rateLimitMaxClients ?? DEFAULT_RATE_LIMIT_MAX_CLIENTS,
    now,
  });
  const log = options.log ?? (() => undefined);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? '';
    // CORS first, so an allowed page can also read our error answers (400/404/405/429).
    applyCors(req, res, allowed, method === 'OPTIONS');
    // Node's own check would answer an empty 400; RFC 9112 §3.2 requires Host from HTTP/1.1 on.
    if (req.headers.host === undefined && (req.httpVersionMajor > 1 || req.httpVersionMinor >= 1)) {
      res.setHeader('Connection', 'close');
      throw new ProxyError('BAD_REQUEST', MSG.MISSING_HOST);
    }
    if (method !== 'GET' && method !== 'OPTIONS') {
      throw new ProxyError('METHOD_NOT_ALLOWED', MSG.METHOD_NOT_ALLOWED);
    }
    const { path, query } = splitTarget(req.url ?? '');
    const route = ROUTES.find((r) => r === path) as Route | undefined;
    if (!route) throw new ProxyError('NOT_FOUND', MSG.NO_ROUTE);

    if (method === 'OPTIONS') {
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
      return;
    }

    if (route === '/api/health') {
      parseQuery(query, HEALTH_PARAMS);
      const body: HealthResponse = { ok: true, upstream: service.upstreamState, upstreamError: service.upstreamError };
      sendJson(res, 200, body);
      return;
    }
    // Node parses a whole packet before any microtask runs: if bytes after this request's headers
    // were malformed, 'clientError' has closed the socket by now. Nobody is left to answer, so
    // spend neither a rate-limit token nor an upstream call.
    await Promise.resolve();
    if (req.socket.destroyed) return;
    // Limit before validating: a client spraying junk is throttled like any other.
    const decision = limiter.take(clientKey(req));
    if (!decision.allowed) {
      throw new ProxyError('RATE_LIMITED', MSG.RATE_LIMITED, { retryAfterSeconds: decision.retryAfterSeconds });
    }
    if (route === '/api/chart') {
      sendBytes(res, 200, (await service.chartServed(parseChartQuery(query))).body);
    } else {
      sendBytes(res, 200, (await service.quoteServed(parseQuoteQuery(query))).body);
    }
  }

  const headersTimeout = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(headersTimeout, options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
  const load = new SocketLoad();
  const serverOptions: http.ServerOptions = {
    maxHeaderSize: MAX_HEADER_BYTES,
    headersTimeout,
    requestTimeout,
    // Node checks those deadlines on this period (30 s by default, which would let a 10 s deadline
    // run to 40 s); a quarter of the headers deadline, at most a second, keeps them honest.
    connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
    // We answer a missing Host ourselves, in JSON (see handle()).
    requireHostHeader: false,
  };
  const server = http.createServer(serverOptions, (req, res) => {
    load.track(req, res);
    // Request bodies are never read; let Node discard them.
    req.resume();
    handle(req, res).catch((err: unknown) => {
      // The service already types every upstream problem; anything else here is our bug.
      const e =
        err instanceof ProxyError ? err : new ProxyError('INTERNAL', MSG.INTERNAL, { detail: err instanceof Error ? err.name : typeof err });
      if (e.code === 'INTERNAL' || e.code.startsWith('UPSTREAM_')) {
        // Route and code only: no query values, upstream URLs, crumbs or stacks.
        log(`${methodOf(req)} ${routeOf(req)} -> ${e.status} ${e.code}${e.detail ? ` (${e.detail})` : ''}`);
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(req, res, e);
    });
  });
  // Malformed requests, slow or oversized headers, CONNECT and unmet Expect never reach handle():
  // they get the same JSON errors there, once.
  installEdgeHandlers(server, load, (req, res, err) => {
    applyCors(req, res, allowed, false);
    sendError(req, res, err);
  });

  return {
    server,
    service,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const a = server.address() as AddressInfo;
          const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
          resolve(`http://${h}:${a.port}`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function methodOf(req: IncomingMessage): string {
  return /^[A-Z]{1,10}$/.test(req.method ?? '') ? (req.method as string) : '?';
}

function routeOf(req: IncomingMessage): string {
  const path = (req.url ?? '').split('?')[0];
  return ROUTES.find((r) => r === path) ?? '(other)';
}
