/**
 * The optimizer on the engine pool: `portfolio.solve` runs one solve (the app's slider re-solves,
 * warm-started), `portfolio.frontier` one block of frontier points. `runFrontierOnPool` cuts a
 * frontier into its blocks (engine/portfolio/frontier.ts) and puts them back in order: the same
 * numbers as `solveFrontier` in one thread, because each block is the same computation wherever
 * it runs.
 */
import type { Kernels } from '../../kernels.ts';
import { frontierBlocks, solveFrontierBlock } from '../../portfolio/frontier.ts';
import { solvePortfolio } from '../../portfolio/solve.ts';
import type { FrontierBlock, FrontierPoint, FrontierSpec, PortfolioProblem, PortfolioResult, WarmStart } from '../../portfolio/types.ts';
import type { Pool } from '../pool.ts';
import type { EngineTasks } from './index.ts';

/** `portfolio.solve`: one problem, warm-started when `warm` is for the same tickers. */
export function solveTask(k: Kernels, arg: { problem: PortfolioProblem; warm?: WarmStart }): PortfolioResult {
  return solvePortfolio(k, arg.problem, arg.warm);
}

/** `portfolio.frontier`: one block of consecutive frontier points. */
export function frontierTask(k: Kernels, block: FrontierBlock): FrontierPoint[] {
  return solveFrontierBlock(k, block);
}

/** Options of {@link runFrontierOnPool}. */
export interface FrontierRunOptions {
  /** What errors call the task. Default `Frontier`. */
  label?: string;
  /** Latest wins: a new frontier with the same key supersedes this one. */
  key?: string;
  signal?: AbortSignal;
}

/** The frontier of `problem` computed on `pool`, one task block per block of points, in order. */
export async function runFrontierOnPool(pool: Pool<EngineTasks>, problem: PortfolioProblem, spec: FrontierSpec, options: FrontierRunOptions = {}): Promise<FrontierPoint[]> {
  const blocks = frontierBlocks(problem, spec);
  const parts = await pool.run({ task: 'portfolio.frontier', blocks, label: options.label ?? 'Frontier', key: options.key, signal: options.signal });
  return parts.flat();
}
