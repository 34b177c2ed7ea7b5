/**
 * Risk on the engine pool: `risk.prepare` estimates the market and computes the non-Monte-Carlo
 * figures and the Monte Carlo plans in one worker; `risk.mcBlock` runs one block of paths (its
 * own random stream, so the figures do not depend on which worker ran it). `runRiskOnPool`
 * strings them together with progress and cancel, combining the blocks in block order.
 */
import type { Kernels } from '../../kernels.ts';
import { AstraError, Messages } from '../../errors.ts';
import { combineMonteCarlo, monteCarloBlock, type MonteCarloBlockResult, type MonteCarloPlan, type MonteCarloResult } from '../../risk/montecarlo.ts';
import { finishRisk, prepareRisk, type PreparedRisk, type RiskInputs, type RiskReport } from '../../risk/var.ts';
import type { Pool, TaskProgress } from '../pool.ts';
import type { EngineTasks } from './index.ts';

/** `risk.prepare`: one block. */
export function prepare(k: Kernels, input: RiskInputs): PreparedRisk {
  return prepareRisk(k, input);
}

/** `risk.mcBlock`: one block of Monte Carlo paths. */
export function mcBlock(k: Kernels, args: MonteCarloPlan['blocks'][number]): MonteCarloBlockResult {
  return monteCarloBlock(k, args);
}

/** Options of {@link runRiskOnPool}. */
export interface RiskRunOptions {
  /** What errors call the task (the panel's name). Default `Risk`. */
  label?: string;
  /** Cancels the run (between blocks). */
  signal?: AbortSignal;
  /** Progress of the Monte Carlo blocks, a fraction in [0, 1]. */
  progress?: (fraction: number) => void;
  /** ms for the whole Monte Carlo run of one plan; default the pool's. */
  timeLimitMs?: number;
  /**
   * Times a block whose worker crashed is re-run on a new worker (default 0). Every risk block is
   * deterministic in its argument, so a re-run gives the same answer: the app passes 1 so a worker
   * crash does not cost the panel its run.
   */
  retries?: number;
  /**
   * Called once, when every block is in, with the report's Monte Carlo P&L at the horizon: one
   * array per block in block order (path `start + j` of block b is `blocks[b][j]`). What the app's
   * histogram is drawn from. The arrays are the caller's to keep. Not called for the limit's own
   * run, nor when the run is cancelled or fails.
   */
  onPnl?: (blocks: Float64Array[]) => void;
}

/** The risk report computed on `pool`: the same figures as `computeRisk`, bit for bit. */
export async function runRiskOnPool(pool: Pool<EngineTasks>, input: RiskInputs, options: RiskRunOptions = {}): Promise<RiskReport> {
  const label = options.label ?? 'Risk';
  const { signal, timeLimitMs, retries } = options;
  const prepared = await pool.run({ task: 'risk.prepare', arg: input, label, signal, retries });
  const plans = [prepared.plan, ...(prepared.limitPlan ? [prepared.limitPlan] : [])];
  const total = plans.reduce((a, p) => a + p.blocks.length, 0);
  let done = 0;
  let pnl: Float64Array[] = [];
  const run = async (plan: MonteCarloPlan): Promise<MonteCarloResult> => {
    const blocks = (args: MonteCarloPlan['blocks']): Promise<MonteCarloBlockResult[]> =>
      pool.run({
        task: 'risk.mcBlock',
        blocks: args,
        label,
        signal,
        timeLimitMs,
        retries,
        onProgress: (p: TaskProgress) => options.progress?.((done + p.done) / total),
      });
    const results = await blocks(plan.blocks);
    done += plan.blocks.length;
    const first = combineMonteCarlo(plan, results);
    let result = first.result;
    if (!result) {
      const again = combineMonteCarlo(plan, results, await blocks(first.rerun ?? []));
      if (!again.result) throw new AstraError('BAD_INPUT', Messages.mcRerunIncomplete(again.rerun.length));
      result = again.result;
    }
    if (plan === prepared.plan) pnl = results.map((r) => r.terminal);
    return result;
  };
  const mc = await run(prepared.plan);
  const limitRun = prepared.limitPlan ? await run(prepared.limitPlan) : null;
  options.onPnl?.(pnl);
  options.progress?.(1);
  return finishRisk(prepared, mc, limitRun);
}
