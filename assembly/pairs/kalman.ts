// The Kalman pair filter and its backtest, one bar at a time (docs/kernels.md, "Kalman pairs").
//
// Model: yₜ = βₜ·xₜ + αₜ + εₜ, ε ~ N(0, Vₑ); θ = [β, α] a random walk with covariance q·I,
// q = δ/(1−δ). Per bar: R = P + qI, h = [x, 1], e = y − h·θ, Q = h R hᵀ + Vₑ, K = R hᵀ / Q,
// θ ← θ + K e, P ← (I − K h) R (I − K h)ᵀ + Vₑ K Kᵀ (Joseph form; the off-diagonal is the mean of
// the two computed ones, so P is exactly symmetric), z = e / √Q. A bar with y or x missing (NaN)
// only predicts: P ← R, θ unchanged, e = Q = z = NaN.
//
// `pairRun` runs n bars on a state block (layout below, mirrored by engine/pairs/layout.ts): the
// batch is one call over every bar, the incremental API one call per bar, so the two give the same
// numbers bit for bit (no reassociation: one order of operations per number, whichever path of
// `runBars` a bar takes; the f64x2 lanes carry two curves, never a sum split in two).
// `kalmanLogLik` repeats the filter's arithmetic for the calibration, without outputs (tested equal
// to `pairRun`'s).
//
// The backtest (docs/conventions.md, "Pairs backtest"), at bar t after the filter:
// 1. mark to market the position decided at t − 1: pnl = pos·((y − y′) − βₑ(x − x′)) / Gₑ, with
//    y′, x′ the last observed prices (a missing leg keeps its last price), βₑ the hedge ratio and
//    Gₑ = |yₑ| + |βₑ|·|xₑ| the gross notional of one spread unit at entry (the return base);
// 2. decide the position at t's close from zₜ: short the spread when z > entry, long when
//    z < −entry, exit when |z| < exit (an opposite signal flips); no signal before `signalFrom`
//    or where z is NaN; no new entry while halted; flat at a session's last bar;
// 3. trading costs `costRate` × traded notional / Gₑ of the trade (entry 1, exit Gₓ/Gₑ).
import { STATUS_OK, STATUS_BAD_SIZE, fail } from '../util/status';

// State block: f64 slots (mirrored by engine/pairs/layout.ts). A run loads it into locals, runs its
// bars and stores it back, so a run of n bars and n runs of one bar give the same numbers.
const S_BETA = 0;
const S_ALPHA = 1;
const S_P00 = 2;
const S_P01 = 3;
const S_P11 = 4;
const S_Q = 5;
const S_VE = 6;
const S_POS = 7;
const S_BETA_E = 8;
const S_GROSS_E = 9;
const S_LAST_Y = 10;
const S_LAST_X = 11;
const S_EQ = 12;
const S_EQ_NET = 13;
const S_ENTRY_BAR = 14;
const S_TRADE_PNL = 15;
const S_TRADE_COST = 16;
const S_Z_ENTRY = 17;
const S_BAR = 18;
const S_ENTRY = 19;
const S_EXIT = 20;
const S_COST_RATE = 21;
const S_SIGNAL_FROM = 22;
// Statistics over the traded bars (t ≥ signalFrom).
const S_N = 23;
const S_SUM = 24;
const S_SUM2 = 25;
const S_SUM_NET = 26;
const S_SUM2_NET = 27;
const S_PEAK = 28;
const S_MDD = 29;
const S_PEAK_NET = 30;
const S_MDD_NET = 31;
const S_TURNOVER = 32;
const S_TRADES = 33;
const S_WINS = 34;
const S_WINS_NET = 35;
const S_BLOCKED = 36;
// Outputs of the last bar run.
const S_OUT_SPREAD = 37;
const S_OUT_Q = 38;
const S_OUT_Z = 39;
const S_OUT_PNL = 40;
const S_OUT_COST = 41;
const S_OUT_BLOCKED = 42;
const S_OUT_CLOSED = 43;
/** The last trade closed (TRADE_FIELDS slots). */
const S_TRADE = 44;
const S_TROUGH = 53;
const S_TROUGH_NET = 54;
const S_HALT_FROM = 55;
const S_FLAT = 56;
const S_LL = 57;
const S_OBS = 58;
const S_LL_FROM = 59;
const STATE_SIZE = 64;

// A trade record: side (±1), entry bar, exit bar, βₑ, z at entry, z at exit, pnl, costs, reason.
const T_SIDE = 0;
const T_ENTRY_BAR = 1;
const T_EXIT_BAR = 2;
const T_BETA = 3;
const T_Z_ENTRY = 4;
const T_Z_EXIT = 5;
const T_PNL = 6;
const T_COSTS = 7;
const T_REASON = 8;
const TRADE_FIELDS = 9;

const REASON_SIGNAL: f64 = 0;
const REASON_SESSION_END: f64 = 1;
const REASON_FLIP: f64 = 2;
const REASON_END_OF_DATA: f64 = 3;

/** `pairRun`'s lastFlags: the run's last bar ends its session / ends the data. */
const LAST_ENDS_SESSION = 1;
const LAST_ENDS_DATA = 2;

// ln(2π), ln 2
const LN_2PI: f64 = 1.8378770664093453;
const LN2: f64 = 0.6931471805599453;

@inline function get(s: usize, slot: i32): f64 {
  return load<f64>(s + (<usize>slot << 3));
}

@inline function put(s: usize, slot: i32, v: f64): void {
  store<f64>(s + (<usize>slot << 3), v);
}

@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/**
 * Start a state block: θ = 0, P = 0, q = δ/(1−δ), Vₑ; the rules (entry and exit thresholds, costs as
 * a fraction of traded notional, the first bar with a signal, the first halted bar, flat at session
 * ends 0/1); the first bar counted in the log-likelihood (`llFrom`, +∞ for none); flat, equity 1.
 */
export function pairInit(
  s: usize, delta: f64, ve: f64, entry: f64, exit: f64, costRate: f64, signalFrom: f64, haltFrom: f64, flat: f64, llFrom: f64,
): void {
  memory.fill(s, 0, <usize>STATE_SIZE << 3);
  put(s, S_Q, delta / (1.0 - delta));
  put(s, S_VE, ve);
  put(s, S_LAST_Y, NaN);
  put(s, S_LAST_X, NaN);
  put(s, S_EQ, 1);
  put(s, S_EQ_NET, 1);
  put(s, S_PEAK, 1);
  put(s, S_PEAK_NET, 1);
  put(s, S_TROUGH, 1);
  put(s, S_TROUGH_NET, 1);
  put(s, S_ENTRY, entry);
  put(s, S_EXIT, exit);
  put(s, S_COST_RATE, costRate);
  put(s, S_SIGNAL_FROM, signalFrom);
  put(s, S_HALT_FROM, haltFrom);
  put(s, S_FLAT, flat);
  put(s, S_LL_FROM, llFrom);
  for (let i = 0; i < TRADE_FIELDS; i++) put(s, S_TRADE + i, NaN);
}

/** 2⁻¹⁰²¹: from here up, halving a number is exact (the half is a normal number). */
const HALVING_EXACT: f64 = 4.450147717014403e-308;
/** Returns of held bars the bar loop leaves to the statistics (at most this many at a time). */
const HELD = 512;
const HELD_PNL: usize = memory.data(HELD * 8, 16);

/** [lo, hi] as f64x2 lanes 0 and 1. */
@inline function pack(lo: f64, hi: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(lo), 1, hi);
}

/**
 * Run n bars (y, x) on a state block made by `pairInit`: the filter, then the backtest rules.
 * Bar t of the run ends its session when `sessions[t + 1] != sessions[t]` (for the run's last bar:
 * `lastFlags & 1`) and the state's flat flag is set; the run's last bar ends the data when
 * `lastFlags & 2` (the position is closed there whatever the flag). With `write`, per-bar β, α, e, Q,
 * z, position and both equity curves go to the arrays (else they are not touched). Each closed
 * trade goes to `trades` (TRADE_FIELDS f64 each, indexed by the state's trade count before it)
 * while that index is below `capacity`; the last one also stays in the state. Returns STATUS_OK, or
 * BAD_SIZE for n < 0 or capacity < 0.
 */
export function pairRun(
  s: usize, y: usize, x: usize, sessions: usize, n: i32, lastFlags: i32, write: i32,
  outBeta: usize, outAlpha: usize, outSpread: usize, outVariance: usize, outZ: usize, outPosition: usize, outEquity: usize, outEquityNet: usize,
  trades: usize, capacity: i32,
): i32 {
  if (n < 0) return fail(STATUS_BAD_SIZE, n);
  if (capacity < 0) return fail(STATUS_BAD_SIZE, capacity);
  // Two instances of the loop, with and without the log-likelihood: Math.log is a call, and with
  // a call in the loop the compiler keeps the filter's covariance on the stack (llFrom NaN or +∞:
  // no bar counts).
  if (get(s, S_LL_FROM) < Infinity) runBars<f64>(s, y, x, sessions, n, lastFlags, write, outBeta, outAlpha, outSpread, outVariance, outZ, outPosition, outEquity, outEquityNet, trades, capacity);
  else runBars<i32>(s, y, x, sessions, n, lastFlags, write, outBeta, outAlpha, outSpread, outVariance, outZ, outPosition, outEquity, outEquityNet, trades, capacity);
  // The drawdown of the current peak so far counts too (the state may run on, so the trough stays).
  put(s, S_MDD, Math.max(get(s, S_MDD), (get(s, S_PEAK) - get(s, S_TROUGH)) / get(s, S_PEAK)));
  put(s, S_MDD_NET, Math.max(get(s, S_MDD_NET), (get(s, S_PEAK_NET) - get(s, S_TROUGH_NET)) / get(s, S_PEAK_NET)));
  return STATUS_OK;
}

/** How many of bars bar0, bar0 + 1, … bar0 + n − 1 are ≥ from (they are increasing). */
function countFrom(bar0: f64, n: i32, from: f64): i32 {
  let lo = 0;
  let hi = n; // the first index at or above `from` is in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bar0 + <f64>mid >= from) hi = mid;
    else lo = mid + 1;
  }
  return n - lo;
}

/**
 * `pairRun`'s bars; `LogLik` f64 adds ln Q + e²/Q of the bars from the state's llFrom on to its
 * log-likelihood, i32 leaves that out. Every number is the one the per-bar step below gives for
 * every bar, in its order of operations; the loop only skips work whose result it knows.
 *
 * The filter's chain of dependent operations (P → Q → 1/Q → K → P) bounds the time, so the rest
 * must fit in its shadow. The bar loop runs the filter and what the rules do on a quiet bar: flat
 * with no signal (nothing to do: the return is exactly 0, which changes no sum, equity or
 * drawdown), or held with no exit, flip or forced close (the return, kept for later). Any other
 * bar leaves the loop and goes through the whole step: the loop's own state then stays in
 * registers, as it would not with the step's code inside it. Before the step, the kept returns go
 * through the statistics (`HELD` at most at a time). The count of traded bars is known from the
 * bar numbers.
 */
function runBars<LogLik>(
  s: usize, y: usize, x: usize, sessions: usize, n: i32, lastFlags: i32, write: i32,
  outBeta: usize, outAlpha: usize, outSpread: usize, outVariance: usize, outZ: usize, outPosition: usize, outEquity: usize, outEquityNet: usize,
  trades: usize, capacity: i32,
): void {
  let beta = get(s, S_BETA);
  let alpha = get(s, S_ALPHA);
  let p00 = get(s, S_P00);
  let p01 = get(s, S_P01);
  let p11 = get(s, S_P11);
  const q = get(s, S_Q);
  const ve = get(s, S_VE);
  let twoP01 = p01 + p01;
  const bar0 = get(s, S_BAR);
  const llFrom = get(s, S_LL_FROM);
  let ll = get(s, S_LL);
  let obs = get(s, S_OBS);
  let pos = get(s, S_POS);
  let betaE = get(s, S_BETA_E);
  let grossE = get(s, S_GROSS_E);
  let lastY = get(s, S_LAST_Y);
  let lastX = get(s, S_LAST_X);
  let tradePnl = get(s, S_TRADE_PNL);
  let tradeCost = get(s, S_TRADE_COST);
  const entry = get(s, S_ENTRY);
  const exit = get(s, S_EXIT);
  const costRate = get(s, S_COST_RATE);
  const signalFrom = get(s, S_SIGNAL_FROM);
  const haltFrom = get(s, S_HALT_FROM);
  const flat = get(s, S_FLAT) != 0;
  let eq = get(s, S_EQ);
  let eqNet = get(s, S_EQ_NET);
  let sum = get(s, S_SUM);
  let sum2 = get(s, S_SUM2);
  let sumNet = get(s, S_SUM_NET);
  let sum2Net = get(s, S_SUM2_NET);
  let peak = get(s, S_PEAK);
  let trough = get(s, S_TROUGH);
  let mdd = get(s, S_MDD);
  let peakNet = get(s, S_PEAK_NET);
  let troughNet = get(s, S_TROUGH_NET);
  let mddNet = get(s, S_MDD_NET);

  let t = 0;
  while (t < n) {
    // The bar loop, from bar `from` to the next bar that needs the step; pos is the same all along
    // (only the step changes it), and k of the held bars' returns wait in HELD_PNL.
    let z: f64 = NaN;
    const from = t;
    let k = 0;
    for (; t < n; t++) {
      const yt = load<f64>(at(y, t));
      const xt = load<f64>(at(x, t));

      // 1. The filter.
      const r00 = p00 + q;
      const r01 = p01;
      const r11 = p11 + q;
      let e: f64 = NaN;
      let Q: f64 = NaN;
      z = NaN;
      // y − y and x − x are NaN exactly when a value is NaN (or infinite): one test for both legs.
      if (isNaN(yt - yt + (xt - xt))) {
        p00 = r00;
        p11 = r11;
      } else {
        e = yt - (xt * beta + alpha);
        // The arithmetic is arranged for a short loop-carried chain (P → Q → K → P); see the header.
        const g0 = r00 * xt + r01; // g = R hᵀ
        const g1 = r01 * xt + r11;
        // r₀₁ + r₀₁ is 2·P₀₁ as the last update computed it before halving, whenever the halving
        // was exact: taking that keeps the halving and the doubling off the chain.
        const twoR01 = Math.abs(twoP01) >= HALVING_EXACT ? twoP01 : r01 + r01;
        Q = r00 * (xt * xt) + (twoR01 * xt + (r11 + ve)); // h R hᵀ + Vₑ
        const invQ = 1.0 / Q; // one division for K and z
        const k0 = g0 * invQ;
        const k1 = g1 * invQ;
        beta = beta + k0 * e;
        alpha = alpha + k1 * e;
        const a00 = 1.0 - k0 * xt; // A = I − K h
        const a01 = -k0;
        const a10 = -k1 * xt;
        const a11 = 1.0 - k1;
        const m00 = r00 - k0 * g0; // M = A R = R − K gᵀ
        const m01 = r01 - k0 * g1;
        const m10 = r01 - k1 * g0;
        const m11 = r11 - k1 * g1;
        p00 = m00 * a00 + (m01 * a01 + ve * (k0 * k0)); // P = M Aᵀ + Vₑ K Kᵀ
        const pUp = m00 * a10 + (m01 * a11 + ve * (k0 * k1));
        const pLo = m10 * a00 + (m11 * a01 + ve * (k1 * k0));
        p11 = m11 * a11 + (m10 * a10 + ve * (k1 * k1));
        twoP01 = pUp + pLo;
        p01 = 0.5 * twoP01;
        z = e * Math.sqrt(invQ);
        if (isFloat<LogLik>() && bar0 + <f64>t >= llFrom) {
          ll += Math.log(Q) + e * e * invQ;
          obs += 1;
        }
      }
      if (write != 0) {
        store<f64>(at(outBeta, t), beta);
        store<f64>(at(outAlpha, t), alpha);
        store<f64>(at(outSpread, t), e);
        store<f64>(at(outVariance, t), Q);
        store<f64>(at(outZ, t), z);
      }
      if (t == n - 1) {
        put(s, S_OUT_SPREAD, e);
        put(s, S_OUT_Q, Q);
        put(s, S_OUT_Z, z);
        break; // the run's last bar closes in the step
      }

      // 2. A quiet bar? (Else the step, after the loop.)
      const sig = bar0 + <f64>t >= signalFrom;
      const az = Math.abs(z);
      const py = isNaN(yt) ? lastY : yt;
      const px = isNaN(xt) ? lastX : xt;
      if (pos == 0) {
        // Flat: a signal may trade (or be refused by the halt); a forced close changes nothing.
        if (sig && az > entry) break;
        if (write != 0) {
          store<f64>(at(outPosition, t), pos);
          store<f64>(at(outEquity, t), eq);
          store<f64>(at(outEquityNet, t), eqNet);
        }
      } else {
        // Held (±1): the step's target is pos again above +entry or below −entry on its own side,
        // or between exit and entry (or z NaN); anything else trades, as does a session's end.
        // Integer logic and one branch: where z falls is not predictable.
        const beyond = <i32>(az > entry);
        const sameSide = <i32>((z > 0) == (pos < 0));
        const held = (beyond & sameSide) | ((beyond ^ 1) & <i32>!(az < exit));
        const change = <i32>sig & (held ^ 1);
        if (change | <i32>(k == HELD) | <i32>(flat && load<f64>(at(sessions, t + 1)) != load<f64>(at(sessions, t)))) break;
        // Mark to market, as in the step (a missing leg keeps its last price).
        store<f64>(at(HELD_PNL, k), (pos * (py - lastY - betaE * (px - lastX))) / grossE);
        k++;
      }
      lastY = py;
      lastX = px;
    }

    // 3. The statistics of the bars the loop let through.
    if (pos == 0) {
      if (t > from) tradePnl += 0; // what the step adds for a flat bar
    } else {
      // The statistics of the held bars [from, from + k): no trade, so no cost, and the net return
      // is the return. When the segment's first bar counts, every bar does (bar numbers only
      // grow): then both curves go side by side in f64x2 lanes (equity, after costs), the same
      // operations per lane, with no branch on where equity falls — min and max as
      // compare-and-pick, which agree with Math.min and Math.max for numbers. A NaN equity (a
      // degenerate trade) stays NaN to the end of the segment; then the segment is done again by
      // the scalar code below, which is the step's own arithmetic.
      let i = 0;
      if (k > 0 && bar0 + <f64>from >= signalFrom) {
        let tp = tradePnl;
        let eq2 = pack(eq, eqNet);
        let sums2 = pack(sum, sumNet);
        let sq2 = pack(sum2, sum2Net);
        let peak2 = pack(peak, peakNet);
        let trough2 = pack(trough, troughNet);
        let mdd2 = pack(mdd, mddNet);
        for (let j = 0; j < k; j++) {
          const pnl = load<f64>(at(HELD_PNL, j));
          const p2 = f64x2.splat(pnl);
          tp += pnl;
          eq2 = f64x2.add(eq2, p2);
          sums2 = f64x2.add(sums2, p2);
          sq2 = f64x2.add(sq2, f64x2.mul(p2, p2));
          // A new peak closes the drawdown since the last one: (peak − trough) / peak, computed
          // only after a dip (else it is 0, which leaves the maximum as it is).
          const up = f64x2.gt(eq2, peak2);
          const dip = v128.and(up, f64x2.lt(trough2, peak2));
          if (v128.any_true(dip)) mdd2 = v128.bitselect(f64x2.pmax(mdd2, f64x2.div(f64x2.sub(peak2, trough2), peak2)), mdd2, dip);
          peak2 = f64x2.pmax(peak2, eq2);
          trough2 = v128.bitselect(eq2, f64x2.pmin(trough2, eq2), up);
          if (write != 0) {
            store<f64>(at(outPosition, from + j), pos);
            v128.store_lane<f64>(at(outEquity, from + j), eq2, 0);
            v128.store_lane<f64>(at(outEquityNet, from + j), eq2, 1);
          }
        }
        if (!v128.any_true(f64x2.ne(eq2, eq2))) {
          i = k;
          tradePnl = tp;
          eq = f64x2.extract_lane(eq2, 0);
          eqNet = f64x2.extract_lane(eq2, 1);
          sum = f64x2.extract_lane(sums2, 0);
          sumNet = f64x2.extract_lane(sums2, 1);
          sum2 = f64x2.extract_lane(sq2, 0);
          sum2Net = f64x2.extract_lane(sq2, 1);
          peak = f64x2.extract_lane(peak2, 0);
          peakNet = f64x2.extract_lane(peak2, 1);
          trough = f64x2.extract_lane(trough2, 0);
          troughNet = f64x2.extract_lane(trough2, 1);
          mdd = f64x2.extract_lane(mdd2, 0);
          mddNet = f64x2.extract_lane(mdd2, 1);
        }
      }
      for (; i < k; i++) {
        const pnl = load<f64>(at(HELD_PNL, i));
        tradePnl += pnl;
        if (bar0 + <f64>(from + i) >= signalFrom) {
          const net = pnl - 0;
          eq += pnl;
          eqNet += net;
          sum += pnl;
          sum2 += pnl * pnl;
          sumNet += net;
          sum2Net += net * net;
          if (eq > peak) {
            mdd = Math.max(mdd, (peak - trough) / peak);
            peak = eq;
            trough = eq;
          }
          trough = Math.min(trough, eq);
          if (eqNet > peakNet) {
            mddNet = Math.max(mddNet, (peakNet - troughNet) / peakNet);
            peakNet = eqNet;
            troughNet = eqNet;
          }
          troughNet = Math.min(troughNet, eqNet);
        }
        if (write != 0) {
          store<f64>(at(outPosition, from + i), pos);
          store<f64>(at(outEquity, from + i), eq);
          store<f64>(at(outEquityNet, from + i), eqNet);
        }
      }
    }
    if (t >= n) break;

    // 4. The whole step for bar t: a trade, a signal refused by the halt, a forced close, the
    // run's last bar (or a full HELD_PNL). As the rules read, in their order of operations.
    const bar = bar0 + <f64>t;
    const yt = load<f64>(at(y, t));
    const xt = load<f64>(at(x, t));
    // a. Mark to market: the position decided at the previous bar earns to this one, each leg
    // from its last observed price (a missing leg keeps its price until it trades again). A flat
    // bar adds 0 (exact).
    const py = isNaN(yt) ? lastY : yt;
    const px = isNaN(xt) ? lastX : xt;
    const pnl = select<f64>((pos * (py - lastY - betaE * (px - lastX))) / grossE, 0, pos != 0);
    tradePnl += pnl;
    lastY = py;
    lastX = px;

    // b. The position wanted at this bar's close: short above +entry, long below −entry (an
    // opposite signal flips), flat inside the exit band, else held (a NaN z compares false); flat
    // at a session's last bar and at the end of the data whatever the signal.
    let target = pos;
    if (bar >= signalFrom) {
      const az = Math.abs(z);
      target = select<f64>(select<f64>(-1.0, 1.0, z > 0), select<f64>(0, pos, az < exit), az > entry);
    }
    const lastOfRun = t == n - 1;
    let forced: f64 = -1;
    if (flat && (lastOfRun ? (lastFlags & LAST_ENDS_SESSION) != 0 : load<f64>(at(sessions, t + 1)) != load<f64>(at(sessions, t)))) {
      forced = REASON_SESSION_END;
    } else if (lastOfRun && (lastFlags & LAST_ENDS_DATA) != 0) {
      forced = REASON_END_OF_DATA;
    }
    if (forced >= 0) target = 0;

    // c. Trade at this bar's close and pay the costs.
    let cost: f64 = 0;
    let closed = false;
    let blocked = false;
    if (target != pos) {
      const reason = forced >= 0 ? forced : target != 0 && pos != 0 ? REASON_FLIP : REASON_SIGNAL;
      if (target != 0 && bar >= haltFrom) {
        // An entry (or the new leg of a flip) refused by the risk halt; an open position still closes.
        blocked = true;
        put(s, S_BLOCKED, get(s, S_BLOCKED) + 1);
        target = 0;
      }
      if (pos != 0) {
        const exitNotional = (Math.abs(py) + Math.abs(betaE) * Math.abs(px)) / grossE;
        const exitCost = costRate * exitNotional;
        cost += exitCost;
        const costs = tradeCost + exitCost;
        const rec = s + (<usize>S_TRADE << 3);
        const tradeIndex = <i32>get(s, S_TRADES);
        put(rec, T_SIDE, pos);
        put(rec, T_ENTRY_BAR, get(s, S_ENTRY_BAR));
        put(rec, T_EXIT_BAR, bar);
        put(rec, T_BETA, betaE);
        put(rec, T_Z_ENTRY, get(s, S_Z_ENTRY));
        put(rec, T_Z_EXIT, z);
        put(rec, T_PNL, tradePnl);
        put(rec, T_COSTS, costs);
        put(rec, T_REASON, reason);
        if (tradeIndex < capacity) {
          // Field by field: memory.copy is a call into the runtime.
          const to = trades + ((<usize>tradeIndex * TRADE_FIELDS) << 3);
          for (let f = 0; f < TRADE_FIELDS; f++) put(to, f, get(rec, f));
        }
        put(s, S_TRADES, <f64>(tradeIndex + 1));
        put(s, S_TURNOVER, get(s, S_TURNOVER) + exitNotional);
        put(s, S_WINS, get(s, S_WINS) + select<f64>(1, 0, tradePnl > 0));
        put(s, S_WINS_NET, get(s, S_WINS_NET) + select<f64>(1, 0, tradePnl - costs > 0));
        closed = true;
      }
      if (target != 0) {
        // Entry needs z, so both prices are there; the hedge ratio is this bar's updated β.
        betaE = beta;
        grossE = Math.abs(yt) + Math.abs(beta) * Math.abs(xt);
        tradePnl = 0;
        tradeCost = costRate;
        cost += costRate;
        put(s, S_ENTRY_BAR, bar);
        put(s, S_Z_ENTRY, z);
        put(s, S_TURNOVER, get(s, S_TURNOVER) + 1.0);
      }
      pos = target;
    }

    // d. Equity and the statistics of the traded bars (a flat bar adds 0: exact, so no branch).
    // Drawdown is measured from a peak to the lowest equity before the next peak: one division per
    // new peak (a rarer, better predicted branch than where each bar's equity falls).
    if (bar >= signalFrom) {
      const net = pnl - cost;
      eq += pnl;
      eqNet += net;
      sum += pnl;
      sum2 += pnl * pnl;
      sumNet += net;
      sum2Net += net * net;
      if (eq > peak) {
        mdd = Math.max(mdd, (peak - trough) / peak);
        peak = eq;
        trough = eq;
      }
      trough = Math.min(trough, eq);
      if (eqNet > peakNet) {
        mddNet = Math.max(mddNet, (peakNet - troughNet) / peakNet);
        peakNet = eqNet;
        troughNet = eqNet;
      }
      troughNet = Math.min(troughNet, eqNet);
    }
    if (write != 0) {
      store<f64>(at(outPosition, t), pos);
      store<f64>(at(outEquity, t), eq);
      store<f64>(at(outEquityNet, t), eqNet);
    }
    if (lastOfRun) {
      put(s, S_OUT_PNL, pnl);
      put(s, S_OUT_COST, cost);
      put(s, S_OUT_BLOCKED, blocked ? 1 : 0);
      put(s, S_OUT_CLOSED, closed ? 1 : 0);
    }
    t++;
  }

  put(s, S_BETA, beta);
  put(s, S_ALPHA, alpha);
  put(s, S_P00, p00);
  put(s, S_P01, p01);
  put(s, S_P11, p11);
  if (isFloat<LogLik>()) {
    put(s, S_LL, ll);
    put(s, S_OBS, obs);
  }
  put(s, S_POS, pos);
  put(s, S_BETA_E, betaE);
  put(s, S_GROSS_E, grossE);
  put(s, S_LAST_Y, lastY);
  put(s, S_LAST_X, lastX);
  put(s, S_TRADE_PNL, tradePnl);
  put(s, S_TRADE_COST, tradeCost);
  put(s, S_BAR, bar0 + <f64>n);
  put(s, S_N, get(s, S_N) + <f64>countFrom(bar0, n, signalFrom));
  put(s, S_EQ, eq);
  put(s, S_EQ_NET, eqNet);
  put(s, S_SUM, sum);
  put(s, S_SUM2, sum2);
  put(s, S_SUM_NET, sumNet);
  put(s, S_SUM2_NET, sum2Net);
  put(s, S_PEAK, peak);
  put(s, S_TROUGH, trough);
  put(s, S_MDD, mdd);
  put(s, S_PEAK_NET, peakNet);
  put(s, S_TROUGH_NET, troughNet);
  put(s, S_MDD_NET, mddNet);
}

/**
 * The log-likelihood −½ Σ (ln 2πQ + e²/Q) of the filter run afresh (θ = 0, P = 0) over bars
 * [from, to), counting the bars from `from + burnIn` on that have both prices; `result` gets
 * [log-likelihood, observations]. The same recursion as `pairRun`, without per-bar output or
 * trading: this is what the calibration calls many times. ln Q is summed as Σ exponents·ln 2 plus
 * the log of the product of the mantissas (one `Math.log` per 32 bars). The log-likelihood is −∞
 * when some Q is not a positive normal number.
 */
export function kalmanLogLik(y: usize, x: usize, from: i32, to: i32, delta: f64, ve: f64, burnIn: i32, result: usize): i32 {
  if (from < 0) return fail(STATUS_BAD_SIZE, from);
  if (to < from) return fail(STATUS_BAD_SIZE, to);
  if (burnIn < 0) return fail(STATUS_BAD_SIZE, burnIn);
  const q = delta / (1.0 - delta);
  let beta: f64 = 0;
  let alpha: f64 = 0;
  let p00: f64 = 0;
  let p01: f64 = 0;
  let p11: f64 = 0;
  let quad: f64 = 0; // Σ e²/Q
  let exponents: i64 = 0; // Σ binary exponents of Q
  let mantissas: f64 = 1; // product of up to 32 mantissas in [1, 2)
  let logMantissas: f64 = 0;
  let obs: i32 = 0;
  let bad = false;
  const counted = from + burnIn;
  for (let t = from; t < to; t++) {
    const yt = load<f64>(at(y, t));
    const xt = load<f64>(at(x, t));
    const r00 = p00 + q;
    const r01 = p01;
    const r11 = p11 + q;
    if (isNaN(yt - yt + (xt - xt))) {
      p00 = r00;
      p11 = r11;
      continue;
    }
    const e = yt - (xt * beta + alpha);
    const g0 = r00 * xt + r01;
    const g1 = r01 * xt + r11;
    const Q = r00 * (xt * xt) + ((r01 + r01) * xt + (r11 + ve));
    const invQ = 1.0 / Q;
    const k0 = g0 * invQ;
    const k1 = g1 * invQ;
    beta = beta + k0 * e;
    alpha = alpha + k1 * e;
    const a00 = 1.0 - k0 * xt;
    const a01 = -k0;
    const a10 = -k1 * xt;
    const a11 = 1.0 - k1;
    const m00 = r00 - k0 * g0;
    const m01 = r01 - k0 * g1;
    const m10 = r01 - k1 * g0;
    const m11 = r11 - k1 * g1;
    p00 = m00 * a00 + (m01 * a01 + ve * (k0 * k0));
    const pUp = m00 * a10 + (m01 * a11 + ve * (k0 * k1));
    const pLo = m10 * a00 + (m11 * a01 + ve * (k1 * k0));
    p11 = m11 * a11 + (m10 * a10 + ve * (k1 * k1));
    p01 = 0.5 * (pUp + pLo);
    if (t >= counted) {
      quad += e * e * invQ;
      const bits = reinterpret<u64>(Q);
      exponents += <i64>(bits >> 52) - 1023;
      mantissas *= reinterpret<f64>((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
      bad = bad || !(Q >= 2.2250738585072014e-308 && Q < Infinity);
      obs++;
      if ((obs & 31) == 0) {
        logMantissas += Math.log(mantissas);
        mantissas = 1;
      }
    }
  }
  const sumLogQ = <f64>exponents * LN2 + (logMantissas + Math.log(mantissas));
  store<f64>(result, bad ? -Infinity : -0.5 * (sumLogQ + quad + <f64>obs * LN_2PI));
  store<f64>(result + 8, <f64>obs);
  return STATUS_OK;
}

/** Sizes the host checks: 0 → the state block, 1 → a trade record, in f64 slots. */
export function pairLayout(which: i32): i32 {
  return which == 0 ? STATE_SIZE : TRADE_FIELDS;
}

/**
 * Whether n bars of a pair's closes are usable: every y and x positive and finite, or NaN (missing).
 * 1 if so, else 0 (the host then finds the first bad close and names it). f64x2 lanes, one pass,
 * no early exit: the host's scan of the same rule costs several times more.
 */
export function pairPricesValid(y: usize, x: usize, n: i32): i32 {
  const zero = f64x2.splat(0);
  const inf = f64x2.splat(Infinity);
  let fine = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a = v128.load(at(y, i));
    const b = v128.load(at(x, i));
    const fa = v128.or(v128.and(f64x2.gt(a, zero), f64x2.lt(a, inf)), f64x2.ne(a, a));
    const fb = v128.or(v128.and(f64x2.gt(b, zero), f64x2.lt(b, inf)), f64x2.ne(b, b));
    fine = v128.and(fine, v128.and(fa, fb));
  }
  let valid = i64x2.all_true(fine);
  for (; i < n; i++) {
    const a = load<f64>(at(y, i));
    const b = load<f64>(at(x, i));
    valid = valid && ((a > 0 && a < Infinity) || isNaN(a)) && ((b > 0 && b < Infinity) || isNaN(b));
  }
  return valid ? 1 : 0;
}

/**
 * Whether n session labels never decrease (each ≥ the one before; a NaN label fails). 1 if so,
 * else 0 (the host then finds the bar). f64x2 lanes, one pass.
 */
export function pairSessionsOrdered(sessions: usize, n: i32): i32 {
  let fine = i64x2.splat(-1);
  let i = 1;
  for (; i + 2 <= n; i += 2) {
    // Lanes: label[i] ≥ label[i − 1], label[i + 1] ≥ label[i].
    fine = v128.and(fine, f64x2.ge(v128.load(at(sessions, i)), v128.load(at(sessions, i - 1))));
  }
  let ordered = i64x2.all_true(fine);
  for (; i < n; i++) ordered = ordered && load<f64>(at(sessions, i)) >= load<f64>(at(sessions, i - 1));
  return ordered ? 1 : 0;
}
