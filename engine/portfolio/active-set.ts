/**
 * The optimizer's QP in plain TypeScript: a line-for-line port of the wasm kernel `qpSolve`
 * (assembly/portfolio/qp.ts) — the benchmark's baseline and a second implementation the tests hold
 * the kernel to. The phases are in ./qp/ (pdas.ts, primal.ts), the shared layouts in ./qp/layout.ts;
 * docs/kernels.md explains the method.
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
import {
  INFO_DETAIL,
  INFO_ITERATIONS,
  INFO_OUTCOME,
  INFO_PDAS_ITERATIONS,
  INFO_PDAS_SOLVED,
  INFO_QUAD,
  PARAM_GROSS_W,
  PARAM_MAX_ITER,
  PARAM_NET_W,
  PARAM_PDAS_MAX,
  PARAM_SCALE,
  QP_MAX_ITER,
  QP_OPTIMAL,
  QP_SINGULAR,
  type Qp,
  type QpArrays,
  type QpWork,
} from './qp/layout.ts';
import { pdasPhase } from './qp/pdas.ts';
import { primalActiveSet } from './qp/primal.ts';

export * from './qp/layout.ts';

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
  const a: Qp = arrays;
  a.H = H; // one object shape on every call (a spread made a new one, and V8 deoptimised)
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
