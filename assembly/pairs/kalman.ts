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
// numbers bit for bit (no SIMD, no reassociation, one order of operations). `kalmanLogLik` repeats
// the filter's arithmetic for the calibration, without outputs (tested equal to `pairRun`'s).
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
  // Filter.
  let beta = get(s, S_BETA);
  let alpha = get(s, S_ALPHA);
  let p00 = get(s, S_P00);
  let p01 = get(s, S_P01);
  let p11 = get(s, S_P11);
  const q = get(s, S_Q);
  const ve = get(s, S_VE);
  // Position and the open trade.
  let pos = get(s, S_POS);
  let betaE = get(s, S_BETA_E);
  let grossE = get(s, S_GROSS_E);
  let lastY = get(s, S_LAST_Y);
  let lastX = get(s, S_LAST_X);
  let eq = get(s, S_EQ);
  let eqNet = get(s, S_EQ_NET);
  let tradePnl = get(s, S_TRADE_PNL);
  let tradeCost = get(s, S_TRADE_COST);
  let bar = get(s, S_BAR);
  // Rules.
  const entry = get(s, S_ENTRY);
  const exit = get(s, S_EXIT);
  const costRate = get(s, S_COST_RATE);
  const signalFrom = get(s, S_SIGNAL_FROM);
  const haltFrom = get(s, S_HALT_FROM);
  const flat = get(s, S_FLAT) != 0;
  const llFrom = get(s, S_LL_FROM);
  // Statistics.
  let count = get(s, S_N);
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
  let ll = get(s, S_LL);
  let obs = get(s, S_OBS);
  let e: f64 = NaN;
  let Q: f64 = NaN;
  let z: f64 = NaN;
  let pnl: f64 = 0;
  let cost: f64 = 0;
  let blocked = false;
  let closed = false;

  for (let t = 0; t < n; t++) {
    const yt = load<f64>(at(y, t));
    const xt = load<f64>(at(x, t));

    // 1. The filter.
    const r00 = p00 + q;
    const r01 = p01;
    const r11 = p11 + q;
    // y − y and x − x are NaN exactly when a value is NaN (or infinite): one test for both legs.
    if (isNaN(yt - yt + (xt - xt))) {
      p00 = r00;
      p11 = r11;
      e = NaN;
      Q = NaN;
      z = NaN;
    } else {
      e = yt - (xt * beta + alpha);
      // The arithmetic is arranged for a short loop-carried chain (P → Q → K → P); see the header.
      const g0 = r00 * xt + r01; // g = R hᵀ
      const g1 = r01 * xt + r11;
      Q = r00 * (xt * xt) + ((r01 + r01) * xt + (r11 + ve)); // h R hᵀ + Vₑ
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
      p01 = 0.5 * (pUp + pLo);
      z = e * Math.sqrt(invQ);
      if (bar >= llFrom) {
        ll += Math.log(Q) + e * e * invQ;
        obs += 1;
      }
    }

    // 2. Mark to market: the position decided at the previous bar earns to this one, each leg
    // from its last observed price (a missing leg keeps its price until it trades again). Selects,
    // not branches, from here to the trade: a mispredicted branch also throws away the next bar's
    // filter work in flight, and where z falls is not predictable. A flat bar adds 0 (exact).
    const py = isNaN(yt) ? lastY : yt;
    const px = isNaN(xt) ? lastX : xt;
    pnl = select<f64>((pos * (py - lastY - betaE * (px - lastX))) / grossE, 0, pos != 0);
    tradePnl += pnl;
    lastY = py;
    lastX = px;

    // 3. The position wanted at this bar's close: short above +entry, long below −entry (an
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

    // 4. Trade at this bar's close and pay the costs.
    cost = 0;
    closed = false;
    blocked = false;
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
        if (tradeIndex < capacity) memory.copy(trades + ((<usize>tradeIndex * TRADE_FIELDS) << 3), rec, TRADE_FIELDS << 3);
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

    // 5. Equity and the statistics of the traded bars (a flat bar adds 0: exact, so no branch).
    // Drawdown is measured from a peak to the lowest equity before the next peak: one division per
    // new peak (a rarer, better predicted branch than where each bar's equity falls).
    if (bar >= signalFrom) {
      count += 1;
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
      store<f64>(at(outBeta, t), beta);
      store<f64>(at(outAlpha, t), alpha);
      store<f64>(at(outSpread, t), e);
      store<f64>(at(outVariance, t), Q);
      store<f64>(at(outZ, t), z);
      store<f64>(at(outPosition, t), pos);
      store<f64>(at(outEquity, t), eq);
      store<f64>(at(outEquityNet, t), eqNet);
    }
    bar += 1;
  }

  put(s, S_BETA, beta);
  put(s, S_ALPHA, alpha);
  put(s, S_P00, p00);
  put(s, S_P01, p01);
  put(s, S_P11, p11);
  put(s, S_POS, pos);
  put(s, S_BETA_E, betaE);
  put(s, S_GROSS_E, grossE);
  put(s, S_LAST_Y, lastY);
  put(s, S_LAST_X, lastX);
  put(s, S_EQ, eq);
  put(s, S_EQ_NET, eqNet);
  put(s, S_TRADE_PNL, tradePnl);
  put(s, S_TRADE_COST, tradeCost);
  put(s, S_BAR, bar);
  put(s, S_N, count);
  put(s, S_SUM, sum);
  put(s, S_SUM2, sum2);
  put(s, S_SUM_NET, sumNet);
  put(s, S_SUM2_NET, sum2Net);
  put(s, S_PEAK, peak);
  put(s, S_TROUGH, trough);
  put(s, S_PEAK_NET, peakNet);
  put(s, S_TROUGH_NET, troughNet);
  // The drawdown of the current peak so far counts too (the state may run on, so the trough stays).
  put(s, S_MDD, Math.max(mdd, (peak - trough) / peak));
  put(s, S_MDD_NET, Math.max(mddNet, (peakNet - troughNet) / peakNet));
  put(s, S_LL, ll);
  put(s, S_OBS, obs);
  if (n > 0) {
    put(s, S_OUT_SPREAD, e);
    put(s, S_OUT_Q, Q);
    put(s, S_OUT_Z, z);
    put(s, S_OUT_PNL, pnl);
    put(s, S_OUT_COST, cost);
    put(s, S_OUT_BLOCKED, blocked ? 1 : 0);
    put(s, S_OUT_CLOSED, closed ? 1 : 0);
  }
  return STATUS_OK;
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
