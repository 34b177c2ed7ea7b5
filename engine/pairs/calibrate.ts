/**
 * Maximum-likelihood calibration of the filter's δ and Vₑ on a window of bars before the traded
 * period (docs/conventions.md, "Kalman pair filter"). The likelihood is the prediction-error
 * decomposition of the filter run afresh (θ = 0, P = 0) from the window's first bar:
 *   ln L = −½ Σₜ (ln 2πQₜ + eₜ²/Qₜ)
 * over the window's bars after a burn-in that have both closes. The burn-in keeps the first
 * innovations — whole prices, since the filter starts from β = α = 0 with no uncertainty — out of
 * the sum, where they would buy a large δ that only serves the start.
 *
 * The search is Nelder–Mead over u = (ln q, ln Vₑ), q = δ/(1−δ) (so δ stays in (0, 1)), from a
 * start scaled to the window's data, inside a box of the same scale (outside it a quadratic
 * penalty): Vₑ in [10⁻⁶, 10⁴]·v and q·x̄² in [10⁻¹⁰, 10²]·v, v the variance of y's one-bar changes
 * and x̄ the mean of x. A fit at the edge of the box is reported in `atBound`. Each evaluation is one
 * wasm pass over the window (`kalmanLogLik`, ~20 ns a bar), so the cost is evaluations × window.
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { BARS_PER_SESSION } from '../units.ts';
import { checkLegs, checkParams } from './filter.ts';
import type { ParamNames, PlacedLegs } from './filter.ts';
import { nelderMead } from './neldermead.ts';
import type { Calibration, CalibrationOptions, KalmanParams } from './types.ts';

/** Default calibration window: one regular session of one-minute bars. */
export const DEFAULT_CALIBRATION_BARS = BARS_PER_SESSION;
/** Default burn-in at the window's start, bars. */
export const DEFAULT_BURN_IN = 30;
/** Default budget of likelihood evaluations (a full search usually converges well within it). */
export const DEFAULT_MAX_EVALUATIONS = 120;
/** Fewest bars that must enter the likelihood. */
export const MIN_CALIBRATION_OBSERVATIONS = 10;
/**
 * A cheap calibration for scans over many pairs: one session's window (the last one before the
 * traded part is a good choice: `from` = its first bar) and 40 evaluations. On the demo pair it
 * lands within a few log-likelihood units of the full search (see calibrate.test.ts).
 */
export const CHEAP_CALIBRATION: Readonly<Pick<CalibrationOptions, 'window' | 'maxEvaluations' | 'burnIn'>> = {
  window: BARS_PER_SESSION,
  maxEvaluations: 40,
  burnIn: DEFAULT_BURN_IN,
};

const STEP = 1.5; // initial simplex step in log space (×4.5)
const X_TOLERANCE = 1e-3;
const F_TOLERANCE = 1e-9;
/** Box in units of the data scale (see the file comment). */
const VE_BOX = [1e-6, 1e4] as const;
const Q_BOX = [1e-10, 1e2] as const;
const PENALTY = 1e3;

/** Scale of the window's data: the variance v of y's one-bar changes and the mean x̄ of x. */
function dataScale(y: Float64Array, x: Float64Array, from: number, to: number): { v: number; xMean: number } {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let xs = 0;
  let nx = 0;
  for (let t = from; t < to; t++) {
    if (!Number.isNaN(x[t])) {
      xs += x[t];
      nx++;
    }
    if (t > from && !Number.isNaN(y[t]) && !Number.isNaN(y[t - 1])) {
      const d = y[t] - y[t - 1];
      n++;
      const delta = d - mean;
      mean += delta / n;
      m2 += delta * (d - mean);
    }
  }
  const xMean = nx > 0 ? xs / nx : 1;
  let v = n > 1 ? m2 / (n - 1) : 0;
  // Constant prices give no scale: fall back to a tiny fraction of the price level.
  if (!(v > 0)) v = Math.max(1e-12, 1e-8 * xMean * xMean);
  return { v, xMean };
}

/** How messages name δ, Vₑ and the window: engine field names, or the CLI's options. */
export interface CalibrationNames extends ParamNames {
  calibrate: string;
}

const FIELD_NAMES: CalibrationNames = { delta: 'delta', ve: 've', calibrate: 'calibration window' };

/** The options with their defaults, checked against the data's length. */
function resolve(n: number, window: number | CalibrationOptions, names: CalibrationNames) {
  const o: CalibrationOptions = typeof window === 'number' ? { window } : window;
  const from = o.from ?? 0;
  const length = o.window ?? DEFAULT_CALIBRATION_BARS;
  const burnIn = o.burnIn ?? Math.min(DEFAULT_BURN_IN, Math.floor(length / 4));
  const maxEvaluations = o.maxEvaluations ?? DEFAULT_MAX_EVALUATIONS;
  const whole = (name: string, v: number, min: number) => {
    if (!Number.isSafeInteger(v) || v < min) throw new AstraError('BAD_INPUT', Messages.badValue(name, v, `a whole number ≥ ${min}`), { option: name });
  };
  whole('calibration from', from, 0);
  whole(names.calibrate, length, 1);
  whole('burn-in', burnIn, 0);
  whole('maxEvaluations', maxEvaluations, 1);
  if (from + length > n) {
    throw new AstraError('INSUFFICIENT_DATA', Messages.pairsTooFewBars(n, from + length - 1, `${names.calibrate}: a window of ${length} bars from bar ${from + 1}`), { option: names.calibrate });
  }
  if (burnIn >= length) throw new AstraError('BAD_INPUT', Messages.badValue('burn-in', burnIn, `below the window's ${length} bars`));
  return { from, to: from + length, burnIn, maxEvaluations, fixed: o.fixed ?? {}, start: o.start ?? {}, tolerance: o.tolerance ?? F_TOLERANCE };
}

/**
 * The log-likelihood of (δ, Vₑ) on bars [from, to) with the first `burnIn` left out, and how many
 * bars entered it. One wasm pass; the data must already be placed at `py`, `px`.
 */
function logLikAt(k: Kernels, py: number, px: number, result: number, from: number, to: number, burnIn: number, p: KalmanParams) {
  k.check(k.exports.kalmanLogLik(py, px, from, to, p.delta, p.ve, burnIn, result), 'calibration window');
  const r = k.f64(result, 2);
  return { logLik: r[0], observations: r[1] };
}

/**
 * Fit δ and Vₑ by maximum likelihood on a window before the traded period.
 * @param y closes of the dependent leg, NaN = missing; the whole series (only the window is read).
 * @param x closes of the hedge leg, same length.
 * @param window the window's length in bars from bar 0, or {@link CalibrationOptions}.
 * @returns the fitted δ, Vₑ, the log-likelihood there, the evaluations spent, the window and
 *   `atBound` naming a parameter whose fit sits at the edge of the search box. With both δ and Vₑ
 *   in `fixed`, nothing is searched: `method: 'manual'` and the log-likelihood at those values.
 * @throws AstraError `INSUFFICIENT_DATA` when the window does not fit in the data or has fewer than
 *   10 usable bars; `BAD_INPUT` for bad options or prices.
 */
export function calibrateKalman(
  k: Kernels, y: Float64Array, x: Float64Array, window: number | CalibrationOptions = {}, names: CalibrationNames = FIELD_NAMES,
): Calibration {
  checkLegs(y, x);
  return calibrateCheckedLegs(k, y, x, undefined, window, names);
}

/**
 * {@link calibrateKalman} for legs already checked: by `placeLegs`, whose copy in kernel memory
 * (`placed`, the whole series) the likelihood passes then read, or by `checkLegs` (`placed`
 * undefined: the window is placed here). For `runPair`, which checks and places the legs once.
 */
export function calibrateCheckedLegs(
  k: Kernels, y: Float64Array, x: Float64Array, placed: PlacedLegs | undefined, window: number | CalibrationOptions = {},
  names: CalibrationNames = FIELD_NAMES,
): Calibration {
  const o = resolve(y.length, window, names);
  const fixedDelta = o.fixed.delta;
  const fixedVe = o.fixed.ve;
  if (fixedDelta !== undefined) checkParams({ delta: fixedDelta, ve: 1 }, names);
  if (fixedVe !== undefined) checkParams({ delta: 0.5, ve: fixedVe }, names);
  if (!placed) k.reset();
  const py = placed ? placed.py : k.putF64(y.subarray(0, o.to));
  const px = placed ? placed.px : k.putF64(x.subarray(0, o.to));
  const result = k.allocF64(2);
  const { v, xMean } = dataScale(y, x, o.from, o.to);
  const window_ = { from: o.from, to: o.to };

  if (fixedDelta !== undefined && fixedVe !== undefined) {
    const p = { delta: fixedDelta, ve: fixedVe };
    // Nothing is fitted, so any number of usable bars will do (none gives a log-likelihood of 0).
    const r = logLikAt(k, py, px, result, o.from, o.to, o.burnIn, p);
    return { ...p, ...r, evaluations: 1, converged: true, window: window_, burnIn: o.burnIn, method: 'manual', atBound: [] };
  }

  const x2 = xMean * xMean;
  const lnQBox = [Math.log((Q_BOX[0] * v) / x2), Math.min(0, Math.log((Q_BOX[1] * v) / x2))];
  const lnVeBox = [Math.log(VE_BOX[0] * v), Math.log(VE_BOX[1] * v)];
  const qOf = (d: number) => d / (1 - d);
  // Start: the noise a tenth of a bar's price variance, the state walk moving the fit by as much.
  const startLnQ = fixedDelta !== undefined ? Math.log(qOf(fixedDelta)) : (o.start.delta !== undefined ? Math.log(qOf(o.start.delta)) : Math.log((0.1 * v) / x2));
  const startLnVe = fixedVe !== undefined ? Math.log(fixedVe) : (o.start.ve !== undefined ? Math.log(o.start.ve) : Math.log(0.1 * v));
  const free: ('q' | 've')[] = [];
  if (fixedDelta === undefined) free.push('q');
  if (fixedVe === undefined) free.push('ve');
  const paramsOf = (u: readonly number[]): { p: KalmanParams; outside: number } => {
    let lnQ = startLnQ;
    let lnVe = startLnVe;
    let outside = 0;
    free.forEach((name, i) => {
      const box = name === 'q' ? lnQBox : lnVeBox;
      const c = Math.min(box[1], Math.max(box[0], u[i]));
      outside += (u[i] - c) ** 2;
      if (name === 'q') lnQ = c;
      else lnVe = c;
    });
    const q = Math.exp(lnQ);
    return { p: { delta: fixedDelta ?? q / (1 + q), ve: fixedVe ?? Math.exp(lnVe) }, outside };
  };
  let observations = 0;
  const objective = (u: readonly number[]) => {
    const { p, outside } = paramsOf(u);
    const r = logLikAt(k, py, px, result, o.from, o.to, o.burnIn, p);
    observations = r.observations;
    return -r.logLik + PENALTY * outside;
  };
  const start = free.map((name) => {
    const box = name === 'q' ? lnQBox : lnVeBox;
    return Math.min(box[1], Math.max(box[0], name === 'q' ? startLnQ : startLnVe));
  });
  const nm = nelderMead(objective, start, { step: STEP, maxEvaluations: o.maxEvaluations, fTolerance: o.tolerance, xTolerance: X_TOLERANCE });
  checkObservations(observations, o.from, o.to, names.calibrate);
  const { p } = paramsOf(nm.x);
  if (!Number.isFinite(nm.f)) throw new AstraError('NO_CONVERGENCE', Messages.pairsNoFit(o.from, o.to));
  // The reported log-likelihood is recomputed at the reported (clamped) parameters.
  const final = logLikAt(k, py, px, result, o.from, o.to, o.burnIn, p);
  const atBound: ('delta' | 've')[] = [];
  free.forEach((name, i) => {
    const box = name === 'q' ? lnQBox : lnVeBox;
    if (nm.x[i] <= box[0] + 1e-2 || nm.x[i] >= box[1] - 1e-2) atBound.push(name === 'q' ? 'delta' : 've');
  });
  return {
    ...p,
    logLik: final.logLik,
    observations: final.observations,
    evaluations: nm.evaluations + 1,
    converged: nm.converged,
    window: window_,
    burnIn: o.burnIn,
    method: 'mle',
    atBound,
  };
}

function checkObservations(found: number, from: number, to: number, what: string): void {
  if (found < MIN_CALIBRATION_OBSERVATIONS) throw new AstraError('INSUFFICIENT_DATA', Messages.pairsTooFewObservations(what, found, from, to), { option: what });
}
