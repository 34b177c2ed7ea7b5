import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_GAMMA, DEFAULT_GROSS } from '../../engine/portfolio/problem.ts';
import { GAMMA_RULE, GROSS_LIMIT_RULE, NET_TARGET_PERCENT_RULE } from './input-rules.ts';
import {
  GAMMA_SLIDER_STEPS,
  INVENTORY_SLOT,
  compactBounds,
  defaultInventorySettings,
  gammaAt,
  gammaPosition,
  pctText,
  readBound,
} from './inventory-settings.ts';
import { readSlot } from './storage.ts';

describe('inventory settings', () => {
  it("default to the CLI's gross 2×, net 0 and γ 1, in signed mode (minvar at net 0 is the empty book)", () => {
    const d = defaultInventorySettings();
    expect([d.mode, d.gross, d.net, d.gamma]).toEqual(['signed', DEFAULT_GROSS, 0, DEFAULT_GAMMA]);
  });

  it('have slider ranges as the issue asks: gross 0.5×–5×, net −50%…+50%', () => {
    expect([GROSS_LIMIT_RULE.min, GROSS_LIMIT_RULE.max]).toEqual([0.5, 5]);
    expect([NET_TARGET_PERCENT_RULE.min, NET_TARGET_PERCENT_RULE.max]).toEqual([-50, 50]);
  });
});

describe('the γ slider (log scale)', () => {
  it('spans the rule: position 0 is the minimum, the last the maximum, each decade 100 steps', () => {
    expect(gammaAt(0)).toBe(GAMMA_RULE.min);
    expect(gammaAt(GAMMA_SLIDER_STEPS)).toBe(GAMMA_RULE.max);
    // 0.01 · 10^(p/100): position 200 is 1, 300 is 10, 250 is √10 = 3.16 (3 significant digits).
    expect(gammaAt(200)).toBe(1);
    expect(gammaAt(300)).toBe(10);
    expect(gammaAt(250)).toBe(3.16);
    expect(gammaAt(-5)).toBe(GAMMA_RULE.min);
    expect(gammaAt(9999)).toBe(GAMMA_RULE.max);
  });

  it('is logarithmic: equal steps multiply γ by the same factor', () => {
    const ratio = gammaAt(101) / gammaAt(100);
    expect(gammaAt(401) / gammaAt(400)).toBeCloseTo(ratio, 2);
    expect(ratio).toBeCloseTo(10 ** 0.01, 2);
  });

  it('maps a position to γ and back to the same position', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: GAMMA_SLIDER_STEPS }), (p) => gammaPosition(gammaAt(p)) === p));
  });

  it('puts a typed γ at the nearest step, clamped', () => {
    expect(gammaPosition(1)).toBe(200);
    expect(gammaPosition(3.2)).toBe(251); // log10(3.2) = 0.505
    expect(gammaPosition(1e-9)).toBe(0);
    expect(gammaPosition(1e9)).toBe(GAMMA_SLIDER_STEPS);
    expect(gammaPosition(0)).toBe(0);
  });
});

describe('per-asset bounds', () => {
  it('read percent text as fractions, and empty text clears the side', () => {
    expect(readBound('-10', 'AAPL', 'lower', undefined)).toEqual({ ok: true, value: { lower: -0.1, upper: null } });
    expect(readBound('25%', 'AAPL', 'upper', { lower: -0.1, upper: null })).toEqual({ ok: true, value: { lower: -0.1, upper: 0.25 } });
    expect(readBound(' ', 'AAPL', 'lower', { lower: -0.1, upper: 0.25 })).toEqual({ ok: true, value: { lower: null, upper: 0.25 } });
    // 12.3% is 0.123 as typed, not 0.12300000000000001.
    expect(readBound('12.3', 'MS', 'upper', undefined)).toEqual({ ok: true, value: { lower: null, upper: 0.123 } });
  });

  it('refuse bad text and out-of-range values, naming the ticker and the side', () => {
    expect(readBound('abc', 'GS', 'upper', undefined)).toEqual({ ok: false, error: 'upper bound of GS must be a number, got "abc"' });
    expect(readBound('900', 'GS', 'upper', undefined)).toEqual({ ok: false, error: 'upper bound of GS must be between −500% and 500%, got 900' });
  });

  it('refuse a lower bound above the upper bound, naming both', () => {
    expect(readBound('30', 'JPM', 'lower', { lower: null, upper: 0.2 })).toEqual({
      ok: false,
      error: 'lower bound of JPM (30%) must not be above its upper bound (20%)',
    });
    expect(readBound('20', 'JPM', 'lower', { lower: null, upper: 0.2 }).ok).toBe(true);
  });

  it('drop tickers with both sides cleared', () => {
    expect(compactBounds({ A: { lower: null, upper: null }, B: { lower: 0, upper: null } })).toEqual({ B: { lower: 0, upper: null } });
  });

  it('write percentages with a true minus and no float noise', () => {
    expect(pctText(-0.1)).toBe('−10%');
    expect(pctText(0.125)).toBe('12.5%');
    expect(pctText(0.1 + 0.2)).toBe('30%');
    expect(pctText(0)).toBe('0%');
  });
});

describe('the astra.inventory.v1 slot', () => {
  const read = (data: unknown) => readSlot(INVENTORY_SLOT, JSON.stringify(data));

  it('reads back what it stores', () => {
    const s = { ...defaultInventorySettings(), mode: 'meanvar' as const, gross: 3.5, net: -0.25, gamma: 12.6, carry: true, turnoverBps: 15, bounds: { AAPL: { lower: -0.1, upper: 0.3 } } };
    const { value, warnings } = read({ version: 1, ...s });
    expect(value).toEqual(s);
    expect(warnings).toEqual([]);
  });

  it('replaces each bad field by its default alone, naming it', () => {
    const { value, warnings } = read({ version: 1, mode: 'max-sharpe', gross: 9, net: -0.25, gamma: 0, carry: 'yes', turnoverBps: 5, bounds: { AAPL: { lower: 0.5, upper: 0.1 }, 'bad ticker': { lower: 0, upper: null }, MS: { lower: null, upper: 0.2 } } });
    const d = defaultInventorySettings();
    expect(value).toEqual({ ...d, net: -0.25, turnoverBps: 5, bounds: { MS: { lower: null, upper: 0.2 } } });
    expect(warnings).toEqual([
      'gross 9 was replaced by 2',
      'gamma 0 was replaced by 1',
      'mode "max-sharpe" was replaced by signed',
      'carry "yes" was replaced by false',
      'the bounds of "AAPL" were dropped (not a valid {lower, upper})',
      'the bounds of "bad ticker" were dropped (not a valid {lower, upper})',
    ]);
  });

  it('refuses a record of another version or shape as a whole', () => {
    expect(() => read({ version: 2 })).toThrow('unknown version 2');
    expect(() => read([1])).toThrow('it is not an object');
  });
});
