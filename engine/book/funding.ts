/**
 * Funding carry of a long/short book on ACT/360.
 *
 * Longs are financed by the prime broker at RFR + long spread. Short proceeds earn a rebate of
 * RFR − short spread − borrow fee (the fee is per ticker: hard-to-borrow names cost far more, and
 * the rebate can turn negative). Carry is signed from the book's point of view: negative = cost.
 * See docs/conventions.md.
 */
import { AstraError, mention, Messages } from '../errors.ts';
import type { Position } from '../types.ts';
import { summarizeBook } from './book.ts';
import type { BookSummary, PositionSummary } from './book.ts';
import { CALENDAR_DAYS_PER_YEAR, DAY_COUNT_BASIS } from '../units.ts';

/** Default long financing spread over RFR, in basis points. */
export const DEFAULT_LONG_SPREAD_BPS = 50;
/** Default short rebate spread under RFR, in basis points. */
export const DEFAULT_SHORT_SPREAD_BPS = 25;
/** Default general-collateral borrow fee, in basis points per year. */
export const DEFAULT_BORROW_BPS = 40;

/** Where the risk-free rate came from: a converted `^IRX` quote, the user, or the default. */
export type RfrSource = '^IRX' | 'override' | 'default';

/** Inputs of {@link computeFunding} besides the book. Spreads and fees are ≥ 0 basis points. */
export interface FundingOptions {
  /** Risk-free rate, decimal per year, ACT/360 (0.036 = 3.60%). */
  rfr: number;
  /** Where `rfr` came from; reported back unchanged. Default `'override'`. */
  rfrSource?: RfrSource;
  /** Longs pay RFR + this, bp. Default 50. */
  longSpreadBps?: number;
  /** Shorts receive RFR − this − borrow, bp. Default 25. */
  shortSpreadBps?: number;
  /** Borrow fee for shorts without an override, bp per year. Default 40. */
  borrowBps?: number;
  /** Borrow fee per ticker in bp, e.g. `{ GME: 2500 }`; keys match tickers exactly. */
  borrowOverrides?: Readonly<Record<string, number>>;
}

/** One position's funding. */
export interface FundingLine extends PositionSummary {
  /** Annual rate quoted on the position, decimal: paid by longs, received by shorts. `NaN` when flat (no rate applies). */
  rate: number;
  /** Borrow fee applied in bp (shorts only; `NaN` for longs and flat lines). */
  borrowBps: number;
  /** Signed carry per calendar day: −notional × rate / 360 (negative = cost). 0 when flat. */
  daily: number;
  /** daily × 365: one calendar year of ACT/360 accrual. */
  annual: number;
}

/** Funding of a book. */
export interface FundingReport {
  /** Lines in input order. */
  positions: FundingLine[];
  /** Σ daily carry (negative = the book pays). */
  totalDaily: number;
  /** totalDaily × 365. */
  totalAnnual: number;
  /** −totalAnnual / equity: the annual return on equity alpha must earn to cover carry; negative when carry is income. */
  hurdleRate: number;
  /** Risk-free rate used, decimal per year ACT/360. */
  rfr: number;
  /** Where `rfr` came from. */
  rfrSource: RfrSource;
  /** Equity (NAV) in the book's currency. */
  equity: number;
  /** Σ|notional|. */
  gross: number;
  /** Σ notional. */
  net: number;
  /** gross / equity. */
  leverage: number;
  /** Rate for longs, decimal: rfr + long spread. */
  longRate: number;
  /** Rate for shorts without a borrow override, decimal: rfr − short spread − borrow fee. */
  shortRate: number;
  /** Long spread used, bp. */
  longSpreadBps: number;
  /** Short spread used, bp. */
  shortSpreadBps: number;
  /** Default borrow fee used, bp. */
  borrowBps: number;
  /** Day count convention: always ACT/360. */
  dayCount: 'ACT/360';
}

function checkBps(what: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new AstraError('BAD_INPUT', Messages.badValue(what, value, 'a non-negative number of basis points'));
  }
  return value;
}

/**
 * Funding carry of `positions` (prices must be filled: a `NaN` price throws `MISSING_PRICE`).
 * Throws `BAD_INPUT` for a non-finite RFR, negative or non-finite spreads/fees, or equity that is
 * not positive. Borrow overrides for tickers that are not in the book are ignored.
 */
export function computeFunding(positions: readonly Position[], equity: number, options: FundingOptions): FundingReport {
  return fundingOfBook(summarizeBook(positions, equity), options);
}

/** The validated rates of {@link FundingOptions}: what a long pays and what each short receives, decimal per year (ACT/360). */
export interface FundingRates {
  rfr: number;
  /** RFR + long spread. */
  longRate: number;
  /** RFR − short spread − the ticker's borrow fee (its override, else the default). */
  shortRate: (ticker: string) => number;
  /** The borrow fee applied to a short in `ticker`, bp. */
  borrowOf: (ticker: string) => number;
  longSpreadBps: number;
  shortSpreadBps: number;
  borrowBps: number;
}

/**
 * The rates of `options` with defaults applied, after the same checks as {@link computeFunding}
 * (`BAD_INPUT` for a non-finite RFR or a negative or non-finite spread or fee). The optimizer's
 * carry term takes its rates from here, so book and optimizer never disagree.
 */
export function fundingRates(options: FundingOptions): FundingRates {
  const { rfr } = options;
  if (!Number.isFinite(rfr)) throw new AstraError('BAD_INPUT', Messages.badValue('risk-free rate', rfr, 'a finite decimal per year'));
  const longSpreadBps = checkBps('long spread', options.longSpreadBps ?? DEFAULT_LONG_SPREAD_BPS);
  const shortSpreadBps = checkBps('short spread', options.shortSpreadBps ?? DEFAULT_SHORT_SPREAD_BPS);
  const borrowBps = checkBps('borrow fee', options.borrowBps ?? DEFAULT_BORROW_BPS);
  const overrides = options.borrowOverrides ?? {};
  for (const [ticker, bps] of Object.entries(overrides)) checkBps(`borrow fee of ${mention(ticker)}`, bps);
  const borrowOf = (ticker: string): number => (Object.hasOwn(overrides, ticker) ? overrides[ticker] : borrowBps);
  return {
    rfr,
    longRate: rfr + longSpreadBps / 10_000,
    shortRate: (ticker) => rfr - (shortSpreadBps + borrowOf(ticker)) / 10_000,
    borrowOf,
    longSpreadBps,
    shortSpreadBps,
    borrowBps,
  };
}

/**
 * Funding carry of a book already summarised by `summarizeBook` (the UI summarises once per edit
 * and derives funding from that summary). Same rules and errors as {@link computeFunding}.
 */
export function fundingOfBook(book: BookSummary, options: FundingOptions): FundingReport {
  const rates = fundingRates(options);
  const { rfr, longRate, longSpreadBps, shortSpreadBps, borrowBps } = rates;
  const equity = book.equity;

  let totalDaily = 0;
  // Lines are built as literals, not `{ ...p, rate, … }`: V8 copies a spread with extra keys
  // through a slow path (about 50× slower, and the objects it makes are slow to serialise),
  // which turned a 10⁶-line book into seconds of work here.
  const line = (p: PositionSummary, rate: number, borrow: number, daily: number): FundingLine => ({
    ticker: p.ticker,
    shares: p.shares,
    price: p.price,
    notional: p.notional,
    side: p.side,
    weight: p.weight,
    rate,
    borrowBps: borrow,
    daily,
    annual: daily * CALENDAR_DAYS_PER_YEAR,
  });
  const lines = book.positions.map((p): FundingLine => {
    if (p.side === 'flat') return line(p, NaN, NaN, 0);
    const borrow = p.side === 'short' ? rates.borrowOf(p.ticker) : NaN;
    const rate = p.side === 'long' ? longRate : rates.shortRate(p.ticker);
    const daily = (-p.notional * rate) / DAY_COUNT_BASIS;
    totalDaily += daily;
    return line(p, rate, borrow, daily);
  });
  const totalAnnual = totalDaily * CALENDAR_DAYS_PER_YEAR;
  return {
    positions: lines,
    totalDaily,
    totalAnnual,
    hurdleRate: -totalAnnual / equity,
    rfr,
    rfrSource: options.rfrSource ?? 'override',
    equity,
    gross: book.gross,
    net: book.net,
    leverage: book.leverage,
    longRate,
    shortRate: rfr - (shortSpreadBps + borrowBps) / 10_000,
    longSpreadBps,
    shortSpreadBps,
    borrowBps,
    dayCount: 'ACT/360',
  };
}
