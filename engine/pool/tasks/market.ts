/**
 * `market.load`: one data source (the demo, a live answer assembled by the app, a snapshot file,
 * CSV files) read, validated, cleaned (engine/market/clean.ts) and summarised for the UI — in an
 * engine worker, as a single block, so neither parsing nor cleaning runs on the page's thread.
 * `market.demo` is the demo alone (no argument). `csv.book` reads a book CSV.
 *
 * Every source ends in the same {@link MarketSnapshot}: the one shape all modules read.
 */
import type { Kernels } from '../../kernels.ts';
import { AstraError, Messages } from '../../errors.ts';
import { DEFAULT_EQUITY } from '../../book/book.ts';
import { DEMO_ASSETS, DEMO_BOOK, DEMO_LABEL, PAIR, generateDemoMarket } from '../../demo.ts';
import { parseBarsCsv, parsePricesCsv, readBookCsv } from '../../csv.ts';
import type { BarTable, Position, PriceTable } from '../../types.ts';
import { cumulativeLogReturns, lastCloses } from '../../market/chart-series.ts';
import type { ReturnSeries } from '../../market/chart-series.ts';
import { parseSnapshot } from '../../market/snapshot.ts';
import { cleanMarket, rawFromCsv, rawFromSnapshot, type CleanMarket, type DataReport, type SourceKind } from '../../market/sources.ts';
import { DEFAULT_EXCHANGE_ZONE } from '../../units.ts';
import type { TaskContext } from '../protocol.ts';

/** How a source is named in the header badge (the demo keeps `'demo data (synthetic)'`). */
export type DataSourceLabel = string;

/** A text file the page read (a dropped or picked file, or the shipped snapshot). */
export interface SourceFile {
  /** File name as the user knows it, for messages and the badge. */
  name: string;
  /** Its whole text. */
  text: string;
}

/** A symbol the proxy could not serve, with its typed error (`{ error: { code, message } }`). */
export interface FailedSymbol {
  symbol: string;
  code: string;
  message: string;
}

/** What `market.load` reads. Plain data: it is also what the app keeps in IndexedDB. */
export type MarketSource =
  | { kind: 'demo' }
  /** An `astra-snapshot` v1 file; `shipped` when it came from beside index.html. */
  | { kind: 'snapshot'; file: SourceFile; shipped: boolean }
  /** The proxy's answers, assembled by the app into an `astra-snapshot` v1 text. */
  | { kind: 'live'; file: SourceFile; proxy: string; failed: FailedSymbol[] }
  /** CSV files: daily prices (required) and 1-minute bars (optional). */
  | { kind: 'csv'; prices: SourceFile; bars: SourceFile | null };

/** Everything the UI needs from a market, whatever its source. */
export interface MarketSnapshot {
  /** Which source this is. */
  source: SourceKind;
  /** Where the data comes from, shown in the header badge. */
  label: DataSourceLabel;
  /**
   * As of when: the snapshot's or the live fetch's time (UTC ISO 8601), or the last daily date
   * (`YYYY-MM-DD`) for the demo and CSV files.
   */
  asOf: string;
  /** Asset tickers of the universe (no rate series). */
  tickers: string[];
  /** Last finite close of each asset, used to price positions entered without a price. */
  lastPrices: Record<string, number>;
  /** The default book (the demo book, whatever the source; prices are the demo's last closes). */
  book: Position[];
  /** Equity of the default book. */
  equity: number;
  /** Risk-free rate (decimal per year, ACT/360 money-market) converted from the last ^IRX value, else the default. */
  rfr: number;
  /** Last ^IRX quote (percent, discount basis) the RFR came from; `null` when the default was used. */
  irx: { date: string; value: number } | null;
  /** Chart data (its arrays are transferred to the main thread, not copied). */
  returns: ReturnSeries;
  /**
   * The daily price table itself (assets and rate series, `NaN` where missing), for the tasks that
   * estimate from it (risk). Its `Float64Array` closes are transferred, not copied; the page sends
   * the table back as a task argument, which copies it (arguments are never transferred).
   */
  prices: PriceTable;
  /** One-minute closes of the pair's tickers, regular session only, `NaN` where missing; `null` when the source has none. */
  bars: BarTable | null;
  /** The pair the bars are for (y on x), `null` without two bar columns. */
  pair: { y: string; x: string } | null;
  /** What the data holds and what cleaning did: shown beside the badge. */
  report: DataReport;
  /** Milliseconds the worker spent: from its start to the wasm being ready, and reading the source. */
  timings: { readyMs: number; generateMs: number };
}

/** The demo book, priced at the demo's last closes: the default book of every source. */
function demoBook(): Position[] {
  return DEMO_BOOK.map(({ ticker, shares }) => ({ ticker, shares, price: DEMO_ASSETS.find((a) => a.ticker === ticker)!.lastClose }));
}

function firstPair(bars: BarTable | null, preferred?: { y: string; x: string }): { y: string; x: string } | null {
  if (!bars) return null;
  if (preferred && bars.tickers.includes(preferred.y) && bars.tickers.includes(preferred.x)) return preferred;
  return bars.tickers.length >= 2 ? { y: bars.tickers[0], x: bars.tickers[1] } : null;
}

function readSnapshotText(file: SourceFile): ReturnType<typeof parseSnapshot> {
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch (e) {
    throw new AstraError('BAD_INPUT', Messages.snapshotField(`file ${file.name}`, `is not JSON (${e instanceof Error ? e.message : String(e)})`));
  }
  return parseSnapshot(data);
}

interface Read {
  label: string;
  asOf: string | null;
  clean: CleanMarket;
  pair: { y: string; x: string } | null;
}

function read(k: Kernels, source: MarketSource): Read {
  switch (source.kind) {
    case 'demo': {
      const demo = generateDemoMarket(k);
      // The demo's sessions are New York's, like the US equities it imitates.
      const clean = cleanMarket({ ...rawFromCsv(demo.prices, demo.bars), barsZone: DEFAULT_EXCHANGE_ZONE }, DEMO_LABEL);
      // The demo's RFR is exactly 3.60% by construction; converting its ^IRX back gives it to 1 ulp.
      return { label: DEMO_LABEL, asOf: null, clean: { ...clean, rfr: demo.rfr }, pair: firstPair(clean.bars, { y: PAIR.y, x: PAIR.x }) };
    }
    case 'snapshot':
    case 'live': {
      const snapshot = readSnapshotText(source.file);
      const raw = rawFromSnapshot(snapshot);
      const clean = cleanMarket(raw, source.kind === 'live' ? 'the live data' : `snapshot ${source.file.name}`);
      if (source.kind === 'live') {
        clean.report.notes.unshift(...source.failed.map((f) => Messages.sourceFailed(f.symbol, f.code, f.message)));
      }
      const label = source.kind === 'live' ? `live: Yahoo Finance via ${source.proxy}` : `snapshot ${source.file.name}${source.shipped ? ' (shipped)' : ''}`;
      return { label, asOf: snapshot.asOf, clean, pair: firstPair(clean.bars) };
    }
    case 'csv': {
      const prices = parsePricesCsv(source.prices.text, { name: source.prices.name });
      const bars = source.bars ? parseBarsCsv(source.bars.text, { name: source.bars.name }) : null;
      const clean = cleanMarket(rawFromCsv(prices, bars), `prices CSV ${source.prices.name}`);
      return { label: `CSV ${source.prices.name}`, asOf: null, clean, pair: firstPair(clean.bars) };
    }
  }
}

/** Read one source and summarise it for the UI (see {@link MarketSource}). */
export function loadMarket(k: Kernels, source: MarketSource, ctx: TaskContext): MarketSnapshot {
  const t0 = performance.now();
  const { label, asOf, clean, pair } = read(k, source);
  const returns = cumulativeLogReturns(clean.prices);
  const lastPrices = lastCloses(clean.prices);
  return {
    source: source.kind,
    label,
    asOf: asOf ?? clean.prices.dates[clean.prices.dates.length - 1] ?? '',
    tickers: returns.tickers.slice(),
    lastPrices: Object.fromEntries(returns.tickers.filter((t) => t in lastPrices).map((t) => [t, lastPrices[t]])),
    book: demoBook(),
    equity: DEFAULT_EQUITY,
    rfr: clean.rfr,
    irx: clean.irx,
    returns,
    prices: clean.prices,
    bars: clean.bars,
    pair,
    report: clean.report,
    timings: { readyMs: ctx.readyMs, generateMs: performance.now() - t0 },
  };
}

/** `market.demo`: the embedded demo market. */
export function loadDemo(k: Kernels, _arg: undefined, ctx: TaskContext): MarketSnapshot {
  return loadMarket(k, { kind: 'demo' }, ctx);
}

/** `csv.book`: a book CSV read in a worker (positions and their spreadsheet rows). */
export function readBook(_k: Kernels, file: SourceFile): { positions: Position[]; rows: number[] } {
  const { positions, rows } = readBookCsv(file.text, { name: file.name });
  return { positions, rows };
}
