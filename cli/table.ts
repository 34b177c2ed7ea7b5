/**
 * The shared table printer and number formats of the CLI's readable output. Missing numbers
 * (`NaN`) print as an em dash, never as 0.
 */

/** A column: header text and alignment (numbers right, labels left). */
export interface Column {
  /** Header text. */
  header: string;
  /** `right` for numbers. Default `left`. */
  align?: 'left' | 'right';
}

/**
 * Lay out `rows` (already formatted cells) under `columns`, two spaces apart, with a dashed rule
 * under the header; returns lines joined by `\n` with a trailing newline.
 */
export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    columns
      .map((c, j) => (c.align === 'right' ? (cells[j] ?? '').padStart(widths[j]) : (cells[j] ?? '').padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return `${[line(columns.map((c) => c.header)), rule, ...rows.map(line)].join('\n')}\n`;
}

/** `label  value  note` lines: labels padded, values right-aligned so the numbers line up. */
export function formatPairs(rows: readonly (readonly [label: string, value: string, note?: string])[]): string {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const lines = rows.map(([label, value, note]) => `${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}  ${note ?? ''}`.trimEnd());
  return `${lines.join('\n')}\n`;
}

const MISSING = '—';

function fixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return MISSING;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

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
