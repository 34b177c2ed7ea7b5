/** The kernel benchmarks: each returns rows comparing the wasm kernel with its TS baseline. */
import type { Kernels } from '../engine/kernels.ts';
import { normals } from '../engine/random/draws.ts';
import { cholesky } from '../engine/linalg/cholesky.ts';
import { sampleCovariance } from '../engine/market/covariance.ts';
import { choleskyTs, covarianceTs, fillNormalsTs } from './baselines.ts';
import { medianMs, row, type BenchRow } from './harness.ts';

/** Targets from the issue tracker, shown beside the figures (never asserted). */
export const TARGETS = { nsPerNormal: 4, cholesky500Ms: 5, cov50x500Ms: 0.1, cov500x2000Ms: 60 } as const;

/** 10^7 standard normals into a preallocated buffer (kernel) vs the same ziggurat in TS. */
export function benchNormals(kernels: Kernels, count = 10_000_000): BenchRow[] {
  const k = kernels.exports;
  k.scratchReset();
  const out = k.scratchAlloc(count * 8);
  let seed = 1n;
  const wasm = medianMs(() => k.fillNormals(out, count, seed++, 0n), { warmup: 2, minRuns: 7, minTotalMs: 500 });
  const buffer = new Float64Array(count);
  let tsSeed = 1;
  const ts = medianMs(() => fillNormalsTs(buffer, tsSeed++), { warmup: 1, minRuns: 3, minTotalMs: 0 });
  const ns = (wasm * 1e6) / count;
  return [row('normals', `n=${count.toExponential(0).replace('+', '')}`, wasm, ts, `${ns.toFixed(2)} ns/draw (target ≤ ${TARGETS.nsPerNormal})`)];
}

/** A well-conditioned SPD matrix B·Bᵀ + n·I. */
function spd(k: Kernels, n: number): Float64Array {
  const b = normals(k, n * n, n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += b[i * n + q] * b[j * n + q];
      a[i * n + j] = a[j * n + i] = s + (i === j ? n : 0);
    }
  }
  return a;
}

/** `cholesky` (validation, copy in, factor, copy out) vs the textbook loop in TS. */
export function benchCholesky(k: Kernels, sizes = [6, 50, 200, 500]): BenchRow[] {
  return sizes.map((n) => {
    const a = spd(k, n);
    const minTotalMs = 400;
    const wasm = medianMs(() => cholesky(k, a, n), { warmup: 5, minRuns: 9, minTotalMs });
    const ts = medianMs(() => choleskyTs(a, n), { warmup: 3, minRuns: 5, minTotalMs });
    const note = n === 500 ? `target ≤ ${TARGETS.cholesky500Ms} ms` : '';
    return row('cholesky', `n=${n}`, wasm, ts, note);
  });
}

/**
 * `sampleCovariance` (copy in, means, centring, blocked Gram, copy out) vs the same two-pass
 * algorithm as plain loops, on asset-major n×T daily-return-sized data.
 */
export function benchCov(k: Kernels, shapes: [n: number, T: number][] = [[50, 500], [500, 2000]]): BenchRow[] {
  return shapes.map(([n, T]) => {
    const z = normals(k, n * T, n + T);
    const x = z.map((v, i) => 0.01 * v + 0.0003 * (i % 7));
    const target = n === 50 && T === 500 ? TARGETS.cov50x500Ms : n === 500 && T === 2000 ? TARGETS.cov500x2000Ms : undefined;
    // A small call is ~0.1 ms: warm up long enough for V8 to optimise the JS around the kernel,
    // and let the median see thousands of runs rather than the harness's default 200.
    const wasm = medianMs(() => sampleCovariance(k, x, n, T), { warmup: 50, minRuns: 9, minTotalMs: 500, maxRuns: 5000 });
    const ts = medianMs(() => covarianceTs(x, n, T), { warmup: 2, minRuns: 5, minTotalMs: 300 });
    const gflops = (n * (n + 1) * T) / (wasm * 1e6); // one multiply and one add per entry and day
    return row('cov', `n=${n},T=${T}`, wasm, ts, `${gflops.toFixed(1)} GFLOP/s${target !== undefined ? ` (target ≤ ${target} ms)` : ''}`);
  });
}
