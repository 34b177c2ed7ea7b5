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
 * A user's value as it appears in a message: in double quotes, on one line (newlines, escape
 * codes and other control characters escaped, as JSON does), cut to {@link MAX_QUOTED}
 * characters. A 200 MB cell or a ticker carrying terminal escapes never reaches a terminal whole.
 */
export function quote(value: unknown): string {
  const text = String(value);
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}… (${text.length} characters)` : text;
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
  badSeed: (seed: unknown) => `seed must be a non-negative safe integer, got ${String(seed)}`,
  nonFiniteAt: (index: number, what = 'input') => `${what} has a non-finite value at flat index ${index}`,
  wasmLoad: (reason: string) => `could not load the ASTRA WebAssembly kernels: ${reason}`,
  missingExport: (name: string) => `the module has no export '${name}' (rebuild it with \`npm run build:wasm\`)`,
  statusMismatch: (name: string, inModule: number, inTable: number) =>
    `status ${name} is ${inModule} in the module but ${inTable} in the engine's table (rebuild it with \`npm run build:wasm\`)`,
  kernelStatus: (status: number) => `kernel returned unknown status ${status}`,
  // Book, funding, CSV and CLI messages (appended; owned by engine/book|funding|rates|csv.ts, cli/).
  /** A bad cell: `file` is e.g. `prices CSV data/p.csv`, `row` is 1-based with the header as row 1. */
  csvCell: (file: string, row: number, column: string, problem: string, value: string) =>
    `${file}, row ${row}, column ${column}: ${problem}, got ${quote(value)}`,
  csvHeader: (file: string, problem: string) => `${file}, header (row 1): ${problem}`,
  csvRagged: (file: string, row: number, cells: number, expected: number) =>
    `${file}, row ${row}: has ${cells} cell${cells === 1 ? '' : 's'} but the header has ${expected}`,
  csvNoRows: (file: string) => `${file} has a header but no data rows`,
  csvEmpty: (file: string) => `${file} is empty (expected a header row)`,
  snapshotField: (where: string, problem: string) => `snapshot ${where}: ${problem}`,
  missingPrice: (ticker: string, hint: string) => `no price for ${ticker}: ${hint}`,
  duplicateTicker: (what: string, ticker: string) => `${what} lists ${ticker} more than once`,
  badValue: (what: string, value: unknown, rule: string) => `${what} must be ${rule}, got ${String(value)}`,
  tableShape: (what: string, detail: string) => `${what} is malformed: ${detail}`,
  unknownCommand: (name: string, known: readonly string[]) =>
    `unknown command '${name}' (commands: ${known.join(', ')})`,
  missingCommand: (known: readonly string[]) => `no command given (commands: ${known.join(', ')})`,
  unknownOption: (option: string, command: string, known: readonly string[]) =>
    `unknown option ${option} for '${command}' (options: ${known.join(', ')})`,
  optionNeedsValue: (option: string) =>
    `option ${option} needs a value (write ${option}=VALUE when the value starts with '-')`,
  optionTakesNoValue: (option: string) => `option ${option} takes no value`,
  unexpectedArgument: (arg: string, command: string) => `unexpected argument '${arg}' for '${command}'`,
  missingOption: (option: string, command: string) => `'${command}' needs ${option}`,
  cannotRead: (option: string, path: string, reason: string) => `cannot read ${option} ${path}: ${reason}`,
  cannotWrite: (path: string, reason: string) => `cannot write ${path}: ${reason}`,
  unknownBorrowTicker: (ticker: string) => `--borrow names ${ticker}, which is not in the book`,
  // Returns, covariance and their repair (owned by engine/market/, engine/linalg/eigen.ts).
  noConvergence: (what: string, index: number) =>
    `${what}: the eigenvalue iteration did not converge (eigenvalue ${index + 1})`,
  unknownPriceTicker: (ticker: string, known: readonly string[]) =>
    `the prices have no column ${quote(ticker)} (columns: ${listSome(known, 20)})`,
  noTickers: () => 'the list of tickers is empty: name at least one price column',
  badPrice: (ticker: string, date: string, value: number) =>
    `${ticker} on ${date}: a log return needs a positive, finite price, got ${value}`,
  noAssetColumns: (excluded: readonly string[]) =>
    excluded.length > 0
      ? `the prices have no asset column (${excluded.join(', ')} ${excluded.length === 1 ? 'is a rate series, not an asset' : 'are rate series, not assets'}; name one explicitly to use it)`
      : 'the prices have no asset column',
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
  droppedTicker: (ticker: string, reason: string) => `${ticker} left out of the universe: ${reason}`,
  reasonNoPrices: () => 'it has no prices',
  reasonOnePrice: (date: string) => `it has only one price (${date}), and a return needs two`,
  reasonOnePriceInWindow: (from: string, to: string) =>
    `it has only one price dated after ${from} up to ${to} (the lookback window), and a return needs two`,
  windowEndsEarly: (last: string, tableLast: string, tickers: readonly string[]) =>
    `the window ends on ${last}, before the last date of the prices (${tableLast}): ${listSome(tickers)} ` +
    `${tickers.length === 1 ? 'has' : 'have'} no price after it`,
  gapDates: (count: number, total: number, worst: readonly string[]) =>
    `left out ${count} of the ${total} dates after the window start where a ticker had no price ` +
    `(most gaps: ${worst.join(', ')}); see dropped.dates`,
  longReturns: (count: number, days: number, date: string, longest: number, base: string) =>
    `${count} return${count === 1 ? ' spans' : 's span'} more than ${days} calendar days between aligned dates ` +
    `(longest: ${date}, ${longest} days from ${base}); each mixes several days of moves into one`,
  zeroVariance: (ticker: string, value: number) =>
    `${ticker} has zero variance in the window: every return is ${value}` +
    (value === 0 ? ' (the price does not move)' : ''),
  ledoitWolfFewObservations: (assets: number, observations: number, shrinkage: number) =>
    `${assets} assets and only ${observations} observations: the ledoit-wolf estimate leans on its target (shrinkage ${shrinkage.toFixed(4)})`,
  covarianceRepaired: (what: string, row: string, clipped: number, n: number, floor: number, amount: number) =>
    `${what} was not positive definite (the Cholesky pivot of ${row} was not positive): ` +
    `${clipped} of ${n} eigenvalues raised to the floor ${floor.toExponential(3)} (largest change ${amount.toExponential(3)})`,
  jitterAdded: (jitter: number) => `and ${jitter.toExponential(3)} added to the diagonal to make it factor`,
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
} as const;

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
