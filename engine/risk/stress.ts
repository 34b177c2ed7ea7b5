/**
 * Stress scenarios for today's book: the worst historical H-day windows of the data, and shocks
 * the user names per ticker or per group of tickers.
 *
 * - Historical: every H-day window of the aligned daily log returns is priced on today's
 *   notionals, P&L = Σᵢ Nᵢ·(exp(Σ r) − 1) (as historical VaR does); the worst windows are kept,
 *   never two that overlap (five views of one crash would hide the second-worst episode).
 * - Shocks: a shock is a simple price return (−0.2 = the price falls 20%), P&L = Σ Nᵢ·shockᵢ.
 */
import { AstraError, Messages, quote } from '../errors.ts';
import { windowPnl } from './historical.ts';

/** One stress result. */
export interface StressResult {
  /** `worst 10-day window #1`, or the shock's name. */
  name: string;
  /** First and last return date of a historical window. */
  dates?: [string, string];
  /** P&L of today's book in the scenario, money (negative = a loss). */
  pnl: number;
}

/** How many historical windows {@link worstWindows} reports by default. */
export const WORST_WINDOWS = 5;

/**
 * The `count` worst non-overlapping H-day windows of `returns` (asset-major n×T) for `notionals`,
 * worst first.
 */
export function worstWindows(
  returns: ArrayLike<number>,
  dates: readonly string[],
  notionals: ArrayLike<number>,
  horizon: number,
  count = WORST_WINDOWS,
): StressResult[] {
  const T = dates.length;
  const pnl = windowPnl(returns, notionals, T, horizon);
  const order = Array.from(pnl.keys()).sort((a, b) => pnl[a] - pnl[b]);
  const taken: number[] = [];
  for (const s of order) {
    if (taken.length >= count) break;
    if (taken.every((u) => Math.abs(u - s) >= horizon)) taken.push(s);
  }
  return taken.map((s, i) => ({
    name: `worst ${horizon}-day window #${i + 1}`,
    dates: [dates[s], dates[s + horizon - 1]] as [string, string],
    pnl: pnl[s],
  }));
}

/** A user shock: a name and a simple return per ticker. */
export interface Shock {
  name: string;
  /** Ticker → simple return (−0.2 = −20%); tickers not named are unshocked. */
  returns: Readonly<Record<string, number>>;
}

/**
 * Parse `TICKER=-0.2` or `GROUP=-0.2` entries (groups from `groups`, e.g. `{ tech: ['AAPL','MSFT'] }`)
 * into one shock named after the entries. Throws `BAD_INPUT` naming an entry that is not
 * `NAME=RETURN` with a return above −1, or a name that is neither a ticker of the book nor a group.
 */
export function parseShocks(
  entries: readonly string[],
  tickers: readonly string[],
  groups: Readonly<Record<string, readonly string[]>> = {},
): Shock {
  const returns: Record<string, number> = {};
  for (const entry of entries) {
    const [name = '', value, extra] = entry.split('=').map((p) => p.trim());
    const shock = value === undefined || extra !== undefined || value === '' ? NaN : Number(value);
    if (name === '' || !Number.isFinite(shock) || shock <= -1) {
      throw new AstraError('BAD_INPUT', Messages.badValue('--shock entry', quote(entry), 'NAME=RETURN with RETURN > −1, e.g. AAPL=-0.2 or tech=-0.2'), {
        option: '--shock',
      });
    }
    const members = Object.hasOwn(groups, name) ? groups[name] : tickers.includes(name) ? [name] : null;
    if (!members) {
      throw new AstraError('UNKNOWN_TICKER', Messages.badValue('--shock name', quote(name), `a ticker of the book (${tickers.join(', ')}) or a group`), {
        option: '--shock',
        ticker: name,
      });
    }
    for (const t of members) returns[t] = shock;
  }
  return { name: entries.join(', '), returns };
}

/** P&L of `notionals` (by ticker) under a shock. */
export function applyShock(shock: Shock, tickers: readonly string[], notionals: ArrayLike<number>): StressResult {
  let pnl = 0;
  tickers.forEach((t, i) => {
    pnl += notionals[i] * (shock.returns[t] ?? 0);
  });
  return { name: shock.name, pnl };
}
