/**
 * Historical VaR and ES (docs/conventions.md, "VaR"): the P&L Σᵢ Nᵢ·(exp(Σ rₜ,ᵢ) − 1) of today's
 * book over every overlapping H-day window of the lookback's daily log returns, with the same
 * quantile rule as Monte Carlo; beside it the 1-day historical VaR scaled by √H.
 */
import { tailRisk, type TailRisk } from './quantile.ts';

/**
 * P&L of the book over each window of `horizon` consecutive returns: T − H + 1 values, the window
 * starting at return s in position s.
 * @param returns daily log returns, asset-major n×T (`returns[i·T + t]`), finite.
 * @param notionals n notionals, money.
 */
export function windowPnl(returns: ArrayLike<number>, notionals: ArrayLike<number>, T: number, horizon: number): Float64Array {
  const n = notionals.length;
  const count = Math.max(0, T - horizon + 1);
  const pnl = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    const N = notionals[i];
    if (N === 0) continue;
    const base = i * T;
    // Each window summed afresh (not a running sum), so no rounding drifts along the series.
    for (let s = 0; s < count; s++) {
      let sum = 0;
      for (let t = 0; t < horizon; t++) sum += returns[base + s + t];
      pnl[s] += N * Math.expm1(sum);
    }
  }
  return pnl;
}

/** Historical VaR/ES at the horizon and the √H-scaled 1-day figures. */
export interface HistoricalResult extends TailRisk {
  /** Overlapping windows used (T − H + 1). */
  windows: number;
  /** 1-day historical VaR × √H. */
  varScaled: number;
  /** 1-day historical ES × √H. */
  esScaled: number;
}

/** Historical VaR/ES of the book (see the module comment). Needs T ≥ H returns. */
export function historicalVar(
  returns: ArrayLike<number>,
  notionals: ArrayLike<number>,
  T: number,
  horizon: number,
  confidence: number,
): HistoricalResult {
  const windows = windowPnl(returns, notionals, T, horizon);
  const oneDay = horizon === 1 ? windows : windowPnl(returns, notionals, T, 1);
  const h = tailRisk(windows, confidence);
  const d = horizon === 1 ? h : tailRisk(oneDay, confidence);
  return { ...h, windows: windows.length, varScaled: d.var * Math.sqrt(horizon), esScaled: d.es * Math.sqrt(horizon) };
}
