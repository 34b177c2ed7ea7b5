/**
 * `astra pairs`: the Kalman pair filter of y on x over intraday bars, δ and Vₑ fitted by maximum
 * likelihood on the first bars (or set by hand), and the backtest of the z-score rules on the bars
 * after them (docs/cli.md, "pairs"; definitions in docs/conventions.md). Data: `--bars` (else the
 * demo's JPM and C).
 */
import { AstraError, Messages } from '../../engine/errors.ts';
import { loadKernels } from '../../engine/node.ts';
import { DEFAULT_COST_BPS, DEFAULT_ENTRY, DEFAULT_EXIT, DEFAULT_WARMUP, SMALL_SAMPLE_TRADES } from '../../engine/pairs/backtest.ts';
import { DEFAULT_CALIBRATION_BARS, DEFAULT_MAX_EVALUATIONS } from '../../engine/pairs/calibrate.ts';
import { runPair } from '../../engine/pairs/run.ts';
import type { PairRunNames } from '../../engine/pairs/run.ts';
import type { Performance, PairRun, Trade } from '../../engine/pairs/types.ts';
import { PAIR } from '../../engine/demo.ts';
import { numberOption, stringOption } from '../args.ts';
import type { Command, CommandOutput, OptionValues } from '../command.ts';
import { barsOption } from '../demo.ts';
import { formatPairs, formatTable, percent } from '../table.ts';

/** How the engine's messages name the options. */
const NAMES: PairRunNames = {
  y: '--y', x: '--x', calibrate: '--calibrate', delta: '--delta', ve: '--ve', entry: '--entry', exit: '--exit', costBps: '--cost-bps', warmup: '--warmup', tradeFrom: '--calibrate',
};

/** Trades shown in the readable report (all of them are in the JSON). */
const TRADES_SHOWN = 20;

const wholeAtLeast = (min: number) => (x: number) => Number.isSafeInteger(x) && x >= min;
const last = (a: Float64Array | undefined) => (a && a.length > 0 ? a[a.length - 1] : NaN);
const list = (a: ArrayLike<number> | undefined) => (a ? Array.from(a) : []);

function performanceJson(p: Performance, full: boolean) {
  return {
    totalReturn: p.totalReturn,
    sharpe: p.sharpe,
    sharpeSe: p.sharpeSe,
    maxDrawdown: p.maxDrawdown,
    hitRate: p.hitRate,
    turnover: p.turnover,
    ...(full ? { equity: list(p.equity) } : { equity: last(p.equity) }),
  };
}

/** The `pairs` JSON: the contract keys (docs/cli.md), then the extras. */
export function pairsJson(run: PairRun, full: boolean, source: string) {
  const r = run.report;
  const s = r.series;
  const pick = (a: Float64Array | undefined) => (full ? list(a) : last(a));
  const net = r.afterCosts;
  return {
    beta: pick(s?.beta),
    alpha: pick(s?.alpha),
    spread: pick(s?.spread),
    z: pick(s?.z),
    trades: r.trades,
    totalReturn: net.totalReturn,
    sharpe: net.sharpe,
    maxDrawdown: net.maxDrawdown,
    fitted: {
      delta: run.fitted.delta,
      ve: run.fitted.ve,
      logLik: run.fitted.logLik,
      method: run.fitted.method,
      evaluations: run.fitted.evaluations,
      converged: run.fitted.converged,
      atBound: run.fitted.atBound,
      window: run.fitted.window,
      burnIn: run.fitted.burnIn,
      observations: run.fitted.observations,
    },
    smallSample: r.smallSample,
    sharpeSe: net.sharpeSe,
    hitRate: net.hitRate,
    turnover: net.turnover,
    roundTrips: r.roundTrips,
    beforeCosts: performanceJson(r.beforeCosts, full),
    afterCosts: performanceJson(r.afterCosts, full),
    variance: pick(s?.variance),
    position: full ? list(r.position) : last(r.position ? Float64Array.from(r.position) : undefined),
    ...(full ? { timestamps: run.timestamps } : { timestamp: run.timestamps[run.timestamps.length - 1] }),
    y: run.y,
    x: run.x,
    bars: run.timestamps.length,
    calibrate: run.fitted.window.to,
    firstSignalBar: r.firstSignalBar,
    tradedBars: r.tradedBars,
    entry: r.entry,
    exit: r.exit,
    costBps: r.costBps,
    warmup: r.warmup,
    halted: r.halted,
    blockedEntries: r.blockedEntries,
    annualisation: r.annualisation,
    source,
  };
}

const num = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(4) : '—');
const signedPct = (x: number) => (Number.isFinite(x) ? percent(x, 4) : '—');

/** A Sharpe ratio is never printed without its standard error. */
function sharpeText(p: Performance): string {
  return Number.isFinite(p.sharpe) ? `${p.sharpe.toFixed(2)} ± ${p.sharpeSe.toFixed(2)}` : '— (no variation)';
}

function tradeRow(t: Trade): string[] {
  return [
    t.side,
    t.entryTime ?? String(t.entryBar),
    t.exitTime ?? String(t.exitBar),
    String(t.bars),
    num(t.betaEntry, 4),
    num(t.zEntry, 2),
    num(t.zExit, 2),
    signedPct(t.pnl),
    signedPct(t.pnlAfterCosts),
    t.exitReason,
  ];
}

function pairsText(run: PairRun, source: string): string {
  const r = run.report;
  const f = run.fitted;
  const s = r.series!;
  const n = run.timestamps.length;
  const head =
    `Kalman pair ${run.y} on ${run.x} - bars: ${source}, ${n} bars ${run.timestamps[0]} … ${run.timestamps[n - 1]}\n` +
    `Calibration: bars 1–${f.window.to}${f.method === 'mle' ? `, maximum likelihood (${f.evaluations} evaluations${f.converged ? '' : ', budget reached'})` : ', set by hand'}` +
    `; trading from bar ${r.firstSignalBar + 1} (warm-up ${r.warmup}); entry |z| > ${r.entry}, exit |z| < ${r.exit}, costs ${r.costBps} bp\n\n`;
  const params = formatPairs([
    ['delta', sci(f.delta), f.method === 'mle' ? 'fitted' : 'set by hand'],
    ['Ve', sci(f.ve), f.method === 'mle' ? 'fitted (price units squared)' : 'set by hand'],
    ['log-likelihood', num(f.logLik, 3), `over ${f.observations} bars of the window after a ${f.burnIn}-bar burn-in`],
    ...(f.atBound.length > 0 ? [['at search bound', f.atBound.join(', '), 'the likelihood wants it further out'] as [string, string, string]] : []),
    ['beta (last)', num(last(s.beta), 4)],
    ['alpha (last)', num(last(s.alpha), 4)],
    ['spread (last)', num(last(s.spread), 4)],
    ['z (last)', num(last(s.z), 3)],
  ]);
  const metrics = formatTable(
    [{ header: '' }, { header: 'Total return', align: 'right' }, { header: 'Sharpe ± SE (annual)', align: 'right' }, { header: 'Max drawdown', align: 'right' }, { header: 'Hit rate', align: 'right' }, { header: 'Turnover', align: 'right' }],
    [r.beforeCosts, r.afterCosts].map((p, i) => [
      i === 0 ? 'Before costs' : 'After costs',
      signedPct(p.totalReturn),
      sharpeText(p),
      signedPct(p.maxDrawdown),
      Number.isFinite(p.hitRate) ? percent(p.hitRate, 1) : '—',
      num(p.turnover, 1),
    ]),
  );
  let text = `${head}${params}\n${r.roundTrips} round trips over ${r.tradedBars} traded bars (returns on each trade's gross notional at entry; Sharpe x sqrt(252 x 390))\n${metrics}`;
  if (r.smallSample) text += `\nsmall sample: ${r.roundTrips} round trips (< ${SMALL_SAMPLE_TRADES}); read the Sharpe with its standard error\n`;
  if (r.halted) text += `\nrisk HALTED: no new trades opened (${r.blockedEntries} entr${r.blockedEntries === 1 ? 'y' : 'ies'} refused)\n`;
  if (r.trades.length > 0) {
    const shown = r.trades.slice(0, TRADES_SHOWN);
    text += `\nTrades\n${formatTable(
      [
        { header: 'Side' }, { header: 'Entry' }, { header: 'Exit' }, { header: 'Bars', align: 'right' }, { header: 'Beta', align: 'right' },
        { header: 'z in', align: 'right' }, { header: 'z out', align: 'right' }, { header: 'P&L', align: 'right' }, { header: 'After costs', align: 'right' }, { header: 'Exit reason' },
      ],
      shown.map(tradeRow),
    )}`;
    if (r.trades.length > TRADES_SHOWN) text += `… and ${r.trades.length - TRADES_SHOWN} more (all in --json)\n`;
  }
  return text;
}

/** The `pairs` command. */
export const pairsCommand: Command = {
  name: 'pairs',
  summary: 'Kalman pair filter (beta, alpha, spread, z) with MLE calibration and the z-score backtest',
  options: {
    bars: { type: 'string', value: 'FILE', help: 'bars CSV timestamp,TICKER1,… (default: the demo bars)' },
    y: { type: 'string', value: 'T', help: `dependent ticker (default with the demo: ${PAIR.y})` },
    x: { type: 'string', value: 'T', help: `hedge ticker (default with the demo: ${PAIR.x})` },
    delta: { type: 'string', value: 'D', help: 'state noise δ in (0, 1), V_w = δ/(1−δ)·I (default: fitted)' },
    ve: { type: 'string', value: 'V', help: 'observation noise variance Vₑ > 0, price units squared (default: fitted)' },
    calibrate: { type: 'string', value: 'N', help: `calibration bars at the start; trading starts after them (default ${DEFAULT_CALIBRATION_BARS}, or half the bars when fewer than ${2 * DEFAULT_CALIBRATION_BARS})` },
    evaluations: { type: 'string', value: 'N', help: `most likelihood evaluations of the calibration (default ${DEFAULT_MAX_EVALUATIONS})` },
    entry: { type: 'string', value: 'Z', help: `enter when |z| > Z (default ${DEFAULT_ENTRY})` },
    exit: { type: 'string', value: 'Z', help: `exit when |z| < Z, below --entry (default ${DEFAULT_EXIT})` },
    'cost-bps': { type: 'string', value: 'BP', help: `costs in basis points of traded notional (default ${DEFAULT_COST_BPS})` },
    warmup: { type: 'string', value: 'N', help: `bars without a signal after the calibration window (default ${DEFAULT_WARMUP})` },
    halted: { type: 'boolean', help: 'the risk status is HALTED: open no new trade' },
    full: { type: 'boolean', help: 'with --json: the per-bar arrays (one value per bar, null where missing) instead of the last values' },
  },
  async run(values: OptionValues, io): Promise<CommandOutput> {
    const delta = numberOption(values, 'delta', 'a number with 0 < δ < 1', (v) => v > 0 && v < 1);
    const ve = numberOption(values, 've', 'a positive number (price units squared)', (v) => v > 0);
    const calibrate = numberOption(values, 'calibrate', 'a whole number of bars ≥ 0', wholeAtLeast(0));
    const evaluations = numberOption(values, 'evaluations', 'a whole number ≥ 1', wholeAtLeast(1));
    const entry = numberOption(values, 'entry', 'a positive number (a z-score)', (v) => v > 0);
    const exit = numberOption(values, 'exit', 'a number ≥ 0 (a z-score)', (v) => v >= 0);
    const costBps = numberOption(values, 'cost-bps', 'a number ≥ 0 (basis points)', (v) => v >= 0);
    const warmup = numberOption(values, 'warmup', 'a whole number of bars ≥ 0', wholeAtLeast(0));
    const barsPath = stringOption(values, 'bars');
    const { bars, source } = await barsOption(barsPath, io.cwd);
    const y = stringOption(values, 'y') ?? (barsPath === undefined ? PAIR.y : undefined);
    const x = stringOption(values, 'x') ?? (barsPath === undefined ? PAIR.x : undefined);
    if (y === undefined) throw new AstraError('BAD_INPUT', Messages.missingOption('--y T (the dependent ticker) with --bars', 'pairs'), { option: '--y' });
    if (x === undefined) throw new AstraError('BAD_INPUT', Messages.missingOption('--x T (the hedge ticker) with --bars', 'pairs'), { option: '--x' });
    const k = await loadKernels();
    const run = runPair(
      k,
      bars,
      { y, x, delta, ve, calibrate, maxEvaluations: evaluations, entry, exit, costBps, warmup, halted: values.halted === true },
      NAMES,
    );
    const full = values.full === true;
    return { json: pairsJson(run, full, source), text: () => pairsText(run, source) };
  },
};
