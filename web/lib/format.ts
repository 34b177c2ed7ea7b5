/**
 * Number formatting for the UI. One locale (en-US) so the desk, the screenshots and the tests
 * read the same digits; formatters are built once (Intl constructors are not cheap).
 */
const LOCALE = 'en-US';

const money0 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const money2 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const shares = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 4 });
const pct2 = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ratio2 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const bp0 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

const DASH = '—';

function guard(value: number, f: (v: number) => string): string {
  return Number.isFinite(value) ? f(value) : DASH;
}

/** Whole currency units with grouping: `1,851,204`, `-188,144`. */
export const fmtMoney = (v: number): string => guard(v, (x) => money0.format(x));
/** Currency with cents: `-11.14`. */
export const fmtMoney2 = (v: number): string => guard(v, (x) => money2.format(x));
/** Share counts, up to 4 decimals: `1,500`. */
export const fmtShares = (v: number): string => guard(v, (x) => shares.format(x));
/** A price with cents: `277.02`. */
export const fmtPrice = (v: number): string => guard(v, (x) => money2.format(x));
/** A fraction as a percentage with 2 decimals: 0.036 → `3.60%`. */
export const fmtPct = (v: number): string => guard(v, (x) => pct2.format(x));
/** A multiple: 1.851 → `1.85×`. */
export const fmtTimes = (v: number): string => guard(v, (x) => `${ratio2.format(x)}×`);
/** Basis points: `40 bp`. */
export const fmtBp = (v: number): string => guard(v, (x) => `${bp0.format(x)} bp`);

/** Plain decimal text an `<input>` can hold and `parseNumber` reads back (no grouping). */
export function inputText(v: number, maxDecimals = 6): string {
  if (!Number.isFinite(v)) return '';
  return String(Number(v.toFixed(maxDecimals)));
}
