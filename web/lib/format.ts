/**
 * The one formatting standard of every panel (book, funding, and the risk, optimizer and alpha
 * panels to come). One locale (en-US) so the desk, the screenshots and the tests read the same
 * digits; Intl formatters are built once.
 *
 * Rules:
 * - a negative number carries a true minus (U+2212), or parentheses when the user chose them;
 * - never `-0`: a value that rounds to zero at the shown precision is shown unsigned;
 * - money carries its currency code where it stands alone (KPI cards), and in the column header
 *   in tables;
 * - KPI cards use compact units (1.85M) and switch to scientific notation past 10¹⁵, so a card
 *   never overflows whatever the value;
 * - missing (NaN) and infinite values show as an em dash.
 */
const LOCALE = 'en-US';
const DASH = '—';
const MINUS = '\u2212';

/** How negative numbers are written: `−1,234` or `(1,234)`. */
export type NegativeStyle = 'minus' | 'parentheses';

/** The book's currency when none is given. */
export const DEFAULT_CURRENCY = 'USD';

/** Values at or past this magnitude are written in scientific notation (compact units stop at T). */
const SCIENTIFIC_FROM = 1e15;

const fixedCache = new Map<number, Intl.NumberFormat>();
function fixed(digits: number): Intl.NumberFormat {
  let f = fixedCache.get(digits);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'never' });
    fixedCache.set(digits, f);
  }
  return f;
}
const compact3 = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumSignificantDigits: 3, signDisplay: 'never' });
const upTo6 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 0, maximumFractionDigits: 6, signDisplay: 'never' });
const upTo2 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 0, maximumFractionDigits: 2, signDisplay: 'never' });
const price2to6 = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 6, signDisplay: 'never' });

function scientific(abs: number): string {
  return abs.toExponential(2).replace('e+', 'e');
}

/**
 * The building block: `body` formats |v| (already rounded as shown); the sign is added only when
 * the shown digits are not all zero.
 */
function signed(v: number, style: NegativeStyle, body: (abs: number) => string): string {
  if (!Number.isFinite(v)) return DASH;
  const abs = Math.abs(v);
  const text = abs >= SCIENTIFIC_FROM ? scientific(abs) : body(abs);
  const isZero = !/[1-9]/.test(text.replace(/e.*$/, ''));
  if (v >= 0 || isZero) return text;
  return style === 'parentheses' ? `(${text})` : `${MINUS}${text}`;
}

/** The formatters for one negative-number style (see `makeFormat`). */
export interface Format {
  /** Whole currency units with grouping: `1,851,204`, `−188,144`. */
  money(v: number): string;
  /** Currency with cents: `−11.15`. */
  money2(v: number): string;
  /** Money with its currency code, for values that stand alone: `USD −188,144`. */
  moneyCode(v: number, currency?: string, digits?: number): string;
  /**
   * Compact money for KPI cards, never wider than a card: `USD 1.85M`, `USD −4.07K`, `USD 1.00e300`;
   * below 1,000 with `smallDigits` decimals (a daily carry of `USD −11.15`).
   */
  moneyCompact(v: number, currency?: string, smallDigits?: number): string;
  /** Compact units without a currency code, for chart axes whose title names the currency: `−150K`, `2.5M`, `12.5`, `0`. */
  compact(v: number): string;
  /** A whole count with grouping: `1,000,000` paths, `462` days. */
  count(v: number): string;
  /** A plain number with `digits` decimals (statistics, p-values): `0.452`, `−1.30`. */
  num(v: number, digits?: number): string;
  /** Share counts, up to 6 decimals: `1,500`, `−1,200`. */
  shares(v: number): string;
  /** A price: 2 to 6 decimals, so a price below a cent is still shown as it is used: `277.02`, `0.0001`. */
  price(v: number): string;
  /** A fraction as a percentage with `digits` decimals: 0.036 → `3.60%`. */
  pct(v: number, digits?: number): string;
  /** A multiple: 1.851 → `1.85×`. */
  times(v: number): string;
  /** Basis points: `40 bp`. */
  bp(v: number): string;
}

/** The formatters for `style`. */
export function makeFormat(style: NegativeStyle = 'minus'): Format {
  return {
    money: (v) => signed(v, style, (a) => fixed(0).format(a)),
    money2: (v) => signed(v, style, (a) => fixed(2).format(a)),
    moneyCode: (v, currency = DEFAULT_CURRENCY, digits = 0) =>
      Number.isFinite(v) ? `${currency} ${signed(v, style, (a) => fixed(digits).format(a))}` : DASH,
    moneyCompact: (v, currency = DEFAULT_CURRENCY, smallDigits = 0) =>
      Number.isFinite(v) ? `${currency} ${signed(v, style, (a) => (a < 1000 ? fixed(smallDigits).format(a) : compact3.format(a)))}` : DASH,
    compact: (v) => signed(v, style, (a) => (a < 1000 ? upTo2.format(a) : compact3.format(a))),
    count: (v) => signed(v, style, (a) => fixed(0).format(a)),
    num: (v, digits = 2) => signed(v, style, (a) => fixed(digits).format(a)),
    shares: (v) => signed(v, style, (a) => upTo6.format(a)),
    price: (v) => signed(v, style, (a) => price2to6.format(a)),
    pct: (v, digits = 2) => {
      if (!Number.isFinite(v)) return DASH;
      return `${signed(v * 100, style, (a) => fixed(digits).format(a))}%`;
    },
    times: (v) => (Number.isFinite(v) ? `${signed(v, style, (a) => fixed(2).format(a))}×` : DASH),
    bp: (v) => (Number.isFinite(v) ? `${signed(v, style, (a) => upTo6.format(Math.round(a * 10) / 10))} bp` : DASH),
  };
}

/** The default (true minus) formatters, for code that has no user setting at hand. */
export const fmt: Format = makeFormat('minus');

/**
 * A funding rate in words, from the position's side: longs pay their rate, shorts receive theirs
 * (and pay when it is negative, e.g. a hard-to-borrow name): `pays 4.10%`, `receives 2.95%`.
 */
export function payReceive(rate: number, side: 'long' | 'short' | 'flat', f: Format = fmt): string {
  if (!Number.isFinite(rate) || side === 'flat') return DASH;
  if (side === 'long') return rate >= 0 ? `pays ${f.pct(rate)}` : `receives ${f.pct(-rate)}`;
  return rate >= 0 ? `receives ${f.pct(rate)}` : `pays ${f.pct(-rate)}`;
}

/**
 * Text an `<input>` shows for a value: grouped, at full precision up to `maxDecimals`, with an
 * ASCII minus so it can be edited and read back by `parseNumber`; at least `minDecimals` (prices:
 * 2). `''` for a missing value.
 */
export function inputText(v: number, maxDecimals = 6, minDecimals = 0): string {
  if (!Number.isFinite(v)) return '';
  const rounded = Number(v.toFixed(maxDecimals));
  const text = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals }).format(Math.abs(rounded));
  return rounded < 0 ? `-${text}` : text;
}
