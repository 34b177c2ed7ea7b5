/**
 * The Alpha module's inputs: the pair, the trading rules (entry, exit, costs), δ and Vₑ with the
 * auto-calibrate switch, and the replay's speed; their defaults, the module's own storage slot
 * (validated field by field), the sliders' scales, and the engine's `PairRunOptions` built from
 * them. Pure: no DOM.
 */
import type { PairRunOptions } from '../workers/protocol.ts';
import {
  PAIR_COST_BPS_RULE,
  PAIR_DELTA_RULE,
  PAIR_ENTRY_RULE,
  PAIR_EXIT_RULE,
  PAIR_VE_RULE,
  type FieldRule,
} from './input-rules.ts';
import { isRecord, type Slot } from './storage.ts';

/** y regressed on x: the dependent leg and the hedge leg, as the bar table names them. */
export interface PairChoice {
  y: string;
  x: string;
}

/** Everything the panel's inputs hold. */
export interface AlphaSettings {
  /** The pair chosen by the user (scan row); `null` = the market's own pair. */
  pair: PairChoice | null;
  /** Enter when |z| > entry. */
  entry: number;
  /** Exit when |z| < exit (below the entry). */
  exit: number;
  /** Costs, basis points of traded notional. */
  costBps: number;
  /** Fit δ and Vₑ by maximum likelihood on the calibration window (true), or use the two below. */
  autoCalibrate: boolean;
  /** δ set by hand (used when `autoCalibrate` is off). */
  delta: number;
  /** Vₑ set by hand, price units squared (used when `autoCalibrate` is off). */
  ve: number;
  /** Replay speed: bars per minute of wall-clock time (1 = a live feed of minute bars). */
  speed: number;
}

/** The replay's speed stops, 1×–1000× (1-2-5 steps). */
export const SPEED_STOPS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * The defaults: the CLI's rules (`astra pairs`: entry 2, exit 0.5, no costs), δ and Vₑ fitted,
 * and the textbook δ = 1e-4, Vₑ = 1e-3 waiting for a switch to manual. Written out here rather
 * than imported from engine/pairs, whose modules would pull the engine into this chunk;
 * alpha-settings.test.ts checks they agree.
 */
export function defaultAlphaSettings(): AlphaSettings {
  return { pair: null, entry: 2, exit: 0.5, costBps: 0, autoCalibrate: true, delta: 1e-4, ve: 1e-3, speed: 100 };
}

/** The numeric inputs: the name messages use and the rule. */
export const ALPHA_NUMBER_FIELDS = {
  entry: { label: 'entry', rule: PAIR_ENTRY_RULE },
  exit: { label: 'exit', rule: PAIR_EXIT_RULE },
  costBps: { label: 'costs (bp)', rule: PAIR_COST_BPS_RULE },
  delta: { label: 'δ', rule: PAIR_DELTA_RULE },
  ve: { label: 'Vₑ', rule: PAIR_VE_RULE },
} satisfies Record<string, { label: string; rule: FieldRule }>;

/** One of the numeric inputs. */
export type AlphaNumberField = keyof typeof ALPHA_NUMBER_FIELDS;

/** Why `exit` cannot go with `entry` (the engine needs 0 ≤ exit < entry), or `null`. */
export function thresholdConflict(entry: number, exit: number): string | null {
  return exit < entry ? null : `exit must be below the entry ${entry}, got ${exit}`;
}

/**
 * A log-scale slider for δ and Vₑ: positions are tenths of a decade (log₁₀ × 10, whole numbers),
 * so one step multiplies the value by 10^0.1 ≈ 1.26 and a decade is ten steps.
 */
export interface LogScale {
  /** Slider bounds, in tenths of a decade. */
  min: number;
  max: number;
}

/** δ: 10⁻¹⁰ to 10⁻¹ (the textbook 10⁻⁴ in the middle). */
export const DELTA_SCALE: LogScale = { min: -100, max: -10 };
/** Vₑ: 10⁻⁸ to 10² money² (a noise sd from 0.1 ¢ to 10 dollars). */
export const VE_SCALE: LogScale = { min: -80, max: 20 };

/** The slider position of `v` on `scale` (clamped to its ends). */
export function logPosition(v: number, scale: LogScale): number {
  if (!(v > 0)) return scale.min;
  return Math.min(scale.max, Math.max(scale.min, Math.round(Math.log10(v) * 10)));
}

/** The value at slider position `p`, as typed text with three significant digits (`1.26e-4`). */
export function logValueText(p: number): string {
  return Number((10 ** (p / 10)).toPrecision(3)).toExponential();
}

/** The speed stop nearest to `speed` on a log scale. */
export function speedStop(speed: number): number {
  let best = 0;
  for (let i = 1; i < SPEED_STOPS.length; i++) {
    if (Math.abs(Math.log(speed / SPEED_STOPS[i])) < Math.abs(Math.log(speed / SPEED_STOPS[best]))) best = i;
  }
  return best;
}

/**
 * The engine's options for `pair` under `settings`: the rules, δ and Vₑ when set by hand (both
 * fitted otherwise), and the risk halt (`halted`: no new trade opens, from the first bar).
 */
export function pairRunOptions(pair: PairChoice, s: AlphaSettings, halted: boolean): PairRunOptions {
  return {
    y: pair.y,
    x: pair.x,
    entry: s.entry,
    exit: s.exit,
    costBps: s.costBps,
    halted,
    ...(s.autoCalibrate ? {} : { delta: s.delta, ve: s.ve }),
  };
}

const within = (v: unknown, rule: FieldRule): v is number => typeof v === 'number' && v >= rule.min && v <= rule.max;
const TICKER = /^[A-Z0-9.\-=^]{1,15}$/;

/** The stored record: the settings and a version. */
export interface StoredAlpha extends AlphaSettings {
  version: 1;
}

/** The Alpha module's slot: a bad field falls back to its default alone, with a warning naming it. */
export const ALPHA_SLOT: Slot<AlphaSettings> = {
  key: 'astra.alpha.v1',
  what: 'the saved alpha settings',
  read(data, warn) {
    if (!isRecord(data)) throw new Error('it is not an object');
    if (data.version !== 1) throw new Error(`unknown version ${String(data.version)}`);
    const d = defaultAlphaSettings();
    const out = { ...d };
    for (const [field, { rule }] of Object.entries(ALPHA_NUMBER_FIELDS) as [AlphaNumberField, { rule: FieldRule }][]) {
      const v = data[field];
      if (within(v, rule)) out[field] = v;
      else warn(`${field} ${JSON.stringify(v)} was replaced by ${d[field]}`);
    }
    if (thresholdConflict(out.entry, out.exit)) {
      warn(`exit ${out.exit} was not below entry ${out.entry}: both were replaced by ${d.entry} and ${d.exit}`);
      out.entry = d.entry;
      out.exit = d.exit;
    }
    if (typeof data.autoCalibrate === 'boolean') out.autoCalibrate = data.autoCalibrate;
    else warn(`autoCalibrate ${JSON.stringify(data.autoCalibrate)} was replaced by ${d.autoCalibrate}`);
    if (typeof data.speed === 'number' && SPEED_STOPS.includes(data.speed)) out.speed = data.speed;
    else warn(`replay speed ${JSON.stringify(data.speed)} was replaced by ${d.speed}`);
    const p = data.pair;
    if (p === null) out.pair = null;
    else if (isRecord(p) && typeof p.y === 'string' && typeof p.x === 'string' && TICKER.test(p.y) && TICKER.test(p.x) && p.y !== p.x) {
      out.pair = { y: p.y, x: p.x };
    } else warn(`pair ${JSON.stringify(p)} was replaced by the market’s own pair`);
    return out;
  },
};
