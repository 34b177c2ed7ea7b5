/**
 * The proxy as `npm start` runs it, in the same process as the app's server:
 * on loopback only, on PROXY_PORT or the first free port from 8787, with the
 * app's own origin allow-listed for CORS, and a one-call probe so `/api/health`
 * says at once whether Yahoo can be reached (the proxy starts either way).
 *
 * The app learns the proxy's URL from `astra-config.json` beside its
 * `index.html`: `npm start` serves that file from memory ({@link appConfigPlugin});
 * on any other static server it is absent (the app then tries
 * {@link DEFAULT_PROXY_URL}) or written by whoever deploys the app.
 */
import type { Plugin } from 'vite';
import { ConfigError, parseEnv, type ProxyConfig } from './config.ts';

export { ConfigError };
import { DEFAULT_HOST, DEFAULT_PORT } from './constants.ts';
import { createServer, type ProxyServer } from './create-server.ts';
import type { UpstreamState } from './types.ts';
import type { FetchLike } from './upstream-fetch.ts';

/** Name of the app's runtime configuration file, served beside `index.html`. */
export const APP_CONFIG_FILE = 'astra-config.json';

/** Where the app looks for the proxy when no {@link APP_CONFIG_FILE} says otherwise. */
export const DEFAULT_PROXY_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`;

/** Ports tried from {@link DEFAULT_PORT} upwards when PROXY_PORT is not set. */
export const PROXY_PORT_ATTEMPTS = 20;

/** Body of {@link APP_CONFIG_FILE}. */
export interface AppConfig {
  /** Base URL of the market-data proxy, e.g. `http://127.0.0.1:8787` (no trailing slash). */
  proxyUrl: string;
}

/** Options of {@link startLocalProxy}. */
export interface LocalProxyOptions {
  /** Origins the app is served from; always allow-listed, beside ALLOWED_ORIGINS or its defaults. */
  appOrigins: readonly string[];
  /** Environment to read (default `process.env`). HOST and PORT are ignored: they are the app's. */
  env?: Record<string, string | undefined>;
  /** Upstream fetch (default the global fetch); tests inject a fake Yahoo. */
  fetch?: FetchLike;
  /** Clock in epoch ms (default Date.now). */
  now?: () => number;
  /** One-line log sink for upstream failures (default: none). */
  log?: (line: string) => void;
}

/** A started local proxy. */
export interface LocalProxy {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The server (for diagnostics and tests). */
  proxy: ProxyServer;
  /** The start-up probe: resolves to `ok` or `failing` once Yahoo has answered or not. Never rejects. */
  probe: Promise<UpstreamState>;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/** The proxy's settings under `npm start`: the proxy's variables, except that PROXY_PORT replaces PORT and HOST. */
export function parseLocalEnv(env: Record<string, string | undefined>): { port: number | null; options: ProxyConfig['options'] } {
  const { options } = parseEnv({ ...env, HOST: undefined, PORT: undefined });
  const raw = env.PROXY_PORT;
  if (raw === undefined || raw === '') return { port: null, options };
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(`PROXY_PORT must be a whole number from 0 to 65535, got "${raw}"`);
  return { port: Number(raw), options };
}

/** The loopback origins of a URL the app is served at: `http://127.0.0.1:4173/` → that origin and its `localhost` spelling. */
export function loopbackOrigins(appUrl: string): string[] {
  const u = new URL(appUrl);
  const out = [u.origin];
  for (const [a, b] of [
    ['127.0.0.1', 'localhost'],
    ['localhost', '127.0.0.1'],
  ]) {
    if (u.hostname === a) out.push(`${u.protocol}//${b}${u.port ? `:${u.port}` : ''}`);
  }
  return out;
}

/** Listens on the first free port of `first`, `first + 1`, … (`attempts` of them); rejects if none is free. */
export async function listenOnFirstFree(proxy: ProxyServer, host: string, first: number, attempts: number): Promise<string> {
  for (let port = first; port < first + attempts && port <= 65535; port++) {
    try {
      return await proxy.listen(port, host);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  throw new Error(`no free port for the market-data proxy in ${first}-${first + attempts - 1} (set PROXY_PORT)`);
}

/**
 * Starts the proxy for `npm start`. Rejects with {@link ConfigError} for a bad
 * environment, or an Error when it cannot listen (PROXY_PORT busy, no free port).
 * Yahoo being unreachable is not an error: health reports it.
 */
export async function startLocalProxy(opts: LocalProxyOptions): Promise<LocalProxy> {
  const { port, options } = parseLocalEnv(opts.env ?? process.env);
  const allowedOrigins = [...new Set([...options.allowedOrigins, ...opts.appOrigins])];
  const proxy = createServer({ ...options, allowedOrigins, fetch: opts.fetch, now: opts.now, log: opts.log });
  let url: string;
  if (port === null) {
    url = await listenOnFirstFree(proxy, DEFAULT_HOST, DEFAULT_PORT, PROXY_PORT_ATTEMPTS);
  } else {
    url = await proxy.listen(port, DEFAULT_HOST).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'EADDRINUSE' ? `PROXY_PORT ${port} is already in use` : `the proxy could not listen on ${port}: ${err.message}`);
    });
  }
  return { url, proxy, probe: proxy.service.probe(), close: () => proxy.close() };
}

/**
 * A Vite preview-server plugin that serves {@link APP_CONFIG_FILE} beside
 * `index.html` from memory — nothing is written into `dist/`, so a copy of
 * `dist/` never carries one machine's port. Until `config()` returns a value
 * it answers 404, as a static server without the file would (the preview
 * server's SPA fallback would otherwise send index.html).
 */
export function appConfigPlugin(config: () => AppConfig | null): Plugin {
  return {
    name: 'astra-app-config',
    configurePreviewServer(server) {
      const path = `${server.config.base}${APP_CONFIG_FILE}`;
      server.middlewares.use((req, res, next) => {
        if ((req.url ?? '').split('?')[0] !== path) return next();
        const c = config();
        if (c === null) {
          res.writeHead(404, { 'Cache-Control': 'no-store' });
          res.end();
          return;
        }
        const body = JSON.stringify(c);
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': String(Buffer.byteLength(body)),
          'Cache-Control': 'no-store',
          'Cross-Origin-Resource-Policy': 'same-origin',
        });
        res.end(body);
      });
    },
  };
}
