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

/**
 * The kernel run on `a`: one block of kernel memory for every input (f64 arrays first, then the
 * i32 ones), `qpSolve`, and the weights, states and info copied back. One allocation and one view
 * per call: at n = 6 the copies, not the solve, are most of the time.
 */
export function wasmRunner(k: Kernels): QpRunner {
  return (a: QpArrays): void => {
    const n = a.n;
    const x = k.exports;
    const nn = n * n;
    const pad = (count: number) => (count + 1) & ~1; // keep every array 16-byte aligned
    const offCov = 0;
    const offQ = offCov + pad(nn);
    const offBp = offQ + pad(n);
    const offSlope = offBp + 4 * n;
    const offSgn = offSlope + pad(3 * n);
    const offW = offSgn + pad(3 * n);
    const offParams = offW + pad(n);
    const offInfo = offParams + pad(a.params.length);
    const offInts = offInfo + pad(a.info.length);
    const intSlots = pad((3 * n + 1) >> 1);
    k.reset();
    const base = k.allocF64(offInts + intSlots);
    const work = x.scratchAlloc(x.qpWorkBytes(n));
    const mem = x.memory.buffer;
    const f = new Float64Array(mem, base, offInts);
    f.set(a.cov, offCov);
    f.set(a.q, offQ);
    f.set(a.bp, offBp);
    f.set(a.slope, offSlope);
    f.set(a.sgn, offSgn);
    f.set(a.w, offW);
    f.set(a.params, offParams);
    const intBase = base + 8 * offInts;
    const ints = new Int32Array(mem, intBase, 3 * n);
    ints.set(a.nbp, 0);
    ints.set(a.state, n);
    ints.set(a.guess, 2 * n);
    const at = (off: number) => base + 8 * off;
    k.check(
      x.qpSolve(n, at(offCov), at(offQ), at(offBp), intBase, at(offSlope), at(offSgn), intBase + 4 * n, at(offW), intBase + 8 * n, at(offParams), at(offInfo), work),
      'portfolio QP',
    );
    const out = new Float64Array(x.memory.buffer, base, offInts);
    a.w.set(out.subarray(offW, offW + n));
    a.info.set(out.subarray(offInfo, offInfo + a.info.length));
    a.state.set(new Int32Array(x.memory.buffer, intBase + 4 * n, n));
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

