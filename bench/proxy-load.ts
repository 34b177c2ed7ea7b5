/**
 * Load test of the market-data proxy: starts it on loopback with the fake Yahoo
 * upstream (no network), fires N requests at C concurrent from several loopback
 * client addresses (a mix of daily charts, 1-minute charts and quotes, many
 * repeated), and reports throughput, latency percentiles, upstream calls and
 * status counts. The per-IP rate limit is set just below each client's share so
 * some 429s are intended; anything else non-200 counts as `unexpected`.
 *
 * Run directly: `npx tsx bench/proxy-load.ts [requests] [concurrency]`.
 */
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createServer } from '../proxy/create-server.ts';
import { createFakeYahoo } from '../proxy/fixtures/fake-yahoo.ts';

/** Requests fired when not specified. */
export const DEFAULT_LOAD_REQUESTS = 5_000;
/** Requests in flight when not specified. */
export const DEFAULT_LOAD_CONCURRENCY = 200;
/** Loopback source addresses used as distinct clients (falls back to 127.0.0.1 alone). */
export const LOAD_CLIENT_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7', '127.0.0.8'];
/** Fraction of each client's share its rate limit allows, so ~4% are intended 429s. */
export const LOAD_RATE_LIMIT_SHARE = 0.96;
/** Simulated Yahoo latency per data call (ms). */
export const LOAD_UPSTREAM_DELAY_MS = 5;
/** Per-request client timeout: a bound so the run always ends. */
export const LOAD_CLIENT_TIMEOUT_MS = 30_000;

/** Result of {@link runProxyLoad}. */
export interface ProxyLoadResult {
  /** Requests fired. */
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Wall time of the run (ms). */
  durationMs: number;
  /** requests / second. */
  throughputRps: number;
  /** Median latency (ms). */
  p50Ms: number;
  /** 99th percentile latency (ms). */
  p99Ms: number;
  /** Requests the fake Yahoo received (cookie/crumb handshake included). */
  upstreamCalls: number;
  /** Count per HTTP status (as string), `"error"` for transport failures. */
  statusCounts: Record<string, number>;
  /** Responses that were neither a well-formed 200 nor an intended 429 RATE_LIMITED. */
  unexpected: number;
}

const SYMBOLS = [
  'AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'BRK-B', 'JPM', 'C', 'BAC', 'WFC', 'GS', 'MS', 'XOM', 'CVX',
  'KO', 'PEP', 'PG', 'JNJ', 'UNH', 'HD', 'V', 'MA', 'DIS', 'NFLX', 'INTC', 'AMD', 'ORCL', 'IBM', 'CSCO',
  '7203.T', 'EURUSD=X', 'BTC-USD', '^GSPC', 'SPY', 'QQQ', 'IWM', 'TLT', 'GLD', 'XLF',
];

/** Deterministic pseudo-random sequence (LCG), so every run sends the same mix. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function buildPaths(n: number, now: number): string[] {
  const rnd = lcg(42);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const periods = [
    ['2024-01-01', '2025-01-01'],
    ['2023-01-01', '2025-01-01'],
    ['2025-01-01', '2025-03-01'],
  ];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const sym = encodeURIComponent(SYMBOLS[Math.floor(rnd() * SYMBOLS.length)]);
    if (r < 0.8) {
      const [p1, p2] = periods[Math.floor(rnd() * periods.length)];
      out.push(`/api/chart?symbol=${sym}&interval=1d&period1=${p1}&period2=${p2}`);
    } else if (r < 0.9) {
      out.push(`/api/chart?symbol=${sym}&interval=1m&period1=${day(now - 3 * 86_400_000)}&period2=${day(now)}`);
    } else {
      out.push(`/api/quote?symbol=${sym}`);
    }
  }
  return out;
}

interface Shot {
  status: number | 'error';
  ms: number;
  ok: boolean;
}

function shoot(base: URL, p: string, agent: http.Agent, localAddress: string): Promise<Shot> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: base.hostname, port: base.port, path: p, agent, localAddress, timeout: LOAD_CLIENT_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - t0;
          const status = res.statusCode ?? 0;
          let ok = false;
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            const sym = decodeURIComponent(/symbol=([^&]+)/.exec(p)?.[1] ?? '');
            if (status === 200) ok = body.symbol === sym && (p.startsWith('/api/quote') ? typeof body.quoteType === 'string' : Array.isArray(body.bars) && body.bars.length > 0);
            else if (status === 429) ok = body.error?.code === 'RATE_LIMITED' && Number(res.headers['retry-after']) >= 1;
          } catch {
            ok = false;
          }
          resolve({ status, ms, ok });
        });
        res.on('error', () => resolve({ status: 'error', ms: performance.now() - t0, ok: false }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', () => resolve({ status: 'error', ms: performance.now() - t0, ok: false }));
    req.end();
  });
}

/** Whether this OS lets us bind a second loopback address (Linux does; macOS needs an alias). */
async function canBind(base: URL, address: string): Promise<boolean> {
  const agent = new http.Agent();
  const shot = await shoot(base, '/api/health', agent, address);
  agent.destroy();
  return shot.status === 200;
}

/** Nearest-rank percentile of an ascending list: the smallest value with at least q of the list at or below it. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Runs the load test; see the module comment. Never asserts timings. */
export async function runProxyLoad(opts: { requests?: number; concurrency?: number } = {}): Promise<ProxyLoadResult> {
  const requests = opts.requests ?? DEFAULT_LOAD_REQUESTS;
  const concurrency = opts.concurrency ?? DEFAULT_LOAD_CONCURRENCY;
  const fake = createFakeYahoo({ delayMs: LOAD_UPSTREAM_DELAY_MS });
  // Limit chosen after we know how many client addresses work; createServer is cheap, so probe first.
  const probe = createServer({ fetch: fake.fetch });
  const probeUrl = new URL(await probe.listen(0, '127.0.0.1'));
  const multi = await canBind(probeUrl, LOAD_CLIENT_ADDRESSES[1]);
  await probe.close();
  const clients = multi ? LOAD_CLIENT_ADDRESSES : [LOAD_CLIENT_ADDRESSES[0]];
  const perClient = Math.ceil(requests / clients.length);
  // A frozen clock makes the limiter refill nothing during the run, so the number
  // of intended 429s does not depend on how fast this machine is.
  const frozenNow = Date.now();
  const proxy = createServer({
    fetch: fake.fetch,
    now: () => frozenNow,
    rateLimitPerMin: Math.max(1, Math.floor(perClient * LOAD_RATE_LIMIT_SHARE)),
    upstreamTimeoutMs: 10_000,
  });
  const base = new URL(await proxy.listen(0, '127.0.0.1'));
  const agents = clients.map(() => new http.Agent({ keepAlive: true, maxSockets: Math.ceil(concurrency / clients.length) }));
  const paths = buildPaths(requests, frozenNow);
  const shots: Shot[] = new Array(requests);
  let next = 0;
  const t0 = performance.now();
  try {
    const worker = async () => {
      while (next < requests) {
        const i = next++;
        const c = i % clients.length;
        shots[i] = await shoot(base, paths[i], agents[c], clients[c]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  } finally {
    for (const a of agents) a.destroy();
    await proxy.close();
  }
  const durationMs = performance.now() - t0;
  const statusCounts: Record<string, number> = {};
  for (const s of shots) statusCounts[String(s.status)] = (statusCounts[String(s.status)] ?? 0) + 1;
  const lat = shots.map((s) => s.ms).sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    requests,
    concurrency,
    durationMs: round(durationMs),
    throughputRps: round((requests / durationMs) * 1000),
    p50Ms: round(percentile(lat, 0.5)),
    p99Ms: round(percentile(lat, 0.99)),
    upstreamCalls: fake.calls.length,
    statusCounts,
    unexpected: shots.filter((s) => !s.ok).length,
  };
}

/** Renders a result as a small two-column table. */
export function formatProxyLoad(r: ProxyLoadResult): string {
  const rows: Array<[string, string]> = [
    ['requests', String(r.requests)],
    ['concurrency', String(r.concurrency)],
    ['duration ms', String(r.durationMs)],
    ['throughput rps', String(r.throughputRps)],
    ['p50 ms', String(r.p50Ms)],
    ['p99 ms', String(r.p99Ms)],
    ['upstream calls', String(r.upstreamCalls)],
    ['status counts', Object.entries(r.statusCounts).map(([k, v]) => `${k}: ${v}`).join(', ')],
    ['unexpected', String(r.unexpected)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [reqArg, concArg] = process.argv.slice(2).map(Number);
  runProxyLoad({ requests: reqArg || undefined, concurrency: concArg || undefined }).then(
    (r) => {
      process.stdout.write(`proxy load test (fake upstream, loopback)\n${formatProxyLoad(r)}\n`);
      process.exit(r.unexpected === 0 ? 0 : 1);
    },
    (err: unknown) => {
      process.stderr.write(`proxy load test failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
