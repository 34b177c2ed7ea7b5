import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeFunding } from './funding.ts';
import { HAND_DEMO_BOOK } from '../test-fixtures.ts';

describe('computeFunding on the demo book at RFR 3.60% (figures worked by hand)', () => {
  const f = computeFunding(HAND_DEMO_BOOK, 1_000_000, { rfr: 0.036, rfrSource: 'default' });

  it('quotes longs at RFR + 50 bp and shorts at RFR − 25 bp − 40 bp', () => {
    expect(f.longRate).toBeCloseTo(0.041, 15);
    expect(f.shortRate).toBeCloseTo(0.0295, 15);
    expect(f.positions.map((p) => p.rate)).toEqual([f.longRate, f.longRate, f.shortRate, f.shortRate, f.shortRate]);
    expect(f.positions[2].borrowBps).toBe(40);
    expect(f.positions[0].borrowBps).toBeNaN();
  });

  it('accrues −notional × rate / 360 per day and × 365 per year', () => {
    // AAPL −415,530×0.041/360; MSFT −416,000×0.041/360; JPM 381,864×0.0295/360; GS 457,070×0.0295/360; MS 180,740×0.0295/360
    const daily = [-47.32425, -47.377777777778, 31.291633333333, 37.454347222222, 14.810638888889];
    const annual = [-17273.35125, -17292.888888888889, 11421.446166666667, 13670.836736111111, 5405.883194444444];
    f.positions.forEach((p, i) => {
      expect(p.daily).toBeCloseTo(daily[i], 9);
      expect(p.annual).toBeCloseTo(annual[i], 7);
    });
  });

  it('totals the carry and derives the hurdle rate', () => {
    // (−831,530×0.041 + 1,019,674×0.0295)/360 = −4,012.347/360
    expect(f.totalDaily).toBeCloseTo(-11.145408333333, 9);
    expect(f.totalAnnual).toBeCloseTo(-4068.074041666667, 7);
    expect(f.hurdleRate).toBeCloseTo(0.004068074041667, 12);
    expect(f).toMatchObject({ rfr: 0.036, rfrSource: 'default', equity: 1_000_000, dayCount: 'ACT/360' });
    expect(f.gross).toBeCloseTo(1_851_204, 6);
    expect(f.net).toBeCloseTo(-188_144, 6);
    expect(f.leverage).toBeCloseTo(1.851204, 12);
  });
});

describe('computeFunding options', () => {
  it('charges a hard-to-borrow fee per ticker: GME at 2,500 bp makes the short pay', () => {
    const f = computeFunding([{ ticker: 'GME', shares: -100, price: 20 }], 100_000, {
      rfr: 0.036,
      borrowOverrides: { GME: 2500 },
    });
    // rate = 0.036 − 0.0025 − 0.25 = −0.2165; daily = −(−2,000)(−0.2165)/360 = −433/360
    expect(f.positions[0].rate).toBeCloseTo(-0.2165, 15);
    expect(f.positions[0].daily).toBeCloseTo(-1.202777777778, 11);
    expect(f.hurdleRate).toBeCloseTo((433 / 360) * 365 / 100_000, 14);
    expect(f.rfrSource).toBe('override');
  });

  it('uses custom spreads and fees', () => {
    const f = computeFunding([{ ticker: 'A', shares: 10, price: 36 }, { ticker: 'B', shares: -10, price: 36 }], 1000, {
      rfr: 0.05,
      longSpreadBps: 100,
      shortSpreadBps: 0,
      borrowBps: 0,
    });
    // long pays 6% on 360: −360×0.06/360 = −0.06; short receives 5%: 360×0.05/360 = 0.05
    expect(f.positions[0].daily).toBeCloseTo(-0.06, 14);
    expect(f.positions[1].daily).toBeCloseTo(0.05, 14);
    expect(f.totalDaily).toBeCloseTo(-0.01, 14);
  });

  it('gives a flat line no rate and no carry', () => {
    const f = computeFunding([{ ticker: 'A', shares: 0, price: 10 }], 1000, { rfr: 0.03 });
    expect(f.positions[0].rate).toBeNaN();
    expect(f.positions[0].daily).toBe(0);
    expect(f.totalDaily).toBe(0);
  });

  it('rejects a non-finite RFR, negative spreads and missing prices', () => {
    const book = [{ ticker: 'A', shares: 1, price: 1 }];
    expect(() => computeFunding(book, 1, { rfr: NaN })).toThrow(/risk-free rate/);
    expect(() => computeFunding(book, 1, { rfr: 0.03, longSpreadBps: -1 })).toThrow(/long spread/);
    expect(() => computeFunding(book, 1, { rfr: 0.03, borrowOverrides: { A: NaN } })).toThrow(/borrow fee of A/);
    expect(() => computeFunding(book, 1, { rfr: 0.03, borrowOverrides: { 'A\u001b[2J': NaN } })).toThrow('borrow fee of "A\\u001b[2J"');
    expect(() => computeFunding([{ ticker: 'A', shares: 1, price: NaN }], 1, { rfr: 0.03 })).toThrow(
      expect.objectContaining({ code: 'MISSING_PRICE' }),
    );
  });

  it('sums lines to totals, scales linearly in shares and makes long carry a cost when rates are positive', () => {
    const position = fc.record({ shares: fc.integer({ min: -1e5, max: 1e5 }), price: fc.double({ min: 1, max: 1e3, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(position, { minLength: 1, maxLength: 12 }), fc.double({ min: 0, max: 0.2, noNaN: true }), (rows, rfr) => {
        const book = rows.map((r, i) => ({ ticker: `T${i}`, ...r }));
        const f = computeFunding(book, 1e6, { rfr });
        const doubled = computeFunding(book.map((p) => ({ ...p, shares: 2 * p.shares })), 1e6, { rfr });
        const sum = f.positions.reduce((a, p) => a + p.daily, 0);
        const tol = 1e-9 * (1 + Math.abs(f.gross));
        expect(Math.abs(f.totalDaily - sum)).toBeLessThanOrEqual(tol);
        expect(Math.abs(doubled.totalDaily - 2 * f.totalDaily)).toBeLessThanOrEqual(2 * tol);
        expect(f.totalAnnual).toBeCloseTo(f.totalDaily * 365, 9);
        for (const p of f.positions) if (p.side === 'long') expect(p.daily).toBeLessThan(0);
      }),
    );
  });
});
