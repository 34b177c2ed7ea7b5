/**
 * The calendar and day-count constants of every convention, in one place (docs/conventions.md).
 * Nothing else in the project writes these numbers.
 */

/** Trading days in a year: annual = 252 × daily for means and covariances. */
export const TRADING_DAYS_PER_YEAR = 252;
/** One-minute bars in a regular US session (09:30–16:00). */
export const BARS_PER_SESSION = 390;
/** One-minute bars in a year: 252 × 390. */
export const MINUTE_BARS_PER_YEAR = TRADING_DAYS_PER_YEAR * BARS_PER_SESSION;
/** ACT/360: an annual rate accrues rate / 360 per calendar day. */
export const DAY_COUNT_BASIS = 360;
/** Calendar days of accrual in a year: annual carry = daily carry × 365 under ACT/360. */
export const CALENDAR_DAYS_PER_YEAR = 365;
/** Days to maturity of the 13-week bill behind `^IRX`. */
export const IRX_DAYS = 91;
/** Default estimation window, calendar days back from the last date. */
export const DEFAULT_LOOKBACK_DAYS = 730;
/** Milliseconds in a calendar day. */
export const MS_PER_DAY = 86_400_000;
