/**
 * The two-state Kalman filter of y on x (docs/conventions.md, "Kalman pair filter"), run by the
 * wasm kernel `kalmanFilter`, and the input checks every pairs function shares.
 */
import { AstraError, Messages, mention } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { checkCount } from '../kernels.ts';
import { checkLayout, LAST_ENDS_DATA, S, STATE_SIZE } from './layout.ts';
import type { KalmanFilterResult, KalmanParams } from './types.ts';

/** How messages name δ and Vₑ: the engine's field names, or the CLI's options. */
export interface ParamNames {
  delta: string;
  ve: string;
}

const FIELD_NAMES: ParamNames = { delta: 'delta', ve: 've' };

/**
 * Throws `BAD_INPUT` unless 0 < δ < 1 and Vₑ > 0, both finite. A δ so small that δ/(1−δ)
 * underflows to 0 is refused too (the state would never move).
 */
export function checkParams(p: KalmanParams, names: ParamNames = FIELD_NAMES): void {
  const { delta, ve } = p;
  if (typeof delta !== 'number' || !Number.isFinite(delta) || delta <= 0 || delta >= 1 || delta / (1 - delta) === 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue(names.delta, delta, 'a number with 0 < δ < 1'), { option: names.delta });
  }
  if (typeof ve !== 'number' || !Number.isFinite(ve) || ve <= 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue(names.ve, ve, 'a positive number (the observation noise variance, price units squared)'), { option: names.ve });
  }
}

/**
 * Throws `BAD_INPUT` unless y and x have the same length and every close is positive and finite
 * or NaN (missing). `tickers` and `timestamps` only improve the message.
 */
export function checkLegs(
  y: ArrayLike<number>, x: ArrayLike<number>, tickers: readonly [string, string] = ['y', 'x'], timestamps?: readonly string[],
): void {
  checkLegLengths(y, x);
  const bad = (leg: ArrayLike<number>) => {
    for (let t = 0; t < leg.length; t++) {
      const v = leg[t];
      // NaN (missing) or a positive finite close: NaN fails both comparisons, so test it apart.
      if (!(v > 0 && v < Infinity) && v === v) return t;
    }
    return -1;
  };
  for (let j = 0; j < 2; j++) {
    const t = bad(j === 0 ? y : x);
    if (t < 0) continue;
    const v = (j === 0 ? y : x)[t];
    const where = timestamps?.[t] !== undefined ? `${mention(timestamps[t])} (bar ${t + 1})` : `bar ${t + 1}`;
    throw new AstraError('BAD_INPUT', Messages.pairsBadPrice(tickers[j], where, v), { ticker: tickers[j], bar: t + 1 });
  }
}

function checkLegLengths(y: ArrayLike<number>, x: ArrayLike<number>): void {
  if (y.length !== x.length) throw new AstraError('BAD_INPUT', Messages.pairsLengths(y.length, x.length));
  checkCount('bars', y.length);
}

/** Where {@link placeLegs} put a pair's closes in kernel memory (f64 addresses). */
export interface PlacedLegs {
  py: number;
  px: number;
}

/**
 * {@link checkLegs} for legs the kernels are about to read: resets kernel memory, places y and x at
 * its start and checks the closes there (`pairPricesValid`, a wasm pass several times cheaper than
 * the scan in JS; only when it finds a bad close does `checkLegs` run, to name it). The addresses
 * stay valid until the next `k.reset()`; allocate after them.
 * @throws AstraError as {@link checkLegs}, with the same messages in the same order.
 */
export function placeLegs(
  k: Kernels, y: Float64Array, x: Float64Array, tickers: readonly [string, string] = ['y', 'x'], timestamps?: readonly string[],
): PlacedLegs {
  checkLegLengths(y, x);
  k.reset();
  const py = k.putF64(y);
  const px = k.putF64(x);
  if (k.exports.pairPricesValid(py, px, y.length) !== 1) checkLegs(y, x, tickers, timestamps);
  return { py, px };
}

/**
 * Run the filter over every bar from θ₀ = 0, P₀ = 0.
 * @param y closes of the dependent leg (money), NaN = missing.
 * @param x closes of the hedge leg, same length.
 * @returns β, α, e, Q, z per bar (e, Q, z NaN where either leg is missing; β, α the prediction
 *   there), the log-likelihood over every observed bar and their count.
 * @throws AstraError `BAD_INPUT` for bad δ, Vₑ, lengths or prices.
 */
export function kalmanFilter(k: Kernels, y: Float64Array, x: Float64Array, params: KalmanParams): KalmanFilterResult {
  checkParams(params);
  checkLegs(y, x);
  checkLayout(k);
  const n = y.length;
  k.reset();
  const py = k.putF64(y);
  const px = k.putF64(x);
  const state = k.allocF64(STATE_SIZE);
  const out = k.allocF64(8 * n);
  const at = (i: number) => out + i * n * 8;
  // The backtest kernel with an entry band no z can cross: the same recursion, no trading.
  k.exports.pairInit(state, params.delta, params.ve, Infinity, 0, 0, Infinity, Infinity, 0, 0);
  k.check(
    k.exports.pairRun(state, py, px, 0, n, LAST_ENDS_DATA, 1, at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7), 0, 0),
    'Kalman filter',
  );
  const s = k.f64(state, STATE_SIZE);
  const logLik = -0.5 * (s[S.LL] + s[S.OBS] * Math.log(2 * Math.PI));
  const observations = s[S.OBS];
  return {
    beta: k.takeF64(at(0), n),
    alpha: k.takeF64(at(1), n),
    spread: k.takeF64(at(2), n),
    variance: k.takeF64(at(3), n),
    z: k.takeF64(at(4), n),
    logLik,
    observations,
  };
}
