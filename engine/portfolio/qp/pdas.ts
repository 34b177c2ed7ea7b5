/**
 * The primal-dual active-set phase of the optimizer's QP, plain-TS port of assembly/portfolio/pdas.ts
 * (docs/kernels.md, "Portfolio QP"), with the Cholesky factor it keeps across iterations.
 */
import {
  DEPENDENT_ROWS,
  INFO_ETA_GROSS,
  INFO_ETA_NET,
  INFO_GROSS_W,
  INFO_KKT,
  INFO_NET_W,
  PARAM_GROSS,
  PARAM_GROSS_EQ,
  PARAM_GUESS,
  PARAM_GUESS_GROSS_W,
  PARAM_GUESS_NET_W,
  PARAM_NET_HI,
  PARAM_NET_LO,
  PARAM_TOL,
  PDAS_HISTORY,
  PRIMAL_FEAS_TOL,
  SINGULAR_PIVOT,
  gradientScale,
  kktResidual,
  type Qp,
  type QpWork,
} from './layout.ts';

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

/** Solve L·Lᵀ·v = v in place, L column-major with stride n on its first k columns. */
function factorSolve(L: Float64Array, n: number, k: number, v: Float64Array): void {
  for (let c = 0; c < k; c++) {
    const col = c * n;
    const vc = v[c] / L[col + c];
    v[c] = vc;
    for (let r = c + 1; r < k; r++) v[r] -= vc * L[col + r];
  }
  for (let i = k - 1; i >= 0; i--) {
    const col = i * n;
    let s = v[i];
    for (let r = i + 1; r < k; r++) s -= L[col + r] * v[r];
    v[i] = s / L[col + i];
  }
}

/** Append variable j as position k of the factor (forward solve of H[F, j]); false when singular. */
function factorAppend(H: Float64Array, L: Float64Array, F: Int32Array, n: number, k: number, j: number, x: Float64Array): boolean {
  for (let c = 0; c < k; c++) x[c] = H[F[c] * n + j];
  let d2 = H[j * n + j];
  for (let c = 0; c < k; c++) {
    const col = c * n;
    const xc = x[c] / L[col + c];
    x[c] = xc;
    for (let r = c + 1; r < k; r++) x[r] -= xc * L[col + r];
    d2 -= xc * xc;
  }
  if (!(d2 > SINGULAR_PIVOT * H[j * n + j])) return false;
  for (let c = 0; c < k; c++) L[c * n + k] = x[c];
  L[k * n + k] = Math.sqrt(d2);
  F[k] = j;
  return true;
}

/** Remove position r from the factor of k variables (rank-one update by rotations); returns k − 1. */
function factorRemove(L: Float64Array, F: Int32Array, n: number, k: number, r: number, x: Float64Array): number {
  const m = k - 1 - r;
  for (let e = 0; e < m; e++) x[e] = L[r * n + r + 1 + e];
  for (let c = 0; c < r; c++) {
    const col = c * n;
    for (let e = r; e < k - 1; e++) L[col + e] = L[col + e + 1];
  }
  for (let c = r + 1; c < k; c++) {
    const from = c * n;
    const to = (c - 1) * n;
    for (let e = c; e < k; e++) L[to + e - 1] = L[from + e];
  }
  for (let e = r; e < k - 1; e++) F[e] = F[e + 1];
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
  }
  return k - 1;
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
export function pdasPhase(a: Qp, ws: QpWork, maxIt: number, bestRows: Int32Array, counts: Int32Array): number {
  const { n, H, q, bp, nbp, slope, sgn, params } = a;
  const { A, L, F, wP: w, stP: st, G, t: z, y1, ys, x, mark } = ws;
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
  const history = new Int32Array(PDAS_HISTORY);
  let stored = 0;
  // The factor L (column-major, stride n) holds H on F[0..nF); `mark` flags the members of F.
  let nF = 0;
  mark.fill(0);
  let it = 0;
  while (it < maxIt) {
    it++;
    let k = 0;
    let netX = 0;
    let grossX = 0;
    for (let i = 0; i < n; i++) {
      if (st[i] & 1) k++;
      else {
        w[i] = bp[4 * i + (st[i] >> 1)];
        netX += w[i];
        grossX += Math.abs(w[i]);
      }
    }
    // Bring the factor to the new free set: remove the variables that left and append those that
    // entered — or factor afresh when that is cheaper (many changes against a small new set).
    let leaving = 0;
    for (let c = 0; c < nF; c++) if (!(st[F[c]] & 1)) leaving++;
    const moves = leaving + k - (nF - leaving);
    if (it === 1 || moves * nF * nF > k * k * k) {
      nF = 0;
      for (let i = 0; i < n; i++) {
        mark[i] = st[i] & 1;
        if (st[i] & 1) F[nF++] = i;
      }
      for (let r = 0; r < k; r++) {
        const row = F[r] * n;
        for (let c = 0; c <= r; c++) A[r * k + c] = H[row + F[c]];
      }
      const bad = choleskyRows(A, A, k);
      if (bad >= 0) {
        counts[0] = it;
        return -1 - F[bad];
      }
      for (let c = 0; c < k; c++) for (let r = c; r < k; r++) L[c * n + r] = A[r * k + c];
    } else if (moves > 0) {
      for (let c = nF - 1; c >= 0; c--) {
        if (st[F[c]] & 1) continue;
        mark[F[c]] = 0;
        nF = factorRemove(L, F, n, nF, c, x);
      }
      for (let i = 0; i < n; i++) {
        if (!(st[i] & 1) || mark[i]) continue;
        if (!factorAppend(H, L, F, n, nF, i, x)) {
          counts[0] = it;
          return -1 - i;
        }
        mark[i] = 1;
        nF++;
      }
    }
    // The right-hand side −(q + slope + H_FX·w_X) and the rows' directions, in F's order.
    for (let r = 0; r < k; r++) {
      const i = F[r];
      const row = i * n;
      let s = q[i] + slope[3 * i + (st[i] >> 1)];
      for (let j = 0; j < n; j++) if (!(st[j] & 1)) s += H[row + j] * w[j];
      z[r] = -s;
      y1[r] = 1;
      ys[r] = sgn[3 * i + (st[i] >> 1)];
    }
    factorSolve(L, n, k, z);
    if (netW !== 0) factorSolve(L, n, k, y1);
    if (grossW !== 0) factorSolve(L, n, k, ys);
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
      factorSolve(L, n, k, d);
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
    if (changes > 0) {
      // A working set met before means the method cycles (it can on matrices that are not M-matrices):
      // hand over to the primal phase at once rather than spend the iteration limit.
      let h = 2166136261 ^ (netW + 3) ^ ((grossW + 1) << 4);
      for (let i = 0; i < n; i++) h = Math.imul(h ^ st[i], 16777619);
      let seen = false;
      for (let j = 0; j < PDAS_HISTORY && j < stored; j++) if (history[j] === h) seen = true;
      if (seen) break;
      history[stored % PDAS_HISTORY] = h;
      stored++;
    }
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
