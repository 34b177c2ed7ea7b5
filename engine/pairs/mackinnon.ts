/**
 * MacKinnon's response surfaces for unit-root and (Engle–Granger) cointegration tests with a
 * constant in the test regression (his "c" case): asymptotic p-values and finite-sample critical
 * values of the τ (t-)statistic for N = 1 (the Dickey–Fuller test) up to N series.
 *
 * These are published constants, kept here exactly as printed:
 * - **p-values:** MacKinnon, J. G. (1994), "Approximate asymptotic distribution functions for
 *   unit-root and cointegration tests", Journal of Business & Economic Statistics 12(2), 167–176,
 *   Table 3 (τ_c, the small-p surface γ₀ + γ₁τ + γ₂τ², γ₂ printed × 10²) and Table 4 (the large-p
 *   surface γ₀ + γ₁τ + γ₂τ² + γ₃τ³, γ₁ and γ₂ printed × 10, γ₃ × 10²), with the τ* switch points and
 *   the τ_min / τ_max bounds of the tables. p = Φ(surface(τ)).
 * - **critical values:** MacKinnon, J. G. (2010), "Critical values for cointegration tests",
 *   Queen's University Economics Department Working Paper 1227, Table 2 ("c" rows): the 1%, 5%
 *   and 10% values β∞ + β₁/T + β₂/T² + β₃/T³.
 *
 * statsmodels (0.13.5) uses the same tables in `mackinnonp` / `mackinnoncrit`; so that the figures
 * agree to the last bit, the printed coefficients are scaled and the polynomials evaluated the way
 * it does (Horner from the highest power), which `scripts/golden/scan.py` checks.
 */
import { normalCdfPrecise } from '../stats/normal-tail.ts';

/** Largest N the p-value surfaces cover (1994 tables). */
export const MACKINNON_P_MAX_N = 6;
/** Largest N the critical-value surfaces cover (2010 tables). */
export const MACKINNON_CRIT_MAX_N = 12;

/** τ*: below it the small-p surface applies, above it the large-p one (Table 3/4, N = 1…6). */
const TAU_STAR = [-1.61, -2.62, -3.13, -3.47, -3.78, -3.93];
/** Below τ_min the p-value is 0, above τ_max it is 1 (the range the surfaces were fitted on). */
const TAU_MIN = [-18.83, -18.86, -23.48, -28.07, -25.96, -23.27];
const TAU_MAX = [2.74, 0.92, 0.55, 0.61, 0.79, 1];

/** Table 3, τ_c: γ₀, γ₁, γ₂ × 10² as printed. */
const SMALL_P_PRINTED = [
  [2.1659, 1.4412, 3.8269],
  [2.92, 1.5012, 3.9796],
  [3.4699, 1.4856, 3.164],
  [3.9673, 1.4777, 2.6315],
  [4.5509, 1.5338, 2.9545],
  [5.1399, 1.6036, 3.4445],
];
const SMALL_P_SCALE = [1, 1, 1e-2];

/** Table 4, τ_c: γ₀, γ₁ × 10, γ₂ × 10, γ₃ × 10² as printed. */
const LARGE_P_PRINTED = [
  [1.7339, 9.3202, -1.2745, -1.0368],
  [2.1945, 6.4695, -2.9198, -4.2377],
  [2.5893, 4.5168, -3.6529, -5.0074],
  [3.0387, 4.5452, -3.3666, -4.1921],
  [3.5049, 5.2098, -2.9158, -3.3468],
  [3.9489, 5.8933, -2.5359, -2.721],
];
const LARGE_P_SCALE = [1, 1e-1, 1e-1, 1e-2];

const scaled = (rows: number[][], scale: number[]) => rows.map((r) => r.map((v, i) => v * scale[i]));
const SMALL_P = scaled(SMALL_P_PRINTED, SMALL_P_SCALE);
const LARGE_P = scaled(LARGE_P_PRINTED, LARGE_P_SCALE);

/** MacKinnon (2010) Table 2, "c": per N, the 1%, 5%, 10% rows of β∞, β₁, β₂, β₃. */
const CRIT_2010: readonly (readonly (readonly number[])[])[] = [
  [[-3.43035, -6.5393, -16.786, -79.433], [-2.86154, -2.8903, -4.234, -40.04], [-2.56677, -1.5384, -2.809, 0]],
  [[-3.89644, -10.9519, -33.527, 0], [-3.33613, -6.1101, -6.823, 0], [-3.04445, -4.2412, -2.72, 0]],
  [[-4.29374, -14.4354, -33.195, 47.433], [-3.74066, -8.5632, -10.852, 27.982], [-3.45218, -6.2143, -3.718, 0]],
  [[-4.64332, -18.1031, -37.972, 0], [-4.096, -11.2349, -11.175, 0], [-3.8102, -8.3931, -4.137, 0]],
  [[-4.95756, -21.8883, -45.142, 0], [-4.41519, -14.0405, -12.575, 0], [-4.13157, -10.7417, -3.784, 0]],
  [[-5.24568, -25.6688, -57.737, 88.639], [-4.70693, -16.9178, -17.492, 60.007], [-4.42501, -13.1875, -5.104, 27.877]],
  [[-5.51233, -29.576, -69.398, 164.295], [-4.97684, -19.9021, -22.045, 110.761], [-4.69648, -15.7315, -5.104, 27.877]],
  [[-5.76202, -33.5258, -82.189, 256.289], [-5.22924, -23.0023, -24.646, 144.479], [-4.95007, -18.3959, -7.344, 94.872]],
  [[-5.99742, -37.6572, -87.365, 248.316], [-5.46697, -26.2057, -26.627, 176.382], [-5.18897, -21.1377, -9.484, 172.704]],
  [[-6.22103, -41.7154, -102.68, 389.33], [-5.69244, -29.4521, -30.994, 251.016], [-5.41533, -24.0006, -7.514, 163.049]],
  [[-6.43377, -46.0084, -106.809, 352.752], [-5.90714, -32.8336, -30.275, 249.994], [-5.63086, -26.9693, -4.083, 151.427]],
  [[-6.6379, -50.2095, -124.156, 579.622], [-6.11279, -36.2681, -32.505, 314.802], [-5.83724, -29.9864, -2.686, 184.116]],
];

/** c₀ + c₁t + c₂t² + … by Horner from the highest power (as numpy's `polyval` on the reversed list). */
function horner(c: readonly number[], t: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * t + c[i];
  return v;
}

function checkN(n: number, max: number): void {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new RangeError(`MacKinnon tables cover N = 1…${max}, got ${n}`);
}

/**
 * MacKinnon's (1994) asymptotic p-value of a τ statistic, constant in the test regression, for
 * `n` integrated series (1: ADF; 2: Engle–Granger on a pair). As statsmodels'
 * `mackinnonp(stat, regression='c', N=n)`: 0 below τ_min, 1 above τ_max, else Φ of the small-p
 * surface at or below τ*, the large-p one above it. NaN → NaN; −∞ → 0.
 */
export function mackinnonP(stat: number, n = 2): number {
  checkN(n, MACKINNON_P_MAX_N);
  if (Number.isNaN(stat)) return NaN;
  if (stat > TAU_MAX[n - 1]) return 1;
  if (stat < TAU_MIN[n - 1]) return 0;
  const surface = stat <= TAU_STAR[n - 1] ? SMALL_P[n - 1] : LARGE_P[n - 1];
  return normalCdfPrecise(horner(surface, stat));
}

/**
 * MacKinnon's (2010) 1%, 5% and 10% critical values of the τ statistic (constant in the test
 * regression) for `n` series and `nobs` observations (`Infinity`: the asymptotic β∞). As
 * statsmodels' `mackinnoncrit(N=n, regression='c', nobs=nobs)`; its `coint` passes nobs − 1.
 */
export function mackinnonCrit(n = 2, nobs = Infinity): [number, number, number] {
  checkN(n, MACKINNON_CRIT_MAX_N);
  const rows = CRIT_2010[n - 1];
  const at = (row: readonly number[]) => (nobs === Infinity ? row[0] : horner(row, 1 / nobs));
  return [at(rows[0]), at(rows[1]), at(rows[2])];
}
