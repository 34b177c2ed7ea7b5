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

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
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
  const u = work;
  const d = work + (<usize>m << 3);
  const fm = <f64>m;
  const fq = <f64>(m - 1);

  // Pass 1: means of x and y. The mean of the log returns telescopes: (l[m−1] − l[0])/(m − 1).
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  let t = 0;
  for (; t + 2 <= m; t += 2) {
    const o = <usize>t << 3;
    acc0 = f64x2.add(acc0, v128.load(x + o));
    acc1 = f64x2.add(acc1, v128.load(y + o));
  }
  let mx = hsum(acc0);
  let my = hsum(acc1);
  for (; t < m; t++) {
    mx += at(x, t);
    my += at(y, t);
  }
  mx /= fm;
  my /= fm;
  const ma = (at(ly, m - 1) - at(ly, 0)) / fq;
  const mb = (at(lx, m - 1) - at(lx, 0)) / fq;

  // Pass 2: centred sums of the levels (OLS) and of the log returns (correlation), together.
  const dx0 = at(x, 0) - mx;
  const dy0 = at(y, 0) - my;
  let sxx = dx0 * dx0;
  let sxy = dx0 * dy0;
  let syy = dy0 * dy0;
  let sab = 0.0;
  let saa = 0.0;
  let sbb = 0.0;
  {
    const vmx = f64x2.splat(mx);
    const vmy = f64x2.splat(my);
    const vma = f64x2.splat(ma);
    const vmb = f64x2.splat(mb);
    let cxx = f64x2.splat(0);
    let cxy = f64x2.splat(0);
    let cyy = f64x2.splat(0);
    let cab = f64x2.splat(0);
    let caa = f64x2.splat(0);
    let cbb = f64x2.splat(0);
    t = 1;
    for (; t + 2 <= m; t += 2) {
      const o = <usize>t << 3;
      const vx = f64x2.sub(v128.load(x + o), vmx);
      const vy = f64x2.sub(v128.load(y + o), vmy);
      cxx = f64x2.add(cxx, f64x2.mul(vx, vx));
      cxy = f64x2.add(cxy, f64x2.mul(vx, vy));
      cyy = f64x2.add(cyy, f64x2.mul(vy, vy));
      const ra = f64x2.sub(f64x2.sub(v128.load(ly + o), v128.load(ly + o - 8)), vma);
      const rb = f64x2.sub(f64x2.sub(v128.load(lx + o), v128.load(lx + o - 8)), vmb);
      cab = f64x2.add(cab, f64x2.mul(ra, rb));
      caa = f64x2.add(caa, f64x2.mul(ra, ra));
      cbb = f64x2.add(cbb, f64x2.mul(rb, rb));
    }
    sxx += hsum(cxx);
    sxy += hsum(cxy);
    syy += hsum(cyy);
    sab = hsum(cab);
    saa = hsum(caa);
    sbb = hsum(cbb);
    for (; t < m; t++) {
      const ex = at(x, t) - mx;
      const ey = at(y, t) - my;
      sxx += ex * ex;
      sxy += ex * ey;
      syy += ey * ey;
      const ra = at(ly, t) - at(ly, t - 1) - ma;
      const rb = at(lx, t) - at(lx, t - 1) - mb;
      sab += ra * rb;
      saa += ra * ra;
      sbb += rb * rb;
    }
  }
  put(out, EG_CORR, sab / Math.sqrt(saa * sbb));
  const b = sxy / sxx;
  const a = my - b * mx;

  // Pass 3: the residual u = y − a − b·x, its sum of squares and sum; then d = Δu.
  let ssr = 0.0;
  let su = 0.0;
  {
    const va = f64x2.splat(a);
    const vb = f64x2.splat(b);
    let c2 = f64x2.splat(0);
    let c1 = f64x2.splat(0);
    t = 0;
    for (; t + 2 <= m; t += 2) {
      const o = <usize>t << 3;
      const r = f64x2.sub(f64x2.sub(v128.load(y + o), va), f64x2.mul(vb, v128.load(x + o)));
      v128.store(u + o, r);
      c2 = f64x2.add(c2, f64x2.mul(r, r));
      c1 = f64x2.add(c1, r);
    }
    ssr = hsum(c2);
    su = hsum(c1);
    for (; t < m; t++) {
      const r = at(y, t) - a - b * at(x, t);
      put(u, t, r);
      ssr += r * r;
      su += r;
    }
    t = 0;
    for (; t + 2 <= m - 1; t += 2) {
      const o = <usize>t << 3;
      v128.store(d + o, f64x2.sub(v128.load(u + o + 8), v128.load(u + o)));
    }
    for (; t < m - 1; t++) put(d, t, at(u, t + 1) - at(u, t));
  }
  const rsq = 1.0 - ssr / syy;
  put(out, EG_INTERCEPT, a);
  put(out, EG_SLOPE, b);
  put(out, EG_RSQUARED, rsq);

  // Pass 4: the half-life regression Δuᵢ = c + β·uᵢ over i = 0…m−2 (centred sums; Σdᵢ telescopes).
  const mu = (su - at(u, m - 1)) / fq;
  const md = (at(u, m - 1) - at(u, 0)) / fq;
  let suu = 0.0;
  let sud = 0.0;
  {
    const vmu = f64x2.splat(mu);
    const vmd = f64x2.splat(md);
    let cuu = f64x2.splat(0);
    let cud = f64x2.splat(0);
    t = 0;
    for (; t + 2 <= m - 1; t += 2) {
      const o = <usize>t << 3;
      const cu = f64x2.sub(v128.load(u + o), vmu);
      cuu = f64x2.add(cuu, f64x2.mul(cu, cu));
      cud = f64x2.add(cud, f64x2.mul(cu, f64x2.sub(v128.load(d + o), vmd)));
    }
    suu = hsum(cuu);
    sud = hsum(cud);
    for (; t < m - 1; t++) {
      const cu = at(u, t) - mu;
      suu += cu * cu;
      sud += cu * (at(d, t) - md);
    }
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
  const base = d + (<usize>first << 3);
  let h = 0;
  for (; h + 4 <= K + 1; h += 4) {
    dotShift4(base, h, rows);
    storeLag(g, n, target, h, s0);
    storeLag(g, n, target, h + 1, s1);
    storeLag(g, n, target, h + 2, s2);
    storeLag(g, n, target, h + 3, s3);
  }
  for (; h <= K; h++) storeLag(g, n, target, h, dot(base, base - (<usize>h << 3), rows));
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

// Results of `dotShift4`.
let s0: f64 = 0;
let s1: f64 = 0;
let s2: f64 = 0;
let s3: f64 = 0;

/**
 * Σᵢ a[i]·a[i−h−j] for j = 0…3 over i < len (a[i−k] read before `a`): four lags in one pass, each
 * vector of `a` loaded once for all four.
 */
@inline function dotShift4(a: usize, h: i32, len: i32): void {
  const b0 = a - (<usize>h << 3);
  let c0 = f64x2.splat(0);
  let c1 = f64x2.splat(0);
  let c2 = f64x2.splat(0);
  let c3 = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= len; i += 2) {
    const o = <usize>i << 3;
    const va = v128.load(a + o);
    c0 = f64x2.add(c0, f64x2.mul(va, v128.load(b0 + o)));
    c1 = f64x2.add(c1, f64x2.mul(va, v128.load(b0 + o - 8)));
    c2 = f64x2.add(c2, f64x2.mul(va, v128.load(b0 + o - 16)));
    c3 = f64x2.add(c3, f64x2.mul(va, v128.load(b0 + o - 24)));
  }
  let r0 = hsum(c0);
  let r1 = hsum(c1);
  let r2 = hsum(c2);
  let r3 = hsum(c3);
  for (; i < len; i++) {
    const o = <usize>i << 3;
    const va = load<f64>(a + o);
    r0 += va * load<f64>(b0 + o);
    r1 += va * load<f64>(b0 + o - 8);
    r2 += va * load<f64>(b0 + o - 16);
    r3 += va * load<f64>(b0 + o - 24);
  }
  s0 = r0;
  s1 = r1;
  s2 = r2;
  s3 = r3;
}

/** S_h into the regressand's row and column (lag 0 is the regressand itself). */
@inline function storeLag(g: usize, n: i32, target: i32, h: i32, v: f64): void {
  const row = h == 0 ? target : h;
  store<f64>(cell(g, n, target, row), v);
  store<f64>(cell(g, n, row, target), v);
}

/** Regressor `gi` (Gram index: 0 level, 1…K lags, `target` the regressand) at row i. */
@inline function value(u: usize, d: usize, i: i32, gi: i32, target: i32): f64 {
  return gi == 0 ? at(u, i) : gi == target ? at(d, i) : at(d, i - gi);
}
