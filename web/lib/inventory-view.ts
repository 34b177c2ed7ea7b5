/**
 * What the Inventory panel shows, shaped from the engine's answer: the binding constraints in
 * words, the weight bars (current vs optimal), the frontier's geometry with its two markers, and
 * the rebalance's trades in words. Pure: no DOM (the components only draw these).
 */
import type { FrontierPoint, PortfolioProblem } from '../../engine/portfolio/types.ts';
import { pctText } from './inventory-settings.ts';
import { linear, ticks } from './risk-chart.ts';

// ---- binding constraints ----

/** `2×`, `1.5×`, `0.75×`: a gross limit as the binding list writes it. */
function timesText(x: number): string {
  return `${Number(x.toFixed(4))}×`;
}

/**
 * One binding constraint in words, from the engine's name (`gross`, `net`, `net:lower`,
 * `net:upper`, `bound:T:lower`, `bound:T:upper`, `side:T`) and the problem it was solved for:
 * - `gross` → `gross limit 2× fully used` (`signed`: `gross held at the limit 2×`);
 * - `net` → `net held at its target 0%`; `net:lower`/`net:upper` → `net at the bottom/top of its band −10%`;
 * - `bound:AAPL:upper` → `AAPL at its upper bound 25%`;
 * - `side:GS` → `GS held at 0% by its fixed side (short only)`.
 * A name it does not know is returned as it is (a newer engine may add one).
 */
export function bindingText(name: string, problem: Pick<PortfolioProblem, 'mode' | 'gross' | 'net' | 'netTol' | 'bounds' | 'sides'>): string {
  if (name === 'gross') return problem.mode === 'signed' ? `gross held at the limit ${timesText(problem.gross)}` : `gross limit ${timesText(problem.gross)} fully used`;
  const tol = problem.netTol ?? 0;
  if (name === 'net') return `net held at its target ${pctText(problem.net)}`;
  if (name === 'net:lower') return `net at the bottom of its band ${pctText(problem.net - tol)}`;
  if (name === 'net:upper') return `net at the top of its band ${pctText(problem.net + tol)}`;
  const bound = /^bound:(.+):(lower|upper)$/.exec(name);
  if (bound) {
    const [, ticker, side] = bound;
    const value = problem.bounds?.[ticker]?.[side as 'lower' | 'upper'];
    return `${ticker} at its ${side} bound${value === undefined ? '' : ` ${pctText(value)}`}`;
  }
  const fixed = /^side:(.+)$/.exec(name);
  if (fixed) {
    const ticker = fixed[1];
    const side = problem.sides?.[ticker];
    const only = side === 'long' ? ' (long only)' : side === 'short' ? ' (short only)' : side === 'flat' ? ' (flat in the book)' : '';
    return `${ticker} held at 0% by its fixed side${only}`;
  }
  return name;
}

/** Every binding constraint in words, in the engine's order; `none` when nothing binds. */
export function bindingList(names: readonly string[], problem: Parameters<typeof bindingText>[1]): string[] {
  return names.map((n) => bindingText(n, problem));
}

// ---- weight bars ----

/** One ticker's pair of bars. */
export interface WeightRow {
  ticker: string;
  /** Today's weight (notional / equity). */
  current: number;
  /** The optimum's weight; NaN when there is no optimum (infeasible). */
  optimal: number;
}

/** The bar rows in universe order (the order a reader finds a ticker in every other panel). */
export function weightRows(tickers: readonly string[], current: ArrayLike<number>, optimal: ArrayLike<number> | null): WeightRow[] {
  return tickers.map((ticker, i) => ({ ticker, current: current[i], optimal: optimal ? optimal[i] : NaN }));
}

/**
 * The bars' axis: symmetric around zero and at least ±10%, so a small book does not fill the
 * width with noise and a long and a short of the same size are the same length.
 */
export function weightDomain(rows: readonly WeightRow[]): [number, number] {
  let m = 0.1;
  for (const r of rows) for (const v of [r.current, r.optimal]) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return [-m, m];
}

// ---- the frontier ----

/** A marked portfolio on the frontier chart. */
export interface FrontierMark {
  /** The x value (volatility for the γ frontier, gross for the gross frontier) and the y value. */
  x: number;
  y: number;
}

/** The frontier as the chart draws it, in pixels. */
export interface FrontierGeometry {
  /** SVG path of the solved points; a point without weights breaks the line (a gap, never a zero). */
  path: string;
  /** The solved points (pixels), for their dots and tooltips. */
  dots: { cx: number; cy: number; x: number; y: number; param: number }[];
  xTicks: { v: number; px: number }[];
  yTicks: { v: number; px: number }[];
  /** Markers in pixels; null when that portfolio has no point (no optimum when infeasible). */
  current: { cx: number; cy: number } | null;
  optimum: { cx: number; cy: number } | null;
  /** Points of the frontier without weights (infeasible at that γ or gross). */
  missing: number;
}

/** Which figures the axes hold: the γ frontier plots vol → expected return, the gross frontier gross → vol. */
export function frontierXY(axis: 'gamma' | 'gross', p: { volAnnual: number; expectedReturn: number; gross?: number }): FrontierMark {
  return axis === 'gamma' ? { x: p.volAnnual, y: p.expectedReturn } : { x: p.gross ?? NaN, y: p.volAnnual };
}

/** Plot box of the frontier chart, pixels. */
export interface PlotBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  // A span below 1e-12 of the values (or of 1) is flat on any screen, and a denormal one would
  // make the scale's slope infinite.
  if (!(hi - lo > 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi)))) {
    const pad = Math.abs(lo) * 0.05 || 0.01;
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * 0.06;
  return [lo - pad, hi + pad];
}

/**
 * The frontier's geometry: the curve through the points that have weights (broken where a point
 * has none), round ticks, and the current book and the optimum as markers, all inside one domain
 * that holds every one of them.
 */
export function frontierGeometry(
  points: readonly FrontierPoint[],
  axis: 'gamma' | 'gross',
  marks: { current: FrontierMark | null; optimum: FrontierMark | null },
  box: PlotBox,
): FrontierGeometry {
  const xy = points.map((p) => ({ ...frontierXY(axis, { volAnnual: p.volAnnual, expectedReturn: p.expectedReturn, gross: p.gross }), ok: p.weights !== null && Number.isFinite(p.volAnnual), param: (axis === 'gamma' ? p.gamma : p.gross) ?? NaN }));
  const shown = xy.filter((p) => p.ok);
  const marked = [marks.current, marks.optimum].filter((m): m is FrontierMark => m !== null && Number.isFinite(m.x) && Number.isFinite(m.y));
  const [x0, x1] = extent([...shown.map((p) => p.x), ...marked.map((m) => m.x)]);
  const [y0, y1] = extent([...shown.map((p) => p.y), ...marked.map((m) => m.y)]);
  const sx = linear(x0, x1, box.left, box.width - box.right);
  const sy = linear(y0, y1, box.height - box.bottom, box.top);
  let path = '';
  let pen = false;
  for (const p of xy) {
    if (!p.ok) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
    pen = true;
  }
  const at = (m: FrontierMark | null) => (m && Number.isFinite(m.x) && Number.isFinite(m.y) ? { cx: sx(m.x), cy: sy(m.y) } : null);
  return {
    path,
    dots: shown.map((p) => ({ cx: sx(p.x), cy: sy(p.y), x: p.x, y: p.y, param: p.param })),
    xTicks: ticks(x0, x1, 6).map((v) => ({ v, px: sx(v) })),
    yTicks: ticks(y0, y1, 4).map((v) => ({ v, px: sy(v) })),
    current: at(marks.current),
    optimum: at(marks.optimum),
    missing: xy.length - shown.length,
  };
}

// ---- the rebalance ----

/** A trade in words: `buy 1,200` / `sell 300` / `—` (no change), with the share count formatter given. */
export function tradeText(shares: number, count: (v: number) => string): string {
  if (!Number.isFinite(shares) || shares === 0) return '—';
  return `${shares > 0 ? 'buy' : 'sell'} ${count(Math.abs(shares))}`;
}

/**
 * The book after applying a target: the target's positions for the universe's tickers (a ticker
 * whose target is 0 shares leaves the book), then the book's positions outside the universe as
 * they were. Tickers already held keep their place; new ones follow in the target's order.
 */
export function bookWithTarget<P extends { ticker: string; shares: number; price: number }>(
  positions: readonly P[],
  universe: readonly string[],
  target: readonly { ticker: string; shares: number; price: number }[],
): { ticker: string; shares: number; price: number }[] {
  const inUniverse = new Set(universe);
  const byTicker = new Map(target.map((t) => [t.ticker, t]));
  const out: { ticker: string; shares: number; price: number }[] = [];
  const placed = new Set<string>();
  for (const p of positions) {
    if (!inUniverse.has(p.ticker)) {
      out.push({ ticker: p.ticker, shares: p.shares, price: p.price });
      continue;
    }
    const t = byTicker.get(p.ticker);
    placed.add(p.ticker);
    if (t && t.shares !== 0) out.push({ ticker: t.ticker, shares: t.shares, price: t.price });
  }
  for (const t of target) if (!placed.has(t.ticker) && inUniverse.has(t.ticker) && t.shares !== 0) out.push({ ticker: t.ticker, shares: t.shares, price: t.price });
  return out;
}
