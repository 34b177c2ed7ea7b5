/**
 * Formats instants as ISO 8601 with the exchange's own UTC offset at that
 * instant (DST-aware via Intl), e.g. `2025-03-03T09:30:00-05:00`, so that
 * consumers see exchange-local wall-clock time without a timezone database.
 */

import { zoneFormatter, zoneOffsetMinutes } from '../engine/market/exchange-time.ts';

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** Returns a cached formatter for an IANA zone, or null if the zone is unknown to ICU. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = zoneFormatter(timeZone);
    } catch {
      f = null; // RangeError: unknown zone; callers fall back to a fixed offset.
    }
    // Zone names come from Yahoo; bound the memo so odd names cannot grow it forever.
    if (formatters.size > 256) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * UTC offset in minutes of `timeZone` at `epochMs`, or null if the zone is unknown.
 */
export function offsetMinutes(epochMs: number, timeZone: string): number | null {
  const f = formatterFor(timeZone);
  return f ? zoneOffsetMinutes(timeZone, epochMs, f) : null;
}

function formatWithOffset(epochSec: number, off: number): string {
  const local = new Date(epochSec * 1000 + off * 60_000).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Longest span over which equal offsets at both ends prove a constant offset in
 * between: no zone changes its offset twice within 30 days, so an equal pair
 * less than that apart cannot straddle a transition and its reversal.
 */
const SAME_OFFSET_SPAN_SEC = 30 * 86_400;

/**
 * Stamps an ascending series of epoch seconds like {@link isoWithOffset}, but
 * asks ICU only at the ends of spans (bisecting where offsets differ) instead
 * of once per bar: a week of 1-minute bars costs a handful of ICU calls, not
 * thousands. Unsorted input falls back to one ICU call per element.
 */
export function stampSeries(epochs: readonly number[], timeZone: string, fallbackOffsetSec: number): string[] {
  const n = epochs.length;
  const out: string[] = new Array(n);
  const offs: Array<number | undefined> = new Array(n);
  const fallback = Math.round(fallbackOffsetSec / 60);
  const off = (i: number): number => (offs[i] ??= offsetMinutes(epochs[i] * 1000, timeZone) ?? fallback);
  const fill = (lo: number, hi: number): void => {
    // Invariant: offs[lo] and offs[hi] are known; fill lo..hi inclusive.
    const a = off(lo);
    if (a === off(hi) && epochs[hi] - epochs[lo] < SAME_OFFSET_SPAN_SEC) {
      for (let i = lo; i <= hi; i++) offs[i] = a;
      return;
    }
    if (hi - lo <= 1) return;
    const mid = (lo + hi) >> 1;
    fill(lo, mid);
    fill(mid, hi);
  };
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = epochs[i - 1] <= epochs[i];
  // Bisection needs ascending input (the span test says nothing about elements outside [lo, hi] in time).
  if (n > 0 && sorted) fill(0, n - 1);
  for (let i = 0; i < n; i++) out[i] = formatWithOffset(epochs[i], off(i));
  return out;
}

/**
 * Formats epoch seconds as ISO 8601 in the exchange's offset. `fallbackOffsetSec`
 * (Yahoo's `gmtoffset`) is used only when ICU does not know `timeZone`.
 */
export function isoWithOffset(epochSec: number, timeZone: string, fallbackOffsetSec: number): string {
  const off = offsetMinutes(epochSec * 1000, timeZone) ?? Math.round(fallbackOffsetSec / 60);
  return formatWithOffset(epochSec, off);
}
