import { describe, expect, it } from 'vitest';
import { quantileSorted, tailRisk } from './quantile.ts';

describe('quantiles as numpy computes them (linear)', () => {
  it('interpolates between order statistics (worked by hand)', () => {
    const x = [1, 2, 3, 4, 5];
    expect(quantileSorted(x, 0)).toBe(1);
    expect(quantileSorted(x, 1)).toBe(5);
    expect(quantileSorted(x, 0.5)).toBe(3);
    expect(quantileSorted(x, 0.1)).toBeCloseTo(1.4, 15); // h = 0.4
    expect(quantileSorted([10, 20], 0.25)).toBe(12.5);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('gives VaR = −quantile and ES = −mean of the tail at or below it', () => {
    // 100 P&Ls −1 … −100 shuffled: the 1% quantile is h = 0.99 between −100 and −99 → −99.01.
    const pnl = Array.from({ length: 100 }, (_, i) => -(((i * 37) % 100) + 1));
    const r = tailRisk(pnl, 0.99);
    expect(r.quantile).toBeCloseTo(-99.01, 12);
    expect(r.var).toBeCloseTo(99.01, 12);
    expect(r.es).toBe(100); // only −100 is at or below −99.01
    expect(r.tailCount).toBe(1);
    const r95 = tailRisk(pnl, 0.95); // h = 4.95 → −96 + 0.95·(−95 − −96)= −95.05; tail: −100…−96
    expect(r95.var).toBeCloseTo(95.05, 12);
    expect(r95.es).toBe(98);
  });
});
