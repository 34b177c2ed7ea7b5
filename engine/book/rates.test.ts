import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RFR, discountYieldProblem, irxToRate, rateToIrx, rfrFromPrices } from './rates.ts';
import { AstraError } from '../errors.ts';

describe('irxToRate', () => {
  it('converts a 5% discount yield on a 91-day bill (hand: 0.05 / (1 − 0.05·91/360))', () => {
    expect(irxToRate(5)).toBeCloseTo(0.050640033760022, 14);
  });

  it('uses the days argument (182-day bill: 0.05 / (1 − 0.05·182/360))', () => {
    expect(irxToRate(5, 182)).toBeCloseTo(0.051296665716728, 14);
  });

  it('gives the demo RFR 3.60% from a 3.5675354276% ^IRX quote', () => {
    expect(irxToRate(3.5675354276087)).toBeCloseTo(0.036, 12);
    expect(DEFAULT_RFR).toBe(0.036);
  });

  it('keeps a missing quote missing', () => {
    expect(irxToRate(NaN)).toBeNaN();
    expect(rateToIrx(NaN)).toBeNaN();
  });

  it('rejects impossible quotes and maturities', () => {
    expect(() => irxToRate(400)).toThrow(AstraError);
    expect(() => irxToRate(Infinity)).toThrow(/discount yield/);
    expect(() => irxToRate(5, 0)).toThrow(/days to maturity/);
    expect(() => rateToIrx(-5)).toThrow(/money-market rate/);
    expect(discountYieldProblem(400)).toBe('below 395.604 for a 91-day bill');
    for (const ok of [NaN, -1, 0, 5, 395.6]) expect(discountYieldProblem(ok)).toBeUndefined();
  });

  it('rateToIrx inverts irxToRate, and the money-market rate exceeds a positive discount yield', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 20, noNaN: true }), fc.integer({ min: 1, max: 364 }), (percent, days) => {
        const rate = irxToRate(percent, days);
        expect(rateToIrx(rate, days)).toBeCloseTo(percent, 9);
        if (percent > 1e-6) expect(rate).toBeGreaterThan(percent / 100);
      }),
    );
  });
});

describe('rfrFromPrices', () => {
  const prices = {
    dates: ['2024-01-02', '2024-01-03', '2024-01-04'],
    tickers: ['AAPL', '^IRX'],
    closes: [new Float64Array([1, 2, 3]), new Float64Array([3.4, 3.5, NaN])],
  };

  it('converts the last non-missing ^IRX quote and says when it was', () => {
    const obs = rfrFromPrices(prices);
    expect(obs).toMatchObject({ quotePercent: 3.5, date: '2024-01-03', symbol: '^IRX' });
    expect(obs?.rate).toBeCloseTo(0.035312416798621, 14);
  });

  it('names the column and date of an impossible last quote in a table not read from a file', () => {
    const bad = { ...prices, closes: [prices.closes[0], new Float64Array([3.4, 400, NaN])] };
    expect(() => rfrFromPrices(bad)).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', where: { ticker: '^IRX', date: '2024-01-03' }, message: expect.stringMatching(/column \^IRX, 2024-01-03: .*below 395\.604/) }),
    );
  });

  it('is undefined without a usable ^IRX column', () => {
    expect(rfrFromPrices({ ...prices, tickers: ['AAPL', 'X'] })).toBeUndefined();
    expect(rfrFromPrices({ ...prices, closes: [prices.closes[0], new Float64Array([NaN, NaN, NaN])] })).toBeUndefined();
  });
});
