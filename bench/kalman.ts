/**
 * `kalman` rows: the Kalman pair filter + backtest (engine/pairs) over 2,000 and 2,000,000 bars,
 * and the incremental API's one-bar update. The baseline is a plain-TypeScript port of the same
 * per-bar loop (filter, marking, rules, costs, statistics) in this process. Targets from the issue:
 * 2,000 bars ≤ 0.1 ms, 2,000,000 bars ≤ 40 ms, ≤ 2 µs a bar incremental.
 */
import type { Kernels } from '../engine/kernels.ts';
import { pairBacktest } from '../engine/pairs/backtest.ts';
import { createIncrementalPair } from '../engine/pairs/incremental.ts';
import { LAST_ENDS_DATA, LAST_ENDS_SESSION, STATE_SIZE, S } from '../engine/pairs/layout.ts';
import { BARS_PER_SESSION } from '../engine/units.ts';
import { medianMs, row, type BenchRow } from './harness.ts';

export const KALMAN_TARGETS = { small: 0.1, large: 40, pushUs: 2 } as const;

const PARAMS = { delta: 1e-7, ve: 0.05, entry: 1.5, exit: 0.3, costRate: 1e-4 };

/** A seeded pair (a small LCG, so the bench does not depend on the kernels it times): y ≈ 1.3x + 5 + AR(1). */
function syntheticPair(n: number) {
  let seed = 987654321;
  const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const sessions = new Float64Array(n);
  let px = 100;
  let s = 0;
  for (let t = 0; t < n; t++) {
    px *= Math.exp(0.0005 * normal());
    s = 0.95 * s + 0.15 * normal();
    x[t] = px;
    y[t] = 1.3 * px + 5 + s;
    sessions[t] = Math.floor(t / BARS_PER_SESSION);
  }
  return { y, x, sessions };
}

/**
 * The plain-TS port of the kernel's loop: same filter, rules and statistics, and the same eight
 * per-bar outputs (β, α, e, Q, z, position, both equities, in `out` as 8 arrays of n); returns the
 * final equity after costs.
 */
export function kalmanBacktestTs(y: Float64Array, x: Float64Array, sessions: Float64Array, signalFrom: number, out: Float64Array): number {
  const { delta, ve, entry, exit, costRate } = PARAMS;
  const n = y.length;
  const q = delta / (1 - delta);
  let beta = 0, alpha = 0, p00 = 0, p01 = 0, p11 = 0;
  let pos = 0, betaE = 0, grossE = 1, lastY = NaN, lastX = NaN, eq = 1, eqNet = 1, tradePnl = 0;
  let sum = 0, sum2 = 0, peak = 1, mdd = 0, trades = 0;
  for (let t = 0; t < n; t++) {
    const yt = y[t];
    const xt = x[t];
    const r00 = p00 + q;
    const r01 = p01;
    const r11 = p11 + q;
    let z = NaN;
    let e = NaN;
    let Q = NaN;
    if (Number.isNaN(yt - yt + (xt - xt))) {
      p00 = r00;
      p11 = r11;
    } else {
      e = yt - (xt * beta + alpha);
      const g0 = r00 * xt + r01;
      const g1 = r01 * xt + r11;
      Q = r00 * (xt * xt) + ((r01 + r01) * xt + (r11 + ve));
      const invQ = 1 / Q; // one division for K and z
      const k0 = g0 * invQ;
      const k1 = g1 * invQ;
      beta += k0 * e;
      alpha += k1 * e;
      const a00 = 1 - k0 * xt, a01 = -k0, a10 = -k1 * xt, a11 = 1 - k1;
      const m00 = r00 - k0 * g0, m01 = r01 - k0 * g1, m10 = r01 - k1 * g0, m11 = r11 - k1 * g1;
      p00 = m00 * a00 + (m01 * a01 + ve * (k0 * k0));
      const pUp = m00 * a10 + (m01 * a11 + ve * (k0 * k1));
      const pLo = m10 * a00 + (m11 * a01 + ve * (k1 * k0));
      p11 = m11 * a11 + (m10 * a10 + ve * (k1 * k1));
      p01 = 0.5 * (pUp + pLo);
      z = e * Math.sqrt(invQ);
    }
    const py = Number.isNaN(yt) ? lastY : yt;
    const px = Number.isNaN(xt) ? lastX : xt;
    let pnl = 0;
    if (pos !== 0) {
      pnl = (pos * (py - lastY - betaE * (px - lastX))) / grossE;
      tradePnl += pnl;
    }
    lastY = py;
    lastX = px;
    let target = pos;
    if (t >= signalFrom && !Number.isNaN(z)) {
      const want = z > entry ? -1 : z < -entry ? 1 : 0;
      if (pos === 0) target = want;
      else if (Math.abs(z) < exit) target = 0;
      else if (want !== 0 && want !== pos) target = want;
    }
    if (t === n - 1 || sessions[t + 1] !== sessions[t]) target = 0;
    let cost = 0;
    if (target !== pos) {
      if (pos !== 0) {
        cost += (costRate * (Math.abs(py) + Math.abs(betaE) * Math.abs(px))) / grossE;
        trades++;
      }
      if (target !== 0) {
        betaE = beta;
        grossE = Math.abs(yt) + Math.abs(beta) * Math.abs(xt);
        tradePnl = 0;
        cost += costRate;
      }
      pos = target;
    }
    eq += pnl;
    eqNet += pnl - cost;
    if (t >= signalFrom) {
      sum += pnl - cost;
      sum2 += (pnl - cost) * (pnl - cost);
      if (eqNet > peak) peak = eqNet;
      else mdd = Math.max(mdd, (peak - eqNet) / peak);
    }
    out[t] = beta;
    out[n + t] = alpha;
    out[2 * n + t] = e;
    out[3 * n + t] = Q;
    out[4 * n + t] = z;
    out[5 * n + t] = pos;
    out[6 * n + t] = eq;
    out[7 * n + t] = eqNet;
  }
  return eqNet + 0 * (sum + sum2 + mdd + trades + tradePnl);
}

export function benchKalman(k: Kernels): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const n of [2000, 2_000_000]) {
    const { y, x, sessions } = syntheticPair(n);
    const signalFrom = Math.min(390, n >> 2);
    const options = { warmup: 0, tradeFrom: signalFrom, delta: PARAMS.delta, ve: PARAMS.ve, entry: PARAMS.entry, exit: PARAMS.exit, costBps: PARAMS.costRate * 1e4 };
    const size = n === 2000 ? 'n=2000' : 'n=2e6';
    const runs = n === 2000 ? { warmup: 20, minRuns: 50, minTotalMs: 300 } : { warmup: 2, minRuns: 7, minTotalMs: 1000 };
    const tsOut = new Float64Array(8 * n);
    const ts = medianMs(() => kalmanBacktestTs(y, x, sessions, signalFrom, tsOut), runs);
    // The kernel alone on data already in wasm memory: with every per-bar output written, and
    // (the large case) with the report's figures and trades only.
    k.reset();
    const py = k.putF64(y);
    const px = k.putF64(x);
    const ps = k.putF64(sessions);
    const state = k.allocF64(STATE_SIZE);
    const out = k.allocF64(8 * n);
    const trades = k.allocF64(9 * n);
    const at = (i: number) => out + i * n * 8;
    const kernelRun = (write: number) => () => {
      k.exports.pairInit(state, PARAMS.delta, PARAMS.ve, PARAMS.entry, PARAMS.exit, PARAMS.costRate, signalFrom, Infinity, 1, Infinity);
      k.exports.pairRun(state, py, px, ps, n, LAST_ENDS_SESSION | LAST_ENDS_DATA, write, at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7), trades, n);
    };
    const target = n === 2000 ? KALMAN_TARGETS.small : KALMAN_TARGETS.large;
    if (n !== 2000) {
      const summary = medianMs(kernelRun(0), runs);
      rows.push(row('kalman', `${size} kernel summary`, summary, ts, `filter + backtest, figures and trades only, ${((summary * 1e6) / n).toFixed(1)} ns/bar; target ≤ ${target} ms`));
    }
    const kernel = medianMs(kernelRun(1), runs);
    const wasmEquity = k.f64(state, STATE_SIZE)[S.EQ_NET];
    const tsEquity = kalmanBacktestTs(y, x, sessions, signalFrom, tsOut);
    const tradeCount = k.f64(state, STATE_SIZE)[S.TRADES];
    const same = `${tradeCount} round trips; ${Object.is(wasmEquity, tsEquity) ? 'same final equity as TS' : `final equity differs from TS: ${wasmEquity} vs ${tsEquity}`}`;
    rows.push(row('kalman', `${size} kernel`, kernel, ts, `filter + backtest, 8 per-bar outputs written, ${((kernel * 1e6) / n).toFixed(1)} ns/bar; target ≤ ${target} ms; ${same}`));
    // The engine call a user makes: checks, copies in, kernel, report (per-bar arrays only for the small case).
    const series = n === 2000;
    const engine = medianMs(() => pairBacktest(k, { y, x, sessions, ...options, series }), runs);
    rows.push(row('kalman', `${size} pairBacktest`, engine, ts, `engine call (validation, copies, report${series ? ', per-bar arrays' : ', summary only'})`));
  }
  // The incremental update: one bar in, β, z, signal, P&L out.
  const { y, x } = syntheticPair(200_000);
  const pushes = () => {
    const live = createIncrementalPair(k, { delta: PARAMS.delta, ve: PARAMS.ve, entry: PARAMS.entry, exit: PARAMS.exit, costBps: 1, warmup: 390 });
    for (let t = 0; t < y.length; t++) live.push(y[t], x[t], { sessionEnd: t % BARS_PER_SESSION === BARS_PER_SESSION - 1 });
  };
  const tsOut = new Float64Array(8);
  const one = new Float64Array(1);
  const oneX = new Float64Array(1);
  const oneS = new Float64Array(1);
  // Baseline: the TS loop called once per bar (its state restarts, so this only prices the call).
  const pushTs = () => {
    for (let t = 0; t < y.length; t++) {
      one[0] = y[t];
      oneX[0] = x[t];
      kalmanBacktestTs(one, oneX, oneS, 0, tsOut);
    }
  };
  const incMs = medianMs(pushes, { warmup: 1, minRuns: 5, minTotalMs: 500 });
  const incTs = medianMs(pushTs, { warmup: 1, minRuns: 5, minTotalMs: 500 });
  const us = (incMs * 1000) / y.length;
  rows.push(row('kalman', 'incremental push', incMs / y.length, incTs / y.length, `${us.toFixed(2)} µs/bar over ${y.length} pushes (target ≤ ${KALMAN_TARGETS.pushUs} µs); baseline: the TS loop for one bar`));
  return rows;
}
