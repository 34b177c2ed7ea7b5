/**
 * The optimizer against cvxopt (scripts/golden/optimize.py → fixtures/optimize-golden.json): for
 * each seeded price set, mode and set of constraints, the objective within 1e-7 (relative) of
 * cvxopt's answer polished on its active set, constraints met to 1e-9 — through the engine and
 * through `astra optimize --json` on the same prices CSV.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../cli/test-helpers.ts';
import { parsePricesCsv } from '../csv.ts';
import type { Kernels } from '../kernels.ts';
import { marketStats } from '../market/stats.ts';
import { loadKernels } from '../node.ts';
import { goldenCases, kktViolation, objective, violation, type GoldenCase, type OracleProblem } from './fixtures/oracle.ts';
import { solvePortfolio } from './solve.ts';

const { dir, cases } = goldenCases();
let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});

/** The case's full problem, Σ and μ from its CSV through the market statistics (annual = 252 × daily). */
function problemOf(c: GoldenCase): OracleProblem {
  const prices = parsePricesCsv(readFileSync(join(dir, c.prices), 'utf8'));
  const s = marketStats(k, prices, { lookback: c.lookback });
  expect(s.tickers).toEqual(c.problem.tickers);
  return {
    ...c.problem,
    covAnnual: s.covDaily.map((v) => 252 * v),
    expectedReturn: s.meanDaily.map((v) => 252 * v),
  };
}

function expectAgreement(p: OracleProblem, w: ArrayLike<number>, c: GoldenCase): void {
  const ours = objective(p, w);
  const theirs = objective(p, c.expected.weights);
  // cvxopt's weights evaluated on our Σ (the same file, the same conventions) and the stored value agree first.
  expect(Math.abs(theirs - c.expected.objective)).toBeLessThanOrEqual(1e-9 * Math.abs(c.expected.objective));
  expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(1e-7 * Math.abs(theirs));
  expect(violation(p, w)).toBeLessThanOrEqual(1e-9);
}

describe('optimizer vs cvxopt (golden file)', () => {
  it('has the cases it was generated with, all polished', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) expect({ name: c.name, status: c.expected.status, polished: c.expected.polished }).toEqual({ name: c.name, status: 'optimal', polished: true });
  });

  for (const c of cases) {
    it(`${c.name}: objective within 1e-7, constraints to 1e-9, KKT`, () => {
      const p = problemOf(c);
      const r = solvePortfolio(k, p);
      expect(r.status).toBe('optimal');
      expectAgreement(p, r.weights!, c);
      expect(kktViolation(p, r.weights!)).toBeLessThan(1e-8);
      expect(r.kktResidual).toBeLessThan(1e-9);
    });
  }

  for (const c of cases.filter((x) => x.cli)) {
    it(`astra optimize --json ${c.cli!.join(' ')} (${c.name})`, async () => {
      const run = await runInProcess(['optimize', '--prices', c.prices, ...c.cli!, ...(c.lookback !== 730 && !c.cli!.includes('--lookback') ? ['--lookback', String(c.lookback)] : []), '--json'], dir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout);
      expect(out.status).toBe('optimal');
      const p = problemOf(c);
      expect(Object.keys(out.weights)).toEqual(p.tickers);
      expectAgreement(p, p.tickers.map((t) => out.weights[t]), c);
    });
  }
});
