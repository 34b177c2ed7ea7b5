// The primal-dual active-set phase (a semismooth Newton method) of the optimizer: solve the
// working set's equality-constrained QP exactly, then move every violated variable into the
// working set and release every wrong-signed one, and repeat. Port of `pdasPhase` in
// engine/portfolio/active-set.ts (the reference; comments there).
import { cholesky } from '../linalg/cholesky';
import {
  n, H, q, bp, nbp, slope, sgn, w, guess, state, L, A, wP, stP, bestW, bestSt, G, t, y1, ys, x, wX, F,
  ld, st, ldi, sti, param, setInfo, dotv, axpyNeg, gradientScale, gradientAt, kktResidual,
  PARAM_NET_LO, PARAM_NET_HI, PARAM_GROSS, PARAM_GROSS_EQ, PARAM_GUESS, PARAM_TOL, PARAM_GUESS_NET_W, PARAM_GUESS_GROSS_W,
  INFO_ETA_NET, INFO_ETA_GROSS, INFO_NET_W, INFO_GROSS_W, INFO_KKT,
  SINGULAR_PIVOT, DEPENDENT_ROWS, PRIMAL_FEAS_TOL,
} from './ctx';

/** Rows of the last feasible point met: net (0/±1), gross (0/1), and 1 when there is one. */
export let bestNetW: i32 = 0;
export let bestGrossW: i32 = 0;
export let bestFound: bool = false;
/** Iterations of the last run. */
export let pdasIterations: i32 = 0;

/** Solve L·Lᵀ·x = x in place, L row-major k×k. */
function cholSolve(k: i32, xv: usize): void {
  for (let i = 0; i < k; i++) {
    const ri = L + ((<usize>i * <usize>k) << 3);
    st(xv, i, (ld(xv, i) - dotv(ri, xv, i)) / ld(ri, i));
  }
  for (let i = k - 1; i >= 0; i--) {
    const ri = L + ((<usize>i * <usize>k) << 3);
    const xi = ld(xv, i) / ld(ri, i);
    st(xv, i, xi);
    axpyNeg(xv, ri, xi, i);
  }
}

@inline function segOf(i: i32, v: f64): i32 {
  const m = ldi(nbp, i);
  let k = 0;
  while (k + 2 < m && v >= ld(bp, 4 * i + k + 1)) k++;
  return k;
}

/** 1: optimal (written to w/state); 0: not settled; −1 − i: H singular on the free set at variable i. */
export function pdasPhase(maxIt: i32): i32 {
  const netLo = param(PARAM_NET_LO);
  const netHi = param(PARAM_NET_HI);
  const grossL = param(PARAM_GROSS);
  const grossEq = param(PARAM_GROSS_EQ) != 0;
  const netEq = netLo == netHi;
  const gScale = gradientScale();
  const tolDual = param(PARAM_TOL) * gScale;
  const tolFeas = PRIMAL_FEAS_TOL * Math.max(1, grossL);
  let netW: i32;
  let grossW: i32;
  let reassign = false;
  if (param(PARAM_GUESS) != 0) {
    memory.copy(stP, guess, <usize>n << 2);
    netW = netEq ? 2 : <i32>param(PARAM_GUESS_NET_W);
    grossW = grossEq || param(PARAM_GUESS_GROSS_W) != 0 ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) {
      if (ldi(nbp, i) == 1) sti(stP, i, 0);
      else sti(stP, i, 2 * segOf(i, ld(w, i)) + 1);
    }
    netW = netEq ? 2 : 0;
    grossW = grossEq ? 1 : 0;
    reassign = true;
  }
  bestFound = false;
  let it = 0;
  while (it < maxIt) {
    it++;
    let k = 0;
    let netX: f64 = 0;
    let grossX: f64 = 0;
    for (let i = 0; i < n; i++) {
      const s = ldi(stP, i);
      if (s & 1) {
        sti(F, k++, i);
        st(wX, i, 0);
      } else {
        const v = ld(bp, 4 * i + (s >> 1));
        st(wP, i, v);
        st(wX, i, v);
        netX += v;
        grossX += Math.abs(v);
      }
    }
    for (let r = 0; r < k; r++) {
      const i = ldi(F, r);
      const row = H + ((<usize>i * <usize>n) << 3);
      const ar = A + ((<usize>r * <usize>k) << 3);
      for (let c = 0; c < k; c++) st(ar, c, ld(row, ldi(F, c)));
      const seg = ldi(stP, i) >> 1;
      st(t, r, -(ld(q, i) + ld(slope, 3 * i + seg) + dotv(row, wX, n)));
      st(y1, r, 1);
      st(ys, r, ld(sgn, 3 * i + seg));
    }
    if (k > 0) {
      const status = cholesky(A, L, k, x);
      let bad = -1;
      if (status != 0) bad = 0;
      for (let r = 0; r < k && bad < 0; r++) {
        const lrr = ld(L, r * k + r);
        if (!(lrr * lrr > SINGULAR_PIVOT * ld(A, r * k + r))) bad = r;
      }
      if (status != 0 || bad >= 0) {
        pdasIterations = it;
        // The kernel reports the failing row through lastDetail; the relative test finds the same or an earlier one.
        return -1 - ldi(F, bad >= 0 ? bad : 0);
      }
    }
    cholSolve(k, t);
    if (netW != 0) cholSolve(k, y1);
    if (grossW != 0) cholSolve(k, ys);
    let s11: f64 = 0;
    let s12: f64 = 0;
    let s22: f64 = 0;
    let b1: f64 = 0;
    let b2: f64 = 0;
    for (let r = 0; r < k; r++) {
      const i = ldi(F, r);
      const sg = ld(sgn, 3 * i + (ldi(stP, i) >> 1));
      const a1 = ld(y1, r);
      s11 += a1;
      s12 += sg * a1;
      s22 += sg * ld(ys, r);
      b1 += ld(t, r);
      b2 += sg * ld(t, r);
    }
    b1 -= (netW == 1 || netW == 2 ? netHi : netLo) - netX;
    b2 -= grossL - grossX;
    let etaN: f64 = 0;
    let etaG: f64 = 0;
    if (netW != 0 && grossW != 0) {
      const det = s11 * s22 - s12 * s12;
      if (det > DEPENDENT_ROWS * s11 * s22) {
        etaN = (s22 * b1 - s12 * b2) / det;
        etaG = (s11 * b2 - s12 * b1) / det;
      } else if (grossEq && netW != 2) {
        netW = 0;
        if (s22 > 0) etaG = b2 / s22;
      } else {
        grossW = 0;
        if (s11 > 0) etaN = b1 / s11;
      }
    } else if (netW != 0) {
      if (s11 > 0) etaN = b1 / s11;
    } else if (grossW != 0) {
      if (s22 > 0) etaG = b2 / s22;
    }
    for (let r = 0; r < k; r++) st(wP, ldi(F, r), ld(t, r) - etaN * ld(y1, r) - etaG * ld(ys, r));
    // One step of iterative refinement (see the TS reference).
    {
      let rowN = (netW == 1 || netW == 2 ? netHi : netLo) - netX;
      let rowG = grossL - grossX;
      for (let r = 0; r < k; r++) {
        const i = ldi(F, r);
        const seg = ldi(stP, i) >> 1;
        const sg = ld(sgn, 3 * i + seg);
        const hw = dotv(H + ((<usize>i * <usize>n) << 3), wP, n);
        st(x, r, -(ld(q, i) + ld(slope, 3 * i + seg) + hw + (netW != 0 ? etaN : 0) + (grossW != 0 ? etaG * sg : 0)));
        const v = ld(wP, i);
        rowN -= v;
        rowG -= sg * v;
      }
      cholSolve(k, x);
      let a1: f64 = 0;
      let a2: f64 = 0;
      for (let r = 0; r < k; r++) {
        const i = ldi(F, r);
        const dr = ld(x, r);
        a1 += dr;
        a2 += ld(sgn, 3 * i + (ldi(stP, i) >> 1)) * dr;
      }
      a1 -= rowN;
      a2 -= rowG;
      let dN: f64 = 0;
      let dG: f64 = 0;
      if (netW != 0 && grossW != 0) {
        const det = s11 * s22 - s12 * s12;
        dN = (s22 * a1 - s12 * a2) / det;
        dG = (s11 * a2 - s12 * a1) / det;
      } else if (netW != 0) {
        if (s11 > 0) dN = a1 / s11;
      } else if (grossW != 0) {
        if (s22 > 0) dG = a2 / s22;
      }
      for (let r = 0; r < k; r++) {
        const i = ldi(F, r);
        st(wP, i, ld(wP, i) + ld(x, r) - dN * ld(y1, r) - dG * ld(ys, r));
      }
      etaN += dN;
      etaG += dG;
    }
    gradientAt(wP);
    let net: f64 = 0;
    let gross: f64 = 0;
    for (let i = 0; i < n; i++) {
      const v = ld(wP, i);
      net += v;
      gross += Math.abs(v);
    }

    let feasible = true;
    for (let r = 0; r < k && feasible; r++) {
      const i = ldi(F, r);
      const seg = ldi(stP, i) >> 1;
      const v = ld(wP, i);
      if (v < ld(bp, 4 * i + seg) - tolFeas || v > ld(bp, 4 * i + seg + 1) + tolFeas) feasible = false;
    }
    if (net < netLo - tolFeas || net > netHi + tolFeas || gross > grossL + tolFeas) feasible = false;
    if (grossEq && gross < grossL - tolFeas) feasible = false;
    if (feasible) {
      for (let i = 0; i < n; i++) {
        const s = ldi(stP, i);
        const seg = s >> 1;
        const v = ld(wP, i);
        st(bestW, i, s & 1 ? Math.min(Math.max(v, ld(bp, 4 * i + seg)), ld(bp, 4 * i + seg + 1)) : v);
      }
      memory.copy(bestSt, stP, <usize>n << 2);
      bestNetW = netW == 2 ? 0 : netW;
      bestGrossW = grossW;
      bestFound = true;
    }

    let changes = 0;
    for (let i = 0; i < n; i++) {
      const si = ldi(stP, i);
      const seg = si >> 1;
      const m = ldi(nbp, i);
      if (si & 1) {
        const lo = ld(bp, 4 * i + seg);
        const hi = ld(bp, 4 * i + seg + 1);
        const v = ld(wP, i);
        if (v >= lo - tolFeas && v <= hi + tolFeas) continue;
        changes++;
        if (reassign) {
          if (v <= ld(bp, 4 * i)) sti(stP, i, 0);
          else if (v >= ld(bp, 4 * i + m - 1)) sti(stP, i, 2 * (m - 1));
          else sti(stP, i, 2 * segOf(i, v) + 1);
        } else sti(stP, i, v < lo ? 2 * seg : 2 * seg + 2);
        continue;
      }
      const gi = ld(G, i) + (netW != 0 ? etaN : 0);
      if (seg + 1 < m && gi + ld(slope, 3 * i + seg) + (grossW != 0 ? etaG * ld(sgn, 3 * i + seg) : 0) < -tolDual) {
        sti(stP, i, si + 1);
        changes++;
      } else if (seg > 0 && -(gi + ld(slope, 3 * i + seg - 1) + (grossW != 0 ? etaG * ld(sgn, 3 * i + seg - 1) : 0)) < -tolDual) {
        sti(stP, i, si - 1);
        changes++;
      }
    }
    if (netW == 1 && etaN < -tolDual) {
      netW = 0;
      changes++;
    } else if (netW == -1 && etaN > tolDual) {
      netW = 0;
      changes++;
    } else if (netW == 0 && net > netHi + tolFeas) {
      netW = 1;
      changes++;
    } else if (netW == 0 && net < netLo - tolFeas) {
      netW = -1;
      changes++;
    }
    if (!grossEq) {
      if (grossW == 1 && etaG < -tolDual) {
        grossW = 0;
        changes++;
      } else if (grossW == 0 && gross > grossL + tolFeas) {
        grossW = 1;
        changes++;
      }
    }
    reassign = false;
    if (changes == 0 && !feasible) break;
    if (changes == 0) {
      memory.copy(w, bestW, <usize>n << 3);
      memory.copy(state, stP, <usize>n << 2);
      pdasIterations = it;
      setInfo(INFO_ETA_NET, netW != 0 ? etaN : 0);
      setInfo(INFO_ETA_GROSS, grossW != 0 ? etaG : 0);
      setInfo(INFO_NET_W, netW == 2 ? 0 : <f64>netW);
      setInfo(INFO_GROSS_W, <f64>grossW);
      setInfo(INFO_KKT, kktResidual(w, state, netW, grossW, etaN, etaG, gScale));
      return 1;
    }
  }
  pdasIterations = it;
  return 0;
}
