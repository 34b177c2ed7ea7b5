/**
 * Multiple-testing adjustment of the pair scan's p-values. With 190 pairs some look cointegrated
 * by chance (about 9.5 of them below 0.05 when none is); Benjamini–Hochberg controls the false
 * discovery rate instead.
 */

/**
 * Benjamini–Hochberg adjusted p-values, as statsmodels' `multipletests(p, method='fdr_bh')`: with
 * the m p-values sorted ascending, p̃₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎ / (j/m), capped at 1, returned in
 * the input order. Rejecting p̃ ≤ q keeps the expected share of false discoveries ≤ q (for
 * independent or positively dependent tests). NaN p-values are left out of m and stay NaN.
 * @param p p-values in [0, 1] (or NaN).
 * @returns a new array, same length and order.
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) order.push(i);
  // Ties keep input order (a stable sort); equal p-values get equal adjusted values either way.
  order.sort((a, b) => p[a] - p[b]);
  const m = order.length;
  let running = Infinity;
  for (let r = m - 1; r >= 0; r--) {
    // p / (rank/m), written as statsmodels writes it so the doubles agree.
    const value = p[order[r]] / ((r + 1) / m);
    if (value < running) running = value;
    out[order[r]] = Math.min(running, 1);
  }
  return out;
}
