/**
 * Are the Monte Carlo error bars honest under the antithetic pairs? Runs the default simulation
 * (5,000 paths, 10 days, 99%; the paths method, or the terminal one) for many seeds on the demo
 * market's book and compares
 * the reported standard errors and 95% intervals with the spread of the estimates around a
 * 4,000,000-path reference. Prints a table; asserts nothing (the numbers go in docs/kernels.md).
 *
 *   npx tsx scripts/mc-coverage.ts [seeds=300] [paths|terminal]
 */
import { loadKernels } from '../engine/node.ts';
import { DEMO_ASSETS, DEMO_BOOK, demoCorrelation } from '../engine/demo.ts';
import { runMonteCarlo } from '../engine/risk/montecarlo.ts';
import { TRADING_DAYS_PER_YEAR } from '../engine/units.ts';

const seeds = Number(process.argv[2] ?? 300);
const method = process.argv[3] === 'terminal' ? 'terminal' : 'paths';
const k = await loadKernels();
// The demo universe's model (vols, three-factor correlation, drifts) and the desk's book.
const n = DEMO_ASSETS.length;
const corr = demoCorrelation();
const vol = DEMO_ASSETS.map((a) => a.annualVol / Math.sqrt(TRADING_DAYS_PER_YEAR));
const covDaily = new Float64Array(n * n);
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) covDaily[i * n + j] = corr[i * n + j] * vol[i] * vol[j];
const meanDaily = Float64Array.from(DEMO_ASSETS, (a) => a.annualDrift / TRADING_DAYS_PER_YEAR);
const notionals = Float64Array.from(DEMO_ASSETS, (a) => (DEMO_BOOK.find((b) => b.ticker === a.ticker)?.shares ?? 0) * a.lastClose);
const market = { covDaily, meanDaily, notionals };

const reference = runMonteCarlo(k, { ...market, seed: 999_999, paths: 4_000_000, horizon: 10, method });
const rows: { var: number; es: number; seVar: number; seEs: number; ciVar: [number, number]; ciEs: [number, number] }[] = [];
for (let s = 1; s <= seeds; s++) {
  const r = runMonteCarlo(k, { ...market, seed: s, paths: 5_000, horizon: 10, method });
  rows.push({ var: r.var, es: r.es, seVar: r.se.var, seEs: r.se.es, ciVar: r.ci95.var, ciEs: r.ci95.es });
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
for (const what of ['var', 'es'] as const) {
  const est = rows.map((r) => r[what]);
  const se = rows.map((r) => (what === 'var' ? r.seVar : r.seEs));
  const truth = reference[what];
  const covered = rows.filter((r) => {
    const [lo, hi] = what === 'var' ? r.ciVar : r.ciEs;
    return lo <= truth && truth <= hi;
  }).length;
  console.log(
    `${method} ${what.toUpperCase()}: reference ${truth.toFixed(0)} (±${(what === 'var' ? reference.se.var : reference.se.es).toFixed(0)}), ` +
      `mean estimate ${mean(est).toFixed(0)}, spread (sd over ${seeds} seeds) ${sd(est).toFixed(0)}, ` +
      `mean reported SE ${mean(se).toFixed(0)} (ratio ${(mean(se) / sd(est)).toFixed(2)}), 95% interval covers ${((100 * covered) / seeds).toFixed(1)}%`,
  );
}
