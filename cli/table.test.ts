import { describe, expect, it } from 'vitest';
import { bps, count, formatPairs, formatTable, money, percent, times } from './table.ts';

describe('formatTable', () => {
  it('pads labels left and numbers right under a dashed rule', () => {
    const text = formatTable(
      [{ header: 'Ticker' }, { header: 'Daily', align: 'right' }],
      [
        ['AAPL', '-47.32'],
        ['GS', '137.45'],
      ],
    );
    expect(text).toBe('Ticker   Daily\n------  ------\nAAPL    -47.32\nGS      137.45\n');
  });

  it('lines up values in label/value pairs', () => {
    expect(formatPairs([['Gross', '1.00', 'note'], ['Hurdle rate', '10.00']])).toBe('Gross         1.00  note\nHurdle rate  10.00\n');
  });
});

describe('number formats', () => {
  it('formats money, counts, percents, multiples and bp, and shows NaN as a dash', () => {
    expect(money(-4068.074)).toBe('-4,068.07');
    expect(count(-1200)).toBe('-1,200');
    expect(percent(0.0295)).toBe('2.950%');
    expect(percent(-0.101633, 2)).toBe('-10.16%');
    expect(times(1.851204)).toBe('1.85×');
    expect(bps(40)).toBe('40 bp');
    expect(bps(12.5)).toBe('12.50 bp');
    for (const f of [money, count, percent, times, bps]) expect(f(NaN)).toBe('—');
  });
});
