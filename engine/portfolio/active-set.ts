/**
 * The optimizer's active-set method in plain TypeScript: a line-for-line port of the wasm kernel
 * `qpSolve` (assembly/portfolio/qp.ts). It is the benchmark baseline and a second implementation
 * the tests run against the kernel; docs/kernels.md explains the method.
 *
 * The problem, scaled (engine/portfolio/problem.ts builds it):
 *
 *   minimise ½·wᵀHw + qᵀw + Σᵢ ψᵢ(wᵢ)   subject to   lo ≤ Σwᵢ ≤ hi,   Σ|wᵢ| ≤ L (or = L)
 *
 * where each ψᵢ is convex and piecewise linear on [bp₀, bp_last] with up to four breakpoints
 * (the bounds, 0 and the current weight): the carry and turnover terms, and the box itself. A
 * variable is either *fixed* at a breakpoint (state 2k) or *free* on the open segment between
 * breakpoints k and k+1 (state 2k+1), where ψᵢ has slope `slope[3i+k]` and |wᵢ| = `sgn[3i+k]`·wᵢ.
 * On a working set the problem is an equality-constrained QP in the free variables with at most two
 * rows (net, gross); it is solved through a Cholesky factor of H on the free set that is updated,
 * not rebuilt, as variables enter (one forward solve) and leave (Givens rotations).
 */

/** Outcomes written to `info[INFO_OUTCOME]`. */
export const QP_OPTIMAL = 0;
export const QP_MAX_ITER = 1;
/** Stopped with feasible weights whose KKT residual stayed above the tolerance. */
export const QP_INACCURATE = 3;
/** A free block of H was singular (`info[INFO_DETAIL]` = the variable): the caller repairs H. */
export const QP_SINGULAR = 4;

// Layout of the params buffer (inputs).
export const PARAM_NET_LO = 0;
export const PARAM_NET_HI = 1;
export const PARAM_GROSS = 2;
/** 1 when gross must equal L (signed). */
export const PARAM_GROSS_EQ = 3;
/** Net row in the working set: 0 no, 1 at hi, −1 at lo (ignored when lo = hi: always in). */
export const PARAM_NET_W = 4;
/** Gross row in the working set: 0 or 1 (ignored when gross is an equality: always in). */
export const PARAM_GROSS_W = 5;
export const PARAM_MAX_ITER = 6;
/** 1: `guess` holds a working set to start the primal-dual phase from (a warm start); 0: it starts from its own guess. */
export const PARAM_GUESS = 7;
/** Relative dual tolerance (multiplier signs, stationarity). */
export const PARAM_TOL = 8;
/** The guess's rows: net (0, 1 at hi, −1 at lo) and gross (0, 1). */
export const PARAM_GUESS_NET_W = 9;
export const PARAM_GUESS_GROSS_W = 10;
/** Iteration limit of the primal-dual phase (each one factors H on the free set afresh). */
export const PARAM_PDAS_MAX = 11;
/** s: the solver works on H = 2·cov/s (the host's scaling, docs/conventions.md). */
export const PARAM_SCALE = 12;
export const PARAM_COUNT = 13;

// Layout of the info buffer (outputs).
export const INFO_OUTCOME = 0;
export const INFO_ITERATIONS = 1;
export const INFO_ETA_NET = 2;
export const INFO_ETA_GROSS = 3;
export const INFO_KKT = 4;
export const INFO_NET_W = 5;
export const INFO_GROSS_W = 6;
export const INFO_DETAIL = 7;
/** Iterations of the primal-dual phase, and 1 when it found the optimum (the primal phase was not needed). */
export const INFO_PDAS_ITERATIONS = 8;
export const INFO_PDAS_SOLVED = 9;
/** wᵀHw at the answer (the variance is s/2 times it). */
export const INFO_QUAD = 10;
export const INFO_COUNT = 11;

/** Relative size of a pivot (to its diagonal) below which a free block of H counts as singular. */
export const SINGULAR_PIVOT = 1e-13;
/** The net and gross rows count as one when det(S) ≤ this × S₁₁·S₂₂ (every free weight on one side). */
const DEPENDENT_ROWS = 1e-12;
/** A step shorter than this (× max(1, L)) is no progress; a point this far off its working set's minimiser is re-stepped. */
const PRIMAL_STEP_TOL = 1e-14;
/** How far (× max(1, L)) a weight may sit past its segment, or a row past its limit, and still count as feasible. */
export const PRIMAL_FEAS_TOL = 1e-12;

/**
 * Scale of the gradient Hw + q + slope over the feasible set (max diag H × L + max|q| + max|slope|):
 * the dual tolerances are relative to it, so they do not depend on the data's units.
 */
function gradientScale(a: Qp): number {
  const { n, H, q, slope, params } = a;
  let hMax = 0;
  for (let i = 0; i < n; i++) hMax = Math.max(hMax, H[i * n + i]);
  let qMax = 0;
  for (let i = 0; i < n; i++) qMax = Math.max(qMax, Math.abs(q[i]));
  let sMax = 0;
  for (let i = 0; i < 3 * n; i++) sMax = Math.max(sMax, Math.abs(slope[i]));
  return hMax * Math.max(params[PARAM_GROSS], 1e-3) + qMax + sMax + 1e-300;
}

/** The solver's inputs and in/out state (all arrays owned by the caller). */
export interface QpArrays {
  n: number;
  /** n×n row-major covariance, symmetric; the solver forms H = 2·cov/params[PARAM_SCALE] in its work space. */
  cov: Float64Array;
  q: Float64Array;
  /** 4n breakpoints, ascending per variable; `nbp[i]` of them are used. */
  bp: Float64Array;
  nbp: Int32Array;
  /** 3n segment slopes of ψ and 3n gross signs (±1). */
  slope: Float64Array;
  sgn: Float64Array;
  /** n states (in: a feasible start; out: the solution's). */
  state: Int32Array;
  /** n weights (in: a feasible start consistent with `state`; out: the solution). */
  w: Float64Array;
  /** n states: a working-set guess for the primal-dual phase (read when `params[PARAM_GUESS]` is 1). */
  guess: Int32Array;
  params: Float64Array;
  info: Float64Array;
}

/** The arrays as the phases see them: the problem's, with H formed. */
type Qp = QpArrays & { H: Float64Array };

/** Work space of {@link qpSolve}: reuse between calls of the same n. */
export interface QpWork {
  /** n×n: H = 2·cov/s. */
  H: Float64Array;
  /** n×n: the Cholesky factor of H on the free set (primal phase: column-major with stride n; primal-dual phase: row-major k×k). */
  L: Float64Array;
  /** n×n: H on the free set, gathered row-major (primal-dual phase). */
  A: Float64Array;
  /** Primal-dual phase: its weights and states, and the last feasible point it met (weights, states). */
  wP: Float64Array;
  stP: Int32Array;
  bestW: Float64Array;
  bestSt: Int32Array;
  y1: Float64Array;
  ys: Float64Array;
  F: Int32Array;
  zeta: Float64Array;
  v1: Float64Array;
  vs: Float64Array;
  p: Float64Array;
  G: Float64Array;
  x: Float64Array;
  t: Float64Array;
}

/** Work space for n variables. */
export function qpWork(n: number): QpWork {
  const m = Math.max(1, n);
  return {
    H: new Float64Array(m * m),
    L: new Float64Array(m * m),
    A: new Float64Array(m * m),
    wP: new Float64Array(m),
    stP: new Int32Array(m),
    bestW: new Float64Array(m),
    bestSt: new Int32Array(m),
    y1: new Float64Array(m),
    ys: new Float64Array(m),
    F: new Int32Array(m),
    zeta: new Float64Array(m),
    v1: new Float64Array(m),
    vs: new Float64Array(m),
    p: new Float64Array(m),
    G: new Float64Array(m),
    x: new Float64Array(m),
    t: new Float64Array(m),
  };
}

/**
 * The primal active-set method from the feasible point `a.w` with working set `a.state` (+ rows in
 * `params`): every step keeps the point feasible and lowers the objective, so it ends — at the
 * optimum, or at the iteration limit. Writes the solution into `a.w`, `a.state` and `a.info`.
 */
function primalActiveSet(a: Qp, ws: QpWork): void {
  const { n, H, q, bp, nbp, slope, sgn, state, w, params, info } = a;
  const { L, F, zeta, v1, vs, p, G, x, t } = ws;
  const netLo = params[PARAM_NET_LO];
  const netHi = params[PARAM_NET_HI];
  const grossL = params[PARAM_GROSS];
  const grossEq = params[PARAM_GROSS_EQ] !== 0;
  const netEq = netLo === netHi;
  let netW = netEq ? 2 : params[PARAM_NET_W] | 0;
  let grossW = grossEq || params[PARAM_GROSS_W] !== 0 ? 1 : 0;
  const maxIter = params[PARAM_MAX_ITER] | 0;
  const tolRel = params[PARAM_TOL];

  const gScale = gradientScale(a);
  const tolDual = tolRel * gScale;
  const tolPrimal = PRIMAL_STEP_TOL * Math.max(1, grossL);

  let nF = 0;
  let etaN = 0;
  let etaG = 0;

  const segSlope = (i: number): number => slope[3 * i + (state[i] >> 1)];
  const segSign = (i: number): number => sgn[3 * i + (state[i] >> 1)];

  // G = H·w + q.
  const gradient = (): void => {
    for (let i = 0; i < n; i++) {
      let s = q[i];
      const row = i * n;
      for (let j = 0; j < n; j++) s += H[row + j] * w[j];
      G[i] = s;
    }
  };

  /** Append free variable j to the factor; false when H on the enlarged free set is singular. */
  const append = (j: number): boolean => {
    const k = nF;
    // Forward solve L·x = H[F, j], column-oriented (columns of L are contiguous).
    for (let c = 0; c < k; c++) x[c] = H[F[c] * n + j];
    let d2 = H[j * n + j];
    let zs = G[j] + segSlope(j);
    let os = 1;
    let ss = segSign(j);
    for (let c = 0; c < k; c++) {
      const col = c * n;
      const xc = x[c] / L[col + c];
      x[c] = xc;
      for (let r = c + 1; r < k; r++) x[r] -= xc * L[col + r];
      d2 -= xc * xc;
      zs -= xc * zeta[c];
      os -= xc * v1[c];
      ss -= xc * vs[c];
    }
    if (!(d2 > SINGULAR_PIVOT * H[j * n + j])) return false;
    const d = Math.sqrt(d2);
    for (let c = 0; c < k; c++) L[c * n + k] = x[c];
    L[k * n + k] = d;
    zeta[k] = zs / d;
    v1[k] = os / d;
    vs[k] = ss / d;
    F[k] = j;
    nF = k + 1;
    return true;
  };

  /** Remove the free variable at position r: delete row and column r, then a rank-one update of the trailing block. */
  const remove = (r: number): void => {
    const k = nF;
    const m = k - 1 - r;
    // The column below the removed pivot becomes the update vector.
    for (let e = 0; e < m; e++) x[e] = L[r * n + r + 1 + e];
    let oz = zeta[r];
    let o1 = v1[r];
    let os = vs[r];
    // Columns before r lose row r.
    for (let c = 0; c < r; c++) {
      const col = c * n;
      for (let e = r; e < k - 1; e++) L[col + e] = L[col + e + 1];
    }
    // Columns after r move one to the left and up.
    for (let c = r + 1; c < k; c++) {
      const from = c * n;
      const to = (c - 1) * n;
      for (let e = c; e < k; e++) L[to + e - 1] = L[from + e];
    }
    for (let e = r; e < k - 1; e++) {
      F[e] = F[e + 1];
      zeta[e] = zeta[e + 1];
      v1[e] = v1[e + 1];
      vs[e] = vs[e + 1];
    }
    // Rank-one update of the trailing m×m block (positions r..k−2) by Givens rotations; the
    // vectors L⁻¹a rotate with it (the removed entry plays the part of x).
    for (let c = 0; c < m; c++) {
      const pc = r + c;
      const col = pc * n;
      const lcc = L[col + pc];
      const xc = x[c];
      const rr = Math.hypot(lcc, xc);
      const cs = lcc / rr;
      const sn = xc / rr;
      L[col + pc] = rr;
      for (let e = c + 1; e < m; e++) {
        const lrc = L[col + r + e];
        const xe = x[e];
        L[col + r + e] = cs * lrc + sn * xe;
        x[e] = cs * xe - sn * lrc;
      }
      const z0 = zeta[pc];
      zeta[pc] = cs * z0 + sn * oz;
      oz = cs * oz - sn * z0;
      const a0 = v1[pc];
      v1[pc] = cs * a0 + sn * o1;
      o1 = cs * o1 - sn * a0;
      const b0 = vs[pc];
      vs[pc] = cs * b0 + sn * os;
      os = cs * os - sn * b0;
    }
    nF = k - 1;
  };

  /** ζ = L⁻¹(G + slope) on the free set, from a fresh gradient (undoes drift). */
  const refreshZeta = (): void => {
    for (let c = 0; c < nF; c++) zeta[c] = G[F[c]] + segSlope(F[c]);
    for (let c = 0; c < nF; c++) {
      const col = c * n;
      const zc = zeta[c] / L[col + c];
      zeta[c] = zc;
      for (let r = c + 1; r < nF; r++) zeta[r] -= zc * L[col + r];
    }
  };

  /**
   * Multipliers of the rows in the working set and the step p = −L⁻ᵀ(ζ + Vη) that satisfies them
   * (A·p = the rows' residuals). Returns max |p|.
   */
  const solveStep = (): number => {
    let net = 0;
    let gross = 0;
    for (let i = 0; i < n; i++) {
      net += w[i];
      gross += Math.abs(w[i]);
    }
    const inN = netW !== 0;
    const inG = grossW !== 0;
    let s11 = 0;
    let s12 = 0;
    let s22 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let c = 0; c < nF; c++) {
      s11 += v1[c] * v1[c];
      s12 += v1[c] * vs[c];
      s22 += vs[c] * vs[c];
      b1 += v1[c] * zeta[c];
      b2 += vs[c] * zeta[c];
    }
    const rN = (netW === 1 || netW === 2 ? netHi : netLo) - net;
    const rG = grossL - gross;
    b1 = -(b1 + rN);
    b2 = -(b2 + rG);
    etaN = 0;
    etaG = 0;
    if (inN && inG) {
      const det = s11 * s22 - s12 * s12;
      if (det > DEPENDENT_ROWS * s11 * s22) {
        etaN = (s22 * b1 - s12 * b2) / det;
        etaG = (s11 * b2 - s12 * b1) / det;
      } else if (grossEq && netW !== 2) {
        // The rows coincide on the free set (every free weight on one side): keep the equality.
        netW = 0;
        if (s22 > 0) etaG = b2 / s22;
      } else {
        grossW = 0;
        if (s11 > 0) etaN = b1 / s11;
      }
    } else if (inN) {
      if (s11 > 0) etaN = b1 / s11;
    } else if (inG) {
      if (s22 > 0) etaG = b2 / s22;
    }
    for (let c = 0; c < nF; c++) t[c] = zeta[c] + etaN * v1[c] + etaG * vs[c];
    // Back substitution Lᵀ·p = −t (row i of Lᵀ is column i of L: contiguous).
    let pMax = 0;
    for (let i = nF - 1; i >= 0; i--) {
      const col = i * n;
      let s = -t[i];
      for (let r = i + 1; r < nF; r++) s -= L[col + r] * p[r];
      const pi = s / L[col + i];
      p[i] = pi;
      pMax = Math.max(pMax, Math.abs(pi));
    }
    return pMax;
  };

  /** Take the step α·p: weights and ζ (G + slope on F moves to (1−α)·(G+slope) − α·Aᵀη). */
  const takeStep = (alpha: number): void => {
    for (let c = 0; c < nF; c++) {
      const i = F[c];
      w[i] += alpha * p[c];
      zeta[c] = (1 - alpha) * zeta[c] - alpha * (etaN * v1[c] + etaG * vs[c]);
    }
  };

  // Start: factor the free set.
  gradient();
  for (let i = 0; i < n; i++) {
    if (state[i] & 1) {
      if (!append(i)) {
        info[INFO_OUTCOME] = QP_SINGULAR;
        info[INFO_DETAIL] = i;
        return;
      }
    }
  }

  let iter = 0;
  let single = false;
  let progress = true;
  let outcome = QP_MAX_ITER;
  let refreshed = false;
  while (iter < maxIter) {
    iter++;
    const pMax = solveStep();
    {
      // Ratio test: the largest α ≤ 1 that keeps every free variable on its segment and every
      // row outside the working set satisfied.
      let alpha = 1;
      let blocker = -1; // position in F, or −2 net, −3 gross
      let blockAt = 0;
      let pNet = 0;
      let pGross = 0;
      let pAbs = 0;
      for (let c = 0; c < nF; c++) {
        const i = F[c];
        const pc = p[c];
        pNet += pc;
        pGross += segSign(i) * pc;
        pAbs += Math.abs(pc);
        if (pc === 0) continue;
        const k = state[i] >> 1;
        const edge = pc > 0 ? k + 1 : k;
        const room = bp[4 * i + edge] - w[i];
        const s = room / pc;
        if (s < alpha) {
          alpha = s > 0 ? s : 0;
          blocker = c;
          blockAt = edge;
        }
      }
      const tiny = 1e-14 * pAbs;
      if (netW === 0 && Math.abs(pNet) > tiny) {
        let net = 0;
        for (let i = 0; i < n; i++) net += w[i];
        const s = pNet > 0 ? (netHi - net) / pNet : (netLo - net) / pNet;
        if (s < alpha) {
          alpha = s > 0 ? s : 0;
          blocker = -2;
          blockAt = pNet > 0 ? 1 : -1;
        }
      }
      if (grossW === 0 && pGross > tiny) {
        let gross = 0;
        for (let i = 0; i < n; i++) gross += Math.abs(w[i]);
        const s = (grossL - gross) / pGross;
        if (s < alpha) {
          alpha = s > 0 ? s : 0;
          blocker = -3;
        }
      }
      if (alpha > 0) {
        takeStep(alpha);
        if (alpha * pMax > tolPrimal) progress = true;
      }
      if (blocker >= 0) {
        const i = F[blocker];
        w[i] = bp[4 * i + blockAt];
        state[i] = 2 * blockAt;
        remove(blocker);
        refreshed = false;
        continue;
      }
      if (blocker === -2) {
        netW = blockAt;
        refreshed = false;
        continue;
      }
      if (blocker === -3) {
        grossW = 1;
        refreshed = false;
        continue;
      }
    }

    // At the minimiser of the working set: fresh gradient, fresh ζ and multipliers.
    gradient();
    refreshZeta();
    const drift = solveStep();
    if (drift > tolPrimal * 1e3 && !refreshed) {
      // Rounding moved the point off the working set's minimiser: step again from fresh values.
      refreshed = true;
      continue;
    }
    refreshed = false;

    // Most violated multiplier: a row of the working set with the wrong sign, or a fixed variable
    // whose move off its breakpoint lowers the objective.
    let worst = -tolDual;
    let worstKind = 0; // 1 net, 2 gross, 3 variable
    // Signs: ∇f + η_net·1 + η_gross·s = 0, so η_net ≥ 0 at the band's top, ≤ 0 at its bottom, η_gross ≥ 0.
    if (netW === 1 && etaN < worst) {
      worst = etaN;
      worstKind = 1;
    }
    if (netW === -1 && -etaN < worst) {
      worst = -etaN;
      worstKind = 1;
    }
    if (grossW === 1 && !grossEq && etaG < worst) {
      worst = etaG;
      worstKind = 2;
    }
    let releases = 0;
    let bestVar = -1;
    let bestDir = 0;
    let bestD = -tolDual;
    for (let i = 0; i < n; i++) {
      const st = state[i];
      if (st & 1) continue;
      const k = st >> 1;
      const gi = G[i] + (netW !== 0 ? etaN : 0);
      let dir = 0;
      let D = -tolDual;
      if (k + 1 < nbp[i]) {
        const up = gi + slope[3 * i + k] + (grossW !== 0 ? etaG * sgn[3 * i + k] : 0);
        if (up < D) {
          D = up;
          dir = 1;
        }
      }
      if (k > 0) {
        const down = -(gi + slope[3 * i + k - 1] + (grossW !== 0 ? etaG * sgn[3 * i + k - 1] : 0));
        if (down < D) {
          D = down;
          dir = -1;
        }
      }
      if (dir === 0) continue;
      releases++;
      if (D < bestD || (D === bestD && bestVar < 0)) {
        bestD = D;
        bestVar = i;
        bestDir = dir;
      }
    }
    if (releases > 0 && bestD < worst) {
      worst = bestD;
      worstKind = 3;
    }
    if (worstKind === 0) {
      outcome = QP_OPTIMAL;
      break;
    }
    if (worstKind === 1) {
      netW = 0;
      continue;
    }
    if (worstKind === 2) {
      grossW = 0;
      continue;
    }
    // Release variables. A block release that made no progress since the last one falls back to
    // one variable at a time (the classical rule, which cannot cycle without degeneracy).
    if (!progress) single = true;
    progress = false;
    let failed = -1;
    if (single || releases === 1) {
      state[bestVar] = bestDir > 0 ? state[bestVar] + 1 : state[bestVar] - 1;
      if (!append(bestVar)) failed = bestVar;
    } else {
      // Every fixed variable whose move lowers the objective, each in its direction.
      for (let i = 0; i < n && failed < 0; i++) {
        const st = state[i];
        if (st & 1) continue;
        const k = st >> 1;
        const gi = G[i] + (netW !== 0 ? etaN : 0);
        let dir = 0;
        let D = -tolDual;
        if (k + 1 < nbp[i]) {
          const up = gi + slope[3 * i + k] + (grossW !== 0 ? etaG * sgn[3 * i + k] : 0);
          if (up < D) {
            D = up;
            dir = 1;
          }
        }
        if (k > 0) {
          const down = -(gi + slope[3 * i + k - 1] + (grossW !== 0 ? etaG * sgn[3 * i + k - 1] : 0));
          if (down < D) dir = -1;
        }
        if (dir === 0) continue;
        state[i] = dir > 0 ? st + 1 : st - 1;
        if (!append(i)) failed = i;
      }
    }
    if (failed >= 0) {
      info[INFO_OUTCOME] = QP_SINGULAR;
      info[INFO_DETAIL] = failed;
      info[INFO_ITERATIONS] = iter;
      return;
    }
  }

  info[INFO_OUTCOME] = outcome;
  info[INFO_ITERATIONS] = iter;
  info[INFO_ETA_NET] = netW !== 0 ? etaN : 0;
  info[INFO_ETA_GROSS] = grossW !== 0 ? etaG : 0;
  info[INFO_NET_W] = netW === 2 ? 0 : netW;
  info[INFO_GROSS_W] = grossW;
  if (outcome === QP_OPTIMAL) info[INFO_KKT] = kktResidual(a, G, netW, grossW, etaN, etaG, gScale);
}

/**
 * The KKT residual at the solution: the largest of the primal violations (weight units) and the
 * dual ones (stationarity on free variables, wrong-signed multipliers), the latter divided by the
 * gradient scale. `G` must be fresh.
 */
export function kktResidual(a: Qp, G: Float64Array, netW: number, grossW: number, etaN: number, etaG: number, gScale: number): number {
  const { n, bp, nbp, slope, sgn, state, w, params } = a;
  const netLo = params[PARAM_NET_LO];
  const netHi = params[PARAM_NET_HI];
  const grossL = params[PARAM_GROSS];
  const grossEq = params[PARAM_GROSS_EQ] !== 0;
  let primal = 0;
  let dual = 0;
  let net = 0;
  let gross = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i];
    net += v;
    gross += Math.abs(v);
    primal = Math.max(primal, bp[4 * i] - v, v - bp[4 * i + nbp[i] - 1]);
    const st = state[i];
    const k = st >> 1;
    const gi = G[i] + (netW !== 0 ? etaN : 0);
    if (st & 1) {
      dual = Math.max(dual, Math.abs(gi + slope[3 * i + k] + (grossW !== 0 ? etaG * sgn[3 * i + k] : 0)));
    } else {
      if (k + 1 < nbp[i]) dual = Math.max(dual, -(gi + slope[3 * i + k] + (grossW !== 0 ? etaG * sgn[3 * i + k] : 0)));
      if (k > 0) dual = Math.max(dual, gi + slope[3 * i + k - 1] + (grossW !== 0 ? etaG * sgn[3 * i + k - 1] : 0));
    }
  }
  primal = Math.max(primal, netLo - net, net - netHi, gross - grossL);
  if (grossEq) primal = Math.max(primal, grossL - gross);
  if (netW === 1 || netW === 2) primal = Math.max(primal, Math.abs(net - netHi));
  if (netW === -1) primal = Math.max(primal, Math.abs(net - netLo));
  if (grossW !== 0) primal = Math.max(primal, Math.abs(gross - grossL));
  if (netW === 1) dual = Math.max(dual, -etaN);
  if (netW === -1) dual = Math.max(dual, etaN);
  if (grossW !== 0 && !grossEq) dual = Math.max(dual, -etaG);
  return Math.max(primal, dual / gScale);
}

/** Cholesky of the k×k row-major `A` into `L` (row-major, zeros above the diagonal); the failing row, or −1. */
function choleskyRows(A: Float64Array, L: Float64Array, k: number): number {
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    for (let j = 0; j <= i; j++) {
      const rj = j * k;
      let s = A[ri + j];
      for (let c = 0; c < j; c++) s -= L[ri + c] * L[rj + c];
      if (j < i) L[ri + j] = s / L[rj + j];
      else {
        if (!(s > SINGULAR_PIVOT * A[ri + i])) return i;
        L[ri + i] = Math.sqrt(s);
      }
    }
    for (let j = i + 1; j < k; j++) L[ri + j] = 0;
  }
  return -1;
}

/** Solve L·Lᵀ·x = x in place (L row-major k×k): forward by row dots, backward by row axpys. */
function cholSolve(L: Float64Array, k: number, x: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    let s = x[i];
    for (let c = 0; c < i; c++) s -= L[ri + c] * x[c];
    x[i] = s / L[ri + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    const ri = i * k;
    const xi = x[i] / L[ri + i];
    x[i] = xi;
    for (let c = 0; c < i; c++) x[c] -= L[ri + c] * xi;
  }
}

/**
 * The primal-dual active-set phase (a semismooth Newton method): solve the working set's
 * equality-constrained QP exactly, then move *every* variable whose bound is violated into the
 * working set and release *every* one whose multiplier has the wrong sign, and repeat. It usually
 * settles in a handful of factorizations whatever the size of the change, where the primal method
 * needs one iteration per change — but it is not guaranteed to settle. Returns 1 when it found
 * the optimum (written to `a.w`, `a.state`), 0 when not (then `ws.bestW`/`ws.bestSt` hold the
 * last feasible point it met, if `bestRows[2]` is 1), −1 − i when H on the free set was singular
 * at variable i. `counts[0]` receives its iterations.
 */
function pdasPhase(a: Qp, ws: QpWork, maxIt: number, bestRows: Int32Array, counts: Int32Array): number {
  const { n, H, q, bp, nbp, slope, sgn, params } = a;
  const { A, L, F, wP: w, stP: st, G, t: z, y1, ys } = ws;
  const netLo = params[PARAM_NET_LO];
  const netHi = params[PARAM_NET_HI];
  const grossL = params[PARAM_GROSS];
  const grossEq = params[PARAM_GROSS_EQ] !== 0;
  const netEq = netLo === netHi;
  const gScale = gradientScale(a);
  const tolDual = params[PARAM_TOL] * gScale;
  const tolFeas = PRIMAL_FEAS_TOL * Math.max(1, grossL);
  let netW: number;
  let grossW: number;
  // From its own guess, the first solve only finds which side of each kink a weight wants:
  // weights that cross a kink move to the segment they landed on instead of stopping at it.
  let reassign = false;
  if (params[PARAM_GUESS] !== 0) {
    st.set(a.guess);
    netW = netEq ? 2 : params[PARAM_GUESS_NET_W] | 0;
    grossW = grossEq || params[PARAM_GUESS_GROSS_W] !== 0 ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) {
      const m = nbp[i];
      if (m === 1) {
        st[i] = 0;
        continue;
      }
      const v = a.w[i];
      let k = 0;
      while (k + 2 < m && v >= bp[4 * i + k + 1]) k++;
      st[i] = 2 * k + 1;
    }
    netW = netEq ? 2 : 0;
    grossW = grossEq ? 1 : 0;
    reassign = true;
  }
  bestRows[2] = 0;
  let it = 0;
  while (it < maxIt) {
    it++;
    let k = 0;
    let netX = 0;
    let grossX = 0;
    for (let i = 0; i < n; i++) {
      if (st[i] & 1) F[k++] = i;
      else {
        w[i] = bp[4 * i + (st[i] >> 1)];
        netX += w[i];
        grossX += Math.abs(w[i]);
      }
    }
    // H on the free set, the right-hand side −(q + slope + H_FX·w_X), and the rows' directions.
    for (let r = 0; r < k; r++) {
      const i = F[r];
      const row = i * n;
      for (let c = 0; c < k; c++) A[r * k + c] = H[row + F[c]];
      let s = q[i] + slope[3 * i + (st[i] >> 1)];
      for (let j = 0; j < n; j++) if (!(st[j] & 1)) s += H[row + j] * w[j];
      z[r] = -s;
      y1[r] = 1;
      ys[r] = sgn[3 * i + (st[i] >> 1)];
    }
    const bad = choleskyRows(A, L, k);
    if (bad >= 0) {
      counts[0] = it;
      return -1 - F[bad];
    }
    cholSolve(L, k, z);
    if (netW !== 0) cholSolve(L, k, y1);
    if (grossW !== 0) cholSolve(L, k, ys);
    // S·η = A·z − r on the rows of the working set.
    let s11 = 0;
    let s12 = 0;
    let s22 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let r = 0; r < k; r++) {
      const sg = sgn[3 * F[r] + (st[F[r]] >> 1)];
      s11 += y1[r];
      s12 += sg * y1[r];
      s22 += sg * ys[r];
      b1 += z[r];
      b2 += sg * z[r];
    }
    b1 -= (netW === 1 || netW === 2 ? netHi : netLo) - netX;
    b2 -= grossL - grossX;
    let etaN = 0;
    let etaG = 0;
    if (netW !== 0 && grossW !== 0) {
      const det = s11 * s22 - s12 * s12;
      if (det > DEPENDENT_ROWS * s11 * s22) {
        etaN = (s22 * b1 - s12 * b2) / det;
        etaG = (s11 * b2 - s12 * b1) / det;
      } else if (grossEq && netW !== 2) {
        // The rows coincide on the free set (every free weight on one side): keep the equality.
        netW = 0;
        if (s22 > 0) etaG = b2 / s22;
      } else {
        grossW = 0;
        if (s11 > 0) etaN = b1 / s11;
      }
    } else if (netW !== 0) {
      if (s11 > 0) etaN = b1 / s11;
    } else if (grossW !== 0) {
      if (s22 > 0) etaG = b2 / s22;
    }
    for (let r = 0; r < k; r++) w[F[r]] = z[r] - etaN * y1[r] - etaG * ys[r];
    // One step of iterative refinement: H on the free set may be ill-conditioned (a repaired,
    // near-singular Σ), and the rows must still hold to rounding. Residuals of the KKT system,
    // then the same solve on them: Δw = H⁻¹r₁ − Y·Δη with S·Δη = A·H⁻¹r₁ − r₂.
    {
      const d = ws.x;
      let rowN = (netW === 1 || netW === 2 ? netHi : netLo) - netX;
      let rowG = grossL - grossX;
      for (let r = 0; r < k; r++) {
        const i = F[r];
        const seg = st[i] >> 1;
        const sg = sgn[3 * i + seg];
        let hw = 0;
        for (let j = 0; j < n; j++) hw += H[i * n + j] * w[j];
        d[r] = -(q[i] + slope[3 * i + seg] + hw + (netW !== 0 ? etaN : 0) + (grossW !== 0 ? etaG * sg : 0));
        rowN -= w[i];
        rowG -= sg * w[i];
      }
      cholSolve(L, k, d);
      let a1 = 0;
      let a2 = 0;
      for (let r = 0; r < k; r++) {
        a1 += d[r];
        a2 += sgn[3 * F[r] + (st[F[r]] >> 1)] * d[r];
      }
      a1 -= rowN;
      a2 -= rowG;
      let dN = 0;
      let dG = 0;
      if (netW !== 0 && grossW !== 0) {
        const det = s11 * s22 - s12 * s12;
        dN = (s22 * a1 - s12 * a2) / det;
        dG = (s11 * a2 - s12 * a1) / det;
      } else if (netW !== 0) {
        if (s11 > 0) dN = a1 / s11;
      } else if (grossW !== 0) {
        if (s22 > 0) dG = a2 / s22;
      }
      for (let r = 0; r < k; r++) w[F[r]] += d[r] - dN * y1[r] - dG * ys[r];
      etaN += dN;
      etaG += dG;
    }
    let net = 0;
    let gross = 0;
    for (let i = 0; i < n; i++) {
      let s = q[i];
      const row = i * n;
      for (let j = 0; j < n; j++) s += H[row + j] * w[j];
      G[i] = s;
      net += w[i];
      gross += Math.abs(w[i]);
    }

    // Is the point feasible? Keep the last one that is, for the primal phase to start from.
    let feasible = true;
    for (let r = 0; r < k && feasible; r++) {
      const i = F[r];
      const seg = st[i] >> 1;
      if (w[i] < bp[4 * i + seg] - tolFeas || w[i] > bp[4 * i + seg + 1] + tolFeas) feasible = false;
    }
    if (net < netLo - tolFeas || net > netHi + tolFeas || gross > grossL + tolFeas) feasible = false;
    if (grossEq && gross < grossL - tolFeas) feasible = false;
    if (feasible) {
      for (let i = 0; i < n; i++) {
        // Snap weights a rounding past their segment back onto it: the primal phase needs them inside.
        const seg = st[i] >> 1;
        ws.bestW[i] = st[i] & 1 ? Math.min(Math.max(w[i], bp[4 * i + seg]), bp[4 * i + seg + 1]) : w[i];
      }
      ws.bestSt.set(st);
      bestRows[0] = netW === 2 ? 0 : netW;
      bestRows[1] = grossW;
      bestRows[2] = 1;
    }

    // The new working set, decided from this point's weights and multipliers together.
    let changes = 0;
    for (let i = 0; i < n; i++) {
      const si = st[i];
      const seg = si >> 1;
      if (si & 1) {
        const lo = bp[4 * i + seg];
        const hi = bp[4 * i + seg + 1];
        if (w[i] >= lo - tolFeas && w[i] <= hi + tolFeas) continue;
        changes++;
        if (reassign) {
          const m = nbp[i];
          const v = w[i];
          if (v <= bp[4 * i]) st[i] = 0;
          else if (v >= bp[4 * i + m - 1]) st[i] = 2 * (m - 1);
          else {
            let kk = 0;
            while (kk + 2 < m && v >= bp[4 * i + kk + 1]) kk++;
            st[i] = 2 * kk + 1;
          }
        } else st[i] = w[i] < lo ? 2 * seg : 2 * seg + 2;
        continue;
      }
      const gi = G[i] + (netW !== 0 ? etaN : 0);
      if (seg + 1 < nbp[i] && gi + slope[3 * i + seg] + (grossW !== 0 ? etaG * sgn[3 * i + seg] : 0) < -tolDual) {
        st[i] = si + 1;
        changes++;
      } else if (seg > 0 && -(gi + slope[3 * i + seg - 1] + (grossW !== 0 ? etaG * sgn[3 * i + seg - 1] : 0)) < -tolDual) {
        st[i] = si - 1;
        changes++;
      }
    }
    if (netW === 1 && etaN < -tolDual) {
      netW = 0;
      changes++;
    } else if (netW === -1 && etaN > tolDual) {
      netW = 0;
      changes++;
    } else if (netW === 0 && net > netHi + tolFeas) {
      netW = 1;
      changes++;
    } else if (netW === 0 && net < netLo - tolFeas) {
      netW = -1;
      changes++;
    }
    if (!grossEq) {
      if (grossW === 1 && etaG < -tolDual) {
        grossW = 0;
        changes++;
      } else if (grossW === 0 && gross > grossL + tolFeas) {
        grossW = 1;
        changes++;
      }
    }
    reassign = false;
    if (changes === 0 && !feasible) break; // rows it cannot meet with nothing free: leave it to the primal phase
    if (changes === 0) {
      a.w.set(ws.bestW);
      a.state.set(st);
      counts[0] = it;
      a.info[INFO_ETA_NET] = netW !== 0 ? etaN : 0;
      a.info[INFO_ETA_GROSS] = grossW !== 0 ? etaG : 0;
      a.info[INFO_NET_W] = netW === 2 ? 0 : netW;
      a.info[INFO_GROSS_W] = grossW;
      a.info[INFO_KKT] = kktResidual(a, G, netW, grossW, etaN, etaG, gScale);
      return 1;
    }
  }
  counts[0] = it;
  return 0;
}

/**
 * Solve the scaled problem: the primal-dual phase first (from `guess` or its own start), and when
 * it does not settle, the primal active-set method from the last feasible point it met (else from
 * the feasible start the caller put in `a.w`/`a.state`). Outcome, iterations (both phases) and
 * the KKT residual go to `a.info`. Never throws.
 */
export function qpSolve(arrays: QpArrays, ws: QpWork): void {
  const { info, params, cov, n } = arrays;
  const H = ws.H;
  const scale = params[PARAM_SCALE];
  for (let i = 0; i < n * n; i++) H[i] = (2 * cov[i]) / scale;
  const a: Qp = { ...arrays, H };
  info.fill(0);
  solvePhases(a, ws);
  if (info[INFO_OUTCOME] === QP_OPTIMAL) {
    let quad = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += H[i * n + j] * a.w[j];
      quad += a.w[i] * s;
    }
    info[INFO_QUAD] = quad;
  }
}

function solvePhases(a: Qp, ws: QpWork): void {
  const { info, params } = a;
  const bestRows = new Int32Array(3);
  const counts = new Int32Array(1);
  // The iteration limit counts both phases.
  const maxIter = params[PARAM_MAX_ITER] | 0;
  const r = pdasPhase(a, ws, Math.min(params[PARAM_PDAS_MAX] | 0, maxIter), bestRows, counts);
  const pdasIterations = counts[0];
  info[INFO_PDAS_ITERATIONS] = pdasIterations;
  if (r === 1) {
    info[INFO_OUTCOME] = QP_OPTIMAL;
    info[INFO_ITERATIONS] = pdasIterations;
    info[INFO_PDAS_SOLVED] = 1;
    return;
  }
  if (r < 0) {
    info[INFO_OUTCOME] = QP_SINGULAR;
    info[INFO_DETAIL] = -1 - r;
    info[INFO_ITERATIONS] = pdasIterations;
    return;
  }
  if (pdasIterations >= maxIter) {
    info[INFO_OUTCOME] = QP_MAX_ITER;
    info[INFO_ITERATIONS] = pdasIterations;
    return;
  }
  params[PARAM_MAX_ITER] = maxIter - pdasIterations;
  if (bestRows[2] === 1) {
    a.w.set(ws.bestW);
    a.state.set(ws.bestSt);
    params[PARAM_NET_W] = bestRows[0];
    params[PARAM_GROSS_W] = bestRows[1];
  }
  primalActiveSet(a, ws);
  info[INFO_ITERATIONS] += pdasIterations;
  info[INFO_PDAS_ITERATIONS] = pdasIterations;
}
