/**
 * `astra funding`: ACT/360 funding carry of a book, per position and in total, with the hurdle
 * rate. Data: `--book` (else the demo book), `--prices` for missing book prices and for `^IRX`.
 */
import { AstraError, Messages, quote } from '../../engine/errors.ts';
import { DEFAULT_EQUITY, fillBookPrices } from '../../engine/book/book.ts';
import type { PriceSources } from '../../engine/book/book.ts';
import { parsePricesCsv, readBookCsv } from '../../engine/csv.ts';
import {
  computeFunding,
  DEFAULT_BORROW_BPS,
  DEFAULT_LONG_SPREAD_BPS,
  DEFAULT_SHORT_SPREAD_BPS,
} from '../../engine/book/funding.ts';
import type { FundingReport, RfrSource } from '../../engine/book/funding.ts';
import { DEFAULT_RFR, rfrFromPrices } from '../../engine/book/rates.ts';
import { CALENDAR_DAYS_PER_YEAR } from '../../engine/units.ts';
import type { RateObservation } from '../../engine/book/rates.ts';
import type { Position, PriceTable } from '../../engine/types.ts';
import { readDecimal } from '../../engine/number.ts';
import { listOption, numberOption, stringOption } from '../args.ts';
import type { Command, CommandOutput, OptionValues } from '../command.ts';
import { demoMarket } from '../demo.ts';
import { readTextFile } from '../files.ts';
import { bps, count, formatPairs, money, percent, printable, tableChunks, times } from '../table.ts';

const isBps = (x: number) => x >= 0;

/** Parse `--borrow GME=2500,AMC=1500` (repeatable) into bp per ticker. */
export function parseBorrowOverrides(entries: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of entries.flatMap((e) => e.split(','))) {
    const [ticker = '', bpsText, extra] = entry.split('=').map((part) => part.trim());
    const value = bpsText === undefined ? NaN : (readDecimal(bpsText) ?? NaN);
    if (ticker === '' || /\s/.test(ticker) || extra !== undefined || !Number.isFinite(value) || value < 0) {
      throw new AstraError('BAD_INPUT', Messages.badValue('--borrow entry', quote(entry), 'TICKER=BPS with BPS ≥ 0, e.g. GME=2500'), {
        option: '--borrow',
      });
    }
    if (Object.hasOwn(out, ticker)) throw new AstraError('BAD_INPUT', Messages.duplicateTicker('--borrow', ticker), { option: '--borrow' });
    out[ticker] = value;
  }
  return out;
}

interface Inputs {
  book: Position[];
  bookSource: string;
  /** Where the book and prices came from, for messages about a price that is missing. */
  sources: PriceSources;
  prices?: PriceTable;
  pricesSource: string | null;
  equity: number;
  rfr: number;
  rfrSource: RfrSource;
  rfrQuote?: RateObservation;
}

async function gatherInputs(values: OptionValues, cwd: string): Promise<Inputs> {
  // Validate every flag before touching files or the engine, so a typo fails fast.
  const equityOption = numberOption(values, 'equity', 'a positive number (dollars of NAV)', (x) => x > 0);
  const rfrOption = numberOption(values, 'rfr', 'a decimal rate per year between -1 and 1 (0.036 for 3.6%)', (x) => x > -1 && x < 1);
  const bookPath = stringOption(values, 'book');
  const pricesPath = stringOption(values, 'prices');

  const prices = pricesPath === undefined ? undefined : parsePricesCsv(await readTextFile('--prices', pricesPath, cwd), { name: pricesPath });
  const pricesFile = pricesPath === undefined ? undefined : Messages.csvFile('prices', pricesPath);
  let inputs: Omit<Inputs, 'rfr' | 'rfrSource'>;
  if (bookPath !== undefined) {
    const { positions, rows, file } = readBookCsv(await readTextFile('--book', bookPath, cwd), { name: bookPath });
    inputs = {
      book: positions,
      bookSource: bookPath,
      sources: { book: { file, rows }, prices: pricesFile },
      prices,
      pricesSource: pricesPath ?? null,
      equity: equityOption ?? DEFAULT_EQUITY,
    };
  } else {
    const demo = await demoMarket();
    inputs = {
      book: demo.book,
      bookSource: demo.label,
      sources: { prices: pricesFile ?? demo.label },
      prices: prices ?? demo.prices,
      pricesSource: pricesPath ?? demo.label,
      equity: equityOption ?? demo.equity,
    };
  }
  if (rfrOption !== undefined) return { ...inputs, rfr: rfrOption, rfrSource: 'override' };
  // The demo's prices carry ^IRX too, so the demo reports its RFR as the converted quote it is.
  const quote = inputs.prices ? rfrFromPrices(inputs.prices) : undefined;
  if (quote) return { ...inputs, rfr: quote.rate, rfrSource: '^IRX', rfrQuote: quote };
  return { ...inputs, rfr: DEFAULT_RFR, rfrSource: 'default' };
}

function toJson(r: FundingReport, inputs: Inputs) {
  return {
    source: { book: inputs.bookSource, prices: inputs.pricesSource },
    positions: r.positions.map((p) => ({
      ticker: p.ticker,
      shares: p.shares,
      price: p.price,
      notional: p.notional,
      side: p.side,
      weight: p.weight,
      rate: p.rate,
      borrowBps: p.borrowBps,
      daily: p.daily,
      annual: p.annual,
    })),
    totalDaily: r.totalDaily,
    totalAnnual: r.totalAnnual,
    hurdleRate: r.hurdleRate,
    rfr: r.rfr,
    rfrSource: r.rfrSource,
    rfrQuote: inputs.rfrQuote
      ? { symbol: inputs.rfrQuote.symbol, percent: inputs.rfrQuote.quotePercent, date: inputs.rfrQuote.date }
      : null,
    equity: r.equity,
    gross: r.gross,
    net: r.net,
    leverage: r.leverage,
    longRate: r.longRate,
    shortRate: r.shortRate,
    longSpreadBps: r.longSpreadBps,
    shortSpreadBps: r.shortSpreadBps,
    borrowBps: r.borrowBps,
    dayCount: r.dayCount,
    daysPerYear: CALENDAR_DAYS_PER_YEAR,
  };
}

function rfrLabel(inputs: Inputs): string {
  if (inputs.rfrSource === '^IRX' && inputs.rfrQuote) {
    return `^IRX ${inputs.rfrQuote.quotePercent.toFixed(4)}% discount on ${inputs.rfrQuote.date}, as money-market yield`;
  }
  return inputs.rfrSource === 'override' ? '--rfr' : 'default';
}

/** The readable report, in chunks (the positions table of a large book is long). */
function* toText(r: FundingReport, inputs: Inputs): Generator<string> {
  const head =
    `Funding carry (ACT/360) - book: ${printable(inputs.bookSource)}\n` +
    `RFR ${percent(r.rfr)} (${rfrLabel(inputs)}). Longs pay RFR + ${bps(r.longSpreadBps)} = ${percent(r.longRate)}; ` +
    `shorts receive RFR - ${bps(r.shortSpreadBps)} - borrow (${bps(r.borrowBps)} unless overridden) = ${percent(r.shortRate)}.\n\n`;
  yield head;
  yield* tableChunks(
    [
      { header: 'Ticker' },
      { header: 'Side' },
      { header: 'Shares', align: 'right' },
      { header: 'Price', align: 'right' },
      { header: 'Notional', align: 'right' },
      { header: 'Weight', align: 'right' },
      { header: 'Rate', align: 'right' },
      { header: 'Borrow', align: 'right' },
      { header: 'Daily', align: 'right' },
      { header: 'Annual', align: 'right' },
    ],
    r.positions.map((p) => [
      p.ticker,
      p.side,
      count(p.shares),
      money(p.price),
      money(p.notional),
      percent(p.weight, 2),
      percent(p.rate),
      p.side === 'short' ? bps(p.borrowBps) : '',
      money(p.daily),
      money(p.annual),
    ]),
  );
  const totals = formatPairs([
    ['Equity', money(r.equity)],
    ['Gross', money(r.gross), `leverage ${times(r.leverage)}`],
    ['Net', money(r.net), r.gross > 0 ? `${percent(r.net / r.gross, 2)} of gross` : ''],
    ['Daily carry', money(r.totalDaily), 'negative = the book pays'],
    ['Annual carry', money(r.totalAnnual), 'daily x 365: a calendar year of ACT/360 accrual'],
    ['Hurdle rate', percent(r.hurdleRate), 'of equity per year, to cover carry'],
  ]);
  yield `\n${totals}`;
}

/** The `funding` command. */
export const fundingCommand: Command = {
  name: 'funding',
  summary: 'funding carry of a book (ACT/360) per position, totals and the hurdle rate',
  options: {
    book: { type: 'string', value: 'FILE', help: 'book CSV ticker,shares[,price] (default: the demo book)' },
    prices: { type: 'string', value: 'FILE', help: 'prices CSV: fills missing book prices (last close) and gives ^IRX' },
    rfr: { type: 'string', value: 'RATE', help: 'risk-free rate, decimal per year (0.036); default: last ^IRX in --prices, else 0.036' },
    equity: { type: 'string', value: 'E', help: `equity (NAV) in dollars (default ${DEFAULT_EQUITY}, the demo's)` },
    'long-spread-bps': { type: 'string', value: 'BP', help: `longs pay RFR + this (default ${DEFAULT_LONG_SPREAD_BPS})` },
    'short-spread-bps': { type: 'string', value: 'BP', help: `shorts receive RFR - this - borrow (default ${DEFAULT_SHORT_SPREAD_BPS})` },
    'borrow-bps': { type: 'string', value: 'BP', help: `borrow fee of shorts without an override (default ${DEFAULT_BORROW_BPS})` },
    borrow: { type: 'string', multiple: true, value: 'T=BP,…', help: 'per-ticker borrow fees, e.g. GME=2500 (repeatable)' },
  },
  async run(values: OptionValues, io): Promise<CommandOutput> {
    const spread = 'a non-negative number of basis points';
    const longSpreadBps = numberOption(values, 'long-spread-bps', spread, isBps);
    const shortSpreadBps = numberOption(values, 'short-spread-bps', spread, isBps);
    const borrowBps = numberOption(values, 'borrow-bps', spread, isBps);
    const borrowOverrides = parseBorrowOverrides(listOption(values, 'borrow'));
    const inputs = await gatherInputs(values, io.cwd);
    const book = fillBookPrices(inputs.book, inputs.prices, inputs.sources);
    const overridden = Object.keys(borrowOverrides);
    const inBook = new Set(overridden.length > 0 ? book.map((p) => p.ticker) : []);
    for (const ticker of overridden) {
      if (!inBook.has(ticker)) {
        throw new AstraError('UNKNOWN_TICKER', Messages.unknownBorrowTicker(ticker), { ticker });
      }
    }
    const report = computeFunding(book, inputs.equity, {
      rfr: inputs.rfr,
      rfrSource: inputs.rfrSource,
      longSpreadBps,
      shortSpreadBps,
      borrowBps,
      borrowOverrides,
    });
    // Each output is made only when it is printed: the text never under --json, the JSON copy
    // of a million positions only under --json (main reads `json` only then).
    return {
      get json() {
        return toJson(report, inputs);
      },
      text: () => toText(report, inputs),
    };
  },
};
