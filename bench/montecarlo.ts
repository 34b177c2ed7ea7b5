/**
 * `mc-var` rows: Monte Carlo VaR/ES through the engine (engine/risk/montecarlo.ts) against the same
 * algorithm in plain TypeScript (`monteCarloBlockTs` in baselines.ts, the same combine). Figures
 * are per call, including validation, the Cholesky factor and every copy; never asserted.
 */
import type { Kernels } from '../engine/kernels.ts';
import {
  MonteCarloScenarios,
  combineMonteCarlo,
  finishBlock,
  planMonteCarlo,
  runMonteCarlo,
  summarizeDense,
  type MonteCarloInputs,
  type MonteCarloPlan,
} from '../engine/risk/montecarlo.ts';
import { monteCarloBlockTs } from './baselines.ts';
import { medianMs, row, type BenchRow } from './harness.ts';

/** Targets from the issue tracker (numpy: ~6 ms for the default path run, 5–7 s at scale). */
export const MC_TARGETS = { defaultMs: 1.0, repriceMs: 0.25, scaleMs: 600 } as const;

/** A market like the demo's: n assets, vols 20–34%, one factor at correlation 0.45, a long/short book. */
export function market(n: number): Pick<MonteCarloInputs, 'covDaily' | 'meanDaily' | 'notionals'> {
  const vol = Array.from({ length: n }, (_, i) => (0.2 + 0.02 * (i % 8)) / Math.sqrt(252));
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov[i * n + j] = vol[i] * vol[j] * (i === j ? 1 : 0.45);
  const mean = Float64Array.from({ length: n }, (_, i) => (0.04 + 0.01 * (i % 5)) / 252);
  const notionals = Float64Array.from({ length: n }, (_, i) => (i % 3 === 2 ? -1 : 1) * (200_000 + 50_000 * (i % 4)));
  return { covDaily: cov, meanDaily: mean, notionals };
}

/** The whole run in plain TS: every block by the TS port, then the engine's combine. */
function runTs(plan: MonteCarloPlan): number {
  const results = plan.blocks.map((b) => {
    const ts = monteCarloBlockTs(b);
    return finishBlock(b, ts.terminal, ts.worst, ts.e, ts.stride, null);
  });
  let out = combineMonteCarlo(plan, results);
  if (out.rerun) throw new Error('bench: unexpected second pass');
  return out.result.var;
}

const nsPer = (ms: number, units: number) => `${((ms * 1e6) / units).toFixed(2)} ns/path-day-asset`;

export function benchMonteCarlo(k: Kernels): BenchRow[] {
  const rows: BenchRow[] = [];

  // Default: 7 assets, 5,000 paths, 10 days, paths method — VaR, ES, errors, intervals,
  // contributions, worst loss in the horizon and breach probability.
  {
    const inputs: MonteCarloInputs = { ...market(7), seed: 1, paths: 5_000, horizon: 10 };
    const units = 5_000 * 10 * 7;
    let seed = 1;
    const wasm = medianMs(() => runMonteCarlo(k, { ...inputs, seed: seed++ }), { warmup: 20, warmupMs: 3000, minRuns: 30, minTotalMs: 1500, maxRuns: 1000 });
    const plan = planMonteCarlo(k, inputs);
    const ts = medianMs(() => runTs(plan), { warmup: 1, minRuns: 5, minTotalMs: 0 });
    rows.push(row('mc-var', 'n=7 P=5000 H=10 paths', wasm, ts, `${nsPer(wasm, units)}; target ≤ ${MC_TARGETS.defaultMs} ms`));
  }

  // Common random numbers: the same 5,000 × 10-day scenarios re-priced for a moved notional and
  // confidence (VaR, ES, errors, contributions; no day-by-day P&L).
  {
    const m = market(7);
    const sc = MonteCarloScenarios.create(k, m, { seed: 1, paths: 5_000, horizon: 10 });
    const units = 5_000 * 7;
    let step = 0;
    const book = () => {
      const N = Float64Array.from(m.notionals);
      N[0] *= 1 + 1e-4 * (step % 100);
      return { notionals: N, confidence: 0.99 - 1e-5 * (step++ % 100), pathOutputs: false };
    };
    const wasm = medianMs(() => sc.price(k, book()), { warmup: 50, minRuns: 100, minTotalMs: 500, maxRuns: 2000 });
    // Baseline: the horizon's E from the TS blocks, the P&L by a TS loop, then the same statistics.
    const plan = planMonteCarlo(k, { ...m, seed: 1, paths: 5_000, horizon: 10, pathOutputs: false });
    const stride = 5_000;
    const e = new Float64Array(7 * stride);
    for (const b of plan.blocks) {
      const ts = monteCarloBlockTs(b);
      for (let i = 0; i < 7; i++) e.set(ts.e.subarray(i * ts.stride, i * ts.stride + b.paths), i * stride + b.start);
    }
    const ts = medianMs(
      () => {
        const { notionals } = book();
        const pnl = new Float64Array(5_000);
        for (let j = 0; j < 5_000; j++) {
          let p = 0;
          for (let i = 0; i < 7; i++) p += notionals[i] * e[i * stride + j];
          pnl[j] = p;
        }
        return summarizeDense({ ...plan, notionals }, pnl, null, e, stride);
      },
      { warmup: 50, minRuns: 100, minTotalMs: 500, maxRuns: 2000 },
    );
    rows.push(row('mc-var', 'n=7 P=5000 H=10 CRN re-price', wasm, ts, `${nsPer(wasm, 5_000 * 10 * 7)} (${((wasm * 1e6) / units).toFixed(1)} ns/path-asset); target ≤ ${MC_TARGETS.repriceMs} ms`));
    const withPaths = medianMs(() => sc.price(k, { ...book(), pathOutputs: true }), { warmup: 20, minRuns: 50, minTotalMs: 500 });
    rows.push(row('mc-var', 'n=7 P=5000 H=10 CRN re-price +paths', withPaths, null, `${nsPer(withPaths, 5_000 * 10 * 7)}; with worst loss and breach`));
  }

  // Scale: 50 assets, 10^6 paths, 10 days, VaR/ES by the terminal method (√H shortcut).
  {
    const inputs: MonteCarloInputs = { ...market(50), seed: 1, paths: 1_000_000, horizon: 10, method: 'terminal' };
    const units = 1_000_000 * 10 * 50;
    let seed = 1;
    const wasm = medianMs(() => runMonteCarlo(k, { ...inputs, seed: seed++ }), { warmup: 1, minRuns: 5, minTotalMs: 0 });
    const plan = planMonteCarlo(k, inputs);
    const ts = medianMs(() => runTs(plan), { warmup: 0, minRuns: 1, minTotalMs: 0 });
    rows.push(row('mc-var', 'n=50 P=1e6 H=10 terminal', wasm, ts, `${nsPer(wasm, units)}; target ≤ ${MC_TARGETS.scaleMs} ms`));
  }
  return rows;
}
