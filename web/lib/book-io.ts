/**
 * Book import and export as text: CSV a spreadsheet opens safely, and the KPIs as plain text.
 *
 * Export is safe against formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab
 * or a carriage return would run as a formula in a spreadsheet, so it is written quoted with a
 * leading apostrophe (`"'=HYPERLINK(…)"`). Numbers are written as numbers (a short's `-1200`
 * stays a number), so an export reads back through the import unchanged.
 */
import Papa from 'papaparse';
import { parseBookCsv } from '../../engine/csv.ts';
import type { BookSummary } from '../../engine/book/book.ts';
import type { FundingReport } from '../../engine/book/funding.ts';
import type { Position } from '../../engine/types.ts';
import { attempt, fail, ok, type Result } from '../../engine/result.ts';
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

function csv(header: string[], rows: (string | number)[][], textColumns: ReadonlySet<number>): string {
  const data = rows.map((r) => r.map((c, j) => (typeof c === 'number' ? numberCell(c) : textColumns.has(j) ? safeText(c) : c)));
  // Quote every text cell that was neutralised, so the apostrophe and the rest stay one cell.
  const quotes = header.map((_, j) => textColumns.has(j));
  const body = data.length > 0 ? `${Papa.unparse(data, { newline: '\n', quotes, escapeFormulae: false })}\n` : '';
  return `${header.join(',')}\n${body}`;
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
 * Read pasted or dropped book CSV (`ticker,shares[,price]`). Errors name the row and column (from
 * the engine's CSV reader) or the ticker; an empty price takes the market's last close.
 */
export function importBook(text: string, source: string, lastPrices: Readonly<Record<string, number>>): Result<Position[]> {
  const parsed = attempt(() => parseBookCsv(text, { name: source }));
  if (!parsed.ok) return parsed;
  const out: Position[] = [];
  for (const [i, p] of parsed.value.entries()) {
    const row = i + 2;
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
