/**
 * `astra pairs` end to end: the per-bar filter outputs, the positions, equity curves, trades and
 * figures of `--full --json` against an independent numpy implementation of the recursion and the
 * backtest rules (scripts/golden/pairs.py → engine/pairs/fixtures/pairs-golden.json) to 1e-9; the
 * contract's keys on the demo; the bad inputs the issue lists.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBadInput, runInProcess, tempDir } from './test-helpers.ts';

interface GoldenTrade {
  side: 'long' | 'short';
  entryBar: number;
  exitBar: number;
  entryTime: string;
  exitTime: string;
  betaEntry: number;
  zEntry: number;
  zExit: number | null;
  pnl: number;
  costs: number;
  pnlAfterCosts: number;
  bars: number;
  exitReason: string;
}
interface GoldenFigures {
  totalReturn: number;
  sharpe: number;
  sharpeSe: number;
  maxDrawdown: number;
  hitRate: number | null;
  turnover: number;
}
interface GoldenCase {
  name: string;
  options: { delta: number; ve: number; calibrate: number; warmup: number; entry: number; exit: number; costBps: number; halted: boolean };
  expected: {
    beta: number[];
    alpha: number[];
    spread: (number | null)[];
    variance: (number | null)[];
    z: (number | null)[];
    position: number[];
    equity: number[];
    equityAfterCosts: number[];
    trades: GoldenTrade[];
    beforeCosts: GoldenFigures;
    afterCosts: GoldenFigures;
    blockedEntries: number;
    windowLogLik: number;
    windowObservations: number;
  };
}
export const golden = JSON.parse(readFileSync(new URL('../engine/pairs/fixtures/pairs-golden.json', import.meta.url), 'utf8')) as {
  barsCsv: string;
  y: string;
  x: string;
  bars: number;
  cases: GoldenCase[];
};

const tmp = tempDir();
beforeAll(() => writeFileSync(join(tmp.dir, 'bars.csv'), golden.barsCsv));
afterAll(() => tmp.remove());

const TOL = 1e-9;

/** |a − b| ≤ 1e-9·max(1, |b|), null (missing) exactly where expected. */
function close(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
}

function closeArrays(actual: (number | null)[], expected: (number | null)[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let t = 0; t < expected.length; t++) close(actual[t], expected[t], `${what}[${t}]`);
}

async function pairs(args: string[], cwd = tmp.dir) {
  const r = await runInProcess(['pairs', '--json', ...args], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

function caseArgs(c: GoldenCase): string[] {
  const o = c.options;
  return [
    '--bars', 'bars.csv', '--y', golden.y, '--x', golden.x, '--delta', String(o.delta), '--ve', String(o.ve), '--calibrate', String(o.calibrate),
    '--warmup', String(o.warmup), '--entry', String(o.entry), '--exit', String(o.exit), '--cost-bps', String(o.costBps), ...(o.halted ? ['--halted'] : []),
  ];
}

describe('astra pairs --full --json against an independent implementation', () => {
  it.each(golden.cases.map((c) => [c.name, c] as const))('%s: every bar, trade and figure to 1e-9', async (_name, c) => {
    const out = await pairs([...caseArgs(c), '--full']);
    const e = c.expected;
    expect(out.bars).toBe(golden.bars);
    for (const key of ['beta', 'alpha', 'spread', 'variance', 'z'] as const) closeArrays(out[key], e[key], key);
    expect(out.position).toEqual(e.position);
    closeArrays(out.beforeCosts.equity, e.equity, 'equity');
    closeArrays(out.afterCosts.equity, e.equityAfterCosts, 'equity after costs');
    expect(out.trades.length).toBe(e.trades.length);
    e.trades.forEach((t, i) => {
      const a = out.trades[i];
      expect({ side: a.side, entryBar: a.entryBar, exitBar: a.exitBar, entryTime: a.entryTime, exitTime: a.exitTime, bars: a.bars, exitReason: a.exitReason }).toEqual({
        side: t.side, entryBar: t.entryBar, exitBar: t.exitBar, entryTime: t.entryTime, exitTime: t.exitTime, bars: t.bars, exitReason: t.exitReason,
      });
      for (const k of ['betaEntry', 'zEntry', 'zExit', 'pnl', 'costs', 'pnlAfterCosts'] as const) close(a[k], t[k], `trade ${i} ${k}`);
    });
    for (const side of ['beforeCosts', 'afterCosts'] as const) {
      for (const k of ['totalReturn', 'sharpe', 'sharpeSe', 'maxDrawdown', 'hitRate', 'turnover'] as const) close(out[side][k], e[side][k], `${side}.${k}`);
    }
    close(out.totalReturn, e.afterCosts.totalReturn, 'totalReturn');
    close(out.sharpe, e.afterCosts.sharpe, 'sharpe');
    close(out.maxDrawdown, e.afterCosts.maxDrawdown, 'maxDrawdown');
    expect(out.blockedEntries).toBe(e.blockedEntries);
    expect(out.halted).toBe(c.options.halted);
    expect(out.smallSample).toBe(e.trades.length < 30);
    expect(out.fitted).toMatchObject({ delta: c.options.delta, ve: c.options.ve, method: 'manual', observations: e.windowObservations });
    close(out.fitted.logLik, e.windowLogLik, 'window log-likelihood');
  });

  it('without --full gives the last values of the same run', async () => {
    const c = golden.cases[0];
    const out = await pairs(caseArgs(c));
    const e = c.expected;
    close(out.beta, e.beta[golden.bars - 1], 'beta');
    close(out.alpha, e.alpha[golden.bars - 1], 'alpha');
    close(out.spread, e.spread[golden.bars - 1], 'spread');
    close(out.z, e.z[golden.bars - 1], 'z');
    expect(out.trades.length).toBe(e.trades.length);
  });

  it('the golden cases trade, and the halted case opens nothing and says so', () => {
    for (const c of golden.cases) {
      if (c.options.halted) {
        expect(c.expected.trades).toEqual([]);
        expect(c.expected.blockedEntries).toBeGreaterThan(0);
      } else {
        expect(c.expected.trades.length).toBeGreaterThan(5);
      }
    }
    // Missing bars inside the traded part, including a session's last bar.
    expect(golden.cases[0].expected.z.filter((v) => v === null).length).toBeGreaterThan(5);
  });
});

describe('astra pairs on the demo', () => {
  it('prints the contract keys, fitted by maximum likelihood', async () => {
    const out = await pairs([], undefined);
    for (const key of ['beta', 'alpha', 'spread', 'z', 'trades', 'totalReturn', 'sharpe', 'maxDrawdown', 'fitted', 'smallSample']) expect(out).toHaveProperty(key);
    expect(out.fitted.method).toBe('mle');
    expect(out.fitted.delta).toBeGreaterThan(0);
    expect(out.fitted.delta).toBeLessThan(1);
    expect(out.fitted.ve).toBeGreaterThan(0);
    expect(Number.isFinite(out.fitted.logLik)).toBe(true);
    expect(typeof out.beta).toBe('number');
    expect(out.y).toBe('JPM');
    expect(out.x).toBe('C');
    expect(out.source).toBe('demo data (synthetic)');
    expect(out.calibrate).toBe(390);
  });

  it('--full gives one value per bar', async () => {
    const out = await pairs(['--full'], undefined);
    for (const key of ['beta', 'alpha', 'spread', 'z', 'variance', 'position', 'timestamps']) expect(out[key]).toHaveLength(out.bars);
  });

  it('the readable report shows the Sharpe with its standard error', async () => {
    const r = await runInProcess(['pairs', '--calibrate', '390', '--evaluations', '30']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Kalman pair JPM on C');
    expect(r.stdout).toMatch(/-?\d+\.\d\d ± \d+\.\d\d/);
    expect(r.stdout).toContain('Trades');
  });

  it('a fitting run and a hand-set run with the fitted values give the same bars', async () => {
    const fit = await pairs(['--full'], undefined);
    const hand = await pairs(['--full', '--delta', String(fit.fitted.delta), '--ve', String(fit.fitted.ve)], undefined);
    expect(hand.z).toEqual(fit.z);
    expect(hand.trades).toEqual(fit.trades);
  });
});

describe('astra pairs: bad input exits 2 naming what is wrong', () => {
  const run = (args: string[]) => runInProcess(['pairs', ...args], tmp.dir);
  it.each([
    [['--y', 'ZZZ'], ['--y', 'ZZZ', 'not a column']],
    [['--x', 'JPM'], ['y and x are both JPM']],
    [['--delta', '0'], ['--delta', '0 < δ < 1']],
    [['--delta', '1'], ['--delta']],
    [['--delta', '1.5'], ['--delta']],
    [['--ve', '-1'], ['--ve', 'positive']],
    [['--ve', '0'], ['--ve']],
    [['--entry', '1', '--exit', '1'], ['--exit (1) must be below --entry (1)']],
    [['--exit', '3'], ['--exit (3) must be below --entry (2)']],
    [['--entry', '0'], ['--entry']],
    [['--cost-bps', '-1'], ['--cost-bps']],
    [['--warmup', '2.5'], ['--warmup']],
    [['--calibrate', '5000'], ['--calibrate', '1950 bars']],
    [['--calibrate', '1900', '--warmup', '60'], ['1950 bars', 'warm-up']],
    [['--calibrate', '0'], ['--calibrate', 'set both --delta and --ve']],
    [['--evaluations', '0'], ['--evaluations']],
  ])('%j', async (args, fragments) => {
    expectBadInput(await run(args as string[]), ...(fragments as string[]));
  });

  it('a bars file needs --y and --x, names a ticker not in it, and a bad row', async () => {
    expectBadInput(await run(['--bars', 'bars.csv']), '--y');
    expectBadInput(await run(['--bars', 'bars.csv', '--y', 'YY']), '--x');
    expectBadInput(await run(['--bars', 'bars.csv', '--y', 'YY', '--x', 'JPM']), '--x', 'JPM', 'YY, XX');
    writeFileSync(join(tmp.dir, 'bad.csv'), 'timestamp,A,B\n2026-01-05T09:30:00-05:00,10,5\n2026-01-05T09:31:00-05:00,-1,5\n');
    expectBadInput(await run(['--bars', 'bad.csv', '--y', 'A', '--x', 'B']), 'row 3', 'A', 'positive');
  });

  it('too few bars for the calibration window', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `2026-01-05T09:${String(30 + i).padStart(2, '0')}:00-05:00,${10 + i * 0.01},${5 + i * 0.004}`);
    writeFileSync(join(tmp.dir, 'short.csv'), `timestamp,A,B\n${rows.join('\n')}\n`);
    expectBadInput(await run(['--bars', 'short.csv', '--y', 'A', '--x', 'B', '--calibrate', '10']), '--calibrate', 'only 8 bars');
  });
});
