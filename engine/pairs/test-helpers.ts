/**
 * Test-only helpers of the pairs engine: a plain reference implementation of the filter (the
 * textbook matrix form, written apart from the kernel) and seeded synthetic pairs with gaps.
 */
import { seededRng } from '../random/seeded-rng.ts';

/** The seeded test-data generator (see engine/random/seeded-rng.ts). */
export const rng = seededRng;

/** The filter as DESIGN writes it, with explicit 2×2 matrices: what the kernel must agree with. */
export function referenceFilter(y: ArrayLike<number>, x: ArrayLike<number>, delta: number, ve: number) {
  const n = y.length;
  const out = { beta: new Float64Array(n), alpha: new Float64Array(n), spread: new Float64Array(n), variance: new Float64Array(n), z: new Float64Array(n) };
  const w = delta / (1 - delta);
  let theta = [0, 0];
  let P = [
    [0, 0],
    [0, 0],
  ];
  const mul = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row[0] * B[0][j] + row[1] * B[1][j]));
  const T = (A: number[][]) => [
    [A[0][0], A[1][0]],
    [A[0][1], A[1][1]],
  ];
  for (let t = 0; t < n; t++) {
    const R = [
      [P[0][0] + w, P[0][1]],
      [P[1][0], P[1][1] + w],
    ];
    if (Number.isNaN(y[t]) || Number.isNaN(x[t])) {
      P = R;
      out.spread[t] = out.variance[t] = out.z[t] = NaN;
    } else {
      const h = [x[t], 1];
      const e = y[t] - (h[0] * theta[0] + h[1] * theta[1]);
      const Rh = [R[0][0] * h[0] + R[0][1] * h[1], R[1][0] * h[0] + R[1][1] * h[1]];
      const Q = h[0] * Rh[0] + h[1] * Rh[1] + ve;
      const K = [Rh[0] / Q, Rh[1] / Q];
      theta = [theta[0] + K[0] * e, theta[1] + K[1] * e];
      const A = [
        [1 - K[0] * h[0], -K[0] * h[1]],
        [-K[1] * h[0], 1 - K[1] * h[1]],
      ];
      const ARA = mul(mul(A, R), T(A));
      const J = [
        [ARA[0][0] + K[0] * ve * K[0], ARA[0][1] + K[0] * ve * K[1]],
        [ARA[1][0] + K[1] * ve * K[0], ARA[1][1] + K[1] * ve * K[1]],
      ];
      const off = (J[0][1] + J[1][0]) / 2;
      P = [
        [J[0][0], off],
        [off, J[1][1]],
      ];
      out.spread[t] = e;
      out.variance[t] = Q;
      out.z[t] = e / Math.sqrt(Q);
    }
    out.beta[t] = theta[0];
    out.alpha[t] = theta[1];
  }
  return out;
}


/**
 * A synthetic pair: x a log random walk from `level`, y = β·x + α + an AR(1) spread + noise, a
 * fraction `gaps` of each leg missing, `sessions` sessions of `perSession` bars (labels 0, 1, …).
 */
export function syntheticPair(options: { seed: number; bars: number; level?: number; beta?: number; gaps?: number; perSession?: number; spreadSd?: number }) {
  const { seed, bars, level = 100, beta = 1.3, gaps = 0, perSession = 390, spreadSd = 0.002 * level } = options;
  const r = rng(seed);
  const x = new Float64Array(bars);
  const y = new Float64Array(bars);
  const sessions = new Float64Array(bars);
  let px = level;
  let s = 0;
  for (let t = 0; t < bars; t++) {
    px *= Math.exp(0.0005 * r.normal());
    s = 0.95 * s + spreadSd * Math.sqrt(1 - 0.95 * 0.95) * r.normal();
    x[t] = px;
    y[t] = beta * px + 0.05 * level + s + 0.2 * spreadSd * r.normal();
    sessions[t] = Math.floor(t / perSession);
  }
  for (let t = 0; t < bars; t++) {
    if (r.uniform() < gaps) y[t] = NaN;
    if (r.uniform() < gaps) x[t] = NaN;
  }
  return { y, x, sessions };
}
