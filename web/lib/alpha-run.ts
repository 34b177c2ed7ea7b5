/**
 * The Alpha module's runs on the engine pool: the pair (`pairs.run`: calibration, filter and
 * backtest in one block, on the pair's two columns only), the demo's true β (`alpha.truth`) and the
 * pair scan (`runScanOnPool`: blocks of pairs on any worker, combined in block order). main.ts
 * imports this module on demand, with the rest of the module's chunk.
 */
import type { Pool } from '../../engine/pool/pool.ts';
import type { EngineTasks } from '../../engine/pool/tasks/index.ts';
import type { DemoBeta } from '../../engine/pool/tasks/alpha.ts';
import { runScanOnPool } from '../../engine/pool/tasks/scan.ts';
import type { ScanResult } from '../../engine/pairs/scan.ts';
import type { BarTable, Calibration, PairBacktestReport, PairRunOptions } from '../workers/protocol.ts';
import type { RunContext } from '../state/computation.svelte.ts';

export type { DemoBeta, ScanResult };

/** What a pair run gives the module: `runPair`'s calibration and report. */
export interface AlphaPairResult {
  fitted: Calibration;
  report: PairBacktestReport;
}

/** What the pool's errors call an alpha run. */
export const ALPHA_TASK_LABEL = 'Alpha';
/** What they call the scan. */
export const SCAN_TASK_LABEL = 'Pair scan';

/**
 * The bar table of the pair alone: its two columns (the same arrays) and the bars' times. A run
 * needs nothing else, so the other columns do not travel to the worker (the demo has ten).
 * Throws naming a ticker the bars do not have.
 */
export function pairColumns(bars: BarTable, y: string, x: string): BarTable {
  const col = (t: string) => {
    const j = bars.tickers.indexOf(t);
    if (j < 0) throw new Error(`${t} is not among the bars' tickers (${bars.tickers.join(', ')})`);
    return bars.closes[j];
  };
  return { timestamps: bars.timestamps, times: bars.times, tickers: [y, x], closes: [col(y), col(x)] };
}

/** The pool's runs the Alpha module uses (main.ts binds them to the app's pool). */
export interface AlphaRunners {
  pair(bars: BarTable, options: PairRunOptions, ctx: RunContext): Promise<AlphaPairResult>;
  truth(bars: BarTable, y: string, x: string, ctx: RunContext): Promise<DemoBeta | null>;
  scan(bars: BarTable, ctx: RunContext): Promise<ScanResult>;
}

/**
 * The runners on `pool`. A block whose worker crashed is re-run once (every block is
 * deterministic in its argument); a superseded run's signal stops it at the pool.
 */
export function alphaRunners(pool: Pool<EngineTasks>): AlphaRunners {
  return {
    pair: async (bars, options, ctx) => {
      const { fitted, report } = await pool.run({
        task: 'pairs.run',
        arg: { bars: pairColumns(bars, options.y, options.x), options },
        label: ALPHA_TASK_LABEL,
        signal: ctx.signal,
        retries: 1,
      });
      return { fitted, report };
    },
    truth: (bars, y, x, ctx) =>
      pool.run({ task: 'alpha.truth', arg: { y, x, timestamps: bars.timestamps }, label: ALPHA_TASK_LABEL, signal: ctx.signal, retries: 1 }),
    // Every pair, ranked (top 0): the table is the universe's, and a click loads any row.
    scan: (bars, ctx) => runScanOnPool(pool, bars, { top: 0 }, { label: SCAN_TASK_LABEL, signal: ctx.signal, progress: ctx.progress }),
  };
}
