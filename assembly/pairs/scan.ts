// Engle–Granger statistics of one pair of price series, as statsmodels' `coint(y, x, trend='c')`
// computes them (engine/pairs/cointegration.ts states the convention): the OLS y = a + b·x + u, an
// ADF regression on u with no deterministic term and k lagged differences (k by AIC over 0…K on
// the sample trimmed for K, then re-fitted on its own sample), the half-life regression
// Δuₜ = c + β·uₜ₋₁, and the correlation of 1-bar log returns.
//
// Why it is fast: every ADF regressor except the level is a shifted copy of d = Δu, so its Gram
// matrix is nearly Toeplitz. Its first row is K+1 dot products (O(m·K)); each further entry is
// the one up-left of it plus one product entering and one leaving the window (O(K²) in all); the
// level's column follows the same way from uᵢ = uᵢ₋₁ + dᵢ₋₁. One Cholesky of the Gram augmented
// with the regressand gives the residual sum of squares of every leading set of regressors at
// once: RSS_k = dᵀd − Σ_{j≤k} L²_{y,j}. The chosen lag's re-fit adds the K − k rows its longer
// sample has and factors once more with the level last, whose t-statistic is then L_{y,level}/s.
import { dot } from '../linalg/dot';
import { STATUS_OK, STATUS_BAD_SIZE, STATUS_NOT_POSITIVE_DEFINITE, fail } from '../util/status';

/** Fields of the output record of {@link engleGranger} (f64 each). */
export const EG_INTERCEPT: i32 = 0;
export const EG_SLOPE: i32 = 1;
export const EG_RSQUARED: i32 = 2;
export const EG_ADF_STAT: i32 = 3;
export const EG_LAGS: i32 = 4;
export const EG_ADF_NOBS: i32 = 5;
export const EG_HL_BETA: i32 = 6;
export const EG_HL_CONST: i32 = 7;
export const EG_CORR: i32 = 8;
export const EG_AIC: i32 = 9;
export const EG_FIELDS: i32 = 10;

/** statsmodels' `coint` skips the ADF when R² ≥ 1 − 100·√ε (the legs are collinear): τ = −∞. */
const COLLINEAR_RSQUARED: f64 = 1.0 - 100.0 * 1.4901161193847656e-8;
const LN_2PI: f64 = 1.8378770664093453;

@inline function at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function put(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

@inline function cell(g: usize, n: i32, i: i32, j: i32): usize {
  return g + ((<usize>i * <usize>n + <usize>j) << 3);
}

/**
 * In-place Cholesky of the leading `n`×`n` block of the row-major `stride`-wide matrix `g` (lower
 * triangle read and written). Returns false at a pivot that is not positive.
 */
function choleskyInPlace(g: usize, stride: i32, n: i32): bool {
  for (let i = 0; i < n; i++) {
    const ri = g + ((<usize>i * <usize>stride) << 3);
    for (let j = 0; j < i; j++) {
      const rj = g + ((<usize>j * <usize>stride) << 3);
      put(ri, j, (at(ri, j) - dot(ri, rj, j)) / at(rj, j));
    }
    const pivot = at(ri, i) - dot(ri, ri, i);
    if (!(pivot > 0.0)) return false;
    put(ri, i, Math.sqrt(pivot));
  }
  return true;
}

/**
 * Pearson correlation of the 1-bar differences of `a` and `b` (log prices: log returns), two-pass.
 */
function diffCorrelation(a: usize, b: usize, m: i32): f64 {
  let ma = 0.0;
  let mb = 0.0;
  for (let t = 1; t < m; t++) {
    ma += at(a, t) - at(a, t - 1);
    mb += at(b, t) - at(b, t - 1);
  }
  ma /= <f64>(m - 1);
  mb /= <f64>(m - 1);
  let sab = 0.0;
  let saa = 0.0;
  let sbb = 0.0;
  for (let t = 1; t < m; t++) {
    const da = at(a, t) - at(a, t - 1) - ma;
    const db = at(b, t) - at(b, t - 1) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * Engle–Granger statistics of y on x over `m` rows (all finite; the host passes the formation
 * rows where both have a price).
 *
 * @param y, x      prices (m each)
 * @param ly, lx    their natural logs (m each), for the return correlation
 * @param maxLag    K: the largest lag searched (autolag) or the fixed lag; 0 ≤ K ≤ m/2 − 1
 * @param fixed     1: use exactly K lags (statsmodels' `autolag=None`); 0: choose k ≤ K by AIC
 * @param work      scratch of {@link engleGrangerWork}(m, K) f64
 * @param out       {@link EG_FIELDS} f64: intercept a, slope b, R², τ, lags, ADF nobs, half-life β and
 *                  constant, corr, best AIC (NaN with `fixed`). With collinear legs τ = −∞ and the
 *                  ADF fields are NaN, as statsmodels.
 * @returns STATUS_OK; STATUS_BAD_SIZE (detail m) when m < 4 or K is out of range;
 *          STATUS_NOT_POSITIVE_DEFINITE (detail: the regressor) when an ADF regression is singular.
 */
export function engleGranger(y: usize, x: usize, ly: usize, lx: usize, m: i32, maxLag: i32, fixed: i32, work: usize, out: usize): i32 {
  if (m < 4 || maxLag < 0 || maxLag > m / 2 - 1) return fail(STATUS_BAD_SIZE, m);
  for (let f = 0; f < EG_FIELDS; f++) put(out, f, NaN);
  put(out, EG_CORR, diffCorrelation(ly, lx, m));

  // Step 1: y = a + b·x + u (two-pass: centred sums).
  let mx = 0.0;
  let my = 0.0;
  for (let t = 0; t < m; t++) {
    mx += at(x, t);
    my += at(y, t);
  }
  mx /= <f64>m;
  my /= <f64>m;
  let sxx = 0.0;
  let sxy = 0.0;
  let syy = 0.0;
  for (let t = 0; t < m; t++) {
    const dx = at(x, t) - mx;
    const dy = at(y, t) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  const u = work;
  const d = work + (<usize>m << 3);
  let ssr = 0.0;
  for (let t = 0; t < m; t++) {
    const r = at(y, t) - a - b * at(x, t);
    put(u, t, r);
    ssr += r * r;
  }
  const rsq = 1.0 - ssr / syy;
  put(out, EG_INTERCEPT, a);
  put(out, EG_SLOPE, b);
  put(out, EG_RSQUARED, rsq);
  for (let t = 0; t < m - 1; t++) put(d, t, at(u, t + 1) - at(u, t));

  // Half-life regression Δuᵢ = c + β·uᵢ over i = 0…m−2 (regressand dᵢ = uᵢ₊₁ − uᵢ).
  let mu = 0.0;
  let md = 0.0;
  for (let i = 0; i < m - 1; i++) {
    mu += at(u, i);
    md += at(d, i);
  }
  mu /= <f64>(m - 1);
  md /= <f64>(m - 1);
  let suu = 0.0;
  let sud = 0.0;
  for (let i = 0; i < m - 1; i++) {
    const cu = at(u, i) - mu;
    suu += cu * cu;
    sud += cu * (at(d, i) - md);
  }
  put(out, EG_HL_BETA, sud / suu);
  put(out, EG_HL_CONST, md - (sud / suu) * mu);

  if (!(rsq < COLLINEAR_RSQUARED)) {
    put(out, EG_ADF_STAT, -Infinity);
    return STATUS_OK;
  }
  return adf(u, d, m, maxLag, fixed != 0, work + (<usize>(2 * m) << 3), out);
}

/** Scratch f64 that {@link engleGranger} needs for m rows and lag bound K. */
export function engleGrangerWork(m: i32, maxLag: i32): i32 {
  const n = maxLag + 2;
  return 2 * m + 2 * n * n + 2;
}

/**
 * The ADF regression of dᵢ on [uᵢ, dᵢ₋₁ … dᵢ₋ₖ] (see the file comment). `g` holds two (K+2)²
 * matrices: the common-sample Gram, then the factor being worked on.
 */
function adf(u: usize, d: usize, m: i32, K: i32, fixed: bool, g: usize, out: usize): i32 {
  const n = K + 2; // level, lags 1…K, regressand (index K+1)
  const chol = g + ((<usize>n * <usize>n) << 3);
  const first = K; // first row i of the common sample
  const last = m - 2; // last row i
  const rows = last - first + 1;
  const target = K + 1;

  // Lag block, indices 1…K and the regressand as "lag 0" at index `target`. lagIndex(j) maps a lag
  // j ∈ 0…K to its row in g.
  // S_h = Σᵢ dᵢ·dᵢ₋ₕ over the common sample: the first row of the Toeplitz-like block.
  for (let h = 0; h <= K; h++) {
    const s = dot(d + (<usize>first << 3), d + (<usize>(first - h) << 3), rows);
    const row = h == 0 ? target : h;
    store<f64>(cell(g, n, target, row), s);
    store<f64>(cell(g, n, row, target), s);
  }
  // G[j+1][l+1] = G[j][l] + d(first−1−j)·d(first−1−l) − d(last−j)·d(last−l), lags j ≤ l.
  for (let j = 0; j < K; j++) {
    for (let l = j; l < K; l++) {
      const prev = load<f64>(cell(g, n, j == 0 ? target : j, l == 0 ? target : l));
      const v = prev + at(d, first - 1 - j) * at(d, first - 1 - l) - at(d, last - j) * at(d, last - l);
      store<f64>(cell(g, n, j + 1, l + 1), v);
      store<f64>(cell(g, n, l + 1, j + 1), v);
    }
  }
  // Level column: Lev_h = Σᵢ uᵢ·dᵢ₋ₕ; Lev₀ directly, then Lev_{h+1} = Lev_h + S_h + u(first)·d(first−1−h)
  // − u(last+1)·d(last−h), from uᵢ = uᵢ₋₁ + dᵢ₋₁.
  let lev = dot(u + (<usize>first << 3), d + (<usize>first << 3), rows);
  for (let h = 0; h <= K; h++) {
    const row = h == 0 ? target : h;
    store<f64>(cell(g, n, 0, row), lev);
    store<f64>(cell(g, n, row, 0), lev);
    if (h < K) {
      const s = load<f64>(cell(g, n, target, h == 0 ? target : h));
      lev = lev + s + at(u, first) * at(d, first - 1 - h) - at(u, last + 1) * at(d, last - h);
    }
  }
  store<f64>(cell(g, n, 0, 0), dot(u + (<usize>first << 3), u + (<usize>first << 3), rows));

  let k = K;
  if (!fixed) {
    // One factorisation of the augmented Gram: RSS of [level, lags 1…k] for every k.
    memory.copy(chol, g, (<usize>n * <usize>n) << 3);
    if (!choleskyInPlace(chol, n, n - 1)) return fail(STATUS_NOT_POSITIVE_DEFINITE, 0);
    const ry = chol + ((<usize>target * <usize>n) << 3);
    // Row `target` of L: L[y][j] = (G[y][j] − Σ_{i<j} L[y][i]·L[j][i]) / L[j][j].
    let rss = at(ry, target);
    let best = Infinity;
    const nobs = <f64>rows;
    for (let j = 0; j <= K; j++) {
      const rj = chol + ((<usize>j * <usize>n) << 3);
      const lyj = (at(ry, j) - dot(ry, rj, j)) / at(rj, j);
      put(ry, j, lyj);
      rss -= lyj * lyj;
      // statsmodels' OLS AIC: −2·llf + 2·(regressors), llf = −n/2·(ln 2π + ln(RSS/n) + 1).
      const aic = nobs * (LN_2PI + Math.log(rss / nobs) + 1.0) + 2.0 * <f64>(j + 1);
      if (aic < best) {
        best = aic;
        k = j;
      }
    }
    put(out, EG_AIC, best);
  }

  // Re-fit with k lags on rows i = k…last: the common Gram plus rows k…first−1, level last.
  const p = k + 1; // regressors
  const q = k + 2; // with the regressand
  // Map factor index → Gram index: lags 1…k first, then the level (0), then the regressand.
  for (let r = 0; r < q; r++) {
    const gr = r < k ? r + 1 : r == k ? 0 : target;
    for (let c = 0; c <= r; c++) {
      const gc = c < k ? c + 1 : c == k ? 0 : target;
      let v = load<f64>(cell(g, n, gr, gc));
      for (let i = k; i < first; i++) v += value(u, d, i, gr, target) * value(u, d, i, gc, target);
      store<f64>(cell(chol, q, r, c), v);
    }
  }
  if (!choleskyInPlace(chol, q, p)) return fail(STATUS_NOT_POSITIVE_DEFINITE, k);
  const ry = chol + ((<usize>p * <usize>q) << 3);
  let rss = at(ry, p);
  let lLevel = 0.0;
  for (let j = 0; j < p; j++) {
    const rj = chol + ((<usize>j * <usize>q) << 3);
    const lyj = (at(ry, j) - dot(ry, rj, j)) / at(rj, j);
    put(ry, j, lyj);
    rss -= lyj * lyj;
    lLevel = lyj;
  }
  const nobs = last - k + 1;
  put(out, EG_ADF_STAT, lLevel / Math.sqrt(rss / <f64>(nobs - p)));
  put(out, EG_LAGS, <f64>k);
  put(out, EG_ADF_NOBS, <f64>nobs);
  return STATUS_OK;
}

/** Regressor `gi` (Gram index: 0 level, 1…K lags, `target` the regressand) at row i. */
@inline function value(u: usize, d: usize, i: i32, gi: i32, target: i32): f64 {
  return gi == 0 ? at(u, i) : gi == target ? at(d, i) : at(d, i - gi);
}
