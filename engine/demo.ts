/**
 * The embedded demo market: a deterministic synthetic market (seeded, generated through the wasm
 * kernels) that lets the whole product run offline. Labelled `DEMO_LABEL` wherever it is shown.
 *
 * - Daily: two years of weekday closes for seven stocks from a three-factor model (market, tech,
 *   banks) with annual vols of 20–40%, ending exactly at the demo book's prices; plus `^IRX`, the
 *   13-week bill discount yield in percent, mean-reverting near 3.57 and ending where its
 *   money-market equivalent is exactly 3.60%.
 * - Intraday: five sessions of 1-minute bars for JPM and C, cointegrated as
 *   JPM = β_t·C + α + s_t with β_t drifting from 2.62 to 2.69 and s_t an Ornstein–Uhlenbeck spread.
 * The true covariance, hedge-ratio path and spread are returned in `truth` for tests.
 */
import type { Kernels } from './kernels.ts';
import { normals } from './random/draws.ts';
import { cholesky, correlatedNormals } from './linalg/cholesky.ts';
import type { BarTable, PriceTable, Position } from './types.ts';
import { DEFAULT_EQUITY } from './book/book.ts';
import { DEFAULT_RFR, rateToIrx } from './book/rates.ts';
import { BARS_PER_SESSION, MINUTE_BARS_PER_YEAR, MS_PER_DAY, TRADING_DAYS_PER_YEAR } from './units.ts';

/** How the demo is labelled everywhere it appears. */
export const DEMO_LABEL = 'demo data (synthetic)';
/** Seed of every random draw in the demo. */
export const DEMO_SEED = 20_261_120;
/** First and last date of the daily series (weekdays in between; no holiday calendar). */
export const DEMO_START_DATE = '2024-11-20';
export const DEMO_END_DATE = '2026-11-20';
/** The intraday sessions: the last five weekdays of the daily series, 09:30–16:00 New York (EST). */
export const DEMO_SESSIONS = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];

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

/** The pair's truth: hedge ratio from `BETA_START` to `BETA_END`, OU spread with this half-life. */
export const PAIR = {
  y: 'JPM',
  x: 'C',
  betaStart: 2.62,
  betaEnd: 2.69,
  /** Half-life of the spread's mean reversion, in bars. */
  spreadHalfLifeBars: 30,
  /** Stationary standard deviation of the spread, dollars. */
  spreadStd: 0.15,
  /** Annual vol of C's 1-minute log returns. */
  annualVolX: 0.3,
} as const;

/** Where the demo's random draws come from: one stream per use, so each part is independent. */
const STREAM = { daily: 1, irx: 2, barsX: 3, barsSpread: 4 } as const;

/** Everything the demo provides. */
export interface DemoMarket {
  /** Always `DEMO_LABEL`. */
  label: typeof DEMO_LABEL;
  /** Daily closes of the seven stocks and `^IRX` (percent, discount basis), weekdays. */
  prices: PriceTable;
  /** One-minute closes of JPM and C over `DEMO_SESSIONS`. */
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
export interface DemoTruth {
  /** The seven stock tickers, in the order of the matrices below. */
  tickers: string[];
  /** Daily covariance of log returns, row-major 7×7. */
  dailyCovariance: Float64Array;
  /** Annual volatilities (√(252 × daily variance)). */
  annualVols: Float64Array;
  /** Correlation matrix, row-major 7×7. */
  correlation: Float64Array;
  /** Hedge ratio β_t of JPM on C, one per bar. */
  hedgeRatio: Float64Array;
  /** The OU spread s_t = JPM − β_t·C − α, one per bar. */
  spread: Float64Array;
  /** The intercept α, dollars. */
  alpha: number;
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
  const pair = intradayPair(k);
  const book: Position[] = DEMO_BOOK.map(({ ticker, shares }) => ({
    ticker,
    shares,
    price: DEMO_ASSETS.find((a) => a.ticker === ticker)!.lastClose,
  }));
  return {
    label: DEMO_LABEL,
    prices: { dates, tickers: [...DEMO_ASSETS.map((a) => a.ticker), '^IRX'], closes: [...closes, irx] },
    bars: pair.bars,
    book,
    equity: DEFAULT_EQUITY,
    rfr: DEFAULT_RFR,
    truth: { ...truth, hedgeRatio: pair.hedgeRatio, spread: pair.spread, alpha: pair.alpha },
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

/** One-minute bars for the cointegrated pair over `DEMO_SESSIONS`. */
function intradayPair(k: Kernels) {
  const bars = DEMO_SESSIONS.length * BARS_PER_SESSION;
  const minuteVol = PAIR.annualVolX / Math.sqrt(MINUTE_BARS_PER_YEAR);
  const xShocks = normals(k, bars, DEMO_SEED, STREAM.barsX);
  const spreadShocks = normals(k, bars, DEMO_SEED, STREAM.barsSpread);
  const xLast = DEMO_ASSETS.find((a) => a.ticker === PAIR.x)!.lastClose;
  const yLast = DEMO_ASSETS.find((a) => a.ticker === PAIR.y)!.lastClose;

  // C: a log random walk ending at its last daily close, with a larger move across each night.
  const x = new Float64Array(bars);
  x[bars - 1] = xLast;
  for (let t = bars - 1; t >= 1; t--) {
    const overnight = t % BARS_PER_SESSION === 0 ? 8 : 1;
    x[t - 1] = x[t] * Math.exp(-minuteVol * overnight * xShocks[t]);
  }
  // β drifts linearly. Random wander in β would be multiplied by C's price (~$118) and swamp the
  // $0.15 spread, leaving the filter nothing tradeable to find.
  const hedgeRatio = new Float64Array(bars);
  for (let t = 0; t < bars; t++) hedgeRatio[t] = PAIR.betaStart + ((PAIR.betaEnd - PAIR.betaStart) * t) / (bars - 1);
  // The spread: an OU process sampled each minute, started from its stationary law.
  const phi = Math.pow(0.5, 1 / PAIR.spreadHalfLifeBars);
  const innovation = PAIR.spreadStd * Math.sqrt(1 - phi * phi);
  const spread = new Float64Array(bars);
  spread[0] = PAIR.spreadStd * spreadShocks[0];
  for (let t = 1; t < bars; t++) spread[t] = phi * spread[t - 1] + innovation * spreadShocks[t];
  // α makes JPM end exactly at its last daily close.
  const alpha = yLast - hedgeRatio[bars - 1] * xLast - spread[bars - 1];
  const y = new Float64Array(bars);
  for (let t = 0; t < bars; t++) y[t] = hedgeRatio[t] * x[t] + alpha + spread[t];
  y[bars - 1] = yLast;

  const timestamps: string[] = [];
  const times = new Float64Array(bars);
  let bar = 0;
  for (const day of DEMO_SESSIONS) {
    const open = Date.parse(`${day}T09:30:00-05:00`);
    for (let m = 0; m < BARS_PER_SESSION; m++, bar++) {
      times[bar] = open + m * 60_000;
      timestamps.push(isoWithOffset(times[bar], -5 * 60));
    }
  }
  const table: BarTable = { timestamps, times, tickers: [PAIR.y, PAIR.x], closes: [y, x] };
  return { bars: table, hedgeRatio, spread, alpha };
}

/** `YYYY-MM-DDTHH:MM:SS±HH:MM` for epoch milliseconds shown at a fixed UTC offset (minutes). */
export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
