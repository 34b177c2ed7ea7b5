/**
 * The embedded demo market: a deterministic synthetic market (seeded, generated through the wasm
 * kernels) that lets the whole product run offline. Labelled `DEMO_LABEL` wherever it is shown.
 *
 * - Daily: two years of weekday closes for seven stocks from a three-factor model (market, tech,
 *   banks) with annual vols of 20–40%, ending exactly at the demo book's prices; plus `^IRX`, the
 *   13-week bill discount yield in percent, mean-reverting near 3.57 and ending where its
 *   money-market equivalent is exactly 3.60%.
 * - Intraday (engine/demo-bars.ts): thirty sessions of 1-minute bars for ten banks (JPM, C, BAC,
 *   WFC, GS, MS, USB, PNC, TFC, SCHW), four pairs cointegrated by construction — JPM/C as
 *   JPM = β_t·C + α + s_t with β_t drifting from 2.62 to 2.69 over the last five sessions and s_t an
 *   Ornstein–Uhlenbeck spread; BAC/WFC, GS/MS and USB/PNC likewise with fixed β — and every other
 *   pair not cointegrated.
 * The true covariance, hedge-ratio path, spread and cointegrated pairs are returned in `truth`.
 */
import type { Kernels } from './kernels.ts';
import { normals } from './random/draws.ts';
import { cholesky, correlatedNormals } from './linalg/cholesky.ts';
import type { BarTable, PriceTable, Position } from './types.ts';
import { DEFAULT_EQUITY } from './book/book.ts';
import { DEFAULT_RFR, rateToIrx } from './book/rates.ts';
import { MS_PER_DAY, TRADING_DAYS_PER_YEAR } from './units.ts';
import { generateDemoBars, type DemoBarsTruth } from './demo-bars.ts';

/** How the demo is labelled everywhere it appears. */
export const DEMO_LABEL = 'demo data (synthetic)';
/** Seed of every random draw in the demo. */
export const DEMO_SEED = 20_261_120;
/** First and last date of the daily series (weekdays in between; no holiday calendar). */
export const DEMO_START_DATE = '2024-11-20';
export const DEMO_END_DATE = '2026-11-20';
export { DEMO_BANKS, DEMO_COINTEGRATED, DEMO_SESSIONS, PAIR, PAIR_SESSIONS, isoWithOffset } from './demo-bars.ts';

interface AssetSpec {
  ticker: string;
  /** Closing price on the last date; the book's price where the book holds it. */
  lastClose: number;
  annualVol: number;
  /** Expected annual log return (drift of the synthetic walk). */
  annualDrift: number;
  /** Loadings on the market, tech and bank factors (correlation scale). */
  loadings: [number, number, number];
}

/** The universe: tech names load on the tech factor, banks on the bank factor. */
export const DEMO_ASSETS: readonly AssetSpec[] = [
  { ticker: 'AAPL', lastClose: 277.02, annualVol: 0.28, annualDrift: 0.12, loadings: [0.55, 0.6, 0] },
  { ticker: 'MSFT', lastClose: 416.0, annualVol: 0.24, annualDrift: 0.1, loadings: [0.55, 0.62, 0] },
  { ticker: 'GOOGL', lastClose: 292.5, annualVol: 0.3, annualDrift: 0.14, loadings: [0.5, 0.58, 0] },
  { ticker: 'JPM', lastClose: 318.22, annualVol: 0.22, annualDrift: 0.09, loadings: [0.5, 0, 0.72] },
  { ticker: 'GS', lastClose: 914.14, annualVol: 0.27, annualDrift: 0.1, loadings: [0.5, 0, 0.7] },
  { ticker: 'MS', lastClose: 180.74, annualVol: 0.29, annualDrift: 0.08, loadings: [0.5, 0, 0.72] },
  { ticker: 'C', lastClose: 118.3, annualVol: 0.32, annualDrift: 0.06, loadings: [0.48, 0, 0.74] },
];

/** The demo book: the desk's position table (shares, and the last close as price). */
export const DEMO_BOOK: readonly { ticker: string; shares: number }[] = [
  { ticker: 'AAPL', shares: 1500 },
  { ticker: 'MSFT', shares: 1000 },
  { ticker: 'JPM', shares: -1200 },
  { ticker: 'GS', shares: -500 },
  { ticker: 'MS', shares: -1000 },
];

/** Where the demo's random draws come from: one stream per use, so each part is independent. */
const STREAM = { daily: 1, irx: 2 } as const; // the bars use 3 and up (engine/demo-bars.ts)

/** Everything the demo provides. */
export interface DemoMarket {
  /** Always `DEMO_LABEL`. */
  label: typeof DEMO_LABEL;
  /** Daily closes of the seven stocks and `^IRX` (percent, discount basis), weekdays. */
  prices: PriceTable;
  /** One-minute closes of the ten banks (`DEMO_BANKS`, in that column order) over `DEMO_SESSIONS`. */
  bars: BarTable;
  /** The demo book with prices equal to the last closes. */
  book: Position[];
  /** Equity (NAV), dollars. */
  equity: number;
  /** The risk-free rate implied by the last ^IRX value (money-market, ACT/360), decimal. */
  rfr: number;
  /** The generating truth, for tests. */
  truth: DemoTruth;
}

/** The parameters the demo was generated from. */
export interface DemoTruth extends DemoBarsTruth {
  /** The seven stock tickers, in the order of the matrices below. */
  tickers: string[];
  /** Daily covariance of log returns, row-major 7×7. */
  dailyCovariance: Float64Array;
  /** Annual volatilities (√(252 × daily variance)). */
  annualVols: Float64Array;
  /** Correlation matrix, row-major 7×7. */
  correlation: Float64Array;
}

/** Weekdays from `start` to `end` inclusive, as ISO dates (UTC calendar arithmetic). */
export function weekdays(start: string, end: string): string[] {
  const out: string[] = [];
  const last = Date.parse(`${end}T00:00:00Z`);
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= last; t += MS_PER_DAY) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The demo's correlation matrix from its factor loadings: C = B·Bᵀ with a unit diagonal. */
export function demoCorrelation(): Float64Array {
  const n = DEMO_ASSETS.length;
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const bi = DEMO_ASSETS[i].loadings;
      const bj = DEMO_ASSETS[j].loadings;
      c[i * n + j] = i === j ? 1 : bi[0] * bj[0] + bi[1] * bj[1] + bi[2] * bj[2];
    }
  }
  return c;
}

/** Generate the demo market. Deterministic: same engine build, same numbers, on every machine. */
export function generateDemoMarket(k: Kernels): DemoMarket {
  const dates = weekdays(DEMO_START_DATE, DEMO_END_DATE);
  const { closes, truth } = dailyCloses(k, dates.length);
  const irx = irxSeries(k, dates.length);
  const intraday = generateDemoBars(k, DEMO_SEED);
  const book: Position[] = DEMO_BOOK.map(({ ticker, shares }) => ({
    ticker,
    shares,
    price: DEMO_ASSETS.find((a) => a.ticker === ticker)!.lastClose,
  }));
  return {
    label: DEMO_LABEL,
    prices: { dates, tickers: [...DEMO_ASSETS.map((a) => a.ticker), '^IRX'], closes: [...closes, irx] },
    bars: intraday.bars,
    book,
    equity: DEFAULT_EQUITY,
    rfr: DEFAULT_RFR,
    truth: { ...truth, ...intraday.truth },
  };
}

function dailyCloses(k: Kernels, days: number) {
  const n = DEMO_ASSETS.length;
  const correlation = demoCorrelation();
  const dailyVol = DEMO_ASSETS.map((a) => a.annualVol / Math.sqrt(TRADING_DAYS_PER_YEAR));
  const dailyCovariance = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) dailyCovariance[i * n + j] = correlation[i * n + j] * dailyVol[i] * dailyVol[j];
  }
  const lower = cholesky(k, dailyCovariance, n, 'demo daily covariance');
  const draws = correlatedNormals(k, lower, n, days - 1, DEMO_SEED, STREAM.daily);
  const closes = DEMO_ASSETS.map((asset, j) => {
    // Walk backwards from the last close so the series ends exactly at the book's price.
    const drift = asset.annualDrift / TRADING_DAYS_PER_YEAR;
    const series = new Float64Array(days);
    series[days - 1] = asset.lastClose;
    for (let t = days - 1; t >= 1; t--) series[t - 1] = series[t] * Math.exp(-(drift + draws[(t - 1) * n + j]));
    return series;
  });
  const annualVols = Float64Array.from(dailyVol, (v) => v * Math.sqrt(TRADING_DAYS_PER_YEAR));
  return { closes, truth: { tickers: DEMO_ASSETS.map((a) => a.ticker), dailyCovariance, annualVols, correlation } };
}

/** ^IRX (discount yield, percent): AR(1) around its long-run level, ending at 3.60% money-market. */
function irxSeries(k: Kernels, days: number): Float64Array {
  const lastDiscount = rateToIrx(DEFAULT_RFR);
  const shocks = normals(k, days, DEMO_SEED, STREAM.irx);
  const series = new Float64Array(days);
  const persistence = 0.98;
  let level = 0;
  for (let t = 0; t < days; t++) {
    level = persistence * level + 0.012 * shocks[t];
    series[t] = level;
  }
  const shift = lastDiscount - series[days - 1];
  for (let t = 0; t < days; t++) series[t] += shift;
  return series;
}
