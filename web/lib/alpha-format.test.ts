import { describe, expect, it } from 'vitest';
import { ANNUALISATION, SMALL_SAMPLE_TRADES } from '../../engine/pairs/backtest.ts';
import { BARS_PER_SESSION, TRADING_DAYS_PER_YEAR } from '../../engine/units.ts';
import { SMALL_SAMPLE_MARK, annualisationText, bpText, halfLifeText, pValueText, sci, sharpeText, smallSampleNote, speedText } from './alpha-format.ts';
import { fmt, makeFormat } from './format.ts';

describe('the Sharpe as shown', () => {
  it('is never bare: always with its standard error, marked under 30 round trips', () => {
    expect(sharpeText(15.04, 6.71, 5, true, fmt)).toEqual({
      text: '15.04 ± 6.71',
      mark: SMALL_SAMPLE_MARK,
      title: 'Sharpe 15.04, standard error 6.71, from 5 round trips: too few to mean much',
    });
    expect(sharpeText(-1.6353, 2.9518, 357, false, fmt)).toEqual({
      text: '−1.64 ± 2.95',
      mark: '',
      title: 'Sharpe −1.64, standard error 2.95, from 357 round trips',
    });
    expect(sharpeText(1, 0.5, 1, true, fmt).title).toMatch(/from 1 round trip:/);
  });

  it('says why when there is no Sharpe (no trade: the bar returns do not vary)', () => {
    expect(sharpeText(Number.NaN, Number.NaN, 0, true, fmt)).toEqual({ text: '—', mark: SMALL_SAMPLE_MARK, title: 'Sharpe undefined: the bar returns do not vary (0 round trips)' });
  });

  it('follows the negative style and never writes −0', () => {
    expect(sharpeText(-0.001, 0.5, 40, false, makeFormat('parentheses')).text).toBe('0.00 ± 0.50');
    expect(sharpeText(-2.5, 0.5, 40, false, makeFormat('parentheses')).text).toBe('(2.50) ± 0.50');
  });

  it('explains the mark once, with the engine’s threshold', () => {
    expect(SMALL_SAMPLE_TRADES).toBe(30);
    expect(smallSampleNote(5, true, SMALL_SAMPLE_TRADES, fmt)).toBe(
      '† 5 round trips, fewer than 30: too few for the Sharpe ratio to mean much. Read it with its standard error (±, Lo 2002): a 95% interval is about ± 2 of them.',
    );
    expect(smallSampleNote(357, false, SMALL_SAMPLE_TRADES, fmt)).toBeNull();
  });

  it('states its annualisation: × √(252 × 390)', () => {
    expect(annualisationText(ANNUALISATION.barsPerYear, ANNUALISATION.factor, TRADING_DAYS_PER_YEAR, BARS_PER_SESSION, fmt)).toBe(
      'annualised: per-bar Sharpe × √98,280 (252 days × 390 one-minute bars) ≈ × 313.5',
    );
  });
});

describe('δ, Vₑ and speed', () => {
  it('write δ and Vₑ in scientific notation with three digits', () => {
    expect(sci(7.214708352684589e-8, fmt)).toBe('7.21e-8');
    expect(sci(2.087849428099216e-5, fmt)).toBe('2.09e-5');
    expect(sci(1e-4, fmt)).toBe('1.00e-4');
    expect(sci(12.5, fmt)).toBe('1.25e1');
    expect(sci(-3e-3, fmt)).toBe('−3.00e-3');
    expect(sci(-3e-3, makeFormat('parentheses'))).toBe('(3.00e-3)');
    expect(sci(Number.NaN, fmt)).toBe('—');
  });

  it('write the speed as a multiple', () => {
    expect(speedText(1, fmt)).toBe('1×');
    expect(speedText(1000, fmt)).toBe('1,000×');
  });
});

describe('scan and trade figures', () => {
  it('write p-values with three decimals, scientific below 0.001', () => {
    expect(pValueText(0.0496, fmt)).toBe('0.050');
    expect(pValueText(3.43e-20, fmt)).toBe('3.43e-20');
    expect(pValueText(0.001, fmt)).toBe('0.001');
    expect(pValueText(0, fmt)).toBe('0.000');
    expect(pValueText(Number.NaN, fmt)).toBe('—');
  });

  it('write a half-life that never comes as ∞', () => {
    expect(halfLifeText(33.74, fmt)).toBe('33.7');
    expect(halfLifeText(Infinity, fmt)).toBe('∞');
  });

  it('write a trade’s return in basis points', () => {
    expect(bpText(0.000003803516858468611, fmt)).toBe('0.04');
    expect(bpText(-0.0012, fmt)).toBe('−12.00');
  });
});
