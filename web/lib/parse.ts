/**
 * Reading what a user typed. Parsers return a `Result` instead of throwing so the UI can keep the
 * previous value and show a message that names the field and the value.
 */
import { readDecimal } from '../../engine/number.ts';
import { fail, ok, type Result } from '../../engine/result.ts';

/**
 * Parse a decimal number as typed in a cell: optional sign (a typographic minus too), digits with
 * optional `,` grouping (`1,500`), optional decimals, optional exponent. Empty text, `abc`,
 * `1.2.3`, `NaN`, `Infinity` are rejected. `field` names the input in the message, e.g. `shares of AAPL`.
 */
export function parseNumber(text: string, field: string): Result<number> {
  const t = text.trim();
  if (t === '') return fail(`${field} must be a number, got an empty value`);
  const value = readDecimal(t, { grouping: true, unicodeMinus: true });
  if (value === undefined) return fail(`${field} must be a number, got "${t}"`);
  if (!Number.isFinite(value)) return fail(`${field} must be a finite number, got "${t}"`);
  return ok(value);
}

/** A number that must satisfy `rule` (described by `ruleText`, e.g. `a positive number`). */
export function parseNumberWhere(
  text: string,
  field: string,
  rule: (v: number) => boolean,
  ruleText: string,
): Result<number> {
  const parsed = parseNumber(text, field);
  if (!parsed.ok) return parsed;
  if (!rule(parsed.value)) return fail(`${field} must be ${ruleText}, got ${text.trim()}`);
  return parsed;
}

/** Ticker symbols as data sources spell them: letters, digits, `.`, `-`, `=`, `^`; 1–15 chars. */
export function parseTicker(text: string): Result<string> {
  const t = text.trim().toUpperCase();
  if (t === '') return fail('ticker must not be empty');
  if (!/^[A-Z0-9.\-=^]{1,15}$/.test(t)) return fail(`ticker must be a symbol like AAPL or BRK-B, got "${text.trim()}"`);
  return ok(t);
}
