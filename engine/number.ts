/**
 * The one reader of decimal numbers typed or stored as text: CSV cells, CLI options, UI inputs.
 *
 * A hand-written scanner, linear in the text's length, with a length cap checked before anything
 * else: a pattern like `^\d+\.?\d*$` backtracks quadratically on a long run of digits followed by
 * a bad character, and CSV cells and pasted text can be megabytes long.
 */

/** Longest text read as a number; anything longer is refused without being scanned. */
export const MAX_NUMBER_TEXT = 64;

/** Options of {@link readDecimal}. */
export interface DecimalOptions {
  /**
   * Accept thousands separators in the integer part, in groups of three (`1,500`, `-1,200.5`).
   * Default false: CSV and the CLI take plain numbers only.
   */
  grouping?: boolean;
  /** Accept the typographic minus U+2212 as a sign (UI input). Default false. */
  unicodeMinus?: boolean;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * The number in `text` (already trimmed by the caller or not: surrounding spaces are ignored):
 * optional sign, digits with an optional decimal point, optional exponent (`1e-3`, `.5`, `5.`).
 * Returns `undefined` for anything else — empty text, `NaN`, `Infinity`, `0x10`, `1.2.3`, a
 * misplaced comma, or text longer than {@link MAX_NUMBER_TEXT} — so each caller can say what it
 * expected. A result may still be ±Infinity for huge exponents (`1e999`): callers check ranges.
 */
export function readDecimal(text: string, options: DecimalOptions = {}): number | undefined {
  if (text.length > MAX_NUMBER_TEXT + 32) return undefined; // room for spaces only, never a scan of megabytes
  const t = text.trim();
  if (t.length === 0 || t.length > MAX_NUMBER_TEXT) return undefined;
  let i = 0;
  let sign = '';
  const c0 = t.charCodeAt(0);
  if (c0 === 43 /* + */ || c0 === 45 /* - */) {
    sign = c0 === 45 ? '-' : '';
    i = 1;
  } else if (c0 === 0x2212 && options.unicodeMinus) {
    sign = '-';
    i = 1;
  }
  const signed = i; // where the digits start
  let intDigits = 0;
  let sinceComma = -1; // digits since the last comma, -1 before any comma
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (isDigit(c)) {
      intDigits++;
      if (sinceComma >= 0) sinceComma++;
      continue;
    }
    if (c === 44 /* , */ && options.grouping) {
      // A comma needs 1–3 digits before the first one and exactly 3 between later ones.
      if (sinceComma === -1 ? intDigits === 0 || intDigits > 3 : sinceComma !== 3) return undefined;
      sinceComma = 0;
      continue;
    }
    break;
  }
  if (sinceComma >= 0 && sinceComma !== 3) return undefined;
  let fracDigits = 0;
  if (i < t.length && t.charCodeAt(i) === 46 /* . */) {
    i++;
    const fracStart = i;
    while (i < t.length && isDigit(t.charCodeAt(i))) i++;
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0) return undefined;
  if (i < t.length && (t.charCodeAt(i) === 101 || t.charCodeAt(i) === 69) /* e E */) {
    i++;
    if (i < t.length && (t.charCodeAt(i) === 43 || t.charCodeAt(i) === 45)) i++;
    const digitsStart = i;
    while (i < t.length && isDigit(t.charCodeAt(i))) i++;
    if (i === digitsStart) return undefined;
  }
  if (i !== t.length) return undefined;
  // The text is now known to be plain decimal syntax, which Number() reads exactly; only a
  // typographic minus or grouping commas need rewriting first. (Building the text piece by piece
  // for every cell made this a quarter of a microsecond slower per cell: seconds on a large file.)
  if (sinceComma === -1 && c0 !== 0x2212) return Number(t);
  return Number(sign + t.slice(signed).replaceAll(',', ''));
}
