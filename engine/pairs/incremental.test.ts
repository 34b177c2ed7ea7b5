import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { generateDemoMarket } from '../demo.ts';
import type { DemoMarket } from '../demo.ts';
import { pairBacktest } from './backtest.ts';
import { createIncrementalPair } from './incremental.ts';
import { runPair } from './run.ts';
import { sessionEnds, sessionIds } from './sessions.ts';
import type { PairBacktestReport } from './types.ts';
import { syntheticPair } from './test-helpers.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  k = await loadKernels();
  demo = generateDemoMarket(k);
});

/** Push every bar and compare each output with the batch report, bit for bit (Object.is). */
function replayMatches(
  report: PairBacktestReport, y: Float64Array, x: Float64Array, sessions: ArrayLike<number>,
  options: { delta: number; ve: number; tradeFrom: number; warmup: number; costBps: number; entry?: number; exit?: number }, haltedFrom = Infinity,
): void {
  const live = createIncrementalPair(k, options);
  const ends = sessionEnds(sessions);
  const s = report.series!;
  let mismatches = 0;
  for (let t = 0; t < y.length; t++) {
    const tick = live.push(y[t], x[t], { sessionEnd: ends[t] === 1, halted: t >= haltedFrom });
    expect(tick.bar).toBe(t);
    const same =
      Object.is(tick.beta, s.beta[t]) && Object.is(tick.alpha, s.alpha[t]) && Object.is(tick.spread, s.spread[t]) &&
      Object.is(tick.variance, s.variance[t]) && Object.is(tick.z, s.z[t]) && tick.signal === report.position![t] &&
      Object.is(tick.equity, report.beforeCosts.equity![t]) && Object.is(tick.equityAfterCosts, report.afterCosts.equity![t]);
    if (!same) mismatches++;
  }
  expect(mismatches).toBe(0);
  expect(live.bars).toBe(y.length);
  const strip = ({ entryTime: _a, exitTime: _b, ...t }: (typeof report.trades)[number]) => t;
  expect(live.trades()).toEqual(report.trades.map(strip));
}

describe('incremental = batch, bit for bit', () => {
  it('on the demo pair with the fitted δ and Vₑ and costs', () => {
    const run = runPair(k, demo.bars, { y: 'JPM', x: 'C', costBps: 1.5 });
    expect(run.report.roundTrips).toBeGreaterThan(10);
    const [y, x] = demo.bars.closes;
    replayMatches(run.report, y, x, sessionIds(demo.bars.timestamps), {
      delta: run.fitted.delta, ve: run.fitted.ve, tradeFrom: run.fitted.window.to, warmup: run.report.warmup, costBps: 1.5,
    });
  });

  it('on a pair with gaps, several sessions and a risk halt that starts mid-run', () => {
    const { y, x, sessions } = syntheticPair({ seed: 31, bars: 2400, gaps: 0.03, spreadSd: 0.5, perSession: 390 });
    const options = { delta: 1e-7, ve: 0.05, tradeFrom: 200, warmup: 10, costBps: 2, entry: 1.5, exit: 0.3 };
    const report = pairBacktest(k, { y, x, sessions, ...options, haltedFrom: 1500 });
    expect(report.roundTrips).toBeGreaterThan(10);
    expect(report.blockedEntries).toBeGreaterThan(0);
    replayMatches(report, y, x, sessions, options, 1500);
  });

  it('reports a refused entry on the tick and each closed trade as it closes', () => {
    const { y, x } = syntheticPair({ seed: 32, bars: 800, spreadSd: 0.5 });
    const live = createIncrementalPair(k, { delta: 1e-7, ve: 0.05, warmup: 50, entry: 1.5, exit: 0.3 });
    let blocked = 0;
    let closed = 0;
    for (let t = 0; t < y.length; t++) {
      const tick = live.push(y[t], x[t], { halted: t >= 400 });
      if (tick.blocked) blocked++;
      if (tick.closed) {
        closed++;
        expect(tick.closed.exitBar).toBe(t);
      }
      if (t >= 400 && tick.signal !== 0) expect(live.trades().length === closed).toBe(true);
    }
    expect(blocked).toBeGreaterThan(0);
    expect(closed).toBe(live.trades().length);
  });
});

describe('incremental input checks', () => {
  it('refuses a non-positive or infinite close and keeps its state', () => {
    const live = createIncrementalPair(k, { delta: 1e-6, ve: 0.01 });
    live.push(100, 50);
    expect(() => live.push(-1, 50)).toThrow(/y, bar 2: a close must be positive/);
    expect(() => live.push(100, Infinity)).toThrow(/x, bar 2/);
    expect(live.bars).toBe(1);
    expect(live.push(Number.NaN, 50).bar).toBe(1);
  });
});
