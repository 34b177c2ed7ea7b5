/**
 * The optimizer in plain TypeScript: the same setup, start and read-back as `solvePortfolio`, with
 * the active-set iterations run by the TS port (active-set.ts) instead of the wasm kernel. The
 * benchmark's baseline and a cross-check in the tests. A singular covariance is an error here
 * (the repair needs the kernels).
 */
import { qpSolve, qpWork, type QpArrays, type QpWork } from './active-set.ts';
import type { QpSetup } from './problem.ts';
import { solveSetup, solveWith } from './solve-core.ts';
import type { PortfolioResult, SolvePortfolioTsFn, WarmStart } from './types.ts';

let work: QpWork | null = null;
let workN = -1;

function runTs(a: QpArrays): void {
  if (!work || workN !== a.n) {
    work = qpWork(a.n);
    workN = a.n;
  }
  qpSolve(a, work);
}

/** Solve `problem` with the plain-TS active-set method (warm-started from `warm` when given). */
export const solvePortfolioTs: SolvePortfolioTsFn = (problem, warm) => solveWith(problem, runTs, warm);

/** Solve an already built problem with the plain-TS method (the frontier benchmark's baseline). */
export function solveBuiltTs(setup: QpSetup, warm?: WarmStart): PortfolioResult {
  return solveSetup(setup, runTs, warm);
}
