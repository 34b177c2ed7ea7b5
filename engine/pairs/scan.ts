/**
 * The pair scanner (docs/conventions.md, "Pair scan"; `astra scan`): every pair of a bar table's
 * tickers, y the one whose column comes first. For each pair, on the rows where both have a close
 * (m of them), the first ⌊F·m⌋ are the formation part and the rest the trading part:
 *
 * - on the formation part: the Engle–Granger statistics of engine/pairs/cointegration.ts (`corr`,
 *   `adfStat`, `pValue`, `halfLife`, the hedge ratio), and the Kalman filter's δ and Vₑ fitted by
 *   maximum likelihood on its last session ({@link SCAN_CALIBRATION}: the last 390 formation rows,
 *   40 likelihood evaluations, burn-in 30);
 * - on the trading part only: the Kalman backtest (`pairBacktest`, default rules), whose filter
 *   starts at the calibration window and whose first signal is 30 warm-up bars after the formation
 *   part ends: `sharpe` (after costs; annualised by √(252·390)) and `trades` (round trips).
 *
 * Then `pAdjusted`, Benjamini–Hochberg over every scanned pair, and the ranking: p-value ascending,
 * then Sharpe descending (a missing Sharpe last), then column order. A pair with too few rows for
 * the statistics is skipped with its reason; one whose trading part is too short for a backtest
 * keeps its statistics with `sharpe` NaN and the reason in `backtestNote`.
 *
 * Work is cut into blocks of {@link SCAN_BLOCK_PAIRS} pairs ({@link planScan}, {@link scanBlock},
 * {@link combineScan}); every pair's figures depend on its own two columns only, so the result is
 * the same however the blocks are spread over workers.
 */
import { AstraError, Messages, mention } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import type { BarTable } from '../types.ts';
import { BARS_PER_SESSION } from '../units.ts';
import { pairBacktest } from './backtest.ts';
import { calibrateKalman, CHEAP_CALIBRATION } from './calibrate.ts';
import {
  allocEngleGrangerScratch, engleGrangerAt, MIN_COINT_ROWS, resolveLags, type EngleGranger, type EngleGrangerScratch,
} from './cointegration.ts';
import { benjaminiHochberg } from './multiple-testing.ts';
import { sessionIds } from './sessions.ts';

/** Default share of each pair's rows that is the formation part. */
export const DEFAULT_FORMATION = 0.5;
/** Default number of pairs reported (0 = all). */
export const DEFAULT_TOP = 20;
/** Pairs per pool block: a few milliseconds of work each. */
export const SCAN_BLOCK_PAIRS = 16;
/**
 * The calibration of each pair: a window of the last session (390 rows) of its formation part,
 * 40 likelihood evaluations of Nelder–Mead, burn-in 30 (CHEAP_CALIBRATION of calibrate.ts).
 */
export const SCAN_CALIBRATION = {
  window: CHEAP_CALIBRATION.window ?? BARS_PER_SESSION,
  maxEvaluations: CHEAP_CALIBRATION.maxEvaluations ?? 40,
  burnIn: CHEAP_CALIBRATION.burnIn ?? 30,
} as const;
/** How the pairs are ranked, in words (reported with the result). */
export const SCAN_RANKING = 'pValue ascending, then sharpe descending (missing last), then column order';

/** Options of a scan. */
export interface ScanOptions {
  /** F: the formation part is the first ⌊F·m⌋ of a pair's m common rows; 0 < F < 1 (default 0.5). */
  formation?: number;
  /** Fixed ADF lags (no AIC search). */
  lags?: number;
  /** Largest ADF lag of the AIC search (default ⌊12·(m_f/100)^¼⌋ per pair). */
  maxLag?: number;
  /** How many ranked pairs to return (default 20; 0 = all). */
  top?: number;
  /** Backtest rules (defaults of pairBacktest: entry 2, exit 0.5, costs 0 bp). */
  entry?: number;
  exit?: number;
  costBps?: number;
}

/** The settings a block runs with (options resolved and checked). */
export interface ScanSettings {
  formation: number;
  lags?: number;
  maxLag?: number;
  entry?: number;
  exit?: number;
  costBps?: number;
}

/** One scanned pair. */
export interface ScanPair {
  /** 1 for the best-ranked pair. */
  rank: number;
  y: string;
  x: string;
  /** Pearson correlation of the formation part's 1-bar log returns. */
  corr: number;
  /** Engle–Granger τ on the formation part (−∞ for collinear legs). */
  adfStat: number;
  /** MacKinnon's asymptotic p-value (N = 2, constant). */
  pValue: number;
  /** Benjamini–Hochberg over every scanned pair. */
  pAdjusted: number;
  /** Half-life of the formation residual's mean reversion, bars (Infinity when it does not revert). */
  halfLife: number;
  /** Annualised Sharpe of the Kalman backtest over the trading part, after costs (NaN: no backtest). */
  sharpe: number;
  /** Round trips of that backtest. */
  trades: number;
  /** Its Sharpe before costs, and the Sharpe's standard error (Lo 2002). */
  sharpeBeforeCosts: number;
  sharpeSe: number;
  /** b and a of the formation OLS y = a + b·x + u. */
  hedgeRatio: number;
  intercept: number;
  /** ADF lags used and the bound searched. */
  lags: number;
  maxLag: number;
  /** Rows: common to both legs, formation part, trading part. */
  rows: number;
  formationRows: number;
  tradingRows: number;
  /** The Kalman parameters fitted on the formation part's last session, and the log-likelihood there. */
  delta: number;
  ve: number;
  logLik: number;
  /** Why there is no backtest (too few trading rows, a calibration that failed), if so. */
  backtestNote?: string;
}

/** A pair that could not be scanned, and why. */
export interface ScanSkipped {
  y: string;
  x: string;
  /** Rows where both have a close. */
  rows: number;
  reason: string;
}

/** The result of a scan. */
export interface ScanResult {
  /** The top pairs, ranked. */
  pairs: ScanPair[];
  /** Pairs scanned (the BH family) and pairs in all: n(n−1)/2. */
  scanned: number;
  total: number;
  skipped: ScanSkipped[];
  formation: number;
  /** `top` as asked (0 = all). */
  top: number;
  ranking: string;
  /** The ADF lag rule used. */
  lagRule: string;
  /** How δ and Vₑ were fitted. */
  calibration: { window: number; maxEvaluations: number; burnIn: number };
  tickers: string[];
}

/** One block of pairs: the columns its pairs use and the row sessions. */
export interface ScanBlock {
  tickers: string[];
  closes: Float64Array[];
  /** Session index of every row of the table. */
  sessions: Int32Array;
  /** Pairs as indices into `tickers` (y, x), and their position in the scan's pair order. */
  pairs: { y: number; x: number; index: number }[];
  settings: ScanSettings;
}

/** What a block gives for each of its pairs, in its order. */
export type ScanBlockResult = ({ index: number; ok: true; stats: Omit<ScanPair, 'rank' | 'pAdjusted'> } | ({ index: number; ok: false } & ScanSkipped))[];

/** The blocks of a scan, with what combining needs. */
export interface ScanPlan {
  blocks: ScanBlock[];
  total: number;
  top: number;
  settings: ScanSettings;
  tickers: string[];
}

const positiveOr = (v: number | undefined, rule: (x: number) => boolean, name: string, text: string): void => {
  if (v !== undefined && !(typeof v === 'number' && rule(v))) throw new AstraError('BAD_INPUT', Messages.badValue(name, v, text), { option: name });
};

/**
 * Check a scan's inputs and cut its pairs into blocks.
 * @param source how messages name the bars (a file label or the demo's).
 * @throws AstraError `BAD_INPUT` with fewer than 2 tickers, a close that is not positive (NaN =
 *   missing is fine), or a bad option.
 */
export function planScan(bars: BarTable, options: ScanOptions = {}, source = 'the bars'): ScanPlan {
  const formation = options.formation ?? DEFAULT_FORMATION;
  positiveOr(formation, (f) => f > 0 && f < 1, 'formation', 'a fraction strictly between 0 and 1');
  const top = options.top ?? DEFAULT_TOP;
  positiveOr(top, (t) => Number.isSafeInteger(t) && t >= 0, 'top', 'a whole number ≥ 0 (0 = all pairs)');
  positiveOr(options.lags, (l) => Number.isSafeInteger(l) && l >= 0, 'ADF lags', 'a whole number ≥ 0');
  positiveOr(options.maxLag, (l) => Number.isSafeInteger(l) && l >= 0, 'largest ADF lag', 'a whole number ≥ 0');
  const n = bars.tickers.length;
  if (n < 2) throw new AstraError('BAD_INPUT', Messages.scanTooFewTickers(source, bars.tickers));
  bars.closes.forEach((c, j) => {
    for (let t = 0; t < c.length; t++) {
      const v = c[t];
      if (Number.isNaN(v) || (v > 0 && v < Infinity)) continue;
      throw new AstraError('BAD_INPUT', Messages.pairsBadPrice(bars.tickers[j], `${mention(bars.timestamps[t])} (row ${t + 2} of ${source})`, v), { ticker: bars.tickers[j], row: t + 2 });
    }
  });
  const settings: ScanSettings = { formation, lags: options.lags, maxLag: options.maxLag, entry: options.entry, exit: options.exit, costBps: options.costBps };
  const sessions = sessionIds(bars.timestamps);
  const all: { y: number; x: number }[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) all.push({ y: i, x: j });
  const blocks: ScanBlock[] = [];
  for (let start = 0; start < all.length; start += SCAN_BLOCK_PAIRS) {
    const chunk = all.slice(start, start + SCAN_BLOCK_PAIRS);
    const used = [...new Set(chunk.flatMap((p) => [p.y, p.x]))].sort((a, b) => a - b);
    const local = new Map(used.map((j, i) => [j, i]));
    blocks.push({
      tickers: used.map((j) => bars.tickers[j]),
      closes: used.map((j) => bars.closes[j]),
      sessions,
      pairs: chunk.map((p, i) => ({ y: local.get(p.y)!, x: local.get(p.x)!, index: start + i })),
      settings,
    });
  }
  return { blocks, total: all.length, top, settings, tickers: bars.tickers.slice() };
}

/** Row indices where both columns have a close. */
function commonRows(a: Float64Array, b: Float64Array, full: boolean): Int32Array | null {
  if (full) return null; // every row
  const rows: number[] = [];
  for (let t = 0; t < a.length; t++) if (!Number.isNaN(a[t]) && !Number.isNaN(b[t])) rows.push(t);
  return Int32Array.from(rows);
}

function gather(src: Float64Array, rows: Int32Array | null, from: number, to: number): Float64Array {
  if (!rows) return src.subarray(from, to);
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = src[rows[i]];
  return out;
}

/**
 * Scan one block (the `pairs.scanBlock` pool task): the Engle–Granger statistics of every pair
 * (one kernel session: the block's columns are placed once), then each pair's calibration and
 * backtest. Deterministic in its argument.
 */
export function scanBlock(k: Kernels, block: ScanBlock): ScanBlockResult {
  const { closes, sessions, settings } = block;
  const rowsOf = closes[0]?.length ?? 0;
  const full = closes.map((c) => c.every((v) => !Number.isNaN(v)));
  const out: ScanBlockResult = [];
  const todo: { index: number; y: number; x: number; rows: Int32Array | null; m: number; mf: number; lags: { maxLag: number; fixed: boolean } }[] = [];
  for (const p of block.pairs) {
    const rows = commonRows(closes[p.y], closes[p.x], full[p.y] && full[p.x]);
    const m = rows ? rows.length : rowsOf;
    const mf = Math.floor(settings.formation * m);
    const skip = (reason: string) => out.push({ index: p.index, ok: false, y: block.tickers[p.y], x: block.tickers[p.x], rows: m, reason });
    if (mf < MIN_COINT_ROWS) {
      skip(`only ${mf} formation rows (${m} rows where both have a close); at least ${MIN_COINT_ROWS} needed`);
      continue;
    }
    let lags: { maxLag: number; fixed: boolean };
    try {
      lags = resolveLags(mf, { lags: settings.lags, maxLag: settings.maxLag });
    } catch (e) {
      if (!(e instanceof AstraError)) throw e;
      skip(e.message);
      continue;
    }
    todo.push({ index: p.index, y: p.y, x: p.x, rows, m, mf, lags });
  }

  // Engle–Granger for every pair: columns and their logs placed once.
  const stats = new Map<number, EngleGranger>();
  if (todo.length > 0) {
    k.reset();
    const usedCols = [...new Set(todo.flatMap((p) => [p.y, p.x]))];
    const placed = new Map<number, { p: number; l: number }>();
    for (const j of usedCols) {
      const c = closes[j];
      const logs = new Float64Array(c.length);
      for (let t = 0; t < c.length; t++) logs[t] = Math.log(c[t]);
      placed.set(j, { p: k.putF64(c), l: k.putF64(logs) });
    }
    const maxRows = Math.max(...todo.map((p) => p.mf));
    const maxLag = Math.max(...todo.map((p) => p.lags.maxLag));
    const gathered = todo.some((p) => p.rows) ? [0, 1, 2, 3].map(() => k.allocF64(maxRows)) : [];
    const scratch: EngleGrangerScratch = allocEngleGrangerScratch(k, maxRows, maxLag);
    for (const p of todo) {
      const a = placed.get(p.y)!;
      const b = placed.get(p.x)!;
      let ptr = { y: a.p, x: b.p, ly: a.l, lx: b.l };
      if (p.rows) {
        const views = gathered.map((g) => k.f64(g, p.mf));
        const srcs = [closes[p.y], closes[p.x]];
        for (let i = 0; i < p.mf; i++) {
          const r = p.rows[i];
          views[0][i] = srcs[0][r];
          views[1][i] = srcs[1][r];
          views[2][i] = Math.log(srcs[0][r]);
          views[3][i] = Math.log(srcs[1][r]);
        }
        ptr = { y: gathered[0], x: gathered[1], ly: gathered[2], lx: gathered[3] };
      }
      stats.set(p.index, engleGrangerAt(k, ptr, p.mf, p.lags, scratch));
    }
  }

  // Calibration on the formation's last session, backtest over the trading part.
  for (const p of todo) {
    const eg = stats.get(p.index)!;
    const window = Math.min(SCAN_CALIBRATION.window, p.mf);
    const from = p.mf - window;
    const y = gather(closes[p.y], p.rows, from, p.m);
    const x = gather(closes[p.x], p.rows, from, p.m);
    const s = new Int32Array(p.m - from);
    for (let i = 0; i < s.length; i++) s[i] = sessions[p.rows ? p.rows[from + i] : from + i];
    let backtest = { sharpe: NaN, sharpeBeforeCosts: NaN, sharpeSe: NaN, trades: 0, delta: NaN, ve: NaN, logLik: NaN, note: undefined as string | undefined };
    try {
      const fit = calibrateKalman(k, y, x, {
        window,
        maxEvaluations: SCAN_CALIBRATION.maxEvaluations,
        burnIn: Math.min(SCAN_CALIBRATION.burnIn, Math.floor(window / 4)),
      });
      backtest = { ...backtest, delta: fit.delta, ve: fit.ve, logLik: fit.logLik };
      const report = pairBacktest(k, {
        y, x, sessions: s, delta: fit.delta, ve: fit.ve, tradeFrom: window, series: false,
        entry: settings.entry, exit: settings.exit, costBps: settings.costBps,
      });
      backtest = {
        ...backtest,
        sharpe: report.afterCosts.sharpe,
        sharpeBeforeCosts: report.beforeCosts.sharpe,
        sharpeSe: report.afterCosts.sharpeSe,
        trades: report.roundTrips,
      };
    } catch (e) {
      if (!(e instanceof AstraError)) throw e;
      backtest.note = e.message;
    }
    out.push({
      index: p.index,
      ok: true,
      stats: {
        y: block.tickers[p.y],
        x: block.tickers[p.x],
        corr: eg.corr,
        adfStat: eg.adfStat,
        pValue: eg.pValue,
        halfLife: eg.halfLife,
        sharpe: backtest.sharpe,
        trades: backtest.trades,
        sharpeBeforeCosts: backtest.sharpeBeforeCosts,
        sharpeSe: backtest.sharpeSe,
        hedgeRatio: eg.hedgeRatio,
        intercept: eg.intercept,
        lags: eg.lags,
        maxLag: eg.maxLag,
        rows: p.m,
        formationRows: p.mf,
        tradingRows: p.m - p.mf,
        delta: backtest.delta,
        ve: backtest.ve,
        logLik: backtest.logLik,
        ...(backtest.note !== undefined ? { backtestNote: backtest.note } : {}),
      },
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Order of the ranking (see {@link SCAN_RANKING}): p ascending, Sharpe descending, pair order. */
function byRank(a: { stats: { pValue: number; sharpe: number }; index: number }, b: { stats: { pValue: number; sharpe: number }; index: number }): number {
  const pa = Number.isNaN(a.stats.pValue) ? Infinity : a.stats.pValue;
  const pb = Number.isNaN(b.stats.pValue) ? Infinity : b.stats.pValue;
  if (pa !== pb) return pa - pb;
  const sa = Number.isNaN(a.stats.sharpe) ? -Infinity : a.stats.sharpe;
  const sb = Number.isNaN(b.stats.sharpe) ? -Infinity : b.stats.sharpe;
  if (sa !== sb) return sb > sa ? 1 : -1;
  return a.index - b.index;
}

/** Put the blocks' answers together: BH over the scanned pairs, the ranking, the top N. */
export function combineScan(plan: ScanPlan, results: ScanBlockResult[], source = 'the bars'): ScanResult {
  const all = results.flat().sort((a, b) => a.index - b.index);
  const scanned = all.filter((r): r is Extract<ScanBlockResult[number], { ok: true }> => r.ok);
  const skipped: ScanSkipped[] = all.filter((r): r is Extract<ScanBlockResult[number], { ok: false }> => !r.ok).map(({ y, x, rows, reason }) => ({ y, x, rows, reason }));
  if (scanned.length === 0) {
    throw new AstraError('INSUFFICIENT_DATA', Messages.scanNoPair(source, plan.total, skipped[0]?.reason ?? 'no pair'));
  }
  const adjusted = benjaminiHochberg(scanned.map((r) => r.stats.pValue));
  const withAdjusted = scanned.map((r, i) => ({ index: r.index, stats: { ...r.stats, pAdjusted: adjusted[i] } }));
  withAdjusted.sort(byRank);
  const kept = plan.top === 0 ? withAdjusted : withAdjusted.slice(0, plan.top);
  const { settings } = plan;
  return {
    pairs: kept.map((r, i) => ({ rank: i + 1, ...r.stats })),
    scanned: scanned.length,
    total: plan.total,
    skipped,
    formation: settings.formation,
    top: plan.top,
    ranking: SCAN_RANKING,
    lagRule:
      settings.lags !== undefined
        ? `fixed: ${settings.lags} lags`
        : settings.maxLag !== undefined
          ? `AIC over 0…${settings.maxLag}`
          : 'AIC over 0…⌊12·(m_f/100)^¼⌋ (at most m_f/2 − 1), m_f the formation rows',
    calibration: { ...SCAN_CALIBRATION },
    tickers: plan.tickers,
  };
}

/**
 * Scan every pair of `bars` in this thread (the pool splits the same blocks: see
 * engine/pool/tasks/scan.ts). The same result as on the pool, bit for bit.
 */
export function scanPairs(k: Kernels, bars: BarTable, options: ScanOptions = {}, source = 'the bars'): ScanResult {
  const plan = planScan(bars, options, source);
  return combineScan(plan, plan.blocks.map((b) => scanBlock(k, b)), source);
}
