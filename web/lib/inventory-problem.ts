/**
 * From the market's statistics, today's book and the panel's inputs to the engine's
 * `PortfolioProblem` (docs/conventions.md, "Optimizer") and the frontier request. Pure: the page
 * builds the problem (microseconds at desk size) and the engine pool solves it.
 *
 * Annualisation follows the engine's (`optimize`, as `astra optimize`): Σ_annual = 252 · Σ_daily
 * and μ from `expectedReturns` (historical: 252 · the sample mean of the daily log returns).
 */
import type { CarryOptions, FixedSide, FrontierSpec, PortfolioProblem } from '../../engine/portfolio/types.ts';
import type { Position } from '../../engine/types.ts';
import type { InventoryMarket } from '../../engine/pool/tasks/inventory.ts';
import { TRADING_DAYS_PER_YEAR } from '../../engine/units.ts';
import { expectedReturns } from '../../engine/portfolio/expected.ts';
import { GAMMA_RULE } from './input-rules.ts';
import { compactBounds, type InventorySettings } from './inventory-settings.ts';

export type { InventoryMarket };

/** Points of the frontier: enough for a smooth curve, a few milliseconds of warm solves at 500 assets. */
export const FRONTIER_POINTS = 21;

/** The book as the optimizer sees it: equity and positions with prices filled. */
export interface BookLike {
  positions: readonly Position[];
  equity: number;
}

/**
 * Current weights (notional / equity) in `tickers` order; tickers the book does not hold are 0.
 * Notionals use the book's price column, as every other panel's weights do.
 */
export function currentWeights(tickers: readonly string[], book: BookLike): Float64Array {
  const w = new Float64Array(tickers.length);
  const index = new Map(tickers.map((t, i) => [t, i]));
  for (const p of book.positions) {
    const i = index.get(p.ticker);
    if (i !== undefined) w[i] += (p.shares * p.price) / book.equity;
  }
  return w;
}

/** The sides of `signed`: long where the book is long, short where it is short, flat elsewhere. */
export function sidesOf(tickers: readonly string[], book: BookLike): Record<string, FixedSide> {
  const held = new Map(book.positions.map((p) => [p.ticker, p.shares]));
  return Object.fromEntries(tickers.map((t) => {
    const s = held.get(t) ?? 0;
    return [t, s > 0 ? 'long' : s < 0 ? 'short' : 'flat'];
  }));
}

/** Tickers the book holds (non-zero shares) that are not in the universe: the optimizer leaves them as they are. */
export function outsideUniverse(tickers: readonly string[], book: BookLike): string[] {
  const universe = new Set(tickers);
  return book.positions.filter((p) => p.shares !== 0 && !universe.has(p.ticker)).map((p) => p.ticker);
}

/** Σ_annual = 252 · Σ_daily. */
export function annualCov(covDaily: ArrayLike<number>): Float64Array {
  return Float64Array.from(covDaily, (c) => TRADING_DAYS_PER_YEAR * c);
}

/**
 * The problem for `settings` on `market` with today's `book`: net met exactly, bounds for the
 * universe's tickers only (a stored bound for a ticker outside it is not applied), sides from the
 * book for `signed`, current weights for the turnover term, the carry term when switched on.
 */
export function inventoryProblem(market: InventoryMarket, settings: InventorySettings, book: BookLike, carry: CarryOptions | null): PortfolioProblem {
  const { tickers } = market;
  const universe = new Set(tickers);
  const bounds = Object.fromEntries(
    Object.entries(compactBounds(settings.bounds))
      .filter(([t]) => universe.has(t))
      .map(([t, b]) => [t, { ...(b.lower !== null ? { lower: b.lower } : {}), ...(b.upper !== null ? { upper: b.upper } : {}) }]),
  );
  const w = currentWeights(tickers, book);
  return {
    tickers,
    covAnnual: annualCov(market.covDaily),
    expectedReturn: expectedReturns(tickers, market.meanDaily, { kind: 'historical' }),
    mode: settings.mode,
    gross: settings.gross,
    net: settings.net,
    netTol: 0,
    gamma: settings.gamma,
    bounds,
    ...(settings.mode === 'signed' ? { sides: sidesOf(tickers, book) } : {}),
    ...(settings.carry && carry ? { carry } : {}),
    turnoverBps: settings.turnoverBps,
    current: Object.fromEntries(tickers.map((t, i) => [t, w[i]])),
  };
}

/**
 * The frontier the panel draws: across γ for meanvar (volatility vs expected return) over the γ
 * slider's range, so the optimum's marker always lies on the curve's span; across the gross limit
 * for minvar and signed (volatility vs gross) over the engine's default range — the gross slider's
 * 0.5×–5×, clipped below at the least gross the other constraints allow.
 */
export function frontierSpec(settings: InventorySettings): FrontierSpec {
  return settings.mode === 'meanvar' ? { axis: 'gamma', points: FRONTIER_POINTS, from: GAMMA_RULE.min, to: GAMMA_RULE.max } : { axis: 'gross', points: FRONTIER_POINTS };
}

/** Annual volatility √(wᵀΣw) and expected return μᵀw of weights `w` (a point to mark on the frontier). */
export function portfolioPoint(w: ArrayLike<number>, covAnnual: ArrayLike<number>, mu: ArrayLike<number>): { volAnnual: number; expectedReturn: number; gross: number; net: number } {
  const n = w.length;
  let v = 0;
  let er = 0;
  let gross = 0;
  let net = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += covAnnual[i * n + j] * w[j];
    v += w[i] * s;
    er += mu[i] * w[i];
    gross += Math.abs(w[i]);
    net += w[i];
  }
  return { volAnnual: Math.sqrt(Math.max(v, 0)), expectedReturn: er, gross, net };
}
