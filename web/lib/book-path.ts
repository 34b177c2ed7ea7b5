/**
 * The book's own path over the lookback: today's shares held at historical closes. Pure (no DOM,
 * no chart): the chart component only draws what this returns.
 *
 * Definition (also in docs/app.md):
 * - Closes are rebuilt exactly from the snapshot's cumulative log returns and last closes:
 *   P_i,t = last_i · exp((v_i,t − v_i,last) / 100), where v_i,last is the column's last finite value
 *   (v = 100·ln(P/P_0), so v_t − v_last = 100·ln(P_t/P_last)). No change to the worker protocol.
 * - V_t = Σ_i shares_i · P_i,t over the book's tickers with market history, defined on the dates
 *   where every one of them has a close (a gap in any one is a gap of the book).
 * - Daily P&L_t = V_t − V_t−1 = Σ_i shares_i · (P_i,t − P_i,t−1), t−1 the previous date of the grid;
 *   a gap when either day is one (a change across a gap is not a daily P&L).
 * - NAV_t = equity + V_t − V_T, T the last date with a value: the path ends at today's equity, the
 *   figure the KPIs use, and NAV_t − NAV_t−1 = P&L_t wherever both days exist. Being built from price
 *   levels, NAV picks up again after a gap at the right level.
 * - Tickers of the book without market history (a typed price for a ticker outside the universe)
 *   are left out and listed in `missing`; flat positions (0 shares) change nothing and are skipped.
 *
 * Cost: rebuilding closes is O(dates × universe), once per snapshot; a path is O(dates ×
 * positions); {@link BookPathCache} does neither when its inputs are unchanged.
 */
import type { ReturnSeries } from '../workers/protocol.ts';
import { lastFiniteIndex } from '../../engine/market/series.ts';

/** Closes per ticker on a date grid; `NaN` where there is no close. */
export interface PriceHistory {
  /** ISO dates, the snapshot's grid. */
  dates: readonly string[];
  /** Closes of every ticker that has a last price and at least one return. */
  closes: ReadonlyMap<string, Float64Array>;
}

/** What the path needs of a position. */
export interface PathPosition {
  ticker: string;
  shares: number;
}

/** The book's path on the snapshot's date grid. */
export interface BookPath {
  dates: readonly string[];
  /** NAV per date; `NaN` = a gap (some book ticker has no close that day). */
  nav: Float64Array;
  /** Daily P&L per date; `NaN` on the first date, on gaps and on the day after a gap. */
  pnl: Float64Array;
  /** Book tickers in the path (non-zero shares, with market history), in book order. */
  included: string[];
  /** Book tickers left out: no market history. */
  missing: string[];
  /** Index of the date where NAV = equity (the last date with a value), −1 when there is none. */
  anchor: number;
  /** Today's equity the NAV ends at. */
  equity: number;
}

/**
 * Closes rebuilt from cumulative log returns (percent) and the last closes:
 * `P_t = last · exp((v_t − v_last) / 100)`. Tickers without a usable last price or without any
 * finite return are left out (they have no history); `NaN` returns stay `NaN`.
 */
export function reconstructCloses(returns: ReturnSeries, lastPrices: Readonly<Record<string, number>>): PriceHistory {
  const closes = new Map<string, Float64Array>();
  returns.tickers.forEach((ticker, j) => {
    const v = returns.values[j];
    const last = lastPrices[ticker];
    const k = lastFiniteIndex(v);
    if (k < 0 || !(Number.isFinite(last) && last > 0)) return;
    const out = new Float64Array(v.length);
    const vLast = v[k];
    for (let i = 0; i < v.length; i++) out[i] = last * Math.exp((v[i] - vLast) / 100); // NaN stays NaN
    out[k] = last; // exact at the anchor, whatever exp(0) rounding
    closes.set(ticker, out);
  });
  return { dates: returns.dates, closes };
}

/** The book's NAV and daily P&L over `history` (see the module comment for the definition). */
export function bookPath(history: PriceHistory, positions: readonly PathPosition[], equity: number): BookPath {
  const n = history.dates.length;
  const value = new Float64Array(n); // V_t; NaN propagates through the sums
  const included: string[] = [];
  const missing: string[] = [];
  for (const { ticker, shares } of positions) {
    if (shares === 0 || !Number.isFinite(shares)) continue;
    const closes = history.closes.get(ticker);
    if (!closes) {
      if (!missing.includes(ticker)) missing.push(ticker);
      continue;
    }
    included.push(ticker);
    for (let i = 0; i < n; i++) value[i] += shares * closes[i];
  }
  if (included.length === 0 && missing.length > 0) value.fill(NaN); // nothing of the book has a history

  const anchor = lastFiniteIndex(value);
  const nav = new Float64Array(n).fill(NaN);
  const pnl = new Float64Array(n).fill(NaN);
  if (anchor >= 0) {
    const vT = value[anchor];
    for (let i = 0; i < n; i++) nav[i] = i === anchor ? equity : equity + (value[i] - vT);
    for (let i = 1; i < n; i++) pnl[i] = value[i] - value[i - 1];
  }
  return { dates: history.dates, nav, pnl, included, missing, anchor, equity };
}

/** The P&L between the first and the last NAV inside dates `[from, to]` (indices, inclusive). */
export interface RangePnl {
  /** Dates of the first and last NAV in the range. */
  from: string;
  to: string;
  /** NAV(to) − NAV(from). */
  pnl: number;
}

/** {@link RangePnl} of `path` over indices `[from, to]`, `null` when fewer than two NAVs are inside. */
export function rangePnl(path: BookPath, from: number, to: number): RangePnl | null {
  const lo = Math.max(0, Math.ceil(from));
  const hi = Math.min(path.nav.length - 1, Math.floor(to));
  let first = -1;
  for (let i = lo; i <= hi; i++) if (Number.isFinite(path.nav[i])) {
    first = i;
    break;
  }
  let last = -1;
  for (let i = hi; i >= lo; i--) if (Number.isFinite(path.nav[i])) {
    last = i;
    break;
  }
  if (first < 0 || last <= first) return null;
  return { from: path.dates[first], to: path.dates[last], pnl: path.nav[last] - path.nav[first] };
}

/**
 * Remembers the last path so an unchanged book costs nothing: the closes are rebuilt only for a new
 * snapshot (`returns` / `lastPrices` objects), and the path only when the snapshot, a ticker, a share
 * count or the equity changed. An edit of a price or of funding gives back the same object, so
 * nothing downstream (chart `setData`) runs either.
 */
export class BookPathCache {
  #history: { returns: ReturnSeries; lastPrices: Readonly<Record<string, number>>; value: PriceHistory } | null = null;
  #path: { history: PriceHistory; key: string; equity: number; value: BookPath } | null = null;
  /** How many times closes were rebuilt and paths computed (for tests). */
  readonly work = { histories: 0, paths: 0 };

  /** The path of `positions` and `equity` on the snapshot `returns` / `lastPrices`. */
  get(
    returns: ReturnSeries,
    lastPrices: Readonly<Record<string, number>>,
    positions: readonly PathPosition[],
    equity: number,
  ): BookPath {
    let h = this.#history;
    if (!h || h.returns !== returns || h.lastPrices !== lastPrices) {
      h = { returns, lastPrices, value: reconstructCloses(returns, lastPrices) };
      this.#history = h;
      this.work.histories++;
    }
    const key = positions.map((p) => `${p.ticker}\u0000${p.shares}`).join('\u0001');
    const p = this.#path;
    if (p && p.history === h.value && p.key === key && Object.is(p.equity, equity)) return p.value;
    const value = bookPath(h.value, positions, equity);
    this.#path = { history: h.value, key, equity, value };
    this.work.paths++;
    return value;
  }
}
