import { beforeAll, describe, expect, it } from 'vitest';
import { expectStandardNormalMoments } from './normal-checks.ts';
import fc from 'fast-check';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normals, uniforms } from './draws.ts';
import { normalCdf, normalQuantile } from '../stats/normal.ts';
import { fillNormalsTs, fillUniformsTs, nextU64Pair, setStateTs, splitMix64, zigguratEdgesTs } from '../../bench/baselines.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

describe('reference generators (published test vectors)', () => {
  it('SplitMix64 from 1234567 gives the reference outputs', () => {
    expect(splitMix64(1234567n, 5)).toEqual([
      6457827717110365317n,
      3203168211198807973n,
      9817491932198370423n,
      4593380528125082431n,
      16408922859458223821n,
    ]);
  });

  it('xoshiro256** from state {1,2,3,4} gives the reference outputs', () => {
    setStateTs([1n, 2n, 3n, 4n]);
    const out = Array.from({ length: 4 }, () => {
      const [h, l] = nextU64Pair();
      return (BigInt(h) << 32n) | BigInt(l);
    });
    expect(out).toEqual([11520n, 0n, 1509978240n, 1215971899390074240n]);
  });
});

describe('wasm uniforms', () => {
  it('are bit-identical to the TypeScript reference for any seed and stream', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 1000 }), (seed, stream) => {
        const expected = new Float64Array(64);
        fillUniformsTs(expected, seed, stream);
        expect(uniforms(k, 64, seed, stream)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('lie in [0, 1) and differ between streams', () => {
    const a = uniforms(k, 10_000, 7, 0);
    const b = uniforms(k, 10_000, 7, 1);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(a).not.toEqual(b);
  });
});

describe('wasm normals', () => {
  it('are reproducible per (seed, stream) and change with either', () => {
    const a = normals(k, 1000, 42);
    expect(normals(k, 1000, 42)).toEqual(a);
    expect(normals(k, 1000, 43)).not.toEqual(a);
    expect(normals(k, 1000, 42, 1)).not.toEqual(a);
    // A prefix is the start of a longer run: the count never changes the draws.
    expect(normals(k, 1500, 42).subarray(0, 1000)).toEqual(a);
  });

  it('match the TypeScript ziggurat draw for draw', () => {
    const expected = new Float64Array(20_000);
    fillNormalsTs(expected, 99, 3);
    const actual = normals(k, 20_000, 99, 3);
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], 12);
  });

  it('use ziggurat tables that close: base layer = rectangle + exact tail, top layer reaches 0', () => {
    // Independent of the recursion that builds the tables: the published constants (Marsaglia &
    // Tsang 2000, 256 layers) must satisfy v = r·f(r) + ∫_r^∞ f, and the last layer built by the
    // recursion must have area v with its top at f(0) = 1 — true only for the right r and v.
    const f = (v: number) => Math.exp(-0.5 * v * v);
    const r = 3.6541528853610088;
    const v = 0.00492867323399;
    const tail = Math.sqrt(2 * Math.PI) * normalCdf(-r);
    expect(r * f(r) + tail).toBeCloseTo(v, 13);
    const edges = new Float64Array(k.exports.memory.buffer, k.exports.zigguratEdges(), 257);
    expect(edges[1]).toBe(r);
    expect(edges[256]).toBe(0);
    expect(edges[255] * (1 - f(edges[255]))).toBeCloseTo(v, 9);
    for (let i = 1; i < 256; i++) expect(edges[i + 1]).toBeLessThan(edges[i]);
    // The TS baseline builds the same tables: agreement to rounding (AssemblyScript's log/exp are
    // its own, V8's may differ in the last bit).
    for (let i = 0; i <= 256; i++) expect(edges[i]).toBeCloseTo(zigguratEdgesTs[i], 14);
  });

  const N = 1_000_000;
  it(`have the moments of N(0,1) within 4 standard errors (N = ${N})`, () => {
    expectStandardNormalMoments(normals(k, N, 2024));
  });

  it('pass Kolmogorov–Smirnov against Φ (α = 0.001) and reach the tails at the right rate', () => {
    const z = normals(k, N, 77).sort();
    let d = 0;
    for (let i = 0; i < N; i++) {
      const c = normalCdf(z[i]);
      d = Math.max(d, (i + 1) / N - c, c - i / N);
    }
    // Critical value of √N·D at α = 0.001 is 1.949.
    expect(Math.sqrt(N) * d).toBeLessThan(1.949);
    // The tail beyond the ziggurat's base layer (|x| > 3.654) is sampled separately: its count
    // must match 2·Φ(−3.654)·N ≈ 258 within 4 standard deviations of a Poisson count.
    let tail = 0;
    for (const v of z) if (Math.abs(v) > 3.6541528853610088) tail++;
    const expected = 2 * normalCdf(-3.6541528853610088) * N;
    expect(Math.abs(tail - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });

  it('pass a χ² test on 100 equiprobable bins (α = 0.001)', () => {
    const z = normals(k, N, 5);
    const bins = new Float64Array(100);
    for (const v of z) bins[Math.min(99, Math.floor(normalCdf(v) * 100))]++;
    const e = N / 100;
    let chi2 = 0;
    for (const o of bins) chi2 += ((o - e) * (o - e)) / e;
    // χ²(99) at α = 0.001 is 148.2.
    expect(chi2).toBeLessThan(148.2);
  });
});

describe('normal distribution functions', () => {
  it('Φ and Φ⁻¹ agree with tabulated values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 9);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('Φ⁻¹ inverts Φ', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), (p) => {
        expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
      }),
    );
  });
});

describe('input validation', () => {
  it('refuses bad seeds and counts with a message naming the value', () => {
    expect(() => normals(k, 10, -1)).toThrow(/seed must be a non-negative safe integer, got -1/);
    expect(() => normals(k, 10, 1.5)).toThrow(/got 1.5/);
    expect(() => normals(k, -3, 1)).toThrow(/count must be an integer from 0 to 2\^28, got -3/);
  });
});

describe('drawing on from the current stream', () => {
  it('consecutive fills continue one sequence, for odd and even splits', () => {
    const x = k.exports;
    const whole = normals(k, 1001, 31, 4);
    for (const cut of [0, 1, 2, 3, 500, 999, 1000, 1001]) {
      k.reset();
      const a = k.allocF64(1001);
      x.seedStream(31n, 4n);
      x.fillNormalsNext(a, cut);
      x.fillNormalsNext(a + cut * 8, 1001 - cut);
      expect(k.takeF64(a, 1001)).toEqual(whole);
    }
    // Many small fills (one per row, as the Monte Carlo kernel draws) are the same run too.
    k.reset();
    const b = k.allocF64(1001);
    x.seedStream(31n, 4n);
    for (let at = 0; at < 1001; at += 7) x.fillNormalsNext(b + at * 8, Math.min(7, 1001 - at));
    expect(k.takeF64(b, 1001)).toEqual(whole);
  });
});
