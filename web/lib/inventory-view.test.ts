import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FrontierPoint } from '../../engine/portfolio/types.ts';
import { fmt } from './format.ts';
import { bindingList, bindingText, bookWithTarget, frontierGeometry, frontierXY, tradeText, weightDomain, weightRows } from './inventory-view.ts';

describe('binding constraints in words', () => {
  const problem = {
    mode: 'minvar' as const,
    gross: 2,
    net: -0.1,
    netTol: 0.05,
    bounds: { AAPL: { upper: 0.25 }, JPM: { lower: -0.125 } },
    sides: { GS: 'short' as const, MSFT: 'long' as const, C: 'flat' as const },
  };

  it('names each kind of constraint with its value', () => {
    expect(bindingText('gross', problem)).toBe('gross limit 2× fully used');
    expect(bindingText('gross', { ...problem, mode: 'signed', gross: 1.5 })).toBe('gross held at the limit 1.5×');
    expect(bindingText('net', { ...problem, netTol: 0 })).toBe('net held at its target −10%');
    expect(bindingText('net:lower', problem)).toBe('net at the bottom of its band −15%');
    expect(bindingText('net:upper', problem)).toBe('net at the top of its band −5%');
    expect(bindingText('bound:AAPL:upper', problem)).toBe('AAPL at its upper bound 25%');
    expect(bindingText('bound:JPM:lower', problem)).toBe('JPM at its lower bound −12.5%');
    expect(bindingText('side:GS', problem)).toBe('GS held at 0% by its fixed side (short only)');
    expect(bindingText('side:MSFT', problem)).toBe('MSFT held at 0% by its fixed side (long only)');
  });

  it('keeps tickers with dots and dashes whole, and passes unknown names through', () => {
    expect(bindingText('bound:BRK-B:upper', { ...problem, bounds: { 'BRK-B': { upper: 0.1 } } })).toBe('BRK-B at its upper bound 10%');
    expect(bindingText('bound:BF.B:lower', problem)).toBe('BF.B at its lower bound');
    expect(bindingText('sector:tech', problem)).toBe('sector:tech');
  });

  it('lists them in the engine’s order', () => {
    expect(bindingList(['gross', 'net'], { ...problem, netTol: 0 })).toEqual(['gross limit 2× fully used', 'net held at its target −10%']);
    expect(bindingList([], problem)).toEqual([]);
  });
});

describe('weight bars', () => {
  it('pair current and optimal weights per ticker, NaN where there is no optimum', () => {
    expect(weightRows(['A', 'B'], [0.5, -0.2], [0.1, 0.3])).toEqual([
      { ticker: 'A', current: 0.5, optimal: 0.1 },
      { ticker: 'B', current: -0.2, optimal: 0.3 },
    ]);
    expect(weightRows(['A'], [0.5], null)[0].optimal).toBeNaN();
  });

  it('use a symmetric axis of at least ±10% that holds every bar', () => {
    expect(weightDomain(weightRows(['A', 'B'], [0.02, -0.01], [0.03, 0]))).toEqual([-0.1, 0.1]);
    expect(weightDomain(weightRows(['A', 'B'], [0.5, -1.2], null))).toEqual([-1.2, 1.2]);
  });
});

describe('the frontier', () => {
  const box = { width: 400, height: 200, left: 40, right: 10, top: 10, bottom: 30 };
  const point = (gross: number, vol: number, ok = true): FrontierPoint => ({
    gross, status: ok ? 'optimal' : 'infeasible', volAnnual: ok ? vol : NaN, expectedReturn: ok ? 0 : NaN, weights: ok ? new Float64Array(1) : null, iterations: 1,
  });

  it('plots vol against expected return across γ, and vol against gross across the gross limit', () => {
    expect(frontierXY('gamma', { volAnnual: 0.2, expectedReturn: 0.05, gross: 2 })).toEqual({ x: 0.2, y: 0.05 });
    expect(frontierXY('gross', { volAnnual: 0.2, expectedReturn: 0.05, gross: 2 })).toEqual({ x: 2, y: 0.2 });
  });

  it('breaks the line at a point without weights (a gap, not a zero) and counts it', () => {
    const g = frontierGeometry([point(1, 0.1), point(2, 0.2), point(3, NaN, false), point(4, 0.4), point(5, 0.5)], 'gross', { current: null, optimum: null }, box);
    expect(g.path.match(/M/g)).toHaveLength(2);
    expect(g.path.match(/L/g)).toHaveLength(2);
    expect(g.dots).toHaveLength(4);
    expect(g.missing).toBe(1);
  });

  it('keeps every point and both markers inside the plot box, the optimum on the curve when it is a frontier point', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0.5, max: 5, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true })), { minLength: 2, maxLength: 30 }),
        fc.tuple(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })),
        (pts, [cx, cy]) => {
          const points = pts.map(([gx, v]) => point(gx, v));
          const g = frontierGeometry(points, 'gross', { current: { x: cx, y: cy }, optimum: { x: pts[0][0], y: pts[0][1] } }, box);
          const inside = (p: { cx: number; cy: number }) => p.cx >= box.left - 1e-9 && p.cx <= box.width - box.right + 1e-9 && p.cy >= box.top - 1e-9 && p.cy <= box.height - box.bottom + 1e-9;
          return g.dots.every(inside) && inside(g.current!) && inside(g.optimum!) && Math.abs(g.optimum!.cx - g.dots[0].cx) < 1e-9 && Math.abs(g.optimum!.cy - g.dots[0].cy) < 1e-9;
        },
      ),
    );
  });

  it('keeps the markers inside when the values span almost nothing (a denormal gap once made the scale infinite)', () => {
    const g = frontierGeometry([point(0.5, 0), point(0.5, 0)], 'gross', { current: { x: 0, y: 5e-324 }, optimum: { x: 0.5, y: 0 } }, box);
    for (const p of [...g.dots, g.current!, g.optimum!]) {
      expect(Number.isFinite(p.cx) && Number.isFinite(p.cy)).toBe(true);
      expect(p.cy).toBeGreaterThanOrEqual(box.top);
      expect(p.cy).toBeLessThanOrEqual(box.height - box.bottom);
    }
  });

  it('has no optimum marker when there is no optimum', () => {
    const g = frontierGeometry([point(1, 0.1), point(2, 0.2)], 'gross', { current: { x: 1.5, y: 0.15 }, optimum: null }, box);
    expect(g.optimum).toBeNull();
    expect(g.current).not.toBeNull();
  });
});

describe('the rebalance', () => {
  it('says buy or sell with whole shares, and a dash for no trade', () => {
    expect(tradeText(1200, fmt.count)).toBe('buy 1,200');
    expect(tradeText(-300, fmt.count)).toBe('sell 300');
    expect(tradeText(0, fmt.count)).toBe('—');
    expect(tradeText(NaN, fmt.count)).toBe('—');
  });

  it('applies a target: held tickers keep their place, closed ones leave, new ones follow, outside tickers stay', () => {
    const book = [
      { ticker: 'AAPL', shares: 10, price: 200 },
      { ticker: 'ZZZZ', shares: 5, price: 1 },
      { ticker: 'MSFT', shares: -4, price: 400 },
      { ticker: 'GS', shares: 3, price: 900 },
    ];
    const target = [
      { ticker: 'AAPL', shares: 12, price: 201 },
      { ticker: 'MSFT', shares: 0, price: 401 },
      { ticker: 'GS', shares: -2, price: 901 },
      { ticker: 'C', shares: 7, price: 100 },
    ];
    expect(bookWithTarget(book, ['AAPL', 'MSFT', 'GS', 'C'], target)).toEqual([
      { ticker: 'AAPL', shares: 12, price: 201 },
      { ticker: 'ZZZZ', shares: 5, price: 1 },
      { ticker: 'GS', shares: -2, price: 901 },
      { ticker: 'C', shares: 7, price: 100 },
    ]);
  });
});
