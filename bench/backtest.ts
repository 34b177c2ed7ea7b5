/**
 * `var-backtest` rows: the rolling 1-day 99% VaR backtest of a 20-asset book over 8,000 days
 * (lookback 730 calendar days), parametric and historical. Pure TypeScript on both sides, so
 * there is no wasm/TS ratio: the row reports the time against the target (≤ 50 ms).
 */
import { backtestVar } from '../engine/risk/backtest.ts';
import { medianMs, row, type BenchRow } from './harness.ts';

/** Seeded returns (a small LCG: the bench must not depend on the kernels it is not timing). */
function syntheticReturns(n: number, T: number): { returns: Float64Array; dates: string[] } {
  let s = 12345;
  const uniform = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const returns = new Float64Array(n * T);
  for (let i = 0; i < n * T; i++) returns[i] = 0.012 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const dates: string[] = [];
  for (let t = 0, day = Date.UTC(1995, 0, 2); dates.length < T; day += 86_400_000) {
    const wd = new Date(day).getUTCDay();
    if (wd !== 0 && wd !== 6) dates.push(new Date(day).toISOString().slice(0, 10));
    t++;
  }
  return { returns, dates };
}

export function benchBacktest(n = 20, T = 8000): BenchRow[] {
  const { returns, dates } = syntheticReturns(n, T);
  const notionals = Float64Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * 50_000);
  return (['parametric', 'historical'] as const).map((method) => {
    const ms = medianMs(() => backtestVar({ returns, dates, notionals, lookback: 730, method }), { warmup: 2, minRuns: 5, minTotalMs: 500 });
    return row('var-backtest', `n=${n} T=${T} ${method}`, ms, null, 'target ≤ 50 ms (20 assets, 8,000 days); pure TS, no wasm kernel');
  });
}
