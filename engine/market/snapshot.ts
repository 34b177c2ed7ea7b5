/**
 * The market-data wire format, defined once: the proxy's chart and quote answers, and the
 * `astra-snapshot` file that `npm run snapshot` writes and the app reads. The proxy imports these
 * types; {@link parseSnapshot} validates a file at the boundary (every message names the symbol,
 * the bar index and the field), and {@link snapshotPrices} / {@link snapshotBars} turn it into the
 * tables every engine module works on.
 */
import { AstraError, mention, Messages, quote } from '../errors.ts';
import type { BarTable, PriceTable } from '../types.ts';

/** Chart intervals (exactly the set Yahoo's v8 chart API knows). */
export const INTERVALS = ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo'] as const;
/** One of {@link INTERVALS}. */
export type Interval = (typeof INTERVALS)[number];

/** One OHLCV bar. Missing values stay null, never 0. */
export interface Bar {
  /** Bar start, ISO 8601 with the exchange's UTC offset, e.g. `2025-03-03T09:30:00-05:00`. */
  t: string;
  /** Open price, or null where Yahoo has none. */
  open: number | null;
  /** High price, or null. */
  high: number | null;
  /** Low price, or null. */
  low: number | null;
  /** Close price, or null. */
  close: number | null;
  /** Yahoo's split- and dividend-adjusted close; null where Yahoo gives none (e.g. intraday). */
  adjClose: number | null;
  /** Volume, or null. */
  volume: number | null;
}

/** A stock split. */
export interface Split {
  /** Split date, ISO 8601 with exchange offset. */
  t: string;
  /** New shares per `denominator` old shares. */
  numerator: number;
  /** Old shares. */
  denominator: number;
  /** Yahoo's ratio text, e.g. `4:1`. */
  ratio: string;
}

/** A cash dividend. */
export interface Dividend {
  /** Ex-date, ISO 8601 with exchange offset. */
  t: string;
  /** Amount per share, in the chart's currency. */
  amount: number;
}

/** Body of the proxy's `GET /api/chart`. */
export interface ChartResponse {
  /** Upper-cased symbol as requested. */
  symbol: string;
  /** Bar interval. */
  interval: Interval;
  /** ISO currency code, or null where Yahoo gives none. */
  currency: string | null;
  /** IANA zone of the exchange, e.g. `America/New_York`. */
  exchangeTimezone: string;
  /** Bars in ascending time, deduplicated by `t`. */
  bars: Bar[];
  /** Corporate actions inside the requested window, ascending. */
  events: { splits: Split[]; dividends: Dividend[] };
  /** Always `"yahoo"`. */
  source: 'yahoo';
  /** When the proxy fetched this from Yahoo (UTC ISO 8601); cached answers keep it. */
  asOf: string;
}

/** Body of the proxy's `GET /api/quote`. */
export interface QuoteResponse {
  /** Upper-cased symbol. */
  symbol: string;
  /** Yahoo's `regularMarketPrice`, or null. */
  price: number | null;
  /** ISO currency code, or null. */
  currency: string | null;
  /** Yahoo's quote type, e.g. `EQUITY`, `INDEX`, `CURRENCY`, `CRYPTOCURRENCY`. */
  quoteType: string;
  /** Time of `price`, ISO 8601 with the exchange's offset, or null. */
  marketTime: string | null;
  /** When the proxy fetched this (UTC ISO 8601). */
  asOf: string;
}

/** Snapshot file format name. */
export const SNAPSHOT_FORMAT = 'astra-snapshot';
/** Snapshot file format version; bump on any incompatible change. */
export const SNAPSHOT_VERSION = 1;

/** The file written by `npm run snapshot`. */
export interface Snapshot {
  /** Always {@link SNAPSHOT_FORMAT}. */
  format: typeof SNAPSHOT_FORMAT;
  /** Always {@link SNAPSHOT_VERSION}. */
  version: typeof SNAPSHOT_VERSION;
  /** When the snapshot was taken (UTC ISO 8601). */
  asOf: string;
  /** Daily charts by symbol. */
  daily: Record<string, ChartResponse>;
  /** 1-minute charts by symbol. */
  intraday: Record<string, ChartResponse>;
  /** Quotes by symbol. */
  quotes: Record<string, QuoteResponse>;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field's value as a message shows it: a string quoted and cut, a number as is, anything else by its kind. */
function shown(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

function bad(where: string, problem: string): AstraError {
  return new AstraError('BAD_INPUT', Messages.snapshotField(where, problem), { field: where });
}

const isPrice = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

function checkChart(chart: unknown, where: string): ChartResponse {
  if (!isRecord(chart)) throw bad(where, 'is not an object');
  if (typeof chart.symbol !== 'string') throw bad(`${where}.symbol`, 'is not a string');
  if (!(INTERVALS as readonly unknown[]).includes(chart.interval)) throw bad(`${where}.interval`, `is not one of ${INTERVALS.join(', ')}`);
  if (!Array.isArray(chart.bars)) throw bad(`${where}.bars`, 'is not a list');
  let previous = -Infinity;
  chart.bars.forEach((bar: unknown, i) => {
    const at = `${where}.bars[${i}]`;
    if (!isRecord(bar)) throw bad(at, 'is not an object');
    if (typeof bar.t !== 'string' || !ISO_WITH_OFFSET.test(bar.t)) throw bad(`${at}.t`, 'is not an ISO 8601 time with an offset');
    const time = Date.parse(bar.t);
    if (!(time > previous)) throw bad(`${at}.t`, `${bar.t} is not after the bar before it`);
    previous = time;
    for (const field of ['open', 'high', 'low', 'close', 'adjClose', 'volume'] as const) {
      if (!isPrice(bar[field] ?? null)) throw bad(`${at}.${field}`, 'is not a finite number or null');
    }
  });
  return chart as unknown as ChartResponse;
}

/**
 * Validate a parsed snapshot file. Throws `BAD_INPUT` naming the first bad field
 * (`daily.AAPL.bars[17].close: is not a finite number or null`).
 */
export function parseSnapshot(data: unknown): Snapshot {
  if (!isRecord(data)) throw bad('snapshot', 'is not a JSON object');
  if (data.format !== SNAPSHOT_FORMAT) throw bad('format', `is ${shown(data.format)}, not "${SNAPSHOT_FORMAT}"`);
  if (data.version !== SNAPSHOT_VERSION) throw bad('version', `is ${shown(data.version)}; this build reads version ${SNAPSHOT_VERSION}`);
  for (const section of ['daily', 'intraday', 'quotes'] as const) {
    if (!isRecord(data[section])) throw bad(section, 'is not an object of symbols');
  }
  // Symbols are keys of the user's file: mention() them, as every name in a message.
  for (const [symbol, chart] of Object.entries(data.daily as object)) checkChart(chart, `daily.${mention(symbol)}`);
  for (const [symbol, chart] of Object.entries(data.intraday as object)) checkChart(chart, `intraday.${mention(symbol)}`);
  return data as unknown as Snapshot;
}

/** The calendar date of a bar in its exchange's own time (the offset carried by `t`). */
function localDate(t: string): string {
  return t.slice(0, 10);
}

/**
 * The daily charts as a price table: one column per symbol in the snapshot's order, one row per
 * exchange-local date seen in any chart, adjusted closes (`close` for rate series such as `^IRX`,
 * which have no adjustment). A date a symbol lacks is `NaN`, never a carried-forward price.
 */
export function snapshotPrices(snapshot: Snapshot): PriceTable {
  const charts = Object.values(snapshot.daily);
  const dates = [...new Set(charts.flatMap((c) => c.bars.map((b) => localDate(b.t))))].sort();
  const row = new Map(dates.map((d, i) => [d, i]));
  const closes = charts.map((chart) => {
    const column = new Float64Array(dates.length).fill(NaN);
    const rate = chart.symbol.startsWith('^');
    for (const bar of chart.bars) {
      const value = rate ? (bar.adjClose ?? bar.close) : bar.adjClose;
      if (value !== null) column[row.get(localDate(bar.t)) as number] = value;
    }
    return column;
  });
  return { dates, tickers: charts.map((c) => c.symbol), closes };
}

/** The 1-minute charts as a bar table on the union of their timestamps; a missing close is `NaN`. */
export function snapshotBars(snapshot: Snapshot): BarTable {
  const charts = Object.values(snapshot.intraday);
  const byTime = new Map<number, string>();
  for (const chart of charts) for (const bar of chart.bars) if (!byTime.has(Date.parse(bar.t))) byTime.set(Date.parse(bar.t), bar.t);
  const times = Float64Array.from([...byTime.keys()].sort((a, b) => a - b));
  const index = new Map(Array.from(times, (t, i) => [t, i]));
  const closes = charts.map((chart) => {
    const column = new Float64Array(times.length).fill(NaN);
    for (const bar of chart.bars) if (bar.close !== null) column[index.get(Date.parse(bar.t)) as number] = bar.close;
    return column;
  });
  return { timestamps: Array.from(times, (t) => byTime.get(t) as string), times, tickers: charts.map((c) => c.symbol), closes };
}
