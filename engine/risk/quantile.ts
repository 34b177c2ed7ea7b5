/**
 * Order statistics of a P&L sample, by the conventions (docs/conventions.md, "VaR"): the q
 * quantile interpolates linearly between order statistics (numpy's default, "type 7"); VaR at
 * confidence c is minus the (1 − c) quantile; ES is minus the mean of the P&L at or below it.
 */

/**
 * The q quantile of `sorted` (ascending, finite): with h = (m − 1)·q, the value
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). NaN for an empty sample or q outside [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const m = sorted.length;
  if (m === 0 || !(q >= 0 && q <= 1)) return NaN;
  const h = (m - 1) * q;
  const lo = Math.floor(h);
  if (lo >= m - 1) return sorted[m - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** VaR and ES of a P&L sample, in money (positive = a loss). */
export interface TailRisk {
  /** −(1 − c) quantile of the P&L. */
  var: number;
  /** −mean of the P&L at or below that quantile. */
  es: number;
  /** The (1 − c) quantile itself (usually negative). */
  quantile: number;
  /** How many scenarios were at or below the quantile (the ES average's size). */
  tailCount: number;
}

/**
 * VaR and ES at confidence `c` of `sorted` (ascending P&L). ES averages every value ≤ the
 * quantile; when none is (the quantile lies between the two lowest values), the lowest value.
 */
export function tailRiskSorted(sorted: ArrayLike<number>, confidence: number): TailRisk {
  const q = quantileSorted(sorted, 1 - confidence);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < sorted.length && sorted[i] <= q; i++) {
    sum += sorted[i];
    count++;
  }
  if (count === 0 && sorted.length > 0) {
    sum = sorted[0];
    count = 1;
  }
  return { var: -q, es: count > 0 ? -sum / count : NaN, quantile: q, tailCount: count };
}

/** VaR and ES of an unsorted P&L sample (sorted on a copy). */
export function tailRisk(pnl: ArrayLike<number>, confidence: number): TailRisk {
  const sorted = Float64Array.from(pnl).sort();
  return tailRiskSorted(sorted, confidence);
}
