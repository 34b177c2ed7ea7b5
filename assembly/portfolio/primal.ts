// The primal active-set phase of the optimizer: feasible steps that lower the objective, one
// working-set change each, with a Cholesky factor of H on the free set updated (not rebuilt) as
// variables enter and leave. Port of `primalActiveSet` in engine/portfolio/active-set.ts (the
// reference; comments there). L is column-major with stride n here: every inner loop — the
// forward solve of an append, the rotations of a removal, the back substitution — then runs
// down contiguous columns.
import { dot } from '../linalg/dot';
import {
  n, H, q, bp, nbp, slope, sgn, state, w, L, F, zeta, v1, vs, p, G, x, t,
  ld, st, ldi, sti, param, setInfo, axpyNeg, rotate, gradientScale, gradientAt, kktResidual,
  PARAM_NET_LO, PARAM_NET_HI, PARAM_GROSS, PARAM_GROSS_EQ, PARAM_NET_W, PARAM_GROSS_W, PARAM_MAX_ITER, PARAM_TOL,
  INFO_OUTCOME, INFO_ITERATIONS, INFO_ETA_NET, INFO_ETA_GROSS, INFO_NET_W, INFO_GROSS_W, INFO_KKT, INFO_DETAIL,
  QP_OPTIMAL, QP_MAX_ITER, QP_SINGULAR, SINGULAR_PIVOT, DEPENDENT_ROWS, PRIMAL_STEP_TOL,
} from './ctx';

let nF: i32 = 0;
let netW: i32 = 0;
let grossW: i32 = 0;
let etaN: f64 = 0;
let etaG: f64 = 0;
let netLo: f64 = 0;
let netHi: f64 = 0;
let grossL: f64 = 0;
let grossEq: bool = false;

@inline function col(c: i32): usize {
  return L + ((<usize>c * <usize>n) << 3);
}
@inline function segSlope(i: i32): f64 {
  return ld(slope, 3 * i + (ldi(state, i) >> 1));
}
@inline function segSign(i: i32): f64 {
  return ld(sgn, 3 * i + (ldi(state, i) >> 1));
}

/** Append free variable j; false when H on the enlarged free set is singular. */
function append(j: i32): bool {
  const k = nF;
  for (let c = 0; c < k; c++) st(x, c, load<f64>(H + ((<usize>ldi(F, c) * <usize>n + <usize>j) << 3)));
  const hjj = load<f64>(H + ((<usize>j * <usize>n + <usize>j) << 3));
  let d2 = hjj;
  let zs = ld(G, j) + segSlope(j);
  let os: f64 = 1;
  let ss = segSign(j);
  for (let c = 0; c < k; c++) {
    const lc = col(c);
    const xc = ld(x, c) / ld(lc, c);
    st(x, c, xc);
    axpyNeg(x + (<usize>(c + 1) << 3), lc + (<usize>(c + 1) << 3), xc, k - c - 1);
    d2 -= xc * xc;
    zs -= xc * ld(zeta, c);
    os -= xc * ld(v1, c);
    ss -= xc * ld(vs, c);
  }
  if (!(d2 > SINGULAR_PIVOT * hjj)) return false;
  const d = Math.sqrt(d2);
  for (let c = 0; c < k; c++) st(col(c), k, ld(x, c));
  st(col(k), k, d);
  st(zeta, k, zs / d);
  st(v1, k, os / d);
  st(vs, k, ss / d);
  sti(F, k, j);
  nF = k + 1;
  return true;
}

/** Remove the free variable at position r (delete row and column r, rank-one update of the rest). */
function remove(r: i32): void {
  const k = nF;
  const m = k - 1 - r;
  memory.copy(x, col(r) + (<usize>(r + 1) << 3), <usize>m << 3);
  let oz = ld(zeta, r);
  let o1 = ld(v1, r);
  let os = ld(vs, r);
  for (let c = 0; c < r; c++) {
    const lc = col(c);
    memory.copy(lc + (<usize>r << 3), lc + (<usize>(r + 1) << 3), <usize>(k - 1 - r) << 3);
  }
  for (let c = r + 1; c < k; c++) {
    memory.copy(col(c - 1) + (<usize>(c - 1) << 3), col(c) + (<usize>c << 3), <usize>(k - c) << 3);
  }
  const tail = <usize>(k - 1 - r);
  memory.copy(F + (<usize>r << 2), F + (<usize>(r + 1) << 2), tail << 2);
  memory.copy(zeta + (<usize>r << 3), zeta + (<usize>(r + 1) << 3), tail << 3);
  memory.copy(v1 + (<usize>r << 3), v1 + (<usize>(r + 1) << 3), tail << 3);
  memory.copy(vs + (<usize>r << 3), vs + (<usize>(r + 1) << 3), tail << 3);
  for (let c = 0; c < m; c++) {
    const pc = r + c;
    const lc = col(pc);
    const lcc = ld(lc, pc);
    const xc = ld(x, c);
    const rr = Math.hypot(lcc, xc);
    const cs = lcc / rr;
    const sn = xc / rr;
    st(lc, pc, rr);
    rotate(lc + (<usize>(pc + 1) << 3), x + (<usize>(c + 1) << 3), cs, sn, m - c - 1);
    const z0 = ld(zeta, pc);
    st(zeta, pc, cs * z0 + sn * oz);
    oz = cs * oz - sn * z0;
    const a0 = ld(v1, pc);
    st(v1, pc, cs * a0 + sn * o1);
    o1 = cs * o1 - sn * a0;
    const b0 = ld(vs, pc);
    st(vs, pc, cs * b0 + sn * os);
    os = cs * os - sn * b0;
  }
  nF = k - 1;
}

function refreshZeta(): void {
  for (let c = 0; c < nF; c++) {
    const i = ldi(F, c);
    st(zeta, c, ld(G, i) + segSlope(i));
  }
  for (let c = 0; c < nF; c++) {
    const lc = col(c);
    const zc = ld(zeta, c) / ld(lc, c);
    st(zeta, c, zc);
    axpyNeg(zeta + (<usize>(c + 1) << 3), lc + (<usize>(c + 1) << 3), zc, nF - c - 1);
  }
}

function solveStep(): f64 {
  let net: f64 = 0;
  let gross: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = ld(w, i);
    net += v;
    gross += Math.abs(v);
  }
  const inN = netW != 0;
  const inG = grossW != 0;
  let s11: f64 = 0;
  let s12: f64 = 0;
  let s22: f64 = 0;
  let b1: f64 = 0;
  let b2: f64 = 0;
  for (let c = 0; c < nF; c++) {
    const a1 = ld(v1, c);
    const as = ld(vs, c);
    const z = ld(zeta, c);
    s11 += a1 * a1;
    s12 += a1 * as;
    s22 += as * as;
    b1 += a1 * z;
    b2 += as * z;
  }
  const rN = (netW == 1 || netW == 2 ? netHi : netLo) - net;
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
    } else if (grossEq && netW != 2) {
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
  for (let c = 0; c < nF; c++) st(t, c, ld(zeta, c) + etaN * ld(v1, c) + etaG * ld(vs, c));
  let pMax: f64 = 0;
  for (let i = nF - 1; i >= 0; i--) {
    const lc = col(i);
    const s = -ld(t, i) - dot(lc + (<usize>(i + 1) << 3), p + (<usize>(i + 1) << 3), nF - i - 1);
    const pi = s / ld(lc, i);
    st(p, i, pi);
    pMax = Math.max(pMax, Math.abs(pi));
  }
  return pMax;
}

function takeStep(alpha: f64): void {
  for (let c = 0; c < nF; c++) {
    const i = ldi(F, c);
    st(w, i, ld(w, i) + alpha * ld(p, c));
    st(zeta, c, (1 - alpha) * ld(zeta, c) - alpha * (etaN * ld(v1, c) + etaG * ld(vs, c)));
  }
}

/** Direction (±1) a fixed variable's release lowers the objective in, or 0; `lastD` gets the rate. */
let lastD: f64 = 0;
function releaseDirection(i: i32, tolDual: f64): i32 {
  const s = ldi(state, i);
  const k = s >> 1;
  const gi = ld(G, i) + (netW != 0 ? etaN : 0);
  let dir = 0;
  let D = -tolDual;
  if (k + 1 < ldi(nbp, i)) {
    const up = gi + ld(slope, 3 * i + k) + (grossW != 0 ? etaG * ld(sgn, 3 * i + k) : 0);
    if (up < D) {
      D = up;
      dir = 1;
    }
  }
  if (k > 0) {
    const down = -(gi + ld(slope, 3 * i + k - 1) + (grossW != 0 ? etaG * ld(sgn, 3 * i + k - 1) : 0));
    if (down < D) {
      D = down;
      dir = -1;
    }
  }
  lastD = D;
  return dir;
}

/** The primal active-set method from the feasible `w`/`state` and the rows in params. */
export function primalActiveSet(): void {
  netLo = param(PARAM_NET_LO);
  netHi = param(PARAM_NET_HI);
  grossL = param(PARAM_GROSS);
  grossEq = param(PARAM_GROSS_EQ) != 0;
  const netEq = netLo == netHi;
  netW = netEq ? 2 : <i32>param(PARAM_NET_W);
  grossW = grossEq || param(PARAM_GROSS_W) != 0 ? 1 : 0;
  const maxIter = <i32>param(PARAM_MAX_ITER);
  const gScale = gradientScale();
  const tolDual = param(PARAM_TOL) * gScale;
  const tolPrimal = PRIMAL_STEP_TOL * Math.max(1, grossL);
  nF = 0;
  etaN = 0;
  etaG = 0;

  gradientAt(w);
  for (let i = 0; i < n; i++) {
    if (ldi(state, i) & 1) {
      if (!append(i)) {
        setInfo(INFO_OUTCOME, QP_SINGULAR);
        setInfo(INFO_DETAIL, <f64>i);
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
    let alpha: f64 = 1;
    let blocker = -1;
    let blockAt = 0;
    let pNet: f64 = 0;
    let pGross: f64 = 0;
    let pAbs: f64 = 0;
    for (let c = 0; c < nF; c++) {
      const i = ldi(F, c);
      const pc = ld(p, c);
      pNet += pc;
      pGross += segSign(i) * pc;
      pAbs += Math.abs(pc);
      if (pc == 0) continue;
      const k = ldi(state, i) >> 1;
      const edge = pc > 0 ? k + 1 : k;
      const s = (ld(bp, 4 * i + edge) - ld(w, i)) / pc;
      if (s < alpha) {
        alpha = s > 0 ? s : 0;
        blocker = c;
        blockAt = edge;
      }
    }
    const tiny = 1e-14 * pAbs;
    if (netW == 0 && Math.abs(pNet) > tiny) {
      let net: f64 = 0;
      for (let i = 0; i < n; i++) net += ld(w, i);
      const s = pNet > 0 ? (netHi - net) / pNet : (netLo - net) / pNet;
      if (s < alpha) {
        alpha = s > 0 ? s : 0;
        blocker = -2;
        blockAt = pNet > 0 ? 1 : -1;
      }
    }
    if (grossW == 0 && pGross > tiny) {
      let gross: f64 = 0;
      for (let i = 0; i < n; i++) gross += Math.abs(ld(w, i));
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
      const i = ldi(F, blocker);
      st(w, i, ld(bp, 4 * i + blockAt));
      sti(state, i, 2 * blockAt);
      remove(blocker);
      refreshed = false;
      continue;
    }
    if (blocker == -2) {
      netW = blockAt;
      refreshed = false;
      continue;
    }
    if (blocker == -3) {
      grossW = 1;
      refreshed = false;
      continue;
    }

    gradientAt(w);
    refreshZeta();
    const drift = solveStep();
    if (drift > tolPrimal * 1e3 && !refreshed) {
      refreshed = true;
      continue;
    }
    refreshed = false;

    let worst = -tolDual;
    let worstKind = 0;
    if (netW == 1 && etaN < worst) {
      worst = etaN;
      worstKind = 1;
    }
    if (netW == -1 && -etaN < worst) {
      worst = -etaN;
      worstKind = 1;
    }
    if (grossW == 1 && !grossEq && etaG < worst) {
      worst = etaG;
      worstKind = 2;
    }
    let releases = 0;
    let bestVar = -1;
    let bestDir = 0;
    let bestD = -tolDual;
    for (let i = 0; i < n; i++) {
      if (ldi(state, i) & 1) continue;
      const dir = releaseDirection(i, tolDual);
      if (dir == 0) continue;
      releases++;
      if (lastD < bestD || (lastD == bestD && bestVar < 0)) {
        bestD = lastD;
        bestVar = i;
        bestDir = dir;
      }
    }
    if (releases > 0 && bestD < worst) {
      worst = bestD;
      worstKind = 3;
    }
    if (worstKind == 0) {
      outcome = QP_OPTIMAL;
      break;
    }
    if (worstKind == 1) {
      netW = 0;
      continue;
    }
    if (worstKind == 2) {
      grossW = 0;
      continue;
    }
    if (!progress) single = true;
    progress = false;
    let failed = -1;
    if (single || releases == 1) {
      sti(state, bestVar, ldi(state, bestVar) + (bestDir > 0 ? 1 : -1));
      if (!append(bestVar)) failed = bestVar;
    } else {
      for (let i = 0; i < n && failed < 0; i++) {
        const s = ldi(state, i);
        if (s & 1) continue;
        const dir = releaseDirection(i, tolDual);
        if (dir == 0) continue;
        sti(state, i, s + dir);
        if (!append(i)) failed = i;
      }
    }
    if (failed >= 0) {
      setInfo(INFO_OUTCOME, QP_SINGULAR);
      setInfo(INFO_DETAIL, <f64>failed);
      setInfo(INFO_ITERATIONS, <f64>iter);
      return;
    }
  }

  setInfo(INFO_OUTCOME, outcome);
  setInfo(INFO_ITERATIONS, <f64>iter);
  setInfo(INFO_ETA_NET, netW != 0 ? etaN : 0);
  setInfo(INFO_ETA_GROSS, grossW != 0 ? etaG : 0);
  setInfo(INFO_NET_W, netW == 2 ? 0 : <f64>netW);
  setInfo(INFO_GROSS_W, <f64>grossW);
  if (outcome == QP_OPTIMAL) setInfo(INFO_KKT, kktResidual(w, state, netW, grossW, etaN, etaG, gScale));
}
