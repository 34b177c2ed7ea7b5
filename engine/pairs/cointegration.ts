/**
 * Engle–Granger cointegration statistics of a pair of price series, as statsmodels (0.13.5)
 * `coint(y, x, trend='c', autolag='aic')` computes them (docs/conventions.md, "Pair scan"):
 *
 * 1. OLS y = a + b·x + u over the m rows;
 * 2. unless the legs are collinear (R² ≥ 1 − 100·√ε, where statsmodels returns τ = −∞, p = 0),
 *    the ADF regression Δuₜ = ρ·uₜ₋₁ + Σⱼ₌₁..ₖ γⱼ·Δuₜ₋ⱼ + eₜ (no deterministic term), k chosen by
 *    AIC among 0…K on the common sample (the rows that lag K leaves), then re-fitted on its own
 *    longer sample; τ (`adfStat`) is the t-statistic of ρ. K = ⌊12·(m/100)^¼⌋, at most m/2 − 1
 *    ({@link schwertMaxLag}); a fixed k skips the search (statsmodels' `autolag=None, maxlag=k`);
 * 3. the p-value is MacKinnon's asymptotic one for N = 2 series with a constant ({@link mackinnonP});
 * 4. the half-life −ln 2 / ln(1 + β) from the OLS Δuₜ = c + β·uₜ₋₁ over all m − 1 changes;
 * 5. `corr`, the Pearson correlation of the two legs' 1-bar log returns.
 *
 * The heavy loops are one kernel call (assembly/pairs/scan.ts).
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { mackinnonP } from './mackinnon.ts';

/** How the ADF lag k is chosen. */
export interface LagOptions {
  /** Use exactly this many lagged differences (no search). */
  lags?: number;
  /** Search 0…maxLag by AIC (default {@link schwertMaxLag} of the row count). */
  maxLag?: number;
}

/** The Engle–Granger statistics of y on x. */
export interface EngleGranger {
  /** Rows used, m. */
  rows: number;
  /** a and b of y = a + b·x + u. */
  intercept: number;
  hedgeRatio: number;
  /** R² of that regression. */
  rSquared: number;
  /** τ, the ADF t-statistic on u (−∞ for collinear legs, as statsmodels). */
  adfStat: number;
  /** MacKinnon's (1994) asymptotic p-value for N = 2 with a constant (0 for τ = −∞). */
  pValue: number;
  /** k, the lagged differences in the final ADF regression (NaN for collinear legs). */
  lags: number;
  /** K, the largest k searched (= k when fixed). */
  maxLag: number;
  /** Whether k was fixed rather than chosen by AIC. */
  fixedLags: boolean;
  /** Rows of the final ADF regression, m − 1 − k. */
  adfObservations: number;
  /** The smallest AIC of the search (NaN when k was fixed). */
  aic: number;
  /** β of Δuₜ = c + β·uₜ₋₁, and c. */
  reversion: number;
  reversionConstant: number;
  /** −ln 2 / ln(1 + β) bars: `Infinity` when β ≥ 0 (no mean reversion), NaN when β ≤ −1. */
  halfLife: number;
  /** Pearson correlation of the 1-bar log returns. */
  corr: number;
}

/** Fewest rows a pair needs: the ADF regression needs m/2 − 1 ≥ 0 and a few residual degrees of freedom. */
export const MIN_COINT_ROWS = 10;

/**
 * Schwert's rule as the convention states it: ⌊12·(m/100)^¼⌋, capped at ⌊m/2⌋ − 1 (statsmodels'
 * own cap). NB statsmodels' `adfuller` default rounds *up* (⌈…⌉); pass `maxLag` to match that.
 */
export function schwertMaxLag(m: number): number {
  return Math.min(Math.floor(m / 2) - 1, Math.floor(12 * Math.pow(m / 100, 0.25)));
}

/** −ln 2 / ln(1 + β): Infinity for β ≥ 0, NaN for β ≤ −1 or NaN. */
export function halfLifeFromReversion(beta: number): number {
  if (Number.isNaN(beta) || beta <= -1) return NaN;
  if (beta >= 0) return Infinity;
  return -Math.LN2 / Math.log1p(beta);
}

/** The lag settings for m rows: [K, fixed]. Throws `BAD_INPUT` for a lag that m rows cannot carry. */
export function resolveLags(m: number, options: LagOptions = {}): { maxLag: number; fixed: boolean } {
  const cap = Math.floor(m / 2) - 1;
  if (options.lags !== undefined) {
    if (!Number.isSafeInteger(options.lags) || options.lags < 0 || options.lags > cap) {
      throw new AstraError('BAD_INPUT', Messages.adfLagsTooMany('ADF lags', options.lags, m, cap), { lags: options.lags });
    }
    return { maxLag: options.lags, fixed: true };
  }
  if (options.maxLag !== undefined) {
    if (!Number.isSafeInteger(options.maxLag) || options.maxLag < 0 || options.maxLag > cap) {
      throw new AstraError('BAD_INPUT', Messages.adfLagsTooMany('the largest ADF lag', options.maxLag, m, cap), { maxLag: options.maxLag });
    }
    return { maxLag: options.maxLag, fixed: false };
  }
  return { maxLag: schwertMaxLag(m), fixed: false };
}

/** Field offsets of the kernel's output record (assembly/pairs/scan.ts). */
const F = { a: 0, b: 1, rsq: 2, tau: 3, lags: 4, nobs: 5, hlBeta: 6, hlConst: 7, corr: 8, aic: 9, count: 10 } as const;

/** Kernel scratch for {@link engleGrangerAt}: allocate once, reuse for every pair of a block. */
export interface EngleGrangerScratch {
  work: number;
  out: number;
  /** The largest rows and lag bound it was sized for. */
  rows: number;
  maxLag: number;
}

/** Scratch for pairs of up to `rows` rows and lag bound `maxLag` (allocated in kernel memory). */
export function allocEngleGrangerScratch(k: Kernels, rows: number, maxLag: number): EngleGrangerScratch {
  return { work: k.allocF64(k.exports.engleGrangerWork(rows, maxLag)), out: k.allocF64(F.count), rows, maxLag };
}

/**
 * Statistics of one pair whose inputs already sit in kernel memory (the scan places every column
 * once): `y`, `x`, `ly`, `lx` addresses of m finite prices and their logs; `scratch` sized for at
 * least m rows and the lag bound. Allocates nothing, so earlier views stay valid.
 */
export function engleGrangerAt(
  k: Kernels,
  ptr: { y: number; x: number; ly: number; lx: number },
  m: number,
  lags: { maxLag: number; fixed: boolean },
  scratch: EngleGrangerScratch,
): EngleGranger {
  if (m > scratch.rows || lags.maxLag > scratch.maxLag) throw new RangeError('engleGrangerAt: scratch too small');
  const status = k.exports.engleGranger(ptr.y, ptr.x, ptr.ly, ptr.lx, m, lags.maxLag, lags.fixed ? 1 : 0, scratch.work, scratch.out);
  k.check(status, 'ADF regression');
  const r = k.f64(scratch.out, F.count);
  const adfStat = r[F.tau];
  return {
    rows: m,
    intercept: r[F.a],
    hedgeRatio: r[F.b],
    rSquared: r[F.rsq],
    adfStat,
    pValue: mackinnonP(adfStat, 2),
    lags: r[F.lags],
    maxLag: lags.maxLag,
    fixedLags: lags.fixed,
    adfObservations: r[F.nobs],
    aic: r[F.aic],
    reversion: r[F.hlBeta],
    reversionConstant: r[F.hlConst],
    halfLife: halfLifeFromReversion(r[F.hlBeta]),
    corr: r[F.corr],
  };
}

/**
 * Engle–Granger statistics of y on x (m rows each, finite and positive: the caller keeps the rows
 * where both have a price). Throws `BAD_INPUT` for unequal lengths, fewer than
 * {@link MIN_COINT_ROWS} rows, a non-finite or non-positive price, or a lag m rows cannot carry.
 */
export function engleGranger(k: Kernels, y: ArrayLike<number>, x: ArrayLike<number>, options: LagOptions = {}): EngleGranger {
  const m = y.length;
  if (x.length !== m) throw new AstraError('BAD_INPUT', Messages.tableShape('pair', `y has ${m} values but x has ${x.length}`));
  if (m < MIN_COINT_ROWS) throw new AstraError('INSUFFICIENT_DATA', Messages.pairTooFewRows('y', 'x', m, MIN_COINT_ROWS));
  const ok = (v: number) => v > 0 && v < Infinity;
  for (let t = 0; t < m; t++) {
    if (!ok(y[t]) || !ok(x[t])) {
      const leg = ok(y[t]) ? 'x' : 'y';
      throw new AstraError('BAD_INPUT', Messages.pairsBadPrice(leg, `row ${t + 1}`, leg === 'y' ? y[t] : x[t]), { row: t + 1 });
    }
  }
  const lags = resolveLags(m, options);
  k.reset();
  const ptr = { y: k.putF64(y), x: k.putF64(x), ly: k.putF64(Array.from(y, Math.log)), lx: k.putF64(Array.from(x, Math.log)) };
  return engleGrangerAt(k, ptr, m, lags, allocEngleGrangerScratch(k, m, lags.maxLag));
}
