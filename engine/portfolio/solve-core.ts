/**
 * Everything of a solve but the active-set iterations themselves: feasibility first, the start
 * point (cold, or the previous solution's working set), the run, a singular covariance repaired and
 * named, and the answer read back — status, weights, binding constraints, warm-start state. The
 * wasm solver (solve.ts) and the plain-TS baseline (baseline.ts) differ only in the runner.
 */
import { AstraError, Messages } from '../errors.ts';
import {
  INFO_COUNT,
  INFO_DETAIL,
  INFO_GROSS_W,
  INFO_ITERATIONS,
  INFO_KKT,
  INFO_NET_W,
  INFO_OUTCOME,
  PARAM_COUNT,
  PARAM_GROSS,
  PARAM_GROSS_EQ,
  PARAM_GROSS_W,
  PARAM_MAX_ITER,
  PARAM_NET_HI,
  PARAM_NET_LO,
  PARAM_NET_W,
  PARAM_TOL,
  PARAM_GUESS,
  PARAM_GUESS_GROSS_W,
  PARAM_GUESS_NET_W,
  PARAM_PDAS_MAX,
  PARAM_SCALE,
  INFO_QUAD,
  QP_INACCURATE,
  QP_MAX_ITER,
  QP_OPTIMAL,
  QP_SINGULAR,
  type QpArrays,
} from './active-set.ts';
import { conflictOf, startPoint } from './feasibility.ts';
import { BINDING_TOLERANCE, buildSetup, DUAL_TOLERANCE, PDAS_MAX_ITER, KKT_TOLERANCE, linearCosts, type QpSetup } from './problem.ts';
import type { PortfolioProblem, PortfolioResult, SolveStatus, WarmStart } from './types.ts';

/** Runs the active-set method on `a` in place (the wasm kernel or the TS port). */
export type QpRunner = (a: QpArrays) => void;

/** A positive-definite stand-in for a singular covariance, and the eigenvalue floor it used. */
export type CovarianceRepair = (cov: Float64Array, n: number) => { matrix: Float64Array; floor: number };

/** Warm-start codes per asset (see {@link WarmStart.state}). */
const WARM_FREE = 0;
const WARM_LOWER = 1;
const WARM_UPPER = 2;
const WARM_ZERO = 3;
const WARM_CURRENT = 4;

/** The solver state of weights `w`: fixed where wᵢ is a breakpoint, else free on its segment. */
function statesOf(s: QpSetup, w: Float64Array, state: Int32Array): void {
  for (let i = 0; i < s.n; i++) {
    const m = s.nbp[i];
    const base = 4 * i;
    let st = -1;
    for (let k = 0; k < m; k++) {
      if (w[i] === s.bp[base + k]) st = 2 * k;
    }
    if (st < 0) {
      if (w[i] < s.bp[base]) {
        w[i] = s.bp[base];
        st = 0;
      } else if (w[i] > s.bp[base + m - 1]) {
        w[i] = s.bp[base + m - 1];
        st = 2 * (m - 1);
      } else {
        let k = 0;
        while (k + 2 < m && w[i] > s.bp[base + k + 1]) k++;
        st = 2 * k + 1;
      }
    }
    state[i] = st;
  }
}

const EMPTY = new Float64Array(0);

function newArrays(s: QpSetup): QpArrays {
  const params = new Float64Array(PARAM_COUNT);
  params[PARAM_NET_LO] = s.netLo;
  params[PARAM_NET_HI] = s.netHi;
  params[PARAM_GROSS] = s.gross;
  params[PARAM_GROSS_EQ] = s.grossEq ? 1 : 0;
  params[PARAM_MAX_ITER] = s.maxIter;
  params[PARAM_TOL] = DUAL_TOLERANCE;
  params[PARAM_PDAS_MAX] = PDAS_MAX_ITER;
  params[PARAM_SCALE] = s.scale;
  return {
    n: s.n,
    cov: s.cov,
    H: EMPTY,
    q: s.q,
    bp: s.bp,
    nbp: s.nbp,
    slope: s.slope,
    sgn: s.sgn,
    state: new Int32Array(s.n),
    w: new Float64Array(s.n),
    guess: new Int32Array(s.n),
    params,
    info: new Float64Array(INFO_COUNT),
  };
}

/** The index of breakpoint value `v` of asset i, or −1. */
function breakpointAt(s: QpSetup, i: number, v: number): number {
  for (let k = 0; k < s.nbp[i]; k++) if (s.bp[4 * i + k] === v) return k;
  return -1;
}

/** Place the previous solution's working set on this problem's breakpoints as the guess; false when it is for another universe. */
function applyWarm(s: QpSetup, warm: WarmStart, a: QpArrays): boolean {
  if (warm.tickers.length !== s.n || warm.weights.length !== s.n || warm.state.length !== s.n) return false;
  for (let i = 0; i < s.n; i++) if (warm.tickers[i] !== s.tickers[i]) return false;
  for (let i = 0; i < s.n; i++) {
    const base = 4 * i;
    const m = s.nbp[i];
    let k = -1;
    switch (warm.state[i]) {
      case WARM_LOWER:
        k = 0;
        break;
      case WARM_UPPER:
        k = m - 1;
        break;
      case WARM_ZERO:
        k = breakpointAt(s, i, 0);
        break;
      case WARM_CURRENT:
        k = breakpointAt(s, i, s.current[i]);
        break;
      default:
        k = -1;
    }
    if (k >= 0 || m === 1) {
      a.guess[i] = 2 * Math.max(k, 0);
      continue;
    }
    // Free: on the segment holding the previous weight (clamped into the box).
    const v = Math.min(Math.max(warm.weights[i], s.bp[base]), s.bp[base + m - 1]);
    let seg = 0;
    while (seg + 2 < m && v >= s.bp[base + seg + 1]) seg++;
    if (v === s.bp[base + seg + 1] && seg + 2 < m) seg++;
    a.guess[i] = 2 * seg + 1;
  }
  a.params[PARAM_GUESS_NET_W] = warm.netActive;
  a.params[PARAM_GUESS_GROSS_W] = warm.grossActive ? 1 : 0;
  a.params[PARAM_GUESS] = 1;
  return true;
}

interface Attempt {
  a: QpArrays;
  iterations: number;
}

function attempt(s: QpSetup, run: QpRunner, warm?: WarmStart): Attempt {
  const a = newArrays(s);
  a.w.set(startPoint(s));
  statesOf(s, a.w, a.state);
  if (warm) applyWarm(s, warm, a);
  run(a);
  return { a, iterations: a.info[INFO_ITERATIONS] };
}

/** The setup with Σ replaced (a repaired covariance): same scale, so slopes and q stay valid. */
function withCovariance(s: QpSetup, cov: Float64Array): QpSetup {
  return { ...s, cov };
}

function empty(s: QpSetup, status: SolveStatus, iterations: number, warnings: string[], conflict?: string): PortfolioResult {
  return {
    status,
    tickers: s.tickers,
    weights: null,
    gross: NaN,
    net: NaN,
    volAnnual: NaN,
    expectedReturn: NaN,
    carry: NaN,
    objective: NaN,
    iterations,
    kktResidual: NaN,
    binding: [],
    ...(conflict ? { conflict } : {}),
    warnings,
  };
}

/** Names of the constraints that hold with equality at `w` (docs/conventions.md lists them). */
export function bindingNames(s: QpSetup, w: ArrayLike<number>): string[] {
  const tol = BINDING_TOLERANCE * Math.max(1, s.gross);
  const names: string[] = [];
  let gross = 0;
  let net = 0;
  for (let i = 0; i < s.n; i++) {
    gross += Math.abs(w[i]);
    net += w[i];
  }
  if (s.grossEq || Math.abs(gross - s.gross) <= tol) names.push('gross');
  if (s.netLo === s.netHi) names.push('net');
  else if (Math.abs(net - s.netHi) <= tol) names.push('net:upper');
  else if (Math.abs(net - s.netLo) <= tol) names.push('net:lower');
  for (let i = 0; i < s.n; i++) {
    const t = s.tickers[i];
    let named = false;
    if (s.userLower[i] && Math.abs(w[i] - s.lower[i]) <= tol) {
      names.push(`bound:${t}:lower`);
      named = true;
    }
    if (s.userUpper[i] && Math.abs(w[i] - s.upper[i]) <= tol) {
      names.push(`bound:${t}:upper`);
      named = true;
    }
    if (s.mode === 'signed' && s.side[i] !== 0 && !named && Math.abs(w[i]) <= tol) names.push(`side:${t}`);
  }
  return names;
}

function warmOf(s: QpSetup, a: QpArrays): WarmStart {
  const state = new Int8Array(s.n);
  for (let i = 0; i < s.n; i++) {
    if (a.state[i] & 1) continue;
    const v = a.w[i];
    state[i] = v === s.lower[i] ? WARM_LOWER : v === s.upper[i] ? WARM_UPPER : v === 0 ? WARM_ZERO : v === s.current[i] ? WARM_CURRENT : WARM_FREE;
  }
  const netW = a.info[INFO_NET_W];
  return {
    tickers: s.tickers,
    weights: a.w.slice(),
    state,
    grossActive: a.info[INFO_GROSS_W] !== 0,
    netActive: netW > 0 ? 1 : netW < 0 ? -1 : 0,
  };
}

/** wᵀΣw. */
export function quadratic(cov: ArrayLike<number>, w: ArrayLike<number>): number {
  const n = w.length;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += cov[i * n + j] * w[j];
    variance += w[i] * row;
  }
  return variance;
}

/** Portfolio figures of weights `w` under setup `s`; `variance` when already known (wᵀΣw). */
export function figures(s: QpSetup, w: ArrayLike<number>, variance = quadratic(s.cov, w)) {
  const n = s.n;
  let gross = 0;
  let net = 0;
  let ret = 0;
  let retObj = 0;
  for (let i = 0; i < n; i++) {
    gross += Math.abs(w[i]);
    net += w[i];
    ret += s.muReport[i] * w[i];
    retObj += s.mu[i] * w[i];
  }
  const { carry, turnover } = linearCosts(s, w);
  return {
    variance,
    volAnnual: Math.sqrt(Math.max(variance, 0)),
    gross,
    net,
    expectedReturn: ret,
    carry: s.carry ? carry : 0,
    objective: s.gamma * variance - retObj - (s.carry ? carry : 0) + turnover,
  };
}

/**
 * Solve a built problem with `run`. A singular covariance is repaired with `repair` and named in a
 * warning; without `repair` it is an error.
 * @throws AstraError `NOT_POSITIVE_DEFINITE` when Σ is singular and cannot be repaired.
 */
export function solveSetup(setup: QpSetup, run: QpRunner, warm?: WarmStart, repair?: CovarianceRepair): PortfolioResult {
  let s = setup;
  const warnings = [...s.warnings];
  const conflict = conflictOf(s);
  if (conflict) return empty(s, 'infeasible', 0, warnings, conflict);
  let { a, iterations } = attempt(s, run, warm);
  if (a.info[INFO_OUTCOME] === QP_SINGULAR) {
    const ticker = s.tickers[a.info[INFO_DETAIL]];
    if (!repair) throw new AstraError('NOT_POSITIVE_DEFINITE', Messages.singularCovariance(ticker, 0), { ticker });
    const fixed = repair(s.cov, s.n);
    s = withCovariance(s, fixed.matrix);
    warnings.push(Messages.singularCovariance(ticker, fixed.floor));
    const again = attempt(s, run);
    iterations += again.iterations;
    a = again.a;
    if (a.info[INFO_OUTCOME] === QP_SINGULAR) throw new AstraError('NOT_POSITIVE_DEFINITE', Messages.singularCovariance(ticker, fixed.floor), { ticker });
  }
  const outcome = a.info[INFO_OUTCOME];
  if (outcome === QP_MAX_ITER) return empty(s, 'max_iter', iterations, warnings);
  const kkt = a.info[INFO_KKT];
  const status: SolveStatus = outcome === QP_OPTIMAL && kkt <= KKT_TOLERANCE ? 'optimal' : outcome === QP_OPTIMAL || outcome === QP_INACCURATE ? 'inaccurate' : 'max_iter';
  if (status === 'max_iter') return empty(s, status, iterations, warnings);
  const w = a.w.slice();
  for (let i = 0; i < w.length; i++) w[i] += 0; // no −0 in the answer
  const f = figures(s, w, (a.info[INFO_QUAD] * s.scale) / 2);
  return {
    status,
    tickers: s.tickers,
    weights: w,
    gross: f.gross,
    net: f.net,
    volAnnual: f.volAnnual,
    expectedReturn: f.expectedReturn,
    carry: f.carry,
    objective: f.objective,
    iterations,
    kktResidual: kkt,
    binding: bindingNames(s, w),
    warnings,
    warm: warmOf(s, a),
  };
}

/** Build and solve `problem` with `run` (see {@link solveSetup}). */
export function solveWith(problem: PortfolioProblem, run: QpRunner, warm?: WarmStart, repair?: CovarianceRepair): PortfolioResult {
  return solveSetup(buildSetup(problem), run, warm, repair);
}
