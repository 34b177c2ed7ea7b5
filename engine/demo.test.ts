import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from './node.ts';
import { BARS_PER_SESSION } from './units.ts';
import { DEMO_ASSETS, DEMO_LABEL, DEMO_SESSIONS, PAIR, generateDemoMarket, type DemoMarket } from './demo.ts';

let demo: DemoMarket;
beforeAll(async () => {
  demo = generateDemoMarket(await loadKernels());
});

/** Sample covariance (divisor n−1) of the daily log returns of columns a and b. */
function sampleCov(a: Float64Array, b: Float64Array): number {
  const ra = Array.from({ length: a.length - 1 }, (_, t) => Math.log(a[t + 1] / a[t]));
  const rb = Array.from({ length: b.length - 1 }, (_, t) => Math.log(b[t + 1] / b[t]));
  const ma = ra.reduce((s, v) => s + v, 0) / ra.length;
  const mb = rb.reduce((s, v) => s + v, 0) / rb.length;
  return ra.reduce((s, v, t) => s + (v - ma) * (rb[t] - mb), 0) / (ra.length - 1);
}

describe('demo market', () => {
  it('is deterministic: a second engine generates the very same numbers', async () => {
    const again = generateDemoMarket(await loadKernels());
    expect(again.prices.closes).toEqual(demo.prices.closes);
    expect(again.bars.closes).toEqual(demo.bars.closes);
  });

  it('is labelled as synthetic', () => {
    expect(demo.label).toBe(DEMO_LABEL);
    expect(DEMO_LABEL).toBe('demo data (synthetic)');
  });

  it('has two years of weekdays for the seven stocks and ^IRX, ending at the book prices', () => {
    const { dates, tickers, closes } = demo.prices;
    expect(tickers).toEqual(['AAPL', 'MSFT', 'GOOGL', 'JPM', 'GS', 'MS', 'C', '^IRX']);
    expect(dates[0]).toBe('2024-11-20');
    expect(dates.at(-1)).toBe('2026-11-20');
    expect(dates.length).toBe(523); // 104 full weeks + Wed 2024-11-20..Fri: 520 + 3
    for (const d of dates) expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    const last = Object.fromEntries(tickers.map((t, j) => [t, closes[j].at(-1)]));
    expect(last).toMatchObject({ AAPL: 277.02, MSFT: 416.0, JPM: 318.22, GS: 914.14, MS: 180.74 });
    for (const c of closes) for (const v of c) expect(Number.isFinite(v) && v > 0).toBe(true);
    expect(demo.book.map((p) => [p.ticker, p.shares, p.price])).toEqual([
      ['AAPL', 1500, 277.02],
      ['MSFT', 1000, 416.0],
      ['JPM', -1200, 318.22],
      ['GS', -500, 914.14],
      ['MS', -1000, 180.74],
    ]);
  });

  it('ends ^IRX at the discount yield whose money-market equivalent is 3.60%', () => {
    const d = demo.prices.closes[7].at(-1)! / 100;
    // Money-market yield of a 91-day bill bought at discount d: d / (1 − d·91/360).
    expect(d / (1 - (d * 91) / 360)).toBeCloseTo(0.036, 12);
    expect(demo.rfr).toBe(0.036);
    for (const v of demo.prices.closes[7]) expect(v).toBeGreaterThan(3.0), expect(v).toBeLessThan(4.2);
  });

  it('has annual vols in 20–40% and the factor correlations within sampling error of the truth', () => {
    const n = DEMO_ASSETS.length;
    const days = demo.prices.dates.length - 1;
    for (let i = 0; i < n; i++) {
      const vol = Math.sqrt(252 * sampleCov(demo.prices.closes[i], demo.prices.closes[i]));
      expect(vol).toBeGreaterThan(0.2 * 0.85);
      expect(vol).toBeLessThan(0.4 * 1.15);
      // Relative standard error of a sample vol is ≈ 1/√(2N): allow 4 of them.
      expect(Math.abs(vol / demo.truth.annualVols[i] - 1)).toBeLessThan(4 / Math.sqrt(2 * days));
      for (let j = 0; j < i; j++) {
        const corr = sampleCov(demo.prices.closes[i], demo.prices.closes[j]) /
          Math.sqrt(sampleCov(demo.prices.closes[i], demo.prices.closes[i]) * sampleCov(demo.prices.closes[j], demo.prices.closes[j]));
        const truth = demo.truth.correlation[i * n + j];
        // Standard error of a sample correlation ≈ (1 − ρ²)/√N.
        expect(Math.abs(corr - truth)).toBeLessThan((4 * (1 - truth * truth)) / Math.sqrt(days) + 1e-9);
      }
    }
    const rho = (a: string, b: string) => demo.truth.correlation[DEMO_ASSETS.findIndex((x) => x.ticker === a) * n + DEMO_ASSETS.findIndex((x) => x.ticker === b)];
    expect(rho('AAPL', 'MSFT')).toBeGreaterThan(0.6);
    expect(rho('JPM', 'MS')).toBeGreaterThan(0.7);
    expect(rho('AAPL', 'JPM')).toBeLessThan(0.35);
  });

  it('has five sessions of 390 one-minute bars for JPM and C with New York offsets', () => {
    const { timestamps, times, tickers, closes } = demo.bars;
    expect(tickers).toEqual(['JPM', 'C']);
    expect(timestamps.length).toBe(DEMO_SESSIONS.length * BARS_PER_SESSION);
    expect(timestamps[0]).toBe('2026-11-16T09:30:00-05:00');
    expect(timestamps[389]).toBe('2026-11-16T15:59:00-05:00');
    expect(timestamps.at(-1)).toBe('2026-11-20T15:59:00-05:00');
    for (let i = 0; i < timestamps.length; i++) expect(Date.parse(timestamps[i])).toBe(times[i]);
    expect(closes[0].at(-1)).toBe(318.22);
    expect(closes[1].at(-1)).toBeCloseTo(118.3, 12);
  });

  it('is cointegrated: JPM = β_t·C + α + s_t, β from 2.62 to 2.69, s mean-reverting at its half-life', () => {
    const [y, x] = demo.bars.closes;
    const { hedgeRatio: beta, spread, alpha } = demo.truth;
    expect(beta[0]).toBeCloseTo(PAIR.betaStart, 12);
    expect(beta.at(-1)).toBeCloseTo(PAIR.betaEnd, 12);
    for (let t = 0; t < y.length; t++) expect(y[t]).toBeCloseTo(beta[t] * x[t] + alpha + spread[t], 9);
    for (let t = 1; t < beta.length; t++) expect(beta[t]).toBeGreaterThan(beta[t - 1]);
    // OLS of bar-to-bar changes ΔJPM on ΔC recovers the average hedge ratio (standard error ≈ 0.007;
    // a regression of levels would not: β's drift times C's level confounds it).
    let sxy = 0;
    let sxx = 0;
    for (let t = 1; t < x.length; t++) {
      sxy += (x[t] - x[t - 1]) * (y[t] - y[t - 1]);
      sxx += (x[t] - x[t - 1]) ** 2;
    }
    expect(sxy / sxx).toBeGreaterThan(PAIR.betaStart - 0.03);
    expect(sxy / sxx).toBeLessThan(PAIR.betaEnd + 0.03);
    // Lag-1 autocorrelation of the spread ≈ 0.5^(1/30) = 0.9772, standard error ≈ √((1−φ²)/N).
    let num = 0;
    let den = 0;
    for (let t = 1; t < spread.length; t++) num += spread[t] * spread[t - 1];
    for (const s of spread) den += s * s;
    const phi = Math.pow(0.5, 1 / PAIR.spreadHalfLifeBars);
    expect(Math.abs(num / den - phi)).toBeLessThan(4 * Math.sqrt((1 - phi * phi) / spread.length) + 0.01);
  });
});
