/**
 * Feasibility before solving: the constraints are per-asset boxes, a net band and the gross limit,
 * so whether they can all be met is decided exactly in O(n), and when they cannot, the sentence
 * says which ones clash (docs/conventions.md, "Optimizer"). When they can, {@link startPoint}
 * builds a feasible point for the active-set method from the same reasoning.
 *
 * minvar/meanvar: the least gross any weights can have is G₀ = Σ dist(0, [aᵢ, bᵢ]), at zᵢ = the
 * point of each box nearest 0. Raising net from N₀ = Σzᵢ costs gross one for one, so net reaches
 * [N₀ − min(L − G₀, Σ(zᵢ − aᵢ)), N₀ + min(L − G₀, Σ(bᵢ − zᵢ))].
 * signed: longs add up to P ∈ [P_min, P_max], shorts to S ∈ [S_min, S_max], P + S = L and
 * net = P − S.
 */
import { AstraError, Messages } from '../errors.ts';
import { bandText, buildSetup, pct, type QpSetup } from './problem.ts';
import type { PortfolioProblem } from './types.ts';

/** Slack on the comparisons (weight units): constraints met to rounding count as met. */
const FEAS_TOL = 1e-12;

/** The least-gross point z of the boxes, its gross G₀ and net N₀, and the room to raise (up) and lower (down) net from it. */
export interface Reach {
  z: Float64Array;
  g0: number;
  n0: number;
  up: number;
  down: number;
}

export function reach(s: QpSetup): Reach {
  const z = new Float64Array(s.n);
  let g0 = 0;
  let n0 = 0;
  let up = 0;
  let down = 0;
  for (let i = 0; i < s.n; i++) {
    const v = Math.min(Math.max(0, s.lower[i]), s.upper[i]);
    z[i] = v;
    g0 += Math.abs(v);
    n0 += v;
    up += s.upper[i] - v;
    down += v - s.lower[i];
  }
  return { z, g0, n0, up, down };
}

function signedSums(s: QpSetup) {
  let pMin = 0;
  let pMax = 0;
  let sMin = 0;
  let sMax = 0;
  let sided = 0;
  for (let i = 0; i < s.n; i++) {
    if (s.side[i] > 0) {
      pMin += s.lower[i];
      pMax += s.upper[i];
      sided++;
    } else if (s.side[i] < 0) {
      sMin -= s.upper[i];
      sMax -= s.lower[i];
      sided++;
    }
  }
  return { pMin, pMax, sMin, sMax, sided };
}

/** Tickers whose user bound on one side limits the reach of net. */
function bounded(s: QpSetup, which: 'upper' | 'lower'): string[] {
  const flags = which === 'upper' ? s.userUpper : s.userLower;
  return s.tickers.filter((_, i) => flags[i] === 1);
}

/**
 * Sided tickers whose user bound limits their size in `signed`: `cap` — a long's upper or a short's
 * lower bound (the gross cannot reach the limit); `floor` — a long's lower or a short's upper bound
 * away from 0 (the gross cannot come down to it).
 */
function signedBounded(s: QpSetup, which: 'cap' | 'floor'): string[] {
  return s.tickers.filter((_, i) => {
    if (s.side[i] > 0) return which === 'cap' ? s.userUpper[i] === 1 : s.userLower[i] === 1 && s.lower[i] > 0;
    if (s.side[i] < 0) return which === 'cap' ? s.userLower[i] === 1 : s.userUpper[i] === 1 && s.upper[i] < 0;
    return false;
  });
}

/** Why net cannot reach `limit` (`relation` says from which side), in words. */
function netConflict(s: QpSetup, r: Reach, relation: '≥' | '≤', limit: number, reachable: number, room: number): string {
  const band = bandText(s.netLo, s.netHi);
  const budget = s.gross - r.g0;
  let allZero = true;
  for (let i = 0; i < s.n && allZero; i++) allZero = s.lower[i] === 0 && s.upper[i] === 0 && s.userLower[i] === 1 && s.userUpper[i] === 1;
  if (allZero) return Messages.conflictAllBoundsZero(band);
  if (room < budget) return Messages.conflictBoundsNet(bounded(s, relation === '≥' ? 'upper' : 'lower'), relation, pct(limit), pct(reachable));
  if (r.g0 > 0) return Messages.conflictNetGrossLeft(band, pct(s.gross), pct(r.g0), pct(reachable));
  return Messages.conflictNetGross(band, pct(s.gross));
}

/** The conflict of a built problem, in words, or null when every constraint can be met. */
export function conflictOf(s: QpSetup): string | null {
  const L = s.gross;
  if (s.mode === 'signed') {
    const { pMin, pMax, sMin, sMax, sided } = signedSums(s);
    if (sided === 0) return L > FEAS_TOL || s.netLo > FEAS_TOL || s.netHi < -FEAS_TOL ? Messages.conflictSignedFlat(pct(L)) : null;
    if (L > pMax + sMax + FEAS_TOL) return Messages.conflictSignedGross(pct(L), pct(pMin + sMin), pct(pMax + sMax), signedBounded(s, 'cap'), 'cap');
    if (L < pMin + sMin - FEAS_TOL) return Messages.conflictSignedGross(pct(L), pct(pMin + sMin), pct(pMax + sMax), signedBounded(s, 'floor'), 'floor');
    const least = Math.max(2 * pMin - L, L - 2 * sMax);
    const most = Math.min(2 * pMax - L, L - 2 * sMin);
    if (s.netLo > most + FEAS_TOL || s.netHi < least - FEAS_TOL) return Messages.conflictSignedNet(bandText(s.netLo, s.netHi), pct(L), pct(least), pct(most));
    return null;
  }
  const r = reach(s);
  if (r.g0 > L + FEAS_TOL) {
    const forced = s.tickers.filter((_, i) => r.z[i] !== 0);
    return Messages.conflictBoundsGross(pct(r.g0), pct(L), forced);
  }
  const budget = L - r.g0;
  const maxNet = r.n0 + Math.min(budget, r.up);
  const minNet = r.n0 - Math.min(budget, r.down);
  if (s.netLo > maxNet + FEAS_TOL) return netConflict(s, r, '≥', s.netLo, maxNet, r.up);
  if (s.netHi < minNet - FEAS_TOL) return netConflict(s, r, '≤', s.netHi, minNet, r.down);
  return null;
}

/**
 * Why `problem`'s constraints cannot all be met, in words, or null when they can.
 * @throws AstraError for bad input, as `solvePortfolio` does.
 */
export function findConflict(problem: PortfolioProblem): string | null {
  return conflictOf(buildSetup(problem));
}

/**
 * A feasible point of a problem without conflict: the least-gross point, with net moved into the
 * band greedily (asset order), or for signed the longs and shorts filled from their lower
 * bounds to the gross limit. At most one asset per side ends between breakpoints.
 */
export function startPoint(s: QpSetup): Float64Array {
  const w = new Float64Array(s.n);
  if (s.mode === 'signed') {
    const { pMin, pMax, sMin, sMax } = signedSums(s);
    const L = s.gross;
    const least = Math.max(2 * pMin - L, L - 2 * sMax, s.netLo);
    const most = Math.min(2 * pMax - L, L - 2 * sMin, s.netHi);
    const target = Math.min(Math.max(0.5 * (s.netLo + s.netHi), least), most);
    let addLong = Math.max(0, 0.5 * (L + target) - pMin);
    let addShort = Math.max(0, 0.5 * (L - target) - sMin);
    for (let i = 0; i < s.n; i++) {
      if (s.side[i] > 0) {
        const room = s.upper[i] - s.lower[i];
        const add = Math.min(room, addLong);
        w[i] = add === room ? s.upper[i] : s.lower[i] + add;
        addLong -= add;
      } else if (s.side[i] < 0) {
        const room = s.upper[i] - s.lower[i];
        const add = Math.min(room, addShort);
        w[i] = add === room ? s.lower[i] : s.upper[i] - add;
        addShort -= add;
      }
    }
    return w;
  }
  const r = reach(s);
  w.set(r.z);
  let move = s.netLo > r.n0 ? s.netLo - r.n0 : s.netHi < r.n0 ? s.netHi - r.n0 : 0;
  for (let i = 0; i < s.n && move !== 0; i++) {
    if (move > 0) {
      const room = s.upper[i] - w[i];
      const add = Math.min(room, move);
      w[i] = add === room ? s.upper[i] : w[i] + add;
      move -= add;
    } else {
      const room = w[i] - s.lower[i];
      const add = Math.min(room, -move);
      w[i] = add === room ? s.lower[i] : w[i] - add;
      move += add;
    }
  }
  if (Math.abs(move) > FEAS_TOL) throw new AstraError('BAD_INPUT', Messages.badValue('net target', s.netLo, 'reachable (internal: startPoint after conflictOf)'));
  return w;
}
