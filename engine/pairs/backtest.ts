/**
 * The pairs backtest (docs/conventions.md, "Pairs backtest"): the Kalman filter over every bar
 * from bar 0 and the trading rules on its z, in one wasm pass (`pairRun`).
 *
 * - The position decided at bar t's close from zₜ earns the move from t to t+1, never bar t's own.
 * - Short the spread (−1 share of y, +βₑ of x) when z > entry, long when z < −entry, exit when
 *   |z| < exit; an opposite entry signal flips. βₑ, the hedge ratio, is the filter's β at the entry
 *   bar, fixed for the trade.
 * - The return base of a trade is its gross notional at entry, Gₑ = |yₑ| + |βₑ|·|xₑ|: bar returns
 *   are side·(Δy − βₑ·Δx)/Gₑ, as if each trade committed a fixed capital of 1 at gross 1×. Equity is
 *   1 + the running sum of bar returns (no compounding), so trade P&Ls add up to the total return.
 * - Costs: `costBps` basis points of traded notional, on the same base: an entry costs costBps/10⁴,
 *   an exit costBps/10⁴ · Gₓ/Gₑ (Gₓ the legs' gross value at the exit prices).
 * - Flat at each session's last bar (its close), and at the last bar of the data.
 * - No signal before `tradeFrom + warmup`; no signal at a bar missing either close (the position
 *   is held; a missing leg keeps its last price for the mark to market).
 * - Halted (the risk status): no new entry from `haltedFrom`; open trades still close.
 * Figures are over the traded bars t ≥ tradeFrom + warmup: Sharpe = mean/sd (n−1) of the bar
 * returns × √(252·390), its standard error by Lo (2002) for i.i.d. returns, √((1 + SR²/2)/T) on
 * the per-bar SR, annualised alike; max drawdown from running peaks of equity, as a fraction of
 * the peak; hit rate over round trips; turnover = traded notional / base (an entry counts 1).
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { MINUTE_BARS_PER_YEAR } from '../units.ts';
import { checkParams, placeLegs } from './filter.ts';
import type { ParamNames, PlacedLegs } from './filter.ts';
import { checkLayout, LAST_ENDS_DATA, LAST_ENDS_SESSION, REASONS, S, STATE_SIZE, T, TRADE_FIELDS } from './layout.ts';
import type { BacktestRules, PairBacktestInputs, PairBacktestReport, Performance, Trade } from './types.ts';

export const DEFAULT_ENTRY = 2;
export const DEFAULT_EXIT = 0.5;
export const DEFAULT_COST_BPS = 0;
/** Bars with no signal after the calibration window (or from bar 0 without one). */
export const DEFAULT_WARMUP = 30;
/** Below this many round trips a result is flagged `smallSample`. */
export const SMALL_SAMPLE_TRADES = 30;
/** Room for at least this many trades (and one per 8 bars) before the kernel re-runs with more. */
const INITIAL_TRADE_CAPACITY = 4096;

/** How messages name the rules: engine field names, or the CLI's options. */
export interface RuleNames extends ParamNames {
  entry: string;
  exit: string;
  costBps: string;
  warmup: string;
  tradeFrom: string;
}

const FIELD_NAMES: RuleNames = { delta: 'delta', ve: 've', entry: 'entry', exit: 'exit', costBps: 'costBps', warmup: 'warmup', tradeFrom: 'tradeFrom' };

/** The rules with their defaults. */
export interface ResolvedRules {
  entry: number;
  exit: number;
  costBps: number;
  warmup: number;
  flatAtSessionEnd: boolean;
  haltedFrom: number;
}

/**
 * Check the trading rules and fill their defaults. Throws `BAD_INPUT` naming the rule (as `names`
 * spells it): entry must be positive and finite, 0 ≤ exit < entry, costs finite and ≥ 0, warm-up
 * and haltedFrom whole numbers ≥ 0.
 */
export function resolveRules(r: BacktestRules, names: RuleNames = FIELD_NAMES): ResolvedRules {
  const entry = r.entry ?? DEFAULT_ENTRY;
  const exit = r.exit ?? DEFAULT_EXIT;
  const costBps = r.costBps ?? DEFAULT_COST_BPS;
  const warmup = r.warmup ?? DEFAULT_WARMUP;
  const bad = (name: string, value: unknown, rule: string) => new AstraError('BAD_INPUT', Messages.badValue(name, value, rule), { option: name });
  if (typeof entry !== 'number' || !Number.isFinite(entry) || entry <= 0) throw bad(names.entry, entry, 'a positive number (a z-score)');
  if (typeof exit !== 'number' || !Number.isFinite(exit) || exit < 0) throw bad(names.exit, exit, 'a number ≥ 0 (a z-score)');
  if (exit >= entry) throw new AstraError('BAD_INPUT', Messages.pairsExitAboveEntry(names.exit, exit, names.entry, entry), { option: names.exit });
  if (typeof costBps !== 'number' || !Number.isFinite(costBps) || costBps < 0) throw bad(names.costBps, costBps, 'a number ≥ 0 (basis points)');
  if (!Number.isSafeInteger(warmup) || warmup < 0) throw bad(names.warmup, warmup, 'a whole number of bars ≥ 0');
  const haltedFrom = r.haltedFrom ?? (r.halted ? 0 : Infinity);
  if (haltedFrom !== Infinity && (!Number.isSafeInteger(haltedFrom) || haltedFrom < 0)) throw bad('haltedFrom', haltedFrom, 'a whole bar index ≥ 0');
  return { entry, exit, costBps, warmup, flatAtSessionEnd: r.flatAtSessionEnd ?? true, haltedFrom };
}

/** Throws `BAD_INPUT` unless `sessions` has one non-decreasing label per bar. */
export function checkSessions(sessions: ArrayLike<number>, bars: number): void {
  if (sessions.length !== bars) throw new AstraError('BAD_INPUT', Messages.pairsSessionsLength(sessions.length, bars));
  let previous = bars > 0 ? sessions[0] : 0;
  for (let t = 1; t < bars; t++) {
    const label = sessions[t];
    if (!(label >= previous)) throw new AstraError('BAD_INPUT', Messages.pairsSessionsOrder(t + 1), { bar: t + 1 });
    previous = label;
  }
}

/** √(bars a year), the factor that annualises a per-bar Sharpe ratio. */
export const ANNUALISATION = { barsPerYear: MINUTE_BARS_PER_YEAR, factor: Math.sqrt(MINUTE_BARS_PER_YEAR) } as const;

/** Sharpe, its Lo (2002) i.i.d. standard error, from the count, sum and sum of squares of bar returns. */
export function sharpeFromSums(count: number, sum: number, sum2: number): { sharpe: number; sharpeSe: number } {
  if (count < 2) return { sharpe: NaN, sharpeSe: NaN };
  const mean = sum / count;
  const variance = Math.max(0, (sum2 - sum * mean) / (count - 1));
  const sd = Math.sqrt(variance);
  if (!(sd > 0)) return { sharpe: NaN, sharpeSe: NaN };
  const perBar = mean / sd;
  return { sharpe: perBar * ANNUALISATION.factor, sharpeSe: Math.sqrt((1 + (perBar * perBar) / 2) / count) * ANNUALISATION.factor };
}

/** The kernel's trade record at `r[o…]` as a {@link Trade} (times from `timestamps` when given). */
export function tradeFromRecord(r: Float64Array, o: number, timestamps?: readonly string[]): Trade {
  const entryBar = r[o + T.ENTRY_BAR];
  const exitBar = r[o + T.EXIT_BAR];
  const pnl = r[o + T.PNL];
  const costs = r[o + T.COSTS];
  const side = r[o + T.SIDE] > 0 ? 'long' : 'short';
  const betaEntry = r[o + T.BETA];
  const zEntry = r[o + T.Z_ENTRY];
  const zExit = r[o + T.Z_EXIT];
  const exitReason = REASONS[r[o + T.REASON]];
  // Plain literals of a fixed shape (no spread, no delete): a long run can close 10⁵ trades.
  if (timestamps) {
    const entryTime = timestamps[entryBar];
    const exitTime = timestamps[exitBar];
    return { side, entryBar, exitBar, entryTime, exitTime, betaEntry, zEntry, zExit, bars: exitBar - entryBar, pnl, costs, pnlAfterCosts: pnl - costs, exitReason };
  }
  return { side, entryBar, exitBar, betaEntry, zEntry, zExit, bars: exitBar - entryBar, pnl, costs, pnlAfterCosts: pnl - costs, exitReason };
}

/** Performance of one curve from the kernel's state. */
function performance(s: Float64Array, net: boolean, equity?: Float64Array): Performance {
  const count = s[S.N];
  const { sharpe, sharpeSe } = sharpeFromSums(count, s[net ? S.SUM_NET : S.SUM], s[net ? S.SUM2_NET : S.SUM2]);
  const trades = s[S.TRADES];
  return {
    totalReturn: s[net ? S.EQ_NET : S.EQ] - 1,
    sharpe,
    sharpeSe,
    maxDrawdown: s[net ? S.MDD_NET : S.MDD],
    hitRate: trades > 0 ? s[net ? S.WINS_NET : S.WINS] / trades : NaN,
    turnover: s[S.TURNOVER],
    ...(equity ? { equity } : {}),
  };
}

/**
 * Filter and backtest a pair (rules in the file comment).
 * @param inputs closes y and x (money, NaN = missing), session labels, δ and Vₑ, the rules,
 *   `tradeFrom` (the end of the calibration window), optional timestamps for the trade list.
 * @returns the report: per-bar filter outputs, position and equity curves (unless `series: false`;
 *   the seven f64 series are views of one buffer the report owns — use `.slice()` for a lone one),
 *   the trades, before- and after-cost figures, `smallSample` under 30 round trips, the halt.
 * @throws AstraError `BAD_INPUT` for bad parameters, rules, prices or session labels;
 *   `INSUFFICIENT_DATA` when no bar is left to trade after `tradeFrom + warmup`.
 */
export function pairBacktest(k: Kernels, inputs: PairBacktestInputs, names: RuleNames = FIELD_NAMES): PairBacktestReport {
  return backtest(k, inputs, names, undefined);
}

/**
 * {@link pairBacktest} on legs `placeLegs` has checked and placed (`runPair` places them once for
 * the calibration and the backtest); kernel memory is allocated after them.
 */
export function pairBacktestPlaced(k: Kernels, inputs: PairBacktestInputs, placed: PlacedLegs, names: RuleNames = FIELD_NAMES): PairBacktestReport {
  return backtest(k, inputs, names, placed);
}

function backtest(k: Kernels, inputs: PairBacktestInputs, names: RuleNames, placed: PlacedLegs | undefined): PairBacktestReport {
  const { y, x } = inputs;
  checkParams(inputs, names);
  const rules = resolveRules(inputs, names);
  const { py, px } = placed ?? placeLegs(k, y, x, ['y', 'x'], inputs.timestamps);
  const n = y.length;
  // The labels' order is checked in wasm as well; checkSessions names what is wrong.
  if (inputs.sessions.length !== n) checkSessions(inputs.sessions, n);
  const ps = k.putF64(inputs.sessions);
  if (k.exports.pairSessionsOrdered(ps, n) !== 1) checkSessions(inputs.sessions, n);
  const tradeFrom = inputs.tradeFrom ?? 0;
  if (!Number.isSafeInteger(tradeFrom) || tradeFrom < 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue(names.tradeFrom, tradeFrom, 'a whole bar index ≥ 0'), { option: names.tradeFrom });
  }
  const firstSignalBar = tradeFrom + rules.warmup;
  if (firstSignalBar >= n) {
    throw new AstraError('INSUFFICIENT_DATA', Messages.pairsTooFewBars(n, firstSignalBar, `${tradeFrom} calibration and ${rules.warmup} warm-up bars before the first signal`));
  }
  checkLayout(k);
  const series = inputs.series ?? true;
  const state = k.allocF64(STATE_SIZE);
  const out = series ? k.allocF64(8 * n) : 0;
  // Outputs side by side: β, α, e, Q, z, equity, equity after costs, then position, so the seven
  // f64 series leave wasm memory as one copy (views of one buffer, not seven allocations).
  const at = (i: number) => (series ? out + i * n * 8 : 0);
  let capacity = Math.min(n, Math.max(INITIAL_TRADE_CAPACITY, n >> 3));
  for (;;) {
    // A re-run (more trades than room) takes a larger record buffer after this one.
    const trades = k.allocF64(capacity * TRADE_FIELDS);
    k.exports.pairInit(
      state, inputs.delta, inputs.ve, rules.entry, rules.exit, rules.costBps / 1e4, firstSignalBar, rules.haltedFrom,
      rules.flatAtSessionEnd ? 1 : 0, Infinity,
    );
    k.check(
      k.exports.pairRun(
        state, py, px, ps, n, LAST_ENDS_SESSION | LAST_ENDS_DATA, series ? 1 : 0,
        at(0), at(1), at(2), at(3), at(4), at(7), at(5), at(6), trades, capacity,
      ),
      'pairs backtest',
    );
    const s = k.f64(state, STATE_SIZE).slice();
    const count = s[S.TRADES];
    if (count > capacity) {
      capacity = count;
      continue;
    }
    const records = k.f64(trades, count * TRADE_FIELDS);
    const tradeList: Trade[] = [];
    for (let i = 0; i < count; i++) tradeList.push(tradeFromRecord(records, i * TRADE_FIELDS, inputs.timestamps));
    let position: Int8Array | undefined;
    let all: Float64Array | undefined;
    const part = (i: number) => all!.subarray(i * n, (i + 1) * n);
    if (series) {
      position = new Int8Array(n);
      const p = k.f64(at(7), n);
      for (let t = 0; t < n; t++) position[t] = p[t];
      all = k.takeF64(out, 7 * n);
    }
    const report: PairBacktestReport = {
      ...(series ? { series: { beta: part(0), alpha: part(1), spread: part(2), variance: part(3), z: part(4) }, position } : {}),
      trades: tradeList,
      roundTrips: count,
      beforeCosts: performance(s, false, series ? part(5) : undefined),
      afterCosts: performance(s, true, series ? part(6) : undefined),
      smallSample: count < SMALL_SAMPLE_TRADES,
      firstSignalBar,
      tradedBars: n - firstSignalBar,
      entry: rules.entry,
      exit: rules.exit,
      costBps: rules.costBps,
      warmup: rules.warmup,
      halted: rules.haltedFrom < n,
      blockedEntries: s[S.BLOCKED],
      annualisation: { ...ANNUALISATION },
    };
    return report;
  }
}
