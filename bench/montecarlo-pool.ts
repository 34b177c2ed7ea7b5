/**
 * `mc-var-pool`: the scale run (50 assets, 10⁶ paths, 10 days, VaR/ES by the terminal method)
 * with its blocks on the Node engine pool: 1 worker (baseline) vs every core (median), so the
 * ratio is the speed-up. Target: ≤ 0.35 s on two workers (≤ 0.6 s on one). The figures are
 * bit-identical at both sizes, and the note says so.
 */
import { availableParallelism } from 'node:os';
import type { Kernels } from '../engine/kernels.ts';
import { createNodePool, defaultNodePoolSize } from '../engine/pool/node.ts';
import type { Pool } from '../engine/pool/pool.ts';
import type { EngineTasks } from '../engine/pool/tasks/index.ts';
import { combineMonteCarlo, planMonteCarlo, type MonteCarloBlockResult, type MonteCarloPlan } from '../engine/risk/montecarlo.ts';
import { row, type BenchRow } from './harness.ts';
import { market } from './montecarlo.ts';

async function runOn(pool: Pool<EngineTasks>, plan: MonteCarloPlan): Promise<number> {
  const results: MonteCarloBlockResult[] = await pool.run({ task: 'risk.mcBlock', blocks: plan.blocks, label: 'bench', timeLimitMs: Infinity });
  const out = combineMonteCarlo(plan, results);
  if (!out.result) throw new Error('bench: unexpected second pass');
  return out.result.var;
}

export async function benchMonteCarloPool(k: Kernels, rounds = 3): Promise<BenchRow[]> {
  const size = Math.min(defaultNodePoolSize(), availableParallelism());
  const plan = planMonteCarlo(k, { ...market(50), seed: 1, paths: 1_000_000, horizon: 10, method: 'terminal' });
  const one = createNodePool({ size: 1 });
  const all = createNodePool({ size });
  try {
    const vars = new Set<number>([await runOn(one, plan), await runOn(all, plan)]); // warm both pools
    const times = { one: [] as number[], all: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      for (const [name, pool] of [['one', one], ['all', all]] as const) {
        const t0 = performance.now();
        vars.add(await runOn(pool, plan));
        times[name].push(performance.now() - t0);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const note = `ratio = speed-up (baseline = 1 worker, median = ${size} workers; target ≤ 350 ms on 2); VaR ${vars.size === 1 ? 'bit-identical' : 'DIFFERS'} across worker counts`;
    return [row('mc-var-pool', `n=50 P=1e6 H=10 terminal w=1→${size}`, median(times.all), median(times.one), note)];
  } finally {
    await Promise.all([one.dispose(), all.dispose()]);
  }
}
