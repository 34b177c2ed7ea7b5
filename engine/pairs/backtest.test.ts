import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { MINUTE_BARS_PER_YEAR } from '../units.ts';
import type { BarTable } from '../types.ts';
import { isoWithOffset } from '../demo.ts';
import { pairBacktest, sharpeFromSums } from './backtest.ts';
import { runPair } from './run.ts';
import { syntheticPair } from './test-helpers.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

describe('the backtest rules, worked by hand on sixteen bars', () => {
  // x is constant, so the spread is y − 10β − α and each bar return is side·Δy / Gₑ.
  const y = Float64Array.from([100, 100.1, 99.9, 100, 100.05, 101.5, 101.45, 101.2, 100.9, 100.95, 100.9, 102.5, 102.45, 101, 100.2, 100.25]);
  const x = new Float64Array(y.length).fill(10);
  // Bars 0–11 are one session, 12–15 the next.
  const sessions = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
  const run = (costBps: number) => pairBacktest(k, { y, x, sessions, delta: 1e-3, ve: 0.01, tradeFrom: 3, warmup: 0, entry: 2, exit: 0.5, costBps });

  it('enters, exits, skips an entry at a session end, holds through a repeated signal and closes at the session end', () => {
    const r = run(10);
    const { z, beta } = r.series!;
    // The z-scores the scenario rests on.
    expect(z[5]).toBeGreaterThan(2); // short entry
    expect(Math.abs(z[6])).toBeLessThan(0.5); // exit
    expect(z[11]).toBeGreaterThan(2); // a signal on the session's last bar: no entry
    expect(z[13]).toBeLessThan(-2); // long entry
    expect(z[14]).toBeLessThan(-2); // the same signal again: hold
    expect(Math.abs(z[15])).toBeLessThan(0.5);
    for (let t = 0; t < 3; t++) expect(Math.abs(z[t])).toBeGreaterThan(0.5); // no signal before tradeFrom
    expect(Array.from(r.position!)).toEqual([0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]);

    const g1 = y[5] + beta[5] * 10;
    const g2 = y[13] + beta[13] * 10;
    const rate = 10 / 1e4;
    const exit1 = (y[6] + beta[5] * 10) / g1;
    const exit2 = (y[15] + beta[13] * 10) / g2;
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-15);

    // Trades: the position decided at t earns t → t+1 (short: −Δy; long: +Δy, over Gₑ).
    expect(r.trades.map((t) => [t.side, t.entryBar, t.exitBar, t.exitReason])).toEqual([
      ['short', 5, 6, 'signal'],
      ['long', 13, 15, 'session-end'],
    ]);
    close(r.trades[0].betaEntry, beta[5]);
    close(r.trades[0].pnl, -(y[6] - y[5]) / g1);
    close(r.trades[0].costs, rate + rate * exit1);
    close(r.trades[1].pnl, (y[14] - y[13]) / g2 + (y[15] - y[14]) / g2);
    close(r.trades[1].costs, rate + rate * exit2);

    // Equity before costs moves only on the bar after a decision; after costs pays at the decision.
    const before = [1, 1, 1, 1, 1, 1];
    before.push(1 - (y[6] - y[5]) / g1);
    for (let t = 7; t <= 13; t++) before.push(before[6]);
    before.push(before[13] + (y[14] - y[13]) / g2);
    before.push(before[14] + (y[15] - y[14]) / g2);
    r.beforeCosts.equity!.forEach((v, t) => close(v, before[t]));
    const after = [1, 1, 1, 1, 1, 1 - rate];
    after.push(after[5] - (y[6] - y[5]) / g1 - rate * exit1);
    for (let t = 7; t <= 12; t++) after.push(after[6]);
    after.push(after[12] - rate);
    after.push(after[13] + (y[14] - y[13]) / g2);
    after.push(after[14] + (y[15] - y[14]) / g2 - rate * exit2);
    r.afterCosts.equity!.forEach((v, t) => close(v, after[t]));

    // Figures over the traded bars 3…15: bar returns are the equity's changes.
    const returns = (e: number[]) => e.slice(3).map((v, i) => v - (i === 0 ? 1 : e[i + 2]));
    const sharpe = (rs: number[]) => {
      const m = rs.reduce((a, b) => a + b, 0) / rs.length;
      const sd = Math.sqrt(rs.reduce((a, b) => a + (b - m) ** 2, 0) / (rs.length - 1));
      return { sr: (m / sd) * Math.sqrt(MINUTE_BARS_PER_YEAR), se: Math.sqrt((1 + (m / sd) ** 2 / 2) / rs.length) * Math.sqrt(MINUTE_BARS_PER_YEAR) };
    };
    const sb = sharpe(returns(before));
    const sa = sharpe(returns(after));
    expect(Math.abs(r.beforeCosts.sharpe - sb.sr)).toBeLessThan(1e-9);
    expect(Math.abs(r.beforeCosts.sharpeSe - sb.se)).toBeLessThan(1e-9);
    expect(Math.abs(r.afterCosts.sharpe - sa.sr)).toBeLessThan(1e-9);
    close(r.beforeCosts.totalReturn, before[15] - 1);
    close(r.afterCosts.totalReturn, after[15] - 1);
    close(r.beforeCosts.maxDrawdown, (before[6] - before[14]) / before[6]);
    close(r.afterCosts.maxDrawdown, (1 - after[15]) / 1);
    expect(r.beforeCosts.hitRate).toBe(0.5);
    expect(r.afterCosts.hitRate).toBe(0);
    close(r.beforeCosts.turnover, 2 + exit1 + exit2);
    expect(r.roundTrips).toBe(2);
    expect(r.smallSample).toBe(true);
    expect(r.firstSignalBar).toBe(3);
    expect(r.tradedBars).toBe(13);
  });

  it('without costs the two curves are the same', () => {
    const r = run(0);
    expect(r.afterCosts.equity).toEqual(r.beforeCosts.equity);
    expect(r.trades.every((t) => t.costs === 0)).toBe(true);
  });

  it('a flip closes and opens at the same bar, paying both legs', () => {
    // A jump up then straight down through the band: short at 5, long at 6.
    const y2 = Float64Array.from([100, 100.1, 99.9, 100, 100.05, 101.5, 99.5, 99.6, 99.55, 99.6]);
    const x2 = new Float64Array(y2.length).fill(10);
    const r = pairBacktest(k, { y: y2, x: x2, sessions: new Array(10).fill(0), delta: 1e-3, ve: 0.01, tradeFrom: 3, warmup: 0, costBps: 1 });
    const z = r.series!.z;
    expect(z[5]).toBeGreaterThan(2);
    expect(z[6]).toBeLessThan(-2);
    expect(r.trades[0]).toMatchObject({ side: 'short', entryBar: 5, exitBar: 6, exitReason: 'flip' });
    expect(r.trades[1]).toMatchObject({ side: 'long', entryBar: 6 });
    const dropAtFlip = r.afterCosts.equity![5] - r.afterCosts.equity![6] + (r.beforeCosts.equity![6] - r.beforeCosts.equity![5]);
    expect(Math.abs(dropAtFlip - (1e-4 * (y2[6] + r.trades[0].betaEntry * 10)) / (y2[5] + r.trades[0].betaEntry * 10) - 1e-4)).toBeLessThan(1e-15);
  });

  it('the Sharpe standard error is Lo (2002): √((1 + SR²/2)/T), annualised', () => {
    const { sharpe, sharpeSe } = sharpeFromSums(4, 0.1 + 0.2 - 0.1 + 0.05, 0.01 + 0.04 + 0.01 + 0.0025);
    const m = 0.25 / 4;
    const sd = Math.sqrt((0.0625 - 4 * m * m) / 3);
    expect(sharpe).toBeCloseTo((m / sd) * Math.sqrt(MINUTE_BARS_PER_YEAR), 9);
    expect(sharpeSe).toBeCloseTo(Math.sqrt((1 + (m / sd) ** 2 / 2) / 4) * Math.sqrt(MINUTE_BARS_PER_YEAR), 9);
    expect(Number.isNaN(sharpeFromSums(10, 0, 0).sharpe)).toBe(true);
  });
});

/** A bar table of `bars` one-minute bars, 60 to a session, from a synthetic pair. */
function table(y: Float64Array, x: Float64Array): BarTable {
  const times = new Float64Array(y.length);
  const timestamps: string[] = [];
  for (let t = 0; t < y.length; t++) {
    const day = Math.floor(t / 60);
    times[t] = Date.parse('2026-02-02T09:30:00-05:00') + day * 86_400_000 + (t % 60) * 60_000;
    timestamps.push(isoWithOffset(times[t], -300));
  }
  return { timestamps, times, tickers: ['Y', 'X'], closes: [y, x] };
}

describe('no look-ahead', () => {
  it('changing any data after bar t leaves every position, β, z and equity up to t unchanged', () => {
    const base = syntheticPair({ seed: 21, bars: 420, gaps: 0.02, spreadSd: 0.5 });
    const options = { y: 'Y', x: 'X', calibrate: 120, warmup: 5, entry: 1.5, exit: 0.3, costBps: 1, maxEvaluations: 30 };
    const reference = runPair(k, table(base.y, base.x), options);
    expect(reference.report.roundTrips).toBeGreaterThan(3);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 418 }),
        fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 1, maxLength: 64 }),
        fc.integer({ min: 2, max: 50 }),
        (t, noise, gapEvery) => {
          // New prices for every bar after t, and some new gaps.
          const y = base.y.slice();
          const x = base.x.slice();
          for (let s = t + 1, i = 0; s < y.length; s++, i++) {
            y[s] = i % gapEvery === 1 ? Number.NaN : noise[i % noise.length];
            x[s] = i % gapEvery === 0 ? Number.NaN : noise[(i * 7 + 3) % noise.length];
          }
          const changed = runPair(k, table(y, x), options);
          const a = reference.report;
          const b = changed.report;
          for (let s = 0; s <= t; s++) {
            expect(b.position![s]).toBe(a.position![s]);
            expect(b.beforeCosts.equity![s]).toBe(a.beforeCosts.equity![s]);
            expect(b.afterCosts.equity![s]).toBe(a.afterCosts.equity![s]);
          }
          if (t >= options.calibrate) {
            expect(changed.fitted).toEqual(reference.fitted);
            for (let s = 0; s <= t; s++) {
              expect(Object.is(b.series!.beta[s], a.series!.beta[s])).toBe(true);
              expect(Object.is(b.series!.z[s], a.series!.z[s])).toBe(true);
            }
          }
          const closedBy = (r: typeof a) => r.trades.filter((tr) => tr.exitBar <= t);
          expect(closedBy(b)).toEqual(closedBy(a));
        },
      ),
      { numRuns: 40, seed: 20261122 },
    );
  });
});

describe('the risk halt', () => {
  const pair = syntheticPair({ seed: 5, bars: 1200, spreadSd: 0.5, perSession: 300 });
  const inputs = { ...pair, delta: 1e-7, ve: 0.05, tradeFrom: 100, warmup: 0, entry: 1.5, exit: 0.3 };

  it('opens no trade at or after the halt, lets open ones close, and counts the refused entries', () => {
    const free = pairBacktest(k, inputs);
    expect(free.roundTrips).toBeGreaterThan(10);
    const from = 600;
    const halted = pairBacktest(k, { ...inputs, haltedFrom: from });
    expect(halted.halted).toBe(true);
    expect(halted.blockedEntries).toBeGreaterThan(0);
    expect(halted.trades.every((t) => t.entryBar < from)).toBe(true);
    // A trade open at the halt closes as it would have (a flip's new leg is what is refused).
    expect(halted.trades).toEqual(free.trades.filter((t) => t.entryBar < from));
    expect(free.trades.some((t) => t.entryBar >= from)).toBe(true);
  });

  it('halted from the start trades nothing', () => {
    const r = pairBacktest(k, { ...inputs, halted: true });
    expect(r.roundTrips).toBe(0);
    expect(r.halted).toBe(true);
    expect(r.blockedEntries).toBeGreaterThan(0);
    expect(r.afterCosts.totalReturn).toBe(0);
    expect(Number.isNaN(r.afterCosts.sharpe)).toBe(true);
  });
});

describe('the input checks (scanned in wasm; the message names the first bad value as the JS rule would)', () => {
  const bad = fc.constantFrom(0, -0, -1.5, Infinity, -Infinity);
  const inputsOf = (y: Float64Array, x: Float64Array, sessions: ArrayLike<number>) => ({ y, x, sessions, delta: 1e-6, ve: 0.1, warmup: 0 });

  it('a close that is not positive and finite: the first one of y, else of x, by bar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 37 }),
        fc.array(fc.record({ leg: fc.constantFrom(0, 1), at: fc.nat(), value: bad }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, spoilt, gapRate) => {
          const legs = [new Float64Array(n), new Float64Array(n)];
          for (let t = 0; t < n; t++) {
            legs[0][t] = (t * 0.37) % 1 < gapRate / 2 ? NaN : 100 + t; // missing closes are allowed
            legs[1][t] = 50 + (t % 7);
          }
          for (const s of spoilt) legs[s.leg][s.at % n] = s.value;
          // The rule, by hand: y's first bad bar, else x's.
          let expected = '';
          for (const leg of [0, 1]) {
            const t = legs[leg].findIndex((v) => !(v > 0 && v < Infinity) && !Number.isNaN(v));
            if (t >= 0) {
              expected = `${leg === 0 ? 'y' : 'x'}, bar ${t + 1}: a close must be positive and finite (empty when missing), got ${legs[leg][t]}`;
              break;
            }
          }
          expect(() => pairBacktest(k, inputsOf(legs[0], legs[1], new Int32Array(n)))).toThrow(expected);
        },
      ),
    );
  });

  it('session labels that decrease (or are NaN) name the first bar that breaks the order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 37 }), fc.nat(), fc.constantFrom(-1, NaN, -0.5), (n, at, drop) => {
        const t = 1 + (at % (n - 1));
        const sessions = Array.from({ length: n }, (_, i) => Math.floor(i / 5));
        sessions[t] = Number.isNaN(drop) ? NaN : sessions[t - 1] + drop;
        const y = Float64Array.from({ length: n }, (_, i) => 100 + i);
        const x = Float64Array.from({ length: n }, (_, i) => 50 + (i % 3));
        expect(() => pairBacktest(k, inputsOf(y, x, sessions))).toThrow(`the session labels decrease at bar ${t + 1}: they must be non-decreasing`);
      }),
    );
  });

  it('the kernels agree with the rules on any mix of values, odd and even lengths', () => {
    const value = fc.oneof(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.constantFrom(NaN, 0, -0, -2, Infinity, -Infinity));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 21 }), fc.array(value, { maxLength: 21 }), (a, b) => {
        const n = Math.min(a.length, b.length);
        k.reset();
        const py = k.putF64(a.slice(0, n));
        const px = k.putF64(b.slice(0, n));
        const fine = (v: number) => (v > 0 && v < Infinity) || Number.isNaN(v);
        expect(k.exports.pairPricesValid(py, px, n)).toBe(a.slice(0, n).every(fine) && b.slice(0, n).every(fine) ? 1 : 0);
        const ps = k.putF64(a);
        expect(k.exports.pairSessionsOrdered(ps, a.length)).toBe(a.every((v, i) => i === 0 || v >= a[i - 1]) ? 1 : 0);
      }),
    );
  });
});
