/**
 * `astra var`: Monte Carlo, parametric and historical VaR/ES of a book side by side, Euler risk
 * contributions, the risk limit and status; `--backtest` adds the VaR backtest, `--stress` the
 * worst historical windows and the user's shocks. Data: `--prices` and `--book` (else the demo).
 */
import { AstraError, Messages, quote } from '../../engine/errors.ts';
import { fillBookPrices } from '../../engine/book/book.ts';
import { readBookCsv } from '../../engine/csv.ts';
import { loadKernels } from '../../engine/node.ts';
import { DEFAULT_EQUITY } from '../../engine/book/book.ts';
import { DEFAULT_LOOKBACK_DAYS } from '../../engine/units.ts';
import { DEFAULT_MC_CONFIDENCE, DEFAULT_MC_HORIZON, DEFAULT_MC_PATHS, MAX_MC_PATHS } from '../../engine/risk/montecarlo.ts';
import { DEFAULT_RISK_LIMIT, DEFAULT_SEED, computeRisk, type RiskReport } from '../../engine/risk/var.ts';
import { parseShocks } from '../../engine/risk/stress.ts';
import { BACKTEST_MC_PATHS } from '../../engine/risk/backtest.ts';
import type { Position } from '../../engine/types.ts';
import { listOption, numberOption, stringOption } from '../args.ts';
import type { Command, CommandOutput, OptionValues } from '../command.ts';
import { demoMarket, pricesOption } from '../demo.ts';
import { readTextFile } from '../files.ts';
import { formatPairs, formatTable, money, percent } from '../table.ts';

const wholeAtLeast = (min: number) => (x: number) => Number.isSafeInteger(x) && x >= min;

/** Parse `--group tech=AAPL,MSFT` entries. */
function parseGroups(entries: readonly string[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const entry of entries) {
    const [name = '', members = '', extra] = entry.split('=').map((p) => p.trim());
    const tickers = members.split(',').map((t) => t.trim());
    if (name === '' || extra !== undefined || tickers.some((t) => t === '')) {
      throw new AstraError('BAD_INPUT', Messages.badValue('--group entry', quote(entry), 'NAME=T1,T2,… e.g. tech=AAPL,MSFT'), { option: '--group' });
    }
    groups[name] = tickers;
  }
  return groups;
}

/** The `var` JSON: the contract keys (docs/cli.md), then the extras. */
export function varJson(r: RiskReport, sources: { prices: string; book: string }) {
  const method = (m: { var: number; es: number; varPct: number; esPct: number }) => ({ var: m.var, es: m.es, varPct: m.varPct, esPct: m.esPct });
  const bt = r.backtest;
  return {
    mc: { ...method(r.mc), se: r.mc.se, ci95: r.mc.ci95, worstLossInHorizon: r.mc.worstLossInHorizon, breachProbability: r.mc.breachProbability, esSe: r.mc.esSe, esCi95: r.mc.esCi95 },
    parametric: { ...method(r.parametric), contributions: r.parametric.contributions },
    historical: { ...method(r.historical), windows: r.historical.windows, varScaled: r.historical.varScaled, esScaled: r.historical.esScaled },
    contributions: r.contributions,
    paths: r.paths,
    horizon: r.horizon,
    confidence: r.confidence,
    seed: r.seed,
    limit: r.limit.amount,
    status: r.status,
    ...(bt
      ? {
          backtest: {
            method: bt.method,
            observations: bt.observations,
            exceptions: bt.exceptions,
            kupiec: bt.kupiec,
            christoffersen: bt.christoffersen,
            conditional: bt.conditional,
            zone: bt.zone,
            zoneExceptions: bt.zoneExceptions,
          },
        }
      : {}),
    ...(r.stress ? { stress: r.stress } : {}),
    limitDetail: r.limit,
    equity: r.equity,
    drift: r.drift,
    lookback: r.lookback,
    window: r.window,
    tickers: r.tickers,
    notionals: Object.fromEntries(r.tickers.map((t, i) => [t, r.notionals[i]])),
    warnings: r.warnings,
    source: sources,
  };
}

function varText(r: RiskReport, sources: { prices: string; book: string }): string {
  const c = `${(r.confidence * 100).toFixed(1).replace(/\.0$/, '')}%`;
  const head =
    `Value at risk - book: ${sources.book}, prices: ${sources.prices}\n` +
    `${r.horizon}-day ${c}, equity ${money(r.equity)}, window ${r.window.first} … ${r.window.last} (${r.window.observations} daily returns), ` +
    `drift ${r.drift}, ${r.paths} Monte Carlo paths, seed ${r.seed}\n\n`;
  const pctOf = (x: number) => percent(x / 100, 2);
  const methods = formatTable(
    [{ header: 'Method' }, { header: 'VaR', align: 'right' }, { header: 'VaR % eq', align: 'right' }, { header: 'ES', align: 'right' }, { header: 'ES % eq', align: 'right' }, { header: 'Note' }],
    [
      ['Monte Carlo', money(r.mc.var), pctOf(r.mc.varPct), money(r.mc.es), pctOf(r.mc.esPct), `VaR SE ${money(r.mc.se)}, 95% [${money(r.mc.ci95[0])}, ${money(r.mc.ci95[1])}]`],
      ['Parametric', money(r.parametric.var), pctOf(r.parametric.varPct), money(r.parametric.es), pctOf(r.parametric.esPct), 'delta-normal'],
      ['Historical', money(r.historical.var), pctOf(r.historical.varPct), money(r.historical.es), pctOf(r.historical.esPct), `${r.historical.windows} windows; 1-day x sqrt(H): ${money(r.historical.varScaled)}`],
    ],
  );
  const contributions = formatTable(
    [{ header: 'Ticker' }, { header: 'Notional', align: 'right' }, { header: 'VaR contrib', align: 'right' }, { header: 'ES contrib', align: 'right' }],
    r.tickers.map((t, i) => [t, money(r.notionals[i]), money(r.contributions[t].var), money(r.contributions[t].es)]),
  );
  const limit = formatPairs([
    ['Worst loss in horizon', r.mc.worstLossInHorizon === null ? '—' : money(r.mc.worstLossInHorizon), `at ${c}, any day up to day ${r.horizon}`],
    ['Breach probability', r.mc.breachProbability === null ? '—' : percent(r.mc.breachProbability, 2), `P&L at or below -${money(r.limit.amount)} on some day`],
    ['Limit', money(r.limit.amount), `on the ${r.limit.horizon}-day ${(r.limit.confidence * 100).toFixed(1)}% VaR (${money(r.limit.var)})`],
    ['Status', r.status, r.status === 'HALTED' ? 'VaR above the limit: no new trades' : 'within the limit'],
  ]);
  let text = `${head}${methods}\nMonte Carlo contributions (Euler; they sum to the totals)\n${contributions}\n${limit}`;
  if (r.backtest) {
    const b = r.backtest;
    text +=
      `\nBacktest (${b.method}, 1-day 99%, window ${r.lookback} calendar days before each day)\n` +
      formatPairs([
        ['Days tested', String(b.observations)],
        ['Exceptions', String(b.exceptions), `expected ${(b.observations * 0.01).toFixed(1)}`],
        ['Kupiec POF', b.kupiec.lr.toFixed(3), `p = ${b.kupiec.p.toFixed(4)}`],
        ['Christoffersen', b.christoffersen.lr.toFixed(3), `p = ${b.christoffersen.p.toFixed(4)}`],
        ['Conditional', b.conditional.lr.toFixed(3), `p = ${b.conditional.p.toFixed(4)}`],
        ['Basel zone', b.zone, `${b.zoneExceptions} exceptions in the last 250 days`],
      ]);
  }
  if (r.stress) {
    text += `\nStress (P&L of today's book)\n${formatTable(
      [{ header: 'Scenario' }, { header: 'Dates' }, { header: 'P&L', align: 'right' }],
      r.stress.map((s) => [s.name, s.dates ? `${s.dates[0]} … ${s.dates[1]}` : '', money(s.pnl)]),
    )}`;
  }
  for (const w of r.warnings) text += `\nwarning: ${w}`;
  return `${text}\n`;
}

/** The `var` command. */
export const varCommand: Command = {
  name: 'var',
  summary: 'Monte Carlo, parametric and historical VaR/ES, contributions, limit; backtest and stress on request',
  options: {
    prices: { type: 'string', value: 'FILE', help: 'prices CSV date,TICKER1,… (default: the demo prices)' },
    book: { type: 'string', value: 'FILE', help: 'book CSV ticker,shares[,price] (default: the demo book); missing prices take the last close' },
    equity: { type: 'string', value: 'E', help: `equity (NAV) for the % figures (default ${DEFAULT_EQUITY})` },
    paths: { type: 'string', value: 'N', help: `Monte Carlo paths (default ${DEFAULT_MC_PATHS})` },
    horizon: { type: 'string', value: 'H', help: `horizon in trading days (default ${DEFAULT_MC_HORIZON})` },
    confidence: { type: 'string', value: 'C', help: `confidence in (0, 1) (default ${DEFAULT_MC_CONFIDENCE})` },
    lookback: { type: 'string', value: 'DAYS', help: `estimation window, calendar days (default ${DEFAULT_LOOKBACK_DAYS})` },
    seed: { type: 'string', value: 'S', help: `random seed, a non-negative integer (default ${DEFAULT_SEED})` },
    drift: { type: 'string', value: 'mean|zero', help: 'drift of the simulated returns (default mean)' },
    limit: { type: 'string', value: 'AMOUNT', help: `risk limit on the ${DEFAULT_RISK_LIMIT.horizon}-day ${DEFAULT_RISK_LIMIT.confidence * 100}% VaR (default ${DEFAULT_RISK_LIMIT.amount})` },
    backtest: { type: 'boolean', help: 'add the 1-day 99% VaR backtest (Kupiec, Christoffersen, Basel zone)' },
    'backtest-method': { type: 'string', value: 'parametric|historical|montecarlo', help: `VaR model of the backtest (default parametric; montecarlo uses ${BACKTEST_MC_PATHS} paths a day)` },
    stress: { type: 'boolean', help: 'add the worst historical windows and the --shock scenarios' },
    shock: { type: 'string', multiple: true, value: 'NAME=R', help: 'a shock as a simple return, per ticker or --group (repeatable), e.g. AAPL=-0.2 tech=-0.2' },
    group: { type: 'string', multiple: true, value: 'NAME=T,…', help: 'a group of tickers for --shock, e.g. tech=AAPL,MSFT (repeatable)' },
  },
  async run(values: OptionValues, io): Promise<CommandOutput> {
    const equity = numberOption(values, 'equity', 'a positive number (money of NAV)', (x) => x > 0);
    const paths = numberOption(values, 'paths', `a whole number from 2 to ${MAX_MC_PATHS}`, (x) => Number.isSafeInteger(x) && x >= 2 && x <= MAX_MC_PATHS);
    const horizon = numberOption(values, 'horizon', 'a whole number of trading days ≥ 1', wholeAtLeast(1));
    const confidence = numberOption(values, 'confidence', 'a number strictly between 0 and 1 (0.99 for 99%)', (x) => x > 0 && x < 1);
    const lookback = numberOption(values, 'lookback', 'a whole number of calendar days ≥ 1', wholeAtLeast(1));
    const seed = numberOption(values, 'seed', 'a non-negative safe integer', wholeAtLeast(0));
    const limit = numberOption(values, 'limit', 'a positive amount of money', (x) => x > 0);
    const drift = stringOption(values, 'drift') ?? 'mean';
    if (drift !== 'mean' && drift !== 'zero') throw new AstraError('BAD_INPUT', Messages.badValue('--drift', quote(drift), 'mean or zero'), { option: '--drift' });
    const backtestMethod = stringOption(values, 'backtest-method') ?? 'parametric';
    if (backtestMethod !== 'parametric' && backtestMethod !== 'historical' && backtestMethod !== 'montecarlo') {
      throw new AstraError('BAD_INPUT', Messages.badValue('--backtest-method', quote(backtestMethod), 'parametric, historical or montecarlo'), { option: '--backtest-method' });
    }
    const groups = parseGroups(listOption(values, 'group'));
    const shockEntries = listOption(values, 'shock');

    const pricesPath = stringOption(values, 'prices');
    const bookPath = stringOption(values, 'book');
    let book: Position[];
    const { prices, source: pricesSource } = await pricesOption(pricesPath, io.cwd);
    const sources = { prices: pricesSource, book: '' };
    const demo = bookPath === undefined ? await demoMarket() : undefined;
    let bookSources = {};
    if (bookPath !== undefined) {
      const read = readBookCsv(await readTextFile('--book', bookPath, io.cwd), { name: bookPath });
      book = read.positions;
      sources.book = bookPath;
      bookSources = { book: { file: read.file, rows: read.rows } };
    } else {
      book = demo!.book;
      sources.book = demo!.label;
    }
    const filled = fillBookPrices(book, prices, { ...bookSources, prices: pricesPath === undefined ? sources.prices : Messages.csvFile('prices', pricesPath) });
    const tickers = filled.filter((p) => p.shares !== 0).map((p) => p.ticker);
    const shocks = shockEntries.length > 0 ? [parseShocks(shockEntries, tickers, groups)] : [];
    const k = await loadKernels();
    const report = computeRisk(k, {
      prices,
      book: filled,
      equity: equity ?? (bookPath === undefined ? demo!.equity : DEFAULT_EQUITY),
      paths,
      horizon,
      confidence,
      lookback,
      seed,
      drift,
      limit: limit === undefined ? undefined : { amount: limit },
      backtest: values.backtest ? backtestMethod : undefined,
      stress: values.stress || shockEntries.length > 0 ? { shocks } : undefined,
    });
    return { json: varJson(report, sources), text: () => varText(report, sources) };
  },
};
