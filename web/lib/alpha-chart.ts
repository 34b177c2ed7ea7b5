/**
 * The Alpha module's chart data, apart from the chart wiring: the minute-bar time axis in the
 * exchange's wall-clock time, per-bar points with gaps as whitespace, the z chart's bands and
 * trade markers, and the plan that lets a chart append the bars a replay delivers (`update`)
 * instead of setting all its data again. Pure: no DOM, no chart library.
 */
import { sessionIds } from '../../engine/pairs/sessions.ts';
import type { PairTick, Trade } from '../workers/protocol.ts';

/**
 * The chart time of each bar: seconds since the epoch of the bar's wall-clock time in its own
 * offset, read as UTC. lightweight-charts shows times in UTC, so a bar stamped
 * `2026-11-20T09:31:00-05:00` is labelled 09:31, the time the exchange printed, not 14:31.
 * Also the label `2026-11-20 09:31` of each bar (the range line above the chart).
 *
 * Wall-clock times repeat or go back only across a change of offset inside a session, which a
 * regular session never has; should they not increase, the UTC instants are used instead (the
 * chart needs strictly increasing times).
 */
export function barTimes(timestamps: readonly string[]): { times: Float64Array; labels: string[] } {
  const n = timestamps.length;
  const times = new Float64Array(n);
  const labels = new Array<string>(n);
  let increasing = true;
  for (let i = 0; i < n; i++) {
    const ts = timestamps[i];
    const utc = Date.parse(ts);
    times[i] = utc / 1000 + offsetMinutes(ts) * 60;
    labels[i] = `${ts.slice(0, 10)} ${ts.slice(11, 16)}`;
    if (i > 0 && !(times[i] > times[i - 1])) increasing = false;
  }
  if (!increasing) for (let i = 0; i < n; i++) times[i] = Date.parse(timestamps[i]) / 1000;
  return { times, labels };
}

/** The UTC offset an ISO 8601 time is written in, minutes (`Z` and no offset are 0). */
export function offsetMinutes(iso: string): number {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(iso.slice(19));
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** A point of a line series on the minute axis, or a whitespace point (a gap). */
export type MinutePoint = { time: number; value: number } | { time: number };

/** The point of bar `i`: `{time, value}` when finite, `{time}` (a gap, never a 0) otherwise. */
export function pointAt(times: ArrayLike<number>, values: ArrayLike<number>, i: number): MinutePoint {
  const v = values[i];
  return Number.isFinite(v) ? { time: times[i], value: v } : { time: times[i] };
}

/** Points of bars [from, to), gaps as whitespace. */
export function pointsIn(times: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number): MinutePoint[] {
  const out = new Array<MinutePoint>(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = pointAt(times, values, i);
  return out;
}

/** What a chart shows: bars [from, end) of the arrays behind `source`. */
export interface ShownRange {
  /** Identity of the data: the same source with a later `end` means bars were only appended. */
  source: object;
  from: number;
  end: number;
}

/** How a chart moves from what it shows to what it should show. */
export type ChartPlan = { kind: 'none' } | { kind: 'set' } | { kind: 'append'; from: number; to: number };

/**
 * `append` (series `update` for bars [from, to)) when `next` only adds bars to what `shown` holds
 * from the same source; `none` when nothing changed; `set` (all data again) otherwise — a new
 * run, a new pair, or a replay restarted at an earlier bar.
 */
export function chartPlan(shown: ShownRange | null, next: ShownRange): ChartPlan {
  if (!shown || shown.source !== next.source || shown.from !== next.from || next.end < shown.end) return { kind: 'set' };
  if (next.end === shown.end) return { kind: 'none' };
  return { kind: 'append', from: shown.end, to: next.end };
}

/** A horizontal band of the z chart. */
export interface BandLine {
  price: number;
  title: string;
  /** `entry` lines are drawn solid, `exit` lines dashed. */
  kind: 'entry' | 'exit';
}

/**
 * The z chart's bands: ±entry (a trade opens beyond them) and ±exit (it closes inside them),
 * from the top down. With exit 0 the two exit lines are one line at 0.
 */
export function bandLines(entry: number, exit: number): BandLine[] {
  const lines: BandLine[] = [
    { price: entry, title: `+${entry}`, kind: 'entry' },
    { price: exit, title: exit === 0 ? '0' : `+${exit}`, kind: 'exit' },
  ];
  if (exit !== 0) lines.push({ price: -exit, title: `−${exit}`, kind: 'exit' });
  lines.push({ price: -entry, title: `−${entry}`, kind: 'entry' });
  return lines;
}

/** Something that happened to the position at a bar's close. */
export interface TradeEvent {
  bar: number;
  /** `long`/`short`: a trade opened on that side; `exit`: one closed; `blocked`: an entry the risk halt refused. */
  kind: 'long' | 'short' | 'exit' | 'blocked';
}

/** The entries and exits of closed round trips, in bar order (an exit before an entry at the same bar: a flip). */
export function eventsOfTrades(trades: readonly Trade[]): TradeEvent[] {
  const events: TradeEvent[] = [];
  for (const t of trades) {
    events.push({ bar: t.entryBar, kind: t.side });
    events.push({ bar: t.exitBar, kind: 'exit' });
  }
  return events.sort((a, b) => a.bar - b.bar || order(a) - order(b));
}

const order = (e: TradeEvent) => (e.kind === 'exit' ? 0 : e.kind === 'blocked' ? 2 : 1);

/**
 * What one live bar did, from the position before it (`previous`) and the tick: an exit when a
 * position closed (or flipped), an entry when one opened, `blocked` when the halt refused one.
 */
export function eventsOfTick(previous: -1 | 0 | 1, tick: Pick<PairTick, 'bar' | 'signal' | 'blocked'>): TradeEvent[] {
  const events: TradeEvent[] = [];
  if (previous !== 0 && tick.signal !== previous) events.push({ bar: tick.bar, kind: 'exit' });
  if (tick.signal !== 0 && tick.signal !== previous) events.push({ bar: tick.bar, kind: tick.signal > 0 ? 'long' : 'short' });
  if (tick.blocked) events.push({ bar: tick.bar, kind: 'blocked' });
  return events;
}

/** A marker as lightweight-charts takes it (`createSeriesMarkers`). */
export interface Marker {
  time: number;
  position: 'aboveBar' | 'belowBar' | 'inBar';
  shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square';
  color: string;
  text?: string;
  size?: number;
}

/** Colours of the markers. */
export interface MarkerColours {
  long: string;
  short: string;
  exit: string;
  blocked: string;
}

/**
 * The z chart's markers for `events` at the bars' `times`: a long entry (z below −entry) an arrow
 * up under the line, a short entry an arrow down above it, an exit a dot, a refused entry a square
 * marked "halted". In time order, as the chart requires; events outside [from, end) are left out.
 */
export function tradeMarkers(events: readonly TradeEvent[], times: ArrayLike<number>, colours: MarkerColours, from = 0, end = times.length): Marker[] {
  const out: Marker[] = [];
  for (const e of events) {
    if (e.bar < from || e.bar >= end) continue;
    const time = times[e.bar];
    if (e.kind === 'long') out.push({ time, position: 'belowBar', shape: 'arrowUp', color: colours.long, size: 0.8 });
    else if (e.kind === 'short') out.push({ time, position: 'aboveBar', shape: 'arrowDown', color: colours.short, size: 0.8 });
    else if (e.kind === 'exit') out.push({ time, position: 'inBar', shape: 'circle', color: colours.exit, size: 0.5 });
    else out.push({ time, position: 'inBar', shape: 'square', color: colours.blocked, size: 0.7, text: 'halted' });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The sessions of a bar table: first bar and bar count of each date, in order. */
export interface SessionSpan {
  date: string;
  from: number;
  /** One past the session's last bar. */
  to: number;
}

/**
 * The sessions of a bar table with their first and last bars, by the engine's own rule
 * (`sessionIds`: the date written in each timestamp, the exchange's date), so the replay ends a
 * session at the bar where the batch backtest goes flat.
 */
export function sessionSpans(timestamps: readonly string[]): SessionSpan[] {
  const ids = sessionIds(timestamps);
  const out: SessionSpan[] = [];
  for (let i = 0; i < ids.length; i++) {
    const last = out[out.length - 1];
    if (last && ids[i] === ids[i - 1]) last.to = i + 1;
    else out.push({ date: timestamps[i].slice(0, 10), from: i, to: i + 1 });
  }
  return out;
}
