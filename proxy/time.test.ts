import { describe, expect, it } from 'vitest';
import { isoWithOffset, offsetMinutes } from './time.ts';

const sec = (iso: string) => Date.parse(iso) / 1000;

describe('isoWithOffset', () => {
  it('uses the offset in force at each instant (New York across DST)', () => {
    expect(isoWithOffset(sec('2025-03-07T14:30:00Z'), 'America/New_York', -18000)).toBe('2025-03-07T09:30:00-05:00');
    expect(isoWithOffset(sec('2025-03-10T13:30:00Z'), 'America/New_York', -18000)).toBe('2025-03-10T09:30:00-04:00');
  });
  it('handles positive, zero and half-hour offsets', () => {
    expect(isoWithOffset(sec('2025-03-03T00:00:00Z'), 'Asia/Tokyo', 32400)).toBe('2025-03-03T09:00:00+09:00');
    expect(isoWithOffset(sec('2025-01-02T08:00:00Z'), 'Europe/London', 0)).toBe('2025-01-02T08:00:00+00:00');
    expect(isoWithOffset(sec('2025-01-02T04:00:00Z'), 'Asia/Kolkata', 19800)).toBe('2025-01-02T09:30:00+05:30');
  });
  it("falls back to Yahoo's gmtoffset for a zone ICU does not know", () => {
    expect(offsetMinutes(0, 'Not/AZone')).toBeNull();
    expect(isoWithOffset(sec('2025-01-02T14:30:00Z'), 'Not/AZone', -18000)).toBe('2025-01-02T09:30:00-05:00');
  });
});
