// The primal-dual active-set phase (a semismooth Newton method) of the optimizer: solve the
// working set's equality-constrained QP exactly, then move every violated variable into the
// working set and release every wrong-signed one, and repeat. Port of `pdasPhase` in
// engine/portfolio/active-set.ts (the reference; comments there).
import { dot } from '../linalg/dot';
import { cholesky } from '../linalg/cholesky';
import {
  n, H, q, bp, nbp, slope, sgn, w, guess, state, L, A, R, mark, hist, wP, stP, bestW, bestSt, G, t, y1, ys, x, wX, F,
  ld, st, ldi, sti, param, setInfo, axpyNeg, rotate, gradientScale, gradientAt, kktResidual,
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
/** Working sets remembered to notice cycling (their hashes live in the work space: no heap here). */
const PDAS_HISTORY = 8;

@inline function col(c: i32): usize {
  return L + ((<usize>c * <usize>n) << 3);
}

/** Solve L·Lᵀ·v = v in place, L column-major with stride n on its first k columns. */
function factorSolve(k: i32, v: usize): void {
  for (let c = 0; c < k; c++) {
    const lc = col(c);
    const vc = ld(v, c) / ld(lc, c);
    st(v, c, vc);
    axpyNeg(v + (<usize>(c + 1) << 3), lc + (<usize>(c + 1) << 3), vc, k - c - 1);
  }
  for (let i = k - 1; i >= 0; i--) {
    const lc = col(i);
    st(v, i, (ld(v, i) - dot(lc + (<usize>(i + 1) << 3), v + (<usize>(i + 1) << 3), k - i - 1)) / ld(lc, i));
  }
}

/** Append variable j as position k of the factor; false when singular. */
function factorAppend(k: i32, j: i32): bool {
  for (let c = 0; c < k; c++) st(x, c, load<f64>(H + ((<usize>ldi(F, c) * <usize>n + <usize>j) << 3)));
  const hjj = load<f64>(H + ((<usize>j * <usize>n + <usize>j) << 3));
  let d2 = hjj;
  for (let c = 0; c < k; c++) {
    const lc = col(c);
    const xc = ld(x, c) / ld(lc, c);
    st(x, c, xc);
    axpyNeg(x + (<usize>(c + 1) << 3), lc + (<usize>(c + 1) << 3), xc, k - c - 1);
    d2 -= xc * xc;
  }
  if (!(d2 > SINGULAR_PIVOT * hjj)) return false;
  for (let c = 0; c < k; c++) st(col(c), k, ld(x, c));
  st(col(k), k, Math.sqrt(d2));
  sti(F, k, j);
  return true;
}

/** Remove position r from the factor of k variables (rotations). */
function factorRemove(k: i32, r: i32): void {
  const m = k - 1 - r;
  memory.copy(x, col(r) + (<usize>(r + 1) << 3), <usize>m << 3);
  for (let c = 0; c < r; c++) {
    const lc = col(c);
    memory.copy(lc + (<usize>r << 3), lc + (<usize>(r + 1) << 3), <usize>(k - 1 - r) << 3);
  }
  for (let c = r + 1; c < k; c++) memory.copy(col(c - 1) + (<usize>(c - 1) << 3), col(c) + (<usize>c << 3), <usize>(k - c) << 3);
  memory.copy(F + (<usize>r << 2), F + (<usize>(r + 1) << 2), <usize>(k - 1 - r) << 2);
  for (let c = 0; c < m; c++) {
    const pc = r + c;
    const lc = col(pc);
    const lcc = ld(lc, pc);
    const xc = ld(x, c);
    const rr = Math.hypot(lcc, xc);
    st(lc, pc, rr);
    rotate(lc + (<usize>(pc + 1) << 3), x + (<usize>(c + 1) << 3), lcc / rr, xc / rr, m - c - 1);
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
  let stored = 0;
  let nF = 0;
  for (let i = 0; i < n; i++) sti(mark, i, 0);
  let it = 0;
  while (it < maxIt) {
    it++;
    let k = 0;
    let netX: f64 = 0;
    let grossX: f64 = 0;
    for (let i = 0; i < n; i++) {
      const s = ldi(stP, i);
      if (s & 1) {
        k++;
        st(wX, i, 0);
      } else {
        const v = ld(bp, 4 * i + (s >> 1));
        st(wP, i, v);
        st(wX, i, v);
        netX += v;
        grossX += Math.abs(v);
      }
    }
    let leaving = 0;
    for (let c = 0; c < nF; c++) if (!(ldi(stP, ldi(F, c)) & 1)) leaving++;
    const moves = leaving + k - (nF - leaving);
    if (it == 1 || <f64>moves * <f64>nF * <f64>nF > <f64>k * <f64>k * <f64>k) {
      nF = 0;
      for (let i = 0; i < n; i++) {
        const free = ldi(stP, i) & 1;
        sti(mark, i, free);
        if (free) sti(F, nF++, i);
      }
      for (let r = 0; r < k; r++) {
        const row = H + ((<usize>ldi(F, r) * <usize>n) << 3);
        const ar = A + ((<usize>r * <usize>k) << 3);
        for (let c = 0; c < k; c++) st(ar, c, ld(row, ldi(F, c)));
      }
      if (k > 0) {
        const status = cholesky(A, R, k, x);
        let bad = status != 0 ? 0 : -1;
        for (let r = 0; r < k && bad < 0; r++) {
          const lrr = ld(R, r * k + r);
          if (!(lrr * lrr > SINGULAR_PIVOT * ld(A, r * k + r))) bad = r;
        }
        if (bad >= 0) {
          pdasIterations = it;
          return -1 - ldi(F, bad);
        }
        for (let c = 0; c < k; c++) {
          const lc = col(c);
          for (let r = c; r < k; r++) st(lc, r, ld(R, r * k + c));
        }
      }
    } else if (moves > 0) {
      for (let c = nF - 1; c >= 0; c--) {
        const i = ldi(F, c);
        if (ldi(stP, i) & 1) continue;
        sti(mark, i, 0);
        factorRemove(nF, c);
        nF--;
      }
      for (let i = 0; i < n; i++) {
        if (!(ldi(stP, i) & 1) || ldi(mark, i) != 0) continue;
        if (!factorAppend(nF, i)) {
          pdasIterations = it;
          return -1 - i;
        }
        sti(mark, i, 1);
        nF++;
      }
    }
    for (let r = 0; r < k; r++) {
      const i = ldi(F, r);
      const row = H + ((<usize>i * <usize>n) << 3);
      const seg = ldi(stP, i) >> 1;
      st(t, r, -(ld(q, i) + ld(slope, 3 * i + seg) + dot(row, wX, n)));
      st(y1, r, 1);
      st(ys, r, ld(sgn, 3 * i + seg));
    }
    factorSolve(k, t);
    if (netW != 0) factorSolve(k, y1);
    if (grossW != 0) factorSolve(k, ys);
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
        const hw = dot(H + ((<usize>i * <usize>n) << 3), wP, n);
        st(x, r, -(ld(q, i) + ld(slope, 3 * i + seg) + hw + (netW != 0 ? etaN : 0) + (grossW != 0 ? etaG * sg : 0)));
        const v = ld(wP, i);
        rowN -= v;
        rowG -= sg * v;
      }
      factorSolve(k, x);
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
    if (changes > 0) {
      // A working set met before: the method cycles; hand over to the primal phase at once.
      let h: i32 = <i32>2166136261 ^ (netW + 3) ^ ((grossW + 1) << 4);
      for (let i = 0; i < n; i++) h = (h ^ ldi(stP, i)) * 16777619;
      let seen = false;
      for (let j = 0; j < PDAS_HISTORY && j < stored; j++) if (ldi(hist, j) == h) seen = true;
      if (seen) break;
      sti(hist, stored % PDAS_HISTORY, h);
      stored++;
    }
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
