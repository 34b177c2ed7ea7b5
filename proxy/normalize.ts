/**
 * Turns Yahoo's raw v8 chart / v7 quote results (as returned by yahoo-finance2
 * with `validateResult: false`) into the proxy's response shapes. We check
 * exactly the fields we use, so a Yahoo schema change we depend on becomes a
 * typed UPSTREAM_SCHEMA error instead of NaNs or zeros downstream.
 */
import { MSG, ProxyError } from './errors.ts';
import { isoWithOffset, stampSeries } from './time.ts';
import type { Bar, ChartResponse, Dividend, QuoteResponse, Split } from './types.ts';
import type { Interval } from './validate.ts';

type Obj = Record<string, unknown>;

/** Schema-mismatch error; `what` names the field for our logs only. */
function schema(what: string): ProxyError {
  return new ProxyError('UPSTREAM_SCHEMA', MSG.UPSTREAM_SCHEMA, { detail: what });
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Epoch seconds from a Yahoo time (number) or a Date that yahoo-finance2 coerced it to. */
function epochSeconds(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return Math.floor(v.getTime() / 1000);
  throw schema(what);
}

function numOrNull(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw schema(what);
}

/** A series column: an array of number|null as long as the timestamps, or null if Yahoo omitted it. */
function column(v: unknown, n: number, what: string): Array<number | null> | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.length !== n) throw schema(what);
  return v.map((x) => numOrNull(x, what));
}

/** Zone info used to stamp times. */
export interface ZoneInfo {
  /** IANA zone name. */
  timeZone: string;
  /** Yahoo's `gmtoffset`, used only if ICU does not know the zone. */
  gmtOffsetSec: number;
}

/** The parts of a chart answer that come from one Yahoo call. */
export interface ChartPiece {
  /** Currency or null. */
  currency: string | null;
  /** Zone used to stamp bars. */
  zone: ZoneInfo;
  /** Bars with their epoch seconds (for merging). */
  bars: Array<{ epoch: number; bar: Bar }>;
  /** Splits with epoch seconds. */
  splits: Array<{ epoch: number; split: Split }>;
  /** Dividends with epoch seconds. */
  dividends: Array<{ epoch: number; dividend: Dividend }>;
}

/** Validates one raw chart result (`chart.result[0]`, object form) and stamps its bars. */
export function normalizeChartPiece(raw: unknown): ChartPiece {
  if (!isObj(raw) || !isObj(raw.meta)) throw schema('chart.meta');
  const meta = raw.meta;
  const timeZone = meta.exchangeTimezoneName;
  if (typeof timeZone !== 'string' || !/^[A-Za-z0-9_+\-/]{1,64}$/.test(timeZone)) throw schema('meta.exchangeTimezoneName');
  const gmtOffsetSec = typeof meta.gmtoffset === 'number' ? meta.gmtoffset : 0;
  const currency = meta.currency === null || meta.currency === undefined ? null : meta.currency;
  if (currency !== null && typeof currency !== 'string') throw schema('meta.currency');
  const zone = { timeZone, gmtOffsetSec };
  const stamp = (epoch: number) => isoWithOffset(epoch, timeZone, gmtOffsetSec);

  const ts = raw.timestamp;
  const bars: ChartPiece['bars'] = [];
  if (ts !== undefined && ts !== null) {
    if (!Array.isArray(ts)) throw schema('timestamp');
    const n = ts.length;
    const ind = raw.indicators;
    if (!isObj(ind) || !Array.isArray(ind.quote) || !isObj(ind.quote[0])) throw schema('indicators.quote');
    const q = ind.quote[0];
    const open = column(q.open, n, 'quote.open');
    const high = column(q.high, n, 'quote.high');
    const low = column(q.low, n, 'quote.low');
    const close = column(q.close, n, 'quote.close');
    const volume = column(q.volume, n, 'quote.volume');
    if (!open || !high || !low || !close || !volume) throw schema('quote columns');
    let adj: Array<number | null> | null = null;
    if (Array.isArray(ind.adjclose) && ind.adjclose.length > 0) {
      const a = ind.adjclose[0];
      if (!isObj(a)) throw schema('indicators.adjclose');
      adj = column(a.adjclose, n, 'adjclose');
    }
    for (const epoch of ts) {
      if (typeof epoch !== 'number' || !Number.isFinite(epoch)) throw schema('timestamp[i]');
    }
    const stamps = stampSeries(ts as number[], timeZone, gmtOffsetSec);
    for (let i = 0; i < n; i++) {
      const epoch = ts[i] as number;
      bars.push({
        epoch,
        bar: {
          t: stamps[i],
          open: open[i],
          high: high[i],
          low: low[i],
          close: close[i],
          adjClose: adj ? adj[i] : null,
          volume: volume[i],
        },
      });
    }
  }

  const splits: ChartPiece['splits'] = [];
  const dividends: ChartPiece['dividends'] = [];
  const ev = raw.events;
  if (ev !== undefined && ev !== null) {
    if (!isObj(ev)) throw schema('events');
    if (ev.splits !== undefined) {
      if (!isObj(ev.splits)) throw schema('events.splits');
      for (const s of Object.values(ev.splits)) {
        if (!isObj(s)) throw schema('split');
        const epoch = epochSeconds(s.date, 'split.date');
        const numerator = numOrNull(s.numerator, 'split.numerator');
        const denominator = numOrNull(s.denominator, 'split.denominator');
        if (numerator === null || denominator === null) throw schema('split ratio');
        const ratio = typeof s.splitRatio === 'string' ? s.splitRatio : `${numerator}:${denominator}`;
        splits.push({ epoch, split: { t: stamp(epoch), numerator, denominator, ratio } });
      }
    }
    if (ev.dividends !== undefined) {
      if (!isObj(ev.dividends)) throw schema('events.dividends');
      for (const d of Object.values(ev.dividends)) {
        if (!isObj(d)) throw schema('dividend');
        const epoch = epochSeconds(d.date, 'dividend.date');
        const amount = numOrNull(d.amount, 'dividend.amount');
        if (amount === null) throw schema('dividend.amount');
        dividends.push({ epoch, dividend: { t: stamp(epoch), amount } });
      }
    }
  }
  return { currency, zone, bars, splits, dividends };
}

/**
 * Merges pieces (1-minute chunks, or a single piece) into one response:
 * ascending, deduplicated by instant (chunk edges overlap by design), and
 * trimmed to `window` = [period1, period2) in epoch ms. The trim matters: Yahoo
 * appends its latest "last price" tick to intraday answers whatever the window
 * (a 1-minute answer for 2024-10-02 ended with `2024-10-03T16:00-04:00`, volume
 * 0), and may send events just outside it.
 */
export function mergeChartPieces(
  pieces: readonly ChartPiece[],
  req: { symbol: string; yahooSymbol: string; interval: Interval },
  asOf: string,
  window: { period1: number; period2: number },
): ChartResponse {
  if (pieces.length === 0) throw schema('no pieces');
  const last = pieces[pieces.length - 1];
  const bars = new Map<number, Bar>();
  const splits = new Map<number, Split>();
  const dividends = new Map<number, Dividend>();
  const inside = (epochSec: number) => epochSec * 1000 >= window.period1 && epochSec * 1000 < window.period2;
  for (const p of pieces) {
    for (const b of p.bars) if (inside(b.epoch)) bars.set(b.epoch, b.bar);
    for (const s of p.splits) if (inside(s.epoch)) splits.set(s.epoch, s.split);
    for (const d of p.dividends) if (inside(d.epoch)) dividends.set(d.epoch, d.dividend);
  }
  const sorted = <V>(m: Map<number, V>) => [...m.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  return {
    symbol: req.symbol,
    yahooSymbol: req.yahooSymbol,
    interval: req.interval,
    currency: pieces.find((p) => p.currency !== null)?.currency ?? null,
    exchangeTimezone: last.zone.timeZone,
    bars: sorted(bars),
    events: { splits: sorted(splits), dividends: sorted(dividends) },
    source: 'yahoo',
    asOf,
  };
}

/**
 * Validates one raw quote (an element of `quoteResponse.result`). `undefined`
 * (Yahoo returned no row for the symbol) becomes NOT_FOUND. `symbol` is the
 * requested symbol, `yahooSymbol` the one Yahoo was asked for.
 */
export function normalizeQuote(raw: unknown, symbol: string, yahooSymbol: string, asOf: string): QuoteResponse {
  if (raw === undefined || raw === null) throw new ProxyError('NOT_FOUND', MSG.SYMBOL_NOT_FOUND, { detail: 'empty quote result' });
  if (!isObj(raw)) throw schema('quote');
  if (typeof raw.quoteType !== 'string') throw schema('quote.quoteType');
  const price = numOrNull(raw.regularMarketPrice, 'quote.regularMarketPrice');
  const currency = raw.currency === undefined || raw.currency === null ? null : raw.currency;
  if (currency !== null && typeof currency !== 'string') throw schema('quote.currency');
  let marketTime: string | null = null;
  if (raw.regularMarketTime !== undefined && raw.regularMarketTime !== null) {
    const epoch = epochSeconds(raw.regularMarketTime, 'quote.regularMarketTime');
    const tz = typeof raw.exchangeTimezoneName === 'string' ? raw.exchangeTimezoneName : 'UTC';
    const offMs = typeof raw.gmtOffSetMilliseconds === 'number' ? raw.gmtOffSetMilliseconds : 0;
    marketTime = isoWithOffset(epoch, tz, offMs / 1000);
  }
  return { symbol, yahooSymbol, price, currency, quoteType: raw.quoteType, marketTime, asOf };
}
