// The optimizer's QP kernel (docs/kernels.md, "qp"): a primal-dual active-set phase that guesses
// the whole working set in a few factorizations, then — only when it does not settle — the primal
// active-set method, which cannot fail to end. The host (engine/portfolio/solve.ts) scales the
// problem, checks feasibility and supplies a feasible start; engine/portfolio/active-set.ts is
// the same algorithm in plain TypeScript.
import { setProblem, layWork, setInfo, getInfo, param, w, state, bestW, bestSt, params, n, cov, H, q, G, ld, gradientAt, INFO_QUAD, PARAM_SCALE, INFO_COUNT, INFO_OUTCOME, INFO_ITERATIONS, INFO_DETAIL, INFO_PDAS_ITERATIONS, INFO_PDAS_SOLVED, PARAM_NET_W, PARAM_GROSS_W, PARAM_PDAS_MAX, PARAM_MAX_ITER, QP_OPTIMAL, QP_MAX_ITER, QP_SINGULAR, st } from './ctx';
import { pdasPhase, pdasIterations, bestFound, bestNetW, bestGrossW } from './pdas';
import { primalActiveSet } from './primal';
import { STATUS_OK, STATUS_BAD_SIZE, fail } from '../util/status';

/** Bytes of work space `qpSolve` needs for n variables. */
export function qpWorkBytes(n_: i32): i32 {
  return <i32>layWork(0, n_);
}

/**
 * Solve the scaled portfolio QP (layouts: engine/portfolio/active-set.ts). `cov` n×n (H = 2·cov/s
 * with s = params[PARAM_SCALE] is formed in the work space), `q` n, `bp` 4n,
 * `nbp` n i32, `slope` and `sgn` 3n, `state` n i32 and `w` n (in: a feasible start; out: the
 * answer), `guess` n i32 (read when params[PARAM_GUESS] = 1), `params` and `info` (out), `work`
 * {@link qpWorkBytes} bytes. The outcome (optimal, max_iter, singular at info[INFO_DETAIL]) is in
 * info; the status is STATUS_BAD_SIZE for n < 1, else STATUS_OK.
 */
export function qpSolve(
  n_: i32, cov_: usize, q_: usize, bp: usize, nbp: usize, slope: usize, sgn: usize,
  state_: usize, w_: usize, guess: usize, params_: usize, info_: usize, work: usize,
): i32 {
  if (n_ < 1) return fail(STATUS_BAD_SIZE, n_);
  setProblem(n_, cov_, q_, bp, nbp, slope, sgn, state_, w_, guess, params_, info_);
  layWork(work, n_);
  for (let i = 0; i < INFO_COUNT; i++) setInfo(i, 0);
  const scale = param(PARAM_SCALE);
  const nn = n_ * n_;
  for (let i = 0; i < nn; i++) store<f64>(H + (<usize>i << 3), (2 * load<f64>(cov + (<usize>i << 3))) / scale);
  solvePhases();
  if (getInfo(INFO_OUTCOME) == QP_OPTIMAL) {
    gradientAt(w);
    let quad: f64 = 0;
    for (let i = 0; i < n_; i++) quad += ld(w, i) * (ld(G, i) - ld(q, i));
    setInfo(INFO_QUAD, quad);
  }
  return STATUS_OK;
}

function solvePhases(): void {
  // The iteration limit counts both phases.
  const maxIter = <i32>param(PARAM_MAX_ITER);
  const r = pdasPhase(min(<i32>param(PARAM_PDAS_MAX), maxIter));
  const its = <f64>pdasIterations;
  setInfo(INFO_PDAS_ITERATIONS, its);
  if (r == 1) {
    setInfo(INFO_OUTCOME, QP_OPTIMAL);
    setInfo(INFO_ITERATIONS, its);
    setInfo(INFO_PDAS_SOLVED, 1);
    return;
  }
  if (r < 0) {
    setInfo(INFO_OUTCOME, QP_SINGULAR);
    setInfo(INFO_DETAIL, <f64>(-1 - r));
    setInfo(INFO_ITERATIONS, its);
    return;
  }
  if (pdasIterations >= maxIter) {
    setInfo(INFO_OUTCOME, QP_MAX_ITER);
    setInfo(INFO_ITERATIONS, its);
    return;
  }
  st(params, PARAM_MAX_ITER, <f64>(maxIter - pdasIterations));
  if (bestFound) {
    memory.copy(w, bestW, <usize>n << 3);
    memory.copy(state, bestSt, <usize>n << 2);
    st(params, PARAM_NET_W, <f64>bestNetW);
    st(params, PARAM_GROSS_W, <f64>bestGrossW);
  }
  primalActiveSet();
  setInfo(INFO_ITERATIONS, getInfo(INFO_ITERATIONS) + its);
  setInfo(INFO_PDAS_ITERATIONS, its);
}
