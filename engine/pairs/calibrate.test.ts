import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { parseBarsCsv } from '../csv.ts';
import { generateDemoMarket } from '../demo.ts';
import type { DemoMarket } from '../demo.ts';
import { calibrateKalman, CHEAP_CALIBRATION } from './calibrate.ts';
import { kalmanFilter } from './filter.ts';
import { nelderMead } from './neldermead.ts';

const golden = JSON.parse(readFileSync(new URL('./fixtures/pairs-golden.json', import.meta.url), 'utf8')) as {
  barsCsv: string;
  y: string;
  x: string;
  likelihood: { window: number; burnIn: number; grid: { delta: number; ve: number; logLik: number; observations: number }[]; mle: { delta: number; ve: number; logLik: number } };
};

let k: Kernels;
let demo: DemoMarket;
let y: Float64Array;
let x: Float64Array;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
  const bars = parseBarsCsv(golden.barsCsv);
  y = bars.closes[bars.tickers.indexOf(golden.y)];
  x = bars.closes[bars.tickers.indexOf(golden.x)];
});

describe('the likelihood', () => {
  it('agrees with the independent implementation on a grid of δ and Vₑ (1e-9)', () => {
    const { window, burnIn } = golden.likelihood;
    for (const g of golden.likelihood.grid) {
      const c = calibrateKalman(k, y, x, { window, burnIn, fixed: { delta: g.delta, ve: g.ve } });
      expect(c.method).toBe('manual');
      expect(c.observations).toBe(g.observations);
      expect(Math.abs(c.logLik - g.logLik)).toBeLessThan(1e-9 * Math.max(1, Math.abs(g.logLik)));
    }
  });

  it('of the whole run is the filter’s own (Σ over every observed bar)', () => {
    const f = kalmanFilter(k, y, x, { delta: 1e-7, ve: 1e-3 });
    const c = calibrateKalman(k, y, x, { window: y.length, burnIn: 0, fixed: { delta: 1e-7, ve: 1e-3 } });
    expect(Math.abs(c.logLik - f.logLik)).toBeLessThan(1e-9 * Math.abs(f.logLik));
  });
});

describe('maximum likelihood', () => {
  it('reaches the maximum scipy finds from several starts (within 1e-4 in log-likelihood)', () => {
    const { window, burnIn, mle } = golden.likelihood;
    const c = calibrateKalman(k, y, x, { window, burnIn });
    expect(c.method).toBe('mle');
    expect(c.converged).toBe(true);
    expect(c.atBound).toEqual([]);
    expect(c.logLik).toBeGreaterThan(mle.logLik - 1e-4);
    expect(Math.abs(Math.log(c.delta / mle.delta))).toBeLessThan(0.05);
    expect(Math.abs(Math.log(c.ve / mle.ve))).toBeLessThan(0.05);
    expect(c.evaluations).toBeLessThanOrEqual(121);
  });

  it('fits one parameter when the other is set by hand, and never does better than the joint fit', () => {
    const { window, burnIn } = golden.likelihood;
    const joint = calibrateKalman(k, y, x, { window, burnIn });
    const onlyVe = calibrateKalman(k, y, x, { window, burnIn, fixed: { delta: 1e-6 } });
    expect(onlyVe.delta).toBe(1e-6);
    expect(onlyVe.logLik).toBeLessThanOrEqual(joint.logLik + 1e-6);
    // The 1-D optimum: 3% either way in Vₑ is no better beyond the search's tolerance (the
    // likelihood is flat there: 3% moves it by ~1e-6).
    for (const f of [0.97, 1.03]) {
      const near = calibrateKalman(k, y, x, { window, burnIn, fixed: { delta: 1e-6, ve: onlyVe.ve * f } });
      expect(near.logLik).toBeLessThanOrEqual(onlyVe.logLik + 1e-5);
    }
  });

  it('uses only the window: bars after it never change the fit', () => {
    const a = calibrateKalman(k, y, x, 150);
    const y2 = y.slice();
    y2.fill(1, 150);
    const b = calibrateKalman(k, y2, x, 150);
    expect(b).toEqual(a);
  });

  it('the cheap mode lands within a few log-likelihood units of the full search on the demo pair', () => {
    const [dy, dx] = demo.bars.closes;
    const full = calibrateKalman(k, dy, dx, { window: 390 });
    const cheap = calibrateKalman(k, dy, dx, { ...CHEAP_CALIBRATION });
    expect(cheap.evaluations).toBeLessThanOrEqual(CHEAP_CALIBRATION.maxEvaluations! + 3);
    expect(cheap.logLik).toBeGreaterThan(full.logLik - 3);
    expect(cheap.logLik).toBeLessThanOrEqual(full.logLik + 1e-6);
  });
});

describe('Nelder–Mead', () => {
  it('finds the minimum of a shifted quadratic and of Rosenbrock’s valley', () => {
    const q = nelderMead((u) => (u[0] - 3) ** 2 + 10 * (u[1] + 1) ** 2, [0, 0], { step: 1, maxEvaluations: 400, fTolerance: 1e-14, xTolerance: 1e-7 });
    expect(q.converged).toBe(true);
    expect(q.x[0]).toBeCloseTo(3, 5);
    expect(q.x[1]).toBeCloseTo(-1, 5);
    const r = nelderMead((u) => 100 * (u[1] - u[0] ** 2) ** 2 + (1 - u[0]) ** 2, [-1.2, 1], { step: 0.5, maxEvaluations: 2000, fTolerance: 1e-16, xTolerance: 1e-8 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('stops at its budget and says it did not converge', () => {
    const r = nelderMead((u) => (u[0] - 100) ** 2, [0], { step: 1, maxEvaluations: 10, fTolerance: 1e-14, xTolerance: 1e-9 });
    expect(r.converged).toBe(false);
    expect(r.evaluations).toBeLessThanOrEqual(11);
  });
});
