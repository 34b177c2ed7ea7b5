/**
 * Reading what a user typed. Parsers return a result instead of throwing so the UI can keep the
 * previous value and show a message that names the field and the value.
 */

/** Outcome of reading one input. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Parse a decimal number as typed in a cell: optional sign, digits with optional `,` grouping
 * (`1,500`), optional decimals, optional exponent. Empty text, `abc`, `1.2.3`, `NaN`, `Infinity`
 * are rejected. `field` names the input in the message, e.g. `shares of AAPL`.
 */
export function parseNumber(text: string, field: string): Parsed<number> {
  const t = text.trim().replace(/^\u2212/, '-'); // accept a typographic minus
  if (t === '') return { ok: false, error: `${field} must be a number, got an empty value` };
  const grouped = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t);
  const plain = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t);
  if (!grouped && !plain) return { ok: false, error: `${field} must be a number, got "${text.trim()}"` };
  const value = Number(t.replaceAll(',', ''));
  if (!Number.isFinite(value)) return { ok: false, error: `${field} must be a finite number, got "${text.trim()}"` };
  return { ok: true, value };
}

/** A number that must satisfy `rule` (described by `ruleText`, e.g. `a positive number`). */
export function parseNumberWhere(
  text: string,
  field: string,
  rule: (v: number) => boolean,
  ruleText: string,
): Parsed<number> {
  const parsed = parseNumber(text, field);
  if (!parsed.ok) return parsed;
  if (!rule(parsed.value)) return { ok: false, error: `${field} must be ${ruleText}, got ${text.trim()}` };
  return parsed;
}

/** Ticker symbols as data sources spell them: letters, digits, `.`, `-`, `=`, `^`; 1–15 chars. */
export function parseTicker(text: string): Parsed<string> {
  const t = text.trim().toUpperCase();
  if (t === '') return { ok: false, error: 'ticker must not be empty' };
  if (!/^[A-Z0-9.\-=^]{1,15}$/.test(t)) return { ok: false, error: `ticker must be a symbol like AAPL or BRK-B, got "${text.trim()}"` };
  return { ok: true, value: t };
}
