/**
 * `npm run bench`: every kernel at every size, median of warm runs, and the ratio to a plain-TS
 * run of the same algorithm in the same process. `-- --json` prints one JSON array instead;
 * `-- --filter NAME` runs the rows whose kernel name contains NAME.
 * Figures depend on the machine and its load: they are reported, never asserted.
 */
import { parseArgs } from 'node:util';
import { loadKernels } from '../engine/node.ts';
import { formatTable, type BenchRow } from './harness.ts';
import { benchCholesky, benchCov, benchNormals } from './kernels.ts';

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, filter: { type: 'string' } },
  strict: true,
});

const kernels = await loadKernels();

/** Benchmarks by kernel name, in the order they print. */
const suites: { name: string; run: () => BenchRow[] | Promise<BenchRow[]> }[] = [
  { name: 'normals', run: () => benchNormals(kernels) },
  { name: 'cholesky', run: () => benchCholesky(kernels) },
  { name: 'cov', run: () => benchCov(kernels) },
  { name: 'pool', run: async () => (await import('./pool.ts')).benchPool() },
  { name: 'proxy-load', run: async () => (await import('./proxy-rows.ts')).benchProxyLoad() },
  { name: 'mc-var', run: async () => (await import('./montecarlo.ts')).benchMonteCarlo(kernels) },
  { name: 'mc-var-pool', run: async () => (await import('./montecarlo-pool.ts')).benchMonteCarloPool(kernels) },
  { name: 'var-backtest', run: async () => (await import('./backtest.ts')).benchBacktest() },
  { name: 'qp', run: async () => (await import('./qp.ts')).benchQp(kernels) },
  { name: 'kalman', run: async () => (await import('./kalman.ts')).benchKalman(kernels) },
  { name: 'pair-scan', run: async () => (await import('./pair-scan.ts')).benchPairScan(kernels) },
];

const selected = suites.filter((s) => !values.filter || s.name.includes(values.filter));
if (selected.length === 0) {
  process.stderr.write(`bench: no kernel matches --filter ${values.filter}; kernels: ${suites.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}

const rows: BenchRow[] = [];
for (const suite of selected) {
  const got = await suite.run();
  rows.push(...got);
  if (!values.json) process.stderr.write(`bench: ${suite.name} done\n`);
}

if (values.json) {
  process.stdout.write(`${JSON.stringify(rows)}\n`);
} else {
  process.stdout.write(`ASTRA kernels — Node ${process.version}, median of warm runs (ratio = baseline / median: TS vs wasm; for pool, 1 worker vs all)\n\n`);
  process.stdout.write(`${formatTable(rows)}\n`);
}
