// Monte Carlo VaR kernels: one block of paths from its own random stream (seed, block), and the
// re-pricing of cached scenarios under common random numbers.
//
// Model (docs/kernels.md, "Monte Carlo VaR"): daily log returns r = μ + L·z, z standard normal;
// a path's cumulative log return of asset i after d days is S_d,i = Σ_{t≤d} r_t,i and its P&L is
// Σᵢ Nᵢ·expm1(S_d,i). The `terminal` kernel draws S_H = H·μ + √H·L·z directly (exact in
// distribution at the horizon, H times fewer draws); the `paths` kernel walks every day, for the
// path-dependent outputs (worst P&L inside the horizon). Both pair their paths antithetically
// (see below).
//
// Layout. Arrays over paths are asset-major with a row stride (a multiple of 4 at least the
// block's path count; the engine adds a cache line so rows do not share L1 sets): element (i, j)
// lives at (i·stride + j); lanes past the path count are padding. The draws of one block come
// from the Monte Carlo sampler's stream (random/mcnormal.ts) in the order day, asset, path — so
// day d's draws start at the same place whatever the horizon, and a shorter horizon simulates
// exactly the first days of a longer one. SIMD runs across paths (two per v128), never across
// assets: L·z sums k = 0…i and the P&L sums i = 0…n−1 in each lane as a plain loop would, and the
// re-pricing kernels reproduce the block kernels bit for bit from the cached values.
//
// Two passes a day: y = L·z, register-blocked 4 assets × 4 paths over a packed copy of L in which
// L[ib…ib+3][k] are adjacent (the last block has n mod 4 rows, so no padding row is multiplied);
// then a pass over each asset's row (growth and P&L).
import { mcSeedStream, mcFillNormals } from '../random/mcnormal';
import { expm1x2 } from './expm1';
import { STATUS_OK, STATUS_BAD_SIZE, STATUS_NON_FINITE_INPUT, fail } from '../util/status';

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

@inline function row(base: usize, i: i32, stride: i32): usize {
  return base + ((<usize>i * <usize>stride) << 3);
}

/** Sizes every block kernel shares; returns STATUS_OK or BAD_SIZE naming the bad value. */
function checkSizes(n: i32, n4: i32, paths: i32, stride: i32): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  if (n4 < n || (n4 & 3) != 0) return fail(STATUS_BAD_SIZE, n4);
  if (paths <= 0) return fail(STATUS_BAD_SIZE, paths);
  if (stride < paths || (stride & 3) != 0) return fail(STATUS_BAD_SIZE, stride);
  return STATUS_OK;
}

/**
 * Refuse non-finite inputs: L (n4×n4, flat index), then drift and notionals (index n4² + i and
 * n4² + n4 + i). Pads the checks nothing else: the engine validates first and names the ticker.
 */
function checkFinite(lower: usize, drift: usize, notionals: usize, n4: i32): i32 {
  const nn = n4 * n4;
  for (let i = 0; i < nn; i++) if (!isFinite(load<f64>(at(lower, i)))) return fail(STATUS_NON_FINITE_INPUT, i);
  for (let i = 0; i < n4; i++) if (!isFinite(load<f64>(at(drift, i)))) return fail(STATUS_NON_FINITE_INPUT, nn + i);
  for (let i = 0; i < n4; i++) if (!isFinite(load<f64>(at(notionals, i)))) return fail(STATUS_NON_FINITE_INPUT, nn + n4 + i);
  return STATUS_OK;
}

/** packed[ib·n4 + k·4 + s] = L[ib + s][k] for row blocks ib = 0, 4, … and k < ib + 4. */
function packLower(lower: usize, n4: i32, packed: usize): void {
  for (let ib = 0; ib < n4; ib += 4) {
    for (let k = 0; k < ib + 4; k++) {
      for (let s = 0; s < 4; s++) {
        store<f64>(at(packed, ib * n4 + k * 4 + s), load<f64>(at(lower, (ib + s) * n4 + k)));
      }
    }
  }
}

/** Zero `count` f64 at `p`. */
@inline function zero(p: usize, count: i32): void {
  memory.fill(p, 0, <usize>count << 3);
}

/**
 * Zero what the draws never write: lanes `paths`…stride − 1 of the n drawn rows and the padding
 * rows n…n4 − 1 (they meet the zero columns of L, and 0·NaN would not be 0).
 */
function zeroPadding(z: usize, n: i32, n4: i32, paths: i32, stride: i32): void {
  for (let i = 0; i < n; i++) zero(at(row(z, i, stride), paths), stride - paths);
  zero(row(z, n, stride), (n4 - n) * stride);
}

/** Draw one normal per (asset, path) of a block, row by row (asset-major), from the current stream. */
function drawRows(z: usize, n: i32, paths: i32, stride: i32): void {
  for (let i = 0; i < n; i++) mcFillNormals(row(z, i, stride), paths);
}

// ---- the per-lane formulas, shared by the block kernels and the re-pricing kernels ----

/** Terminal method: S = H·μ + √H·y from the shock y = (L·z)ᵢ; E = expm1(S); returns N·E. */
@inline function terminalStep(e: usize, hmu: v128, rootH: v128, notional: v128, y: v128): v128 {
  const ev = expm1x2(f64x2.add(hmu, f64x2.mul(rootH, y)));
  v128.store(e, ev);
  return f64x2.mul(notional, ev);
}

/**
 * Rows ib…ib + rows − 1 of y = L·z for every path of a block: `rows` rows of L against four paths
 * per step, two accumulators a row. `rows` is a constant at every call, so the unused rows fold
 * away. Row ib + s sums k = 0…ib + rows − 1; its terms past k = ib + s multiply the zero upper
 * triangle, and adding +0·z leaves each sum as the plain loop over k ≤ i has it.
 */
@inline function lowerBlock(packed: usize, n4: i32, stride: i32, cols: i32, z: usize, y: usize, ib: i32, rows: i32): void {
  const zStep = <usize>stride << 3;
  for (let j = 0; j < cols; j += 4) {
    const jo = <usize>j << 3;
    let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
    let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
    let lp = at(packed, ib * n4);
    let zp = z + jo;
    const kEnd = ib + rows;
    for (let k = 0; k < kEnd; k++) {
      const z0 = v128.load(zp);
      const z1 = v128.load(zp, 16);
      const l0 = v128.load64_splat(lp);
      a00 = f64x2.add(a00, f64x2.mul(l0, z0));
      a01 = f64x2.add(a01, f64x2.mul(l0, z1));
      if (rows > 1) {
        const l1 = v128.load64_splat(lp, 8);
        a10 = f64x2.add(a10, f64x2.mul(l1, z0));
        a11 = f64x2.add(a11, f64x2.mul(l1, z1));
      }
      if (rows > 2) {
        const l2 = v128.load64_splat(lp, 16);
        a20 = f64x2.add(a20, f64x2.mul(l2, z0));
        a21 = f64x2.add(a21, f64x2.mul(l2, z1));
      }
      if (rows > 3) {
        const l3 = v128.load64_splat(lp, 24);
        a30 = f64x2.add(a30, f64x2.mul(l3, z0));
        a31 = f64x2.add(a31, f64x2.mul(l3, z1));
      }
      lp += 32;
      zp += zStep;
    }
    const yp = row(y, ib, stride) + jo;
    v128.store(yp, a00);
    v128.store(yp, a01, 16);
    if (rows > 1) {
      v128.store(yp + zStep, a10);
      v128.store(yp + zStep, a11, 16);
    }
    if (rows > 2) {
      v128.store(yp + 2 * zStep, a20);
      v128.store(yp + 2 * zStep, a21, 16);
    }
    if (rows > 3) {
      v128.store(yp + 3 * zStep, a30);
      v128.store(yp + 3 * zStep, a31, 16);
    }
  }
}

/**
 * y = L·z for the n drawn rows of a block, columns 0…cols − 1 (cols a multiple of 4; z, y: rows of
 * `stride`; L packed by `packLower`), in
 * register blocks of four rows against four paths (eight accumulators); the last block has n mod 4
 * rows when that is not 0, so no padding row of L is multiplied.
 */
function lowerTimes(packed: usize, n: i32, n4: i32, stride: i32, cols: i32, z: usize, y: usize): void {
  let ib = 0;
  for (; ib + 4 <= n; ib += 4) lowerBlock(packed, n4, stride, cols, z, y, ib, 4);
  const rest = n - ib;
  if (rest == 3) lowerBlock(packed, n4, stride, cols, z, y, ib, 3);
  else if (rest == 2) lowerBlock(packed, n4, stride, cols, z, y, ib, 2);
  else if (rest == 1) lowerBlock(packed, n4, stride, cols, z, y, ib, 1);
}

// ---- the antithetic pair of the paths method ----
//
// A block's paths come in pairs: base path j (column j < half) draws z, its mirror (column
// half + j) uses −z. Each day multiplies a path's driftless growth G̃ by exp(±y), y = (L·z)ᵢ the
// day's shock: exp(±y) = C ± D with C = cosh y and D = sinh y, one even and one odd series in
// t = y², so both paths cost about one exp, and half the draws and half the L·z serve twice the
// paths. The drift enters through the day's constants (below), never in the loop.
//
// Each asset's row of shocks is scanned first and the whole row takes the cheapest series that
// is exact for its largest |y|: to y⁹ while max |y| < 0.11 (almost every row: a 0.11 daily move
// is 5σ at 35% a year), to y¹¹ while it is < 0.2, and else the y¹¹ series with the vector expm1
// for the lanes at or past 0.2. The loops have no branch (V8 spilled every value around a
// fallback call inside the loop). A lane's last bit can therefore depend on its row's tier; every
// tier is within an ulp of exp(±y).

/**
 * Taylor coefficients, cosh y = 1 + t·Σₖ t^k/(2k+2)!, sinh y = y + y·t·Σₖ t^k/(2k+3)! for k = 0…4,
 * then the tiers' bounds. Truncation: to y⁹ (k ≤ 3) the first omitted terms at |y| = 0.11 are
 * y¹⁰/10! < 7.2e-17 (C ≥ 1) and y¹¹/11! < 6.6e-18·|y|; to y¹¹ at 0.2, y¹²/12! < 8.6e-18.
 */
const PAIR: usize = memory.data<f64>([
  0.5, 1.0 / 24.0, 1.0 / 720.0, 1.0 / 40320.0, 1.0 / 3628800.0,
  1.0 / 6.0, 1.0 / 120.0, 1.0 / 5040.0, 1.0 / 362880.0, 1.0 / 39916800.0,
  1.0, 0.11, 0.2,
], 16);
const ONE = 10;
const LONG = 12;
const SHORT_BOUND: f64 = 0.11;
const LONG_BOUND: f64 = 0.2;
const TIER_SHORT = 0;
const TIER_LONG = 1;
const TIER_EXACT = 2;

@inline function p(i: i32): v128 {
  return v128.load64_splat(PAIR + (<usize>i << 3));
}

/** The series Σ_{k<terms} p(first + k)·t^k by Estrin's scheme (terms 4 or 5; t2 = t², t4 = t⁴). */
@inline function series(t: v128, t2: v128, t4: v128, first: i32, terms: i32): v128 {
  const lo = f64x2.add(p(first), f64x2.mul(t, p(first + 1)));
  const mid = f64x2.add(p(first + 2), f64x2.mul(t, p(first + 3)));
  const four = f64x2.add(lo, f64x2.mul(t2, mid));
  return terms > 4 ? f64x2.add(four, f64x2.mul(t4, p(first + 4))) : four;
}

// The day's constants of the paths method, in `consts` (3 rows of n4 f64): aᵢ = exp(μᵢ) =
// 1 + expm1(μᵢ) (the vector expm1, one rounding), Aᵢ = aᵢ^d by d successive products from 1, and
// Nᵢ·Aᵢ. A path's growth is tracked without its drift, G̃ = exp(Σ ±y), so a day's step needs no
// product by a; its P&L is Σᵢ (Nᵢ·Aᵢ)·G̃ᵢ − Σᵢ Nᵢ (assets in order from 0, then the sum of the
// notionals in order), and E = A·G̃ − 1. The re-pricing kernel forms the same constants by the
// same products, so it reproduces these bits from cached G̃.

/** Start the constants: a from the drift, A = 1. */
function startDays(drift: usize, n: i32, n4: i32, consts: usize): void {
  for (let i = 0; i < n; i++) {
    store<f64>(at(consts, i), 1.0 + f64x2.extract_lane(expm1x2(v128.load64_splat(at(drift, i))), 0));
    store<f64>(at(consts, n4 + i), 1.0);
  }
}

/** The next day's constants: A ← A·a, then N·A. */
function nextDay(notionals: usize, n: i32, n4: i32, consts: usize): void {
  for (let i = 0; i < n; i++) {
    const a = load<f64>(at(consts, i)) * load<f64>(at(consts, n4 + i));
    store<f64>(at(consts, n4 + i), a);
    store<f64>(at(consts, 2 * n4 + i), load<f64>(at(notionals, i)) * a);
  }
}

/** Σᵢ Nᵢ in asset order from 0. */
function notionalSum(notionals: usize, n: i32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += load<f64>(at(notionals, i));
  return sum;
}

/** P&L = acc − ΣN over `stride` columns of `pnl` (which holds Σᵢ (Nᵢ·Aᵢ)·G̃ᵢ), then the running minimum (worst = 0: none). */
function closeDay(pnl: usize, stride: i32, sumN: f64, worst: usize): void {
  const s = f64x2.splat(sumN);
  for (let j = 0; j < stride; j += 2) {
    const o = <usize>j << 3;
    const v = f64x2.sub(v128.load(pnl + o), s);
    v128.store(pnl + o, v);
    // pmin(w, p) = p < w ? p : w: one instruction (min's NaN rules cost seven); values are finite.
    if (worst != 0) v128.store(worst + o, f64x2.pmin(v128.load(worst + o), v));
  }
}

/** E = A·G̃ − 1 for n rows of `stride` (g → e), with today's A in `consts`. */
function growthToE(consts: usize, n: i32, n4: i32, stride: i32, g: usize, e: usize): void {
  const one = f64x2.splat(1.0);
  for (let i = 0; i < n; i++) {
    const a = v128.load64_splat(at(consts, n4 + i));
    const gr = row(g, i, stride), er = row(e, i, stride);
    for (let j = 0; j < stride; j += 2) {
      const o = <usize>j << 3;
      v128.store(er + o, f64x2.sub(f64x2.mul(a, v128.load(gr + o)), one));
    }
  }
}

/**
 * The tier of a row of `count` shocks (count even) from its largest |y|. pmax is one instruction
 * (max's NaN rules cost seven) and safe: the kernel refuses non-finite inputs, so y is finite.
 * Four running maxima, so the loop is not one chain of dependent maxima.
 */
function rowTier(yr: usize, count: i32): i32 {
  let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= count; j += 8) {
    const q = yr + (<usize>j << 3);
    b0 = f64x2.pmax(b0, f64x2.abs(v128.load(q)));
    b1 = f64x2.pmax(b1, f64x2.abs(v128.load(q, 16)));
    b2 = f64x2.pmax(b2, f64x2.abs(v128.load(q, 32)));
    b3 = f64x2.pmax(b3, f64x2.abs(v128.load(q, 48)));
  }
  for (; j < count; j += 2) b0 = f64x2.pmax(b0, f64x2.abs(v128.load(yr + (<usize>j << 3))));
  const big = f64x2.pmax(f64x2.pmax(b0, b1), f64x2.pmax(b2, b3));
  const m = Math.max(f64x2.extract_lane(big, 0), f64x2.extract_lane(big, 1));
  return m < SHORT_BOUND ? TIER_SHORT : m < LONG_BOUND ? TIER_LONG : TIER_EXACT;
}

/**
 * One asset's row for one day, base columns j < count (even): G̃± ← G̃±·(C ± D) read from `gin`
 * and written to `gout` (the same row, or the next day's in the scenario cache; mirror at
 * + `mirror` bytes), and acc± += (N·A)·G̃± into `acc`. `terms` (4 or 5) and `exact` are constants
 * at each call.
 */
@inline function pairsRow(
  yr: usize, gin: usize, gout: usize, acc: usize, mirror: usize, scale: v128, count: i32, terms: i32, exact: bool,
): void {
  // Two column pairs an iteration: V8 checks for interrupts on every loop back-edge.
  let j = 0;
  for (; j + 2 < count; j += 4) {
    pairStep(<usize>j << 3, yr, gin, gout, acc, mirror, scale, terms, exact);
    pairStep(<usize>(j + 2) << 3, yr, gin, gout, acc, mirror, scale, terms, exact);
  }
  if (j < count) pairStep(<usize>j << 3, yr, gin, gout, acc, mirror, scale, terms, exact);
}

/** Columns o/8 and o/8 + 1 of `pairsRow`. */
@inline function pairStep(
  o: usize, yr: usize, gin: usize, gout: usize, acc: usize, mirror: usize, scale: v128, terms: i32, exact: bool,
): void {
  const yv = v128.load(yr + o);
  const t = f64x2.mul(yv, yv);
  const t2 = f64x2.mul(t, t);
  const t4 = terms > 4 ? f64x2.mul(t2, t2) : t2;
  const c = f64x2.add(p(ONE), f64x2.mul(t, series(t, t2, t4, 0, terms)));
  const d = f64x2.add(yv, f64x2.mul(f64x2.mul(yv, t), series(t, t2, t4, 5, terms)));
  let xp = f64x2.add(c, d);
  let xm = f64x2.sub(c, d);
  if (exact) {
    const small = f64x2.lt(f64x2.abs(yv), p(LONG));
    if (!i64x2.all_true(small)) {
      xp = v128.bitselect(xp, f64x2.add(p(ONE), expm1x2(yv)), small);
      xm = v128.bitselect(xm, f64x2.add(p(ONE), expm1x2(f64x2.neg(yv))), small);
    }
  }
  const gp = f64x2.mul(v128.load(gin + o), xp);
  const gm = f64x2.mul(v128.load(gin + mirror + o), xm);
  v128.store(gout + o, gp);
  v128.store(gout + mirror + o, gm);
  v128.store(acc + o, f64x2.add(v128.load(acc + o), f64x2.mul(scale, gp)));
  v128.store(acc + mirror + o, f64x2.add(v128.load(acc + mirror + o), f64x2.mul(scale, gm)));
}

// The three tiers as separate functions, so each loop is compiled on its own.
function pairsRowShort(yr: usize, gin: usize, gout: usize, acc: usize, mirror: usize, scale: v128, count: i32): void {
  pairsRow(yr, gin, gout, acc, mirror, scale, count, 4, false);
}
function pairsRowLong(yr: usize, gin: usize, gout: usize, acc: usize, mirror: usize, scale: v128, count: i32): void {
  pairsRow(yr, gin, gout, acc, mirror, scale, count, 5, false);
}
function pairsRowExact(yr: usize, gin: usize, gout: usize, acc: usize, mirror: usize, scale: v128, count: i32): void {
  pairsRow(yr, gin, gout, acc, mirror, scale, count, 5, true);
}

/**
 * One day of the paths method after y = L·z (y: n rows of `halfStride`; gin, gout, pnl, worst:
 * rows of `stride`, base j at column j and its mirror at half + j). Asset by asset, in its row's
 * tier, G̃± and the P&L sum (see `pairsRow`); then P&L = sum − ΣN and the running minimum.
 */
function pairsDay(
  consts: usize, n: i32, n4: i32, half: i32, halfStride: i32, stride: i32, sumN: f64,
  y: usize, gin: usize, gout: usize, pnl: usize, worst: usize,
): void {
  const mirror = <usize>half << 3;
  zero(pnl, stride);
  for (let i = 0; i < n; i++) {
    const scale = v128.load64_splat(at(consts, 2 * n4 + i));
    const yr = row(y, i, halfStride);
    const rin = row(gin, i, stride), rout = row(gout, i, stride);
    const tier = rowTier(yr, half);
    if (tier == TIER_SHORT) pairsRowShort(yr, rin, rout, pnl, mirror, scale, half);
    else if (tier == TIER_LONG) pairsRowLong(yr, rin, rout, pnl, mirror, scale, half);
    else pairsRowExact(yr, rin, rout, pnl, mirror, scale, half);
  }
  closeDay(pnl, stride, sumN, worst);
}

/**
 * The terminal method after y = L·z: E = expm1(H·μ + √H·y) into `e`, P&L = Σ N·E in asset order,
 * two assets per sweep as in `pathsDay`.
 */
function terminalSweep(drift: usize, notionals: usize, n: i32, stride: i32, horizon: f64, y: usize, e: usize, pnl: usize): void {
  zero(pnl, stride);
  const rootH = f64x2.splat(Math.sqrt(horizon));
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const h0 = f64x2.splat(horizon * load<f64>(at(drift, i)));
    const h1 = f64x2.splat(horizon * load<f64>(at(drift, i + 1)));
    const n0 = v128.load64_splat(at(notionals, i));
    const n1 = v128.load64_splat(at(notionals, i + 1));
    const y0 = row(y, i, stride), y1 = row(y, i + 1, stride);
    const e0 = row(e, i, stride), e1 = row(e, i + 1, stride);
    for (let j = 0; j < stride; j += 2) {
      const o = <usize>j << 3;
      const d0 = terminalStep(e0 + o, h0, rootH, n0, v128.load(y0 + o));
      const d1 = terminalStep(e1 + o, h1, rootH, n1, v128.load(y1 + o));
      v128.store(pnl + o, f64x2.add(f64x2.add(v128.load(pnl + o), d0), d1));
    }
  }
  if (i < n) {
    const hmu = f64x2.splat(horizon * load<f64>(at(drift, i)));
    const notional = v128.load64_splat(at(notionals, i));
    const yr = row(y, i, stride), er = row(e, i, stride);
    for (let j = 0; j < stride; j += 2) {
      const o = <usize>j << 3;
      v128.store(pnl + o, f64x2.add(v128.load(pnl + o), terminalStep(er + o, hmu, rootH, notional, v128.load(yr + o))));
    }
  }
}

/** Base paths of a paths-method block of `paths` paths: ⌈paths/4⌉·2, even, and 2·half ≥ paths. */
@inline function halfOf(paths: i32): i32 {
  return ((paths + 3) >> 2) << 1;
}

/**
 * One block of the paths method: `days` days for `paths` paths from stream (seed, stream), in
 * antithetic pairs (see `pairsRow`): half = ⌈paths/4⌉·2 base paths draw, and column half + j is
 * the mirror of base j; columns past `paths` (at most three mirrors) are computed and ignored.
 *
 * lower: L, n4×n4 row-major, zero above the diagonal and in the padding; drift, notionals: n4
 * (zero-padded). packed: scratch n4·n4; z, y: scratch n4·halfStride each; consts: scratch 3·n4.
 * halfStride: a multiple of 4, ≥ half; stride: a multiple of 4, ≥ 2·half. g: the driftless growth
 * G̃ per asset and path, n·stride (scratch). cache: 0, or days·n·stride for G̃ of every day (day d
 * at cache + d·n·stride) — the scenarios `mcPriceDays` re-prices. e: E = expm1(S) at the last day,
 * n·stride. pnl: the last day's P&L per path; worst: the minimum P&L over days 1…days (stride each).
 */
export function mcPathsBlock(
  lower: usize, drift: usize, notionals: usize, n: i32, n4: i32, days: i32, paths: i32, stride: i32, halfStride: i32,
  seed: u64, stream: u64, packed: usize, z: usize, y: usize, consts: usize, g: usize, cache: usize, e: usize, pnl: usize, worst: usize,
): i32 {
  const half = halfOf(paths);
  let status = checkSizes(n, n4, half, halfStride);
  if (status != STATUS_OK) return status;
  if (stride < 2 * half || (stride & 3) != 0) return fail(STATUS_BAD_SIZE, stride);
  if (days <= 0) return fail(STATUS_BAD_SIZE, days);
  status = checkFinite(lower, drift, notionals, n4);
  if (status != STATUS_OK) return status;
  packLower(lower, n4, packed);
  zeroPadding(z, n, n4, half, halfStride);
  const one = f64x2.splat(1.0);
  for (let j = 0; j < n * stride; j += 2) v128.store(at(g, j), one);
  const inf = f64x2.splat(Infinity);
  for (let j = 0; j < stride; j += 2) v128.store(at(worst, j), inf);
  startDays(drift, n, n4, consts);
  const sumN = notionalSum(notionals, n);
  const dayValues = n * stride;
  mcSeedStream(seed, stream);
  let gin = g;
  for (let d = 0; d < days; d++) {
    drawRows(z, n, half, halfStride);
    lowerTimes(packed, n, n4, halfStride, halfStride, z, y);
    nextDay(notionals, n, n4, consts);
    const gout = cache != 0 ? at(cache, d * dayValues) : g;
    pairsDay(consts, n, n4, half, halfStride, stride, sumN, y, gin, gout, pnl, worst);
    gin = gout;
  }
  growthToE(consts, n, n4, stride, gin, e);
  return STATUS_OK;
}

/**
 * One block of the terminal method: S = H·μ + √H·L·z from stream (seed, stream), in antithetic
 * pairs like the paths method: half = ⌈paths/4⌉·2 columns draw z, and column half + j takes the
 * shock −(L·z) of column j (negation is exact, so the pair's shocks are exact opposites). shock:
 * y = L·z, n4·stride (its first n rows, mirrors included, are what re-pricing at another horizon
 * needs); e: E at the horizon, n·stride; pnl: P&L per path. Other arguments as for `mcPathsBlock`
 * (z: n4·stride here; stride ≥ 2·half).
 */
export function mcTerminalBlock(
  lower: usize, drift: usize, notionals: usize, n: i32, n4: i32, horizon: f64, paths: i32, stride: i32,
  seed: u64, stream: u64, packed: usize, z: usize, shock: usize, e: usize, pnl: usize,
): i32 {
  const half = halfOf(paths);
  let status = checkSizes(n, n4, half, stride);
  if (status != STATUS_OK) return status;
  if (stride < 2 * half) return fail(STATUS_BAD_SIZE, stride);
  if (!(horizon > 0) || !isFinite(horizon)) return fail(STATUS_BAD_SIZE, <i32>horizon);
  status = checkFinite(lower, drift, notionals, n4);
  if (status != STATUS_OK) return status;
  packLower(lower, n4, packed);
  zeroPadding(z, n, n4, half, stride);
  mcSeedStream(seed, stream);
  drawRows(z, n, half, stride);
  const cols = (half + 3) & ~3;
  lowerTimes(packed, n, n4, stride, cols, z, shock);
  const mirror = <usize>half << 3;
  for (let i = 0; i < n; i++) {
    const r = row(shock, i, stride);
    for (let j = 0; j < half; j += 2) {
      const o = <usize>j << 3;
      v128.store(r + mirror + o, f64x2.neg(v128.load(r + o)));
    }
    zero(at(r, 2 * half), stride - 2 * half);
  }
  terminalSweep(drift, notionals, n, stride, horizon, shock, e, pnl);
  return STATUS_OK;
}

/**
 * Re-price cached paths: g holds G̃ (as `mcPathsBlock` caches it) for days first + 1 … first + days,
 * n rows of `stride` per day; the P&L of each of those days is Σᵢ (Nᵢ·Aᵢ)·G̃ᵢ − ΣN with Aᵢ = aᵢ^d
 * formed as the block kernel forms it. pnl: the last day's P&L; worst (0 = skip): the minimum
 * over the days; e: E = A·G̃ − 1 of the last day (n·stride); consts: scratch 3·n. The same
 * operations in the same order as the block kernel, so the same bits. stride a multiple of 4.
 */
export function mcPriceDays(
  g: usize, drift: usize, notionals: usize, n: i32, stride: i32, first: i32, days: i32, pnl: usize, worst: usize, e: usize, consts: usize,
): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  if (stride <= 0 || (stride & 3) != 0) return fail(STATUS_BAD_SIZE, stride);
  if (first < 0) return fail(STATUS_BAD_SIZE, first);
  if (days <= 0) return fail(STATUS_BAD_SIZE, days);
  for (let i = 0; i < n; i++) {
    if (!isFinite(load<f64>(at(drift, i)))) return fail(STATUS_NON_FINITE_INPUT, i);
    if (!isFinite(load<f64>(at(notionals, i)))) return fail(STATUS_NON_FINITE_INPUT, n + i);
  }
  const inf = f64x2.splat(Infinity);
  if (worst != 0) for (let j = 0; j < stride; j += 2) v128.store(at(worst, j), inf);
  startDays(drift, n, n, consts);
  for (let d = 0; d < first; d++) nextDay(notionals, n, n, consts);
  const sumN = notionalSum(notionals, n);
  const dayValues = n * stride;
  for (let d = 0; d < days; d++) {
    nextDay(notionals, n, n, consts);
    const gDay = at(g, d * dayValues);
    zero(pnl, stride);
    for (let i = 0; i < n; i++) {
      const scale = v128.load64_splat(at(consts, 2 * n + i));
      const gr = row(gDay, i, stride);
      for (let j = 0; j < stride; j += 2) {
        const o = <usize>j << 3;
        v128.store(pnl + o, f64x2.add(v128.load(pnl + o), f64x2.mul(scale, v128.load(gr + o))));
      }
    }
    closeDay(pnl, stride, sumN, worst);
  }
  growthToE(consts, n, n, stride, at(g, (days - 1) * dayValues), e);
  return STATUS_OK;
}

/**
 * Re-price cached terminal shocks at horizon `horizon`: E = expm1(H·μ + √H·y) into `e` and the P&L
 * per path into `pnl` (shock, e: n × stride; stride a multiple of 4). Bit-identical to `mcTerminalBlock`.
 */
export function mcPriceTerminal(
  shock: usize, drift: usize, notionals: usize, n: i32, stride: i32, horizon: f64, e: usize, pnl: usize,
): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  if (stride <= 0 || (stride & 3) != 0) return fail(STATUS_BAD_SIZE, stride);
  if (!(horizon > 0) || !isFinite(horizon)) return fail(STATUS_BAD_SIZE, <i32>horizon);
  for (let i = 0; i < n; i++) {
    if (!isFinite(load<f64>(at(drift, i)))) return fail(STATUS_NON_FINITE_INPUT, i);
    if (!isFinite(load<f64>(at(notionals, i)))) return fail(STATUS_NON_FINITE_INPUT, n + i);
  }
  terminalSweep(drift, notionals, n, stride, horizon, shock, e, pnl);
  return STATUS_OK;
}
