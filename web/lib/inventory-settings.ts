/**
 * The Inventory module's inputs: what its sliders and fields hold, their defaults, the γ slider's
 * logarithmic scale, per-asset bounds as typed, and the module's own storage slot (validated field
 * by field). Pure: no DOM, no engine code (the entry chunk may import the types).
 */
import { fail, ok, type Result } from '../../engine/result.ts';
import type { PortfolioMode } from '../../engine/portfolio/types.ts';
import {
  BPS_RULE,
  GAMMA_RULE,
  GROSS_LIMIT_RULE,
  NET_TARGET_PERCENT_RULE,
  WEIGHT_BOUND_PERCENT_RULE,
  readShownField,
  type FieldRule,
} from './input-rules.ts';
import { isRecord, type Slot } from './storage.ts';

/** The modes in the order the selector lists them (the CLI's `--mode`). */
export const INVENTORY_MODES: readonly PortfolioMode[] = ['minvar', 'meanvar', 'signed'];

/** The modes in words, for the selector and the status line. */
export const MODE_NAMES: Readonly<Record<PortfolioMode, string>> = {
  minvar: 'minimum variance',
  meanvar: 'mean–variance',
  signed: 'sides fixed, gross = limit',
};

/** One asset's bounds as fractions of equity; `null` = not bounded on that side (the gross limit still applies). */
export interface BoundSpec {
  lower: number | null;
  upper: number | null;
}

/** Everything the panel's inputs hold. Weights, net and bounds are fractions of equity. */
export interface InventorySettings {
  mode: PortfolioMode;
  /** Gross limit L, a multiple of equity (Σ|wᵢ| ≤ L; `signed`: = L). */
  gross: number;
  /** Net target Σwᵢ (a fraction: −0.1 = −10%), met exactly. */
  net: number;
  /** Risk aversion γ (meanvar; in minvar and signed it only weighs carry and turnover against risk). */
  gamma: number;
  /** Bounds per ticker; tickers not named are bounded by the gross limit only. */
  bounds: Record<string, BoundSpec>;
  /** Include the funding carry (the book's funding inputs) in the objective. */
  carry: boolean;
  /** Turnover cost against the current book, bp of traded weight. */
  turnoverBps: number;
}

/**
 * The defaults: the CLI's gross 2×, net 0 and γ 1, no bounds, no carry, no turnover cost — but
 * mode `signed`, not the CLI's `minvar`: at net 0 the minimum-variance book is the empty book
 * (w = 0 has no risk), which answers no desk's question, while `signed` deploys the gross limit
 * on today's sides with the least risk. Written out rather than imported from engine/portfolio so
 * this module stays free of engine code; inventory-settings.test.ts checks they agree.
 */
export function defaultInventorySettings(): InventorySettings {
  return { mode: 'signed', gross: 2, net: 0, gamma: 1, bounds: {}, carry: false, turnoverBps: 0 };
}

/** The numeric inputs: the field name messages use, the rule (in the unit shown) and the shown/stored scale. */
export const INVENTORY_NUMBER_FIELDS = {
  gross: { label: 'gross limit', rule: GROSS_LIMIT_RULE, scale: 1 },
  net: { label: 'net target', rule: NET_TARGET_PERCENT_RULE, scale: 100 },
  gamma: { label: 'risk aversion γ', rule: GAMMA_RULE, scale: 1 },
  turnoverBps: { label: 'turnover cost', rule: BPS_RULE, scale: 1 },
} satisfies Record<string, { label: string; rule: FieldRule; scale: number }>;

/** One of the numeric inputs. */
export type InventoryNumberField = keyof typeof INVENTORY_NUMBER_FIELDS;

// ---- γ on a logarithmic slider ----

/** Positions of the γ slider: 100 per decade over {@link GAMMA_RULE}'s five decades. */
export const GAMMA_SLIDER_STEPS = 500;

const LOG_MIN = Math.log10(GAMMA_RULE.min);
const LOG_MAX = Math.log10(GAMMA_RULE.max);

/**
 * γ at slider position `p` (0 … {@link GAMMA_SLIDER_STEPS}): 10^(log₁₀ min + p/steps · decades),
 * rounded to 3 significant digits so the field shows what was used (`0.01`, `1`, `12.6`, `1,000`).
 * Positions outside the range are clamped.
 */
export function gammaAt(p: number): number {
  const t = Math.min(Math.max(p, 0), GAMMA_SLIDER_STEPS) / GAMMA_SLIDER_STEPS;
  return Number((10 ** (LOG_MIN + t * (LOG_MAX - LOG_MIN))).toPrecision(3));
}

/** The slider position of `gamma`: the nearest step on the log scale (clamped to the range). */
export function gammaPosition(gamma: number): number {
  if (!(gamma > 0)) return 0;
  const t = (Math.log10(gamma) - LOG_MIN) / (LOG_MAX - LOG_MIN);
  return Math.min(Math.max(Math.round(t * GAMMA_SLIDER_STEPS), 0), GAMMA_SLIDER_STEPS);
}

// ---- per-asset bounds ----

/** Which side of a bound. */
export type BoundSide = 'lower' | 'upper';

/**
 * Read the typed `side` bound of `ticker` in percent of equity (`-10`, `-10%`, `25`); empty text
 * clears it. The other side `other` is checked too: a lower bound above the upper one is refused
 * with both named. Messages name the ticker: `upper bound of AAPL must be between …, got 900`.
 */
export function readBound(text: string, ticker: string, side: BoundSide, current: BoundSpec | undefined): Result<BoundSpec> {
  const before: BoundSpec = current ?? { lower: null, upper: null };
  if (text.trim() === '') return ok({ ...before, [side]: null });
  const read = readShownField(text, `${side} bound of ${ticker}`, WEIGHT_BOUND_PERCENT_RULE, 100);
  if (!read.ok) return read;
  const next: BoundSpec = { ...before, [side]: read.value };
  if (next.lower !== null && next.upper !== null && next.lower > next.upper) {
    return fail(`lower bound of ${ticker} (${pctText(next.lower)}) must not be above its upper bound (${pctText(next.upper)})`);
  }
  return ok(next);
}

/** `−10%`, `25%`, `12.5%`: a bound or target as messages write it (up to 4 decimals of a percent). */
export function pctText(x: number): string {
  const v = Number((x * 100).toFixed(4));
  return `${v < 0 ? '−' : ''}${Math.abs(v)}%`;
}

/** The bounds with every side cleared dropped (so the stored record and the problem stay small). */
export function compactBounds(bounds: Readonly<Record<string, BoundSpec>>): Record<string, BoundSpec> {
  return Object.fromEntries(Object.entries(bounds).filter(([, b]) => b.lower !== null || b.upper !== null));
}

// ---- the slot ----

/** The stored record: the settings and a version. */
export interface StoredInventory extends InventorySettings {
  version: 1;
}

const within = (v: unknown, rule: FieldRule, scale = 1): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v * scale >= rule.min - 1e-9 && v * scale <= rule.max + 1e-9 && (!rule.integer || Number.isInteger(v));

const TICKER = /^[A-Z0-9.\-=^]{1,15}$/;

/** The Inventory module's slot `astra.inventory.v1`: a bad field falls back to its default alone, with a warning naming it. */
export const INVENTORY_SLOT: Slot<InventorySettings> = {
  key: 'astra.inventory.v1',
  what: 'the saved inventory settings',
  read(data, warn) {
    if (!isRecord(data)) throw new Error('it is not an object');
    if (data.version !== 1) throw new Error(`unknown version ${String(data.version)}`);
    const d = defaultInventorySettings();
    const out: InventorySettings = { ...d };
    for (const [field, { rule, scale }] of Object.entries(INVENTORY_NUMBER_FIELDS) as [InventoryNumberField, (typeof INVENTORY_NUMBER_FIELDS)[InventoryNumberField]][]) {
      const v = data[field];
      if (within(v, rule, scale)) out[field] = v;
      else warn(`${field} ${JSON.stringify(v)} was replaced by ${d[field]}`);
    }
    if (INVENTORY_MODES.includes(data.mode as PortfolioMode)) out.mode = data.mode as PortfolioMode;
    else warn(`mode ${JSON.stringify(data.mode)} was replaced by ${d.mode}`);
    if (typeof data.carry === 'boolean') out.carry = data.carry;
    else warn(`carry ${JSON.stringify(data.carry)} was replaced by ${d.carry}`);
    const bounds: Record<string, BoundSpec> = {};
    if (isRecord(data.bounds)) {
      for (const [ticker, b] of Object.entries(data.bounds)) {
        const side = (v: unknown) => v === null || within(v, WEIGHT_BOUND_PERCENT_RULE, 100);
        if (TICKER.test(ticker) && isRecord(b) && side(b.lower) && side(b.upper) && !(b.lower !== null && b.upper !== null && (b.lower as number) > (b.upper as number))) {
          bounds[ticker] = { lower: b.lower as number | null, upper: b.upper as number | null };
        } else {
          warn(`the bounds of ${JSON.stringify(ticker)} were dropped (not a valid {lower, upper})`);
        }
      }
    } else {
      warn('the bounds were cleared (not an object)');
    }
    out.bounds = compactBounds(bounds);
    return out;
  },
};
