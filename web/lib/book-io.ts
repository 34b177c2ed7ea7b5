/**
 * Book import and export as text: CSV a spreadsheet opens safely, and the KPIs as plain text.
 *
 * Export is safe against formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return would run as a formula in a spreadsheet, so it is written quoted with a
 * leading apostrophe (`"'=HYPERLINK(…)"`). Numbers are written as numbers (a short's `-1200`
 * stays a number), so an export reads back through the import unchanged.
 */
import type { BookSummary } from '../../engine/book/book.ts';
import type { FundingReport } from '../../engine/book/funding.ts';
import type { Position } from '../../engine/types.ts';
import { fail, ok, type Result } from '../../engine/result.ts';
import { PRICE_RULE, SHARES_RULE } from './input-rules.ts';
import { payReceive, type Format } from './format.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell as a spreadsheet should see it: formula-looking text is neutralised. */
export function safeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function numberCell(v: number): string {
  return Number.isFinite(v) ? String(v === 0 ? 0 : v) : '';
}

/** A cell as RFC 4180 writes it: quoted (inner quotes doubled) when asked or when it must be. */
function cell(text: string, quoted: boolean): string {
  return quoted || /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A small CSV writer (the parser, papaparse, stays in the engine workers, out of the page's first
 * chunk). Every cell of a text column is quoted, so a neutralised cell's apostrophe and the rest
 * stay one cell; numbers are written bare.
 */
function csv(header: string[], rows: (string | number)[][], textColumns: ReadonlySet<number>): string {
  const lines = rows.map((r) => r.map((c, j) => (typeof c === 'number' ? numberCell(c) : cell(textColumns.has(j) ? safeText(c) : c, textColumns.has(j)))).join(','));
  return `${header.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

/** The book as `ticker,shares,price` CSV (what the import reads). */
export function bookToSafeCsv(positions: readonly Position[]): string {
  return csv(['ticker', 'shares', 'price'], positions.map((p) => [p.ticker, p.shares, p.price]), new Set([0]));
}

/** The funding table as CSV: one line per position, with its rate, daily and annual carry. */
export function fundingToCsv(report: FundingReport): string {
  return csv(
    ['ticker', 'side', 'notional', 'rate', 'borrow_bps', 'daily', 'annual'],
    report.positions.map((l) => [l.ticker, l.side, l.notional, l.rate, l.borrowBps, l.daily, l.annual]),
    new Set([0, 1]),
  );
}

/**
 * The desk's rules on positions read from a book CSV (by the `csv.book` task in a worker): shares and prices within the input rules, tickers upper-cased, an empty price
 * taken from the market's last close. `rows` are the positions' spreadsheet rows, for messages.
 */
export function importPositions(
  positions: readonly Position[],
  rows: readonly number[],
  source: string,
  lastPrices: Readonly<Record<string, number>>,
): Result<Position[]> {
  const out: Position[] = [];
  for (const [i, p] of positions.entries()) {
    const row = rows[i] ?? i + 2;
    const ticker = p.ticker.toUpperCase();
    if (!(p.shares >= SHARES_RULE.min && p.shares <= SHARES_RULE.max)) {
      return fail(`${source}, row ${row}: shares of ${ticker} must be ${SHARES_RULE.text}, got ${p.shares}`);
    }
    let price = p.price;
    if (Number.isNaN(price)) {
      const last = lastPrices[ticker];
      if (last === undefined) return fail(`${source}, row ${row}: no price for ${ticker} and the market has none; add a price column`);
      price = last;
    }
    if (!(price >= PRICE_RULE.min && price <= PRICE_RULE.max)) {
      return fail(`${source}, row ${row}: price of ${ticker} must be ${PRICE_RULE.text}, got ${price}`);
    }
    out.push({ ticker, shares: p.shares, price });
  }
  return ok(out);
}

/** The KPIs as text, one `label<TAB>value` line each, for the clipboard. */
export function kpisToText(summary: BookSummary, report: FundingReport | null, f: Format, currency: string): string {
  const lines: [string, string][] = [
    ['Equity', f.moneyCode(summary.equity, currency)],
    ['Gross', f.moneyCode(summary.gross, currency)],
    ['Net', f.moneyCode(summary.net, currency)],
    ['Net % of gross', f.pct(summary.netOfGross)],
    ['Leverage', f.times(summary.leverage)],
  ];
  if (report) {
    lines.push(
      ['Daily carry', f.moneyCode(report.totalDaily, currency, 2)],
      ['Annual carry', f.moneyCode(report.totalAnnual, currency)],
      ['Hurdle rate', f.pct(report.hurdleRate)],
      ['Longs', payReceive(report.longRate, 'long', f)],
      ['Shorts', payReceive(report.shortRate, 'short', f)],
    );
  }
  return `${lines.map(([k, v]) => `${k}\t${v}`).join('\n')}\n`;
}
