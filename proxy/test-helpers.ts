/**
 * Shared test plumbing: a proxy on an ephemeral loopback port backed by the
 * fake Yahoo, plus HTTP helpers (fetch-based and raw-socket for bytes fetch
 * would normalise away).
 */
import http from 'node:http';
import net from 'node:net';
import { createServer, type ProxyOptions, type ProxyServer } from './create-server.ts';
import { createFakeYahoo, type FakeYahoo, type FakeYahooOptions } from './fixtures/fake-yahoo.ts';

/** A running proxy with its fake upstream. */
export interface Harness {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** The fake Yahoo behind it. */
  fake: FakeYahoo;
  /** The proxy. */
  proxy: ProxyServer;
  /** Log lines the proxy wrote. */
  logs: string[];
  /** Stops the proxy. */
  close(): Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1:0 with a fresh fake upstream; `options` override test-friendly
 * defaults. The fake shares the proxy's clock (`options.now`) unless `fakeOptions` gives its own,
 * so it has no bars after the proxy's "now", as Yahoo has none after the real one.
 */
export async function startHarness(options: ProxyOptions = {}, fakeOptions: FakeYahooOptions = {}): Promise<Harness> {
  const fake = createFakeYahoo({ now: options.now, ...fakeOptions });
  const logs: string[] = [];
  const proxy = createServer({
    fetch: fake.fetch,
    rateLimitPerMin: 10_000,
    upstreamTimeoutMs: 2_000,
    log: (l) => logs.push(l),
    ...options,
  });
  const url = await proxy.listen(0, '127.0.0.1');
  return { url, fake, proxy, logs, close: () => proxy.close() };
}

/** A decoded response. */
export interface Got {
  /** HTTP status. */
  status: number;
  /** Lower-cased headers. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (undefined for empty bodies). */
  body: any;
}

/**
 * Sends a request with node:http, which sends the path bytes as given (fetch
 * would re-encode or strip some), optionally from a chosen loopback address.
 */
export function request(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; localAddress?: string } = {},
): Promise<Got> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers, localAddress: opts.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Writes raw bytes to the server and returns the raw response text. */
export function rawRequest(base: string, bytes: Buffer | string): Promise<string> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname, () => sock.end(bytes));
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    sock.on('error', reject);
  });
}

/** What {@link rawSession} saw. */
export interface RawSession {
  /** Every byte the server sent, as latin1 text. */
  text: string;
  /** Whether the server closed the connection (else the session timed out). */
  closed: boolean;
  /** The status codes of the responses in `text`, in order (one per status line). */
  statuses: number[];
}

/**
 * Writes `steps` to a raw socket in order — bytes, or a pause in ms — WITHOUT half-closing it
 * (unlike {@link rawRequest}), then collects what the server sends until it closes the
 * connection or `timeoutMs` passes. For edges where the server, not the client, must end things.
 */
export function rawSession(base: string, steps: Array<string | Buffer | number>, timeoutMs = 3_000): Promise<RawSession> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ text, closed, statuses });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    const sock = net.connect(Number(u.port), u.hostname, async () => {
      for (const step of steps) {
        if (typeof step === 'number') await new Promise((r) => setTimeout(r, step));
        else if (!sock.destroyed) sock.write(step);
      }
    });
    sock.on('data', (c) => chunks.push(c));
    sock.on('close', () => done(true));
    sock.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? done(true) : reject(e)));
  });
}

/** The JSON body after the (first) header block of a raw response, or undefined if there is none. */
export function rawBody(text: string): any {
  const at = text.indexOf('\r\n\r\n');
  if (at === -1) return undefined;
  const rest = text.slice(at + 4);
  return rest === '' ? undefined : JSON.parse(rest);
}
