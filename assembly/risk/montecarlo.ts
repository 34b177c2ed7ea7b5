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
// (i, j) of z, S, E or the shock lives at (i·stride + j). Lanes past the path count are padding. The draws of
// one block come from its stream in the order day, asset, path — so day d's draws start at the same
// place whatever the horizon, and a shorter horizon simulates exactly the first days of a longer
// one. SIMD runs across paths (two per v128), so every lane does the scalar sequence of a plain
// loop in the same order: L·z sums k = 0…i, the P&L sums i = 0…n−1, no reassociation. That makes a
// path's numbers independent of its neighbours and lets the re-pricing kernels reproduce the
// block kernels bit for bit from the cached values.
//
// L·z is register-blocked 4 assets × 4 paths (eight accumulators), reading L from a packed copy
// in which the four values L[ib…ib+3][k] are adjacent. Assets are padded to a multiple of 4 with
// zero rows and columns of L (never drawn for, never added to the P&L).
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

/** Draw one normal per (asset, path) of a block, row by row (asset-major), from the current stream. */
function drawRows(z: usize, n: i32, paths: i32, stride: i32): void {
  for (let i = 0; i < n; i++) fillNormalsNext(row(z, i, stride), paths);
}

// ---- the per-lane formulas, shared by the block kernels and the re-pricing kernels ----

/** Paths method, one day: S ← S + (μ + y); E = expm1(S); returns N·E (this asset's P&L). */
@inline function pathStep(s: usize, e: usize, mu: f64, notional: f64, y: v128): v128 {
  const sv = f64x2.add(v128.load(s), f64x2.add(f64x2.splat(mu), y));
  v128.store(s, sv);
  const ev = expm1x2(sv);
  v128.store(e, ev);
  return f64x2.mul(f64x2.splat(notional), ev);
}

/** Terminal method: S = H·μ + √H·y from the shock y = (L·z)ᵢ; E = expm1(S); returns N·E. */
@inline function terminalStep(e: usize, hmu: f64, rootH: f64, notional: f64, y: v128): v128 {
  const ev = expm1x2(f64x2.add(f64x2.splat(hmu), f64x2.mul(f64x2.splat(rootH), y)));
  v128.store(e, ev);
  return f64x2.mul(f64x2.splat(notional), ev);
}

/** Asset i's step for two paths at byte offset `jo` of the rows, by method; returns its N·E. */
@inline function assetStep(
  terminal: bool, i: i32, drift: usize, notionals: usize, stride: i32, jo: usize,
  s: usize, e: usize, shock: usize, hmuScale: f64, rootH: f64, y: v128,
): v128 {
  const mu = load<f64>(at(drift, i));
  const notional = load<f64>(at(notionals, i));
  const eo = row(e, i, stride) + jo;
  if (terminal) {
    v128.store(row(shock, i, stride) + jo, y);
    return terminalStep(eo, hmuScale * mu, rootH, notional, y);
  }
  return pathStep(row(s, i, stride) + jo, eo, mu, notional, y);
}

/**
 * One pass over a block's paths, four at a time: y = L·z for every asset (4×4 register blocks),
 * then per real asset the method's step, and the P&L summed over assets in order.
 * Paths method (`terminal` false): S and E at `s`, `e` (rows of stride `stride`), P&L into `pnl`
 * and its running minimum into `worst`. Terminal method: the shock y into `shock`, E into `e`.
 */
@inline function sweep(
  terminal: bool, packed: usize, drift: usize, notionals: usize, n: i32, n4: i32, stride: i32,
  z: usize, s: usize, e: usize, shock: usize, pnl: usize, worst: usize, hmuScale: f64, rootH: f64,
): void {
  for (let j = 0; j < stride; j += 4) {
    const jo = <usize>j << 3;
    let p0 = f64x2.splat(0);
    let p1 = f64x2.splat(0);
    for (let ib = 0; ib < n4; ib += 4) {
      let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
      let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
      let lp = at(packed, ib * n4);
      let zp = z + jo;
      const zStep = <usize>stride << 3;
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
      // Terms k > i of row i multiplied the zero upper triangle: adding +0·z leaves every sum as
      // the plain loop over k ≤ i has it. Rows past n are padding: no step, nothing added.
      if (ib < n) {
        p0 = f64x2.add(p0, assetStep(terminal, ib, drift, notionals, stride, jo, s, e, shock, hmuScale, rootH, a00));
        p1 = f64x2.add(p1, assetStep(terminal, ib, drift, notionals, stride, jo + 16, s, e, shock, hmuScale, rootH, a01));
      }
      if (ib + 1 < n) {
        p0 = f64x2.add(p0, assetStep(terminal, ib + 1, drift, notionals, stride, jo, s, e, shock, hmuScale, rootH, a10));
        p1 = f64x2.add(p1, assetStep(terminal, ib + 1, drift, notionals, stride, jo + 16, s, e, shock, hmuScale, rootH, a11));
      }
      if (ib + 2 < n) {
        p0 = f64x2.add(p0, assetStep(terminal, ib + 2, drift, notionals, stride, jo, s, e, shock, hmuScale, rootH, a20));
        p1 = f64x2.add(p1, assetStep(terminal, ib + 2, drift, notionals, stride, jo + 16, s, e, shock, hmuScale, rootH, a21));
      }
      if (ib + 3 < n) {
        p0 = f64x2.add(p0, assetStep(terminal, ib + 3, drift, notionals, stride, jo, s, e, shock, hmuScale, rootH, a30));
        p1 = f64x2.add(p1, assetStep(terminal, ib + 3, drift, notionals, stride, jo + 16, s, e, shock, hmuScale, rootH, a31));
      }
    }
    v128.store(pnl + jo, p0);
    v128.store(pnl + jo, p1, 16);
    if (!terminal) {
      // pmin(w, p) = p < w ? p : w: one instruction (min's NaN rules cost seven); values are finite.
      v128.store(worst + jo, f64x2.pmin(v128.load(worst + jo), p0));
      v128.store(worst + jo, f64x2.pmin(v128.load(worst + jo, 16), p1), 16);
    }
  }
}

/**
 * One block of the paths method: `days` days for `paths` paths from stream (seed, stream).
 *
 * lower: L, n4×n4 row-major, zero above the diagonal and in the padding; drift, notionals: n4
 * (zero-padded). packed: scratch n4·n4; z, s: scratch n4·stride each. e: E = expm1(S) of every day,
 * n·stride per day — when `eDayStride` is 0 every day overwrites the same n·stride (E holds the
 * last day at the end); when it is n·stride, day d goes to e + d·n·stride (the scenario cache).
 * pnl: the last day's P&L per path; worst: the minimum P&L over days 1…days (stride each; entries
 * past `paths` are padding).
 */
export function mcPathsBlock(
  lower: usize, drift: usize, notionals: usize, n: i32, n4: i32, days: i32, paths: i32, stride: i32,
  seed: u64, stream: u64, packed: usize, z: usize, s: usize, e: usize, eDayStride: i32, pnl: usize, worst: usize,
): i32 {
  let status = checkSizes(n, n4, paths, stride);
  if (status != STATUS_OK) return status;
  if (days <= 0) return fail(STATUS_BAD_SIZE, days);
  status = checkFinite(lower, drift, notionals, n4);
  if (status != STATUS_OK) return status;
  packLower(lower, n4, packed);
  zero(z, n4 * stride);
  zero(s, n4 * stride);
  const inf = f64x2.splat(Infinity);
  for (let j = 0; j < stride; j += 2) v128.store(at(worst, j), inf);
  seedStream(seed, stream);
  for (let d = 0; d < days; d++) {
    drawRows(z, n, paths, stride);
    const eDay = at(e, d * eDayStride);
    sweep(false, packed, drift, notionals, n, n4, stride, z, s, eDay, 0, pnl, worst, 0, 0);
  }
  return STATUS_OK;
}

/**
 * One block of the terminal method: S = H·μ + √H·L·z, one draw per (asset, path) from stream
 * (seed, stream). shock: y = L·z, n·stride (what re-pricing at another horizon needs); e: E at the
 * horizon, n·stride; pnl: P&L per path. Other arguments as for `mcPathsBlock`.
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
  zero(z, n4 * stride);
  seedStream(seed, stream);
  drawRows(z, n, paths, stride);
  sweep(true, packed, drift, notionals, n, n4, stride, z, 0, e, shock, pnl, 0, horizon, Math.sqrt(horizon));
  return STATUS_OK;
}

/**
 * Re-price cached paths: for d < days, P&L_d = Σᵢ Nᵢ·E[d][i] per path (E: days × n × stride, as
 * `mcPathsBlock` writes it). pnl: the last day's P&L; worst (0 = skip): the minimum over the days.
 * stride even. Bit-identical to the block kernel's figures from the same E.
 */
export function mcPriceDays(e: usize, notionals: usize, n: i32, stride: i32, days: i32, pnl: usize, worst: usize): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  if (stride <= 0 || (stride & 1) != 0) return fail(STATUS_BAD_SIZE, stride);
  if (days <= 0) return fail(STATUS_BAD_SIZE, days);
  for (let i = 0; i < n; i++) if (!isFinite(load<f64>(at(notionals, i)))) return fail(STATUS_NON_FINITE_INPUT, i);
  const inf = f64x2.splat(Infinity);
  const dayBytes = (<usize>n * <usize>stride) << 3;
  for (let j = 0; j < stride; j += 2) {
    const jo = <usize>j << 3;
    let w = inf;
    let p = f64x2.splat(0);
    for (let d = 0; d < days; d++) {
      const eDay = e + <usize>d * dayBytes + jo;
      p = f64x2.splat(0);
      for (let i = 0; i < n; i++) {
        p = f64x2.add(p, f64x2.mul(v128.load64_splat(at(notionals, i)), v128.load(row(eDay, i, stride))));
      }
      w = f64x2.pmin(w, p);
    }
    v128.store(pnl + jo, p);
    if (worst != 0) v128.store(worst + jo, w);
  }
  return STATUS_OK;
}

/**
 * Re-price cached terminal shocks at horizon `horizon`: E = expm1(H·μ + √H·y) into `e` and the P&L
 * per path into `pnl` (shock, e: n × stride; stride even). Bit-identical to `mcTerminalBlock`.
 */
export function mcPriceTerminal(
  shock: usize, drift: usize, notionals: usize, n: i32, stride: i32, horizon: f64, e: usize, pnl: usize,
): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  if (stride <= 0 || (stride & 1) != 0) return fail(STATUS_BAD_SIZE, stride);
  if (!(horizon > 0) || !isFinite(horizon)) return fail(STATUS_BAD_SIZE, <i32>horizon);
  for (let i = 0; i < n; i++) {
    if (!isFinite(load<f64>(at(drift, i)))) return fail(STATUS_NON_FINITE_INPUT, i);
    if (!isFinite(load<f64>(at(notionals, i)))) return fail(STATUS_NON_FINITE_INPUT, n + i);
  }
  const rootH = Math.sqrt(horizon);
  for (let j = 0; j < stride; j += 2) {
    const jo = <usize>j << 3;
    let p = f64x2.splat(0);
    for (let i = 0; i < n; i++) {
      const hmu = horizon * load<f64>(at(drift, i));
      const y = v128.load(row(shock, i, stride) + jo);
      p = f64x2.add(p, terminalStep(row(e, i, stride) + jo, hmu, rootH, load<f64>(at(notionals, i)), y));
    }
    v128.store(pnl + jo, p);
  }
  return STATUS_OK;
}
