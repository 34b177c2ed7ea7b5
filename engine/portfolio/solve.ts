/**
 * `solvePortfolio`: the optimizer on the wasm kernel `qpSolve` (assembly/portfolio). Validation,
 * scaling, feasibility, the start point and the read-back are shared with the plain-TS baseline
 * (solve-core.ts); this module only places the arrays in kernel memory and runs the kernel. A
 * singular covariance is repaired here (engine/market/repair.ts) and named in a warning.
 */
import type { Kernels } from '../kernels.ts';
import { ensurePositiveDefinite } from '../market/repair.ts';
import type { QpArrays } from './active-set.ts';
import { buildSetup, type QpSetup } from './problem.ts';
import { solveSetup, type CovarianceRepair, type QpRunner } from './solve-core.ts';
import type { PortfolioProblem, PortfolioResult, SolvePortfolioFn, WarmStart } from './types.ts';

/** The kernel run on `a`: copies in, `qpSolve`, copies the weights, states and info back. */
export function wasmRunner(k: Kernels): QpRunner {
  return (a: QpArrays): void => {
    const n = a.n;
    const x = k.exports;
    k.reset();
    const cov = k.putF64(a.cov);
    const q = k.putF64(a.q);
    const bp = k.putF64(a.bp);
    const slope = k.putF64(a.slope);
    const sgn = k.putF64(a.sgn);
    const w = k.putF64(a.w);
    const params = k.putF64(a.params);
    const info = k.allocF64(a.info.length);
    // i32 arrays: room for n i32 in f64 slots (8-byte aligned).
    const nbp = k.allocF64((n + 1) >> 1);
    const state = k.allocF64((n + 1) >> 1);
    const guess = k.allocF64((n + 1) >> 1);
    const work = x.scratchAlloc(x.qpWorkBytes(n));
    const mem = x.memory.buffer;
    new Int32Array(mem, nbp, n).set(a.nbp);
    new Int32Array(mem, state, n).set(a.state);
    new Int32Array(mem, guess, n).set(a.guess);
    k.check(x.qpSolve(n, cov, q, bp, nbp, slope, sgn, state, w, guess, params, info, work), 'portfolio QP');
    a.w.set(k.f64(w, n));
    a.state.set(new Int32Array(x.memory.buffer, state, n));
    a.info.set(k.f64(info, a.info.length));
  };
}

/** The eigenvalue-floor repair of the market statistics, for a covariance the solver found singular. */
export function kernelRepair(k: Kernels): CovarianceRepair {
  return (cov, n) => {
    const { matrix, repair } = ensurePositiveDefinite(k, cov, n, 'annual covariance');
    // The solver's pivot test is stricter than a plain Cholesky: a matrix that factors but is
    // singular to 1e-13 gets jitter at the floor so that it passes.
    if (!repair) {
      let max = 0;
      for (let i = 0; i < n; i++) max = Math.max(max, cov[i * n + i]);
      const floor = 1e-8 * max;
      const out = matrix.slice();
      for (let i = 0; i < n; i++) out[i * n + i] += floor;
      return { matrix: out, floor };
    }
    return { matrix, floor: repair.floor };
  };
}

/**
 * Solve `problem` on the wasm kernels, warm-started from `warm` when it is for the same tickers.
 * @returns the result; an infeasible problem is a result (status `infeasible`, `conflict`), not an error.
 * @throws AstraError for bad input (see `buildSetup`), or `NOT_POSITIVE_DEFINITE` when a singular
 *   covariance cannot be repaired.
 */
export const solvePortfolio: SolvePortfolioFn = (k: Kernels, problem: PortfolioProblem, warm?: WarmStart): PortfolioResult =>
  solveSetup(buildSetup(problem), wasmRunner(k), warm, kernelRepair(k));

/** Solve an already built problem (the frontier re-uses one setup across points). */
export function solveBuilt(k: Kernels, setup: QpSetup, warm?: WarmStart): PortfolioResult {
  return solveSetup(setup, wasmRunner(k), warm, kernelRepair(k));
}

