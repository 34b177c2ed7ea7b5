/**
 * `astra optimize`: the optimal inventory under the balance-sheet limits (docs/cli.md, "optimize"):
 * minvar, meanvar or signed on the annualised market statistics of `--prices` (else the demo), with
 * the gross limit, net band, per-asset bounds, funding carry, turnover cost and, on request, the
 * efficient frontier. An infeasible problem is a result (status `infeasible` with `conflict`, exit 0),
 * not an error; bad input exits 2 naming the option, file, row or ticker.
 */
import { AstraError, Messages, quote } from '../../engine/errors.ts';
import { DEFAULT_EQUITY, fillBookPrices } from '../../engine/book/book.ts';
import { readBookCsv } from '../../engine/csv.ts';
import { isEstimator, ESTIMATORS } from '../../engine/market/covariance.ts';
import { loadKernels } from '../../engine/node.ts';
import { readDecimal } from '../../engine/number.ts';
import { optimize } from '../../engine/portfolio/optimize.ts';
import { DEFAULT_GAMMA, DEFAULT_GROSS, MODES } from '../../engine/portfolio/problem.ts';
import { MAX_FRONTIER_POINTS } from '../../engine/portfolio/frontier.ts';
import type { AssetBounds, ExpectedReturnSource, OptimizeReport, PortfolioMode } from '../../engine/portfolio/types.ts';
import type { Position } from '../../engine/types.ts';
import { DEFAULT_LOOKBACK_DAYS } from '../../engine/units.ts';
import { listOption, numberOption, stringOption } from '../args.ts';
import type { Command, CommandOutput, OptionValues } from '../command.ts';
import { demoMarket, pricesOption } from '../demo.ts';
import { readTextFile } from '../files.ts';
import { formatPairs, formatTable, percent } from '../table.ts';

/** One `--bounds T=lo:hi` entry (either side may be empty: unbounded). */
export function parseBounds(entries: readonly string[]): Record<string, AssetBounds> {
  const out: Record<string, AssetBounds> = {};
  const rule = 'TICKER=LOWER:UPPER with weights as decimals, either side empty for none, e.g. AAPL=-0.1:0.25 or MSFT=:0.2';
  for (const entry of entries) {
    const m = /^\s*([^=\s]+)\s*=\s*([^:]*):([^:]*)$/.exec(entry);
    const bad = () => new AstraError('BAD_INPUT', Messages.badValue('--bounds entry', quote(entry), rule), { option: '--bounds' });
    if (!m) throw bad();
    const [, ticker, loText, hiText] = m;
    const read = (text: string): number | undefined => {
      if (text.trim() === '') return undefined;
      const x = readDecimal(text.trim());
      if (x === undefined || !Number.isFinite(x)) throw bad();
      return x;
    };
    if (Object.hasOwn(out, ticker)) throw new AstraError('BAD_INPUT', Messages.duplicateTicker('--bounds', ticker), { option: '--bounds' });
    const lower = read(loText);
    const upper = read(hiText);
    out[ticker] = { ...(lower !== undefined ? { lower } : {}), ...(upper !== undefined ? { upper } : {}) };
  }
  return out;
}

/** `--views T=r` entries (annual expected returns as decimals). */
export function parseViews(entries: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of entries) {
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(entry);
    const x = m ? readDecimal(m[2]) : undefined;
    if (!m || x === undefined || !Number.isFinite(x)) {
      throw new AstraError('BAD_INPUT', Messages.badValue('--views entry', quote(entry), 'TICKER=R with R an annual return as a decimal, e.g. AAPL=0.08'), { option: '--views' });
    }
    if (Object.hasOwn(out, m[1])) throw new AstraError('BAD_INPUT', Messages.duplicateTicker('--views', m[1]), { option: '--views' });
    out[m[1]] = x;
  }
  return out;
}

/** The contract JSON (docs/cli.md): the contract keys first, then the extras. */
export function optimizeJson(r: OptimizeReport, sources: { prices: string; book: string | null }) {
  const weights = r.weights ? Object.fromEntries(r.tickers.map((t, i) => [t, r.weights![i]])) : null;
  return {
    status: r.status,
    weights,
    gross: r.gross,
    net: r.net,
    volAnnual: r.volAnnual,
    expectedReturn: r.expectedReturn,
    iterations: r.iterations,
    kktResidual: r.kktResidual,
    binding: r.binding,
    ...(r.conflict !== undefined ? { conflict: r.conflict } : {}),
    ...(r.frontier
      ? {
          frontier: r.frontier.map((p) => ({
            ...(p.gamma !== undefined ? { gamma: p.gamma } : { gross: p.gross }),
            volAnnual: p.volAnnual,
            expectedReturn: p.expectedReturn,
            status: p.status,
          })),
        }
      : {}),
    mode: r.mode,
    carry: r.carry,
    objective: r.objective,
    window: r.window,
    warnings: r.warnings,
    source: sources,
  };
}

function optimizeText(r: OptimizeReport, sources: { prices: string; book: string | null }): string {
  const p = r.problem;
  const band = p.netTol ? `${percent(p.net - p.netTol, 2)} to ${percent(p.net + p.netTol, 2)}` : percent(p.net, 2);
  const head =
    `Optimal inventory - mode ${r.mode}, prices: ${sources.prices}${sources.book ? `, book: ${sources.book}` : ''}\n` +
    `gross ${r.mode === 'signed' ? '=' : '≤'} ${percent(p.gross, 2)}, net ${band}` +
    (r.mode === 'meanvar' || p.carry || p.turnoverBps ? `, gamma ${p.gamma ?? DEFAULT_GAMMA}` : '') +
    (p.carry ? `, carry on (RFR ${percent(p.carry.rfr, 3)})` : '') +
    (p.turnoverBps ? `, turnover ${p.turnoverBps} bp` : '') +
    `; window ${r.window.first} … ${r.window.last} (${r.window.observations} daily returns)\n\n`;
  let text = `${head}Status: ${r.status}${r.conflict ? ` - ${r.conflict}` : ''}\n`;
  if (r.weights) {
    text += `\n${formatTable(
      [{ header: 'Ticker' }, { header: 'Weight', align: 'right' }, { header: 'Current', align: 'right' }],
      r.tickers.map((t, i) => [t, percent(r.weights![i], 2), percent(r.currentWeights[i], 2)]),
    )}\n`;
    text += formatPairs([
      ['Gross', percent(r.gross, 2), `limit ${percent(p.gross, 2)}`],
      ['Net', percent(r.net, 2)],
      ['Volatility (annual)', percent(r.volAnnual, 2)],
      ['Expected return (annual)', percent(r.expectedReturn, 2)],
      ...(p.carry ? ([['Carry (annual)', percent(r.carry, 3), 'of equity; negative = cost']] as [string, string, string][]) : []),
      ['Binding', r.binding.length > 0 ? r.binding.join(', ') : 'none'],
      ['Iterations', String(r.iterations), `KKT residual ${r.kktResidual.toExponential(2)}`],
    ]);
  }
  if (r.frontier) {
    const gamma = r.frontier[0]?.gamma !== undefined;
    text += `\nFrontier (${gamma ? 'across gamma' : 'across gross'})\n${formatTable(
      [{ header: gamma ? 'Gamma' : 'Gross', align: 'right' }, { header: 'Volatility', align: 'right' }, { header: 'Exp. return', align: 'right' }, { header: 'Status' }],
      r.frontier.map((f) => [gamma ? String(+f.gamma!.toPrecision(4)) : percent(f.gross!, 1), percent(f.volAnnual, 2), percent(f.expectedReturn, 2), f.status]),
    )}`;
  }
  for (const w of r.warnings) text += `\nwarning: ${w}`;
  return `${text}\n`;
}

/** The `optimize` command. */
export const optimizeCommand: Command = {
  name: 'optimize',
  summary: 'optimal weights (minvar, meanvar, signed) under gross, net and bounds; frontier on request',
  options: {
    prices: { type: 'string', value: 'FILE', help: 'prices CSV date,TICKER1,… (default: the demo prices and book)' },
    mode: { type: 'string', value: 'minvar|meanvar|signed', help: 'objective (default minvar)' },
    gross: { type: 'string', value: 'L', help: `gross limit Σ|w| ≤ L, a multiple of equity (signed: = L) (default ${DEFAULT_GROSS})` },
    net: { type: 'string', value: 'N', help: 'net target Σw as a fraction of equity (default 0)' },
    'net-tol': { type: 'string', value: 'T', help: 'half-width of the net band [N − T, N + T] (default 0)' },
    gamma: { type: 'string', value: 'G', help: `risk aversion γ in μᵀw − γ·wᵀΣw (default ${DEFAULT_GAMMA})` },
    book: { type: 'string', value: 'FILE', help: 'book CSV ticker,shares[,price]: sides for signed, current weights (default with the demo prices: the demo book)' },
    equity: { type: 'string', value: 'E', help: `equity (NAV) the book's weights are fractions of (default ${DEFAULT_EQUITY})` },
    lookback: { type: 'string', value: 'DAYS', help: `estimation window, calendar days (default ${DEFAULT_LOOKBACK_DAYS})` },
    estimator: { type: 'string', value: ESTIMATORS.join('|'), help: 'covariance estimator (default sample)' },
    bounds: { type: 'string', multiple: true, value: 'T=LO:HI', help: 'bounds on a weight, either side empty for none, e.g. AAPL=-0.1:0.25 (repeatable)' },
    expected: { type: 'string', value: 'historical|zero', help: 'expected returns: 252 × the mean daily log return, or zero (default historical)' },
    views: { type: 'string', multiple: true, value: 'T=R', help: 'an annual expected return for a ticker, e.g. AAPL=0.08 (repeatable; others keep --expected)' },
    carry: { type: 'boolean', help: 'include funding carry: longs pay RFR + 50 bp, shorts earn RFR − 25 bp − 40 bp borrow' },
    rfr: { type: 'string', value: 'R', help: 'risk-free rate for --carry, decimal per year (default: ^IRX in the prices, else 0.036)' },
    'turnover-bps': { type: 'string', value: 'B', help: 'turnover cost in bp of traded weight against the book (default 0)' },
    frontier: { type: 'string', value: 'K', help: `add a K-point frontier: across gamma for meanvar, across gross otherwise (2 to ${MAX_FRONTIER_POINTS})` },
  },
  async run(values: OptionValues, io): Promise<CommandOutput> {
    const modeText = stringOption(values, 'mode') ?? 'minvar';
    if (!(MODES as readonly string[]).includes(modeText)) {
      throw new AstraError('BAD_INPUT', Messages.badValue('--mode', quote(modeText), MODES.join(', ')), { option: '--mode' });
    }
    const mode = modeText as PortfolioMode;
    const gross = numberOption(values, 'gross', 'a number ≥ 0 (2 = 2× equity)', (x) => x >= 0) ?? DEFAULT_GROSS;
    const net = numberOption(values, 'net', 'a number (0.1 = net long 10% of equity)', () => true) ?? 0;
    const netTol = numberOption(values, 'net-tol', 'a number ≥ 0', (x) => x >= 0) ?? 0;
    const gamma = numberOption(values, 'gamma', 'a positive number', (x) => x > 0);
    const equity = numberOption(values, 'equity', 'a positive number (money of NAV)', (x) => x > 0);
    const lookback = numberOption(values, 'lookback', 'a whole number of calendar days ≥ 1', (x) => Number.isSafeInteger(x) && x >= 1);
    const rfr = numberOption(values, 'rfr', 'a decimal rate per year between -1 and 1 (0.036 for 3.6%)', (x) => x > -1 && x < 1);
    const turnoverBps = numberOption(values, 'turnover-bps', 'a number of basis points ≥ 0', (x) => x >= 0);
    const frontier = numberOption(values, 'frontier', `a whole number from 2 to ${MAX_FRONTIER_POINTS}`, (x) => Number.isSafeInteger(x) && x >= 2 && x <= MAX_FRONTIER_POINTS);
    const estimator = stringOption(values, 'estimator') ?? 'sample';
    if (!isEstimator(estimator)) throw new AstraError('BAD_INPUT', Messages.badValue('--estimator', quote(estimator), ESTIMATORS.join(', ')), { option: '--estimator' });
    const expectedText = stringOption(values, 'expected') ?? 'historical';
    if (expectedText !== 'historical' && expectedText !== 'zero') {
      throw new AstraError('BAD_INPUT', Messages.badValue('--expected', quote(expectedText), 'historical or zero'), { option: '--expected' });
    }
    if (rfr !== undefined && !values.carry) throw new AstraError('BAD_INPUT', Messages.badValue('--rfr', rfr, 'given together with --carry (it only sets the carry term)'), { option: '--rfr' });
    const bounds = parseBounds(listOption(values, 'bounds'));
    const views = parseViews(listOption(values, 'views'));
    const expected: ExpectedReturnSource =
      Object.keys(views).length > 0 ? { kind: 'views', views, fallback: expectedText } : { kind: expectedText };

    const pricesPath = stringOption(values, 'prices');
    const bookPath = stringOption(values, 'book');
    // The demo book goes with the demo prices only: other prices and no book optimise from cash.
    const demo = pricesPath === undefined ? await demoMarket() : undefined;
    const { prices, source: pricesSource } = await pricesOption(pricesPath, io.cwd);
    const sources = { prices: pricesSource, book: bookPath ?? (demo ? demo.label : null) };
    let book: Position[] | undefined;
    if (bookPath !== undefined) {
      const read = readBookCsv(await readTextFile('--book', bookPath, io.cwd), { name: bookPath });
      book = fillBookPrices(read.positions, prices, { book: { file: read.file, rows: read.rows }, prices: pricesPath === undefined ? sources.prices : Messages.csvFile('prices', pricesPath) });
    } else if (demo) {
      book = demo.book;
    }
    const k = await loadKernels();
    const report = optimize(k, {
      prices,
      mode,
      gross,
      net,
      netTol,
      gamma,
      lookback,
      estimator,
      expected,
      bounds,
      book,
      equity: equity ?? (bookPath === undefined && demo ? demo.equity : DEFAULT_EQUITY),
      carry: values.carry ? (rfr !== undefined ? { rfr } : true) : undefined,
      turnoverBps,
      frontier,
    });
    return { json: optimizeJson(report, sources), text: () => optimizeText(report, sources) };
  },
};
