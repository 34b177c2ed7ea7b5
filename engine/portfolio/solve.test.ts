/**
 * The optimizer against independent truth: a closed form, the KKT conditions checked by the test's
 * own oracle on random problems (fast-check, n up to 200), invariances, every infeasible and
 * degenerate case with its message, warm = cold, and the wasm kernel = the plain-TS port.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AstraError } from '../errors.ts';
import type { Kernels } from '../kernels.ts';
import { loadKernels } from '../node.ts';
import { solvePortfolioTs } from './baseline.ts';
import { findConflict } from './feasibility.ts';
import { kktViolation, objective, violation, type OracleProblem } from './fixtures/oracle.ts';
import { solvePortfolio } from './solve.ts';
import type { PortfolioProblem } from './types.ts';
import { seededRng as rng } from '../random/seeded-rng.ts';

let k: Kernels;
beforeAll(async () => {
  k = await loadKernels();
});


/** An annual factor-model covariance (3 factors + specific risk), n×n. */
function factorCov(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const B = Array.from({ length: n }, () => [0.15 + 0.05 * r.normal(), 0.08 * r.normal(), 0.05 * r.normal()]);
  const spec = Array.from({ length: n }, () => (0.15 + 0.2 * r.uniform()) ** 2);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) cov[i * n + j] = B[i][0] * B[j][0] + B[i][1] * B[j][1] + B[i][2] * B[j][2] + (i === j ? spec[i] : 0);
  }
  return cov;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `A${i}`);

/** Σ⁻¹b by Gaussian elimination with partial pivoting (the test's own solve). */
function solveLinear(A: ArrayLike<number>, b: number[]): number[] {
  const n = b.length;
  const M = Array.from({ length: n }, (_, i) => [...Array.from({ length: n }, (_, j) => A[i * n + j]), b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / M[c][c];
      for (let j = c; j <= n; j++) M[r][j] -= f * M[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i][n];
    for (let j = i + 1; j < n; j++) s -= M[i][j] * x[j];
    x[i] = s / M[i][i];
  }
  return x;
}

describe('closed form', () => {
  it('minvar with only the net constraint binding: w = net · Σ⁻¹1 / 1ᵀΣ⁻¹1', () => {
    for (const n of [2, 6, 30]) {
      const cov = factorCov(n, 7 + n);
      const x = solveLinear(cov, new Array(n).fill(1));
      const sum = x.reduce((a, b) => a + b, 0);
      const net = 0.8;
      const expected = x.map((v) => (net * v) / sum);
      const gross = 2 * expected.reduce((a, v) => a + Math.abs(v), 0); // slack: the gross limit does not bind
      const r = solvePortfolio(k, { tickers: names(n), covAnnual: cov, mode: 'minvar', gross, net });
      expect(r.status).toBe('optimal');
      for (let i = 0; i < n; i++) expect(r.weights![i]).toBeCloseTo(expected[i], 12);
      expect(r.binding).toEqual(['net']);
    }
  });
});

/** A random feasible problem of n assets from `seed` (every mode and constraint kind). */
function randomProblem(n: number, seed: number, mode: PortfolioProblem['mode']): PortfolioProblem {
  const r = rng(seed);
  const tickers = names(n);
  const gross = 0.5 + 3 * r.uniform();
  const p: PortfolioProblem = {
    tickers,
    covAnnual: factorCov(n, seed + 1),
    expectedReturn: tickers.map(() => 0.05 + 0.1 * r.normal()),
    mode,
    gross,
    net: (r.uniform() - 0.5) * gross * 0.6,
    gamma: 0.2 + 5 * r.uniform(),
  };
  if (r.uniform() < 0.5) p.netTol = 0.1 * r.uniform();
  if (mode === 'signed') {
    p.sides = Object.fromEntries(tickers.map((t, i) => [t, i % 2 === 0 ? 'long' : r.uniform() < 0.9 ? 'short' : 'flat']));
    p.net = (r.uniform() - 0.5) * 0.2 * gross;
    p.netTol = 0.3 * gross;
  }
  if (r.uniform() < 0.4) {
    p.bounds = Object.fromEntries(tickers.filter(() => r.uniform() < 0.3).map((t) => [t, { lower: -0.3 * r.uniform() - 0.05, upper: 0.3 * r.uniform() + 0.05 }]));
  }
  if (r.uniform() < 0.3) p.carry = { rfr: 0.02 + 0.04 * r.uniform(), borrowOverrides: { A1: 300 } };
  if (r.uniform() < 0.3) {
    p.turnoverBps = 50 * r.uniform();
    p.current = Object.fromEntries(tickers.map((t) => [t, 0.2 * r.normal()]));
  }
  return p;
}

describe('KKT on random problems (fast-check)', () => {
  it('every optimal answer meets the KKT conditions (the test finds the multipliers), is feasible, and the TS port agrees', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 2, max: 12 }) }, { weight: 2, arbitrary: fc.integer({ min: 13, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: 61, max: 200 }) }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('minvar', 'meanvar', 'signed'),
        (n, seed, mode) => {
          const p = randomProblem(n, seed, mode as PortfolioProblem['mode']);
          const r = solvePortfolio(k, p);
          if (r.status === 'infeasible') {
            // Only the signed net band can make these problems infeasible; the conflict says so.
            expect(r.conflict).toMatch(/net|gross/);
            expect(r.weights).toBeNull();
            return;
          }
          expect(r.status).toBe('optimal');
          const w = r.weights!;
          expect(violation(p as OracleProblem, w)).toBeLessThanOrEqual(1e-9);
          expect(kktViolation(p as OracleProblem, w)).toBeLessThan(1e-8);
          expect(r.kktResidual).toBeLessThan(1e-9);
          const t = solvePortfolioTs(p);
          expect(t.status).toBe('optimal');
          const f = objective(p as OracleProblem, w);
          expect(Math.abs(objective(p as OracleProblem, t.weights!) - f)).toBeLessThanOrEqual(1e-10 * Math.max(1e-3, Math.abs(f)));
        },
      ),
      { numRuns: 60, seed: 20261122 },
    );
  });

  it('the oracle is not a rubber stamp: a nudged optimum fails it', () => {
    const p = randomProblem(8, 99, 'meanvar');
    const r = solvePortfolio(k, p);
    const w = Float64Array.from(r.weights!);
    const i = w.findIndex((v) => v !== 0);
    const j = w.findIndex((v, idx) => v !== 0 && idx !== i && Math.sign(v) === Math.sign(w[i]));
    w[i] += 1e-4 * Math.sign(w[i]);
    w[j] -= 1e-4 * Math.sign(w[j]); // same net and gross: still feasible, no longer optimal
    expect(violation(p as OracleProblem, w)).toBeLessThanOrEqual(1e-9);
    expect(kktViolation(p as OracleProblem, w)).toBeGreaterThan(1e-6);
  });
});

describe('invariances', () => {
  it('permuting the assets permutes the weights', () => {
    const n = 12;
    const p = randomProblem(n, 4242, 'meanvar');
    const perm = [5, 0, 11, 3, 8, 1, 10, 2, 7, 4, 9, 6];
    const cov = p.covAnnual;
    const permuted: PortfolioProblem = {
      ...p,
      tickers: perm.map((i) => p.tickers[i]),
      covAnnual: Float64Array.from({ length: n * n }, (_, x) => cov[perm[Math.floor(x / n)] * n + perm[x % n]]),
      expectedReturn: perm.map((i) => p.expectedReturn![i]),
    };
    const a = solvePortfolio(k, p);
    const b = solvePortfolio(k, permuted);
    perm.forEach((i, j) => expect(b.weights![j]).toBeCloseTo(a.weights![i], 12));
    expect(b.objective).toBeCloseTo(a.objective, 14);
  });

  it('scaling Σ leaves the minvar weights unchanged (daily or annual, any units)', () => {
    const p: PortfolioProblem = { tickers: names(20), covAnnual: factorCov(20, 5), mode: 'minvar', gross: 1.5, net: 1, bounds: { A3: { upper: 0.05 } } };
    const a = solvePortfolio(k, p);
    for (const c of [1 / 252, 1e-6, 1e4]) {
      const b = solvePortfolio(k, { ...p, covAnnual: Float64Array.from(p.covAnnual, (v) => v * c) });
      expect(b.status).toBe('optimal');
      for (let i = 0; i < 20; i++) expect(b.weights![i]).toBeCloseTo(a.weights![i], 12);
      expect(b.binding).toEqual(a.binding);
    }
  });
});

describe('infeasible and degenerate problems, each with its message', () => {
  const cov = factorCov(4, 11);
  const base = { tickers: ['AAPL', 'MSFT', 'JPM', 'GS'], covAnnual: cov } as const;

  it('L below |net|: names the net target and the gross limit', () => {
    const r = solvePortfolio(k, { ...base, mode: 'minvar', gross: 0.5, net: 0.6 });
    expect(r).toMatchObject({ status: 'infeasible', weights: null, conflict: 'net 60% is outside what gross 50% allows (|net| ≤ gross)' });
    expect(r.volAnnual).toBeNaN();
    const band = solvePortfolio(k, { ...base, mode: 'minvar', gross: 0.5, net: -0.8, netTol: 0.1 });
    expect(band.conflict).toBe('net -90% to -70% is outside what gross 50% allows (|net| ≤ gross)');
  });

  it('all bounds zero', () => {
    const zero = Object.fromEntries(base.tickers.map((t) => [t, { lower: 0, upper: 0 }]));
    const r = solvePortfolio(k, { ...base, mode: 'minvar', gross: 2, net: 0.1, bounds: zero });
    expect(r.conflict).toBe('all bounds are zero: every weight is held at 0, so net 10% cannot be met');
    // With net 0 the only point is w = 0, and it is the answer.
    const ok = solvePortfolio(k, { ...base, mode: 'minvar', gross: 2, net: 0, bounds: zero });
    expect(ok.status).toBe('optimal');
    expect(Array.from(ok.weights!)).toEqual([0, 0, 0, 0]);
  });

  it('bounds that leave no room for the net target name the bounded tickers', () => {
    const r = solvePortfolio(k, {
      ...base,
      mode: 'minvar',
      gross: 2,
      net: 0.6,
      bounds: { AAPL: { upper: 0.2 }, MSFT: { upper: 0.2 }, JPM: { upper: 0 }, GS: { upper: 0 } },
    });
    expect(r.conflict).toBe('the bounds on AAPL, MSFT, JPM and GS leave no room for net ≥ 60%: the most they allow is 40%');
  });

  it('bounds that force more gross than the limit', () => {
    const r = solvePortfolio(k, { ...base, mode: 'meanvar', gross: 0.5, net: 0, netTol: 1, bounds: { AAPL: { lower: 0.3 }, JPM: { upper: -0.3 } } });
    expect(r.conflict).toBe('the bounds force a gross of at least 60% (AAPL and JPM), above the gross limit 50%');
  });

  it('net beyond what is left of the gross once bounds take their share', () => {
    const r = solvePortfolio(k, { ...base, mode: 'minvar', gross: 1, net: 0.9, bounds: { JPM: { upper: -0.2 } } });
    expect(r.conflict).toBe('net 90% is outside what gross 100% allows once the bounds take 20% of it: net can reach 60%');
  });

  it('signed: no shorts means net = gross', () => {
    const r = solvePortfolio(k, { ...base, mode: 'signed', gross: 1, net: 0, sides: { AAPL: 'long', MSFT: 'long' } });
    expect(r.conflict).toBe('signed with gross exactly 100% gives net (longs minus shorts) between 100% and 100%, outside the net band 0%');
    expect(r.warnings).toEqual(['signed holds JPM and GS at 0: no side was given for them']);
    // A side given as `flat` is the user's choice: only the unnamed asset is mentioned.
    const chosen = solvePortfolio(k, { ...base, mode: 'signed', gross: 1, net: 0, sides: { AAPL: 'long', MSFT: 'long', JPM: 'flat' } });
    expect(chosen.warnings).toEqual(['signed holds GS at 0: no side was given for them']);
  });

  it('signed: bounds that cannot absorb the gross', () => {
    const r = solvePortfolio(k, { ...base, mode: 'signed', gross: 2, net: 0, netTol: 2, sides: { AAPL: 'long', JPM: 'short' }, bounds: { AAPL: { upper: 0.5 }, JPM: { lower: -0.5 } } });
    expect(r.conflict).toBe('signed needs gross exactly 200%, but the sides and bounds allow only 0% to 100% (capped by the bounds on AAPL and JPM)');
    const floor = solvePortfolio(k, { ...base, mode: 'signed', gross: 0.5, net: 0, netTol: 1, sides: { AAPL: 'long', JPM: 'short', GS: 'short' }, bounds: { AAPL: { lower: 0.4 }, JPM: { upper: -0.3 } } });
    expect(floor.conflict).toBe('signed needs gross exactly 50%, but the sides and bounds allow only 70% to 150% (held up by the bounds on AAPL and JPM)');
    const flat = solvePortfolio(k, { ...base, mode: 'signed', gross: 1, net: 0, sides: { AAPL: 'flat' } });
    expect(flat.conflict).toBe('signed has no side to deploy gross 100% in: every asset is flat');
  });

  it('signed without sides is bad input', () => {
    expect(() => solvePortfolio(k, { ...base, mode: 'signed', gross: 1, net: 0 })).toThrow(/no side was given: pass a book \(--book\)/);
  });

  it('findConflict answers without solving', () => {
    expect(findConflict({ ...base, mode: 'minvar', gross: 0.5, net: 0.6 })).toBe('net 60% is outside what gross 50% allows (|net| ≤ gross)');
    expect(findConflict({ ...base, mode: 'minvar', gross: 1, net: 0.6 })).toBeNull();
  });

  it('a singular Σ (rank 2 for 4 assets) still solves, repaired and said so', () => {
    const f = [
      [0.2, 0.1],
      [0.15, -0.05],
      [0.1, 0.2],
      [0.3, 0.0],
    ];
    const singular = Float64Array.from({ length: 16 }, (_, x) => {
      const i = Math.floor(x / 4);
      const j = x % 4;
      return f[i][0] * f[j][0] + f[i][1] * f[j][1];
    });
    const p: PortfolioProblem = { tickers: [...base.tickers], covAnnual: singular, mode: 'minvar', gross: 2, net: 1 };
    const r = solvePortfolio(k, p);
    expect(r.status).toBe('optimal');
    expect(r.warnings.join(' ')).toMatch(/the covariance is singular: \S+ moves as a combination of other assets .* one optimum is reported/);
    expect(violation(p as OracleProblem, r.weights!)).toBeLessThanOrEqual(1e-9);
    // Optimal for the singular Σ itself (the problem is convex, so KKT is enough), to the repair's size.
    expect(kktViolation(p as OracleProblem, r.weights!)).toBeLessThan(1e-7);
    expect(() => solvePortfolioTs(p)).toThrow(AstraError);
  });

  it('two perfectly correlated assets: one optimum, near the true minimum, with the warning', () => {
    // B's returns are exactly 2 × A's; C is independent.
    const a = 0.04;
    const c = 0.09;
    const cov = Float64Array.from([a, 2 * a, 0, 2 * a, 4 * a, 0, 0, 0, c]);
    const p: PortfolioProblem = { tickers: ['A', 'B', 'C'], covAnnual: cov, mode: 'minvar', gross: 1, net: 1 };
    const r = solvePortfolio(k, p);
    expect(r.status).toBe('optimal');
    expect(r.warnings.some((w) => w.includes('the covariance is singular'))).toBe(true);
    // With gross = net = 1 everything is long: the exposure e = wA + 2·wB to the A factor and wC
    // minimise a·e² + c·wC²; B gives more exposure per unit of gross, but at gross = net they cost
    // the same variance per exposure: the optimum value is min over e of a·e² + c·(1 − e/…)…
    // Check against a brute-force scan of the feasible set instead.
    let best = Infinity;
    for (let x = 0; x <= 1000; x++) {
      for (let y = 0; x + y <= 1000; y++) {
        const w = [x / 1000, y / 1000, (1000 - x - y) / 1000];
        best = Math.min(best, objective(p as OracleProblem, w));
      }
    }
    expect(objective(p as OracleProblem, r.weights!)).toBeLessThanOrEqual(best + 1e-12);
    expect(violation(p as OracleProblem, r.weights!)).toBeLessThanOrEqual(1e-9);
  });

  it('a gross limit of 0 leaves only w = 0', () => {
    const r = solvePortfolio(k, { ...base, mode: 'meanvar', gross: 0, net: 0, expectedReturn: [0.1, 0.2, 0.1, 0.1] });
    expect(r.status).toBe('optimal');
    expect(Array.from(r.weights!)).toEqual([0, 0, 0, 0]);
  });

  it('an iteration limit too small is max_iter, with no weights', () => {
    const p = randomProblem(40, 77, 'meanvar');
    const r = solvePortfolio(k, { ...p, maxIter: 1 });
    expect(r).toMatchObject({ status: 'max_iter', weights: null, binding: [] });
    expect(r.kktResidual).toBeNaN();
  });

  it('bad input throws, naming the input', () => {
    const p = { ...base, mode: 'minvar' as const, gross: 1, net: 0 };
    expect(() => solvePortfolio(k, { ...p, covAnnual: [1, 2, 3] })).toThrow('matrix of 3 values is not 4×4 (expected 16)');
    const nan = Float64Array.from(cov);
    nan[6] = NaN;
    expect(() => solvePortfolio(k, { ...p, covAnnual: nan })).toThrow('annual covariance has a non-finite value at row 2, column 3');
    const asym = Float64Array.from(cov);
    asym[1] += 0.01;
    expect(() => solvePortfolio(k, { ...p, covAnnual: asym })).toThrow(/the covariance is not symmetric: MSFT,AAPL is 0\.\d+ but AAPL,MSFT is 0\.\d+/);
    expect(() => solvePortfolio(k, { ...p, gross: -1 })).toThrow('gross limit must be a finite number ≥ 0, got -1');
    expect(() => solvePortfolio(k, { ...p, gamma: 0 })).toThrow('gamma must be a positive finite number, got 0');
    expect(() => solvePortfolio(k, { ...p, bounds: { TSLA: { upper: 1 } } })).toThrow('the bounds names TSLA, which is not in the universe (tickers: AAPL, MSFT, JPM, GS)');
    expect(() => solvePortfolio(k, { ...p, bounds: { AAPL: { lower: 0.3, upper: 0.1 } } })).toThrow('bounds on AAPL: the lower bound 30% is above the upper bound 10%');
    expect(() => solvePortfolio(k, { ...p, carry: { rfr: 0.03, borrowBps: -1 } })).toThrow('borrow fee must be a non-negative number of basis points, got -1');
  });
});

describe('binding constraints', () => {
  it('names gross, the net band edge, user bounds and sides', () => {
    const cov = factorCov(5, 3);
    const tickers = ['AAPL', 'MSFT', 'GOOGL', 'JPM', 'GS'];
    const r = solvePortfolio(k, {
      tickers,
      covAnnual: cov,
      mode: 'meanvar',
      gross: 1,
      net: 0,
      netTol: 0.1,
      gamma: 0.5,
      expectedReturn: [0.3, 0.25, 0.2, -0.2, -0.25],
      bounds: { AAPL: { upper: 0.2 } },
    });
    expect(r.status).toBe('optimal');
    expect(r.binding).toContain('gross');
    expect(r.binding).toContain('bound:AAPL:upper');
    expect(r.weights![0]).toBeCloseTo(0.2, 14);
    const s = solvePortfolio(k, {
      tickers,
      covAnnual: cov,
      mode: 'signed',
      gross: 1,
      net: 0,
      netTol: 1,
      sides: { AAPL: 'long', MSFT: 'long', GOOGL: 'long', JPM: 'short', GS: 'short' },
    });
    expect(s.status).toBe('optimal');
    expect(s.binding[0]).toBe('gross');
    // Any asset the signed optimum leaves at zero is named as a binding side.
    tickers.forEach((t, i) => expect(s.binding.includes(`side:${t}`)).toBe(s.weights![i] === 0));
  });
});

describe('warm start', () => {
  it('gives the cold answer after a change of L, γ, net or bounds', () => {
    for (const [n, seed] of [
      [6, 1],
      [50, 2],
      [120, 3],
    ] as const) {
      const p = randomProblem(n, seed, 'meanvar');
      const first = solvePortfolio(k, p);
      const changes: Partial<PortfolioProblem>[] = [{ gross: p.gross * 0.97 }, { gross: p.gross * 1.05 }, { gamma: p.gamma! * 1.3 }, { net: p.net + 0.02 }, { bounds: { A0: { upper: 0.01 } } }];
      for (const change of changes) {
        const q = { ...p, ...change };
        const cold = solvePortfolio(k, q);
        const warm = solvePortfolio(k, q, first.warm);
        expect(warm.status).toBe(cold.status);
        for (let i = 0; i < n; i++) expect(warm.weights![i]).toBeCloseTo(cold.weights![i], 10);
        expect(warm.binding).toEqual(cold.binding);
      }
      // A warm start for another universe is ignored, not misapplied.
      const bare = { ...p, current: undefined, turnoverBps: undefined };
      const renamed = solvePortfolio(k, { ...bare, tickers: p.tickers.map((t) => `${t}x`), bounds: undefined }, first.warm);
      expect(renamed.weights).toEqual(solvePortfolio(k, { ...bare, bounds: undefined }).weights);
    }
  });
});
