/**
 * Risk-free rate helpers: Yahoo's `^IRX` quote → a money-market (ACT/360) rate.
 *
 * `^IRX` is the 13-week T-bill *discount* yield in percent. Discount yield understates what a
 * lender earns (it is quoted on face value, not on the price paid), so funding, which accrues
 * ACT/360 on the amount lent, needs the money-market yield instead.
 */
import { AstraError, Messages } from '../errors.ts';
import type { PriceTable } from '../types.ts';
import { lastClose } from './book.ts';
import { DAY_COUNT_BASIS, IRX_DAYS } from '../units.ts';

/** Risk-free rate (3.60%/yr, ACT/360) used when no rate is given or found; also the demo's. */
export const DEFAULT_RFR = 0.036;

function checkDays(days: number): void {
  if (!Number.isFinite(days) || days <= 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue('days to maturity', days, 'a positive number'));
  }
}

/**
 * What is wrong with a T-bill discount yield of `percent` on a `days`-day bill, as the end of a
 * sentence ("below 395.604 for a 91-day bill"), or `undefined` when it is a usable quote
 * (any finite value with d·days/360 < 1, or `NaN`: missing). The CSV reader checks `^IRX` cells
 * with it, so a bad quote is reported with its file, row and column.
 */
export function discountYieldProblem(percent: number, days = IRX_DAYS): string | undefined {
  if (Number.isNaN(percent)) return undefined;
  const d = percent / 100;
  if (Number.isFinite(d) && 1 - (d * days) / DAY_COUNT_BASIS > 0) return undefined;
  return `below ${+((100 * DAY_COUNT_BASIS) / days).toFixed(3)} for a ${days}-day bill`;
}

/**
 * Convert a T-bill discount yield in percent (e.g. `^IRX` = 3.5675) to a money-market yield,
 * decimal per year on ACT/360: `r = d / (1 − d·days/360)` with `d` the discount yield as a decimal.
 *
 * `NaN` in → `NaN` out (a missing quote stays missing). Throws `BAD_INPUT` when `days` is not
 * positive or when `d·days/360 ≥ 1` (the bill would cost nothing or less: not a real quote).
 */
export function irxToRate(discountYieldPercent: number, days = IRX_DAYS): number {
  checkDays(days);
  if (Number.isNaN(discountYieldPercent)) return NaN;
  const problem = discountYieldProblem(discountYieldPercent, days);
  if (problem) throw new AstraError('BAD_INPUT', Messages.badValue('discount yield (%)', discountYieldPercent, problem));
  const d = discountYieldPercent / 100;
  return d / (1 - (d * days) / DAY_COUNT_BASIS);
}

/**
 * Inverse of {@link irxToRate}: the discount yield in percent that quotes a money-market rate
 * `rate` (decimal per year, ACT/360): `d = r / (1 + r·days/360)`. `NaN` in → `NaN` out.
 */
export function rateToIrx(rate: number, days = IRX_DAYS): number {
  checkDays(days);
  if (Number.isNaN(rate)) return NaN;
  const denominator = 1 + (rate * days) / DAY_COUNT_BASIS;
  if (!Number.isFinite(rate) || denominator <= 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue('money-market rate', rate, `above ${-DAY_COUNT_BASIS / days}`));
  }
  return (100 * rate) / denominator;
}

/** A risk-free rate read from a price table's rate column. */
export interface RateObservation {
  /** Money-market rate, decimal per year, ACT/360. */
  rate: number;
  /** The quote it came from, in percent (discount basis for `^IRX`). */
  quotePercent: number;
  /** ISO date of the quote (the last date with a non-missing value). */
  date: string;
  /** Column it came from, e.g. `^IRX`. */
  symbol: string;
}

/**
 * The last non-missing `^IRX` quote in `prices`, converted with {@link irxToRate}; `undefined`
 * when the table has no such column or the column is all missing.
 */
export function rfrFromPrices(prices: PriceTable, symbol = '^IRX'): RateObservation | undefined {
  const last = lastClose(prices, symbol);
  if (!last) return undefined;
  // A table read by parsePricesCsv has had its quotes checked, with file, row and column; one
  // built in code or from a snapshot is named here by column and date.
  const problem = discountYieldProblem(last.price);
  if (problem) {
    throw new AstraError('BAD_INPUT', Messages.rateQuote(symbol, last.date, Messages.badValue('the discount yield (%)', last.price, problem)), {
      ticker: symbol,
      date: last.date,
    });
  }
  return { rate: irxToRate(last.price), quotePercent: last.price, date: last.date, symbol };
}
