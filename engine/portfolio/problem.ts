/**
 * From a {@link PortfolioProblem} to the scaled problem the active-set solver works on
 * (docs/conventions.md, "Optimizer"): validation at the boundary, bounds after defaults and sides,
 * the carry and turnover terms as piecewise-linear slopes, and the scaling.
 *
 * Scaling. Daily variances are ~1e-4 and wᵀΣw ~1e-8: a solver with absolute tolerances stops early
 * on such numbers. The objective γ·wᵀΣw + ℓ(w) is divided by γ·s, s = the mean of Σ's diagonal, so
 * the Hessian H = 2Σ/s has a unit-mean diagonal whatever the data's units, and every tolerance is
 * relative to that. Weights are not scaled: they are O(gross) by construction.
 */
import { AstraError, Messages } from '../errors.ts';
import { fundingRates } from '../book/funding.ts';
import { CALENDAR_DAYS_PER_YEAR, DAY_COUNT_BASIS } from '../units.ts';
import type { FixedSide, PortfolioMode, PortfolioProblem } from './types.ts';

/** Risk aversion γ when none is given: maximise μᵀw − 1·wᵀΣw (meanvar); the carry/turnover trade-off of minvar and signed. */
export const DEFAULT_GAMMA = 1;
/** Gross limit when none is given (CLI and app): 2× equity. */
export const DEFAULT_GROSS = 2;
/** Iteration limit: working-set changes, 50 + 20 per asset (a solve takes about one per asset in the solution). */
export const defaultMaxIter = (n: number): number => 50 + 20 * n;
/** Iteration limit of the primal-dual phase before the primal phase takes over (each iteration factors H on the free set). */
export const PDAS_MAX_ITER = 25;
/** Relative tolerance on the multipliers and stationarity (against the scaled gradient's size). */
export const DUAL_TOLERANCE = 1e-10;
/** A KKT residual above this makes the status `inaccurate` (see {@link PortfolioResult.kktResidual}). */
export const KKT_TOLERANCE = 1e-9;
/** A constraint within this of its limit (weight units, × max(1, gross)) is reported as binding. */
export const BINDING_TOLERANCE = 1e-9;
/** Largest asymmetry |Σᵢⱼ − Σⱼᵢ| accepted, relative to the largest variance (rounding in a CSV or JSON round trip). */
export const SYMMETRY_TOLERANCE = 1e-10;
/** The modes, in the order the CLI lists them. */
export const MODES: readonly PortfolioMode[] = ['minvar', 'meanvar', 'signed'];

/** `60%`, `-12.5%`: a weight, band edge or rate as messages write it. */
export function pct(x: number): string {
  return `${+(100 * x).toFixed(4)}%`;
}

/** The net band as messages write it: `0%`, or `-10% to 10%`. */
export function bandText(lo: number, hi: number): string {
  return lo === hi ? pct(lo) : `${pct(lo)} to ${pct(hi)}`;
}

/** The scaled problem and everything needed to read its answer back. */
export interface QpSetup {
  n: number;
  tickers: string[];
  mode: PortfolioMode;
  /** n×n annual covariance as used (exactly symmetric; the caller's array when it already was). */
  cov: Float64Array;
  /** n annual expected returns in the objective (zeros unless meanvar). */
  mu: Float64Array;
  /** n annual expected returns as given (zeros when none): what `expectedReturn` reports in every mode. */
  muReport: Float64Array;
  gamma: number;
  /** s, the mean of Σ's diagonal: the objective is divided by γ·s, and the solver works on H = 2Σ/s. */
  scale: number;
  /** q = −μ/(γ·s). */
  q: Float64Array;
  /** Box of each weight after defaults (±gross) and sides. */
  lower: Float64Array;
  upper: Float64Array;
  /** 1 where the user gave that bound (binding names report only those). */
  userLower: Uint8Array;
  userUpper: Uint8Array;
  /** signed: +1 long, −1 short, 0 flat; other modes 0. */
  side: Int8Array;
  /** Annual cost per unit of long weight, and per unit of short weight (negative = income): the −carry slopes, unscaled. */
  costLong: Float64Array;
  costShort: Float64Array;
  /** Whether the carry term is on. */
  carry: boolean;
  /** Turnover cost per unit of traded weight (bps / 10⁴), and the current weights. */
  tau: number;
  current: Float64Array;
  netLo: number;
  netHi: number;
  gross: number;
  grossEq: boolean;
  /** Solver arrays: 4n breakpoints, their counts, 3n scaled segment slopes and gross signs. */
  bp: Float64Array;
  nbp: Int32Array;
  slope: Float64Array;
  sgn: Float64Array;
  maxIter: number;
  /** Sentences for the result (flat assets in signed…). */
  warnings: string[];
}

function finite(what: string, value: number, rule = 'a finite number'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new AstraError('BAD_INPUT', Messages.badValue(what, value, rule));
  return value;
}

function nonNegative(what: string, value: number): number {
  finite(what, value, 'a finite number ≥ 0');
  if (value < 0) throw new AstraError('BAD_INPUT', Messages.badValue(what, value, 'a finite number ≥ 0'));
  return value;
}

function indexOfTickers(tickers: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  tickers.forEach((t, i) => {
    if (index.has(t)) throw new AstraError('BAD_INPUT', Messages.duplicateTicker('the universe', t), { ticker: t });
    index.set(t, i);
  });
  return index;
}

function lookup(index: Map<string, number>, tickers: readonly string[], what: string, ticker: string): number {
  const i = index.get(ticker);
  if (i === undefined) throw new AstraError('UNKNOWN_TICKER', Messages.unknownConstraintTicker(what, ticker, tickers), { ticker });
  return i;
}

/**
 * Σ checked (square, finite, symmetric to {@link SYMMETRY_TOLERANCE}, non-negative variances, not
 * all zero), as an exactly symmetric Float64Array: the input itself when it already is one (no
 * copy — the caller must not change it while the result is in use), else a symmetrised copy.
 */
function checkCovariance(tickers: readonly string[], input: ArrayLike<number>): Float64Array {
  const n = tickers.length;
  if (input.length !== n * n) throw new AstraError('BAD_SIZE', Messages.notSquare(input.length, n));
  const cov = input instanceof Float64Array ? input : Float64Array.from(input);
  let maxVar = 0;
  for (let i = 0; i < n; i++) {
    const d = cov[i * n + i];
    if (d < 0) throw new AstraError('BAD_INPUT', Messages.negativeVariance(tickers[i], d), { ticker: tickers[i] });
    if (d > maxVar) maxVar = d;
  }
  let exact = true;
  let finite = Number.isFinite(maxVar);
  const tol = SYMMETRY_TOLERANCE * maxVar;
  for (let i = 0; i < n && finite; i++) {
    for (let j = 0; j < i; j++) {
      const a = cov[i * n + j];
      const b = cov[j * n + i];
      if (a !== b) {
        exact = false;
        // NaN fails both tests below; the scan for the culprit follows.
        if (!(Math.abs(a - b) <= tol)) {
          if (a - a !== 0 || b - b !== 0) finite = false;
          else throw new AstraError('BAD_INPUT', Messages.covarianceAsymmetric(tickers[i], tickers[j], a, b), { row: i + 1, column: j + 1 });
        }
      } else if (a - a !== 0) finite = false;
    }
  }
  if (!finite) {
    for (let i = 0; i < n * n; i++) {
      if (!Number.isFinite(cov[i])) {
        const r = Math.floor(i / n);
        throw new AstraError('NON_FINITE', Messages.nonFiniteMatrix(r, i % n, 'annual covariance'), { row: r + 1, column: (i % n) + 1 });
      }
    }
  }
  if (maxVar === 0) throw new AstraError('NOT_POSITIVE_DEFINITE', Messages.zeroCovariance('the annual covariance'));
  if (exact) return cov;
  const out = cov === input ? cov.slice() : cov;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

/**
 * Validate `problem` and build its scaled form.
 * @param checkedCov `problem.covAnnual` as a previous setup returned it (`setup.cov`): skips its checks.
 * @throws AstraError `BAD_INPUT` (a non-finite or out-of-range number, crossed bounds, signed
 *   without sides), `UNKNOWN_TICKER` (bounds, sides, views or current weights naming a ticker
 *   outside the universe), `BAD_SIZE`, `NON_FINITE` (Σ or μ), `NOT_POSITIVE_DEFINITE` (Σ all zero).
 */
export function buildSetup(problem: PortfolioProblem, checkedCov?: Float64Array): QpSetup {
  const tickers = [...problem.tickers];
  const n = tickers.length;
  if (n === 0) throw new AstraError('BAD_INPUT', Messages.noTickers());
  const index = indexOfTickers(tickers);
  const mode = problem.mode;
  if (!MODES.includes(mode)) throw new AstraError('BAD_INPUT', Messages.badValue('mode', JSON.stringify(String(mode)), MODES.join(', ')));
  // A covariance this module already checked (a frontier's points share one) is not checked again.
  const cov = checkedCov ?? checkCovariance(tickers, problem.covAnnual);
  const gross = nonNegative('gross limit', problem.gross);
  const net = finite('net target', problem.net);
  const netTol = nonNegative('net tolerance', problem.netTol ?? 0);
  const gamma = finite('gamma', problem.gamma ?? DEFAULT_GAMMA, 'a positive finite number');
  if (!(gamma > 0)) throw new AstraError('BAD_INPUT', Messages.badValue('gamma', gamma, 'a positive finite number'));
  const tau = nonNegative('turnover cost (bps)', problem.turnoverBps ?? 0) / 10_000;
  const maxIter = problem.maxIter ?? defaultMaxIter(n);
  if (!Number.isSafeInteger(maxIter) || maxIter < 1) throw new AstraError('BAD_INPUT', Messages.badValue('iteration limit', maxIter, 'a positive integer'));

  const muReport = new Float64Array(n);
  if (problem.expectedReturn) {
    if (problem.expectedReturn.length !== n) throw new AstraError('BAD_SIZE', Messages.badSize('expected returns', problem.expectedReturn.length, `${n} values, one per ticker`));
    for (let i = 0; i < n; i++) muReport[i] = finite(`expected return of ${tickers[i]}`, problem.expectedReturn[i]);
  }
  const mu = mode === 'meanvar' ? muReport : new Float64Array(n);

  const current = new Float64Array(n);
  for (const [t, v] of Object.entries(problem.current ?? {})) current[lookup(index, tickers, 'the current weights', t)] = finite(`current weight of ${t}`, v);

  // Boxes: the user's bounds, unbounded sides capped at ±gross (which the gross limit implies).
  const lower = new Float64Array(n).fill(-gross);
  const upper = new Float64Array(n).fill(gross);
  const userLower = new Uint8Array(n);
  const userUpper = new Uint8Array(n);
  for (const [t, b] of Object.entries(problem.bounds ?? {})) {
    const i = lookup(index, tickers, 'the bounds', t);
    if (b.lower !== undefined && b.lower !== -Infinity) {
      lower[i] = finite(`lower bound of ${t}`, b.lower);
      userLower[i] = 1;
    }
    if (b.upper !== undefined && b.upper !== Infinity) {
      upper[i] = finite(`upper bound of ${t}`, b.upper);
      userUpper[i] = 1;
    }
    if (userLower[i] && userUpper[i] && lower[i] > upper[i]) throw new AstraError('BAD_INPUT', Messages.boundsCrossed(t, pct(lower[i]), pct(upper[i])), { ticker: t });
    // A one-sided bound beyond ±gross: keep the box non-empty, the feasibility check names it.
    if (!userUpper[i]) upper[i] = Math.max(upper[i], lower[i]);
    if (!userLower[i]) lower[i] = Math.min(lower[i], upper[i]);
  }

  const side = new Int8Array(n);
  const warnings: string[] = [];
  if (mode === 'signed') {
    const sides = problem.sides;
    if (!sides || Object.keys(sides).length === 0) throw new AstraError('BAD_INPUT', Messages.signedNeedsSides());
    for (const [t, s] of Object.entries(sides) as [string, FixedSide][]) {
      const i = lookup(index, tickers, 'the sides', t);
      if (s !== 'long' && s !== 'short' && s !== 'flat') throw new AstraError('BAD_INPUT', Messages.badValue(`side of ${t}`, JSON.stringify(String(s)), 'long, short or flat'));
      side[i] = s === 'long' ? 1 : s === 'short' ? -1 : 0;
    }
    // Assets the sides do not name are held flat and said so; an asset named `flat` is the user's choice.
    const unnamed: string[] = [];
    for (let i = 0; i < n; i++) {
      if (side[i] > 0) {
        lower[i] = Math.max(lower[i], 0);
        upper[i] = Math.max(upper[i], lower[i]);
      } else if (side[i] < 0) {
        upper[i] = Math.min(upper[i], 0);
        lower[i] = Math.min(lower[i], upper[i]);
      } else {
        lower[i] = 0;
        upper[i] = 0;
        if (!Object.hasOwn(sides, tickers[i])) unnamed.push(tickers[i]);
      }
    }
    if (unnamed.length > 0 && unnamed.length < n) warnings.push(Messages.signedFlatAssets(unnamed));
  }

  // −carry slopes: a long costs its financing rate, a short's rebate is income (a negative cost).
  const costLong = new Float64Array(n);
  const costShort = new Float64Array(n);
  const carry = problem.carry !== undefined;
  if (problem.carry) {
    const rates = fundingRates(problem.carry);
    const accrual = CALENDAR_DAYS_PER_YEAR / DAY_COUNT_BASIS;
    for (let i = 0; i < n; i++) {
      costLong[i] = rates.longRate * accrual;
      costShort[i] = rates.shortRate(tickers[i]) * accrual;
    }
  }

  let scale = 0;
  for (let i = 0; i < n; i++) scale += cov[i * n + i];
  scale /= n;
  const lin = 1 / (gamma * scale);
  const q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = -mu[i] * lin;

  const bp = new Float64Array(4 * n);
  const nbp = new Int32Array(n);
  const slope = new Float64Array(3 * n);
  const sgn = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const a = lower[i];
    const b = upper[i];
    const w0 = current[i];
    // Breakpoints in order: a, then 0 and the current weight (each only strictly inside), then b.
    let m = 0;
    bp[4 * i + m++] = a;
    const zeroInside = a < 0 && b > 0;
    const w0Inside = tau > 0 && w0 > a && w0 < b && w0 !== 0;
    if (zeroInside && w0Inside && w0 < 0) bp[4 * i + m++] = w0;
    if (zeroInside) bp[4 * i + m++] = 0;
    if (w0Inside && !(zeroInside && w0 < 0)) bp[4 * i + m++] = w0;
    if (b > a) bp[4 * i + m++] = b;
    nbp[i] = m;
    for (let k = 0; k + 1 < m; k++) {
      const mid = 0.5 * (bp[4 * i + k] + bp[4 * i + k + 1]);
      let sl = mid > 0 ? costLong[i] : costShort[i];
      if (tau > 0) sl += mid > w0 ? tau : -tau;
      slope[3 * i + k] = sl * lin;
      sgn[3 * i + k] = mid > 0 ? 1 : -1;
    }
  }

  return {
    n,
    tickers,
    mode,
    cov,
    mu,
    muReport,
    gamma,
    scale,
    q,
    lower,
    upper,
    userLower,
    userUpper,
    side,
    costLong,
    costShort,
    carry,
    tau,
    current,
    netLo: net - netTol,
    netHi: net + netTol,
    gross,
    grossEq: mode === 'signed',
    bp,
    nbp,
    slope,
    sgn,
    maxIter,
    warnings,
  };
}

/** −carry(w) + turnover(w): the piecewise-linear part of the objective, unscaled (annual fraction of equity). */
export function linearCosts(s: QpSetup, w: ArrayLike<number>): { carry: number; turnover: number } {
  let cost = 0;
  let turnover = 0;
  for (let i = 0; i < s.n; i++) {
    const v = w[i];
    cost += v > 0 ? s.costLong[i] * v : s.costShort[i] * v;
    turnover += Math.abs(v - s.current[i]);
  }
  return { carry: -cost, turnover: s.tau * turnover };
}
