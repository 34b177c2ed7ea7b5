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
/** A one-minute bar's length, ms (the replay's 1× clock: one bar a minute, as a live feed). */
export const MS_PER_MINUTE_BAR = 60_000;
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
/** A regular trading session in exchange time: minutes after local midnight, `close` exclusive. */
export interface RegularSession {
  /** First minute of the session, e.g. 570 = 09:30. */
  open: number;
  /** First minute after the session, e.g. 960 = 16:00 (a bar starting at 16:00 is outside). */
  close: number;
}
/**
 * Regular sessions by IANA exchange zone (continuous trading; lunch breaks are not cut). US
 * equities trade 09:30–16:00 New York time: {@link BARS_PER_SESSION} one-minute bars. A zone not
 * listed here has no known session: its bars are kept whole and the data report says so.
 */
export const REGULAR_SESSIONS: Readonly<Record<string, RegularSession>> = {
  'America/New_York': { open: 9 * 60 + 30, close: 16 * 60 },
  'Europe/London': { open: 8 * 60, close: 16 * 60 + 30 },
  'Europe/Paris': { open: 9 * 60, close: 17 * 60 + 30 },
  'Europe/Berlin': { open: 9 * 60, close: 17 * 60 + 30 },
  'Europe/Amsterdam': { open: 9 * 60, close: 17 * 60 + 30 },
  'Asia/Hong_Kong': { open: 9 * 60 + 30, close: 16 * 60 },
  'Asia/Tokyo': { open: 9 * 60, close: 15 * 60 + 30 },
};
/** The zone assumed for bars whose exchange is not known (CSV files): US equities. */
export const DEFAULT_EXCHANGE_ZONE = 'America/New_York';
