import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parametricVar } from './parametric.ts';
import { historicalVar, windowPnl } from './historical.ts';
import { backtestVar, baselZone, chiSquare1Sf, chiSquare2Sf, christoffersen, kupiec, MIN_WINDOW } from './backtest.ts';
import { normalPdf, normalQuantile } from '../stats/normal.ts';

describe('parametric VaR and ES', () => {
  it('matches the closed form for one asset (worked by hand)', () => {
    // N = 1,000,000, σ = 2%/day, μ = 0.05%/day, H = 10, c = 99%: z = 2.326348.
    const r = parametricVar({ meanDaily: [0.0005], covDaily: [0.0004], notionals: [1e6], horizon: 10, confidence: 0.99 });
    const z = normalQuantile(0.99);
    expect(z).toBeCloseTo(2.3263478740408408, 12);
    expect(r.var).toBeCloseTo(-10 * 0.0005 * 1e6 + z * Math.sqrt(10) * 0.02 * 1e6, 6); // ≈ 142,131.6
    expect(r.es).toBeCloseTo(-5000 + Math.sqrt(10) * 20_000 * (normalPdf(z) / 0.01), 6);
    const zero = parametricVar({ meanDaily: [0.0005], covDaily: [0.0004], notionals: [1e6], horizon: 10, confidence: 0.99, drift: 'zero' });
    expect(zero.var - r.var).toBeCloseTo(5000, 6);
  });

  it('allocates VaR and ES by Euler so the contributions add up (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0.9, max: 0.999, noNaN: true }),
        (N, c) => {
          const cov = [4e-4, 1e-4, -5e-5, 1e-4, 9e-4, 2e-4, -5e-5, 2e-4, 2.5e-4];
          const r = parametricVar({ meanDaily: [1e-4, -2e-4, 3e-4], covDaily: cov, notionals: N, horizon: 5, confidence: c });
          const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
          const scale = 1 + Math.abs(r.var) + Math.abs(r.es);
          expect(Math.abs(sum(r.varContributions) - r.var)).toBeLessThan(1e-9 * scale);
          expect(Math.abs(sum(r.esContributions) - r.es)).toBeLessThan(1e-9 * scale);
        },
      ),
    );
  });
});

describe('historical VaR and ES', () => {
  it('prices every overlapping H-day window of the returns (worked by hand)', () => {
    // Two assets, T = 4 days, H = 2 → windows (0,1), (1,2), (2,3).
    const r = [0.01, -0.02, 0.03, 0.0, /* asset 2 */ 0.0, 0.01, -0.01, 0.02];
    const pnl = windowPnl(r, [100, -50], 4, 2);
    const expected = [
      100 * Math.expm1(0.01 - 0.02) - 50 * Math.expm1(0.0 + 0.01),
      100 * Math.expm1(-0.02 + 0.03) - 50 * Math.expm1(0.01 - 0.01),
      100 * Math.expm1(0.03 + 0.0) - 50 * Math.expm1(-0.01 + 0.02),
    ];
    expected.forEach((v, s) => expect(pnl[s]).toBeCloseTo(v, 13));
    const h = historicalVar(r, [100, -50], 4, 2, 0.5);
    expect(h.windows).toBe(3);
    expect(h.var).toBeCloseTo(-(100 * Math.expm1(0.01)), 12); // the median window
  });
});

describe('backtest statistics', () => {
  it('gives Kupiec’s LR worked by hand: T = 250, x = 5, p = 1%', () => {
    // −2[245·ln .99 + 5·ln .01 − 245·ln .98 − 5·ln .02]
    //   = −2[−2.4623323 − 23.0258509 + 4.9496633 + 19.5601150] = 1.95681
    const k = kupiec(250, 5, 0.01);
    expect(k.lr).toBeCloseTo(1.95681, 5);
    expect(k.p).toBeCloseTo(0.161855, 5); // P(χ²₁ > 1.95681)
    expect(kupiec(250, 0, 0.01).lr).toBeCloseTo(-2 * 250 * Math.log(0.99), 12); // 0·ln 0 = 0
  });

  it('gives Christoffersen’s LR worked by hand', () => {
    // Transitions n00 = 4, n01 = 2, n10 = 2, n11 = 1: π₀ = π₁ = π = 1/3 → LR = 0.
    expect(christoffersen([0, 0, 1, 1, 0, 0, 0, 1, 0, 0]).lr).toBeCloseTo(0, 12);
    // n00 = 5, n01 = 1, n10 = 1, n11 = 2: LR = −2(−5.728627 + 4.612909) = 2.231436.
    expect(christoffersen([0, 0, 0, 1, 1, 1, 0, 0, 0, 0]).lr).toBeCloseTo(2.231436, 5);
  });

  it('uses the χ² tails at their textbook 5% points', () => {
    expect(chiSquare1Sf(3.841458820694124)).toBeCloseTo(0.05, 12);
    expect(chiSquare2Sf(5.991464547107979)).toBeCloseTo(0.05, 12);
    expect(chiSquare1Sf(0)).toBe(1);
  });

  it('puts the traffic-light boundaries where the Basel table does (250 days, 99%)', () => {
    expect([0, 4, 5, 9, 10, 30].map((x) => baselZone(x, 250))).toEqual(['green', 'green', 'yellow', 'yellow', 'red', 'red']);
    expect(baselZone(0, 249)).toBe('insufficient data');
  });

  it('estimates each day’s VaR from returns strictly before it (no look-ahead)', () => {
    // One asset, weekdays; a quiet ±1% series with a −30% crash on one day.
    const T = 200;
    const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2024, 0, 1) + t * 86_400_000).toISOString().slice(0, 10));
    const returns = Float64Array.from({ length: T }, (_, t) => (t % 2 ? 0.01 : -0.01));
    const crash = 150;
    returns[crash] = -0.3;
    const bt = backtestVar({ returns, dates, notionals: [1e6], lookback: 365, method: 'parametric' });
    const at = (d: string) => bt.series.dates.indexOf(d);
    // The crash day is an exception: its VaR did not see it.
    expect(bt.series.exception[at(dates[crash])]).toBe(1);
    expect(bt.series.var[at(dates[crash])]).toBeLessThan(30_000);
    // The next day's window holds it, so its VaR jumps.
    expect(bt.series.var[at(dates[crash + 1])]).toBeGreaterThan(2 * bt.series.var[at(dates[crash])]);
    // Dates with fewer than 60 prior returns are not tested.
    expect(bt.series.dates[0]).toBe(dates[MIN_WINDOW]);
    expect(bt.observations).toBe(T - MIN_WINDOW);
    expect(bt.zone).toBe('insufficient data');
    // The parametric VaR of a window is −mean + z·sd of the window's linear P&L.
    const t = crash;
    const window = Array.from(returns.subarray(t - 150 >= 0 ? 0 : 0, t)).map((r) => r * 1e6);
    const mean = window.reduce((a, b) => a + b, 0) / window.length;
    const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / (window.length - 1));
    expect(bt.series.var[at(dates[t])]).toBeCloseTo(-mean + normalQuantile(0.99) * sd, 6);
  });
});

describe('stress', () => {
  it('keeps the worst non-overlapping windows, worst first, with their dates', async () => {
    const { worstWindows } = await import('./stress.ts');
    const dates = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'];
    const r = [0, -0.1, -0.1, 0, 0, 0, -0.05, 0];
    const w = worstWindows(r, dates, [100], 2, 3);
    expect(w.map((x) => x.dates)).toEqual([['d1', 'd2'], ['d5', 'd6'], ['d3', 'd4']]);
    expect(w[0].pnl).toBeCloseTo(100 * Math.expm1(-0.2), 12);
    expect(w[0].name).toBe('worst 2-day window #1');
  });

  it('applies ticker and group shocks as simple returns, naming bad entries', async () => {
    const { applyShock, parseShocks } = await import('./stress.ts');
    const tickers = ['AAPL', 'MSFT', 'JPM'];
    const shock = parseShocks(['tech=-0.2', 'JPM=0.1'], tickers, { tech: ['AAPL', 'MSFT'] });
    expect(applyShock(shock, tickers, [1000, 500, -300]).pnl).toBeCloseTo(-200 - 100 - 30, 12);
    expect(() => parseShocks(['XYZ=-0.1'], tickers)).toThrow(/--shock name must be a ticker of the book/);
    expect(() => parseShocks(['AAPL=-1.5'], tickers)).toThrow(/NAME=RETURN with RETURN > −1/);
  });
});

describe('Monte Carlo backtest', () => {
  it('re-estimates each day from its window and converges to the one-asset closed form', async () => {
    const { loadKernels } = await import('../node.ts');
    const k = await loadKernels();
    const T = 120;
    const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2024, 0, 1) + t * 86_400_000).toISOString().slice(0, 10));
    const returns = Float64Array.from({ length: T }, (_, t) => 0.012 * Math.sin(t * 1.7) + 0.0003);
    const N = 1e6;
    const run = (paths: number, seed = 3) =>
      backtestVar({ returns, dates, notionals: [N], lookback: 365, method: 'montecarlo', kernels: k, paths, seed });
    const mc = run(40_000);
    const bt = backtestVar({ returns, dates, notionals: [N], lookback: 365, method: 'parametric' });
    expect(mc.series.dates).toEqual(bt.series.dates);
    // Day by day: −N·(exp(μ + z₀.₀₁·σ) − 1) from the same window, within 2% at 40,000 paths.
    const t = T - 1;
    const window = Array.from(returns.subarray(0, t));
    const mu = window.reduce((a, b) => a + b, 0) / window.length;
    const sd = Math.sqrt(window.reduce((a, b) => a + (b - mu) ** 2, 0) / (window.length - 1));
    const exact = -N * Math.expm1(mu + normalQuantile(0.01) * sd);
    expect(mc.series.var.at(-1)! / exact).toBeCloseTo(1, 1);
    expect(Math.abs(mc.series.var.at(-1)! / exact - 1)).toBeLessThan(0.02);
    // Seeded: the same seed gives the same backtest, another seed a different one.
    expect(run(2000).series.var).toEqual(run(2000).series.var);
    expect(run(2000, 4).series.var).not.toEqual(run(2000).series.var);
  });

  it('needs the kernels', () => {
    expect(() => backtestVar({ returns: [0.01], dates: ['2024-01-01'], notionals: [1], lookback: 10, method: 'montecarlo' })).toThrow(/backtest method/);
  });
});
