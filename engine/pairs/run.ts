/**
 * One call for a pair of a bar table: pick the legs, calibrate δ and Vₑ on the first bars (or take
 * them as set), then filter and backtest every bar from bar 0 with trading after the calibration
 * window and the warm-up. What `astra pairs`, the Alpha module and the pair scan call.
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import type { BarTable } from '../types.ts';
import { pairBacktestPlaced } from './backtest.ts';
import type { RuleNames } from './backtest.ts';
import { calibrateCheckedLegs, DEFAULT_CALIBRATION_BARS } from './calibrate.ts';
import { placeLegs } from './filter.ts';
import { sessionIds } from './sessions.ts';
import type { PairRun, PairRunOptions } from './types.ts';

/** How messages name the options: engine field names, or the CLI's. */
export interface PairRunNames extends RuleNames {
  y: string;
  x: string;
  calibrate: string;
}

const FIELD_NAMES: PairRunNames = {
  y: 'y', x: 'x', calibrate: 'calibrate', delta: 'delta', ve: 've', entry: 'entry', exit: 'exit', costBps: 'costBps', warmup: 'warmup', tradeFrom: 'calibrate',
};

/**
 * The default calibration window for `bars` bars: one session (390 one-minute bars), or the
 * first half of the data when it holds fewer than two sessions.
 */
export function defaultCalibrationBars(bars: number): number {
  return Math.min(DEFAULT_CALIBRATION_BARS, Math.floor(bars / 2));
}

/** The column of `ticker` in `bars`; throws `UNKNOWN_TICKER` naming the option and the columns. */
function column(bars: BarTable, ticker: string, option: string): Float64Array {
  const j = bars.tickers.indexOf(ticker);
  if (j < 0) throw new AstraError('UNKNOWN_TICKER', Messages.pairsUnknownTicker(option, ticker, bars.tickers), { option, ticker });
  return bars.closes[j];
}

/**
 * Run the pair `options.y` on `options.x` over `bars`.
 * - δ and Vₑ: each one not given is fitted by maximum likelihood on bars [0, calibrate) (both given:
 *   nothing is fitted and `fitted.method` is `manual`, its logLik that of the window).
 * - `calibrate` (bars, default {@link defaultCalibrationBars}) is also where trading may start:
 *   the first signal is at bar calibrate + warmup. `calibrate: 0` needs both δ and Vₑ, and then
 *   the log-likelihood is reported over every bar.
 * @throws AstraError `UNKNOWN_TICKER`, `BAD_INPUT` (same ticker twice, bad parameters or rules),
 *   `INSUFFICIENT_DATA` (too few bars for the window and the warm-up).
 */
export function runPair(k: Kernels, bars: BarTable, options: PairRunOptions, names: PairRunNames = FIELD_NAMES): PairRun {
  const y = column(bars, options.y, names.y);
  const x = column(bars, options.x, names.x);
  if (options.y === options.x) throw new AstraError('BAD_INPUT', Messages.pairsSameTicker(options.y), { option: names.x, ticker: options.x });
  // Checked and placed in kernel memory once, for the calibration and the backtest.
  const placed = placeLegs(k, y, x, [options.y, options.x], bars.timestamps);
  const n = y.length;
  const calibrate = options.calibrate ?? defaultCalibrationBars(n);
  if (!Number.isSafeInteger(calibrate) || calibrate < 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue(names.calibrate, calibrate, 'a whole number of bars ≥ 0'), { option: names.calibrate });
  }
  const bothSet = options.delta !== undefined && options.ve !== undefined;
  if (calibrate === 0 && !bothSet) {
    throw new AstraError('BAD_INPUT', Messages.badValue(names.calibrate, 0, `at least 1 when δ or Vₑ is to be fitted (set both ${names.delta} and ${names.ve} to trade from the first bar)`), { option: names.calibrate });
  }
  if (calibrate >= n) {
    throw new AstraError('INSUFFICIENT_DATA', Messages.pairsTooFewBars(n, calibrate, `${names.calibrate} ${calibrate} leaves no bar to trade`), { option: names.calibrate });
  }
  const fixed = { ...(options.delta !== undefined ? { delta: options.delta } : {}), ...(options.ve !== undefined ? { ve: options.ve } : {}) };
  const fitted = calibrateCheckedLegs(k, y, x, placed, {
    window: calibrate === 0 ? n : calibrate,
    fixed,
    ...(calibrate === 0 ? { burnIn: 0 } : {}),
    ...(options.maxEvaluations !== undefined ? { maxEvaluations: options.maxEvaluations } : {}),
  }, names);
  const report = pairBacktestPlaced(
    k,
    {
      y, x, sessions: sessionIds(bars.timestamps), timestamps: bars.timestamps, delta: fitted.delta, ve: fitted.ve, tradeFrom: calibrate,
      entry: options.entry, exit: options.exit, costBps: options.costBps, warmup: options.warmup,
      flatAtSessionEnd: options.flatAtSessionEnd, halted: options.halted, haltedFrom: options.haltedFrom, series: options.series,
    },
    placed,
    names,
  );
  return { y: options.y, x: options.x, fitted, report, timestamps: bars.timestamps };
}
