/**
 * Pure helpers of the data-source module: which dropped or picked file is which, their size caps
 * (checked before reading), and the book tickers a source has no prices for. No DOM.
 */
import { sniffCsvKind, type CsvKind } from '../../engine/csv-kind.ts';
import { RATE_SYMBOLS } from '../../engine/types.ts';
import type { Position } from '../../engine/types.ts';

/**
 * The book's tickers (with shares ≠ 0) that the market has no price for, in book order. Rate
 * series are never book positions; a flat position needs no price.
 */
export function missingBookTickers(positions: readonly Position[] | null | undefined, lastPrices: Readonly<Record<string, number>> | null | undefined): string[] {
  if (!positions || !lastPrices) return [];
  return positions.filter((p) => p.shares !== 0 && !RATE_SYMBOLS.has(p.ticker) && !(p.ticker in lastPrices)).map((p) => p.ticker);
}

/** Largest CSV file read, bytes (checked with `File.size` before reading). */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;
/** Largest snapshot file read, bytes. */
export const MAX_SNAPSHOT_BYTES = 40 * 1024 * 1024;

/** What a dropped or picked file is. */
export type FileKind = 'snapshot' | CsvKind;

/** `1.5 MB` / `820 KB`. */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * A file's kind from its name and size alone (before reading it): `.json` is a snapshot;
 * anything else is read as CSV. Returns a message when the file is over its cap.
 */
export function checkFileSize(name: string, size: number): { kind: 'snapshot' | 'csv'; problem: string | null } {
  const kind = /\.json$/i.test(name) ? 'snapshot' : 'csv';
  const cap = kind === 'snapshot' ? MAX_SNAPSHOT_BYTES : MAX_CSV_BYTES;
  const problem = size > cap ? `${name} is ${sizeText(size)}; a ${kind === 'snapshot' ? 'snapshot' : 'CSV file'} may be at most ${sizeText(cap)} (checked before reading it)` : null;
  return { kind, problem };
}

/**
 * Which CSV a text is, from its first lines (`date,…` prices, `timestamp,…` bars,
 * `ticker,shares…` a book). A file separated by semicolons or tabs is recognised too, so the
 * parser can refuse it with its own message rather than "cannot tell".
 */
export function csvKindOf(text: string): CsvKind | undefined {
  const head = text.slice(0, 4096);
  const lines = head.split(/\r\n|\r|\n/, 2);
  const firstLine = lines[0];
  const normalised = firstLine.includes(',') ? head : lines.map((l) => l.replace(/[;\t]/g, ',')).join('\n');
  const kind = sniffCsvKind(normalised);
  if (kind) return kind;
  // A file without its header row: guess from the first cell, so the parser says what is missing.
  const [first = '', second = ''] = normalised.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0].split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (/^\d{4}-\d{2}-\d{2}$/.test(first)) return 'prices';
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(first)) return 'bars';
  if (/^[A-Za-z0-9^][\w^.=-]*$/.test(first) && /^[-+]?\d+$/.test(second)) return 'book';
  return undefined;
}
