import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { generateDemoMarket } from '../demo.ts';
import type { DemoMarket } from '../demo.ts';
import { kalmanFilter } from './filter.ts';
import { runPair } from './run.ts';
import { S, STATE_SIZE, T, TRADE_FIELDS } from './layout.ts';
import { referenceFilter, rng, syntheticPair } from './test-helpers.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

/** Largest |a − b| / max(1, |b|) over the bars, NaN only where both are NaN. */
function maxDiff(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let t = 0; t < b.length; t++) {
    if (Number.isNaN(b[t]) || Number.isNaN(a[t])) {
      expect(Number.isNaN(a[t]), `bar ${t}`).toBe(Number.isNaN(b[t]));
      continue;
    }
    worst = Math.max(worst, Math.abs(a[t] - b[t]) / Math.max(1, Math.abs(b[t])));
  }
  return worst;
}

describe('the filter recursion', () => {
  it.each([
    ['demo JPM/C, textbook δ and Vₑ', () => ({ y: demo.bars.closes[0], x: demo.bars.closes[1] }), 1e-4, 1e-3],
    ['demo JPM/C, a small δ', () => ({ y: demo.bars.closes[0], x: demo.bars.closes[1] }), 6e-8, 2e-5],
    ['synthetic with 5% gaps per leg', () => syntheticPair({ seed: 7, bars: 3000, gaps: 0.05 }), 1e-6, 1e-2],
    ['price level 1e-3', () => syntheticPair({ seed: 8, bars: 2000, level: 1e-3, gaps: 0.02 }), 1e-3, 1e-10],
    ['price level 1e5', () => syntheticPair({ seed: 9, bars: 2000, level: 1e5, gaps: 0.02 }), 1e-9, 100],
  ])('%s: agrees with the plain matrix form to 1e-12', (_name, data, delta, ve) => {
    const { y, x } = data();
    const got = kalmanFilter(k, y, x, { delta, ve });
    const want = referenceFilter(y, x, delta, ve);
    // β, α, e and Q relative to max(1, |value|).
    for (const key of ['beta', 'alpha', 'spread', 'variance'] as const) expect(maxDiff(got[key], want[key]), key).toBeLessThan(1e-12);
    // z = e/√Q inherits the rounding of e = y − ŷ, a difference of two numbers of size |y|: its
    // error is measured against that scale, |y|/√Q (with √Q ≈ 0.005 at $318, 6e4 times |z|).
    let worst = 0;
    for (let t = 0; t < y.length; t++) {
      if (Number.isNaN(want.z[t])) continue;
      worst = Math.max(worst, Math.abs(got.z[t] - want.z[t]) / Math.max(1, Math.abs(want.z[t]), Math.abs(y[t]) / Math.sqrt(want.variance[t])));
    }
    expect(worst, 'z').toBeLessThan(1e-12);
  });

  it('a missing bar predicts only: β and α carry over, e, Q and z are NaN', () => {
    const { y, x } = syntheticPair({ seed: 3, bars: 50 });
    y[20] = NaN;
    x[30] = NaN;
    const f = kalmanFilter(k, y, x, { delta: 1e-5, ve: 1e-2 });
    for (const t of [20, 30]) {
      expect(f.beta[t]).toBe(f.beta[t - 1]);
      expect(f.alpha[t]).toBe(f.alpha[t - 1]);
      expect(Number.isNaN(f.spread[t]) && Number.isNaN(f.variance[t]) && Number.isNaN(f.z[t])).toBe(true);
    }
    expect(f.observations).toBe(48);
  });

  it('the log-likelihood is −½ Σ (ln 2πQ + e²/Q) over the observed bars', () => {
    const { y, x } = syntheticPair({ seed: 4, bars: 500, gaps: 0.03 });
    const f = kalmanFilter(k, y, x, { delta: 1e-6, ve: 1e-2 });
    let ll = 0;
    for (let t = 0; t < y.length; t++) if (!Number.isNaN(f.z[t])) ll += -0.5 * (Math.log(2 * Math.PI * f.variance[t]) + f.spread[t] ** 2 / f.variance[t]);
    expect(Math.abs(f.logLik - ll)).toBeLessThan(1e-9 * Math.abs(ll));
  });
});

describe('on the demo pair', () => {
  it('recovers the true hedge ratio within 0.01 (0.4% of β) on every bar after the calibration window', () => {
    const run = runPair(k, demo.bars, { y: 'JPM', x: 'C' });
    const beta = run.report.series!.beta;
    const truth = demo.truth.hedgeRatio;
    let worst = 0;
    let squares = 0;
    const from = run.fitted.window.to;
    for (let t = from; t < beta.length; t++) {
      worst = Math.max(worst, Math.abs(beta[t] - truth[t]));
      squares += (beta[t] - truth[t]) ** 2;
    }
    expect(worst).toBeLessThan(0.01);
    expect(Math.sqrt(squares / (beta.length - from))).toBeLessThan(0.005);
  });

  it('the textbook δ = 1e-4, Vₑ = 1e-3 never trade at real price levels; the fitted values do', () => {
    const textbook = runPair(k, demo.bars, { y: 'JPM', x: 'C', delta: 1e-4, ve: 1e-3 });
    const z = textbook.report.series!.z;
    let worst = 0;
    for (let t = textbook.report.firstSignalBar; t < z.length; t++) worst = Math.max(worst, Math.abs(z[t]));
    // x²·δ ≈ 1.4 $² of state noise swamps the 1e-3 $² noise: the filter follows y and z stays tiny.
    expect(worst).toBeLessThan(0.5);
    expect(textbook.report.roundTrips).toBe(0);
    const fitted = runPair(k, demo.bars, { y: 'JPM', x: 'C' });
    expect(fitted.fitted.method).toBe('mle');
    expect(fitted.report.roundTrips).toBeGreaterThan(10);
    expect(Math.max(...Array.from(fitted.report.series!.z.subarray(fitted.report.firstSignalBar), Math.abs))).toBeGreaterThan(3);
  });
});

describe('P stays symmetric and positive semi-definite', () => {
  // 10⁶ one-bar runs of the kernel on a state block, reading P after each step.
  const settings: [string, number, number, number][] = [
    ['tiny δ, tiny Vₑ, level 1e5', 1e-14, 1e-12, 1e5],
    ['tiny δ, huge Vₑ, level 1e-3', 1e-14, 1e6, 1e-3],
    ['huge δ, tiny Vₑ, level 1e5', 0.9, 1e-12, 1e5],
    ['huge δ, huge Vₑ, level 1e-3', 0.9, 1e6, 1e-3],
    ['moderate δ, level 1e-3', 1e-6, 1e-10, 1e-3],
  ];
  it.each(settings)('%s: 10⁶ steps', (_name, delta, ve, level) => {
    const steps = 1_000_000;
    const { y, x } = syntheticPair({ seed: 11, bars: steps, level, gaps: 0.01 });
    k.reset();
    const py = k.putF64(y);
    const px = k.putF64(x);
    const state = k.allocF64(STATE_SIZE);
    k.exports.pairInit(state, delta, ve, Infinity, 0, 0, Infinity, Infinity, 0, Infinity);
    const s = k.f64(state, STATE_SIZE);
    let worstCorrelation = 0;
    let bad = -1;
    for (let t = 0; t < steps; t++) {
      k.exports.pairRun(state, py + t * 8, px + t * 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      const p00 = s[S.P00];
      const p01 = s[S.P01];
      const p11 = s[S.P11];
      if (!(p00 >= 0 && p11 >= 0 && Number.isFinite(p00) && Number.isFinite(p11) && Number.isFinite(p01))) {
        bad = t;
        break;
      }
      // PSD ⇔ diagonal ≥ 0 and p01² ≤ p00·p11 (the correlation of the state errors within [−1, 1]),
      // here to rounding: at level 1e5 with a huge δ the correlation² reaches 1 + 9e-16.
      const c = p00 * p11 > 0 ? (p01 * p01) / (p00 * p11) : p01 === 0 ? 0 : Infinity;
      if (!(c <= worstCorrelation)) worstCorrelation = c;
    }
    expect(bad).toBe(-1);
    expect(worstCorrelation).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('the state keeps one off-diagonal element: P is symmetric by construction, and equals the symmetrised reference', () => {
    const { y, x } = syntheticPair({ seed: 12, bars: 400, gaps: 0.02 });
    k.reset();
    const py = k.putF64(y);
    const px = k.putF64(x);
    const state = k.allocF64(STATE_SIZE);
    k.exports.pairInit(state, 1e-6, 1e-2, Infinity, 0, 0, Infinity, Infinity, 0, Infinity);
    k.exports.pairRun(state, py, px, 0, y.length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const ref = referenceFilter(y, x, 1e-6, 1e-2);
    // β after the run is the reference's: the covariance that produced it matched along the way.
    expect(Math.abs(k.f64(state, STATE_SIZE)[S.BETA] - ref.beta[y.length - 1])).toBeLessThan(1e-12);
  });
});

describe('memory layout shared with the kernel', () => {
  const source = readFileSync(new URL('../../assembly/pairs/kalman.ts', import.meta.url), 'utf8');
  const constants = Object.fromEntries([...source.matchAll(/^const ([A-Z_0-9]+) = (\d+);/gm)].map((m) => [m[1], Number(m[2])]));
  it('every state slot the host reads has the kernel number', () => {
    for (const [name, slot] of Object.entries(S)) expect(constants[`S_${name}`], name).toBe(slot);
    expect(constants.STATE_SIZE).toBe(STATE_SIZE);
  });
  it('every trade field has the kernel number', () => {
    for (const [name, slot] of Object.entries(T)) expect(constants[`T_${name}`], name).toBe(slot);
    expect(constants.TRADE_FIELDS).toBe(TRADE_FIELDS);
  });
  it('a random number generator for the tests is deterministic', () => {
    expect(rng(1).uniform()).toBe(rng(1).uniform());
  });
});
