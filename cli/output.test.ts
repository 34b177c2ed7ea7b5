import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonChunks, writeJson, writeText } from './output.ts';

function collect(write: (w: (t: string) => void) => void): string[] {
  const pieces: string[] = [];
  write((t) => pieces.push(t));
  return pieces;
}

describe('jsonChunks', () => {
  it('joins to exactly JSON.stringify, for any JSON-like value', () => {
    const long = (item: fc.Arbitrary<unknown>) => fc.array(item, { minLength: 1020, maxLength: 1100 });
    const value = fc.oneof(
      fc.anything({ withNullPrototype: true, withBoxedValues: true, withDate: true, withSparseArray: true, maxDepth: 3 }),
      fc.record({ a: long(fc.oneof(fc.double(), fc.constant(undefined), fc.string(), fc.anything({ maxDepth: 1 }))), b: fc.constant(undefined), c: fc.constant(NaN) }),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect([...jsonChunks(v)].join('')).toBe(String(JSON.stringify(v)));
      }),
      { numRuns: 200 },
    );
    // A matrix of long rows streams row by row; holes and undefined elements become null.
    const matrix: unknown[] = Array.from({ length: 1100 }, (_, i) => Array.from({ length: 1100 }, (_, j) => (i === j ? NaN : i - j)));
    matrix[5] = undefined;
    delete matrix[6];
    expect([...jsonChunks({ matrix, f: () => 1 })].join('')).toBe(JSON.stringify({ matrix, f: () => 1 }));
  });

  it('writes a long array in many pieces rather than one string', () => {
    const positions = Array.from({ length: 10_000 }, (_, i) => ({ ticker: `T${i}`, daily: i / 3, rate: NaN }));
    const pieces = [...jsonChunks({ positions, total: 1 })];
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200_000);
    expect(pieces.join('')).toBe(JSON.stringify({ positions, total: 1 }));
  });
});

describe('writeJson', () => {
  it('writes one line that JSON reads back, with the controls JSON.stringify leaves raw escaped', () => {
    const value = { ticker: 'A\u009b2J\u2028\u202e', list: Array.from({ length: 5000 }, (_, i) => `x\u0085${i}`) };
    const pieces = collect((w) => writeJson(value, w));
    const text = pieces.join('');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('writeText', () => {
  it('takes a string, a function making a string, or a function making chunks', () => {
    expect(collect((w) => writeText('a\n', w)).join('')).toBe('a\n');
    expect(collect((w) => writeText(() => 'b\n', w)).join('')).toBe('b\n');
    const chunks = collect((w) =>
      writeText(function* () {
        for (let i = 0; i < 100_000; i++) yield `line ${i}\n`;
      }, w),
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('').split('\n')).toHaveLength(100_001);
  });
});
