/**
 * Efficient frontiers: meanvar across γ (volatility vs expected return), and minvar or signed
 * across the gross limit (volatility vs gross). The points are cut into blocks of consecutive
 * points; each block solves its first point cold and every later one warm from the point before,
 * so a block is the same computation wherever it runs — `solveFrontier` in process and
 * `runFrontierOnPool` (engine/pool/tasks/portfolio.ts) on the worker pool give identical numbers.
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { reach } from './feasibility.ts';
import { buildSetup, type QpSetup } from './problem.ts';
import { solveBuilt } from './solve.ts';
import type { FrontierBlock, FrontierBlocksFn, FrontierPoint, FrontierSpec, PortfolioProblem, PortfolioResult, SolveFrontierBlockFn, SolveFrontierFn, WarmStart } from './types.ts';

/** Default γ range of a meanvar frontier: from near the gross-limited maximum return to near the minimum variance. */
export const FRONTIER_GAMMA_RANGE = [0.1, 100] as const;
/** Default gross range of a frontier across gross: the app's slider range (clipped below at the least feasible gross). */
export const FRONTIER_GROSS_RANGE = [0.5, 5] as const;
/** Points per block: the unit of work of the pool task `portfolio.frontier`. */
export const FRONTIER_BLOCK_POINTS = 5;
/** Most points a frontier may have. */
export const MAX_FRONTIER_POINTS = 1000;

/** The axis a frontier of `problem` runs along when the spec does not say. */
export function frontierAxis(problem: PortfolioProblem, spec: FrontierSpec): 'gamma' | 'gross' {
  return spec.axis ?? (problem.mode === 'meanvar' ? 'gamma' : 'gross');
}

/** The least gross limit at which `problem`'s other constraints can be met (0 when any can). */
function leastGross(problem: PortfolioProblem): number {
  const s = buildSetup({ ...problem, gross: Number.MAX_SAFE_INTEGER });
  if (s.mode === 'signed') {
    let pMin = 0;
    let sMin = 0;
    for (let i = 0; i < s.n; i++) {
      if (s.side[i] > 0) pMin += s.lower[i];
      else if (s.side[i] < 0) sMin -= s.upper[i];
    }
    const band = s.netLo > 0 ? s.netLo : s.netHi < 0 ? -s.netHi : 0;
    return Math.max(pMin + sMin, band);
  }
  const r = reach(s);
  return r.g0 + Math.max(0, s.netLo - r.n0, r.n0 - s.netHi);
}

/** The parameter values of a frontier: K points, log-spaced for γ, linear for gross. */
export function frontierValues(problem: PortfolioProblem, spec: FrontierSpec): number[] {
  const K = spec.points;
  if (!Number.isSafeInteger(K) || K < 2 || K > MAX_FRONTIER_POINTS) {
    throw new AstraError('BAD_INPUT', Messages.badValue('frontier points', K, `an integer from 2 to ${MAX_FRONTIER_POINTS}`));
  }
  const axis = frontierAxis(problem, spec);
  const [dFrom, dTo] = axis === 'gamma' ? FRONTIER_GAMMA_RANGE : FRONTIER_GROSS_RANGE;
  let from = spec.from ?? (axis === 'gross' ? Math.max(dFrom, leastGross(problem)) : dFrom);
  const to = spec.to ?? (axis === 'gross' ? Math.max(dTo, from, problem.gross) : dTo);
  for (const [name, v] of [
    ['frontier start', from],
    ['frontier end', to],
  ] as const) {
    if (!Number.isFinite(v) || (axis === 'gamma' ? v <= 0 : v < 0)) {
      throw new AstraError('BAD_INPUT', Messages.badValue(name, v, axis === 'gamma' ? 'a positive γ' : 'a gross limit ≥ 0'));
    }
  }
  if (!(to > from)) from = Math.min(from, to);
  const values: number[] = [];
  for (let j = 0; j < K; j++) {
    const f = j / (K - 1);
    values.push(axis === 'gamma' ? from * Math.pow(to / from, f) : from + (to - from) * f);
  }
  return values;
}

/** The frontier of `problem` as blocks of {@link FRONTIER_BLOCK_POINTS} consecutive points. */
export const frontierBlocks: FrontierBlocksFn = (problem, spec) => {
  const axis = frontierAxis(problem, spec);
  const values = frontierValues(problem, spec);
  const blocks: FrontierBlock[] = [];
  for (let j = 0; j < values.length; j += FRONTIER_BLOCK_POINTS) {
    blocks.push({ problem, axis, values: values.slice(j, j + FRONTIER_BLOCK_POINTS) });
  }
  return blocks;
};

/** Solve one block: its first point cold, each later point warm from the one before. */
export const solveFrontierBlock: SolveFrontierBlockFn = (k: Kernels, block: FrontierBlock) => solveBlockWith(block, (setup, warm) => solveBuilt(k, setup, warm));

/** {@link solveFrontierBlock} with any solver of a built problem (the benchmark passes the plain-TS one). */
export function solveBlockWith(block: FrontierBlock, solve: (setup: QpSetup, warm?: WarmStart) => PortfolioResult): FrontierPoint[] {
  const points: FrontierPoint[] = [];
  let warm: WarmStart | undefined;
  let cov: Float64Array | undefined;
  for (const value of block.values) {
    const problem = block.axis === 'gamma' ? { ...block.problem, gamma: value } : { ...block.problem, gross: value };
    const setup = buildSetup(problem, cov);
    cov = setup.cov;
    const r = solve(setup, warm);
    warm = r.warm ?? warm;
    points.push({
      ...(block.axis === 'gamma' ? { gamma: value } : { gross: value }),
      status: r.status,
      volAnnual: r.volAnnual,
      expectedReturn: r.expectedReturn,
      weights: r.weights,
      iterations: r.iterations,
    });
  }
  return points;
}

/** The whole frontier in this thread, block by block (the same numbers as on the pool). */
export const solveFrontier: SolveFrontierFn = (k, problem, spec) => frontierBlocks(problem, spec).flatMap((b) => solveFrontierBlock(k, b));
