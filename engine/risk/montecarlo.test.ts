import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels } from '../node.ts';
import type { Kernels } from '../kernels.ts';
import { normalCdf, normalQuantile } from '../stats/normal.ts';
import { DEMO_ASSETS, DEMO_BOOK, demoCorrelation } from '../demo.ts';
import { tailRisk } from './quantile.ts';
import {
  MC_BLOCK_PATHS,
  MonteCarloScenarios,
  antitheticHalf,
  binomialInterval,
  combineMonteCarlo,
  finishBlock,
  kthSmallest,
  lowestValues,
  monteCarloBlock,
  planMonteCarlo,
  rowStride,
  runMonteCarlo,
  runPlan,
  type MonteCarloBlockResult,
  type MonteCarloInputs,
  type MonteCarloResult,
} from './montecarlo.ts';
import { monteCarloBlockTs } from '../../bench/baselines.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

// ---- independent truth ---------------------------------------------------------------------

/** One asset, N > 0 or < 0: the P&L N·(e^S − 1) is monotone in S ~ N(Hμ, Hσ²). */
function oneAssetTruth(N: number, mu: number, sigma: number, H: number, c: number): { var: number; es: number } {
  const m = H * mu;
  const s = sigma * Math.sqrt(H);
  // The loss tail is low S for a long, high S for a short.
  const z = normalQuantile(N > 0 ? 1 - c : c);
  const q = N * Math.expm1(m + z * s);
  // E[e^S; S ≤ t] = e^{m + s²/2}·Φ((t − m − s²)/s), and the complement for S ≥ t.
  const t = m + z * s;
  const tailExp = N > 0 ? Math.exp(m + (s * s) / 2) * normalCdf((t - m - s * s) / s) : Math.exp(m + (s * s) / 2) * (1 - normalCdf((t - m - s * s) / s));
  const es = -(N * (tailExp - (1 - c))) / (1 - c);
  return { var: -q, es };
}

/**
 * Two assets, any signs: the exact (1 − c) quantile and ES of X = N₁(e^{S₁} − 1) + N₂(e^{S₂} − 1)
 * for bivariate normal S, by conditioning on S₁ (Simpson's rule over ±9 sd) and bisection.
 */
function twoAssetTruth(N: [number, number], mu: [number, number], cov: [number, number, number], H: number, c: number): { var: number; es: number } {
  const m1 = H * mu[0];
  const m2 = H * mu[1];
  const s1 = Math.sqrt(H * cov[0]);
  const s2 = Math.sqrt(H * cov[2]);
  const rho = cov[1] / Math.sqrt(cov[0] * cov[2]);
  const sc = s2 * Math.sqrt(1 - rho * rho);
  const steps = 4000;
  const integrate = (f: (s: number) => number) => {
    const a = -9;
    const h = 18 / steps;
    let sum = 0;
    for (let i = 0; i <= steps; i++) {
      const u = a + i * h;
      const w = i === 0 || i === steps ? 1 : i % 2 ? 4 : 2;
      sum += w * Math.exp(-0.5 * u * u) * f(m1 + s1 * u);
    }
    return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
  };
  // For S₁ = v: P(X ≤ x | v) and E[X·1{X ≤ x} | v].
  const conditional = (x: number, v: number): [number, number] => {
    const a = N[0] * Math.expm1(v);
    const mc = m2 + (rho * s2 * (v - m1)) / s1;
    const arg = 1 + (x - a) / N[1];
    const growth = Math.exp(mc + (sc * sc) / 2);
    if (arg <= 0) return N[1] > 0 ? [0, 0] : [1, a - N[1] + N[1] * growth];
    const tau = Math.log(arg);
    const below = normalCdf((tau - mc) / sc);
    const belowExp = growth * normalCdf((tau - mc - sc * sc) / sc);
    if (N[1] > 0) return [below, (a - N[1]) * below + N[1] * belowExp];
    return [1 - below, (a - N[1]) * (1 - below) + N[1] * (growth - belowExp)];
  };
  const cdf = (x: number) => integrate((v) => conditional(x, v)[0]);
  let lo = -10 * (Math.abs(N[0]) + Math.abs(N[1]));
  let hi = -lo;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < 1 - c) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  return { var: -q, es: -integrate((v) => conditional(q, v)[1]) / (1 - c) };
}

/** The demo universe: daily covariance from the vols and the three-factor correlation, the desk's book. */
function demoMarket() {
  const n = DEMO_ASSETS.length;
  const corr = demoCorrelation();
  const vol = DEMO_ASSETS.map((a) => a.annualVol / Math.sqrt(252));
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov[i * n + j] = corr[i * n + j] * vol[i] * vol[j];
  const mean = Float64Array.from(DEMO_ASSETS, (a) => a.annualDrift / 252);
  const notionals = Float64Array.from(DEMO_ASSETS, (a) => (DEMO_BOOK.find((b) => b.ticker === a.ticker)?.shares ?? 0) * a.lastClose);
  return { covDaily: cov, meanDaily: mean, notionals, tickers: DEMO_ASSETS.map((a) => a.ticker) };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);

/** A result as plain data, for deep equality including the typed arrays. */
const plain = (r: MonteCarloResult) => ({ ...r, contributions: { var: Array.from(r.contributions.var), es: Array.from(r.contributions.es) } });

// ---- tests ---------------------------------------------------------------------------------

describe('Monte Carlo VaR converges to closed forms', () => {
  const mu = 0.0004;
  const sigma = 0.02;
  for (const method of ['paths', 'terminal'] as const) {
    for (const N of [1e6, -1e6]) {
      it(`one ${N > 0 ? 'long' : 'short'} asset (${method}): within 4 SE at growing paths, SE ∝ 1/√paths`, () => {
        const truth = oneAssetTruth(N, mu, sigma, 10, 0.99);
        const runs = [2_000, 20_000, 200_000].map((paths) =>
          runMonteCarlo(k, { covDaily: [sigma * sigma], meanDaily: [mu], notionals: [N], seed: 7, paths, horizon: 10, method }),
        );
        for (const r of runs) {
          expect(Math.abs(r.var - truth.var)).toBeLessThan(4 * r.se.var);
          expect(Math.abs(r.es - truth.es)).toBeLessThan(4 * r.se.es);
          expect(r.ci95.var[0]).toBeLessThan(r.var);
          expect(r.ci95.var[1]).toBeGreaterThan(r.var);
        }
        // Ten times the paths: the errors shrink by √10 (to within the noise of the estimates).
        for (const key of ['var', 'es'] as const) {
          const ratio = runs[1].se[key] / runs[2].se[key];
          expect(ratio).toBeGreaterThan(Math.sqrt(10) * 0.75);
          expect(ratio).toBeLessThan(Math.sqrt(10) * 1.33);
        }
        // At 200,000 paths the estimate is within 1% of the truth.
        expect(Math.abs(runs[2].var / truth.var - 1)).toBeLessThan(0.01);
      });
    }
  }

  it('drift zero drops μ: the closed form with μ = 0', () => {
    const truth = oneAssetTruth(1e6, 0, 0.02, 10, 0.99);
    const r = runMonteCarlo(k, { covDaily: [0.0004], meanDaily: [0.01], drift: 'zero', notionals: [1e6], seed: 3, paths: 100_000, horizon: 10 });
    expect(Math.abs(r.var - truth.var)).toBeLessThan(4 * r.se.var);
    expect(r.drift).toBe('zero');
  });

  const pairs: { N: [number, number]; cov: [number, number, number] }[] = [
    { N: [1e6, 5e5], cov: [4e-4, 1.5e-4, 2.5e-4] }, // long book, positive correlation
    { N: [1e6, -8e5], cov: [4e-4, 2.4e-4, 2.5e-4] }, // long/short pair, highly correlated
    { N: [-6e5, -3e5], cov: [9e-4, -1e-4, 1e-4] }, // short book, negative correlation
  ];
  for (const { N, cov } of pairs) {
    it(`two assets N = [${N}] (exact quantile by quadrature): within 4 SE at 10^4 … 10^6 paths`, () => {
      const mu: [number, number] = [3e-4, -1e-4];
      const truth = twoAssetTruth(N, mu, cov, 10, 0.99);
      const market = { covDaily: [cov[0], cov[1], cov[1], cov[2]], meanDaily: mu, notionals: N, seed: 11, horizon: 10 };
      for (const paths of [10_000, 100_000, 1_000_000]) {
        const r = runMonteCarlo(k, { ...market, paths, method: 'terminal' });
        expect(Math.abs(r.var - truth.var)).toBeLessThan(4 * r.se.var);
        expect(Math.abs(r.es - truth.es)).toBeLessThan(4 * r.se.es);
      }
      const p = runMonteCarlo(k, { ...market, paths: 100_000, method: 'paths' });
      expect(Math.abs(p.var - truth.var)).toBeLessThan(4 * p.se.var);
      expect(Math.abs(p.es - truth.es)).toBeLessThan(4 * p.se.es);
    });
  }
});

describe('Monte Carlo VaR converges on many assets', () => {
  it('the demo book (7 assets, long/short): both methods at growing paths agree with a 4·10^6-path reference within 4 combined SE', () => {
    const m = demoMarket();
    const ref = runMonteCarlo(k, { ...m, seed: 1000, paths: 4_000_000, method: 'terminal' });
    expect(ref.se.var / ref.var).toBeLessThan(0.003);
    for (const method of ['paths', 'terminal'] as const) {
      for (const paths of [5_000, 50_000, 500_000]) {
        const r = runMonteCarlo(k, { ...m, seed: 17, paths, method });
        expect(Math.abs(r.var - ref.var)).toBeLessThan(4 * Math.hypot(r.se.var, ref.se.var));
        expect(Math.abs(r.es - ref.es)).toBeLessThan(4 * Math.hypot(r.se.es, ref.se.es));
        for (let i = 0; i < 7; i++) {
          // Contributions converge too (the ES ones are tail means: a looser, 10% + $500 check).
          expect(Math.abs(r.contributions.es[i] - ref.contributions.es[i])).toBeLessThan(0.1 * Math.abs(ref.contributions.es[i]) + 500 + (paths < 50_000 ? 5_000 : 0));
        }
      }
    }
  });
});

describe('Monte Carlo VaR: definitions', () => {
  it('VaR and ES are exactly the quantile rule of the P&L the blocks drew (tailRisk of the full sort)', () => {
    const m = demoMarket();
    for (const method of ['paths', 'terminal'] as const) {
      const plan = planMonteCarlo(k, { ...m, seed: 5, paths: 7_777, method, confidence: 0.975 });
      const results = plan.blocks.map((b) => monteCarloBlock(k, b));
      const pnl = new Float64Array(plan.paths);
      for (const r of results) pnl.set(r.terminal, r.start);
      const ref = tailRisk(pnl, 0.975);
      const r = runPlan(k, plan);
      expect(r.var).toBe(ref.var);
      expect(r.es).toBe(ref.es);
      expect(r.tailCount).toBe(ref.tailCount);
      expect(r.varPct).toBe(r.var / 1_000_000);
    }
  });

  it('contributions sum to VaR and ES, and one asset contributes everything', () => {
    const m = demoMarket();
    for (const method of ['paths', 'terminal'] as const) {
      for (const confidence of [0.9, 0.99, 0.999]) {
        const r = runMonteCarlo(k, { ...m, seed: 1, paths: 20_000, method, confidence });
        expect(sum(r.contributions.var)).toBeCloseTo(r.var, 6);
        expect(sum(r.contributions.es)).toBeCloseTo(r.es, 6);
        // Unheld assets contribute nothing.
        expect(Math.abs(r.contributions.var[2])).toBe(0);
        expect(Math.abs(r.contributions.es[6])).toBe(0);
      }
    }
    const one = runMonteCarlo(k, { covDaily: [4e-4], meanDaily: [0], notionals: [1e6], seed: 2 });
    expect(one.contributions.var[0]).toBeCloseTo(one.var, 9);
    expect(one.contributions.es[0]).toBeCloseTo(one.es, 9);
  });

  it('ES contributions are each position’s mean loss over the ES tail (recomputed from the paths)', () => {
    const m = demoMarket();
    const plan = planMonteCarlo(k, { ...m, seed: 8, paths: 3_000, method: 'terminal' });
    const blocks = plan.blocks.map((b) => monteCarloBlockTs({ ...b }));
    const r = runPlan(k, plan);
    const expected = new Float64Array(7);
    let count = 0;
    blocks.forEach(({ terminal, e, stride }) => {
      for (let j = 0; j < terminal.length; j++) {
        if (terminal[j] > r.quantile * (1 - 1e-12)) continue;
        count++;
        for (let i = 0; i < 7; i++) expected[i] -= m.notionals[i] * e[i * stride + j];
      }
    });
    expect(count).toBe(r.tailCount);
    for (let i = 0; i < 7; i++) expect(r.contributions.es[i]).toBeCloseTo(expected[i] / count, 4);
  });

  it('path outputs: the worst loss inside the horizon is at least VaR, and breaching is at least as likely as ending past the limit', () => {
    const m = demoMarket();
    const r = runMonteCarlo(k, { ...m, seed: 4, paths: 20_000 });
    expect(r.worstLossInHorizon).toBeGreaterThanOrEqual(r.var);
    expect(r.limit).toBe(r.var);
    // The VaR limit is crossed at the horizon by 1% of paths; on some day by more.
    expect(r.breachProbability).toBeGreaterThanOrEqual(r.tailCount / r.paths);
    expect(r.breachProbability).toBeLessThan(0.05);
    const none = runMonteCarlo(k, { ...m, seed: 4, paths: 20_000, limit: 1e12 });
    expect(none.breachProbability).toBe(0);
    const any = runMonteCarlo(k, { ...m, seed: 4, paths: 20_000, limit: 0 });
    expect(any.breachProbability).toBeGreaterThan(0.5);
    // At horizon 1 the worst day is the only day.
    const one = runMonteCarlo(k, { ...m, seed: 4, paths: 20_000, horizon: 1 });
    expect(one.worstLossInHorizon).toBe(one.var);
    const t = runMonteCarlo(k, { ...m, seed: 4, paths: 2_000, method: 'terminal' });
    expect([t.worstLossInHorizon, t.breachProbability, t.limit]).toEqual([null, null, null]);
  });

  it('the worst loss is minus the (1 − c) quantile of each path’s lowest P&L, and the breach share counts those ≤ −limit', () => {
    const m = demoMarket();
    const plan = planMonteCarlo(k, { ...m, seed: 6, paths: 4_100, limit: 50_000 });
    const worst = new Float64Array(plan.paths);
    for (const b of plan.blocks) worst.set(monteCarloBlock(k, b).worst!, b.start);
    const r = runPlan(k, plan);
    expect(r.worstLossInHorizon).toBe(tailRisk(worst, 0.99).var);
    expect(r.breachProbability).toBe(worst.filter((w) => w <= -50_000).length / plan.paths);
  });
});

describe('Monte Carlo VaR: reproducible blocks', () => {
  it('the same seed gives the same numbers; another seed others', () => {
    const m = demoMarket();
    const a = runMonteCarlo(k, { ...m, seed: 42 });
    expect(plain(runMonteCarlo(k, { ...m, seed: 42 }))).toEqual(plain(a));
    expect(runMonteCarlo(k, { ...m, seed: 43 }).var).not.toBe(a.var);
  });

  it('is bit-identical whatever the block-to-worker assignment (1, 2, 4 workers, any order)', async () => {
    const m = demoMarket();
    const workers = await Promise.all([0, 1, 2, 3].map(() => loadKernels()));
    for (const method of ['paths', 'terminal'] as const) {
      const inputs: MonteCarloInputs = { ...m, seed: 9, paths: 9 * MC_BLOCK_PATHS + 123, method };
      const reference = plain(runMonteCarlo(k, inputs));
      for (const count of [1, 2, 4]) {
        const plan = planMonteCarlo(k, inputs);
        const results: MonteCarloBlockResult[] = new Array(plan.blocks.length);
        // Worker w takes blocks w, w + count, …, and runs them last-first.
        for (let w = 0; w < count; w++) {
          const mine = plan.blocks.filter((b) => b.block % count === w).reverse();
          for (const b of mine) results[b.block] = monteCarloBlock(workers[w], structuredClone(b));
        }
        const out = combineMonteCarlo(plan, results.map((r) => structuredClone(r)));
        expect(out.result && plain(out.result)).toEqual(reference);
      }
    }
  });

  it('the plain-TS baseline draws the same paths (agreement to rounding)', () => {
    const m = demoMarket();
    for (const method of ['paths', 'terminal'] as const) {
      const plan = planMonteCarlo(k, { ...m, seed: 12, paths: 2_500, horizon: 5, method });
      for (const b of plan.blocks) {
        const wasm = monteCarloBlock(k, b);
        const ts = monteCarloBlockTs(b);
        const scale = sum(m.notionals.map(Math.abs));
        for (let j = 0; j < b.paths; j++) {
          expect(Math.abs(wasm.terminal[j] - ts.terminal[j])).toBeLessThan(1e-12 * scale);
          if (method === 'paths') expect(Math.abs(wasm.worst![j] - ts.worst![j])).toBeLessThan(1e-12 * scale);
        }
        // And the block's kept rows, from either side, give the same result structure.
        const fromTs = finishBlock(b, ts.terminal, ts.worst, ts.e, ts.stride, null);
        expect(fromTs.rowIndex).toEqual(wasm.rowIndex);
        for (let i = 0; i < wasm.rowValues.length; i++) expect(fromTs.rowValues[i]).toBeCloseTo(wasm.rowValues[i], 14);
      }
    }
  });

  it('pairs its paths antithetically in both methods: path half + j is path j with −z (growths multiply to exp(2·H·μ))', () => {
    // One asset: exp(H·μ + Y)·exp(H·μ − Y) = exp(2·H·μ) whatever Y is.
    const mu = 3e-4;
    for (const method of ['paths', 'terminal'] as const) {
      const plan = planMonteCarlo(k, { covDaily: Float64Array.of(0.02 ** 2), meanDaily: Float64Array.of(mu), notionals: Float64Array.of(1), seed: 8, paths: 1_001, horizon: 7, method });
      const b = plan.blocks[0];
      const r = monteCarloBlock(k, b);
      const half = antitheticHalf(b.paths);
      expect(half).toBe(502);
      for (let j = 0; j + half < b.paths; j++) {
        expect((1 + r.terminal[j]) * (1 + r.terminal[half + j])).toBeCloseTo(Math.exp(2 * 7 * mu), 14);
        expect(r.terminal[j]).not.toBe(r.terminal[half + j]);
      }
    }
  });

  it('agrees with the plain-TS baseline when shocks reach every tier of the pair series (|y| ≥ 0.11, ≥ 0.2)', () => {
    // Daily vols of 4%, 9% and 40%: rows of shocks past 0.11 and past 0.2 take the longer series
    // and the lane-by-lane expm1 (at |y| ≈ 1 the series alone would be off by 1e-4); the TS port
    // uses Math.exp throughout.
    const vols = [0.04, 0.09, 0.4];
    const cov = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[i * 3 + j] = vols[i] * vols[j] * (i === j ? 1 : 0.3);
    const notionals = Float64Array.of(1e6, -5e5, 2e5);
    const plan = planMonteCarlo(k, { covDaily: cov, meanDaily: Float64Array.of(1e-4, -2e-4, 5e-4), notionals, seed: 5, paths: 3_000, horizon: 6 });
    for (const b of plan.blocks) {
      const wasm = monteCarloBlock(k, b);
      const ts = monteCarloBlockTs(b);
      for (let j = 0; j < b.paths; j++) {
        expect(Math.abs(wasm.terminal[j] - ts.terminal[j])).toBeLessThan(1e-12 * 1.7e6);
        expect(Math.abs(wasm.worst![j] - ts.worst![j])).toBeLessThan(1e-12 * 1.7e6);
      }
    }
  });

  it('a shorter horizon simulates exactly the first days of a longer one (paths method)', () => {
    const m = demoMarket();
    const long = planMonteCarlo(k, { ...m, seed: 21, paths: 3_000, horizon: 10 });
    const short = planMonteCarlo(k, { ...m, seed: 21, paths: 3_000, horizon: 4 });
    const l = { ...long.blocks[1], cache: true };
    const s = monteCarloBlock(k, short.blocks[1]);
    const cache = monteCarloBlock(k, l).cache!;
    // Day 4 of the long run's cache is the driftless growth G̃ at the short run's horizon:
    // E = exp(4μ)·G̃ − 1 is the short run's E, and Σ N·E its P&L.
    const stride = rowStride(l.paths);
    const day = cache.subarray(3 * 7 * stride, 4 * 7 * stride);
    const e = monteCarloBlockTs(short.blocks[1]);
    const eOf = (i: number, j: number) => Math.exp(4 * m.meanDaily[i]) * day[i * stride + j] - 1;
    for (let i = 0; i < 7; i++) for (let j = 0; j < 10; j++) expect(eOf(i, j)).toBeCloseTo(e.e[i * e.stride + j], 14);
    const pnl = new Float64Array(l.paths);
    for (let j = 0; j < l.paths; j++) for (let i = 0; i < 7; i++) pnl[j] += m.notionals[i] * eOf(i, j);
    for (let j = 0; j < l.paths; j++) expect(pnl[j]).toBeCloseTo(s.terminal[j], 6);
  });

  it('a second pass of sums gives the same figures as the kept rows (forced by keeping too few rows)', () => {
    const m = demoMarket();
    for (const method of ['paths', 'terminal'] as const) {
      const inputs: MonteCarloInputs = { ...m, seed: 30, paths: 6_000, method };
      const reference = plain(runMonteCarlo(k, inputs));
      for (const keep of [0, 1, 5]) {
        const plan = planMonteCarlo(k, inputs);
        for (const b of plan.blocks) b.keepRows = keep;
        const results = plan.blocks.map((b) => monteCarloBlock(k, b));
        const first = combineMonteCarlo(plan, results);
        expect(first.rerun?.length).toBeGreaterThan(0);
        const second = combineMonteCarlo(plan, results, first.rerun!.map((b) => monteCarloBlock(k, b)));
        expect(second.result && plain(second.result)).toEqual(reference);
      }
    }
  });

  it('memory stays bounded at 10^6 paths: per-path arrays and a few tail rows, never paths × days × assets', () => {
    const n = 20;
    const cov = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov[i * n + j] = (i === j ? 1 : 0.3) * 1e-4;
    const plan = planMonteCarlo(k, { covDaily: cov, meanDaily: new Float64Array(n), notionals: new Float64Array(n).fill(1e5), seed: 1, paths: 1_000_000, horizon: 10 });
    let rows = 0;
    const results = plan.blocks.map((b) => {
      const r = monteCarloBlock(k, b);
      rows += r.rowValues.length;
      expect(r.cache).toBeNull();
      return r;
    });
    // The kept rows are ~2.5× the ES tail and VaR band, not the paths: < 3% of paths × assets.
    expect(rows).toBeLessThan(0.03 * 1_000_000 * n);
    // Kernel scratch is one block's worth: a few MB.
    expect(k.exports.memory.buffer.byteLength).toBeLessThan(64 * 2 ** 20);
    const r = combineMonteCarlo(plan, results).result!;
    expect(r.paths).toBe(1_000_000);
    expect(r.worstLossInHorizon).toBeGreaterThan(r.var);
  });
});

describe('common random numbers', () => {
  it('re-pricing equals a fresh run with the same seed, bit for bit (notional, confidence, limit, horizon)', () => {
    const m = demoMarket();
    const market = { covDaily: m.covDaily, meanDaily: m.meanDaily, tickers: m.tickers };
    for (const method of ['paths', 'terminal'] as const) {
      const sc = MonteCarloScenarios.create(k, market, { seed: 77, paths: 5_000, horizon: 10, method });
      expect(sc.cached).toBe(true);
      const books = [
        { notionals: m.notionals },
        { notionals: m.notionals.map((x, i) => (i === 0 ? x * 1.01 : x)), confidence: 0.975 },
        { notionals: m.notionals, limit: 40_000, equity: 2e6 },
        { notionals: m.notionals, horizon: 3 },
        { notionals: m.notionals, pathOutputs: false },
      ];
      for (const book of books) {
        const fresh = runMonteCarlo(k, { ...m, ...book, seed: 77, paths: 5_000, horizon: book.horizon ?? 10, method });
        expect(plain(sc.price(k, book))).toEqual(plain(fresh));
      }
    }
  });

  it('scenarios too big to keep are drawn again from the seed: the same numbers', () => {
    const m = demoMarket();
    const market = { covDaily: m.covDaily, meanDaily: m.meanDaily };
    for (const method of ['paths', 'terminal'] as const) {
      const kept = MonteCarloScenarios.create(k, market, { seed: 5, paths: 3_000, method });
      const redrawn = MonteCarloScenarios.create(k, market, { seed: 5, paths: 3_000, method }, { cacheLimit: 0 });
      expect(redrawn.cached).toBe(false);
      for (const book of [{ notionals: m.notionals }, { notionals: m.notionals, horizon: 4, confidence: 0.95 }]) {
        expect(plain(redrawn.price(k, book))).toEqual(plain(kept.price(k, book)));
      }
    }
  });

  it('moving a notional moves VaR smoothly and monotonically; new draws would jitter by about an SE', () => {
    const m = demoMarket();
    const sc = MonteCarloScenarios.create(k, { covDaily: m.covDaily, meanDaily: m.meanDaily }, { seed: 3 });
    const base = sc.price(k, { notionals: m.notionals });
    // Add to the short MS position (the book's largest risk) in steps of 0.1%.
    const steps = Array.from({ length: 11 }, (_, s) => {
      const N = Float64Array.from(m.notionals);
      N[5] *= 1 + 0.001 * s;
      return sc.price(k, { notionals: N, pathOutputs: false }).var;
    });
    for (let s = 1; s < steps.length; s++) {
      const step = steps[s] - steps[s - 1];
      expect(step).toBeGreaterThan(0);
      expect(step).toBeLessThan(0.02 * base.se.var);
    }
    // Fresh draws for the same book move VaR by about an SE: far more than a 0.1% step.
    const other = runMonteCarlo(k, { ...m, seed: 4 });
    expect(Math.abs(other.var - base.var)).toBeGreaterThan(10 * (steps[1] - steps[0]));
    // Confidence: VaR is monotone in c on the same scenarios.
    let last = -Infinity;
    for (let c = 0.95; c <= 0.995; c += 0.0025) {
      const v = sc.price(k, { notionals: m.notionals, confidence: c, pathOutputs: false }).var;
      expect(v).toBeGreaterThan(last);
      last = v;
    }
  });

  it('terminal scenarios re-price any horizon: VaR grows smoothly with it', () => {
    const m = demoMarket();
    const sc = MonteCarloScenarios.create(k, { covDaily: m.covDaily, meanDaily: m.meanDaily, drift: 'zero' }, { seed: 3, method: 'terminal', horizon: 1 });
    const v = [1, 2, 5, 10, 20, 60].map((h) => sc.price(k, { notionals: m.notionals, horizon: h }).var);
    for (let i = 1; i < v.length; i++) expect(v[i]).toBeGreaterThan(v[i - 1]);
    // Under zero drift and a near-linear book, VaR(h) ≈ √h·VaR(1).
    expect(v[3] / v[0]).toBeGreaterThan(Math.sqrt(10) * 0.95);
    expect(v[3] / v[0]).toBeLessThan(Math.sqrt(10) * 1.05);
  });
});

describe('order statistics', () => {
  it('kthSmallest agrees with a sort, with ties', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 300 }), fc.nat(), (xs, r) => {
        const a = Float64Array.from(xs);
        const kth = r % a.length;
        const sorted = Float64Array.from(xs).sort();
        expect(kthSmallest(a, kth)).toBe(sorted[kth]);
        for (let i = 0; i < kth; i++) expect(a[i]).toBeLessThanOrEqual(a[kth]);
        for (let i = kth + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[kth]);
      }),
    );
  });

  it('lowestValues returns the lowest values of a sort, ascending, with ties and leaving the input alone', () => {
    // Long arrays with a small share take the sampled cutoff; ties and skew make the cutoff miss
    // sometimes, which must fall back to the full selection with the same answer.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom('normal', 'ties', 'skewed', 'sorted', 'reversed'),
        (n, count, seed, shape) => {
          let state = seed;
          const rand = () => ((state = (state * 48271) % 2147483647) / 2147483647);
          const values = Float64Array.from({ length: n }, (_, i) =>
            shape === 'ties' ? Math.floor(rand() * 5) : shape === 'skewed' ? Math.exp(8 * rand()) : shape === 'sorted' ? i : shape === 'reversed' ? -i : rand() - 0.5,
          );
          const before = values.slice();
          const got = lowestValues(values, count);
          expect(Array.from(got)).toEqual(Array.from(values.slice().sort().subarray(0, Math.min(count, n))));
          expect(values).toEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the binomial interval ranks match exact binomial sums, and the normal approximation beyond them', () => {
    const exact = (m: number, p: number): [number, number] => {
      let cdf = 0;
      let l = -1;
      let u = m;
      for (let x = 0; x <= m; x++) {
        let logPmf = x * Math.log(p) + (m - x) * Math.log1p(-p);
        for (let i = 1; i <= x; i++) logPmf += Math.log((m - x + i) / i);
        cdf += Math.exp(logPmf);
        if (cdf <= 0.025) l = x;
        if (cdf >= 0.975) {
          u = x;
          break;
        }
      }
      return [l, u];
    };
    for (const [m, p] of [[100, 0.01], [500, 0.05], [5000, 0.01], [2000, 0.1], [50, 0.5]] as const) {
      expect(binomialInterval(m, p)).toEqual(exact(m, p));
    }
    const [l, u] = binomialInterval(1_000_000, 0.01);
    expect(l).toBeCloseTo(10_000 - 195, -1);
    expect(u).toBeCloseTo(10_000 + 195, -1);
    // Too few tail draws for a lower rank: unbounded on that side, so the VaR error is NaN.
    expect(binomialInterval(100, 0.01)[0]).toBe(-1);
    const small = runMonteCarlo(k, { covDaily: [4e-4], meanDaily: [0], notionals: [1e6], seed: 1, paths: 100 });
    expect(small.se.var).toBeNaN();
    expect(small.ci95.var[1]).toBe(Infinity);
  });
});

describe('the vector expm1', () => {
  it('is within 1.5 ulp of Math.expm1 from −745 to 710, exact at 0, and each lane is its own', () => {
    const xs: number[] = [0, -0, 1e-300, -1e-20, 1e-8, 0.3399, 0.34, 0.3466, 0.5, -0.5, 1, -1, 5, -5, 50, -50, 699.9, 700, 700.1, -700.1, 709.7, 710, -745, NaN, Infinity, -Infinity];
    for (let i = 0; i < 20_000; i++) xs.push((i / 20_000 - 0.5) * (i % 2 ? 2 : 1400));
    k.reset();
    const x = k.putF64(xs);
    const out = k.allocF64(xs.length);
    k.exports.expm1Many(x, out, xs.length);
    const got = k.f64(out, xs.length);
    for (let i = 0; i < xs.length; i++) {
      const ref = Math.expm1(xs[i]);
      if (!Number.isFinite(ref) || ref === 0) {
        expect(Object.is(got[i], ref) || (ref === 0 && got[i] === 0)).toBe(true);
        continue;
      }
      expect(Math.abs(got[i] - ref)).toBeLessThanOrEqual(1.5 * Math.abs(ref) * 2 ** -52);
    }
    // A small value paired with a large one gets the same bits as paired with itself.
    k.reset();
    const pairs = k.putF64([0.01, 3.5, 0.01, 0.01, -0.2, 800, -0.2, -0.2, 2, NaN, 2, 2]);
    const res = k.allocF64(12);
    k.exports.expm1Many(pairs, res, 12);
    const r = k.f64(res, 12);
    expect(r[0]).toBe(r[2]);
    expect(r[4]).toBe(r[6]);
    expect(r[8]).toBe(r[10]);
    expect(r[5]).toBe(Infinity);
    expect(r[9]).toBeNaN();
  });
});

describe('input validation', () => {
  const m = () => demoMarket();
  const cases: [string, Partial<MonteCarloInputs>, RegExp, string][] = [
    ['zero paths', { paths: 0 }, /paths must be an integer from 2 to 5,000,000, got 0/, 'BAD_SIZE'],
    ['too many paths', { paths: 6_000_000 }, /paths must be an integer from 2 to 5,000,000, got 6000000/, 'BAD_SIZE'],
    ['fractional paths', { paths: 10.5 }, /paths must be an integer/, 'BAD_SIZE'],
    ['zero horizon', { horizon: 0 }, /horizon must be an integer from 1 to 2,520, got 0/, 'BAD_SIZE'],
    ['confidence 1', { confidence: 1 }, /confidence must be a number strictly between 0 and 1 \(e\.g\. 0\.99\), got 1/, 'BAD_INPUT'],
    ['confidence 0', { confidence: 0 }, /confidence must be a number strictly between 0 and 1/, 'BAD_INPUT'],
    ['confidence NaN', { confidence: NaN }, /confidence must be .*got NaN/, 'BAD_INPUT'],
    ['a bad seed', { seed: -1 }, /seed must be a non-negative safe integer, got -1/, 'BAD_INPUT'],
    ['a negative limit', { limit: -5 }, /limit must be a finite loss in money, 0 or more, got -5/, 'BAD_INPUT'],
    ['a bad method', { method: 'fast' as never }, /method must be one of paths, terminal, got fast/, 'BAD_INPUT'],
    ['a bad drift', { drift: 'up' as never }, /drift must be one of mean, zero, got up/, 'BAD_INPUT'],
    ['zero equity', { equity: 0 }, /equity must be a positive number, got 0/, 'BAD_INPUT'],
    ['a NaN notional', { notionals: [1, 2, NaN, 4, 5, 6, 7] }, /notionals of GOOGL must be a finite number, got NaN/, 'NON_FINITE'],
    ['an infinite mean', { meanDaily: [0, 0, 0, Infinity, 0, 0, 0] }, /daily mean of JPM must be a finite number, got Infinity/, 'NON_FINITE'],
    ['too few notionals', { notionals: [1, 2, 3] }, /notionals has 3 values but the covariance is 7×7 \(expected 7\)/, 'BAD_SIZE'],
    ['a ragged covariance', { covDaily: [1, 2, 3] }, /matrix of 3 values is not 7×7/, 'BAD_SIZE'],
  ];
  for (const [name, patch, message, code] of cases) {
    it(`refuses ${name}`, () => {
      const inputs = { ...m(), seed: 1, ...patch } as MonteCarloInputs;
      expect(() => runMonteCarlo(k, inputs)).toThrow(message);
      try {
        runMonteCarlo(k, inputs);
      } catch (err) {
        expect((err as { code: string }).code).toBe(code);
      }
    });
  }

  it('names the covariance row that is not positive definite and the non-finite cell', () => {
    expect(() => runMonteCarlo(k, { covDaily: [1e-4, 2e-4, 2e-4, 1e-4], meanDaily: [0, 0], notionals: [1, 1], seed: 1 })).toThrow(
      /daily covariance is not positive definite: the pivot of row 2 is not positive/,
    );
    expect(() => runMonteCarlo(k, { covDaily: [1e-4, 0, NaN, 1e-4], meanDaily: [0, 0], notionals: [1, 1], seed: 1 })).toThrow(
      /daily covariance has a non-finite value at row 2, column 1/,
    );
  });

  it('re-pricing refuses a horizon past the simulated days, naming both', () => {
    const d = m();
    const sc = MonteCarloScenarios.create(k, d, { seed: 1, horizon: 5 });
    expect(() => sc.price(k, { notionals: d.notionals, horizon: 6 })).toThrow(/horizon 6 is longer than the 5 simulated days/);
    expect(() => sc.price(k, { notionals: d.notionals, horizon: 0 })).toThrow(/horizon must be an integer from 1 to 5, got 0/);
    expect(() => sc.price(k, { notionals: [1, 2], horizon: 2 })).toThrow(/notionals has 2 values/);
  });

  it('combining refuses results out of block order', () => {
    const plan = planMonteCarlo(k, { ...m(), seed: 1, paths: 3 * MC_BLOCK_PATHS });
    const results = plan.blocks.map((b) => monteCarloBlock(k, b));
    expect(() => combineMonteCarlo(plan, [results[1], results[0], results[2]])).toThrow(/position 0 of the block results holds block 1/);
    expect(() => combineMonteCarlo(plan, results.slice(1))).toThrow(/2 block results for a plan of 3 blocks/);
  });
});
