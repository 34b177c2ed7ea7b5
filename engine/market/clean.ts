/**
 * Market-data cleaning: the same rules for every source (demo, live, snapshot, CSV), one function
 * per rule, each reporting what it found. Nothing is hidden and nothing is invented:
 *
 * - **Gaps** ({@link findGaps}): a date inside an asset's history (between its first and last
 *   close) where it has no close is flagged. It stays `NaN`: the aligned returns leave the date
 *   out (docs/conventions.md, "Returns and covariance"); it is never filled, and never a 0 return.
 * - **Stale prices** ({@link findStale}): the same close on {@link STALE_MIN_DAYS} or more
 *   consecutive observed days (missing days in between neither break nor extend a run) is
 *   flagged; the data is kept (its returns there are 0, which is what the user should see).
 * - **Split-like jumps** ({@link findJumps}): |ln(Pₜ/Pₜ₋₁)| > ln 1.8 between consecutive
 *   observed closes is flagged — as a jump when no split of that ticker falls in (t−1, t], and as
 *   an unadjusted split when one does. Kept as they are.
 * - **Bad closes** ({@link dropNonPositive}): an asset close ≤ 0 is no price; it becomes missing
 *   and is counted.
 * - **Minute bars**: bars with no close (null) are dropped and counted per ticker; rows left with
 *   no close at all are removed ({@link dropEmptyRows}); only the regular session in exchange time
 *   is kept ({@link keepRegularSession}; US: 09:30–16:00 America/New_York, `close` exclusive).
 *
 * Rate series (`^IRX`…) are yields, not assets: gaps, stale runs and jumps are not looked for in
 * them. Missing values are `NaN` throughout.
 */
import { Messages, mention } from '../errors.ts';
import type { BarTable, PriceTable } from '../types.ts';
import { RATE_SYMBOLS } from '../types.ts';
import { DEFAULT_EXCHANGE_ZONE, REGULAR_SESSIONS, type RegularSession } from '../units.ts';
import { isKnownZone, localClock } from './exchange-time.ts';

/** A run of the same close this long (observed days) is flagged as stale. */
export const STALE_MIN_DAYS = 5;
/** |log return| above this between consecutive closes looks like a split (a 1.8× move). */
export const SPLIT_LIKE_LOG_RETURN = Math.log(1.8);

/** Which rule raised a flag. */
export type FlagRule = 'gap' | 'stale' | 'jump' | 'split';

/** Something the cleaning found and left in place, for the data report. */
export interface DataFlag {
  /** The rule. */
  rule: FlagRule;
  /** The ticker concerned. */
  ticker: string;
  /** First and last date concerned (ISO `YYYY-MM-DD`). */
  from: string;
  to: string;
  /** Dates concerned: missing dates of a gap flag, days of a stale run, 1 for a jump. */
  count: number;
  /** The sentence the report shows. */
  message: string;
}

/** A split of one ticker, as the data source records it. */
export interface SplitEvent {
  /** Exchange-local date of the split, ISO `YYYY-MM-DD`. */
  date: string;
  /** The source's ratio text, e.g. `4:1`. */
  ratio: string;
}

const isAsset = (ticker: string) => !RATE_SYMBOLS.has(ticker);

function forAssets(prices: PriceTable, fn: (ticker: string, closes: Float64Array) => void): void {
  prices.tickers.forEach((ticker, j) => {
    if (isAsset(ticker)) fn(ticker, prices.closes[j]);
  });
}

/**
 * Gaps: for each asset, the dates between its first and last close where it has none. One flag
 * per asset with gaps; its message lists the first five dates. `O(dates × assets)`.
 */
export function findGaps(prices: PriceTable): DataFlag[] {
  const flags: DataFlag[] = [];
  forAssets(prices, (ticker, c) => {
    let first = -1;
    let last = -1;
    for (let i = 0; i < c.length; i++) {
      if (Number.isNaN(c[i])) continue;
      if (first < 0) first = i;
      last = i;
    }
    const missing: string[] = [];
    for (let i = first + 1; i < last; i++) if (Number.isNaN(c[i])) missing.push(prices.dates[i]);
    if (missing.length === 0) return;
    flags.push({
      rule: 'gap',
      ticker,
      from: missing[0],
      to: missing[missing.length - 1],
      count: missing.length,
      message: Messages.flagGap(ticker, missing.length, missing),
    });
  });
  return flags;
}

/**
 * Stale prices: runs of at least `minDays` consecutive observed closes that are all equal (exact
 * equality: a feed that stopped repeats the same number). One flag per run.
 */
export function findStale(prices: PriceTable, minDays = STALE_MIN_DAYS): DataFlag[] {
  const flags: DataFlag[] = [];
  forAssets(prices, (ticker, c) => {
    let runStart = -1;
    let runLast = -1;
    let runLength = 0;
    const close = () => {
      if (runLength >= minDays) {
        const from = prices.dates[runStart];
        const to = prices.dates[runLast];
        flags.push({ rule: 'stale', ticker, from, to, count: runLength, message: Messages.flagStale(ticker, c[runStart], runLength, from, to) });
      }
    };
    for (let i = 0; i < c.length; i++) {
      if (Number.isNaN(c[i])) continue;
      if (runLength > 0 && c[i] === c[runStart]) {
        runLength++;
        runLast = i;
        continue;
      }
      close();
      runStart = i;
      runLast = i;
      runLength = 1;
    }
    close();
  });
  return flags;
}

function percentChange(logReturn: number): string {
  const pct = (Math.exp(logReturn) - 1) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

/**
 * Split-like jumps: |ln(Pₜ/Pₚ)| > {@link SPLIT_LIKE_LOG_RETURN} between consecutive observed
 * closes p < t of an asset. With a split of that ticker dated in (date p, date t] the flag is
 * `split` (the closes look unadjusted for it), else `jump`. Closes ≤ 0 are skipped (see
 * {@link dropNonPositive}).
 */
export function findJumps(prices: PriceTable, splits: Readonly<Record<string, readonly SplitEvent[]>> = {}): DataFlag[] {
  const flags: DataFlag[] = [];
  forAssets(prices, (ticker, c) => {
    const events = splits[ticker] ?? [];
    let prev = -1;
    for (let i = 0; i < c.length; i++) {
      if (!(c[i] > 0)) continue;
      if (prev >= 0) {
        const r = Math.log(c[i] / c[prev]);
        if (Math.abs(r) > SPLIT_LIKE_LOG_RETURN) {
          const from = prices.dates[prev];
          const to = prices.dates[i];
          const split = events.find((e) => e.date > from && e.date <= to);
          flags.push(
            split
              ? { rule: 'split', ticker, from, to, count: 1, message: Messages.flagSplitJump(ticker, percentChange(r), from, to, split.ratio, split.date) }
              : { rule: 'jump', ticker, from, to, count: 1, message: Messages.flagJump(ticker, percentChange(r), from, to) },
          );
        }
      }
      prev = i;
    }
  });
  return flags;
}

/** A value that was dropped, for the report. */
export interface DroppedValue {
  ticker: string;
  /** ISO date. */
  date: string;
  value: number;
}

/**
 * Asset closes ≤ 0 (or ±∞) become `NaN` (missing): no log return can be taken from them. Rate
 * series may be ≤ 0 and are left alone. Returns a new table (columns copied only when changed).
 */
export function dropNonPositive(prices: PriceTable): { prices: PriceTable; dropped: DroppedValue[] } {
  const dropped: DroppedValue[] = [];
  const closes = prices.closes.map((c, j) => {
    const ticker = prices.tickers[j];
    if (!isAsset(ticker)) return c;
    let out: Float64Array | null = null;
    for (let i = 0; i < c.length; i++) {
      if (Number.isNaN(c[i]) || (c[i] > 0 && Number.isFinite(c[i]))) continue;
      out ??= Float64Array.from(c);
      dropped.push({ ticker, date: prices.dates[i], value: c[i] });
      out[i] = NaN;
    }
    return out ?? c;
  });
  return { prices: { ...prices, closes }, dropped };
}

/** Keep the rows `keep` says, in order. */
function selectRows(bars: BarTable, keep: (i: number) => boolean): BarTable {
  const rows: number[] = [];
  for (let i = 0; i < bars.times.length; i++) if (keep(i)) rows.push(i);
  if (rows.length === bars.times.length) return bars;
  return {
    timestamps: rows.map((i) => bars.timestamps[i]),
    times: Float64Array.from(rows, (i) => bars.times[i]),
    tickers: bars.tickers.slice(),
    closes: bars.closes.map((c) => Float64Array.from(rows, (i) => c[i])),
  };
}

/** Missing closes per ticker of a bar table (the null bars of a CSV file). */
export function missingCloses(bars: BarTable): Record<string, number> {
  const out: Record<string, number> = {};
  bars.tickers.forEach((t, j) => {
    let n = 0;
    for (const v of bars.closes[j]) if (Number.isNaN(v)) n++;
    out[t] = n;
  });
  return out;
}

/** Remove the rows where no ticker has a close (minutes made only of null bars). */
export function dropEmptyRows(bars: BarTable): { bars: BarTable; dropped: number } {
  const kept = selectRows(bars, (i) => bars.closes.some((c) => !Number.isNaN(c[i])));
  return { bars: kept, dropped: bars.times.length - kept.times.length };
}

/** `HH:MM` of minutes after midnight. */
function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The session of a zone as text, e.g. `09:30–16:00`. */
export function sessionText(session: RegularSession): string {
  return `${hhmm(session.open)}–${hhmm(session.close)}`;
}

/** What {@link keepRegularSession} did. */
export interface SessionResult {
  /** The bars inside the session (all of them when the session is unknown). */
  bars: BarTable;
  /** The zone used. */
  zone: string;
  /** Its session, or `null` when none is known (nothing was cut). */
  session: RegularSession | null;
  /** Rows dropped (outside the session, or on a Saturday or Sunday). */
  dropped: number;
}

/**
 * Keep the bars that start inside `zone`'s regular session on a weekday: local minute in
 * [open, close). The zone's clock comes from `Intl` (DST included). An unknown zone, or one with
 * no session in `REGULAR_SESSIONS`, keeps every bar (`session: null`), so the report can say so.
 */
export function keepRegularSession(bars: BarTable, zone: string = DEFAULT_EXCHANGE_ZONE): SessionResult {
  const session = REGULAR_SESSIONS[zone] ?? null;
  if (session === null || !isKnownZone(zone)) return { bars, zone, session: null, dropped: 0 };
  const clock = localClock(zone);
  const kept = selectRows(bars, (i) => {
    const t = clock(bars.times[i]);
    return t.weekday !== 0 && t.weekday !== 6 && t.minute >= session.open && t.minute < session.close;
  });
  return { bars: kept, zone, session, dropped: bars.times.length - kept.times.length };
}

/** `JPM 12, C 10` from counts by ticker (zero counts left out). */
export function countList(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${mention(t)} ${n}`)
    .join(', ');
}
