/**
 * Shared checks for the samplers' tests (imported by tests only): a sample's first four moments
 * against N(0, 1), each within 4 of its standard errors.
 */
import { expect } from 'vitest';

/** Expect mean 0, variance 1, skewness 0 and kurtosis 3 within 4 standard errors of a sample of z.length. */
export function expectStandardNormalMoments(z: Float64Array): void {
  const n = z.length;
  let m1 = 0;
  for (const v of z) m1 += v;
  m1 /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const v of z) {
    const d = v - m1;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  expect(Math.abs(m1)).toBeLessThan(4 / Math.sqrt(n));
  expect(Math.abs(m2 - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  expect(Math.abs(m3 / n / m2 ** 1.5)).toBeLessThan(4 * Math.sqrt(6 / n));
  expect(Math.abs(m4 / n / (m2 * m2) - 3)).toBeLessThan(4 * Math.sqrt(24 / n));
}
