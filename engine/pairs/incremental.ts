/**
 * The incremental (live) pairs engine: one bar in, the filter's new β, α, z and the backtest's
 * signal, P&L and equity out. Each push runs the same wasm function as the batch backtest
 * (`pairRun`) for one bar on a state block the object keeps, so a replay gives the batch's numbers
 * bit for bit — provided it flags each session's last bar (`sessionEnd`) as the batch sees it (the
 * last bar of its date in the table; a live feed knows it from the clock).
 *
 * Each push resets the kernels' scratch memory (the engine's rule for every call), so it may be
 * interleaved with any other engine call on the same `Kernels`.
 */
import type { Kernels } from '../kernels.ts';
import { checkParams } from './filter.ts';
import { resolveRules, tradeFromRecord } from './backtest.ts';
import { checkLayout, LAST_ENDS_SESSION, S, STATE_SIZE } from './layout.ts';
import { AstraError, Messages } from '../errors.ts';
import type { IncrementalOptions, IncrementalPair, PairTick, PushOptions, Trade } from './types.ts';

/**
 * A stateful filter + backtest. Each push takes the next bar's closes (positive, or NaN when
 * missing; anything else throws `BAD_INPUT` and leaves the state as it was). `tradeFrom + warmup` (defaults 0 and `DEFAULT_WARMUP`) is the
 * first bar, counted from the first push, that may carry a signal — as in the batch.
 * @throws AstraError `BAD_INPUT` for bad δ, Vₑ or rules.
 */
export function createIncrementalPair(k: Kernels, options: IncrementalOptions): IncrementalPair {
  checkParams(options);
  const rules = resolveRules(options);
  const tradeFrom = options.tradeFrom ?? 0;
  if (!Number.isSafeInteger(tradeFrom) || tradeFrom < 0) throw new AstraError('BAD_INPUT', Messages.badValue('tradeFrom', tradeFrom, 'a whole bar index ≥ 0'));
  checkLayout(k);
  k.reset();
  const init = k.allocF64(STATE_SIZE);
  k.exports.pairInit(init, options.delta, options.ve, rules.entry, rules.exit, rules.costBps / 1e4, tradeFrom + rules.warmup, Infinity, 1, Infinity);
  const state = k.takeF64(init, STATE_SIZE);
  const closed: Trade[] = [];

  return {
    get bars() {
      return state[S.BAR];
    },
    trades() {
      return closed.slice();
    },
    push(y: number, x: number, o: PushOptions = {}): PairTick {
      const bar = state[S.BAR];
      for (const [leg, v] of [['y', y], ['x', x]] as const) {
        if (!(Number.isNaN(v) || (v > 0 && v < Infinity))) throw new AstraError('BAD_INPUT', Messages.pairsBadPrice(leg, `bar ${bar + 1}`, v), { bar: bar + 1 });
      }
      state[S.HALT_FROM] = o.halted ? bar : Infinity;
      k.reset();
      const ps = k.putF64(state);
      const pyx = k.allocF64(2);
      const io = k.f64(pyx, 2);
      io[0] = y;
      io[1] = x;
      k.exports.pairRun(ps, pyx, pyx + 8, 0, 1, o.sessionEnd ? LAST_ENDS_SESSION : 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      state.set(k.f64(ps, STATE_SIZE));
      const tick: PairTick = {
        bar,
        beta: state[S.BETA],
        alpha: state[S.ALPHA],
        spread: state[S.OUT_SPREAD],
        variance: state[S.OUT_Q],
        z: state[S.OUT_Z],
        signal: state[S.POS] as -1 | 0 | 1,
        pnl: state[S.OUT_PNL],
        costs: state[S.OUT_COST],
        equity: state[S.EQ],
        equityAfterCosts: state[S.EQ_NET],
        blocked: state[S.OUT_BLOCKED] !== 0,
      };
      if (state[S.OUT_CLOSED] !== 0) {
        const trade = tradeFromRecord(state, S.TRADE);
        closed.push(trade);
        tick.closed = trade;
      }
      return tick;
    },
  };
}
