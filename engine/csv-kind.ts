/**
 * Which of ASTRA's CSV formats a text is, from its header alone, and the date patterns the CSV
 * reader uses. Kept apart from engine/csv.ts so the page can tell dropped files apart without
 * loading the CSV parser (papaparse), which runs in the engine workers.
 */

/** The kinds of CSV ASTRA reads. */
export type CsvKind = 'prices' | 'bars' | 'book';

/** An ISO date, optionally with a midnight time and offset as pandas writes tz-aware daily indexes. */
export const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** An ISO 8601 date-time, the offset optional here (the reader requires it and says so). */
export const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Guess which kind of CSV `text` is from its header (for dropped files): `book` if it has a
 * `ticker` column, `bars` for a `timestamp`/`Datetime` index or a first cell with a time of day,
 * `prices` for a `date` index; `undefined` when it cannot tell.
 */
export function sniffCsvKind(text: string): CsvKind | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/, 2);
  const header = lines[0].split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
  if (header.includes('ticker')) return 'book';
  if (header[0] === 'timestamp' || header[0] === 'datetime') return 'bars';
  if (header[0] === 'date') return 'prices';
  if (header[0] === '' && lines[1] !== undefined) {
    const first = lines[1].split(',')[0].trim();
    if (DATE_TIME.test(first) && !DATE.test(first)) return 'bars';
    if (DATE.test(first)) return 'prices';
  }
  return undefined;
}

