import { describe, expect, it } from 'vitest';
import { loadKernels } from '../node.ts';
import { normals } from '../random/draws.ts';
import { engleGranger } from './cointegration.ts';
import { GOLDEN, expectRelative } from './fixtures/golden.ts';
import { benjaminiHochberg } from './multiple-testing.ts';

describe('benjaminiHochberg', () => {
  it('worked by hand: p = 0.01, 0.04, 0.03, 0.005 (m = 4)', () => {
    // Sorted: 0.005 (rank 1), 0.01 (2), 0.03 (3), 0.04 (4); p·m/rank = 0.02, 0.02, 0.04, 0.04;
    // running minimum from the top: 0.04, 0.04, 0.02, 0.02. Back in input order:
    const got = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(Array.from(got)).toEqual([0.02, 0.04, 0.04, 0.02]);
    // A larger p with a smaller ratio pulls the one below it down (the step-up): 0.9 at rank 3 of 3
    // gives 0.9; 0.5 at rank 2 gives 0.75; 0.45 at rank 1 gives 1.35 → min(1.35, 0.75) = 0.75.
    expect(Array.from(benjaminiHochberg([0.5, 0.45, 0.9]))).toEqual([0.75, 0.75, 0.9]);
    expect(Array.from(benjaminiHochberg([0.6, 0.7]))).toEqual([0.7, 0.7]);
    expect(Array.from(benjaminiHochberg([1, 0]))).toEqual([1, 0]);
  });

  it('leaves NaN out of the count and in place', () => {
    const got = benjaminiHochberg([0.01, NaN, 0.04]);
    expect(got[0]).toBeCloseTo(0.02, 15);
    expect(got[1]).toBeNaN();
    expect(got[2]).toBeCloseTo(0.04, 15);
    expect(benjaminiHochberg([]).length).toBe(0);
  });

  it("equals statsmodels' multipletests(method='fdr_bh') on the fixture's vectors (ties, 0, 1, 190 values)", () => {
    for (const [c, { p, adjusted }] of GOLDEN.bh.entries()) {
      const got = benjaminiHochberg(p);
      adjusted.forEach((a, i) => expectRelative(got[i], a, `vector ${c}, p[${i}]`, 1e-15));
    }
  });

  it('shows the multiple-testing point: of 190 independent random-walk pairs, some have p < 0.05, none after BH', async () => {
    const k = await loadKernels();
    const m = 500;
    const walk = (stream: number) => {
      const z = normals(k, m, 20_261_124, stream);
      const p = new Float64Array(m);
      let level = Math.log(100);
      for (let t = 0; t < m; t++) p[t] = Math.exp((level += 0.01 * z[t]));
      return p;
    };
    // 190 pairs of 380 independent walks: no pair is cointegrated, and the tests are independent.
    const raw = Array.from({ length: 190 }, (_, i) => engleGranger(k, walk(2 * i), walk(2 * i + 1)).pValue);
    // Each test still rejects about 5% of the time: ≈ 9.5 ± 3 "discoveries" at 0.05 (5 at this seed).
    const falsePositives = raw.filter((p) => p < 0.05);
    expect(falsePositives.length).toBe(5);
    expect(Math.min(...raw)).toBeLessThan(0.001);
    const adjusted = benjaminiHochberg(raw);
    expect(Math.min(...adjusted)).toBeGreaterThan(0.1);
    expect(adjusted.filter((p) => p < 0.05).length).toBe(0);
  });
});
