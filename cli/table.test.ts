import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bps,
  count,
  fixedForTest,
  formatPairs,
  formatTable,
  intlFixedForTest,
  MAX_CELL_WIDTH,
  money,
  percent,
  printable,
  tableChunks,
  times,
} from './table.ts';

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

describe('large and hostile tables', () => {
  it('lays out 300,000 rows (a spread Math.max overflowed the stack above about 125,000)', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`T${i}`, String(i)]);
    const text = formatTable([{ header: 'Ticker' }, { header: 'N', align: 'right' }], rows);
    const lines = text.split('\n');
    expect(lines).toHaveLength(300_003);
    expect(lines[1]).toBe('-------  ------');
    expect(lines[300_001]).toBe('T299999  299999');
    expect([...tableChunks([{ header: 'Ticker' }, { header: 'N', align: 'right' }], rows)].join('')).toBe(text);
  });

  it('escapes control characters in cells and headers instead of sending them to the terminal', () => {
    const text = formatTable([{ header: 'Ti\u001bcker' }, { header: 'N', align: 'right' }], [['AA\u001b[31mPL\r', '1\u009b']]);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('AA\\u001b[31mPL\\r');
    expect(text).toContain('1\\u009b');
    expect(formatPairs([['Book\n', 'x\u001b', 'note\u2028']])).toBe('Book\\n  x\\u001b  note\\u2028\n');
  });

  it('cuts a cell longer than its column allows, so one huge value cannot widen every row', () => {
    const huge = 'Z'.repeat(5_000_000);
    const text = formatTable([{ header: 'Ticker' }, { header: 'N', align: 'right' }], [[huge, '1'], ['A', '2']]);
    const lines = text.split('\n');
    expect(lines[2]).toBe(`${'Z'.repeat(MAX_CELL_WIDTH - 1)}…  1`);
    expect(lines[3]).toBe(`A${' '.repeat(MAX_CELL_WIDTH - 1)}  2`);
    expect(formatTable([{ header: 'L', maxWidth: Infinity }], [['x'.repeat(200)]])).toContain('x'.repeat(200));
    expect(printable('abcdef', 4)).toBe('abc…');
    expect(printable('ab\u001bc', 4)).toBe('ab\\…');
    expect(printable('abc😀', 5)).toBe('abc😀');
    expect(printable('abc😀x', 5)).toBe('abc…');
  });
});

describe('the number formats match Intl.NumberFormat en-US', () => {
  it('for any double and 0 to 8 decimals (the fast path falls back near halves)', () => {
    const same = (x: number, digits: number) => {
      expect(fixedForTest(x, digits)).toBe(intlFixedForTest(x, digits));
    };
    fc.assert(fc.property(fc.double({ noNaN: true }), fc.integer({ min: 0, max: 8 }), same), { numRuns: 20_000 });
    fc.assert(fc.property(fc.double({ min: -1e16, max: 1e16, noNaN: true }), fc.integer({ min: 0, max: 8 }), same), { numRuns: 50_000 });
    // Cents and half-cents, where shortest-text and binary rounding disagree (1.005 → 1.01).
    fc.assert(
      fc.property(fc.integer({ min: -2e9, max: 2e9 }), fc.integer({ min: 0, max: 4 }), (k, digits) => {
        same(k / 10 ** digits, digits);
        same((k + 0.5) / 10 ** digits, digits);
      }),
      { numRuns: 50_000 },
    );
    for (const x of [0, -0, 1.005, -1.005, 0.045, 999.995, 2.5, -2.5, 1e-7, 1e15, 1e21, 5e-324, Infinity, -Infinity]) {
      for (let digits = 0; digits <= 4; digits++) same(x, digits);
    }
  });
});
