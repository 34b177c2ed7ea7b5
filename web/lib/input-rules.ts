/**
 * The input rules of every panel: what each kind of field accepts, named and documented, and the
 * fat-finger guard. Book & Funding and Risk use them; the optimizer and alpha panels will use the
 * same module for their own fields (add a rule here, never inline bounds in a component).
 */
import type { BookSummary } from '../../engine/book/book.ts';
import { fail, ok, type Result } from '../../engine/result.ts';
import { parseNumber } from './parse.ts';

/** A numeric field's rule. */
export interface FieldRule {
  /** Smallest accepted value. */
  min: number;
  /** Largest accepted value. */
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** The field is in percent: a trailing `%` is accepted (`3.6%` = `3.6`). */
  percent?: boolean;
  /** The rule in words, for messages: `at least 1`. */
  text: string;
}

/**
 * Equity (NAV): at least 1 (weights and leverage divide by it; below a unit of currency they are
 * meaningless) and at most 10¹³.
 */
export const EQUITY_RULE: FieldRule = { min: 1, max: 1e13, text: 'between 1 and 10,000,000,000,000' };
/** Shares: whole numbers, |shares| ≤ 10⁹ (negative = short). */
export const SHARES_RULE: FieldRule = { min: -1e9, max: 1e9, integer: true, text: 'a whole number between −1,000,000,000 and 1,000,000,000' };
/**
 * Price per share: from 0.0001 (the finest tick a price is shown with, so the price shown is the
 * price used) to 10⁷.
 */
export const PRICE_RULE: FieldRule = { min: 0.0001, max: 1e7, text: 'between 0.0001 and 10,000,000' };
/** Risk-free rate, percent per year. */
export const RFR_PERCENT_RULE: FieldRule = { min: -10, max: 50, percent: true, text: 'between −10% and 50%' };
/** Spreads and borrow fees, basis points per year (10,000 bp = 100%/yr). */
export const BPS_RULE: FieldRule = { min: 0, max: 10_000, text: 'between 0 and 10,000 bp' };

/**
 * Risk confidence, percent: 90% to 99.9%. Below 90% a "VaR" says little about losses a desk limits;
 * past 99.9% even 10⁶ paths leave fewer than 1,000 in the tail. The engine takes any c in (0, 1).
 */
export const CONFIDENCE_PERCENT_RULE: FieldRule = { min: 90, max: 99.9, percent: true, text: 'between 90% and 99.9%' };
/** Risk horizon, trading days: 1 to 20 (a month; the desk's limit is on 10 days). */
export const HORIZON_RULE: FieldRule = { min: 1, max: 20, integer: true, text: 'a whole number of trading days from 1 to 20' };
/**
 * Monte Carlo paths: 1,000 (below it the 99% tail has fewer than 10 paths and the error band is
 * wider than the figure is useful) to 1,000,000 (about half a second per worker for the demo book).
 */
export const PATHS_RULE: FieldRule = { min: 1000, max: 1_000_000, integer: true, text: 'a whole number from 1,000 to 1,000,000' };
/** Estimation window, calendar days: 30 (about 21 returns) to 3,650 (ten years). */
export const LOOKBACK_RULE: FieldRule = { min: 30, max: 3650, integer: true, text: 'a whole number of calendar days from 30 to 3,650' };
/** Random seed: any whole number the engine accepts (0 to 2⁵³ − 1). */
export const SEED_RULE: FieldRule = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, text: 'a whole number from 0 to 9,007,199,254,740,991' };
/** The risk limit, money: positive (a limit of 0 would halt any book), at most 10¹³ like equity. */
export const RISK_LIMIT_RULE: FieldRule = { min: 1, max: 1e13, text: 'an amount between 1 and 10,000,000,000,000' };
/** A stress shock, percent price change: above −100% (a price cannot go below zero) up to +1,000%. */
export const SHOCK_PERCENT_RULE: FieldRule = { min: -99.99, max: 1000, percent: true, text: 'between −99.99% and 1,000%' };

// ---- Inventory (the optimizer panel) ----
/**
 * Gross limit, a multiple of equity: 0.5× to 5× (the desk's balance-sheet range; past 5× a
 * long/short book is outside what prime brokers lend against).
 */
export const GROSS_LIMIT_RULE: FieldRule = { min: 0.5, max: 5, text: 'between 0.5× and 5×' };
/** Net target, percent of equity: −50% to +50% (a long/short desk, not a long-only fund). */
export const NET_TARGET_PERCENT_RULE: FieldRule = { min: -50, max: 50, percent: true, text: 'between −50% and 50%' };
/**
 * Risk aversion γ of meanvar, on annual μ and Σ: 0.01 (the gross limit binds whatever the risk)
 * to 1,000 (the minimum-variance book); the slider is logarithmic over the same range.
 */
export const GAMMA_RULE: FieldRule = { min: 0.01, max: 1000, text: 'between 0.01 and 1,000' };
/** A per-asset weight bound, percent of equity: ±500% (no single name past the largest gross limit). */
export const WEIGHT_BOUND_PERCENT_RULE: FieldRule = { min: -500, max: 500, percent: true, text: 'between −500% and 500%' };
// ---- Alpha module (pairs) ----
/** Entry threshold |z|: 0.1 to 10 standard deviations (the exit must stay below it). */
export const PAIR_ENTRY_RULE: FieldRule = { min: 0.1, max: 10, text: 'between 0.1 and 10' };
/** Exit threshold |z|: 0 (hold until the spread crosses its mean) to just under the entry. */
export const PAIR_EXIT_RULE: FieldRule = { min: 0, max: 9.99, text: 'between 0 and 9.99' };
/** Trading costs, basis points of traded notional: 0 to 1,000 bp (10% a side is no longer a cost). */
export const PAIR_COST_BPS_RULE: FieldRule = { min: 0, max: 1000, text: 'between 0 and 1,000 bp' };
/** δ of the state random walk: 10⁻¹² to 0.5 (V_w = δ/(1−δ)·I; at 0.5 the state forgets each bar). */
export const PAIR_DELTA_RULE: FieldRule = { min: 1e-12, max: 0.5, text: 'between 1e-12 and 0.5' };
/** Vₑ, observation variance in price units squared: 10⁻¹² to 10⁶ (a 1,000-dollar noise sd). */
export const PAIR_VE_RULE: FieldRule = { min: 1e-12, max: 1e6, text: 'between 1e-12 and 1,000,000' };

/** Read typed text under `rule`; the message names `field` and what was typed. */
export function readField(text: string, field: string, rule: FieldRule): Result<number> {
  const trimmed = text.trim();
  const body = rule.percent && trimmed.endsWith('%') ? trimmed.slice(0, -1) : trimmed;
  const parsed = parseNumber(body, field);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if ((rule.integer && !Number.isInteger(v)) || !(v >= rule.min && v <= rule.max)) {
    return fail(`${field} must be ${rule.text}, got ${trimmed}`);
  }
  return ok(v === 0 ? 0 : v);
}

/** The fat-finger guard's thresholds. */
export const FAT_FINGER = {
  /** Gross leverage (gross / equity) past which an edit asks first. */
  leverage: 10,
  /** |weight| of one position (notional / equity) past which an edit asks first. */
  weight: 1,
} as const;

/**
 * Why an edit from `before` to `after` needs confirmation, or `null`: it takes gross leverage past
 * {@link FAT_FINGER}.leverage or a position's |weight| past {@link FAT_FINGER}.weight (or raises
 * one that is already past it).
 */
export function fatFingerWarning(before: BookSummary | null, after: BookSummary): string | null {
  const reasons: string[] = [];
  if (after.leverage > FAT_FINGER.leverage && after.leverage > (before?.leverage ?? 0) + 1e-12) {
    reasons.push(`gross leverage ${after.leverage.toFixed(2)}× (limit for no question: ${FAT_FINGER.leverage}×)`);
  }
  const beforeWeight = new Map(before?.positions.map((p) => [p.ticker, Math.abs(p.weight)]));
  for (const p of after.positions) {
    const w = Math.abs(p.weight);
    if (w > FAT_FINGER.weight && w > (beforeWeight.get(p.ticker) ?? 0) + 1e-12) {
      reasons.push(`${p.ticker} at ${(p.weight * 100).toFixed(0)}% of equity`);
    }
  }
  return reasons.length > 0 ? `This edit puts ${reasons.join(' and ')}.` : null;
}

/**
 * A value typed in the unit shown in the unit stored (`scale` = shown per stored, 100 for
 * percent): 99.9 % is 0.999 and −12.5 % is −0.125 exactly as the CLI reads them, not the
 * 0.9990000000000001 of a plain division.
 */
export function fromShown(value: number, scale: number): number {
  return scale === 1 ? value : Number((value / scale).toPrecision(12));
}

/** {@link readField} for a field shown in a scaled unit, giving the stored value. */
export function readShownField(text: string, field: string, rule: FieldRule, scale: number): Result<number> {
  const read = readField(text, field, rule);
  return read.ok ? ok(fromShown(read.value, scale)) : read;
}
