/**
 * The primal active-set phase of the optimizer's QP, plain-TS port of assembly/portfolio/primal.ts
 * (docs/kernels.md, "Portfolio QP"): feasible steps that lower the objective, one working-set change
 * each, on a Cholesky factor of H on the free set that is updated as variables enter and leave.
 */
import {
  DEPENDENT_ROWS,
  INFO_DETAIL,
  INFO_ETA_GROSS,
  INFO_ETA_NET,
  INFO_GROSS_W,
  INFO_ITERATIONS,
  INFO_KKT,
  INFO_NET_W,
  INFO_OUTCOME,
  PARAM_GROSS,
  PARAM_GROSS_EQ,
  PARAM_GROSS_W,
  PARAM_MAX_ITER,
  PARAM_NET_HI,
  PARAM_NET_LO,
  PARAM_NET_W,
  PARAM_TOL,
  PRIMAL_STEP_TOL,
  QP_MAX_ITER,
  QP_OPTIMAL,
  QP_SINGULAR,
  SINGULAR_PIVOT,
  gradientScale,
  kktResidual,
  type Qp,
  type QpWork,
} from './layout.ts';

/**
 * The primal active-set method from the feasible point `a.w` with working set `a.state` (+ rows in
 * `params`): every step keeps the point feasible and lowers the objective, so it ends — at the
 * optimum, or at the iteration limit. Writes the solution into `a.w`, `a.state` and `a.info`.
 */
export function primalActiveSet(a: Qp, ws: QpWork): void {
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
