/**
 * `astra scan`: every pair of a bar table's tickers — correlation, Engle–Granger cointegration
 * (MacKinnon p-value, Benjamini–Hochberg adjusted), half-life on the formation part, and the
 * Kalman backtest's Sharpe and trades on the trading part — ranked (docs/cli.md, "scan";
 * definitions in docs/conventions.md, "Pair scan"). Data: `--bars` (else the demo's ten banks).
 */
import { loadKernels } from '../../engine/node.ts';
import { DEFAULT_COST_BPS, DEFAULT_ENTRY, DEFAULT_EXIT } from '../../engine/pairs/backtest.ts';
import { DEFAULT_FORMATION, DEFAULT_TOP, SCAN_CALIBRATION, scanPairs, type ScanOptions, type ScanResult } from '../../engine/pairs/scan.ts';
import { numberOption, stringOption } from '../args.ts';
import type { Command, CommandOutput, OptionValues } from '../command.ts';
import { barsOption } from '../demo.ts';
import { formatTable, printable } from '../table.ts';

const whole = (min: number) => (x: number) => Number.isSafeInteger(x) && x >= min;

/** The `scan` JSON: `{ pairs: [...] }` with the contract's keys first in each pair, then the extras. */
export function scanJson(r: ScanResult, source: string) {
  return {
    pairs: r.pairs.map((p) => ({
      y: p.y,
      x: p.x,
      corr: p.corr,
      adfStat: p.adfStat,
      pValue: p.pValue,
      pAdjusted: p.pAdjusted,
      halfLife: p.halfLife,
      sharpe: p.sharpe,
      trades: p.trades,
      rank: p.rank,
      reversion: p.reversion,
      hedgeRatio: p.hedgeRatio,
      intercept: p.intercept,
      lags: p.lags,
      maxLag: p.maxLag,
      sharpeBeforeCosts: p.sharpeBeforeCosts,
      sharpeSe: p.sharpeSe,
      delta: p.delta,
      ve: p.ve,
      logLik: p.logLik,
      rows: p.rows,
      formationRows: p.formationRows,
      tradingRows: p.tradingRows,
      ...(p.backtestNote !== undefined ? { backtestNote: p.backtestNote } : {}),
    })),
    scanned: r.scanned,
    total: r.total,
    skipped: r.skipped,
    top: r.top,
    formation: r.formation,
    ranking: r.ranking,
    lagRule: r.lagRule,
    calibration: r.calibration,
    tickers: r.tickers,
    source,
  };
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : '—');
const pValue = (p: number) => (!Number.isFinite(p) ? '—' : p === 0 ? '0' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

function scanText(r: ScanResult, source: string): string {
  const shown = r.top === 0 || r.top >= r.scanned ? `all ${r.scanned}` : `top ${r.pairs.length} of ${r.scanned}`;
  const head =
    `Pair scan - bars: ${source}; ${r.tickers.length} tickers, ${r.total} pairs, ${shown} scanned pairs by ${r.ranking}\n` +
    `Formation: the first ${r.formation} of each pair's common rows (ADF lags: ${r.lagRule}); ` +
    `trading: the rest (Kalman, δ and Vₑ fitted on the formation's last ${r.calibration.window} rows, ${r.calibration.maxEvaluations} evaluations; Sharpe x sqrt(252 x 390))\n\n`;
  const table = formatTable(
    [
      { header: '#', align: 'right' }, { header: 'y' }, { header: 'x' }, { header: 'corr', align: 'right' }, { header: 'ADF t', align: 'right' },
      { header: 'lags', align: 'right' }, { header: 'p', align: 'right' }, { header: 'p (BH)', align: 'right' }, { header: 'half-life', align: 'right' },
      { header: 'Sharpe', align: 'right' }, { header: 'trades', align: 'right' }, { header: 'hedge', align: 'right' },
    ],
    r.pairs.map((p) => [
      String(p.rank), p.y, p.x, fixed(p.corr, 3), fixed(p.adfStat, 2), fixed(p.lags, 0), pValue(p.pValue), pValue(p.pAdjusted),
      fixed(p.halfLife, 1), fixed(p.sharpe, 2), String(p.trades), fixed(p.hedgeRatio, 4),
    ]),
  );
  let text = `${head}${table}`;
  const significant = r.pairs.filter((p) => p.pAdjusted < 0.05).length;
  const raw = r.pairs.filter((p) => p.pValue < 0.05).length;
  text += `\n${raw} shown pair${raw === 1 ? '' : 's'} with p < 0.05, ${significant} after the Benjamini–Hochberg adjustment over all ${r.scanned}\n`;
  const notes = r.pairs.filter((p) => p.backtestNote !== undefined);
  for (const p of notes) text += `no backtest for ${printable(p.y)}/${printable(p.x)}: ${p.backtestNote}\n`;
  for (const s of r.skipped) text += `skipped ${printable(s.y)}/${printable(s.x)}: ${s.reason}\n`;
  return text;
}

/** The `scan` command. */
export const scanCommand: Command = {
  name: 'scan',
  summary: 'rank every pair of a bar table: correlation, Engle–Granger p (and BH), half-life, Kalman backtest',
  options: {
    bars: { type: 'string', value: 'FILE', help: "bars CSV timestamp,TICKER1,… (default: the demo's ten banks)" },
    top: { type: 'string', value: 'N', help: `pairs shown, best first (default ${DEFAULT_TOP}; 0 = all)` },
    formation: { type: 'string', value: 'F', help: `share of each pair's common rows that is the formation part, 0 < F < 1 (default ${DEFAULT_FORMATION})` },
    'adf-lags': { type: 'string', value: 'K', help: 'fix the ADF lags at K (default: chosen by AIC)' },
    'adf-max-lag': { type: 'string', value: 'K', help: "largest ADF lag the AIC search tries (default floor(12*(m/100)^(1/4)); statsmodels' own default rounds up)" },
    entry: { type: 'string', value: 'Z', help: `backtest: enter when |z| > Z (default ${DEFAULT_ENTRY})` },
    exit: { type: 'string', value: 'Z', help: `backtest: exit when |z| < Z (default ${DEFAULT_EXIT})` },
    'cost-bps': { type: 'string', value: 'BP', help: `backtest: costs in basis points of traded notional (default ${DEFAULT_COST_BPS})` },
    workers: { type: 'string', value: 'N', help: 'run on a pool of N worker threads (default: this thread; the figures are the same)' },
  },
  async run(values: OptionValues, io): Promise<CommandOutput> {
    const options: ScanOptions = {
      top: numberOption(values, 'top', 'a whole number ≥ 0 (0 = all pairs)', whole(0)),
      formation: numberOption(values, 'formation', 'a fraction strictly between 0 and 1', (f) => f > 0 && f < 1),
      lags: numberOption(values, 'adf-lags', 'a whole number of lags ≥ 0', whole(0)),
      maxLag: numberOption(values, 'adf-max-lag', 'a whole number of lags ≥ 0', whole(0)),
      entry: numberOption(values, 'entry', 'a positive number (a z-score)', (v) => v > 0),
      exit: numberOption(values, 'exit', 'a number ≥ 0 (a z-score)', (v) => v >= 0),
      costBps: numberOption(values, 'cost-bps', 'a number ≥ 0 (basis points)', (v) => v >= 0),
    };
    const workers = numberOption(values, 'workers', 'a whole number from 1 to 64', (v) => Number.isSafeInteger(v) && v >= 1 && v <= 64);
    const barsPath = stringOption(values, 'bars');
    const { bars, source } = await barsOption(barsPath, io.cwd);
    let result: ScanResult;
    if (workers === undefined) {
      result = scanPairs(await loadKernels(), bars, options, source);
    } else {
      const [{ createNodePool }, { runScanOnPool }] = await Promise.all([import('../../engine/pool/node.ts'), import('../../engine/pool/tasks/scan.ts')]);
      const pool = createNodePool({ size: workers });
      try {
        result = await runScanOnPool(pool, bars, options, { source, timeLimitMs: Infinity });
      } finally {
        await pool.dispose();
      }
    }
    return { json: scanJson(result, source), text: () => scanText(result, source) };
  },
};
