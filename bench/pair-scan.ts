/**
 * `pair-scan` rows: the 190-pair scan of a seeded 20-ticker universe over 30 sessions of minute
 * bars (11,700 rows), MLE calibration included, as `astra scan` runs it (engine/pairs/scan.ts).
 *
 * - `pair-scan`: in one thread (what one pool worker does with all the blocks) against a plain-TS
 *   port of the same algorithm — the Engle–Granger statistics with the same near-Toeplitz Gram and
 *   one Cholesky for all lags, the likelihood passes of the calibration (the same Nelder–Mead, the
 *   same number of evaluations), and the Kalman backtest loop of bench/kalman.ts over the same bars.
 * - `pair-scan-pool`: the same scan on the Node pool, 1 worker (baseline) against every core, so
 *   the ratio is the speed-up; the note says whether the results are identical.
 * Target (issue): ≤ 150 ms on one worker, less on the pool. The note states the calibration window
 * and the likelihood evaluations, and splits the single-thread time into its parts.
 */
import { availableParallelism } from 'node:os';
import type { Kernels } from '../engine/kernels.ts';
import { calibrateKalman } from '../engine/pairs/calibrate.ts';
import { pairBacktest } from '../engine/pairs/backtest.ts';
import { allocEngleGrangerScratch, engleGrangerAt, resolveLags } from '../engine/pairs/cointegration.ts';
import { nelderMead } from '../engine/pairs/neldermead.ts';
import { SCAN_CALIBRATION, scanPairs, type ScanResult } from '../engine/pairs/scan.ts';
import { sessionIds } from '../engine/pairs/sessions.ts';
import { createNodePool, defaultNodePoolSize } from '../engine/pool/node.ts';
import { runScanOnPool } from '../engine/pool/tasks/scan.ts';
import { normals } from '../engine/random/draws.ts';
import type { BarTable } from '../engine/types.ts';
import { BARS_PER_SESSION, MINUTE_BARS_PER_YEAR } from '../engine/units.ts';
import { medianMs, row, type BenchRow } from './harness.ts';
import { kalmanBacktestTs } from './kalman.ts';

export const PAIR_SCAN_TARGET_MS = 150;
const TICKERS = 20;
const SESSIONS = 30;

/**
 * The bench universe: 20 log random walks loading 0.6 on a common factor (25–35% a year, a larger
 * move across each night), five of them the x legs of pairs cointegrated by construction
 * (y = β·x + α + an AR(1) spread), seeded through the kernels' normals.
 */
export function benchUniverse(k: Kernels): BarTable {
  const n = SESSIONS * BARS_PER_SESSION;
  const factor = normals(k, n, 7_777, 0);
  const closes: Float64Array[] = [];
  const tickers: string[] = [];
  for (let j = 0; j < TICKERS; j++) {
    tickers.push(`T${String(j).padStart(2, '0')}`);
    const own = normals(k, n, 7_777, 1 + j);
    const p = new Float64Array(n);
    if (j % 4 === 1) {
      // y leg of (j − 1, j)… written as the later column: cointegrated with the column before it.
      const x = closes[j - 1];
      const beta = 0.5 + 0.1 * j;
      let s = 0;
      for (let t = 0; t < n; t++) {
        s = 0.97 * s + 0.02 * own[t];
        p[t] = beta * x[t] + 10 + s;
      }
    } else {
      const vol = (0.25 + 0.005 * j) / Math.sqrt(MINUTE_BARS_PER_YEAR);
      let level = Math.log(40 + 10 * j);
      for (let t = 0; t < n; t++) {
        const night = t % BARS_PER_SESSION === 0 ? 8 : 1;
        level += vol * night * (0.6 * factor[t] + 0.8 * own[t]);
        p[t] = Math.exp(level);
      }
    }
    closes.push(p);
  }
  const times = new Float64Array(n);
  const timestamps: string[] = [];
  for (let t = 0; t < n; t++) {
    times[t] = Date.parse('2026-01-05T14:30:00Z') + Math.floor(t / BARS_PER_SESSION) * 86_400_000 + (t % BARS_PER_SESSION) * 60_000;
    timestamps.push(new Date(times[t]).toISOString());
  }
  return { timestamps, times, tickers, closes };
}

// ---------------------------------------------------------------------------------------------
// The plain-TS port.

function cholInPlace(g: Float64Array, stride: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = g[i * stride + j];
      for (let q = 0; q < j; q++) s -= g[i * stride + q] * g[j * stride + q];
      if (i === j) {
        if (!(s > 0)) return false;
        g[i * stride + i] = Math.sqrt(s);
      } else g[i * stride + j] = s / g[j * stride + j];
    }
  }
  return true;
}

/** Engle–Granger as assembly/pairs/scan.ts computes it (AIC search over 0…K): returns τ. */
export function engleGrangerTs(y: Float64Array, x: Float64Array, m: number, K: number): { tau: number; corr: number; lags: number } {
  let mx = 0, my = 0;
  for (let t = 0; t < m; t++) (mx += x[t]), (my += y[t]);
  mx /= m;
  my /= m;
  let sxx = 0, sxy = 0;
  for (let t = 0; t < m; t++) (sxx += (x[t] - mx) ** 2), (sxy += (x[t] - mx) * (y[t] - my));
  const b = sxy / sxx;
  const a = my - b * mx;
  const u = new Float64Array(m);
  for (let t = 0; t < m; t++) u[t] = y[t] - a - b * x[t];
  const d = new Float64Array(m - 1);
  for (let t = 0; t < m - 1; t++) d[t] = u[t + 1] - u[t];
  // Return correlation (log returns) and the half-life regression, as the kernel does.
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let t = 1; t < m; t++) {
    const ra = Math.log(y[t] / y[t - 1]);
    const rb = Math.log(x[t] / x[t - 1]);
    (sa += ra), (sb += rb), (saa += ra * ra), (sbb += rb * rb), (sab += ra * rb);
  }
  const q = m - 1;
  const corr = (sab - (sa * sb) / q) / Math.sqrt((saa - (sa * sa) / q) * (sbb - (sb * sb) / q));
  const n = K + 2;
  const target = K + 1;
  const first = K;
  const last = m - 2;
  const g = new Float64Array(n * n);
  const at = (i: number, j: number) => i * n + j;
  const lagRow = (h: number) => (h === 0 ? target : h);
  for (let h = 0; h <= K; h++) {
    let s = 0;
    for (let i = first; i <= last; i++) s += d[i] * d[i - h];
    g[at(target, lagRow(h))] = g[at(lagRow(h), target)] = s;
  }
  for (let j = 0; j < K; j++) {
    for (let l = j; l < K; l++) {
      const v = g[at(lagRow(j), lagRow(l))] + d[first - 1 - j] * d[first - 1 - l] - d[last - j] * d[last - l];
      g[at(j + 1, l + 1)] = g[at(l + 1, j + 1)] = v;
    }
  }
  let lev = 0;
  for (let i = first; i <= last; i++) lev += u[i] * d[i];
  for (let h = 0; h <= K; h++) {
    g[at(0, lagRow(h))] = g[at(lagRow(h), 0)] = lev;
    if (h < K) lev += g[at(target, lagRow(h))] + u[first] * d[first - 1 - h] - u[last + 1] * d[last - h];
  }
  let uu = 0;
  for (let i = first; i <= last; i++) uu += u[i] * u[i];
  g[0] = uu;
  const c = g.slice();
  cholInPlace(c, n, n - 1);
  let rss = c[at(target, target)];
  let best = Infinity;
  let k = 0;
  const rows = last - first + 1;
  for (let j = 0; j <= K; j++) {
    let s = c[at(target, j)];
    for (let q2 = 0; q2 < j; q2++) s -= c[at(target, q2)] * c[at(j, q2)];
    const l = s / c[at(j, j)];
    c[at(target, j)] = l;
    rss -= l * l;
    const aic = rows * (Math.log(2 * Math.PI) + Math.log(rss / rows) + 1) + 2 * (j + 1);
    if (aic < best) (best = aic), (k = j);
  }
  const p = k + 1;
  const qn = k + 2;
  const f = new Float64Array(qn * qn);
  const idx = (r: number) => (r < k ? r + 1 : r === k ? 0 : target);
  const val = (i: number, gi: number) => (gi === 0 ? u[i] : gi === target ? d[i] : d[i - gi]);
  for (let r = 0; r < qn; r++) {
    for (let cc = 0; cc <= r; cc++) {
      let v = g[at(idx(r), idx(cc))];
      for (let i = k; i < first; i++) v += val(i, idx(r)) * val(i, idx(cc));
      f[r * qn + cc] = v;
    }
  }
  cholInPlace(f, qn, p);
  let rss2 = f[p * qn + p];
  let lLevel = 0;
  for (let j = 0; j < p; j++) {
    let s = f[p * qn + j];
    for (let q2 = 0; q2 < j; q2++) s -= f[p * qn + q2] * f[j * qn + q2];
    const l = s / f[j * qn + j];
    f[p * qn + j] = l;
    rss2 -= l * l;
    lLevel = l;
  }
  const nobs = last - k + 1;
  return { tau: lLevel / Math.sqrt(rss2 / (nobs - p)), corr, lags: k };
}

/** The filter's Gaussian log-likelihood over [from, to) after `burnIn` bars, in plain TS. */
function logLikTs(y: Float64Array, x: Float64Array, from: number, to: number, delta: number, ve: number, burnIn: number): number {
  const q = delta / (1 - delta);
  let beta = 0, alpha = 0, p00 = 0, p01 = 0, p11 = 0, ll = 0;
  for (let t = from; t < to; t++) {
    const r00 = p00 + q, r01 = p01, r11 = p11 + q;
    const xt = x[t];
    const e = y[t] - (xt * beta + alpha);
    const g0 = r00 * xt + r01, g1 = r01 * xt + r11;
    const Q = r00 * xt * xt + 2 * r01 * xt + r11 + ve;
    const k0 = g0 / Q, k1 = g1 / Q;
    beta += k0 * e;
    alpha += k1 * e;
    const a00 = 1 - k0 * xt, a01 = -k0, a10 = -k1 * xt, a11 = 1 - k1;
    const m00 = r00 - k0 * g0, m01 = r01 - k0 * g1, m10 = r01 - k1 * g0, m11 = r11 - k1 * g1;
    p00 = m00 * a00 + m01 * a01 + ve * k0 * k0;
    p01 = 0.5 * (m00 * a10 + m01 * a11 + ve * k0 * k1 + m10 * a00 + m11 * a01 + ve * k1 * k0);
    p11 = m11 * a11 + m10 * a10 + ve * k1 * k1;
    if (t - from >= burnIn) ll -= 0.5 * (Math.log(2 * Math.PI * Q) + (e * e) / Q);
  }
  return ll;
}

/** The scan in plain TS: the same pairs, rows, lags, evaluations and backtest length. */
export function scanTs(bars: BarTable): number {
  const n = bars.tickers.length;
  const m = bars.timestamps.length;
  const mf = Math.floor(m / 2);
  const K = resolveLags(mf).maxLag;
  const W = SCAN_CALIBRATION.window;
  const sessions = Float64Array.from(sessionIds(bars.timestamps));
  let acc = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const y = bars.closes[i];
      const x = bars.closes[j];
      acc += engleGrangerTs(y, x, mf, K).tau;
      const ys = y.subarray(mf - W);
      const xs = x.subarray(mf - W);
      let v = 0;
      for (let t = 1; t < W; t++) v += (ys[t] - ys[t - 1]) ** 2;
      v /= W - 1;
      const xm = xs[0];
      const fit = nelderMead(
        (p) => -logLikTs(ys, xs, 0, W, Math.exp(p[0]) / (1 + Math.exp(p[0])), Math.exp(p[1]), SCAN_CALIBRATION.burnIn),
        [Math.log((0.1 * v) / (xm * xm)), Math.log(0.1 * v)],
        { step: 1.5, maxEvaluations: SCAN_CALIBRATION.maxEvaluations, fTolerance: 1e-9, xTolerance: 1e-3 },
      );
      acc += fit.f;
      const out = new Float64Array(8 * ys.length);
      acc += kalmanBacktestTs(ys, xs, sessions.subarray(mf - W), W + 30, out);
    }
  }
  return acc;
}

// ---------------------------------------------------------------------------------------------

/** Single-thread parts of the scan, ms: Engle–Granger for all pairs, calibrations, backtests. */
function parts(k: Kernels, bars: BarTable) {
  const m = bars.timestamps.length;
  const mf = Math.floor(m / 2);
  const lags = resolveLags(mf);
  const W = SCAN_CALIBRATION.window;
  const sessions = sessionIds(bars.timestamps);
  const pairs: [number, number][] = [];
  for (let i = 0; i < TICKERS; i++) for (let j = i + 1; j < TICKERS; j++) pairs.push([i, j]);
  const eg = medianMs(() => {
    k.reset();
    const cols = bars.closes.map((c) => ({ p: k.putF64(c), l: k.putF64(Float64Array.from(c, Math.log)) }));
    const scratch = allocEngleGrangerScratch(k, mf, lags.maxLag);
    for (const [i, j] of pairs) engleGrangerAt(k, { y: cols[i].p, x: cols[j].p, ly: cols[i].l, lx: cols[j].l }, mf, lags, scratch);
  }, { warmup: 1, minRuns: 3, minTotalMs: 0 });
  const fits = pairs.map(([i, j]) => calibrateKalman(k, bars.closes[i].subarray(mf - W), bars.closes[j].subarray(mf - W), { ...SCAN_CALIBRATION }));
  const calibration = medianMs(() => {
    for (const [i, j] of pairs) calibrateKalman(k, bars.closes[i].subarray(mf - W), bars.closes[j].subarray(mf - W), { ...SCAN_CALIBRATION });
  }, { warmup: 1, minRuns: 3, minTotalMs: 0 });
  const backtest = medianMs(() => {
    pairs.forEach(([i, j], p) =>
      pairBacktest(k, { y: bars.closes[i].subarray(mf - W), x: bars.closes[j].subarray(mf - W), sessions: sessions.subarray(mf - W), delta: fits[p].delta, ve: fits[p].ve, tradeFrom: W, series: false }),
    );
  }, { warmup: 1, minRuns: 3, minTotalMs: 0 });
  const evaluations = fits.reduce((a, f) => a + f.evaluations, 0) / fits.length;
  return { eg, calibration, backtest, evaluations };
}

export async function benchPairScan(k: Kernels): Promise<BenchRow[]> {
  const bars = benchUniverse(k);
  const size = `190 pairs, 20 x ${bars.timestamps.length} bars`;
  let result: ScanResult | undefined;
  const single = medianMs(() => (result = scanPairs(k, bars, { top: 0 })), { warmup: 2, minRuns: 5, minTotalMs: 1500, maxRuns: 15 });
  // CPU time of the same runs: on a shared machine wall time also counts the waits for a core.
  const cpu: number[] = [];
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    scanPairs(k, bars, { top: 0 });
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const cpuMs = cpu.sort((a, b) => a - b)[cpu.length >> 1];
  const baseline = medianMs(() => scanTs(bars), { warmup: 1, minRuns: 3, minTotalMs: 0, maxRuns: 5 });
  const p = parts(k, bars);
  const found = result!.pairs.slice(0, 5).filter((q) => Number(q.x.slice(1)) % 4 === 1 && Number(q.y.slice(1)) === Number(q.x.slice(1)) - 1).length;
  const note =
    `target ≤ ${PAIR_SCAN_TARGET_MS} ms; CPU time ${cpuMs.toFixed(0)} ms; per pair: Engle–Granger on 5,850 formation rows (AIC over 0…33 lags), ` +
    `δ/Vₑ by MLE on the last ${SCAN_CALIBRATION.window} formation rows with ≤ ${SCAN_CALIBRATION.maxEvaluations} likelihood evaluations (mean ${p.evaluations.toFixed(1)} incl. the final one), ` +
    `Kalman backtest over ${bars.timestamps.length / 2 + SCAN_CALIBRATION.window} rows; parts: Engle–Granger ${p.eg.toFixed(1)} ms, ` +
    `calibration ${p.calibration.toFixed(1)} ms, backtest ${p.backtest.toFixed(1)} ms; ${found}/5 constructed pairs in the top 5`;
  const rows = [row('pair-scan', `${size}, 1 thread`, single, baseline, note)];

  const workers = Math.min(defaultNodePoolSize(), availableParallelism());
  const one = createNodePool({ size: 1 });
  const all = createNodePool({ size: workers });
  try {
    const results: ScanResult[] = [await runScanOnPool(one, bars, { top: 0 }), await runScanOnPool(all, bars, { top: 0 })];
    const times = { one: [] as number[], all: [] as number[] };
    for (let r = 0; r < 5; r++) {
      for (const [name, pool] of [['one', one], ['all', all]] as const) {
        const t0 = performance.now();
        results.push(await runScanOnPool(pool, bars, { top: 0 }));
        times[name].push(performance.now() - t0);
      }
    }
    const same = results.every((r) => JSON.stringify(r) === JSON.stringify(result));
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    rows.push(
      row('pair-scan-pool', `${size}, w=1→${workers}`, median(times.all), median(times.one),
        `ratio = speed-up (baseline = 1 pool worker, median = ${workers}); results ${same ? 'identical to the single-thread scan at both sizes' : 'DIFFER'}`),
    );
  } finally {
    await Promise.all([one.dispose(), all.dispose()]);
  }
  return rows;
}
