// Monte Carlo VaR kernels: one block of paths from its own random stream (seed, block), and the
// re-pricing of cached scenarios under common random numbers.
//
// Model (docs/kernels.md, "Monte Carlo VaR"): daily log returns r = μ + L·z, z standard normal;
// a path's cumulative log return of asset i after d days is S_d,i = Σ_{t≤d} r_t,i and its P&L is
// Σᵢ Nᵢ·expm1(S_d,i). The `terminal` kernel draws S_H = H·μ + √H·L·z directly (exact in
// distribution at the horizon, H times fewer draws); the `paths` kernel walks every day, for the
// path-dependent outputs (worst P&L inside the horizon).
//
// Layout. Arrays over paths are asset-major with a row stride `stride` (a multiple of 4 at least
// the block's path count; the engine adds a cache line so rows do not share L1 sets): element
// (i, j) of z, y, S, E lives at (i·stride + j); lanes past the path count are padding. The draws
// of one block come from its stream in the order day, asset, path — so day d's draws start at the
// same place whatever the horizon, and a shorter horizon simulates exactly the first days of a
// longer one. SIMD runs across paths (two per v128), so every lane does the scalar sequence of a
// plain loop in the same order: L·z sums k = 0…i, the P&L sums i = 0…n−1, no reassociation. That
// makes a path's numbers independent of its neighbours and lets the re-pricing kernels reproduce
// the block kernels bit for bit from the cached values.
//
// Two passes a day: y = L·z, register-blocked 4 assets × 4 paths (eight accumulators) over a
// packed copy of L in which L[ib…ib+3][k] are adjacent; then a streaming pass over the rows
// (S, expm1, P&L), two assets at a time. Fusing them left the eight accumulators to spill around
// the expm1s and measured slower. Assets are padded to a multiple of 4 with zero rows and columns
// of L (never drawn for, never added to the P&L).
import { seedStream } from '../random/xoshiro';
import { fillNormalsNext } from '../random/ziggurat';
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
  for (let i = 0; i < n; i++) fillNormalsNext(row(z, i, stride), paths);
}

// ---- the per-lane formulas, shared by the block kernels and the re-pricing kernels ----

/** Paths method, one day: S ← S + (μ + y); E = expm1(S); returns N·E (this asset's P&L). */
@inline function pathStep(s: usize, e: usize, mu: v128, notional: v128, y: v128): v128 {
  const sv = f64x2.add(v128.load(s), f64x2.add(mu, y));
  v128.store(s, sv);
  const ev = expm1x2(sv);
  v128.store(e, ev);
  return f64x2.mul(notional, ev);
}

/** Terminal method: S = H·μ + √H·y from the shock y = (L·z)ᵢ; E = expm1(S); returns N·E. */
@inline function terminalStep(e: usize, hmu: v128, rootH: v128, notional: v128, y: v128): v128 {
  const ev = expm1x2(f64x2.add(hmu, f64x2.mul(rootH, y)));
  v128.store(e, ev);
  return f64x2.mul(notional, ev);
}

/**
 * y = L·z for every path of a block (z, y: n4 rows of `stride`), in 4 × 4 register blocks: four
 * rows of L against four paths, eight accumulators. Terms k > i of row i multiply the zero upper
 * triangle, and adding +0·z leaves each sum as the plain loop over k ≤ i has it.
 */
function lowerTimes(packed: usize, n4: i32, stride: i32, z: usize, y: usize): void {
  const zStep = <usize>stride << 3;
  for (let j = 0; j < stride; j += 4) {
    const jo = <usize>j << 3;
    for (let ib = 0; ib < n4; ib += 4) {
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
      let lp = at(packed, ib * n4);
      let zp = z + jo;
      const kEnd = ib + 4;
      for (let k = 0; k < kEnd; k++) {
        const z0 = v128.load(zp);
        const z1 = v128.load(zp, 16);
        const l0 = v128.load64_splat(lp);
        a00 = f64x2.add(a00, f64x2.mul(l0, z0));
        a01 = f64x2.add(a01, f64x2.mul(l0, z1));
        const l1 = v128.load64_splat(lp, 8);
        a10 = f64x2.add(a10, f64x2.mul(l1, z0));
        a11 = f64x2.add(a11, f64x2.mul(l1, z1));
        const l2 = v128.load64_splat(lp, 16);
        a20 = f64x2.add(a20, f64x2.mul(l2, z0));
        a21 = f64x2.add(a21, f64x2.mul(l2, z1));
        const l3 = v128.load64_splat(lp, 24);
        a30 = f64x2.add(a30, f64x2.mul(l3, z0));
        a31 = f64x2.add(a31, f64x2.mul(l3, z1));
        lp += 32;
        zp += zStep;
      }
      const yp = row(y, ib, stride) + jo;
      v128.store(yp, a00);
      v128.store(yp, a01, 16);
      v128.store(yp + zStep, a10);
      v128.store(yp + zStep, a11, 16);
      v128.store(yp + 2 * zStep, a20);
      v128.store(yp + 2 * zStep, a21, 16);
      v128.store(yp + 3 * zStep, a30);
      v128.store(yp + 3 * zStep, a31, 16);
    }
  }
}

/**
 * The paths method's day after y = L·z: asset by asset, S ← S + (μ + y), E = expm1(S) into `e`,
 * P&L += N·E (each path's P&L sums the assets in order, from 0); then the running minimum. Two
 * assets per sweep: half the P&L loads and stores, two independent expm1 chains in flight.
 */
function pathsDay(drift: usize, notionals: usize, n: i32, stride: i32, y: usize, s: usize, e: usize, pnl: usize, worst: usize): void {
  zero(pnl, stride);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const mu0 = v128.load64_splat(at(drift, i));
    const mu1 = v128.load64_splat(at(drift, i + 1));
    const n0 = v128.load64_splat(at(notionals, i));
    const n1 = v128.load64_splat(at(notionals, i + 1));
    const y0 = row(y, i, stride), y1 = row(y, i + 1, stride);
    const s0 = row(s, i, stride), s1 = row(s, i + 1, stride);
    const e0 = row(e, i, stride), e1 = row(e, i + 1, stride);
    for (let j = 0; j < stride; j += 2) {
      const o = <usize>j << 3;
      const d0 = pathStep(s0 + o, e0 + o, mu0, n0, v128.load(y0 + o));
      const d1 = pathStep(s1 + o, e1 + o, mu1, n1, v128.load(y1 + o));
      v128.store(pnl + o, f64x2.add(f64x2.add(v128.load(pnl + o), d0), d1));
    }
  }
  if (i < n) {
    const mu = v128.load64_splat(at(drift, i));
    const notional = v128.load64_splat(at(notionals, i));
    const yr = row(y, i, stride), sr = row(s, i, stride), er = row(e, i, stride);
    for (let j = 0; j < stride; j += 2) {
      const o = <usize>j << 3;
      v128.store(pnl + o, f64x2.add(v128.load(pnl + o), pathStep(sr + o, er + o, mu, notional, v128.load(yr + o))));
    }
  }
  // pmin(w, p) = p < w ? p : w: one instruction (min's NaN rules cost seven); values are finite.
  for (let j = 0; j < stride; j += 2) {
    const o = <usize>j << 3;
    v128.store(worst + o, f64x2.pmin(v128.load(worst + o), v128.load(pnl + o)));
  }
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

/**
 * One block of the paths method: `days` days for `paths` paths from stream (seed, stream).
 *
 * lower: L, n4×n4 row-major, zero above the diagonal and in the padding; drift, notionals: n4
 * (zero-padded). packed: scratch n4·n4; z, y, s: scratch n4·stride each. e: E = expm1(S) of every
 * day, n·stride per day — when `eDayStride` is 0 every day overwrites the same n·stride (E holds
 * the last day at the end); when it is n·stride, day d goes to e + d·n·stride (the scenario
 * cache). pnl: the last day's P&L per path; worst: the minimum P&L over days 1…days (stride each;
 * entries past `paths` are padding).
 */
export function mcPathsBlock(
  lower: usize, drift: usize, notionals: usize, n: i32, n4: i32, days: i32, paths: i32, stride: i32,
  seed: u64, stream: u64, packed: usize, z: usize, y: usize, s: usize, e: usize, eDayStride: i32, pnl: usize, worst: usize,
): i32 {
  let status = checkSizes(n, n4, paths, stride);
  if (status != STATUS_OK) return status;
  if (days <= 0) return fail(STATUS_BAD_SIZE, days);
  status = checkFinite(lower, drift, notionals, n4);
  if (status != STATUS_OK) return status;
  packLower(lower, n4, packed);
  zeroPadding(z, n, n4, paths, stride);
  zero(s, n * stride);
  const inf = f64x2.splat(Infinity);
  for (let j = 0; j < stride; j += 2) v128.store(at(worst, j), inf);
  seedStream(seed, stream);
  for (let d = 0; d < days; d++) {
    drawRows(z, n, paths, stride);
    lowerTimes(packed, n4, stride, z, y);
    pathsDay(drift, notionals, n, stride, y, s, at(e, d * eDayStride), pnl, worst);
  }
  return STATUS_OK;
}

/**
 * One block of the terminal method: S = H·μ + √H·L·z, one draw per (asset, path) from stream
 * (seed, stream). shock: y = L·z, n4·stride (its first n rows are what re-pricing at another
 * horizon needs); e: E at the horizon, n·stride; pnl: P&L per path. Other arguments as for
 * `mcPathsBlock`.
 */
export function mcTerminalBlock(
  lower: usize, drift: usize, notionals: usize, n: i32, n4: i32, horizon: f64, paths: i32, stride: i32,
  seed: u64, stream: u64, packed: usize, z: usize, shock: usize, e: usize, pnl: usize,
): i32 {
  let status = checkSizes(n, n4, paths, stride);
  if (status != STATUS_OK) return status;
  if (!(horizon > 0) || !isFinite(horizon)) return fail(STATUS_BAD_SIZE, <i32>horizon);
  status = checkFinite(lower, drift, notionals, n4);
  if (status != STATUS_OK) return status;
  packLower(lower, n4, packed);
  zeroPadding(z, n, n4, paths, stride);
  seedStream(seed, stream);
  drawRows(z, n, paths, stride);
  lowerTimes(packed, n4, stride, z, shock);
  terminalSweep(drift, notionals, n, stride, horizon, shock, e, pnl);
  return STATUS_OK;
}

/**
 * Re-price cached paths: for d < days, P&L_d = Σᵢ Nᵢ·E[d][i] per path (E: days × n × stride, as
 * `mcPathsBlock` writes it). pnl: the last day's P&L; worst (0 = skip): the minimum over the days.
 * stride a multiple of 4. The same operations in the same order as the block kernel, so the same bits.
 */
export function mcPriceDays(e: usize, notionals: usize, n: i32, stride: i32, days: i32, pnl: usize, worst: usize): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  if (stride <= 0 || (stride & 3) != 0) return fail(STATUS_BAD_SIZE, stride);
  if (days <= 0) return fail(STATUS_BAD_SIZE, days);
  for (let i = 0; i < n; i++) if (!isFinite(load<f64>(at(notionals, i)))) return fail(STATUS_NON_FINITE_INPUT, i);
  const inf = f64x2.splat(Infinity);
  if (worst != 0) for (let j = 0; j < stride; j += 2) v128.store(at(worst, j), inf);
  const dayBytes = (<usize>n * <usize>stride) << 3;
  for (let d = 0; d < days; d++) {
    const eDay = e + <usize>d * dayBytes;
    zero(pnl, stride);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const n0 = v128.load64_splat(at(notionals, i));
      const n1 = v128.load64_splat(at(notionals, i + 1));
      const e0 = row(eDay, i, stride), e1 = row(eDay, i + 1, stride);
      for (let j = 0; j < stride; j += 2) {
        const o = <usize>j << 3;
        const p = f64x2.add(v128.load(pnl + o), f64x2.mul(n0, v128.load(e0 + o)));
        v128.store(pnl + o, f64x2.add(p, f64x2.mul(n1, v128.load(e1 + o))));
      }
    }
    if (i < n) {
      const notional = v128.load64_splat(at(notionals, i));
      const er = row(eDay, i, stride);
      for (let j = 0; j < stride; j += 2) {
        const o = <usize>j << 3;
        v128.store(pnl + o, f64x2.add(v128.load(pnl + o), f64x2.mul(notional, v128.load(er + o))));
      }
    }
    if (worst != 0) {
      for (let j = 0; j < stride; j += 2) {
        const o = <usize>j << 3;
        v128.store(worst + o, f64x2.pmin(v128.load(worst + o), v128.load(pnl + o)));
      }
    }
  }
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
