/**
 * `astra optimize`: the contract's JSON on the demo and on files, the frontier, signed from a book,
 * an infeasible problem as a status (exit 0), and bad input (exit 2, the option or ticker named).
 * Agreement with cvxopt on price files is in engine/portfolio/golden.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectBadInput, runInProcess } from './test-helpers.ts';

const FIXTURES = fileURLToPath(new URL('../engine/portfolio/fixtures/', import.meta.url));
const CONTRACT = ['status', 'weights', 'gross', 'net', 'volAnnual', 'expectedReturn', 'iterations', 'kktResidual', 'binding'];

async function json(args: string[], cwd = FIXTURES) {
  const r = await runInProcess(['optimize', ...args, '--json'], cwd);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('astra optimize', () => {
  it('prints the contract keys first, weights by ticker, on the demo', async () => {
    const out = await json(['--mode', 'meanvar', '--gamma', '2', '--net-tol', '0.1']);
    expect(Object.keys(out).slice(0, CONTRACT.length)).toEqual(CONTRACT);
    expect(out.status).toBe('optimal');
    expect(Object.keys(out.weights)).toEqual(['AAPL', 'MSFT', 'GOOGL', 'JPM', 'GS', 'MS', 'C']);
    const w = Object.values(out.weights) as number[];
    expect(out.gross).toBeCloseTo(w.reduce((a, v) => a + Math.abs(v), 0), 14);
    expect(out.net).toBeCloseTo(w.reduce((a, v) => a + v, 0), 14);
    expect(out.gross).toBeLessThanOrEqual(2 + 1e-9);
    expect(Math.abs(out.net)).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(out.kktResidual).toBeLessThan(1e-9);
    expect(out.source).toEqual({ prices: 'demo data (synthetic)', book: 'demo data (synthetic)' });
  });

  it('minvar with the contract defaults (gross 2, net 0) holds nothing, and says net binds', async () => {
    const out = await json(['--prices', 'optimize-p6.csv']);
    expect(out.status).toBe('optimal');
    expect(Object.values(out.weights)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(out.binding).toEqual(['net']);
  });

  it('adds a K-point frontier: across gamma for meanvar, across gross for minvar and signed', async () => {
    const mv = await json(['--prices', 'optimize-p6.csv', '--mode', 'meanvar', '--frontier', '6']);
    expect(mv.frontier).toHaveLength(6);
    expect(Object.keys(mv.frontier[0])).toEqual(['gamma', 'volAnnual', 'expectedReturn', 'status']);
    expect(mv.frontier[0].gamma).toBeCloseTo(0.1, 14);
    expect(mv.frontier[5].gamma).toBeCloseTo(100, 12);
    const signed = await json(['--prices', 'optimize-p6.csv', '--mode', 'signed', '--book', 'optimize-book6.csv', '--net-tol', '0.5', '--frontier', '4']);
    expect(signed.frontier.map((p: { gross: number }) => p.gross)).toEqual([0.5, 2, 3.5, 5]);
    expect(signed.binding[0]).toBe('gross');
    expect(signed.gross).toBeCloseTo(2, 12);
  });

  it('signed takes the sides from the book: longs ≥ 0, shorts ≤ 0', async () => {
    const out = await json(['--prices', 'optimize-p6.csv', '--mode', 'signed', '--book', 'optimize-book6.csv', '--net-tol', '0.2']);
    const w = out.weights as Record<string, number>;
    for (const t of ['T00', 'T02', 'T04']) expect(w[t]).toBeGreaterThanOrEqual(0);
    for (const t of ['T01', 'T03', 'T05']) expect(w[t]).toBeLessThanOrEqual(0);
  });

  it('bounds, views, carry and turnover reach the problem', async () => {
    const out = await json(['--prices', 'optimize-p6.csv', '--mode', 'meanvar', '--bounds', 'T00=-0.05:0.05', '--views', 'T01=0.5', '--carry', '--rfr', '0.04', '--turnover-bps', '5', '--book', 'optimize-book6.csv']);
    expect(Math.abs(out.weights.T00)).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(out.weights.T01).toBeGreaterThan(0.3); // a 50% view pulls it long
    expect(out.carry).toBeLessThan(0);
  });

  it('an infeasible problem is a status with the conflict, exit 0, no weights', async () => {
    const out = await json(['--prices', 'optimize-p6.csv', '--gross', '0.5', '--net', '0.6']);
    expect(out).toMatchObject({ status: 'infeasible', weights: null, conflict: 'net 60% is outside what gross 50% allows (|net| ≤ gross)', binding: [] });
    expect(out.volAnnual).toBeNull();
    const text = await runInProcess(['optimize', '--prices', 'optimize-p6.csv', '--gross', '0.5', '--net', '0.6'], FIXTURES);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Status: infeasible - net 60% is outside what gross 50% allows');
  });

  it('prints a readable table by default', async () => {
    const r = await runInProcess(['optimize', '--mode', 'meanvar', '--frontier', '3']);
    expect(r.code).toBe(0);
    for (const part of ['Optimal inventory - mode meanvar', 'Status: optimal', 'Ticker', 'Volatility (annual)', 'Binding', 'Frontier (across gamma)']) expect(r.stdout).toContain(part);
  });

  it('exits 2 on bad input, naming the option, entry or ticker', async () => {
    const bad = (args: string[]) => runInProcess(['optimize', ...args], FIXTURES);
    expectBadInput(await bad(['--mode', 'maxret']), '--mode must be minvar, meanvar, signed, got "maxret"');
    expectBadInput(await bad(['--gross', '-1']), '--gross must be a number ≥ 0');
    expectBadInput(await bad(['--gamma', '0']), '--gamma must be a positive number, got "0"');
    expectBadInput(await bad(['--bounds', 'AAPL=0.1']), '--bounds entry must be TICKER=LOWER:UPPER');
    expectBadInput(await bad(['--bounds', 'AAPL=x:0.2']), '--bounds entry must be TICKER=LOWER:UPPER');
    expectBadInput(await bad(['--prices', 'optimize-p6.csv', '--bounds', 'AAPL=0:0.2']), 'the bounds names AAPL, which is not in the universe (tickers: T00, T01, T02, T03, T04, T05)');
    expectBadInput(await bad(['--prices', 'optimize-p6.csv', '--bounds', 'T00=0.3:0.1']), 'bounds on T00: the lower bound 30% is above the upper bound 10%');
    expectBadInput(await bad(['--views', 'AAPL']), '--views entry must be TICKER=R');
    expectBadInput(await bad(['--frontier', '1']), '--frontier must be a whole number from 2 to 1000');
    expectBadInput(await bad(['--rfr', '0.03']), '--rfr must be given together with --carry');
    expectBadInput(await bad(['--expected', 'capm']), '--expected must be historical or zero');
    expectBadInput(await bad(['--prices', 'optimize-p6.csv', '--mode', 'signed']), 'mode signed holds each asset on its side', 'pass a book (--book)');
    expectBadInput(await bad(['--prices', 'nope.csv']), 'cannot read --prices nope.csv: no such file');
  });
});
