/**
 * One run of the Risk module on the engine pool: `runRiskOnPool` (engine/pool/tasks/risk.ts — a
 * `risk.prepare` block, then the Monte Carlo blocks on any worker, combined in block order) and
 * the histogram of its P&L. main.ts imports this module on demand, so the risk code stays out of
 * the entry chunk.
 */
import type { Pool } from '../../engine/pool/pool.ts';
import { runRiskOnPool } from '../../engine/pool/tasks/risk.ts';
import type { RiskInputs, RiskReport } from '../workers/protocol.ts';
import type { RunContext } from '../state/computation.svelte.ts';
import { pnlHistogram, type PnlHistogram } from './risk-chart.ts';

/** What the pool's errors call a risk run ("VaR did not finish within 120 s…"). */
export const RISK_TASK_LABEL = 'VaR';

/**
 * Time limit of each Monte Carlo run, ms. 10⁶ paths of the demo book take about half a second per
 * worker; two minutes leaves room for a large book on a slow machine. The user can cancel sooner.
 */
export const RISK_TIME_LIMIT_MS = 120_000;

/** Bins of the P&L histogram (about; the bin width is a round number). */
export const HISTOGRAM_BINS = 60;

/** A finished run: the engine's report and the histogram of its Monte Carlo P&L. */
export interface RiskRunOutput {
  report: RiskReport;
  histogram: PnlHistogram;
}

/**
 * Run the risk report for `inputs` on `pool`. `ctx` is the run's context from `Computation`: its
 * signal cancels the run (no more blocks are handed out), its progress gets the share of Monte
 * Carlo blocks done. A block whose worker crashed is re-run once (blocks are deterministic).
 */
export async function runRisk(pool: Pool, inputs: RiskInputs, ctx: RunContext): Promise<RiskRunOutput> {
  let pnl: Float64Array[] = [];
  const report = await runRiskOnPool(pool, inputs, {
    label: RISK_TASK_LABEL,
    signal: ctx.signal,
    progress: ctx.progress,
    timeLimitMs: RISK_TIME_LIMIT_MS,
    retries: 1,
    onPnl: (blocks) => (pnl = blocks),
  });
  // The combine of a 10⁶-path run just took 25–40 ms of this thread; bin in a task of its own
  // (10–20 ms), so neither makes a long task together with the other.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const { mc } = report;
  const histogram = pnlHistogram(pnl, {
    bins: HISTOGRAM_BINS,
    include: [-mc.var, -mc.es, -mc.ci95[0], -mc.ci95[1], -mc.esCi95[0], -mc.esCi95[1]],
  });
  return { report, histogram };
}
