/**
 * `astra stats`: mean, covariance and annual vols of daily log returns over a lookback window,
 * with a named estimator, what was left out, and any repair — the numbers risk and the optimizer
 * work from. Data: `--prices` (else the embedded demo).
 */
import { AstraError, Messages, quote } from '../../engine/errors.ts';
import { loadKernels } from '../../engine/node.ts';
import { ESTIMATORS, EWMA_LAMBDA, isEstimator } from '../../engine/market/covariance.ts';
import type { Estimator } from '../../engine/market/covariance.ts';
import { REPAIR_FLOOR_RELATIVE } from '../../engine/market/repair.ts';
import { marketStats } from '../../engine/market/stats.ts';
import type { MarketStats } from '../../engine/market/stats.ts';
import { DEFAULT_LOOKBACK_DAYS, TRADING_DAYS_PER_YEAR } from '../../engine/units.ts';
import { listOption, numberOption, stringOption } from '../args.ts';
import type { Command, CommandOutput, OptionValues } from '../command.ts';
import { pricesOption } from '../demo.ts';
import { count, formatPairs, formatTable, percent, printable } from '../table.ts';

/** Matrices are printed in the table only up to this many tickers (JSON always has them all). */
export const MAX_MATRIX_TICKERS = 12;
/** Dropped dates listed in the table (JSON lists them all). */
const MAX_LISTED_DATES = 10;

interface Options {
  lookback: number;
  estimator: Estimator;
  tickers?: string[];
  pricesPath?: string;
}

function readOptions(values: OptionValues): Options {
  const lookback = numberOption(values, 'lookback', 'a whole number of calendar days ≥ 1', (x) => Number.isSafeInteger(x) && x >= 1);
  const estimator = stringOption(values, 'estimator') ?? 'sample';
  if (!isEstimator(estimator)) {
    throw new AstraError('BAD_INPUT', Messages.badValue('--estimator', quote(estimator), `one of ${ESTIMATORS.join(', ')}`), { option: '--estimator' });
  }
  const entries = listOption(values, 'tickers');
  const tickers = entries.flatMap((e) => e.split(',')).map((t) => t.trim());
  if (entries.length > 0 && tickers.some((t) => t === '')) {
    throw new AstraError('BAD_INPUT', Messages.badValue('--tickers', quote(entries.join(',')), 'comma-separated column names, e.g. AAPL,MSFT'), { option: '--tickers' });
  }
  return { lookback: lookback ?? DEFAULT_LOOKBACK_DAYS, estimator, tickers: entries.length > 0 ? tickers : undefined, pricesPath: stringOption(values, 'prices') };
}

/** Prefix engine errors about the data with where the data came from, keeping code and location. */
function located(e: unknown, source: string): unknown {
  if (!(e instanceof AstraError) || e.code === 'WASM_LOAD') return e;
  return new AstraError(e.code, `${source}: ${e.message}`, { ...e.where, source });
}

/** The `stats` JSON: the contract keys first (docs/cli.md), then the extras. */
export function statsJson(s: MarketStats, source: string) {
  const n = s.tickers.length;
  const byTicker = (values: Float64Array) => Object.fromEntries(s.tickers.map((t, i) => [t, values[i]]));
  return {
    source: { prices: source },
    tickers: s.tickers,
    first: s.first,
    last: s.last,
    observations: s.observations,
    estimator: s.estimator,
    meanDaily: byTicker(s.meanDaily),
    covDaily: Array.from({ length: n }, (_, i) => Array.from(s.covDaily.subarray(i * n, (i + 1) * n))),
    volAnnual: byTicker(s.volAnnual),
    ...(s.shrinkage !== undefined ? { shrinkage: s.shrinkage, shrinkageTarget: s.target } : {}),
    ...(s.lambda !== undefined ? { lambda: s.lambda } : {}),
    repair: s.repair
      ? {
          method: s.repair.method,
          amount: s.repair.amount,
          floor: s.repair.floor,
          clipped: s.repair.clipped,
          minEigenvalue: s.repair.minEigenvalue,
          jitter: s.repair.jitter,
          ticker: s.tickers[s.repair.failedRow],
        }
      : null,
    dropped: s.dropped,
    lookback: s.lookback,
    windowStart: s.windowStart,
    excluded: s.excluded,
    tradingDaysPerYear: TRADING_DAYS_PER_YEAR,
    warnings: s.warnings,
  };
}

function estimatorLine(s: MarketStats): string {
  switch (s.estimator) {
    case 'sample':
      return 'sample covariance (divisor T-1, mean subtracted)';
    case 'ledoit-wolf':
      return (
        `Ledoit-Wolf: shrinkage ${s.shrinkage!.toFixed(4)} towards the scaled identity ` +
        `mu*I, mu = trace/n = ${s.target!.variance.toExponential(4)} (daily variance)`
      );
    case 'ewma':
      return `EWMA (RiskMetrics), lambda ${EWMA_LAMBDA}, weights lambda^(T-1-t) normalised to sum 1, about a zero mean`;
  }
}

function matrix(title: string, s: MarketStats, cell: (i: number, j: number) => string): string {
  const columns = [{ header: '' }, ...s.tickers.map((t) => ({ header: t, align: 'right' as const }))];
  const rows = s.tickers.map((t, i) => [t, ...s.tickers.map((_, j) => cell(i, j))]);
  return `${title}\n${formatTable(columns, rows)}`;
}

export function statsText(s: MarketStats, source: string): string {
  const n = s.tickers.length;
  const parts: string[] = [];
  parts.push(
    `Market statistics - prices: ${printable(source)}\n` +
      `Window: ${s.first} … ${s.last}, ${count(s.observations)} daily log returns of ${n} ticker${n === 1 ? '' : 's'} ` +
      `(dated after ${s.windowStart || 'the first date'}: lookback ${s.lookback} calendar days)\n` +
      `Estimator: ${estimatorLine(s)}\n` +
      `Repair: ${
        s.repair
          ? `${s.repair.method}, eigenvalues below ${s.repair.floor.toExponential(3)} (${REPAIR_FLOOR_RELATIVE} x the largest) raised to it; largest change ${s.repair.amount.toExponential(3)}`
          : 'none (positive definite)'
      }\n`,
  );
  parts.push(
    formatTable(
      [{ header: 'Ticker' }, { header: 'Mean daily', align: 'right' }, { header: `Mean annual (x${TRADING_DAYS_PER_YEAR})`, align: 'right' }, { header: 'Vol annual', align: 'right' }],
      s.tickers.map((t, i) => [t, percent(s.meanDaily[i], 4), percent(TRADING_DAYS_PER_YEAR * s.meanDaily[i], 2), percent(s.volAnnual[i], 2)]),
    ),
  );
  if (n <= MAX_MATRIX_TICKERS) {
    const c = s.covDaily;
    parts.push(matrix('Correlation', s, (i, j) => (c[i * n + j] / Math.sqrt(c[i * n + i] * c[j * n + j])).toFixed(3)));
    parts.push(matrix('Daily covariance (x 1e-4)', s, (i, j) => (c[i * n + j] * 1e4).toFixed(4)));
  } else {
    parts.push(`(${n} tickers: the correlation and covariance matrices are in --json)\n`);
  }
  const left: [string, string, string?][] = [];
  if (s.excluded.length > 0) left.push(['Rate series', s.excluded.join(', '), 'not assets: left out unless named with --tickers']);
  for (const t of s.dropped.tickers) left.push(['Dropped ticker', t.ticker, t.reason]);
  if (s.dropped.dates.length > 0) {
    const shown = s.dropped.dates.slice(0, MAX_LISTED_DATES).map((d) => `${d.date} (${d.missing.join(' ') || 'no ticker'})`);
    const more = s.dropped.dates.length - shown.length;
    left.push(['Dropped dates', count(s.dropped.dates.length), `${shown.join(', ')}${more > 0 ? `, and ${more} more (all in --json)` : ''}`]);
  }
  if (left.length > 0) parts.push(formatPairs(left));
  if (s.warnings.length > 0) parts.push(`Warnings:\n${s.warnings.map((w) => `  - ${w}\n`).join('')}`);
  return parts.join('\n');
}

/** The `stats` command. */
export const statsCommand: Command = {
  name: 'stats',
  summary: 'mean, covariance and annual vols of daily log returns, with a named estimator',
  options: {
    prices: { type: 'string', value: 'FILE', help: 'prices CSV date,TICKER1,… (default: the demo prices)' },
    lookback: { type: 'string', value: 'DAYS', help: `calendar days back from the last common date (default ${DEFAULT_LOOKBACK_DAYS})` },
    estimator: { type: 'string', value: 'NAME', help: `covariance estimator: ${ESTIMATORS.join(', ')} (default sample)` },
    tickers: { type: 'string', multiple: true, value: 'T,…', help: 'the universe, in this order (default: every column but rate series such as ^IRX)' },
  },
  async run(values: OptionValues, io): Promise<CommandOutput> {
    const options = readOptions(values);
    const { prices, source } = await pricesOption(options.pricesPath, io.cwd);
    const kernels = await loadKernels();
    let stats: MarketStats;
    try {
      stats = marketStats(kernels, prices, { lookback: options.lookback, estimator: options.estimator, tickers: options.tickers });
    } catch (e) {
      throw located(e, options.pricesPath !== undefined ? Messages.csvFile('prices', options.pricesPath) : source);
    }
    return { json: statsJson(stats, source), text: () => statsText(stats, source) };
  },
};
