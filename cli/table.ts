/**
 * The shared table printer and number formats of the CLI's readable output. Missing numbers
 * (`NaN`) print as an em dash, never as 0.
 *
 * Everything here is linear in the number of cells, so a table of a million rows costs seconds,
 * and every cell is made printable: control characters (a ticker carrying terminal escape codes)
 * are shown escaped (`\u001b`) instead of reaching the terminal, and a cell longer than its
 * column's `maxWidth` is cut with an ellipsis so one huge value cannot widen every row.
 */
import { escapeUnprintable } from '../engine/errors.ts';

/** Widest cell of a column unless the column says otherwise; longer cells are cut with `…`. */
export const MAX_CELL_WIDTH = 64;

/** A column: header text and alignment (numbers right, labels left). */
export interface Column {
  /** Header text. */
  header: string;
  /** `right` for numbers. Default `left`. */
  align?: 'left' | 'right';
  /** Longest cell shown, in characters (default {@link MAX_CELL_WIDTH}; `Infinity` for no limit). */
  maxWidth?: number;
}

/**
 * `text` as it may be printed: unprintable characters escaped, then cut to `maxWidth`
 * characters with a trailing `…` (the raw text is cut first, so a megabyte is never escaped).
 */
export function printable(text: string, maxWidth = Infinity): string {
  const raw = text.length > maxWidth ? text.slice(0, maxWidth) : text;
  let shown = escapeUnprintable(raw);
  if (shown.length > maxWidth || raw.length < text.length) {
    const keep = Math.max(0, Math.floor(maxWidth) - 1);
    const last = shown.charCodeAt(keep - 1);
    shown = `${shown.slice(0, last >= 0xd800 && last <= 0xdbff ? keep - 1 : keep)}…`;
  }
  return shown;
}

/** Lines per chunk that {@link tableChunks} yields. */
const LINES_PER_CHUNK = 4096;

/**
 * The table of {@link formatTable} as a sequence of text chunks (each whole lines ending in
 * `\n`), for output too large to build as one string. Two passes over `rows`: widths, then lines.
 */
export function* tableChunks(columns: readonly Column[], rows: readonly (readonly string[])[]): Generator<string> {
  const n = columns.length;
  const limits = columns.map((c) => c.maxWidth ?? MAX_CELL_WIDTH);
  const right = columns.map((c) => c.align === 'right');
  const headers = columns.map((c, j) => printable(c.header, limits[j]));
  const widths = headers.map((h) => h.length);
  for (const r of rows) {
    for (let j = 0; j < n; j++) {
      const length = printable(r[j] ?? '', limits[j]).length;
      if (length > widths[j]) widths[j] = length;
    }
  }
  const line = (cells: readonly string[], clean: boolean): string => {
    let out = '';
    for (let j = 0; j < n; j++) {
      const cell = clean ? cells[j] : printable(cells[j] ?? '', limits[j]);
      if (j > 0) out += '  ';
      out += right[j] ? cell.padStart(widths[j]) : cell.padEnd(widths[j]);
    }
    return out.trimEnd();
  };
  let chunk = `${line(headers, true)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`;
  let count = 0;
  for (const r of rows) {
    chunk += `${line(r, false)}\n`;
    if (++count === LINES_PER_CHUNK) {
      yield chunk;
      chunk = '';
      count = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Lay out `rows` (already formatted cells) under `columns`, two spaces apart, with a dashed rule
 * under the header; returns lines joined by `\n` with a trailing newline. Cells are made
 * {@link printable} and cut to their column's `maxWidth`.
 */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  let text = '';
  for (const chunk of tableChunks(columns, rows)) text += chunk;
  return text;
}

/** `label  value  note` lines: labels padded, values right-aligned so the numbers line up. Text is made {@link printable}. */
export function formatPairs(rows: readonly (readonly [label: string, value: string, note?: string])[]): string {
  const shown = rows.map(([label, value, note]) => [printable(label), printable(value), printable(note ?? '')] as const);
  let labelWidth = 0;
  let valueWidth = 0;
  for (const [label, value] of shown) {
    labelWidth = Math.max(labelWidth, label.length);
    valueWidth = Math.max(valueWidth, value.length);
  }
  const lines = shown.map(([label, value, note]) => `${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}  ${note}`.trimEnd());
  return `${lines.join('\n')}\n`;
}

const MISSING = '—';

/**
 * One `Intl.NumberFormat` per number of decimals, made on first use: `toLocaleString` builds a
 * new formatter on every call, which cost about 20 µs a cell (16 s for a 100,000-line book).
 */
const formatters: Intl.NumberFormat[] = [];

function intlFixed(x: number, digits: number): string {
  const format = (formatters[digits] ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  return format.format(x);
}

/** `1234567` → `1,234,567`. */
function group(int: string): string {
  if (int.length <= 3) return int;
  let out = int.slice(0, int.length % 3 || 3);
  for (let i = out.length; i < int.length; i += 3) out += `,${int.slice(i, i + 3)}`;
  return out;
}

/**
 * `x` with `digits` decimals and thousands separators, exactly as `Intl.NumberFormat('en-US')`
 * writes it (property-tested against it), three times faster: at a million rows × eight numeric
 * columns Intl alone took 5 s. Intl rounds the shortest decimal text of the double half away
 * from zero (1.005 → 1.01), `toFixed` rounds its exact binary value (1.005 → 1.00); the two agree
 * unless the value is within a rounding error of a half, and those values, huge or tiny ones
 * (where `toFixed` switches to exponents) and non-finite ones go to Intl.
 */
function fixedFast(x: number, digits: number): string {
  const magnitude = Math.abs(x);
  const scaled = magnitude * 10 ** digits;
  // Below 1e15 units of the last decimal, toFixed prints no digit beyond the double's precision
  // (where Intl would print zeros); the two texts of the value differ by less than 4e-16 of it.
  if (!(scaled < 1e15) || digits > 20) return intlFixed(x, digits);
  const half = scaled - Math.floor(scaled) - 0.5;
  if (Math.abs(half) <= scaled * 4e-16 + 1e-9) return intlFixed(x, digits);
  const text = magnitude.toFixed(digits);
  const dot = digits > 0 ? text.length - digits - 1 : text.length;
  const negative = x < 0 || Object.is(x, -0);
  return `${negative ? '-' : ''}${group(text.slice(0, dot))}${text.slice(dot)}`;
}

function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return MISSING;
  return Number.isInteger(digits) && digits >= 0 ? fixedFast(x, digits) : intlFixed(x, digits);
}

/** For tests: the Intl formatting {@link fixed} must equal. */
export const intlFixedForTest = intlFixed;
/** For tests: the fast formatting behind the number formats. */
export const fixedForTest = fixed;

/** Money with thousands separators and cents: `-47.32`, `1,851,204.00`. */
export function money(x: number): string {
  return fixed(x, 2);
}

/** A count with thousands separators: `-1,200`. */
export function count(x: number): string {
  return fixed(x, 0);
}

/** A fraction as a percent: `0.041` → `4.100%` (three decimals by default). */
export function percent(x: number, digits = 3): string {
  return Number.isNaN(x) ? MISSING : `${fixed(x * 100, digits)}%`;
}

/** A multiple: `1.851204` → `1.85×`. */
export function times(x: number): string {
  return Number.isNaN(x) ? MISSING : `${fixed(x, 2)}×`;
}

/** Basis points: `40` → `40 bp`. */
export function bps(x: number): string {
  return Number.isNaN(x) ? MISSING : `${fixed(x, x % 1 === 0 ? 0 : 2)} bp`;
}
