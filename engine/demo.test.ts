import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels } from './node.ts';
import { createHash } from 'node:crypto';
import { BARS_PER_SESSION, MINUTE_BARS_PER_YEAR, MS_PER_DAY } from './units.ts';
import { DEMO_ASSETS, DEMO_LABEL, DEMO_SESSIONS, PAIR, PAIR_SESSIONS, generateDemoMarket, isoWithOffset, type DemoMarket } from './demo.ts';
import { DEMO_BANK_LEGS, DEMO_COINTEGRATED, newYorkOffsetMinutes } from './demo-bars.ts';

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

  it('has thirty weekday sessions of 390 one-minute bars for the ten banks at New York time', () => {
    const { timestamps, times, tickers, closes } = demo.bars;
    expect(tickers).toEqual(['JPM', 'C', 'BAC', 'WFC', 'GS', 'MS', 'USB', 'PNC', 'TFC', 'SCHW']);
    expect(DEMO_SESSIONS.length).toBe(30);
    expect(DEMO_SESSIONS.at(-1)).toBe(demo.prices.dates.at(-1));
    expect(timestamps.length).toBe(30 * BARS_PER_SESSION);
    expect(timestamps[0]).toBe('2026-10-12T09:30:00-04:00');
    // Daylight saving time ends on Sunday 2026-11-01: the offset changes between two sessions.
    expect(timestamps[15 * 390 - 1]).toBe('2026-10-30T15:59:00-04:00');
    expect(timestamps[15 * 390]).toBe('2026-11-02T09:30:00-05:00');
    expect(timestamps.at(-1)).toBe('2026-11-20T15:59:00-05:00');
    const wrong: string[] = [];
    DEMO_SESSIONS.forEach((day, s) => {
      if ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay())) wrong.push(`${day} is a weekend`);
      if (timestamps[s * 390].slice(0, 16) !== `${day}T09:30`) wrong.push(`session ${day} opens at ${timestamps[s * 390]}`);
      for (let m = 1; m < 390; m++) if (times[s * 390 + m] - times[s * 390 + m - 1] !== 60_000) wrong.push(`bar ${s * 390 + m} is not a minute on`);
    });
    for (let i = 0; i < timestamps.length; i++) {
      if (Date.parse(timestamps[i]) !== times[i]) wrong.push(`time of bar ${i}`);
      if (timestamps[i] !== isoWithOffset(times[i], newYorkOffsetMinutes(timestamps[i].slice(0, 10)))) wrong.push(`timestamp ${timestamps[i]}`);
    }
    for (const [j, c] of closes.entries()) {
      if (c.length !== timestamps.length) wrong.push(`${tickers[j]} has ${c.length} bars`);
      if (!c.every((v) => Number.isFinite(v) && v > 0)) wrong.push(`${tickers[j]} has a price that is not positive`);
    }
    expect(wrong).toEqual([]);
    // The bars end at the daily closes where the daily demo has the ticker.
    for (const t of ['JPM', 'C', 'GS', 'MS']) {
      const daily = demo.prices.closes[demo.prices.tickers.indexOf(t)].at(-1)!;
      expect(closes[tickers.indexOf(t)].at(-1)).toBeCloseTo(daily, 12);
    }
  });

  it('keeps the original five sessions of JPM/C bars bit for bit as the last five', () => {
    // SHA-256 of the bytes of the original generator's arrays (commit a212a58, five sessions).
    const sha = (a: Float64Array) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
    const from = (30 - PAIR_SESSIONS) * BARS_PER_SESSION;
    expect(PAIR_SESSIONS).toBe(5);
    expect(sha(demo.bars.closes[0].slice(from))).toBe('c304c149dc333da52f25fdb8157bf8ef3a96fdc18fb2c924aa51f94e18b4c5a3');
    expect(sha(demo.bars.closes[1].slice(from))).toBe('b72d32c0e1627e92d3002b2d92a6b20e212da4471798e7a26766607bdd64b388');
    expect(sha(demo.bars.times.slice(from))).toBe('c2e42b942beb0a99cb7a9200978741ffa9124a2bcd93a4c2f4c572402124f95f');
    expect(sha(demo.truth.hedgeRatio.slice(from))).toBe('96141757d54410f4bc745ee5b8a1e7d70026a7f87d8d1923f10ceb1824f64fb6');
    expect(sha(demo.truth.spread.slice(from))).toBe('b62ba7fce7fc5c9b02f03909a6cf29e561921044cc40cf72f708794f69f133ed');
    expect(createHash('sha256').update(demo.bars.timestamps.slice(from).join('\n')).digest('hex')).toBe(
      'f10ea6af94b841f6f138008d542b3294e0938ed98277c232b075458be1654dd2',
    );
    expect(demo.truth.alpha).toBe(0.10979896760816316);
  });

  it('puts New York on EDT from the second Sunday of March to the first Sunday of November, as the tz database does', () => {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'longOffset' });
    for (let t = Date.parse('2024-01-01T00:00:00Z'); t < Date.parse('2028-01-01T00:00:00Z'); t += MS_PER_DAY) {
      const day = new Date(t).toISOString().slice(0, 10);
      const noon = zone.formatToParts(new Date(`${day}T16:00:00Z`)).find((p) => p.type === 'timeZoneName')!.value;
      expect(`${day} ${newYorkOffsetMinutes(day)}`).toBe(`${day} ${noon === 'GMT-04:00' ? -240 : -300}`);
    }
  });

  it('is cointegrated: JPM = β_t·C + α + s_t, β from 2.62 to 2.69, s mean-reverting at its half-life', () => {
    const [y, x] = demo.bars.closes;
    const { hedgeRatio: beta, spread, alpha } = demo.truth;
    expect(beta[0]).toBeCloseTo(PAIR.betaStart, 12);
    expect(beta.at(-1)).toBeCloseTo(PAIR.betaEnd, 12);
    for (let t = 0; t < y.length; t++) expect(y[t]).toBeCloseTo(beta[t] * x[t] + alpha + spread[t], 9);
    // Constant before the original five sessions, then rising to the end.
    const from = (30 - PAIR_SESSIONS) * BARS_PER_SESSION;
    for (let t = 1; t < from; t++) expect(beta[t]).toBe(PAIR.betaStart);
    for (let t = from + 1; t < beta.length; t++) expect(beta[t]).toBeGreaterThan(beta[t - 1]);
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

  it('builds BAC/WFC, GS/MS and USB/PNC like JPM/C: y = β·x + α + s with s an OU spread of the stated half-life', () => {
    const { tickers, closes } = demo.bars;
    const col = (t: string) => closes[tickers.indexOf(t)];
    expect(demo.truth.cointegrated.map((c) => `${c.y}/${c.x}`)).toEqual(['JPM/C', 'BAC/WFC', 'GS/MS', 'USB/PNC']);
    expect(new Set(DEMO_COINTEGRATED.map((c) => c.halfLifeBars)).size).toBe(4);
    for (const c of demo.truth.cointegrated.slice(1)) {
      const y = col(c.y);
      const x = col(c.x);
      const s = y.map((v, t) => v - c.beta * x[t] - c.alpha);
      expect(y.at(-1)).toBe(c.lastClose);
      // Lag-1 autocorrelation ≈ 0.5^(1/h); standard deviation ≈ the stated one (±4 standard errors).
      let num = 0;
      let den = 0;
      let sum = 0;
      for (let t = 1; t < s.length; t++) num += s[t] * s[t - 1];
      for (const v of s) (den += v * v), (sum += v);
      const phi = Math.pow(0.5, 1 / c.halfLifeBars);
      expect(Math.abs(num / den - phi)).toBeLessThan(4 * Math.sqrt((1 - phi * phi) / s.length) + 0.01);
      // Effective sample of an AR(1): N(1 − φ)/(1 + φ); the sample sd's relative error is ≈ 1/√(2·that).
      const effective = (s.length * (1 - phi)) / (1 + phi);
      expect(Math.abs(Math.sqrt(den / s.length) / c.spreadStd - 1)).toBeLessThan(4 / Math.sqrt(2 * effective));
      expect(Math.abs(sum / s.length)).toBeLessThan((4 * c.spreadStd) / Math.sqrt(effective));
    }
  });

  it('drives the random-walk legs by the bank factor (C’s shock): minute correlations and vols as specified', () => {
    const { tickers, closes } = demo.bars;
    // Intraday minute log returns only (a night's move is a different scale).
    const returns = (t: string) => {
      const p = closes[tickers.indexOf(t)];
      const out: number[] = [];
      for (let i = 1; i < p.length; i++) if (i % BARS_PER_SESSION !== 0) out.push(Math.log(p[i] / p[i - 1]));
      return out;
    };
    const corr = (a: number[], b: number[]) => {
      const ma = a.reduce((s, v) => s + v, 0) / a.length;
      const mb = b.reduce((s, v) => s + v, 0) / b.length;
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      for (let i = 0; i < a.length; i++) (sab += (a[i] - ma) * (b[i] - mb)), (saa += (a[i] - ma) ** 2), (sbb += (b[i] - mb) ** 2);
      return { rho: sab / Math.sqrt(saa * sbb), sd: Math.sqrt(saa / (a.length - 1)) };
    };
    const c = returns('C');
    const legs = DEMO_BANK_LEGS.map((leg) => ({ leg, r: returns(leg.ticker) }));
    const n = c.length;
    for (const { leg, r } of legs) {
      const { rho, sd } = corr(r, c);
      expect(Math.abs(rho - leg.factorLoading)).toBeLessThan((4 * (1 - leg.factorLoading ** 2)) / Math.sqrt(n));
      expect(Math.abs((sd * Math.sqrt(MINUTE_BARS_PER_YEAR)) / leg.annualVol - 1)).toBeLessThan(4 / Math.sqrt(2 * n));
    }
    for (let i = 0; i < legs.length; i++) {
      for (let j = 0; j < i; j++) {
        const truth = legs[i].leg.factorLoading * legs[j].leg.factorLoading;
        expect(Math.abs(corr(legs[i].r, legs[j].r).rho - truth)).toBeLessThan((4 * (1 - truth ** 2)) / Math.sqrt(n));
      }
    }
  });
});
