/**
 * Every error the engine can raise, with every message in one place.
 *
 * Kernels never throw: they return a status (see `KERNEL_STATUS`). The engine validates input at
 * the boundary and turns statuses into `AstraError`s whose message names the row, column, ticker or
 * constraint at fault, so the CLI can print it and the UI can show it without losing state.
 */

/**
 * The status codes the wasm kernels return, one row per code: the name it has in
 * `assembly/util/status.ts` (exported from the module as `STATUS_<name>`), its value, and the
 * error it becomes. The engine checks the module's values against this table at load, and a test
 * checks the AssemblyScript source against it, so the two sides cannot drift apart.
 */
export const KERNEL_STATUS = {
  OK: 0,
  NOT_POSITIVE_DEFINITE: 1,
  NON_FINITE_INPUT: 2,
  BAD_SIZE: 3,
  NO_CONVERGENCE: 4,
} as const;
export type KernelStatusName = keyof typeof KERNEL_STATUS;
export type KernelStatusCode = (typeof KERNEL_STATUS)[KernelStatusName];

/** Machine-readable error codes. Stable: the CLI's `--json` errors and the UI key on them. */
export type AstraErrorCode =
  | 'BAD_INPUT'
  | 'CSV_FORMAT'
  | 'NOT_POSITIVE_DEFINITE'
  | 'NON_FINITE'
  | 'BAD_SIZE'
  | 'MISSING_PRICE'
  | 'UNKNOWN_TICKER'
  | 'INSUFFICIENT_DATA'
  | 'NO_CONVERGENCE'
  | 'WASM_LOAD'
  // Engine pool (engine/pool): a task that did not run to the end.
  | 'CANCELLED'
  | 'SUPERSEDED'
  | 'WORKER_CRASH'
  | 'TIMEOUT';

/** An error a user can act on: `message` names what is wrong and where. */
export class AstraError extends Error {
  /** Machine-readable code. */
  readonly code: AstraErrorCode;
  /** Optional structured location: row (1-based, as a spreadsheet shows it), column, ticker… */
  readonly where?: Readonly<Record<string, string | number>>;

  constructor(code: AstraErrorCode, message: string, where?: Record<string, string | number>) {
    super(message);
    this.name = 'AstraError';
    this.code = code;
    this.where = where;
  }
}

/** Longest quoted value in a message, in characters; longer values are cut with an ellipsis. */
export const MAX_QUOTED = 100;

/**
 * Characters that must never reach a terminal raw: C0 controls (newline, ESC, NUL…), DEL, C1
 * controls (U+009B is a one-character CSI on some terminals), the line and paragraph separators,
 * and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder the
 * rest of a line as it is displayed.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g');
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

function escapeOne(c: string): string {
  return SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every unprintable character (see above) written as its JSON escape (`\n`,
 * `\u001b`), so it stays on one line and cannot drive the terminal. Nothing else changes.
 */
export function escapeUnprintable(text: string): string {
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE_ALL, escapeOne) : text;
}

/** `text` cut to `max` characters (never between the two halves of a surrogate pair). */
function cut(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * A user's value as it appears in a message: in double quotes, on one line (newlines, escape
 * codes and other control characters escaped, as JSON does), cut to {@link MAX_QUOTED}
 * characters as shown, escapes included. A 200 MB cell or a ticker carrying terminal escapes
 * never reaches a terminal whole.
 */
export function quote(value: unknown): string {
  const text = String(value);
  const head = text.length > MAX_QUOTED ? cut(text, MAX_QUOTED) : text;
  const escaped = JSON.stringify(head).slice(1, -1).replace(UNPRINTABLE_ALL, escapeOne);
  if (escaped.length <= MAX_QUOTED && head.length === text.length) return `"${escaped}"`;
  // Cut between escapes and surrogate pairs, never inside one.
  let end = 0;
  while (end < escaped.length) {
    const c = escaped.charCodeAt(end);
    const step = c === 92 /* \ */ ? (escaped.charCodeAt(end + 1) === 117 /* u */ ? 6 : 2) : c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    if (end + step > MAX_QUOTED) break;
    end += step;
  }
  return `"${escaped.slice(0, end)}… (${text.length} characters)"`;
}

/** A name that can stand bare in a sentence: a ticker, column, option, command or path of common characters. */
const PLAIN_NAME = /^[\w^.+=@~/-]+$/;

/**
 * A name taken from the user (a ticker from a file, a header, an option as typed, a path) as it
 * appears in a message: bare when it is short and made of plain characters (`AAPL`, `^IRX`,
 * `BRK.B`, `--book`, `data/book.csv`), else {@link quote}d, as git quotes only unusual paths.
 * Messages stay readable for ordinary names and safe for any other.
 */
export function mention(value: unknown): string {
  const text = String(value);
  return text.length > 0 && text.length <= MAX_QUOTED && PLAIN_NAME.test(text) ? text : quote(text);
}

/** Message builders. Keep every user-facing sentence here so wording stays consistent. */
export const Messages = {
  notPositiveDefinite: (row: number, what = 'matrix') =>
    `${what} is not positive definite: the pivot of row ${row + 1} is not positive`,
  nonFiniteMatrix: (row: number, col: number, what = 'matrix') =>
    `${what} has a non-finite value at row ${row + 1}, column ${col + 1}`,
  notSquare: (length: number, n: number) =>
    `matrix of ${length} values is not ${n}×${n} (expected ${n * n})`,
  badSize: (what: string, value: number, rule: string) => `${what} must be ${rule}, got ${value}`,
  badSeed: (seed: unknown) => `seed must be a non-negative safe integer, got ${mention(seed)}`,
  nonFiniteAt: (index: number, what = 'input') => `${what} has a non-finite value at flat index ${index}`,
  wasmLoad: (reason: string) => `could not load the ASTRA WebAssembly kernels: ${reason}`,
  missingExport: (name: string) => `the module has no export '${name}' (rebuild it with \`npm run build:wasm\`)`,
  statusMismatch: (name: string, inModule: number, inTable: number) =>
    `status ${name} is ${inModule} in the module but ${inTable} in the engine's table (rebuild it with \`npm run build:wasm\`)`,
  kernelStatus: (status: number) => `kernel returned unknown status ${status}`,
  // Book, funding, CSV and CLI messages (appended; owned by engine/book|funding|rates|csv.ts, cli/).
  //
  // A parameter that carries the user's data (a ticker, column, path, option or command as typed,
  // a cell) is made safe here, with mention() or quote(). `what`, `problem`, `hint`, `rule` and
  // `detail` are sentences the code builds: any user value inside them must already have gone
  // through mention() or quote(); `file` is a label made by csvFile(). `value` of badValue() is a
  // number, or the user's text already quote()d.
  /** `prices CSV data/p.csv`: how a message names a file of kind `kind` read from `path`. */
  csvFile: (kind: string, path?: string) => (path ? `${kind} CSV ${mention(path)}` : `${kind} CSV`),
  /** A bad cell: `file` is e.g. `prices CSV data/p.csv`, `row` is 1-based with the header as row 1. */
  csvCell: (file: string, row: number, column: string, problem: string, value: string) =>
    `${file}, row ${row}, column ${mention(column)}: ${problem}, got ${quote(value)}`,
  /** A row-level problem of a data file (a malformed record, a position that cannot be priced). */
  csvRow: (file: string, row: number, problem: string) => `${file}, row ${row}: ${problem}`,
  csvHeader: (file: string, problem: string) => `${file}, header (row 1): ${problem}`,
  csvRagged: (file: string, row: number, cells: number, expected: number) =>
    `${file}, row ${row}: has ${cells} cell${cells === 1 ? '' : 's'} but the header has ${expected}`,
  csvNoRows: (file: string) => `${file} has a header but no data rows`,
  csvEmpty: (file: string) => `${file} is empty (expected a header row)`,
  snapshotField: (where: string, problem: string) => `snapshot ${where}: ${problem}`,
  /** A rate column's quote in a price table that did not come from a file: named by column and date. */
  rateQuote: (symbol: string, date: string, problem: string) => `prices, column ${mention(symbol)}, ${mention(date)}: ${problem}`,
  missingPrice: (ticker: string, hint: string) => `no price for ${mention(ticker)}: ${hint}`,
  duplicateTicker: (what: string, ticker: string) => `${what} lists ${mention(ticker)} more than once`,
  badValue: (what: string, value: unknown, rule: string) => `${what} must be ${rule}, got ${String(value)}`,
  tableShape: (what: string, detail: string) => `${what} is malformed: ${detail}`,
  unknownCommand: (name: string, known: readonly string[]) =>
    `unknown command ${quote(name)} (commands: ${known.join(', ')})`,
  missingCommand: (known: readonly string[]) => `no command given (commands: ${known.join(', ')})`,
  unknownOption: (option: string, command: string, known: readonly string[]) =>
    `unknown option ${mention(option)} for '${command}' (options: ${known.join(', ')})`,
  optionNeedsValue: (option: string) =>
    `option ${mention(option)} needs a value (write ${mention(option)}=VALUE when the value starts with '-')`,
  optionTakesNoValue: (option: string) => `option ${mention(option)} takes no value`,
  unexpectedArgument: (arg: string, command: string) => `unexpected argument ${quote(arg)} for '${command}'`,
  missingOption: (option: string, command: string) => `'${command}' needs ${option}`,
  cannotRead: (option: string, path: string, reason: string) => `cannot read ${option} ${mention(path)}: ${reason}`,
  cannotWrite: (path: string, reason: string) => `cannot write ${mention(path)}: ${reason}`,
  emptyPath: (option: string) => `${option} needs a path, got an empty value`,
  unknownBorrowTicker: (ticker: string) => `--borrow names ${mention(ticker)}, which is not in the book`,
  // Risk (owned by engine/risk/).
  emptyBook: () => 'the book holds no position (every share count is zero): there is no risk to measure',
  bookTickersWithoutReturns: (tickers: readonly string[], why: string) =>
    `no returns for ${tickers.map(mention).join(', ')} of the book in the window${why ? ` (${why})` : ''}`,
  tooFewForHorizon: (observations: number, horizon: number) =>
    `only ${observations} daily returns in the window, fewer than the ${horizon}-day horizon: lengthen the lookback or shorten the horizon`,
  // Returns, covariance and their repair (owned by engine/market/, engine/linalg/eigen.ts).
  noConvergence: (what: string, index: number) =>
    `${what}: the eigenvalue iteration did not converge (eigenvalue ${index + 1})`,
  unknownPriceTicker: (ticker: string, known: readonly string[]) =>
    `the prices have no column ${quote(ticker)} (columns: ${listSome(known, 20)})`,
  noTickers: () => 'the list of tickers is empty: name at least one price column',
  badPrice: (ticker: string, date: string, value: number) =>
    `${mention(ticker)} on ${date}: a log return needs a positive, finite price, got ${value}`,
  noAssetColumns: (excluded: readonly string[]) =>
    excluded.length > 0
      ? `the prices have no asset column (${excluded.map(mention).join(', ')} ${excluded.length === 1 ? 'is a rate series, not an asset' : 'are rate series, not assets'}; name one explicitly to use it)`
      : 'the prices have no asset column',
  /** `reasons`: `TICKER: why` with the ticker mention()ed. */
  noUsableTicker: (reasons: readonly string[]) =>
    `no ticker has the two prices a return needs: ${reasons.join('; ')}`,
  tooFewAlignedDates: (found: number, n: number, latestStart: string, earliestEnd: string) =>
    `only ${found} date${found === 1 ? '' : 's'} where all ${n} tickers have a price (a covariance needs at least 3, for 2 returns): ` +
    `${latestStart}, ${earliestEnd}; choose tickers whose histories overlap`,
  tooFewReturns: (found: number, from: string, to: string, lookback: number, longerHelps: boolean) =>
    `only ${found} return${found === 1 ? '' : 's'} dated after ${from} up to ${to} (lookback ${lookback} calendar days); ` +
    `a covariance needs at least 2${longerHelps ? ': lengthen the lookback' : ''}`,
  singularSample: (estimator: string, assets: number, observations: number, first: string, last: string) =>
    `${assets} assets but only ${observations} observation${observations === 1 ? '' : 's'} (${first} … ${last}): the ${estimator} ` +
    'covariance needs more observations than assets, or it is singular. Use the ledoit-wolf estimator (--estimator ledoit-wolf), ' +
    'a longer lookback or fewer tickers',
  zeroCovariance: (what: string) =>
    `${what} is zero: no asset's price moves in the window, so there is nothing to estimate`,
  // Warnings (a result is still returned; they say what was left out or changed).
  droppedTicker: (ticker: string, reason: string) => `${mention(ticker)} left out of the universe: ${reason}`,
  reasonNoPrices: () => 'it has no prices',
  reasonOnePrice: (date: string) => `it has only one price (${date}), and a return needs two`,
  reasonOnePriceInWindow: (from: string, to: string) =>
    `it has only one price dated after ${from} up to ${to} (the lookback window), and a return needs two`,
  windowEndsEarly: (last: string, tableLast: string, tickers: readonly string[]) =>
    `the window ends on ${last}, before the last date of the prices (${tableLast}): ${listSome(tickers.map(mention))} ` +
    `${tickers.length === 1 ? 'has' : 'have'} no price after it`,
  /** `worst`: `TICKER count` with the ticker mention()ed. */
  gapDates: (count: number, total: number, worst: readonly string[]) =>
    `left out ${count} of the ${total} dates after the window start where a ticker had no price ` +
    `(most gaps: ${worst.join(', ')}); see dropped.dates`,
  longReturns: (count: number, days: number, date: string, longest: number, base: string) =>
    `${count} return${count === 1 ? ' spans' : 's span'} more than ${days} calendar days between aligned dates ` +
    `(longest: ${date}, ${longest} days from ${base}); each mixes several days of moves into one`,
  zeroVariance: (ticker: string, value: number) =>
    `${mention(ticker)} has zero variance in the window: every return is ${value}` +
    (value === 0 ? ' (the price does not move)' : ''),
  ledoitWolfFewObservations: (assets: number, observations: number, shrinkage: number) =>
    `${assets} assets and only ${observations} observations: the ledoit-wolf estimate leans on its target (shrinkage ${shrinkage.toFixed(4)})`,
  covarianceRepaired: (what: string, row: string, clipped: number, n: number, floor: number, amount: number) =>
    `${what} was not positive definite (the Cholesky pivot of ${mention(row)} was not positive): ` +
    `${clipped} of ${n} eigenvalues raised to the floor ${floor.toExponential(3)} (largest change ${amount.toExponential(3)})`,
  jitterAdded: (jitter: number) => `and ${jitter.toExponential(3)} added to the diagonal to make it factor`,
  // Monte Carlo VaR (owned by engine/risk/montecarlo.ts).
  mcLength: (what: string, length: number, n: number) =>
    `${what} has ${length} value${length === 1 ? '' : 's'} but the covariance is ${n}×${n} (expected ${n})`,
  mcNonFinite: (what: string, name: string, value: unknown) => `${what} of ${name} must be a finite number, got ${String(value)}`,
  mcHorizonBeyond: (horizon: number, simulated: number) =>
    `horizon ${horizon} is longer than the ${simulated} simulated days: draw the scenarios with a horizon of at least ${horizon}`,
  mcBlocks: (got: number, expected: number) => `Monte Carlo: ${got} block results for a plan of ${expected} blocks`,
  mcBlockOrder: (position: number, block: number) =>
    `Monte Carlo: position ${position} of the block results holds block ${block} (give the results in block order, each with the plan's paths)`,
  mcRerunIncomplete: (missing: number) => `Monte Carlo: ${missing} block${missing === 1 ? '' : 's'} still lack their contribution sums after the second pass`,
  // Optimizer (owned by engine/portfolio/ and cli/commands/optimize.ts). Weights, bands and rates
  // arrive already written as percents (`60%`, `-10% to 10%`); tickers go through mention() here.
  unknownConstraintTicker: (what: string, ticker: string, known: readonly string[]) =>
    `${what} names ${mention(ticker)}, which is not in the universe (tickers: ${listSome(known.map(mention), 20)})`,
  boundsCrossed: (ticker: string, lower: string, upper: string) => `bounds on ${mention(ticker)}: the lower bound ${lower} is above the upper bound ${upper}`,
  covarianceAsymmetric: (row: string, column: string, a: number, b: number) =>
    `the covariance is not symmetric: ${mention(row)},${mention(column)} is ${a} but ${mention(column)},${mention(row)} is ${b}`,
  negativeVariance: (ticker: string, value: number) => `the covariance gives ${mention(ticker)} a variance of ${value}, below zero`,
  signedNeedsSides: () =>
    "mode signed holds each asset on its side (longs ≥ 0, shorts ≤ 0) and no side was given: pass a book (--book) whose share signs give the sides",
  conflictNetGross: (band: string, gross: string) => `net ${band} is outside what gross ${gross} allows (|net| ≤ gross)`,
  conflictNetGrossLeft: (band: string, gross: string, forced: string, reach: string) =>
    `net ${band} is outside what gross ${gross} allows once the bounds take ${forced} of it: net can reach ${reach}`,
  conflictBoundsGross: (need: string, gross: string, tickers: readonly string[]) =>
    `the bounds force a gross of at least ${need} (${andList(tickers.map(mention))}), above the gross limit ${gross}`,
  conflictBoundsNet: (tickers: readonly string[], relation: '≥' | '≤', band: string, reach: string) =>
    `the bounds on ${andList(tickers.map(mention))} leave no room for net ${relation} ${band}: the ${relation === '≥' ? 'most' : 'least'} they allow is ${reach}`,
  conflictAllBoundsZero: (band: string) => `all bounds are zero: every weight is held at 0, so net ${band} cannot be met`,
  conflictSignedFlat: (gross: string) => `signed has no side to deploy gross ${gross} in: every asset is flat`,
  conflictSignedGross: (gross: string, least: string, most: string, tickers: readonly string[], cause: 'cap' | 'floor') =>
    `signed needs gross exactly ${gross}, but the sides and bounds allow only ${least} to ${most}` +
    (tickers.length === 0 ? '' : ` (${cause === 'cap' ? 'capped' : 'held up'} by the bounds on ${andList(tickers.map(mention))})`),
  conflictSignedNet: (band: string, gross: string, least: string, most: string) =>
    `signed with gross exactly ${gross} gives net (longs minus shorts) between ${least} and ${most}, outside the net band ${band}`,
  singularCovariance: (ticker: string, floor: number) =>
    `the covariance is singular: ${mention(ticker)} moves as a combination of other assets (perfectly correlated), so the optimum is not unique; ` +
    `its eigenvalues below ${floor.toExponential(3)} were raised to that floor and one optimum is reported`,
  signedFlatAssets: (tickers: readonly string[]) => `signed holds ${andList(tickers.map(mention))} at 0: no side was given for them`,
  // Market data sources and their cleaning (owned by engine/market/clean.ts, sources.ts). The data
  // report shows these; `list` is already built from mention()ed tickers.
  flagGap: (ticker: string, count: number, dates: readonly string[]) =>
    `${mention(ticker)} has no close on ${count} date${count === 1 ? '' : 's'} inside its history (${listSome(dates)}): ` +
    'those dates are left out of the aligned returns, never filled or made a zero return',
  flagStale: (ticker: string, value: number, days: number, from: string, to: string) =>
    `${mention(ticker)} closes at ${value} on ${days} days in a row (${from} … ${to}): a stale price? Its returns there are 0`,
  flagJump: (ticker: string, change: string, from: string, to: string) =>
    `${mention(ticker)} moves ${change} from ${from} to ${to} with no split recorded (|log return| above ln 1.8): a split or a bad price?`,
  flagSplitJump: (ticker: string, change: string, from: string, to: string, ratio: string, on: string) =>
    `${mention(ticker)} moves ${change} from ${from} to ${to}, across its ${quote(ratio)} split on ${on}: the closes look unadjusted for it`,
  droppedNullBars: (count: number, list: string) =>
    `${count} one-minute bar${count === 1 ? '' : 's'} with no close (null: nothing traded or no data) dropped (${list}); a ticker's missing minute stays missing, never 0`,
  droppedOutsideSession: (count: number, session: string, zone: string) =>
    `${count} one-minute bar${count === 1 ? '' : 's'} outside the regular session ${session} ${zone} (pre- and after-market, weekends) dropped`,
  unknownSession: (zone: string) =>
    `no regular session is known for the exchange zone ${mention(zone)}: its one-minute bars are kept whole, extended hours included`,
  assumedZone: (zone: string) => `the bars do not say their exchange: the regular session is taken in ${zone} (US equities)`,
  droppedBadCloses: (count: number, list: string) =>
    `${count} close${count === 1 ? '' : 's'} at or below 0 dropped as missing (${list}): no return can be taken from them`,
  alignedSummary: (dates: number, assets: number, lookback: number, first: string, last: string, left: number) =>
    `aligned returns: ${dates} date${dates === 1 ? '' : 's'} where all ${assets} assets have a close, ${first} … ${last} ` +
    `(lookback ${lookback} calendar days)${left > 0 ? `; ${left} date${left === 1 ? '' : 's'} in the window left out for a missing close` : ''}`,
  alignedFails: (problem: string) => `aligned returns cannot be formed: ${problem}`,
  unknownPriceTickers: (tickers: readonly string[], known: readonly string[]) =>
    `the prices have no columns ${listSome(tickers.map((t) => quote(t)), 10)} of the book (columns: ${listSome(known, 20)})`,
  rfrFromIrx: (rate: string, quote: number, date: string) =>
    `risk-free rate ${rate} (ACT/360 money market) from ^IRX ${+quote.toFixed(4)} on ${date}, the 13-week bill discount yield, ` +
    'converted as r = d / (1 − d·91/360)',
  rfrDefault: (rate: string) => `no ^IRX in this data: the risk-free rate is the default ${rate} (type a rate in Funding to override it)`,
  sourceFailed: (symbol: string, code: string, message: string) => `${mention(symbol)} was not loaded: ${mention(code)} ${quote(message)}`,
  noDailyPrices: (source: string) => `${source} has no daily closes: a market needs at least one ticker's daily prices`,
  // Kalman pairs (owned by engine/pairs/). `what` names an input as the caller shows it: a field
  // (`delta`) or a CLI option (`--delta`), already mention()ed or plain code text.
  pairsLayout: (what: string, inModule: number, here: number) =>
    `the module's ${what} has ${inModule} slots but the engine expects ${here} (rebuild it with \`npm run build:wasm\`)`,
  pairsLengths: (yBars: number, xBars: number) => `y has ${yBars} bars but x has ${xBars}: the two legs must have one close per bar each`,
  pairsSessionsLength: (sessions: number, bars: number) => `the session labels have ${sessions} entries for ${bars} bars`,
  pairsSessionsOrder: (bar: number) => `the session labels decrease at bar ${bar}: they must be non-decreasing`,
  pairsSameTicker: (ticker: string) => `y and x are both ${mention(ticker)}: a pair needs two different tickers`,
  pairsUnknownTicker: (option: string, ticker: string, known: readonly string[]) =>
    `${option} names ${quote(ticker)}, which is not a column of the bars (columns: ${listSome(known.map(mention), 20)})`,
  pairsBadPrice: (ticker: string, where: string, value: number) =>
    `${mention(ticker)}, ${where}: a close must be positive and finite (empty when missing), got ${value}`,
  pairsExitAboveEntry: (exitName: string, exit: number, entryName: string, entry: number) =>
    `${exitName} (${exit}) must be below ${entryName} (${entry}): a trade exits when |z| falls under the exit band, inside the entry band`,
  pairsTooFewBars: (bars: number, need: number, why: string) =>
    `the pair has ${bars} bar${bars === 1 ? '' : 's'} but needs more than ${need} (${why})`,
  pairsTooFewObservations: (what: string, found: number, from: number, to: number) =>
    `${what}: the calibration window (bars ${from + 1}…${to}) has only ${found} bar${found === 1 ? '' : 's'} with both closes after its burn-in; a fit needs at least 10`,
  pairsCalibrateBoth: (calibrate: string) =>
    `${calibrate} fits δ and Vₑ, but both were set by hand: drop ${calibrate}, or drop --delta or --ve to fit it`,
  pairsNoFit: (from: number, to: number) =>
    `the calibration found no δ and Vₑ with a finite likelihood on bars ${from + 1}…${to}`,
  // Engine pool (engine/pool). `label` names the task as the UI shows it (a panel, "market"…).
  taskCancelled: (label: string) => `${label} was cancelled`,
  taskSuperseded: (label: string) => `${label} was superseded by a newer request`,
  taskTimedOut: (label: string, ms: number) =>
    `${label} did not finish within ${formatMs(ms)} and was stopped (its engine worker was replaced)`,
  workerCrashed: (label: string, reason: string) => `${label} failed: its engine worker crashed (${reason})`,
  workersGaveUp: (label: string, crashes: number, windowMs: number, reason: string) =>
    `${label} failed: the engine workers crashed ${crashes} times within ${formatMs(windowMs)} (last: ${reason}), so they are no longer restarted`,
  workerNoStart: (reason: string) => `could not start an engine worker: ${reason}`,
  poolShutDown: (label: string) => `${label} was stopped: the engine was shut down`,
  unknownTask: (name: string, known: readonly string[]) => `unknown engine task '${name}' (tasks: ${known.join(', ')})`,
  // Pair scan and cointegration (owned by engine/pairs/cointegration.ts and engine/pairs/scan.ts).
  adfLagsTooMany: (what: string, lags: number, rows: number, cap: number) =>
    `${what} must be a whole number from 0 to ${cap} for ${rows} rows (at most rows/2 − 1), got ${lags}`,
  pairTooFewRows: (y: string, x: string, rows: number, min: number) =>
    `${mention(y)}/${mention(x)}: only ${rows} row${rows === 1 ? '' : 's'} where both have a price (at least ${min} needed)`,
  scanTooFewTickers: (source: string, tickers: readonly string[]) =>
    `${source} has ${tickers.length === 0 ? 'no ticker column' : `only one ticker column (${mention(tickers[0])})`}: a pair scan needs at least 2`,
  scanNoPair: (source: string, pairs: number, reason: string) =>
    `${source}: none of the ${pairs} pairs could be scanned (${reason})`,
} as const;

/** `A`, `A and B`, `A, B and C`, or `A, B, C, D, E and 4 more`: a list read as a sentence. */
function andList(items: readonly string[], max = 5): string {
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `A, B, C` or `A, B, C and 4 more`: lists in messages stay one line. */
function listSome(items: readonly string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Turn a kernel status into an `AstraError` (or `undefined` for OK). `detail` is the kernel's
 * `lastDetail()`: a row for NOT_POSITIVE_DEFINITE, a flat index for NON_FINITE_INPUT (`n` > 0
 * turns it into row and column of an n-column matrix), the bad value for BAD_SIZE.
 */
export function statusToError(status: number, detail: number, what = 'matrix', n = 0): AstraError | undefined {
  switch (status) {
    case KERNEL_STATUS.OK:
      return undefined;
    case KERNEL_STATUS.NOT_POSITIVE_DEFINITE:
      return new AstraError('NOT_POSITIVE_DEFINITE', Messages.notPositiveDefinite(detail, what), { row: detail + 1 });
    case KERNEL_STATUS.NON_FINITE_INPUT:
      if (n > 0) {
        const row = Math.floor(detail / n);
        const column = detail % n;
        return new AstraError('NON_FINITE', Messages.nonFiniteMatrix(row, column, what), { row: row + 1, column: column + 1 });
      }
      return new AstraError('NON_FINITE', Messages.nonFiniteAt(detail, what), { index: detail });
    case KERNEL_STATUS.BAD_SIZE:
      return new AstraError('BAD_SIZE', Messages.badSize(what, detail, 'a positive size'));
    case KERNEL_STATUS.NO_CONVERGENCE:
      return new AstraError('NO_CONVERGENCE', Messages.noConvergence(what, detail), { index: detail + 1 });
    default:
      return new AstraError('BAD_INPUT', Messages.kernelStatus(status));
  }
}
