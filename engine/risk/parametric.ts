/**
 * Parametric (delta-normal) VaR and ES of a book over H days (docs/conventions.md, "VaR"):
 *
 *   VaR = −H·μᵀN + z_c·√H·σ,   ES = −H·μᵀN + √H·σ·φ(z_c)/(1 − c),   σ = √(NᵀΣN),
 *
 * with N the notionals (money), μ and Σ the daily mean and covariance of log returns, z_c the
 * standard normal c-quantile and φ its density; μ = 0 under drift `zero`. Contributions are the
 * Euler allocation: N_i·∂VaR/∂N_i = −H·μ_i·N_i + z_c·√H·N_i·(ΣN)_i/σ (and the same for ES), which
 * add up to the totals exactly (VaR is homogeneous of degree one in N).
 */
import { normalPdf, normalQuantile } from '../stats/normal.ts';

/** Drift of the simulated or assumed returns: the sample mean, or none. */
export type Drift = 'mean' | 'zero';

/** Inputs of {@link parametricVar}. Arrays are in one ticker order. */
export interface ParametricInputs {
  /** n daily mean log returns (ignored under drift `zero`). */
  meanDaily: ArrayLike<number>;
  /** n×n row-major daily covariance of log returns. */
  covDaily: ArrayLike<number>;
  /** n notionals, money (shares × price; shorts negative). */
  notionals: ArrayLike<number>;
  /** Horizon H, trading days (> 0). */
  horizon: number;
  /** Confidence c in (0, 1). */
  confidence: number;
  /** Default `mean`. */
  drift?: Drift;
}

/** VaR and ES in money with each position's Euler share. */
export interface ParametricResult {
  var: number;
  es: number;
  /** σ·√H: the standard deviation of the horizon P&L under the linear model, money. */
  sigma: number;
  /** n VaR contributions (sum = var). */
  varContributions: Float64Array;
  /** n ES contributions (sum = es). */
  esContributions: Float64Array;
}

/** Parametric VaR/ES (see the module comment). NaN in any input gives NaN out. */
export function parametricVar(input: ParametricInputs): ParametricResult {
  const { covDaily: cov, notionals: N, horizon: H, confidence: c } = input;
  const n = N.length;
  const mu = input.drift === 'zero' ? new Float64Array(n) : input.meanDaily;
  const sigmaN = new Float64Array(n);
  let variance = 0;
  let drift = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += cov[i * n + j] * N[j];
    sigmaN[i] = s;
    variance += N[i] * s;
    drift += mu[i] * N[i];
  }
  const sd = Math.sqrt(variance);
  const z = normalQuantile(c);
  const esFactor = normalPdf(z) / (1 - c);
  const rootH = Math.sqrt(H);
  const varContributions = new Float64Array(n);
  const esContributions = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const marginal = sd > 0 ? (N[i] * sigmaN[i]) / sd : 0;
    varContributions[i] = -H * mu[i] * N[i] + z * rootH * marginal;
    esContributions[i] = -H * mu[i] * N[i] + esFactor * rootH * marginal;
  }
  return {
    var: -H * drift + z * rootH * sd,
    es: -H * drift + rootH * sd * esFactor,
    sigma: rootH * sd,
    varContributions,
    esContributions,
  };
}
