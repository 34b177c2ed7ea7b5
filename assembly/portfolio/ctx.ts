// The solve in progress: the problem's buffers and the working set, shared by the two phases
// (pdas.ts, primal.ts). One solve at a time per instance (the module is single-threaded).
// Layouts of `params` and `info` mirror engine/portfolio/qp/layout.ts, shared by the plain-TS port of
// this kernel (engine/portfolio/active-set.ts): the reference for every index below.
import { dot } from '../linalg/dot';

export const PARAM_NET_LO = 0;
export const PARAM_NET_HI = 1;
export const PARAM_GROSS = 2;
export const PARAM_GROSS_EQ = 3;
export const PARAM_NET_W = 4;
export const PARAM_GROSS_W = 5;
export const PARAM_MAX_ITER = 6;
export const PARAM_GUESS = 7;
export const PARAM_TOL = 8;
export const PARAM_GUESS_NET_W = 9;
export const PARAM_GUESS_GROSS_W = 10;
export const PARAM_PDAS_MAX = 11;
export const PARAM_SCALE = 12;

export const INFO_OUTCOME = 0;
export const INFO_ITERATIONS = 1;
export const INFO_ETA_NET = 2;
export const INFO_ETA_GROSS = 3;
export const INFO_KKT = 4;
export const INFO_NET_W = 5;
export const INFO_GROSS_W = 6;
export const INFO_DETAIL = 7;
export const INFO_PDAS_ITERATIONS = 8;
export const INFO_PDAS_SOLVED = 9;
export const INFO_QUAD = 10;
export const INFO_COUNT = 11;

export const QP_OPTIMAL: f64 = 0;
export const QP_MAX_ITER: f64 = 1;
export const QP_SINGULAR: f64 = 4;

/** Relative pivot below which H on the free set counts as singular. */
export const SINGULAR_PIVOT: f64 = 1e-13;
/** Rows net and gross count as one when det(S) ≤ this × S₁₁·S₂₂. */
export const DEPENDENT_ROWS: f64 = 1e-12;
export const PRIMAL_STEP_TOL: f64 = 1e-14;
export const PRIMAL_FEAS_TOL: f64 = 1e-12;

export let n: i32 = 0;
/** The covariance as given; H = 2·cov/s is formed in the work space. */
export let cov: usize = 0;
export let H: usize = 0;
export let q: usize = 0;
export let bp: usize = 0;
export let nbp: usize = 0;
export let slope: usize = 0;
export let sgn: usize = 0;
export let state: usize = 0;
export let w: usize = 0;
export let guess: usize = 0;
export let params: usize = 0;
export let info: usize = 0;
// Work buffers (see qpWorkBytes in qp.ts).
export let L: usize = 0;
export let A: usize = 0;
export let wP: usize = 0;
export let bestW: usize = 0;
export let y1: usize = 0;
export let ys: usize = 0;
export let zeta: usize = 0;
export let v1: usize = 0;
export let vs: usize = 0;
export let p: usize = 0;
export let G: usize = 0;
export let x: usize = 0;
export let t: usize = 0;
export let wX: usize = 0;
export let F: usize = 0;
/** n×n row-major scratch for a fresh factorisation (the blocked kernel writes out of place). */
export let R: usize = 0;
/** n i32 flags: the variable is in the primal-dual phase's factor. */
export let mark: usize = 0;
export let stP: usize = 0;
/** 8 i32: hashes of the primal-dual phase's last working sets. */
export let hist: usize = 0;
export let bestSt: usize = 0;

export function setProblem(n_: i32, cov_: usize, q_: usize, bp_: usize, nbp_: usize, slope_: usize, sgn_: usize, state_: usize, w_: usize, guess_: usize, params_: usize, info_: usize): void {
  n = n_;
  cov = cov_;
  q = q_;
  bp = bp_;
  nbp = nbp_;
  slope = slope_;
  sgn = sgn_;
  state = state_;
  w = w_;
  guess = guess_;
  params = params_;
  info = info_;
}

/** Lay the work buffers out from `base` for n variables; returns the bytes used. */
export function layWork(base: usize, n_: i32): usize {
  const m: usize = n_ > 0 ? <usize>n_ : 1;
  const vec = (m * 8 + 15) & ~<usize>15;
  const ivec = (m * 4 + 15) & ~<usize>15;
  let at = (base + 15) & ~<usize>15;
  H = at;
  at += m * m * 8;
  L = at;
  at += m * m * 8;
  A = at;
  at += m * m * 8;
  R = at;
  at += m * m * 8;
  wP = at;
  at += vec;
  bestW = at;
  at += vec;
  y1 = at;
  at += vec;
  ys = at;
  at += vec;
  zeta = at;
  at += vec;
  v1 = at;
  at += vec;
  vs = at;
  at += vec;
  p = at;
  at += vec;
  G = at;
  at += vec;
  x = at;
  at += vec;
  t = at;
  at += vec;
  wX = at;
  at += vec;
  F = at;
  at += ivec;
  mark = at;
  at += ivec;
  stP = at;
  at += ivec;
  bestSt = at;
  at += ivec;
  hist = at;
  at += 32;
  return at - base + 16;
}

@inline export function ld(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline export function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
@inline export function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline export function sti(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}
@inline export function param(i: i32): f64 {
  return ld(params, i);
}
@inline export function getInfo(i: i32): f64 {
  return ld(info, i);
}
@inline export function setInfo(i: i32, v: f64): void {
  st(info, i, v);
}

// Dot products are linalg's (SIMD, two accumulators): one implementation for every kernel.

/** y[k] −= s·x[k] for k < len. */
@inline export function axpyNeg(y: usize, xv: usize, s: f64, len: i32): void {
  const sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const off = <usize>k << 3;
    v128.store(y + off, f64x2.sub(v128.load(y + off), f64x2.mul(sv, v128.load(xv + off))));
  }
  for (; k < len; k++) {
    const off = <usize>k << 3;
    store<f64>(y + off, load<f64>(y + off) - s * load<f64>(xv + off));
  }
}

/** Scale of the gradient over the feasible set: the dual tolerances are relative to it. */
export function gradientScale(): f64 {
  let hMax: f64 = 0;
  for (let i = 0; i < n; i++) hMax = Math.max(hMax, load<f64>(H + ((<usize>i * <usize>n + <usize>i) << 3)));
  let qMax: f64 = 0;
  for (let i = 0; i < n; i++) qMax = Math.max(qMax, Math.abs(ld(q, i)));
  let sMax: f64 = 0;
  for (let i = 0; i < 3 * n; i++) sMax = Math.max(sMax, Math.abs(ld(slope, i)));
  return hMax * Math.max(param(PARAM_GROSS), 1e-3) + qMax + sMax + 1e-300;
}

/** G = H·w + q for the weights at `wv`. */
export function gradientAt(wv: usize): void {
  for (let i = 0; i < n; i++) st(G, i, ld(q, i) + dot(H + ((<usize>i * <usize>n) << 3), wv, n));
}

/**
 * The KKT residual at `state`/`wv` with multipliers η and a fresh G: the largest primal violation
 * (weight units) and dual violation / gScale.
 */
export function kktResidual(wv: usize, stv: usize, netW: i32, grossW: i32, etaN: f64, etaG: f64, gScale: f64): f64 {
  const netLo = param(PARAM_NET_LO);
  const netHi = param(PARAM_NET_HI);
  const grossL = param(PARAM_GROSS);
  const grossEq = param(PARAM_GROSS_EQ) != 0;
  let primal: f64 = 0;
  let dual: f64 = 0;
  let net: f64 = 0;
  let gross: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = ld(wv, i);
    net += v;
    gross += Math.abs(v);
    const m = ldi(nbp, i);
    primal = Math.max(primal, Math.max(ld(bp, 4 * i) - v, v - ld(bp, 4 * i + m - 1)));
    const s = ldi(stv, i);
    const k = s >> 1;
    const gi = ld(G, i) + (netW != 0 ? etaN : 0);
    if (s & 1) {
      dual = Math.max(dual, Math.abs(gi + ld(slope, 3 * i + k) + (grossW != 0 ? etaG * ld(sgn, 3 * i + k) : 0)));
    } else {
      if (k + 1 < m) dual = Math.max(dual, -(gi + ld(slope, 3 * i + k) + (grossW != 0 ? etaG * ld(sgn, 3 * i + k) : 0)));
      if (k > 0) dual = Math.max(dual, gi + ld(slope, 3 * i + k - 1) + (grossW != 0 ? etaG * ld(sgn, 3 * i + k - 1) : 0));
    }
  }
  primal = Math.max(primal, Math.max(netLo - net, Math.max(net - netHi, gross - grossL)));
  if (grossEq) primal = Math.max(primal, grossL - gross);
  if (netW == 1 || netW == 2) primal = Math.max(primal, Math.abs(net - netHi));
  if (netW == -1) primal = Math.max(primal, Math.abs(net - netLo));
  if (grossW != 0) primal = Math.max(primal, Math.abs(gross - grossL));
  if (netW == 1) dual = Math.max(dual, -etaN);
  if (netW == -1) dual = Math.max(dual, etaN);
  if (grossW != 0 && !grossEq) dual = Math.max(dual, -etaG);
  return Math.max(primal, dual / gScale);
}

/** (a, b) ← (cs·a + sn·b, cs·b − sn·a) elementwise over len entries: one Givens rotation of two columns. */
@inline export function rotate(a: usize, b: usize, cs: f64, sn: f64, len: i32): void {
  const csv = f64x2.splat(cs);
  const snv = f64x2.splat(sn);
  let e = 0;
  for (; e + 2 <= len; e += 2) {
    const off = <usize>e << 3;
    const av = v128.load(a + off);
    const bv = v128.load(b + off);
    v128.store(a + off, f64x2.add(f64x2.mul(csv, av), f64x2.mul(snv, bv)));
    v128.store(b + off, f64x2.sub(f64x2.mul(csv, bv), f64x2.mul(snv, av)));
  }
  for (; e < len; e++) {
    const off = <usize>e << 3;
    const av = load<f64>(a + off);
    const bv = load<f64>(b + off);
    store<f64>(a + off, cs * av + sn * bv);
    store<f64>(b + off, cs * bv - sn * av);
  }
}
