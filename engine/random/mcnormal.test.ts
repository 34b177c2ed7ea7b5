/**
 * The Monte Carlo sampler (assembly/random/mcnormal.ts): two-lane xoshiro256++ with a 256-layer
 * ziggurat on 32-bit halves. Checked against an independent TypeScript port (bench/baselines.ts),
 * the published xoshiro256++ vector, and N(0,1): moments, Kolmogorov–Smirnov, Anderson–Darling, χ²,
 * tail frequencies and the 2⁻²³ grid of positions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normalCdf } from '../stats/normal.ts';
import { mcFillNormalsTs, mcSeedStreamTs } from '../../bench/baselines.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

function mcNormals(count: number, seed: number, stream = 0): Float64Array {
  k.reset();
  const p = k.allocF64(count + 4);
  k.exports.mcNormals(p, count, BigInt(seed), BigInt(stream));
  return k.takeF64(p, count);
}

const N = 1_000_000;

describe('Monte Carlo normals', () => {
  it('match the TypeScript port draw for draw, including the groups of four and the helper’s finishes', () => {
    for (const [seed, stream, count] of [[1, 0, 4096], [99, 7, 10_001], [2 ** 40 + 3, 123, 50_000]]) {
      const wasm = mcNormals(count, seed, stream);
      const ts = new Float64Array(count);
      mcSeedStreamTs(seed, stream);
      mcFillNormalsTs(ts, 0, count);
      // Bit-identical except where the tables' log/exp (AssemblyScript's vs V8's) differ in an ulp.
      for (let i = 0; i < count; i++) expect(Math.abs(wasm[i] - ts[i])).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(ts[i])));
    }
  });

  it('lie on the grid X[i]·2⁻²³ of their layer (fast path) and differ between streams', () => {
    const z = mcNormals(4096, 3);
    const edges = k.f64(k.exports.zigguratEdges(), 257);
    let onGrid = 0;
    for (const v of z) {
      for (let i = 0; i < 256; i++) {
        const j = v / (edges[i] * 2 ** -23);
        if (Math.abs(j - Math.round(j)) < 1e-6 && Math.abs(Math.round(j)) % 2 === 1) { onGrid++; break; }
      }
    }
    expect(onGrid).toBeGreaterThan(0.97 * 4096);
    expect(mcNormals(16, 3, 1)).not.toEqual(mcNormals(16, 3, 0));
  });

  it(`have the moments of N(0,1) within 4 standard errors (N = ${N})`, () => {
    const z = mcNormals(N, 2024);
    let m1 = 0;
    for (const v of z) m1 += v;
    m1 /= N;
    let m2 = 0, m3 = 0, m4 = 0;
    for (const v of z) {
      const d = v - m1;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    m2 /= N;
    expect(Math.abs(m1)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m3 / N / m2 ** 1.5)).toBeLessThan(4 * Math.sqrt(6 / N));
    expect(Math.abs(m4 / N / (m2 * m2) - 3)).toBeLessThan(4 * Math.sqrt(24 / N));
  });

  it('pass Kolmogorov–Smirnov and Anderson–Darling against Φ (α = 0.001), with the tails at the right rate', () => {
    const z = mcNormals(N, 77).sort();
    let d = 0;
    let a2 = 0;
    for (let i = 0; i < N; i++) {
      const c = normalCdf(z[i]);
      d = Math.max(d, (i + 1) / N - c, c - i / N);
      a2 += (2 * i + 1) * (Math.log(c) + Math.log1p(-normalCdf(z[N - 1 - i])));
    }
    a2 = -N - a2 / N;
    // √N·D at α = 0.001: 1.949; A² (fully specified Φ) at α = 0.001: 5.97.
    expect(Math.sqrt(N) * d).toBeLessThan(1.949);
    expect(a2).toBeLessThan(5.97);
    // Beyond 3, and beyond the base layer (|x| > 3.654, sampled by the helper's exact tail).
    for (const t of [3, 3.6541528853610088, 4.5]) {
      let count = 0;
      for (const v of z) if (Math.abs(v) > t) count++;
      const expected = 2 * normalCdf(-t) * N;
      expect(Math.abs(count - expected)).toBeLessThan(4 * Math.sqrt(expected) + 1);
    }
  });

  it('pass a χ² test on 100 equiprobable bins (α = 0.001), per output position of a group', () => {
    const z = mcNormals(4 * 1_000_000, 5);
    for (let lane = 0; lane < 4; lane++) {
      const bins = new Float64Array(100);
      for (let i = lane; i < z.length; i += 4) bins[Math.min(99, Math.floor(normalCdf(z[i]) * 100))]++;
      const e = 1_000_000 / 100;
      let chi2 = 0;
      for (const o of bins) chi2 += ((o - e) * (o - e)) / e;
      // χ²(99) at α = 0.001 is 148.2.
      expect(chi2).toBeLessThan(148.2);
    }
  });

  it('show no correlation between neighbours in a group or between groups (|ρ| < 4/√n)', () => {
    const z = mcNormals(N, 11);
    for (const lag of [1, 2, 3, 4, 8]) {
      let s = 0;
      for (let i = 0; i + lag < N; i++) s += z[i] * z[i + lag];
      expect(Math.abs(s / (N - lag))).toBeLessThan(4 / Math.sqrt(N));
    }
  });
});
