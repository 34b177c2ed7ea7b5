/**
 * The data-source module's settings: which source is chosen, the proxy's URL, the live tickers,
 * pair and history, their defaults and their slot (`astra.data.v1`, validated field by field).
 * The loaded data itself is not here but in IndexedDB (web/lib/market-store.ts): it can be
 * megabytes, localStorage holds a few. Pure: no DOM.
 */
import { DEMO_ASSETS, PAIR } from '../../engine/demo.ts';
import { DEFAULT_LOOKBACK_DAYS } from '../../engine/units.ts';
import { fail, ok, type Result } from '../../engine/result.ts';
import { quote } from '../../engine/errors.ts';
import type { SourceKind } from '../workers/protocol.ts';
import { LOOKBACK_RULE, readField } from './input-rules.ts';
import { isRecord, type Slot } from './storage.ts';

/** Where the proxy listens when nothing else says (`npm run proxy`'s default). */
export const DEFAULT_PROXY_URL = 'http://127.0.0.1:8787';
/** Most tickers one live load asks for (the proxy allows 120 requests a minute per client). */
export const MAX_LIVE_TICKERS = 40;

/** What the data-source module keeps. */
export interface DataSettings {
  /** The source chosen last; `null` before the user or the app ever chose one (first visit). */
  source: SourceKind | null;
  /** The proxy's base URL as the user set it; `null` = the default (npm start's, else {@link DEFAULT_PROXY_URL}). */
  proxyUrl: string | null;
  /** Tickers for live daily closes, upper-cased, unique. */
  tickers: string[];
  /** The pair for live 1-minute bars (y, x), or `null` for none. */
  pair: [string, string] | null;
  /** Daily history to fetch, calendar days back from today (the risk lookback's rule). */
  lookback: number;
}

/** The defaults: the demo's universe and pair, two years. */
export function defaultDataSettings(): DataSettings {
  return { source: null, proxyUrl: null, tickers: DEMO_ASSETS.map((a) => a.ticker), pair: [PAIR.y, PAIR.x], lookback: DEFAULT_LOOKBACK_DAYS };
}

const SOURCES: readonly SourceKind[] = ['demo', 'live', 'snapshot', 'csv'];
/** The proxy's symbol rule (docs/proxy.md): 1–15 of A-Z 0-9 ^ = . -, starting with a letter, digit or ^, no `..`. */
const SYMBOL = /^[A-Z0-9^][A-Z0-9^=.-]{0,14}$/;

/** A ticker as the proxy will accept it (upper-cased), or a message naming it. */
export function readSymbol(text: string): Result<string> {
  const symbol = text.trim().toUpperCase();
  if (!SYMBOL.test(symbol) || symbol.includes('..')) {
    return fail(`${quote(text.trim())} is not a ticker the proxy accepts (1–15 of A–Z, 0–9, ^ = . - starting with a letter, digit or ^)`);
  }
  return ok(symbol);
}

/** Typed tickers (`AAPL, msft JPM`) → the list, or a message naming the first bad one. */
export function readTickers(text: string): Result<string[]> {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  if (parts.length === 0) return fail('tickers: type at least one ticker');
  if (parts.length > MAX_LIVE_TICKERS) return fail(`tickers: at most ${MAX_LIVE_TICKERS} at once, got ${parts.length}`);
  const out: string[] = [];
  for (const p of parts) {
    const s = readSymbol(p);
    if (!s.ok) return fail(`tickers: ${s.error}`);
    if (!out.includes(s.value)) out.push(s.value);
  }
  return ok(out);
}

/** Typed pair (`JPM, C` or `JPM/C`), or empty for none. */
export function readPair(text: string): Result<[string, string] | null> {
  const parts = text.split(/[\s,;/]+/).filter((p) => p !== '');
  if (parts.length === 0) return ok(null);
  if (parts.length !== 2) return fail(`pair: type two tickers (y and x, e.g. JPM, C), got ${parts.length}`);
  const y = readSymbol(parts[0]);
  const x = readSymbol(parts[1]);
  if (!y.ok) return fail(`pair: ${y.error}`);
  if (!x.ok) return fail(`pair: ${x.error}`);
  if (y.value === x.value) return fail(`pair: y and x must differ, got ${y.value} twice`);
  return ok([y.value, x.value]);
}

/**
 * A proxy base URL: `http(s)://host[:port]` with nothing after it but an optional `/`. The app
 * adds `/api/...` itself; a path, query or credentials in the URL are refused, so what is typed is
 * exactly what is contacted.
 */
export function readProxyUrl(text: string): Result<string> {
  const t = text.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return fail(`proxy URL: ${quote(t)} is not a URL (e.g. ${DEFAULT_PROXY_URL})`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return fail(`proxy URL: give only the scheme, host and port (e.g. ${DEFAULT_PROXY_URL}), got ${quote(t)}`);
  }
  return ok(url.origin);
}

/** The slot `astra.data.v1`; a bad field falls back to its default alone. */
export const DATA_SLOT: Slot<DataSettings> = {
  key: 'astra.data.v1',
  what: 'the saved data-source settings',
  read(data: unknown, warn: (message: string) => void): DataSettings {
    if (!isRecord(data) || data.version !== 1) throw new Error('it is not a version 1 record');
    const out = defaultDataSettings();
    if (data.source === null || SOURCES.includes(data.source as SourceKind)) out.source = data.source as SourceKind | null;
    else warn('the source');
    if (data.proxyUrl !== null) {
      const url = typeof data.proxyUrl === 'string' ? readProxyUrl(data.proxyUrl) : fail('');
      if (url.ok) out.proxyUrl = url.value;
      else warn('the proxy URL');
    }
    const stored = Array.isArray(data.tickers) ? data.tickers : [];
    const symbols = stored.map((t) => (typeof t === 'string' ? readSymbol(t) : fail('')));
    if (stored.length > 0 && stored.length <= MAX_LIVE_TICKERS && symbols.every((t) => t.ok)) out.tickers = [...new Set(symbols.map((t) => (t.ok ? t.value : '')))];
    else warn('the tickers');
    const pair = data.pair === null ? ok(null) : Array.isArray(data.pair) && data.pair.length === 2 && data.pair.every((t) => typeof t === 'string' && !/[\s,;/]/.test(t)) ? readPair(data.pair.join(',')) : fail('');
    if (pair.ok) out.pair = pair.value;
    else warn('the pair');
    const lookback = typeof data.lookback === 'number' ? readField(String(data.lookback), 'lookback', LOOKBACK_RULE) : fail('');
    if (lookback.ok) out.lookback = lookback.value;
    else warn('the history length');
    return out;
  },
};

/** The record stored in {@link DATA_SLOT}. */
export function dataRecord(settings: DataSettings): DataSettings & { version: 1 } {
  return { version: 1, ...settings };
}
