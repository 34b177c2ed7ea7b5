/**
 * From a data source to clean tables and a data report: every source (the demo, the proxy's live
 * answers, a snapshot file, CSV files) is first turned into a {@link RawMarket}, then
 * {@link cleanMarket} applies the same rules (engine/market/clean.ts) and says what it did.
 *
 * Live data is assembled by the app into the snapshot format itself, so live and snapshot share
 * one path: `parseSnapshot` → {@link rawFromSnapshot}.
 */
import { AstraError, Messages, mention } from '../errors.ts';
import type { BarTable, PriceTable } from '../types.ts';
import { RATE_SYMBOLS } from '../types.ts';
import { DEFAULT_RFR, irxToRate, rfrFromPrices } from '../book/rates.ts';
import { DEFAULT_EXCHANGE_ZONE } from '../units.ts';
import {
  countList,
  dropEmptyRows,
  dropNonPositive,
  findGaps,
  findJumps,
  findStale,
  keepRegularSession,
  missingCloses,
  sessionText,
  type DataFlag,
  type SplitEvent,
} from './clean.ts';
import { alignedReturns } from './returns.ts';
import { snapshotBars, snapshotPrices, type Snapshot } from './snapshot.ts';

/** The data sources the app can switch between. */
export type SourceKind = 'demo' | 'live' | 'snapshot' | 'csv';

/** A source's tables before cleaning, with what the source says about them. */
export interface RawMarket {
  /** Daily closes (assets and rate series), `NaN` where missing. */
  prices: PriceTable;
  /** One-minute closes, `NaN` where missing; `null` when the source has none. */
  bars: BarTable | null;
  /** Split events by ticker (empty for sources without events: CSV, the demo). */
  splits: Record<string, SplitEvent[]>;
  /** IANA zone of the bars' exchange; `null` when the source does not say (CSV). */
  barsZone: string | null;
  /** Bars the source lists without a close, by ticker (they are missing in `bars`). */
  nullBars: Record<string, number>;
  /** A ^IRX quote to take the RFR from when `prices` has no ^IRX column (a snapshot's quote). */
  irxQuote: { value: number; date: string } | null;
}

/** One table of the data report. */
export interface TableSummary {
  /** `daily closes` or `1-minute bars`. */
  name: string;
  /** Rows (dates or bars) after cleaning. */
  rows: number;
  /** Columns: assets first, then rate series. */
  tickers: string[];
  /** First and last row label (date or timestamp); '' for an empty table. */
  first: string;
  last: string;
  /** Missing cells (`NaN`) after cleaning. */
  missing: number;
}

/** Something removed from the data, with its count. */
export interface DroppedItem {
  count: number;
  message: string;
}

/** What the data holds and what cleaning did to it: shown beside the badge, nothing hidden. */
export interface DataReport {
  tables: TableSummary[];
  dropped: DroppedItem[];
  flags: DataFlag[];
  /** Facts the user should know: the RFR and where it came from, the aligned window, assumptions. */
  notes: string[];
}

/** Cleaned tables and their report. */
export interface CleanMarket {
  prices: PriceTable;
  bars: BarTable | null;
  report: DataReport;
  /** Risk-free rate (decimal per year, ACT/360) from ^IRX, else {@link DEFAULT_RFR}. */
  rfr: number;
  /** The ^IRX quote behind `rfr`, `null` when the default was used. */
  irx: { date: string; value: number } | null;
}

/** The calendar date of an ISO time in its own offset. */
const localDate = (t: string) => t.slice(0, 10);

/**
 * A validated snapshot (`parseSnapshot`) as raw tables: `snapshotPrices` and `snapshotBars`, the
 * splits of the daily charts, the first intraday chart's exchange zone, the null bars counted per
 * symbol, and the ^IRX quote.
 */
export function rawFromSnapshot(snapshot: Snapshot): RawMarket {
  const splits: Record<string, SplitEvent[]> = {};
  for (const chart of Object.values(snapshot.daily)) {
    const events = chart.events?.splits ?? [];
    if (events.length > 0) splits[chart.symbol] = events.map((e) => ({ date: localDate(e.t), ratio: e.ratio }));
  }
  const intraday = Object.values(snapshot.intraday);
  const nullBars: Record<string, number> = {};
  for (const chart of intraday) nullBars[chart.symbol] = chart.bars.filter((b) => b.close === null).length;
  const quote = snapshot.quotes['^IRX'];
  const irxQuote = quote && typeof quote.price === 'number' && Number.isFinite(quote.price)
    ? { value: quote.price, date: localDate(quote.marketTime ?? quote.asOf) }
    : null;
  return {
    prices: snapshotPrices(snapshot),
    bars: intraday.length > 0 ? snapshotBars(snapshot) : null,
    splits,
    barsZone: intraday.find((c) => typeof c.exchangeTimezone === 'string')?.exchangeTimezone ?? null,
    nullBars,
    irxQuote,
  };
}

/** CSV tables as raw tables: no events, no exchange zone; an empty bar cell is a null bar. */
export function rawFromCsv(prices: PriceTable, bars: BarTable | null): RawMarket {
  return { prices, bars, splits: {}, barsZone: null, nullBars: bars ? missingCloses(bars) : {}, irxQuote: null };
}

function countNaN(columns: readonly Float64Array[]): number {
  let n = 0;
  for (const c of columns) for (const v of c) if (Number.isNaN(v)) n++;
  return n;
}

/** Assets first, rate series after, each in table order. */
function orderedTickers(tickers: readonly string[]): string[] {
  return [...tickers.filter((t) => !RATE_SYMBOLS.has(t)), ...tickers.filter((t) => RATE_SYMBOLS.has(t))];
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

/** The RFR from the table's ^IRX, else the raw quote, else the default, with the note saying which. */
function riskFree(prices: PriceTable, quote: RawMarket['irxQuote']): Pick<CleanMarket, 'rfr' | 'irx'> & { note: string } {
  const fromTable = rfrFromPrices(prices);
  if (fromTable) {
    return {
      rfr: fromTable.rate,
      irx: { date: fromTable.date, value: fromTable.quotePercent },
      note: Messages.rfrFromIrx(percent(fromTable.rate), fromTable.quotePercent, fromTable.date),
    };
  }
  if (quote) {
    const rfr = irxToRate(quote.value);
    return { rfr, irx: quote, note: Messages.rfrFromIrx(percent(rfr), quote.value, quote.date) };
  }
  return { rfr: DEFAULT_RFR, irx: null, note: Messages.rfrDefault(percent(DEFAULT_RFR)) };
}

/**
 * Clean a source's tables by the rules of engine/market/clean.ts and report everything done.
 * @param raw the source's tables.
 * @param what how messages name the source (`snapshot snapshot.json`, `prices CSV p.csv`).
 * @throws AstraError `BAD_INPUT` when there are no daily closes at all.
 */
export function cleanMarket(raw: RawMarket, what: string): CleanMarket {
  if (raw.prices.dates.length === 0 || raw.prices.tickers.length === 0) throw new AstraError('BAD_INPUT', Messages.noDailyPrices(what));
  const dropped: DroppedItem[] = [];
  const notes: string[] = [];

  const positive = dropNonPositive(raw.prices);
  const prices = positive.prices;
  if (positive.dropped.length > 0) {
    const list = positive.dropped.slice(0, 5).map((d) => `${mention(d.ticker)} ${d.date} (${d.value})`).join(', ');
    dropped.push({ count: positive.dropped.length, message: Messages.droppedBadCloses(positive.dropped.length, positive.dropped.length > 5 ? `${list}, …` : list) });
  }
  const flags = [...findGaps(prices), ...findStale(prices), ...findJumps(prices, raw.splits)];

  let bars: BarTable | null = null;
  if (raw.bars) {
    const nullCount = Object.values(raw.nullBars).reduce((a, b) => a + b, 0);
    if (nullCount > 0) dropped.push({ count: nullCount, message: Messages.droppedNullBars(nullCount, countList(raw.nullBars)) });
    const filled = dropEmptyRows(raw.bars).bars;
    if (raw.barsZone === null) notes.push(Messages.assumedZone(DEFAULT_EXCHANGE_ZONE));
    const session = keepRegularSession(filled, raw.barsZone ?? DEFAULT_EXCHANGE_ZONE);
    if (session.session === null) notes.push(Messages.unknownSession(session.zone));
    else if (session.dropped > 0) dropped.push({ count: session.dropped, message: Messages.droppedOutsideSession(session.dropped, sessionText(session.session), session.zone) });
    bars = session.bars;
  }

  const tables: TableSummary[] = [
    {
      name: 'daily closes',
      rows: prices.dates.length,
      tickers: orderedTickers(prices.tickers),
      first: prices.dates[0] ?? '',
      last: prices.dates[prices.dates.length - 1] ?? '',
      missing: countNaN(prices.closes),
    },
  ];
  if (bars) {
    tables.push({
      name: '1-minute bars',
      rows: bars.times.length,
      tickers: bars.tickers.slice(),
      first: bars.timestamps[0] ?? '',
      last: bars.timestamps[bars.timestamps.length - 1] ?? '',
      missing: countNaN(bars.closes),
    });
  }

  const rf = riskFree(prices, raw.irxQuote);
  notes.unshift(rf.note);
  notes.push(...alignedNotes(prices));
  return { prices, bars, report: { tables, dropped, flags, notes }, rfr: rf.rfr, irx: rf.irx };
}

/**
 * What the aligned-returns rule (the one the statistics and the risk module use) makes of the
 * table at the default lookback: its window, the dates it leaves out, the tickers it drops.
 */
function alignedNotes(prices: PriceTable): string[] {
  try {
    const a = alignedReturns(prices);
    return [
      Messages.alignedSummary(a.dates.length, a.tickers.length, a.lookback, a.dates[0], a.windowEnd, a.dropped.dates.length),
      ...a.dropped.tickers.map((t) => Messages.droppedTicker(t.ticker, t.reason)),
    ];
  } catch (e) {
    return [Messages.alignedFails(e instanceof Error ? e.message : String(e))];
  }
}
