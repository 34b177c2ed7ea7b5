/**
 * Pool tasks of the Kalman pairs engine, for the app's Alpha module: the demo's intraday bars with
 * the generating hedge ratio, and one pair run (calibration + filter + backtest) off the main
 * thread. The live replay runs the incremental API in a worker of its own choosing.
 */
import type { Kernels } from '../../kernels.ts';
import { DEMO_LABEL, generateDemoMarket, PAIR } from '../../demo.ts';
import type { BarTable } from '../../types.ts';
import { runPair } from '../../pairs/run.ts';
import type { PairRun, PairRunOptions } from '../../pairs/types.ts';

/** The demo's one-minute bars and, for the demo pair, the true β path (one value per bar). */
export interface PairsDemo {
  label: typeof DEMO_LABEL;
  bars: BarTable;
  /** The pair the demo's truth is about (JPM on C). */
  pair: { y: string; x: string };
  /** The true hedge ratio of that pair per bar, for the chart beside the filter's β. */
  truthBeta: Float64Array;
}

/** `pairs.demo`: generate the demo market and hand over its bars. */
export function pairsDemo(k: Kernels, _arg: undefined): PairsDemo {
  const demo = generateDemoMarket(k);
  return { label: demo.label, bars: demo.bars, pair: { y: PAIR.y, x: PAIR.x }, truthBeta: demo.truth.hedgeRatio };
}

/** The argument of `pairs.run`: the bars and the run's options (see `runPair`). */
export interface PairsRunArg {
  bars: BarTable;
  options: PairRunOptions;
}

/** `pairs.run`: `runPair` on a worker; its per-bar arrays are transferred back. */
export function pairsRun(k: Kernels, arg: PairsRunArg): PairRun {
  return runPair(k, arg.bars, arg.options);
}
