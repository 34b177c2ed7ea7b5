/**
 * Aligned daily log returns of a price table (docs/conventions.md, "Returns and covariance").
 *
 * - Universe: the columns the caller names, in that order; by default every column that is not a
 *   rate series (`RATE_SYMBOLS`, e.g. `^IRX`), in file order.
 * - Aligned dates: the dates on which every ticker of the universe has a price.
 * - rₜ = ln(Pₜ / Pₜ₋₁) on each aligned date t, Pₜ₋₁ being the price on the previous aligned date.
 * - Window: the returns whose date t is later than (last aligned date − lookback calendar days).
 *   The base price of the first return may lie before that cutoff.
 * - Nothing is dropped silently. A ticker leaves the universe only when it cannot give a single
 *   return: fewer than two prices in the table, or only one price in the window (which is then
 *   recomputed without it); each is listed in `dropped.tickers` with the reason. Every date after
 *   the cutoff that is not aligned is listed in `dropped.dates` with the tickers that lacked a price.
 *
 * Pure TypeScript (no wasm): the web worker, the CLI and the tests run it unchanged.
 */
import { AstraError, mention, Messages } from '../errors.ts';
import type { PriceTable } from '../types.ts';
import { RATE_SYMBOLS } from '../types.ts';
import { DEFAULT_LOOKBACK_DAYS, MS_PER_DAY } from '../units.ts';

/** Options of {@link alignedReturns}. */
export interface ReturnsOptions {
  /** Calendar days back from the last aligned date (a whole number ≥ 1). Default {@link DEFAULT_LOOKBACK_DAYS}. */
  lookback?: number;
  /**
   * The universe, in this order. Default: every column that is not a rate series. Naming a rate
   * series (e.g. `^IRX`) includes it (its values must then be positive where used).
   */
  tickers?: readonly string[];
}

/** A date after the window's cutoff that was left out, and which tickers had no price on it. */
export interface DroppedDate {
  /** ISO date `YYYY-MM-DD`. */
  date: string;
  /** Tickers of the (final) universe with no price on that date, in universe order. */
  missing: string[];
}

/** A ticker left out of the universe, and why. */
export interface DroppedTicker {
  ticker: string;
  /** A sentence saying why it could not contribute a return. */
  reason: string;
}

/** What was left out. */
export interface Dropped {
  /** Dates after the cutoff (up to the table's last date) that are not aligned, in date order. */
  dates: DroppedDate[];
  /** Tickers removed from the universe, in the order they were removed. */
  tickers: DroppedTicker[];
}

/** The aligned returns of a universe over a lookback window. */
export interface AlignedReturns {
  /** The universe after drops: n tickers, in the requested (or file) order. */
  tickers: string[];
  /** T return dates (ISO), increasing: the aligned dates of the window. */
  dates: string[];
  /**
   * Daily log returns, asset-major n×T: `returns[i·T + t]` is the return of `tickers[i]` on
   * `dates[t]` (a decimal, e.g. 0.0123 for +1.24%). Always finite: NaN never reaches it.
   */
  returns: Float64Array;
  /** The lookback used, calendar days. */
  lookback: number;
  /** The cutoff: returns dated strictly after it are kept (last aligned date − lookback days). */
  windowStart: string;
  /** The last aligned date (= the last return date). */
  windowEnd: string;
  /** Rate-series columns left out of the default universe (not "dropped": they are not assets). */
  excluded: string[];
  /** What was left out, with reasons. */
  dropped: Dropped;
  /** Sentences for the user: dropped tickers, gap summary, a window that ends before the data. */
  warnings: string[];
}

/**
 * A return whose base price is more than this many calendar days before it is reported: a long
 * weekend with a holiday spans 4, a week-long outage about 9.
 */
export const LONG_RETURN_DAYS = 10;

/** ISO date `days` calendar days before `iso` (UTC arithmetic); '' when out of the Date range. */
export function daysBefore(iso: string, days: number): string {
  const t = Date.parse(`${iso}T00:00:00Z`) - days * MS_PER_DAY;
  if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) return '';
  return new Date(t).toISOString().slice(0, 10);
}

/** Throws `BAD_INPUT` unless `lookback` is a whole number of calendar days ≥ 1. */
export function checkLookback(lookback: number): void {
  if (!Number.isSafeInteger(lookback) || lookback < 1) {
    throw new AstraError('BAD_INPUT', Messages.badValue('lookback', lookback, 'a whole number of calendar days ≥ 1'), { option: 'lookback' });
  }
}

function checkTable(prices: PriceTable): void {
  const { dates, tickers, closes } = prices;
  if (closes.length !== tickers.length) {
    throw new AstraError('BAD_INPUT', Messages.tableShape('price table', `${tickers.length} tickers but ${closes.length} columns`));
  }
  closes.forEach((c, j) => {
    if (c.length !== dates.length) {
      throw new AstraError('BAD_INPUT', Messages.tableShape('price table', `column ${tickers[j]} has ${c.length} values, expected ${dates.length}`));
    }
  });
  for (let i = 1; i < dates.length; i++) {
    if (!(dates[i] > dates[i - 1])) {
      throw new AstraError('BAD_INPUT', Messages.tableShape('price table', `dates must increase, but ${dates[i]} follows ${dates[i - 1]}`));
    }
  }
}

/** Column indices of the universe; rate series excluded unless named. */
function universe(prices: PriceTable, named: readonly string[] | undefined): { columns: number[]; excluded: string[] } {
  if (named === undefined) {
    const columns: number[] = [];
    const excluded: string[] = [];
    prices.tickers.forEach((t, j) => (RATE_SYMBOLS.has(t) ? excluded.push(t) : columns.push(j)));
    if (columns.length === 0) throw new AstraError('BAD_INPUT', Messages.noAssetColumns(excluded));
    return { columns, excluded };
  }
  if (named.length === 0) throw new AstraError('BAD_INPUT', Messages.noTickers());
  const seen = new Set<string>();
  const columns = named.map((t) => {
    if (seen.has(t)) throw new AstraError('BAD_INPUT', Messages.duplicateTicker('the list of tickers', t), { ticker: t });
    seen.add(t);
    const j = prices.tickers.indexOf(t);
    if (j < 0) throw new AstraError('UNKNOWN_TICKER', Messages.unknownPriceTicker(t, prices.tickers), { ticker: t });
    return j;
  });
  return { columns, excluded: [] };
}

const has = (x: number) => !Number.isNaN(x);
/** The cutoff as messages show it ('' means before every representable date). */
const label = (cutoff: string) => (cutoff === '' ? 'the first date' : cutoff);

/**
 * Aligned daily log returns of `prices` over a lookback window (rules in the module comment).
 * @param prices a price table; `NaN` is a missing price. Every price of the universe used in a
 *   return must be finite and > 0 (`BAD_INPUT` naming ticker and date otherwise); ±∞ anywhere in
 *   a universe column is refused too.
 * @returns the universe, the T return dates, the n×T asset-major returns, and what was left out
 *   (plus warnings for drops, gaps, a window ending before the data, and returns spanning more
 *   than {@link LONG_RETURN_DAYS} calendar days).
 * @throws AstraError `BAD_INPUT` (bad lookback, malformed table, no asset column, empty or duplicate
 *   tickers, bad price), `UNKNOWN_TICKER` (a named ticker is not a column), `INSUFFICIENT_DATA`
 *   (no ticker can give a return, fewer than 3 aligned dates, or fewer than 2 returns in the window).
 */
export function alignedReturns(prices: PriceTable, options: ReturnsOptions = {}): AlignedReturns {
  const lookback = options.lookback ?? DEFAULT_LOOKBACK_DAYS;
  checkLookback(lookback);
  checkTable(prices);
  const { dates, tickers, closes } = prices;
  const { columns, excluded } = universe(prices, options.tickers);
  for (const j of columns) {
    const c = closes[j];
    for (let d = 0; d < c.length; d++) {
      if (c[d] === Infinity || c[d] === -Infinity) throw new AstraError('BAD_INPUT', Messages.badPrice(tickers[j], dates[d], c[d]), { ticker: tickers[j], date: dates[d] });
    }
  }

  const droppedTickers: DroppedTicker[] = [];
  const drop = (j: number, reason: string) => droppedTickers.push({ ticker: tickers[j], reason });

  // A ticker with fewer than two prices in the whole table can never give a return.
  let active = columns.filter((j) => {
    const c = closes[j];
    const found: number[] = [];
    for (let d = 0; d < c.length && found.length < 2; d++) if (has(c[d])) found.push(d);
    if (found.length === 0) drop(j, Messages.reasonNoPrices());
    else if (found.length === 1) drop(j, Messages.reasonOnePrice(dates[found[0]]));
    return found.length >= 2;
  });

  // Align, window, and drop tickers with a single price in the window until nothing changes.
  // Dropping a ticker only adds aligned dates, so this ends after at most n rounds.
  let aligned: number[] = [];
  let cutoff = '';
  for (;;) {
    if (active.length === 0) {
      throw new AstraError('INSUFFICIENT_DATA', Messages.noUsableTicker(droppedTickers.map((t) => `${mention(t.ticker)}: ${t.reason}`)));
    }
    aligned = [];
    for (let d = 0; d < dates.length; d++) if (active.every((j) => has(closes[j][d]))) aligned.push(d);
    if (aligned.length === 0) throw tooFewAligned(prices, active, 0);
    const last = aligned[aligned.length - 1];
    const end = dates[last];
    cutoff = daysBefore(end, lookback);
    // Prices in the window (cutoff, end]: every active ticker has one on `end` itself.
    const lonely = active.filter((j) => {
      let count = 0;
      for (let d = last; d >= 0 && dates[d] > cutoff && count < 2; d--) if (has(closes[j][d])) count++;
      return count < 2;
    });
    if (lonely.length === 0) break;
    if (lonely.length === active.length) {
      // One price each in the window: the window, not a ticker, is what is short.
      throw new AstraError('INSUFFICIENT_DATA', Messages.tooFewReturns(aligned.length > 1 ? 1 : 0, label(cutoff), end, lookback, aligned.length > 1));
    }
    for (const j of lonely) drop(j, Messages.reasonOnePriceInWindow(label(cutoff), end));
    active = active.filter((j) => !lonely.includes(j));
  }

  const n = active.length;
  const end = dates[aligned[aligned.length - 1]];
  const steps: [base: number, day: number][] = [];
  for (let a = 1; a < aligned.length; a++) if (dates[aligned[a]] > cutoff) steps.push([aligned[a - 1], aligned[a]]);
  const T = steps.length;
  if (T < 2) {
    if (n > 1 && aligned.length < 3) throw tooFewAligned(prices, active, aligned.length);
    // A longer lookback helps when aligned dates lie before the first base price of the window.
    const longerHelps = T === 0 ? aligned.length > 1 : steps[0][0] !== aligned[0];
    throw new AstraError('INSUFFICIENT_DATA', Messages.tooFewReturns(T, label(cutoff), end, lookback, longerHelps));
  }

  const returns = new Float64Array(n * T);
  active.forEach((j, i) => {
    const c = closes[j];
    const positive = (d: number) => {
      if (!(c[d] > 0)) throw new AstraError('BAD_INPUT', Messages.badPrice(tickers[j], dates[d], c[d]), { ticker: tickers[j], date: dates[d] });
      return c[d];
    };
    steps.forEach(([base, day], t) => {
      returns[i * T + t] = Math.log(positive(day) / positive(base));
    });
  });

  // Every date after the cutoff that is not aligned, with the tickers that lacked a price.
  const isAligned = new Uint8Array(dates.length);
  for (const d of aligned) isAligned[d] = 1;
  const droppedDates: DroppedDate[] = [];
  const gapCount = new Map<string, number>();
  for (let d = 0; d < dates.length; d++) {
    if (isAligned[d] || !(dates[d] > cutoff)) continue;
    const missing = active.filter((j) => !has(closes[j][d])).map((j) => tickers[j]);
    droppedDates.push({ date: dates[d], missing });
    for (const t of missing) gapCount.set(t, (gapCount.get(t) ?? 0) + 1);
  }

  const warnings = droppedTickers.map((t) => Messages.droppedTicker(t.ticker, t.reason));
  const tableLast = dates[dates.length - 1];
  if (end < tableLast) {
    // Which tickers stop at the window's end while another ticker still has prices after it.
    const after = (j: number) => {
      for (let d = aligned[aligned.length - 1] + 1; d < dates.length; d++) if (has(closes[j][d])) return true;
      return false;
    };
    const stopped = active.filter((j) => !after(j));
    if (stopped.length > 0 && stopped.length < n) warnings.push(Messages.windowEndsEarly(end, tableLast, stopped.map((j) => tickers[j])));
  }
  let long = 0;
  let longest = { days: 0, date: '', base: '' };
  for (const [base, day] of steps) {
    const span = Math.round((Date.parse(`${dates[day]}T00:00:00Z`) - Date.parse(`${dates[base]}T00:00:00Z`)) / MS_PER_DAY);
    if (span <= LONG_RETURN_DAYS) continue;
    long++;
    if (span > longest.days) longest = { days: span, date: dates[day], base: dates[base] };
  }
  if (long > 0) warnings.push(Messages.longReturns(long, LONG_RETURN_DAYS, longest.date, longest.days, longest.base));
  if (droppedDates.length > 0) {
    const total = dates.filter((d) => d > cutoff).length;
    const worst = [...gapCount.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([t, c]) => `${mention(t)} ${c}`);
    warnings.push(Messages.gapDates(droppedDates.length, total, worst.length > 0 ? worst : ['no ticker has a price']));
  }

  return {
    tickers: active.map((j) => tickers[j]),
    dates: steps.map(([, day]) => dates[day]),
    returns,
    lookback,
    windowStart: cutoff,
    windowEnd: end,
    excluded,
    dropped: { dates: droppedDates, tickers: droppedTickers },
    warnings,
  };
}

/** The error for fewer than 3 aligned dates, naming the latest start and the earliest end. */
function tooFewAligned(prices: PriceTable, active: number[], found: number): AstraError {
  const { dates, tickers, closes } = prices;
  let latestStart = { ticker: '', date: '' };
  let earliestEnd = { ticker: '', date: '' };
  for (const j of active) {
    const c = closes[j];
    let first = -1;
    let last = -1;
    for (let d = 0; d < c.length; d++) {
      if (!has(c[d])) continue;
      if (first < 0) first = d;
      last = d;
    }
    if (dates[first] > latestStart.date) latestStart = { ticker: tickers[j], date: dates[first] };
    if (earliestEnd.date === '' || dates[last] < earliestEnd.date) earliestEnd = { ticker: tickers[j], date: dates[last] };
  }
  return new AstraError(
    'INSUFFICIENT_DATA',
    Messages.tooFewAlignedDates(
      found,
      active.length,
      `${mention(latestStart.ticker)}'s prices start on ${latestStart.date}`,
      `${mention(earliestEnd.ticker)}'s end on ${earliestEnd.date}`,
    ),
  );
}
