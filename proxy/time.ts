/**
 * Formats instants as ISO 8601 with the exchange's own UTC offset at that
 * instant (DST-aware via Intl), e.g. `2025-03-03T09:30:00-05:00`, so that
 * consumers see exchange-local wall-clock time without a timezone database.
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** Returns a cached formatter for an IANA zone, or null if the zone is unknown to ICU. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
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
  if (!f) return null;
  const whole = Math.floor(epochMs / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(whole))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - whole) / 60_000);
}

/**
 * Formats epoch seconds as ISO 8601 in the exchange's offset. `fallbackOffsetSec`
 * (Yahoo's `gmtoffset`) is used only when ICU does not know `timeZone`.
 */
export function isoWithOffset(epochSec: number, timeZone: string, fallbackOffsetSec: number): string {
  const ms = epochSec * 1000;
  const off = offsetMinutes(ms, timeZone) ?? Math.round(fallbackOffsetSec / 60);
  const local = new Date(ms + off * 60_000).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}
