/**
 * Request validation. Everything a client sends is checked here, before any
 * upstream call: yahoo-finance2 splices the symbol into the URL path without
 * escaping, so only a strict ASCII allow-list may reach it.
 */
import { MAX_DATE_MS, MAX_QUERY_LENGTH, MAX_URL_LENGTH, MIN_DATE_MS } from './constants.ts';
import { badRequest, MSG } from './errors.ts';

import { INTERVALS } from '../engine/market/snapshot.ts';
import type { Interval } from '../engine/market/snapshot.ts';

export { INTERVALS };
export type { Interval };

/**
 * Symbols: 1-15 chars of A-Z a-z 0-9 ^ = . -, first char alphanumeric or `^`,
 * and no `..` anywhere, so that no value can become a dot-segment in the
 * upstream path (`/v8/finance/chart/..`). Checked BEFORE upper-casing: JS
 * upper-cases some non-ASCII letters to ASCII (`ı`→`I`, `ſ`→`S`), so the
 * allow-list must see the raw input.
 */
const SYMBOL_RE = /^(?!.*\.\.)[A-Za-z0-9^][A-Za-z0-9^=.\-]{0,14}$/;

/**
 * Validates a symbol and returns it upper-cased (Yahoo symbols are
 * case-insensitive; one spelling keeps cache keys shared).
 * @throws ProxyError BAD_REQUEST when the symbol is not allowed.
 */
export function parseSymbol(raw: string | undefined): string {
  if (raw === undefined) throw badRequest(MSG.MISSING_SYMBOL);
  if (!SYMBOL_RE.test(raw)) throw badRequest(MSG.INVALID_SYMBOL);
  return raw.toUpperCase();
}

/** Validates an interval against {@link INTERVALS}. */
export function parseInterval(raw: string | undefined): Interval {
  if (raw === undefined) return '1d';
  const found = INTERVALS.find((i) => i === raw);
  if (!found) throw badRequest(MSG.INVALID_INTERVAL);
  return found;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM[:SS[.sss]](Z|±HH:MM)`
 * strictly: calendar fields must round-trip (no 2025-02-30), a date-time needs
 * an explicit offset (a local time would depend on the server's zone), and the
 * result must lie in [1970, 2100). Returns epoch milliseconds or null.
 */
export function parseIsoDate(raw: string): number | null {
  let y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, offsetMin = 0;
  const dm = DATE_RE.exec(raw);
  const tm = dm ? null : DATE_TIME_RE.exec(raw);
  if (dm) {
    [y, mo, d] = [Number(dm[1]), Number(dm[2]), Number(dm[3])];
  } else if (tm) {
    [y, mo, d, h, mi] = [Number(tm[1]), Number(tm[2]), Number(tm[3]), Number(tm[4]), Number(tm[5])];
    s = tm[6] === undefined ? 0 : Number(tm[6]);
    ms = tm[7] === undefined ? 0 : Number(tm[7].padEnd(3, '0'));
    const off = tm[8];
    if (off !== 'Z') {
      const oh = Number(off.slice(1, 3));
      const om = Number(off.slice(4, 6));
      if (oh > 14 || om > 59) return null;
      offsetMin = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
    }
  } else {
    return null;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(local);
  // Round-trip rejects dates that Date.UTC silently rolls over (Feb 30 → Mar 2).
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  const epoch = local - offsetMin * 60_000;
  if (epoch < MIN_DATE_MS || epoch >= MAX_DATE_MS) return null;
  return epoch;
}

/** A validated `/api/chart` request. Periods are epoch ms, or null when omitted. */
export interface ChartRequest {
  /** Upper-cased, allow-listed symbol. */
  symbol: string;
  /** Bar interval. */
  interval: Interval;
  /** Inclusive start (epoch ms), or null for the interval's default lookback. */
  period1: number | null;
  /** Exclusive end (epoch ms), or null for "now". */
  period2: number | null;
}

/** A validated `/api/quote` request. */
export interface QuoteRequest {
  /** Upper-cased, allow-listed symbol. */
  symbol: string;
}

/**
 * Splits and checks a raw request target (`req.url`): origin-form only, length
 * caps, printable ASCII only, no fragment. The path is NOT percent-decoded, so
 * `/api/%63hart` is simply an unknown route.
 */
export function splitTarget(rawUrl: string): { path: string; query: string } {
  if (rawUrl.length > MAX_URL_LENGTH) throw badRequest(MSG.URL_TOO_LONG);
  if (!rawUrl.startsWith('/')) throw badRequest(MSG.URL_NOT_ORIGIN_FORM);
  // 0x21-0x7E only: rejects spaces, CR/LF, NUL, DEL and any raw non-ASCII byte.
  if (!/^[\x21-\x7e]*$/.test(rawUrl) || rawUrl.includes('#')) throw badRequest(MSG.URL_BAD_CHARS);
  const q = rawUrl.indexOf('?');
  if (q === -1) return { path: rawUrl, query: '' };
  const query = rawUrl.slice(q + 1);
  if (query.length > MAX_QUERY_LENGTH) throw badRequest(MSG.QUERY_TOO_LONG);
  return { path: rawUrl.slice(0, q), query };
}

/**
 * Decodes a query string into a map, rejecting unknown names, repeated names
 * and empty values. Values are form-decoded (`%2F` → `/`, `+` → space) and
 * then face the per-parameter allow-lists, so decoding cannot smuggle anything.
 */
export function parseQuery(query: string, allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) {
    if (!allowed.includes(name)) throw badRequest(MSG.UNKNOWN_PARAM(name, allowed));
    if (out.has(name)) throw badRequest(MSG.REPEATED_PARAM(name));
    if (value === '') throw badRequest(MSG.EMPTY_PARAM(name));
    out.set(name, value);
  }
  return out;
}

/** Query parameters `/api/chart` accepts. There is deliberately no URL/host parameter. */
export const CHART_PARAMS = ['symbol', 'interval', 'period1', 'period2'] as const;
/** Query parameters `/api/quote` accepts. */
export const QUOTE_PARAMS = ['symbol'] as const;
/** `/api/health` accepts none. */
export const HEALTH_PARAMS: readonly string[] = [];

/** Validates the query of `/api/chart` (age limits are checked later, against the clock). */
export function parseChartQuery(query: string): ChartRequest {
  const p = parseQuery(query, CHART_PARAMS);
  const symbol = parseSymbol(p.get('symbol'));
  const interval = parseInterval(p.get('interval'));
  const raw1 = p.get('period1');
  const raw2 = p.get('period2');
  const period1 = raw1 === undefined ? null : parseIsoDate(raw1);
  if (raw1 !== undefined && period1 === null) throw badRequest(MSG.INVALID_PERIOD1);
  const period2 = raw2 === undefined ? null : parseIsoDate(raw2);
  if (raw2 !== undefined && period2 === null) throw badRequest(MSG.INVALID_PERIOD2);
  if (period1 !== null && period2 !== null && !(period1 < period2)) throw badRequest(MSG.PERIOD_ORDER);
  return { symbol, interval, period1, period2 };
}

/** Validates the query of `/api/quote`. */
export function parseQuoteQuery(query: string): QuoteRequest {
  const p = parseQuery(query, QUOTE_PARAMS);
  return { symbol: parseSymbol(p.get('symbol')) };
}
