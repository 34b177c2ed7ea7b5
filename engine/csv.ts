/**
 * CSV readers and writers for prices, intraday bars and books. Browser-safe (no Node APIs): the
 * web app runs the same code on dropped files.
 *
 * Contracts (docs/conventions.md):
 * - prices: `date,TICKER1,…`, ISO dates `YYYY-MM-DD`, adjusted closes, empty cell = missing (`NaN`);
 * - bars: `timestamp,TICKER1,…`, ISO 8601 date-times with an offset or `Z`;
 * - book: `ticker,shares[,price]`, shorts negative, empty price = take it from market data.
 * pandas `to_csv` output is accepted (index header `Date`/`Datetime`/empty, CRLF, BOM, trailing
 * newline). Every error is `AstraError('CSV_FORMAT')` naming the file, the row as a spreadsheet
 * numbers it (header = row 1), the column and the bad value.
 *
 * What a spreadsheet brings, cell by cell (docs/conventions.md, "CSV inputs"):
 * - accepted: a BOM (stripped), CRLF or CR line ends, blank lines (still counted as rows), spaces
 *   around cells, `NaN` (any case) as a missing price like an empty cell;
 * - missing values: an empty price or bar close is missing (`NaN`, never 0); an empty book price
 *   takes the market's; empty dates, timestamps, tickers or shares are errors;
 * - refused, naming row, column and value, with what to write instead: thousands separators
 *   (`1,234.5`), decimal commas (`185,5`), percent signs (`3.6%`), currency symbols, other missing
 *   markers (`N/A`, `null`, `-`, `#N/A`), rows with more or fewer cells than the header, duplicate
 *   or empty column names, a first row that holds data instead of column names, and semicolon- or
 *   tab-separated files (refused at the header: their decimal commas would fail every cell);
 * - tickers are never converted: `TRUE`, `NA`, `NaN`, `0700.HK` or `1e5` as a column name or in
 *   the book's ticker column stay the strings they are.
 */
import Papa from 'papaparse';
import { AstraError, mention, Messages, quote } from './errors.ts';
import { RATE_SYMBOLS } from './types.ts';
import { readDecimal } from './number.ts';
import { discountYieldProblem } from './book/rates.ts';
import { DATE, DATE_TIME, type CsvKind } from './csv-kind.ts';
import type { BarTable, Position, PriceTable } from './types.ts';

/** Options of the parsers. */
export interface CsvOptions {
  /** File name for messages, e.g. `data/prices.csv`. */
  name?: string;
}

export { sniffCsvKind, type CsvKind } from './csv-kind.ts';

interface Row {
  /** 1-based spreadsheet row (header = 1). */
  row: number;
  cells: string[];
}

interface Grid {
  file: string;
  header: string[];
  rows: Row[];
}

const MISSING = /^(?:|nan)$/i;

function fileLabel(kind: CsvKind, options?: CsvOptions): string {
  return Messages.csvFile(kind, options?.name);
}

function cellError(g: Grid, row: number, column: string, problem: string, value: string, ticker?: string): AstraError {
  const where: Record<string, string | number> = { row, column };
  if (ticker !== undefined) where.ticker = ticker;
  return new AstraError('CSV_FORMAT', Messages.csvCell(g.file, row, column, problem, value), where);
}

/**
 * Separators of other locales' spreadsheets, refused at the header: a semicolon file usually has
 * decimal commas too (`185,5`), so reading it with `;` would only move the failure to every cell.
 */
const FOREIGN_SEPARATORS: readonly [string, string][] = [
  [';', 'semicolons (;)'],
  ['\t', 'tabs'],
];

/**
 * Split `text` into trimmed cells; blank lines are skipped but still counted as rows. A BOM is
 * stripped; CRLF and lone CR line ends are read as LF. A header with no comma but a semicolon or a
 * tab is refused with a message saying so.
 */
function readGrid(text: string, file: string): Grid {
  const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const body = unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked;
  const lineEnd = body.indexOf('\n');
  const firstLine = lineEnd < 0 ? body : body.slice(0, lineEnd);
  if (!firstLine.includes(',')) {
    for (const [separator, name] of FOREIGN_SEPARATORS) {
      if (firstLine.includes(separator)) {
        throw new AstraError('CSV_FORMAT', Messages.csvHeader(file, `the columns are separated by ${name}; ASTRA reads comma-separated files (export again with ',' between columns and '.' as the decimal mark)`), { row: 1 });
      }
    }
  }
  const parsed = Papa.parse<string[]>(body, { delimiter: ',', newline: '\n', header: false, skipEmptyLines: false, dynamicTyping: false });
  const bad = parsed.errors[0];
  if (bad) {
    const row = (bad.row ?? 0) + 1;
    throw new AstraError('CSV_FORMAT', Messages.csvRow(file, row, bad.message), { row });
  }
  // One pass, trimming papaparse's cell arrays in place: a copy per row was a second million
  // arrays for a million-row file.
  const records = parsed.data;
  const isBlank = (cells: string[]) => cells.length === 1 && cells[0].trim() === '';
  const header = records[0]?.map((c) => c.trim());
  if (!header || isBlank(header)) throw new AstraError('CSV_FORMAT', Messages.csvEmpty(file));
  const rows: Row[] = [];
  for (let i = 1; i < records.length; i++) {
    const cells = records[i];
    if (isBlank(cells)) continue;
    const row = i + 1;
    if (cells.length !== header.length) {
      throw new AstraError('CSV_FORMAT', Messages.csvRagged(file, row, cells.length, header.length), { row });
    }
    for (let k = 0; k < cells.length; k++) cells[k] = cells[k].trim();
    rows.push({ row, cells });
  }
  if (rows.length === 0) throw new AstraError('CSV_FORMAT', Messages.csvNoRows(file));
  return { file, header, rows };
}

/** Ticker columns after the index column: non-empty and unique. */
function tickerColumns(g: Grid): string[] {
  const tickers = g.header.slice(1);
  if (tickers.length === 0) throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, 'no ticker columns after the first column'));
  const seen = new Map<string, number>();
  tickers.forEach((t, i) => {
    const col = i + 2;
    if (t === '') throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, `column ${col} has an empty name`), { row: 1, column: col });
    const first = seen.get(t);
    if (first !== undefined) {
      throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, `duplicate ticker column ${mention(t)} (columns ${first} and ${col})`), { row: 1, column: t });
    }
    seen.set(t, col);
  });
  return tickers;
}

function indexColumn(g: Grid, accepted: readonly string[], expected: string): string {
  const name = g.header[0];
  if (DATE.test(name) || DATE_TIME.test(name)) {
    // A file saved without its header: say so rather than "the first column must be 'date'".
    throw new AstraError(
      'CSV_FORMAT',
      Messages.csvHeader(g.file, `the first row holds data (${quote(name)}), not column names: add a header row '${expected},TICKER1,TICKER2,…'`),
      { row: 1, column: 1 },
    );
  }
  if (!accepted.includes(name.toLowerCase())) {
    throw new AstraError(
      'CSV_FORMAT',
      Messages.csvHeader(g.file, `the first column must be '${expected}', got ${quote(name)}`),
      { row: 1, column: 1 },
    );
  }
  return name === '' ? expected : name;
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Parse a numeric cell: `NaN` for empty/`NaN`, `undefined` if it is not a number. */
function parseNumberCell(cell: string): number | undefined {
  if (MISSING.test(cell)) return NaN;
  return readDecimal(cell);
}

/** Spreadsheet markers of a missing value other than an empty cell or `NaN`. */
const OTHER_MISSING = /^(?:n\/?a|#n\/a|null|none|nil|-+|—|#value!|#div\/0!|#ref!|#num!)$/i;

/**
 * What to do about a number cell {@link readDecimal} refused, for the habits a spreadsheet
 * brings (`1,234.5`, `3.6%`, `$185`, `N/A`): a clause appended to the cell's problem, or '' when
 * the cell is just not a number.
 */
function numberHint(cell: string, missingAllowed: boolean): string {
  if (cell.endsWith('%')) return ': percent signs are not allowed, write the number alone (3.6, not 3.6%)';
  if (cell.includes(',')) {
    return readDecimal(cell, { grouping: true }) !== undefined
      ? ': thousands separators are not allowed, write 1234.5, not 1,234.5'
      : ': commas are not allowed in a number, write a decimal point (185.5, not 185,5)';
  }
  if (/^[-+]?[$€£¥]|[$€£¥]$/.test(cell)) return ': currency symbols are not allowed, write the number alone';
  if (OTHER_MISSING.test(cell)) return missingAllowed ? ': leave the cell empty for a missing value' : '';
  return '';
}

/**
 * Read closes of every ticker column; rate symbols may be ≤ 0, asset prices must be > 0, and a
 * `^IRX` quote must be a discount yield a 13-week bill can have (the RFR is converted from it).
 */
function readCloses(g: Grid, tickers: string[]): Float64Array[] {
  const closes = tickers.map(() => new Float64Array(g.rows.length));
  const isRate = tickers.map((t) => RATE_SYMBOLS.has(t));
  for (let i = 0; i < g.rows.length; i++) {
    const r = g.rows[i];
    for (let j = 0; j < tickers.length; j++) {
      const ticker = tickers[j];
      const cell = r.cells[j + 1];
      const value = parseNumberCell(cell);
      if (value === undefined || (!Number.isNaN(value) && !Number.isFinite(value))) {
        throw cellError(g, r.row, ticker, `price must be a number (or empty when missing)${numberHint(cell, true)}`, cell, ticker);
      }
      if (value <= 0 && !isRate[j]) throw cellError(g, r.row, ticker, 'price must be positive', cell, ticker);
      if (ticker === '^IRX') {
        const problem = discountYieldProblem(value);
        if (problem) throw cellError(g, r.row, ticker, `a ^IRX quote is a discount yield in percent and must be ${problem}`, cell, ticker);
      }
      closes[j][i] = value;
    }
  }
  return closes;
}

function orderError(g: Grid, row: number, column: string, noun: string, value: string, previous: Row, same: boolean): AstraError {
  const problem = same
    ? `duplicate ${noun} (row ${previous.row} has the same)`
    : `${noun}s must increase, but row ${previous.row} has ${quote(previous.cells[0])}`;
  return cellError(g, row, column, problem, value);
}

/**
 * Parse a wide daily prices CSV (`date,TICKER1,…`). Dates may carry a midnight time and offset as
 * pandas writes tz-aware daily indexes (`2024-01-02 00:00:00-05:00`); only the date is kept.
 * Rate columns (`^IRX`…) may hold zero or negative values; asset prices must be positive.
 */
export function parsePricesCsv(text: string, options?: CsvOptions): PriceTable {
  const g = readGrid(text, fileLabel('prices', options));
  const dateColumn = indexColumn(g, ['date', ''], 'date');
  const tickers = tickerColumns(g);
  const dates = g.rows.map((r, i) => {
    const cell = r.cells[0];
    const m = DATE.exec(cell);
    if (!m || !isCalendarDate(+m[1], +m[2], +m[3])) {
      throw cellError(g, r.row, dateColumn, 'date must be an ISO date YYYY-MM-DD', cell);
    }
    const date = `${m[1]}-${m[2]}-${m[3]}`;
    if (i > 0) {
      const prev = g.rows[i - 1];
      const prevDate = prev.cells[0].slice(0, 10);
      if (date <= prevDate) throw orderError(g, r.row, dateColumn, 'date', cell, prev, date === prevDate);
    }
    return date;
  });
  return { dates, tickers, closes: readCloses(g, tickers) };
}

/** Milliseconds since the epoch of an ISO 8601 date-time, or a problem description. */
function parseTimestamp(cell: string): number | string {
  const m = DATE_TIME.exec(cell);
  if (!m) return 'timestamp must be ISO 8601 like 2024-01-02T09:30:00-05:00';
  const [, y, mo, d, h, mi, s = '0', frac = '', offset] = m;
  if (!offset) return 'timestamp needs a UTC offset (e.g. -05:00) or Z';
  if (!isCalendarDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return 'timestamp is not a valid date and time';
  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const digits = offset.replace(':', '');
    const oh = +digits.slice(1, 3);
    const om = +digits.slice(3, 5);
    if (oh > 23 || om > 59) return 'timestamp has an invalid UTC offset';
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Whole milliseconds from the first three digits (exact), finer digits as a fraction of one.
  const ms = Number(frac.slice(0, 3).padEnd(3, '0')) + (frac.length > 3 ? Number(`0.${frac.slice(3)}`) : 0);
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + ms - offsetMinutes * 60_000;
}

/**
 * Parse a wide intraday bars CSV (`timestamp,TICKER1,…`; pandas' `Datetime` header is accepted).
 * Timestamps must carry an offset or `Z` and strictly increase in time; a space between date and
 * time is normalised to `T`.
 */
export function parseBarsCsv(text: string, options?: CsvOptions): BarTable {
  const g = readGrid(text, fileLabel('bars', options));
  const timeColumn = indexColumn(g, ['timestamp', 'datetime', ''], 'timestamp');
  const tickers = tickerColumns(g);
  const times = new Float64Array(g.rows.length);
  const timestamps = g.rows.map((r, i) => {
    const cell = r.cells[0];
    const t = parseTimestamp(cell);
    if (typeof t === 'string') throw cellError(g, r.row, timeColumn, t, cell);
    if (i > 0 && t <= times[i - 1]) throw orderError(g, r.row, timeColumn, 'timestamp', cell, g.rows[i - 1], t === times[i - 1]);
    times[i] = t;
    return cell.charAt(10) === ' ' ? `${cell.slice(0, 10)}T${cell.slice(11)}` : cell;
  });
  return { timestamps, times, tickers, closes: readCloses(g, tickers) };
}

/**
 * Parse a book CSV (`ticker,shares[,price]`, any column order, header case-insensitive; a leading
 * unnamed pandas index column is ignored). Shares are signed whole numbers (0 = flat); an empty
 * price is `NaN` (fill it from market data); a ticker may appear once (case-insensitive).
 */
export function parseBookCsv(text: string, options?: CsvOptions): Position[] {
  return readBookCsv(text, options).positions;
}

/** A book read from CSV, with where each position came from (for messages about it later). */
export interface BookCsv {
  /** The positions, in file order, as {@link parseBookCsv} returns them. */
  positions: Position[];
  /** The spreadsheet row (header = 1) of each position. */
  rows: number[];
  /** The file as messages name it, e.g. `book CSV data/book.csv`. */
  file: string;
}

const BOOK_COLUMNS: readonly string[] = ['ticker', 'shares', 'price'];

/** {@link parseBookCsv} that also says which row each position is on. Same rules and errors. */
export function readBookCsv(text: string, options?: CsvOptions): BookCsv {
  const g = readGrid(text, fileLabel('book', options));
  const skipIndex = g.header[0] === '' && g.header.length > 1 ? 1 : 0;
  if (!g.header.some((name) => BOOK_COLUMNS.includes(name.toLowerCase()))) {
    throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, `no column is named ticker, shares or price (the first row holds ${quote(g.header.join(','))}): add a header row 'ticker,shares,price'`), { row: 1 });
  }
  const columns = new Map<string, number>();
  g.header.forEach((name, k) => {
    if (k < skipIndex) return;
    const key = name.toLowerCase();
    const col = k + 1;
    if (key === '') throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, `column ${col} has an empty name`), { row: 1, column: col });
    if (!BOOK_COLUMNS.includes(key)) {
      throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, `unknown column ${quote(name)} (expected ticker, shares[, price])`), { row: 1, column: name });
    }
    if (columns.has(key)) throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, `duplicate column ${mention(name)}`), { row: 1, column: name });
    columns.set(key, k);
  });
  for (const required of ['ticker', 'shares']) {
    if (!columns.has(required)) throw new AstraError('CSV_FORMAT', Messages.csvHeader(g.file, `missing column '${required}' (expected ticker, shares[, price])`), { row: 1 });
  }
  const tickerAt = columns.get('ticker') as number;
  const sharesAt = columns.get('shares') as number;
  const priceAt = columns.get('price');
  const seen = new Map<string, number>();
  const positions = g.rows.map((r) => {
    const ticker = r.cells[tickerAt];
    if (ticker === '') throw cellError(g, r.row, g.header[tickerAt], 'ticker is empty', ticker);
    const key = ticker.toUpperCase();
    const first = seen.get(key);
    if (first !== undefined) throw cellError(g, r.row, g.header[tickerAt], `duplicate ticker (already on row ${first})`, ticker, ticker);
    seen.set(key, r.row);
    const sharesCell = r.cells[sharesAt];
    const shares = readDecimal(sharesCell) ?? NaN;
    if (!Number.isSafeInteger(shares)) {
      const problem = sharesCell === '' || MISSING.test(sharesCell) ? 'shares are missing: every position needs a whole number (negative for shorts)' : `shares must be a whole number (negative for shorts)${numberHint(sharesCell, false)}`;
      throw cellError(g, r.row, g.header[sharesAt], problem, sharesCell, ticker);
    }
    let price = NaN;
    if (priceAt !== undefined) {
      const priceCell = r.cells[priceAt];
      const value = parseNumberCell(priceCell);
      const ok = value !== undefined && (Number.isNaN(value) || (Number.isFinite(value) && value > 0));
      if (!ok) {
        throw cellError(g, r.row, g.header[priceAt], `price must be a positive number (or empty to use market data)${value === undefined ? numberHint(priceCell, true) : ''}`, priceCell, ticker);
      }
      price = value as number;
    }
    return { ticker, shares: shares === 0 ? 0 : shares, price };
  });
  return { positions, rows: g.rows.map((r) => r.row), file: g.file };
}

function formatNumber(x: number, what: string): string {
  if (Number.isNaN(x)) return '';
  if (!Number.isFinite(x)) throw new AstraError('BAD_INPUT', Messages.tableShape(what, `cannot write ${x}`));
  // String() gives the shortest text that parses back to the same double; keep the sign of −0.
  return Object.is(x, -0) ? '-0' : String(x);
}

function unparse(fields: string[], rows: string[][]): string {
  return `${Papa.unparse({ fields, data: rows }, { newline: '\n', quotes: false, escapeFormulae: false })}\n`;
}

function checkColumns(what: string, length: number, tickers: string[], closes: Float64Array[]): void {
  if (closes.length !== tickers.length) {
    throw new AstraError('BAD_INPUT', Messages.tableShape(what, `${tickers.length} tickers but ${closes.length} columns`));
  }
  closes.forEach((c, j) => {
    if (c.length !== length) throw new AstraError('BAD_INPUT', Messages.tableShape(what, `column ${mention(tickers[j])} has ${c.length} values, expected ${length}`));
  });
}

function wide(index: string, labels: string[], tickers: string[], closes: Float64Array[], what: string): string {
  const rows = labels.map((label, i) => [label, ...closes.map((c) => formatNumber(c[i], what))]);
  return unparse([index, ...tickers], rows);
}

/** Write a price table as `date,TICKER1,…` (LF line ends, trailing newline, `NaN` → empty cell). */
export function pricesToCsv(table: PriceTable): string {
  checkColumns('price table', table.dates.length, table.tickers, table.closes);
  return wide('date', table.dates, table.tickers, table.closes, 'price table');
}

/** Write a bar table as `timestamp,TICKER1,…` with its timestamps as stored. */
export function barsToCsv(table: BarTable): string {
  checkColumns('bar table', table.timestamps.length, table.tickers, table.closes);
  return wide('timestamp', table.timestamps, table.tickers, table.closes, 'bar table');
}

/** Write a book as `ticker,shares,price` (a `NaN` price → empty cell). */
export function bookToCsv(positions: readonly Position[]): string {
  const rows = positions.map((p) => [p.ticker, formatNumber(p.shares, 'book'), formatNumber(p.price, 'book')]);
  return unparse(['ticker', 'shares', 'price'], rows);
}
