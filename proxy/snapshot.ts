/**
 * `npm run snapshot -- --symbols AAPL,MSFT --daily 2y --intraday JPM,C:5d --out FILE [--quotes ^IRX] [--proxy-free | --proxy URL]`
 *
 * Writes one versioned JSON file of chart and quote responses, produced by the
 * same service (adapter + normaliser) as the HTTP proxy — in-process by default
 * (`--proxy-free`: no running proxy needed), or through a running proxy's API
 * with `--proxy URL`. Exit codes: 0 ok, 1 data could not be fetched (no file is
 * written), 2 bad arguments.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ONE_DAY_MS, ONE_MINUTE_MAX_AGE_MS } from './constants.ts';
import { ProxyError } from './errors.ts';
import { MarketDataService } from './market-data.ts';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../engine/market/snapshot.ts';
import type { ChartResponse, QuoteResponse, Snapshot } from '../engine/market/snapshot.ts';
import type { FetchLike } from './upstream-fetch.ts';
import { parseSymbol } from './validate.ts';

/** Daily lookback when `--daily` is omitted. */
export const DEFAULT_DAILY_PERIOD = '2y';
/** 1-minute lookback when `--intraday` names symbols without `:period`. */
export const DEFAULT_INTRADAY_PERIOD = '5d';
/** Quotes fetched when `--quotes` is omitted (the T-bill rate used for funding). */
export const DEFAULT_QUOTES: readonly string[] = ['^IRX'];
/** Per-request deadline for snapshots: generous, since a snapshot is a batch job. */
export const SNAPSHOT_TIMEOUT_MS = 60_000;
/** Requests a snapshot runs at once. */
export const SNAPSHOT_PARALLELISM = 4;

/** Parsed command line. */
export interface SnapshotArgs {
  /** Symbols for daily bars. */
  symbols: string[];
  /** Daily lookback, e.g. `2y`. */
  daily: string;
  /** Symbols for 1-minute bars. */
  intradaySymbols: string[];
  /** 1-minute lookback, e.g. `5d` (≤ 30 days). */
  intradayPeriod: string;
  /** Quote symbols. */
  quotes: string[];
  /** Output file. */
  out: string;
  /** Base URL of a running proxy, or null to work in-process. */
  proxy: string | null;
}

/** Bad command line (exit 2). */
export class UsageError extends Error {
  /** @param message - what is wrong. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Usage text printed with argument errors. */
export const USAGE =
  'usage: npm run snapshot -- --symbols AAPL,MSFT --out FILE [--daily 2y] [--intraday JPM,C:5d] [--quotes ^IRX] [--proxy-free | --proxy http://127.0.0.1:8787]';

const PERIOD_RE = /^([1-9]\d{0,2})(d|w|mo|y)$/;

/** Start of a lookback period ending at `end` (calendar months/years, UTC). */
export function periodStart(period: string, end: number): number {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new UsageError(`invalid period "${period}": use e.g. 5d, 2w, 6mo, 2y`);
  const n = Number(m[1]);
  if (m[2] === 'd') return end - n * ONE_DAY_MS;
  if (m[2] === 'w') return end - 7 * n * ONE_DAY_MS;
  const d = new Date(end);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - (m[2] === 'mo' ? n : 12 * n));
  // Clamp to the month's last day: one month before Mar 31 is Feb 28, not Mar 3.
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.getTime();
}

function symbolList(raw: string, flag: string): string[] {
  const list = raw.split(',').filter((s) => s !== '');
  if (list.length === 0) throw new UsageError(`${flag} needs at least one symbol`);
  return list.map((s) => {
    try {
      return parseSymbol(s);
    } catch {
      throw new UsageError(`${flag}: invalid symbol "${s}"`);
    }
  });
}

/** Parses argv (without node/script). Throws {@link UsageError}. */
export function parseSnapshotArgs(argv: readonly string[]): SnapshotArgs {
  const flags = new Map<string, string>();
  let proxyFree = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--proxy-free') {
      proxyFree = true;
      continue;
    }
    if (!['--symbols', '--daily', '--intraday', '--out', '--quotes', '--proxy'].includes(a)) {
      throw new UsageError(`unknown argument "${a}"`);
    }
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
    if (flags.has(a)) throw new UsageError(`${a} given twice`);
    flags.set(a, v);
    i++;
  }
  const out = flags.get('--out');
  if (!out) throw new UsageError('--out FILE is required');
  const symbols = flags.has('--symbols') ? symbolList(flags.get('--symbols') as string, '--symbols') : [];
  const daily = flags.get('--daily') ?? DEFAULT_DAILY_PERIOD;
  periodStart(daily, Date.now());
  let intradaySymbols: string[] = [];
  let intradayPeriod = DEFAULT_INTRADAY_PERIOD;
  const intraday = flags.get('--intraday');
  if (intraday !== undefined) {
    const colon = intraday.lastIndexOf(':');
    intradaySymbols = symbolList(colon === -1 ? intraday : intraday.slice(0, colon), '--intraday');
    if (colon !== -1) intradayPeriod = intraday.slice(colon + 1);
    const now = Date.now();
    if (now - periodStart(intradayPeriod, now) > ONE_MINUTE_MAX_AGE_MS) {
      throw new UsageError(`--intraday period "${intradayPeriod}" is longer than the 30 days Yahoo keeps 1-minute bars`);
    }
  }
  if (symbols.length === 0 && intradaySymbols.length === 0) throw new UsageError('give --symbols and/or --intraday');
  const quotes = flags.has('--quotes') ? symbolList(flags.get('--quotes') as string, '--quotes') : [...DEFAULT_QUOTES];
  const proxy = flags.get('--proxy') ?? null;
  if (proxy !== null) {
    if (proxyFree) throw new UsageError('--proxy and --proxy-free exclude each other');
    if (!/^https?:\/\/[^/?#\s]+$/.test(proxy)) throw new UsageError(`--proxy must be a base URL like http://127.0.0.1:8787, got "${proxy}"`);
  }
  return { symbols, daily, intradaySymbols, intradayPeriod, quotes, out, proxy };
}

/** Where snapshot data comes from: the in-process service or a running proxy. */
interface Source {
  chart(symbol: string, interval: '1d' | '1m', period1: number, period2: number): Promise<ChartResponse>;
  quote(symbol: string): Promise<QuoteResponse>;
}

function inProcessSource(fetch: FetchLike | undefined, now: () => number): Source {
  const service = new MarketDataService({ fetch, now, cacheTtlMs: 0, upstreamTimeoutMs: SNAPSHOT_TIMEOUT_MS });
  return {
    chart: (symbol, interval, period1, period2) => service.chart({ symbol, interval, period1, period2 }),
    quote: (symbol) => service.quote({ symbol }),
  };
}

function httpSource(base: string, fetch: FetchLike): Source {
  const get = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${base}${p}`, { signal: AbortSignal.timeout(SNAPSHOT_TIMEOUT_MS) });
    const body = (await res.json()) as T & { error?: { code: string; message: string } };
    if (!res.ok) throw new Error(`${body.error?.code ?? res.status}: ${body.error?.message ?? ''}`);
    return body;
  };
  const q = (s: string) => encodeURIComponent(s);
  return {
    chart: (symbol, interval, p1, p2) =>
      get(`/api/chart?symbol=${q(symbol)}&interval=${interval}&period1=${new Date(p1).toISOString()}&period2=${new Date(p2).toISOString()}`),
    quote: (symbol) => get(`/api/quote?symbol=${q(symbol)}`),
  };
}

/** Runs `jobs` with at most `n` at once, preserving order of results. */
async function pool<T>(jobs: Array<() => Promise<T>>, n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, jobs.length) }, worker));
  return out;
}

/** Dependencies of {@link takeSnapshot}, injectable for tests. */
export interface SnapshotDeps {
  /** fetch for Yahoo (in-process) or for the proxy (`--proxy`); default globalThis.fetch. */
  fetch?: FetchLike;
  /** Clock (epoch ms). */
  now?: () => number;
}

/** Fetches everything the args ask for. Throws an Error naming the failing item. */
export async function takeSnapshot(args: SnapshotArgs, deps: SnapshotDeps = {}): Promise<Snapshot> {
  const now = deps.now ?? Date.now;
  const end = now();
  const fetch = deps.fetch ?? ((i, init) => globalThis.fetch(i, init));
  const source = args.proxy ? httpSource(args.proxy, fetch) : inProcessSource(deps.fetch, now);
  const labelled = <T>(label: string, p: () => Promise<T>) => async () => {
    try {
      return await p();
    } catch (err) {
      const what = err instanceof ProxyError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
      throw new Error(`${label}: ${what}`);
    }
  };
  const dailyStart = periodStart(args.daily, end);
  const intraStart = periodStart(args.intradayPeriod, end);
  const [daily, intraday, quotes] = await Promise.all([
    pool(args.symbols.map((s) => labelled(`${s} daily`, () => source.chart(s, '1d', dailyStart, end))), SNAPSHOT_PARALLELISM),
    pool(args.intradaySymbols.map((s) => labelled(`${s} 1m`, () => source.chart(s, '1m', intraStart, end))), SNAPSHOT_PARALLELISM),
    pool(args.quotes.map((s) => labelled(`${s} quote`, () => source.quote(s))), SNAPSHOT_PARALLELISM),
  ]);
  const byKey = <T>(keys: string[], vals: T[]) => Object.fromEntries(keys.map((k, i) => [k, vals[i]]));
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    asOf: new Date(end).toISOString(),
    daily: byKey(args.symbols, daily),
    intraday: byKey(args.intradaySymbols, intraday),
    quotes: byKey(args.quotes, quotes),
  };
}

/** Writes atomically (temp file + rename) so a failed run never leaves half a file. */
export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(snapshot)}\n`, 'utf8');
  await rename(tmp, file);
}

/** CLI core: returns the exit code. `io` defaults to the process streams. */
export async function runSnapshotCli(
  argv: readonly string[],
  deps: SnapshotDeps = {},
  io: { out: (s: string) => void; err: (s: string) => void } = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  },
): Promise<number> {
  let args: SnapshotArgs;
  try {
    args = parseSnapshotArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`snapshot: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const snap = await takeSnapshot(args, deps);
    await writeSnapshot(args.out, snap);
    const bars = (r: Record<string, ChartResponse>) => Object.values(r).reduce((n, c) => n + c.bars.length, 0);
    io.out(
      `snapshot: wrote ${args.out} (${Object.keys(snap.daily).length} daily: ${bars(snap.daily)} bars, ` +
        `${Object.keys(snap.intraday).length} intraday: ${bars(snap.intraday)} bars, ${Object.keys(snap.quotes).length} quotes)\n`,
    );
    return 0;
  } catch (err) {
    io.err(`snapshot: failed, nothing written: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runSnapshotCli(process.argv.slice(2)).then((code) => process.exit(code));
}
