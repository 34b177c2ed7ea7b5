/**
 * The layouts and constants shared by the optimizer's QP kernel (assembly/portfolio/ctx.ts mirrors
 * every index here) and its plain-TS port (engine/portfolio/qp/): the params and info buffers,
 * the outcomes, the tolerances, the arrays and work space, and the KKT residual.
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

/** Working sets the primal-dual phase remembers to notice that it cycles. */
export const PDAS_HISTORY = 8;
/** Relative size of a pivot (to its diagonal) below which a free block of H counts as singular. */
export const SINGULAR_PIVOT = 1e-13;
/** The net and gross rows count as one when det(S) ≤ this × S₁₁·S₂₂ (every free weight on one side). */
export const DEPENDENT_ROWS = 1e-12;
/** A step shorter than this (× max(1, L)) is no progress; a point this far off its working set's minimiser is re-stepped. */
export const PRIMAL_STEP_TOL = 1e-14;
/** How far (× max(1, L)) a weight may sit past its segment, or a row past its limit, and still count as feasible. */
export const PRIMAL_FEAS_TOL = 1e-12;

/**
 * Scale of the gradient Hw + q + slope over the feasible set (max diag H × L + max|q| + max|slope|):
 * the dual tolerances are relative to it, so they do not depend on the data's units.
 */
export function gradientScale(a: Qp): number {
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
  /** The TS solver points this at its H (the caller leaves it empty; the wasm kernel has its own). */
  H: Float64Array;
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
export type Qp = QpArrays;

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
  /** n flags: variable i is in the primal-dual phase's factor. */
  mark: Int32Array;
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
    mark: new Int32Array(m),
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
