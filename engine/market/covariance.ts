/**
 * Covariance estimators over the SIMD wasm kernels (docs/conventions.md, "Returns and covariance").
 *
 * Every function takes returns in the asset-major n×T layout of `AlignedReturns.returns`
 * (`returns[i·T + t]`: asset i on day t) and returns a row-major n×n matrix that is exactly
 * symmetric. Units are those of the returns (daily log returns → daily covariance). NaN/∞ in the
 * returns are refused with `NON_FINITE` naming the asset (row) and day (column); they never
 * become zeros.
 *
 * - `sample`: mean and covariance with divisor T − 1, two-pass (the mean is subtracted first).
 * - `ledoit-wolf`: (1 − s)·S + s·μ·I, S the sample covariance above, μ = trace(S)/n (the
 *   scaled-identity target), s the Ledoit–Wolf (2004) intensity exactly as
 *   `sklearn.covariance.ledoit_wolf_shrinkage` computes it. sklearn's own shrunk matrix uses the
 *   divisor-T covariance, so ours is sklearn's `ledoit_wolf(R)[0]` × T/(T − 1).
 * - `ewma`: Σₜ wₜ·rₜ·rₜᵀ about zero (RiskMetrics), wₜ = λ^(T−1−t) / Σₛ λ^s, λ = 0.94: the
 *   newest day weighs most and the weights sum to 1.
 */
import { AstraError, Messages, quote } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { checkCount } from '../kernels.ts';

/** The covariance estimators, by the names the CLI and the UI use. */
export const ESTIMATORS = ['sample', 'ledoit-wolf', 'ewma'] as const;
/** A covariance estimator name. */
export type Estimator = (typeof ESTIMATORS)[number];
/** RiskMetrics' decay for daily data. */
export const EWMA_LAMBDA = 0.94;

/** True when `name` is one of {@link ESTIMATORS}. */
export function isEstimator(name: string): name is Estimator {
  return (ESTIMATORS as readonly string[]).includes(name);
}

/** Throws `BAD_INPUT` naming the estimators unless `name` is one of them. */
export function checkEstimator(name: string): asserts name is Estimator {
  if (!isEstimator(name)) {
    throw new AstraError('BAD_INPUT', Messages.badValue('estimator', quote(name), `one of ${ESTIMATORS.join(', ')}`), { option: 'estimator' });
  }
}

function checkShape(returns: ArrayLike<number>, n: number, T: number, minT: number): void {
  if (!Number.isInteger(n) || n < 1) throw new AstraError('BAD_SIZE', Messages.badSize('number of assets', n, 'an integer ≥ 1'));
  if (!Number.isInteger(T) || T < minT) throw new AstraError('BAD_SIZE', Messages.badSize('number of observations', T, `an integer ≥ ${minT}`));
  checkCount('returns', n * T);
  checkCount('covariance', n * n);
  if (returns.length !== n * T) {
    throw new AstraError('BAD_SIZE', Messages.badSize('returns length', returns.length, `n×T = ${n}×${T} = ${n * T}`));
  }
}

/** Mean and covariance of n series. */
export interface Moments {
  /** n sample means (units of the returns, e.g. daily log return). */
  mean: Float64Array;
  /** n×n row-major, exactly symmetric (units of the returns squared). */
  cov: Float64Array;
}

/**
 * Sample mean and covariance (divisor T − 1), two-pass, on the SIMD kernel.
 * @param returns asset-major n×T (`returns[i·T + t]`), T ≥ 2; not modified.
 * @returns mean (n) and covariance (n×n) — what `np.cov(R, rowvar=False)` gives for the T×n
 *   matrix R = returnsᵀ, to rounding.
 * @throws AstraError `BAD_SIZE` for bad n, T or length; `NON_FINITE` naming asset and day.
 */
export function sampleCovariance(k: Kernels, returns: ArrayLike<number>, n: number, T: number): Moments {
  return withCentred(k, returns, n, T, () => undefined).moments;
}

/**
 * Run the sample kernel, then `after(centred)` on the centred returns while they are still in
 * kernel memory (a view: valid until the next allocation).
 */
function withCentred<X>(k: Kernels, returns: ArrayLike<number>, n: number, T: number, after: (centred: Float64Array) => X) {
  checkShape(returns, n, T, 2);
  k.reset();
  const x = k.putF64(returns);
  const mean = k.allocF64(n);
  const out = k.allocF64(n * n);
  k.check(k.exports.covariance(x, n, T, mean, out), 'returns (asset × day)', T);
  const extra = after(k.f64(x, n * T));
  return { moments: { mean: k.takeF64(mean, n), cov: k.takeF64(out, n * n) }, extra };
}

/** A Ledoit–Wolf estimate: the shrunk covariance, its intensity and its target. */
export interface LedoitWolf extends Moments {
  /** Shrinkage intensity s in [0, 1]: 0 is the sample covariance, 1 the target. */
  shrinkage: number;
  /** μ = trace(S)/n of the divisor-(T − 1) sample covariance S: the target is μ·I. */
  targetVariance: number;
}

/**
 * Ledoit–Wolf shrinkage towards the scaled identity: (1 − s)·S + s·μ·I with S the sample
 * covariance (divisor T − 1) and μ = trace(S)/n. The intensity s is sklearn's
 * `ledoit_wolf_shrinkage` (Ledoit & Wolf 2004), computed from the centred returns X̃ and the
 * divisor-T covariance S_T = X̃X̃ᵀ/T:
 *   μ_T = trace(S_T)/n, δ = ‖S_T − μ_T·I‖²_F / n, β̄ = (Σₜ‖x̃ₜ‖⁴ / T − ‖S_T‖²_F) / (n·T),
 *   s = min(β̄, δ) / δ (0 when that minimum is 0, and 0 for n = 1 as in sklearn).
 * Works for any T ≥ 2, including more assets than observations (its purpose).
 * @param returns asset-major n×T; not modified.
 */
export function ledoitWolfCovariance(k: Kernels, returns: ArrayLike<number>, n: number, T: number): LedoitWolf {
  // Σₜ ‖x̃ₜ‖⁴ from the centred rows (asset-major: accumulate each day's squared norm across rows).
  const { moments, extra: fourth } = withCentred(k, returns, n, T, (x) => {
    const norms = new Float64Array(T);
    for (let i = 0; i < n; i++) {
      const row = i * T;
      for (let t = 0; t < T; t++) norms[t] += x[row + t] * x[row + t];
    }
    let sum = 0;
    for (let t = 0; t < T; t++) sum += norms[t] * norms[t];
    return sum;
  });
  const { mean, cov: s } = moments;
  const toT = (T - 1) / T;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += s[i * n + i];
  const mu = trace / n;
  const muT = mu * toT;
  let frob = 0; // ‖S_T‖²_F
  let dev = 0; // ‖S_T − μ_T·I‖²_F
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = s[i * n + j] * toT;
      frob += v * v;
      const d = i === j ? v - muT : v;
      dev += d * d;
    }
  }
  const delta = dev / n;
  const betaBar = (fourth / T - frob) / (n * T);
  const beta = Math.min(betaBar, delta);
  const shrinkage = n === 1 || beta === 0 ? 0 : beta / delta;
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) cov[i] = (1 - shrinkage) * s[i];
  for (let i = 0; i < n; i++) cov[i * n + i] += shrinkage * mu;
  return { mean, cov, shrinkage, targetVariance: mu };
}

/**
 * The EWMA weights wₜ = λ^(T−1−t) / Σₛ₌₀^(T−1) λ^s, t = 0 … T−1 (oldest first; they sum to 1).
 * @param lambda decay in (0, 1); default {@link EWMA_LAMBDA}.
 */
export function ewmaWeights(T: number, lambda = EWMA_LAMBDA): Float64Array {
  if (!(lambda > 0 && lambda < 1)) throw new AstraError('BAD_INPUT', Messages.badValue('EWMA lambda', lambda, 'a number strictly between 0 and 1'));
  const w = new Float64Array(T);
  let p = 1;
  let sum = 0;
  for (let t = T - 1; t >= 0; t--) {
    w[t] = p;
    sum += p;
    p *= lambda;
  }
  for (let t = 0; t < T; t++) w[t] /= sum;
  return w;
}

/**
 * RiskMetrics EWMA covariance about zero: Σₜ wₜ·rₜ·rₜᵀ with {@link ewmaWeights} (normalised to
 * sum 1, newest day heaviest). The mean is not subtracted (RiskMetrics takes daily means as zero).
 * @param returns asset-major n×T, T ≥ 1; not modified.
 * @returns n×n row-major, exactly symmetric.
 */
export function ewmaCovariance(k: Kernels, returns: ArrayLike<number>, n: number, T: number, lambda = EWMA_LAMBDA): Float64Array {
  checkShape(returns, n, T, 1);
  const weights = ewmaWeights(T, lambda);
  k.reset();
  const x = k.putF64(returns);
  const w = k.putF64(weights);
  const out = k.allocF64(n * n);
  k.check(k.exports.weightedCovariance(x, n, T, w, out), 'returns (asset × day)', T);
  return k.takeF64(out, n * n);
}

/** Plain sample means of asset-major n×T returns (what every estimator reports as the mean). */
export function sampleMeans(returns: ArrayLike<number>, n: number, T: number): Float64Array {
  checkShape(returns, n, T, 1);
  const mean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += returns[i * T + t];
    mean[i] = s / T;
  }
  return mean;
}
