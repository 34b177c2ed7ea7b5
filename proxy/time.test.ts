import { describe, expect, it } from 'vitest';
import { isoWithOffset, offsetMinutes, stampSeries } from './time.ts';

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

describe('stampSeries', () => {
  function lcg(seed: number) {
    let x = seed >>> 0;
    return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  }
  it.each(['America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Tokyo', 'Australia/Lord_Howe'])(
    'matches per-bar stamping in %s across DST changes (minute, hourly and daily series)',
    (tz) => {
      const rnd = lcg(tz.length);
      for (const [start, step, n] of [
        [sec('2024-03-01T00:00:00Z'), 60, 20_000], // 1m bars across March transitions
        [sec('2024-09-20T00:00:00Z'), 3600, 2_000], // hourly across Sep/Oct/Nov transitions
        [sec('2020-01-02T00:00:00Z'), 86400, 1_500], // daily over four years
      ]) {
        const epochs: number[] = [];
        let t = start;
        for (let i = 0; i < n; i++) {
          epochs.push(t);
          t += step * (1 + Math.floor(rnd() * 3)); // gaps, like weekends and halts
        }
        const fast = stampSeries(epochs, tz, 0);
        const slow = epochs.map((e) => isoWithOffset(e, tz, 0));
        expect(fast).toEqual(slow);
      }
    },
  );
  it('handles empty, single and unsorted input', () => {
    expect(stampSeries([], 'America/New_York', 0)).toEqual([]);
    const e = [sec('2025-07-01T13:30:00Z'), sec('2025-01-02T14:30:00Z')];
    expect(stampSeries(e, 'America/New_York', 0)).toEqual(['2025-07-01T09:30:00-04:00', '2025-01-02T09:30:00-05:00']);
    // Ends ten seconds apart with a far-away middle: must not be treated as one span.
    const w = [sec('2025-01-02T14:30:00Z'), sec('2025-07-01T13:30:00Z'), sec('2025-01-02T14:30:10Z')];
    expect(stampSeries(w, 'America/New_York', 0)[1]).toBe('2025-07-01T09:30:00-04:00');
  });
});
