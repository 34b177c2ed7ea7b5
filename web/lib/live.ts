/**
 * Live market data through the ASTRA proxy (docs/proxy.md): daily adjusted closes of the chosen
 * tickers over the history asked for, `^IRX` daily for the risk-free rate, and 1-minute bars of
 * the pair over the last {@link MINUTE_DAYS} days. The answers are assembled into an
 * `astra-snapshot` v1 text, so the worker reads live data exactly as it reads a snapshot file.
 *
 * - Every request has a deadline ({@link REQUEST_TIMEOUT_MS}) and follows the caller's signal:
 *   nothing waits forever.
 * - The proxy is asked `/api/health` first: no answer means the proxy is down or unreachable,
 *   said in one message before any data request.
 * - A failed symbol is named with the proxy's typed error (`{ error: { code, message } }`); the
 *   others still load. Only when no ticker loads is the whole load refused.
 */
import { parseSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type ChartResponse, type Snapshot } from '../../engine/market/snapshot.ts';
import { MS_PER_DAY } from '../../engine/units.ts';
import type { FailedSymbol, SourceFile } from '../workers/protocol.ts';

/** Deadline of one request to the proxy, ms (the proxy's own upstream deadline is 15 s). */
export const REQUEST_TIMEOUT_MS = 25_000;
/** Deadline of the health check, ms: a proxy that is up answers it at once. */
export const HEALTH_TIMEOUT_MS = 4_000;
/**
 * Calendar days of 1-minute bars fetched for the pair: four or five sessions. Yahoo keeps 30, and
 * the proxy splits a 1-minute window into 7-day requests; staying under 7 days keeps it to one.
 */
export const MINUTE_DAYS = 6;
/** Calendar days fetched beyond the history, so the first return of the window has its base price. */
const HISTORY_MARGIN_DAYS = 10;
/** Requests in flight at once. */
const PARALLEL = 4;
/** The rate series behind the RFR. */
export const RFR_SYMBOL = '^IRX';

/** What to fetch. */
export interface LivePlan {
  /** Proxy base URL, e.g. `http://127.0.0.1:8787`. */
  proxy: string;
  /** Tickers for daily closes. */
  tickers: string[];
  /** The pair for 1-minute bars, or `null`. */
  pair: [string, string] | null;
  /** Daily history, calendar days back from `now`. */
  lookback: number;
  /** The clock, epoch ms. */
  now: number;
}

/** One request's progress, shown per ticker. */
export interface LiveItem {
  symbol: string;
  /** `daily` closes, the `rate` series, or `minute` bars. */
  kind: 'daily' | 'rate' | 'minute';
  state: 'waiting' | 'loading' | 'done' | 'failed';
  /** Bars received. */
  bars?: number;
  /** The symbol Yahoo was asked for when the proxy mapped it (`BRK.B` → `BRK-B`). */
  fetchedAs?: string;
  /** The proxy's typed error (or NETWORK / TIMEOUT / BAD_ANSWER from the app). */
  error?: { code: string; message: string };
}

/** What {@link fetchLive} needs from its surroundings. */
export interface LiveDeps {
  fetch: typeof globalThis.fetch;
  /** Cancels every request. */
  signal?: AbortSignal;
  /** Called with the whole list after every change. */
  onItems?: (items: LiveItem[]) => void;
  /** Per-request deadline; default {@link REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Deadline of the health check; default {@link HEALTH_TIMEOUT_MS}. */
  healthTimeoutMs?: number;
}

/** Why no live data could be had at all; `message` is for the user. */
export class LiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveError';
  }
}

/** What a live load gives: the snapshot text for the worker and the symbols that failed. */
export interface LiveResult {
  file: SourceFile;
  failed: FailedSymbol[];
  items: LiveItem[];
}

class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function deadline(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** GET `url` as JSON; a non-2xx answer becomes its typed error, a network failure or timeout ours. */
async function getJson(url: string, deps: LiveDeps, timeoutMs: number): Promise<unknown> {
  let response: Response;
  const signal = deadline(deps.signal, timeoutMs);
  try {
    response = await deps.fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (e) {
    if (deps.signal?.aborted) throw e;
    if (signal.aborted) throw new RequestError('TIMEOUT', `no answer within ${timeoutMs / 1000} s`);
    throw new RequestError('NETWORK', e instanceof Error ? e.message : String(e));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    if (deps.signal?.aborted) throw deps.signal.reason;
    throw new RequestError(response.ok ? 'BAD_ANSWER' : `HTTP_${response.status}`, `the answer (HTTP ${response.status}) is not JSON`);
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`;
    const message = typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`;
    throw new RequestError(code, message);
  }
  return body;
}

/**
 * Ask the proxy's `/api/health`. Resolves when it answers `{ ok: true }`; otherwise throws a
 * {@link LiveError} saying the proxy is down, unreachable or not the ASTRA proxy.
 */
export async function checkProxy(proxy: string, deps: LiveDeps): Promise<void> {
  let body: unknown;
  const timeoutMs = deps.healthTimeoutMs ?? HEALTH_TIMEOUT_MS;
  try {
    body = await getJson(`${proxy}/api/health`, deps, timeoutMs);
  } catch (e) {
    if (deps.signal?.aborted) throw e;
    const why = e instanceof RequestError ? (e.code === 'TIMEOUT' ? `no answer within ${timeoutMs / 1000} s` : e.message) : String(e);
    throw new LiveError(`No answer from the proxy at ${proxy} (${why}): it is not running or cannot be reached. Start it (npm start starts it; or npm run proxy), check its URL, or use the demo or a snapshot.`);
  }
  if (!(typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true)) {
    throw new LiveError(`${proxy} answered /api/health, but not as the ASTRA proxy does ({ "ok": true }): check the URL.`);
  }
}

/** `YYYY-MM-DDTHH:MM:SSZ` (the proxy's date-time form, without milliseconds). */
function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Check one chart answer with the snapshot format's own validator (it names the field). */
function checkChart(body: unknown, symbol: string, section: 'daily' | 'intraday'): ChartResponse {
  const probe = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, asOf: '', daily: {}, intraday: {}, quotes: {}, [section]: { [symbol]: body } };
  try {
    return parseSnapshot(probe)[section][symbol];
  } catch (e) {
    throw new RequestError('BAD_ANSWER', e instanceof Error ? e.message : String(e));
  }
}

/**
 * Fetch everything `plan` asks for (after {@link checkProxy}), reporting each request through
 * `onItems`. Resolves with the snapshot text and the failed symbols; rejects with a
 * {@link LiveError} when no daily ticker loaded, or with the signal's reason when cancelled.
 */
export async function fetchLive(plan: LivePlan, deps: LiveDeps): Promise<LiveResult> {
  await checkProxy(plan.proxy, deps);
  const timeoutMs = deps.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const dailyFrom = new Date(plan.now - (plan.lookback + HISTORY_MARGIN_DAYS) * MS_PER_DAY).toISOString().slice(0, 10);
  const minuteFrom = isoSeconds(plan.now - MINUTE_DAYS * MS_PER_DAY);
  const daily = plan.tickers.filter((t) => t !== RFR_SYMBOL);
  const items: LiveItem[] = [
    ...daily.map((symbol) => ({ symbol, kind: 'daily' as const, state: 'waiting' as const })),
    { symbol: RFR_SYMBOL, kind: 'rate', state: 'waiting' },
    ...(plan.pair ?? []).map((symbol) => ({ symbol, kind: 'minute' as const, state: 'waiting' as const })),
  ];
  const update = (i: number, change: Partial<LiveItem>) => {
    items[i] = { ...items[i], ...change };
    deps.onItems?.(items.slice());
  };
  deps.onItems?.(items.slice());

  const charts: (ChartResponse | null)[] = items.map(() => null);
  const q = encodeURIComponent;
  const job = async (i: number) => {
    const { symbol, kind } = items[i];
    const url = kind === 'minute'
      ? `${plan.proxy}/api/chart?symbol=${q(symbol)}&interval=1m&period1=${minuteFrom}`
      : `${plan.proxy}/api/chart?symbol=${q(symbol)}&interval=1d&period1=${dailyFrom}`;
    update(i, { state: 'loading' });
    try {
      const body = await getJson(url, deps, timeoutMs);
      const chart = checkChart(body, symbol, kind === 'minute' ? 'intraday' : 'daily');
      // Keyed and named by the ticker as asked, so the book's ticker finds its prices.
      charts[i] = { ...chart, symbol };
      const yahoo = (body as { yahooSymbol?: unknown }).yahooSymbol;
      update(i, { state: 'done', bars: chart.bars.length, ...(typeof yahoo === 'string' && yahoo !== symbol ? { fetchedAs: yahoo } : {}) });
    } catch (e) {
      if (deps.signal?.aborted) throw deps.signal.reason ?? e;
      const error = e instanceof RequestError ? { code: e.code, message: e.message } : { code: 'ERROR', message: e instanceof Error ? e.message : String(e) };
      update(i, { state: 'failed', error });
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      while (next < items.length) await job(next++);
    }),
  );

  const failed: FailedSymbol[] = items.flatMap((it) => (it.error ? [{ symbol: it.kind === 'minute' ? `${it.symbol} (1-minute)` : it.symbol, code: it.error.code, message: it.error.message }] : []));
  const loadedDaily = items.filter((it, i) => it.kind === 'daily' && charts[i] && charts[i].bars.length > 0);
  if (loadedDaily.length === 0) {
    const unreachable = failed.length > 0 && failed.every((f) => f.code === 'UPSTREAM_UNREACHABLE');
    const list = failed.slice(0, 4).map((f) => `${f.symbol} ${f.code}`).join(', ');
    throw new LiveError(
      unreachable
        ? `The proxy at ${plan.proxy} cannot reach Yahoo Finance (UPSTREAM_UNREACHABLE: no internet on the proxy's machine?). No live data; the data on screen is kept.`
        : `No ticker could be loaded${list ? ` (${list}${failed.length > 4 ? ', …' : ''})` : ': every chart came back empty'}; the data on screen is kept.`,
    );
  }
  const section = (kind: LiveItem['kind'][]) =>
    Object.fromEntries(items.flatMap((it, i) => (kind.includes(it.kind) && charts[i] ? [[it.symbol, charts[i]]] : [])));
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    asOf: new Date(plan.now).toISOString(),
    daily: section(['daily', 'rate']),
    intraday: section(['minute']),
    quotes: {},
  };
  return { file: { name: 'live', text: JSON.stringify(snapshot) }, failed, items };
}
