/**
 * Exchange-local time of an instant, for any IANA zone, from the platform's time-zone database
 * (`Intl.DateTimeFormat`): no zone rules are written here, so DST dates are whatever the browser
 * or Node knows. Pure functions; the same code runs in the workers, in Node and in the tests.
 */
import { MS_PER_DAY } from '../units.ts';

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

/** Whether `zone` is an IANA zone the platform knows (`America/New_York` yes, `EST5` or `Mars/Base` no). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock formatter `zoneOffsetMinutes` reads (build it once per zone). Throws `RangeError` for an unknown zone. */
export function zoneFormatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * Offset of `zone` from UTC at the instant `ms` (epoch milliseconds), in minutes: −300 for New
 * York in winter, −240 in summer, +60 for Paris in winter. Throws `RangeError` for an unknown zone.
 */
export function zoneOffsetMinutes(zone: string, ms: number, fmt: Intl.DateTimeFormat = zoneFormatter(zone)): number {
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  // Whole minutes: the wall clock drops the instant's milliseconds.
  return Math.round((wall - (ms - (((ms % 1000) + 1000) % 1000))) / MS_PER_MINUTE);
}

/** An instant as the exchange's clock shows it. */
export interface LocalTime {
  /** Minutes after local midnight (0–1439). */
  minute: number;
  /** Day of the week, 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Local calendar date, ISO `YYYY-MM-DD`. */
  date: string;
}

/**
 * A converter from instants to `zone`'s local time. Offsets are looked up once per UTC hour and
 * cached (zone rules change offsets on the hour in every zone with equities), so a month of
 * minute bars costs a few hundred `Intl` calls, not tens of thousands.
 * @throws RangeError for a zone the platform does not know.
 */
export function localClock(zone: string): (ms: number) => LocalTime {
  const fmt = zoneFormatter(zone);
  const offsets = new Map<number, number>();
  return (ms) => {
    const hour = Math.floor(ms / MS_PER_HOUR);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = zoneOffsetMinutes(zone, hour * MS_PER_HOUR, fmt);
      offsets.set(hour, offset);
    }
    const local = ms + offset * MS_PER_MINUTE;
    const dayStart = Math.floor(local / MS_PER_DAY) * MS_PER_DAY;
    const day = new Date(dayStart);
    return {
      minute: Math.floor((local - dayStart) / MS_PER_MINUTE),
      weekday: day.getUTCDay(),
      date: day.toISOString().slice(0, 10),
    };
  };
}
