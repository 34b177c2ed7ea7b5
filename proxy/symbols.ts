/**
 * From the symbol a user types to the one Yahoo knows. US share classes are
 * written with a dot (`BRK.B`, `BF.B`) on exchanges and in most books, but
 * Yahoo spells them with a dash (`BRK-B`, `BF-B`) and reads a dot as an
 * exchange suffix (`OCDO.L` London, `0700.HK` Hong Kong, `7203.T` Tokyo).
 */

/**
 * One-letter Yahoo exchange suffixes: `.F` Frankfurt, `.H` Hamburg, `.L` London,
 * `.T` Tokyo, `.V` TSX Venture. A dotted letter among these is an exchange, never a
 * share class (so McCormick's voting class must be typed `MKC-V`).
 */
export const ONE_LETTER_EXCHANGE_SUFFIXES: ReadonlySet<string> = new Set(['F', 'H', 'L', 'T', 'V']);

/** A US ticker (1–5 letters), a dot, and a one-letter share class. */
const SHARE_CLASS_RE = /^([A-Z]{1,5})\.([A-Z])$/;

/**
 * The Yahoo symbol for an upper-cased, validated symbol: `BRK.B` → `BRK-B`;
 * anything else unchanged (`OCDO.L`, `0700.HK`, `^IRX`, `EURUSD=X`, `BRK-B`).
 */
export function toYahooSymbol(symbol: string): string {
  const m = SHARE_CLASS_RE.exec(symbol);
  if (!m || ONE_LETTER_EXCHANGE_SUFFIXES.has(m[2])) return symbol;
  return `${m[1]}-${m[2]}`;
}
