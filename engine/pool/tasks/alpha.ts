/**
 * The Alpha module's own task on the engine pool, `alpha.truth`: on the demo, the β the bars were
 * generated with — JPM/C's drifting path or the fixed β of the other pairs built cointegrated —
 * aligned to the bars the page shows. (The pair run itself is the pairs engine's `pairs.run`.)
 */
import { DEMO_SEED } from '../../demo.ts';
import { generateDemoBars, type DemoBarsTruth } from '../../demo-bars.ts';
import type { Kernels } from '../../kernels.ts';

/** The demo's true hedge ratio of a pair, on the bars asked for. */
export interface DemoBeta {
  /** `path`: β moves bar by bar (JPM/C); `constant`: one β throughout (the other pairs built cointegrated). */
  kind: 'path' | 'constant';
  /** β of each bar asked for (`NaN` for a bar the demo does not have). */
  beta: Float64Array;
}

let demoTruth: { timestamps: string[]; truth: DemoBarsTruth } | null = null;

/**
 * The demo's β for y on x at `timestamps`, `null` when the demo did not build that pair
 * cointegrated (in that order: y on x). The bars are regenerated once per worker (≈ 10 ms).
 */
export function demoBeta(k: Kernels, arg: { y: string; x: string; timestamps: string[] }): DemoBeta | null {
  if (!demoTruth) {
    const { bars, truth } = generateDemoBars(k, DEMO_SEED);
    demoTruth = { timestamps: bars.timestamps, truth };
  }
  const { truth, timestamps } = demoTruth;
  const spec = truth.cointegrated.find((c) => c.y === arg.y && c.x === arg.x);
  if (!spec) return null;
  // The first pair is JPM/C, whose β drifts: its path is the truth; the others hold β fixed.
  const path = spec === truth.cointegrated[0] ? truth.hedgeRatio : null;
  return { kind: path ? 'path' : 'constant', beta: alignByTimestamp(arg.timestamps, timestamps, path ?? new Float64Array(timestamps.length).fill(spec.beta)) };
}

/**
 * `values` (one per `from` timestamp) at the timestamps `to`: the value of the same timestamp,
 * `NaN` where `from` has none. Both lists increasing (merge walk, O(n + m)); timestamps compare
 * as instants, so the same minute written in another offset still matches.
 */
export function alignByTimestamp(to: readonly string[], from: readonly string[], values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(to.length).fill(Number.NaN);
  let j = 0;
  for (let i = 0; i < to.length; i++) {
    const t = Date.parse(to[i]);
    while (j < from.length && Date.parse(from[j]) < t) j++;
    if (j < from.length && Date.parse(from[j]) === t) out[i] = values[j];
  }
  return out;
}
