import { describe, expect, it } from 'vitest';
import { BUDGETS, formatReport, measureBundle, overBudget } from '../scripts/check-bundle-size.js';
import { ROOT } from './harness.ts';

describe('bundle size', () => {
  it('keeps the built JavaScript within the gzip budget', () => {
    const measured = measureBundle(`${ROOT}dist`);
    console.log(formatReport(measured));
    expect(measured.files.some((f) => f.name.includes('engine.worker'))).toBe(true);
    expect(overBudget(measured, BUDGETS)).toEqual([]);
  });
});
