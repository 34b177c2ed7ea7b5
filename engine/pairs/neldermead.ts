/**
 * Nelder–Mead simplex minimisation (Lagarias et al. 1998, the standard coefficients: reflection 1,
 * expansion 2, contraction ½, shrink ½), for the calibration's one or two log-parameters. Small,
 * derivative-free and deterministic: every likelihood evaluation is a filter pass, and the count of
 * evaluations is what the caller budgets.
 */

/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Initial step along each coordinate (the simplex's size). */
  step: number;
  /** Most function evaluations. */
  maxEvaluations: number;
  /** Converged when max f − min f over the simplex ≤ tolerance·(1 + |min f|) … */
  fTolerance: number;
  /** … and every vertex is within this distance of the best, per coordinate. */
  xTolerance: number;
}

/** The best point, its value, the evaluations spent and whether both tolerances were met. */
export interface NelderMeadResult {
  x: number[];
  f: number;
  evaluations: number;
  converged: boolean;
}

/**
 * Minimise `f` from `start`. Non-finite values count as +∞ (the simplex moves away from them).
 * The simplex starts at `start` and `start + step·eᵢ` for each coordinate i.
 */
export function nelderMead(f: (x: readonly number[]) => number, start: readonly number[], options: NelderMeadOptions): NelderMeadResult {
  const d = start.length;
  let evaluations = 0;
  const value = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  let simplex: { x: number[]; f: number }[] = [];
  simplex.push({ x: [...start], f: value([...start]) });
  for (let i = 0; i < d; i++) {
    const x = [...start];
    x[i] += options.step;
    simplex.push({ x, f: value(x) });
  }
  const combine = (a: number[], b: number[], t: number) => a.map((ai, i) => ai + t * (b[i] - ai));
  let converged = false;
  while (evaluations < options.maxEvaluations) {
    simplex.sort((p, q) => p.f - q.f);
    const best = simplex[0];
    const worst = simplex[d];
    const spread = worst.f - best.f;
    const size = Math.max(...simplex.slice(1).map((p) => Math.max(...p.x.map((xi, i) => Math.abs(xi - best.x[i])))));
    if (Number.isFinite(best.f) && spread <= options.fTolerance * (1 + Math.abs(best.f)) && size <= options.xTolerance) {
      converged = true;
      break;
    }
    // Centroid of all but the worst.
    const centroid = new Array<number>(d).fill(0);
    for (let j = 0; j < d; j++) for (let i = 0; i < d; i++) centroid[i] += simplex[j].x[i] / d;
    const reflected = combine(centroid, worst.x, -1);
    const fr = value(reflected);
    if (fr < best.f) {
      const expanded = combine(centroid, worst.x, -2);
      const fe = value(expanded);
      simplex[d] = fe < fr ? { x: expanded, f: fe } : { x: reflected, f: fr };
      continue;
    }
    if (fr < simplex[d - 1].f) {
      simplex[d] = { x: reflected, f: fr };
      continue;
    }
    // Contract: outside when the reflection beat the worst, else inside.
    const outside = fr < worst.f;
    const contracted = outside ? combine(centroid, reflected, 0.5) : combine(centroid, worst.x, 0.5);
    const fc = value(contracted);
    if (fc < (outside ? fr : worst.f)) {
      simplex[d] = { x: contracted, f: fc };
      continue;
    }
    // Shrink towards the best.
    simplex = simplex.map((p, j) => {
      if (j === 0) return p;
      const x = combine(best.x, p.x, 0.5);
      return { x, f: value(x) };
    });
  }
  simplex.sort((p, q) => p.f - q.f);
  return { x: simplex[0].x, f: simplex[0].f, evaluations, converged };
}
