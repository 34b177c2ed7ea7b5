import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Trade } from '../workers/protocol.ts';
import {
  bandLines,
  barTimes,
  chartPlan,
  eventsOfTick,
  eventsOfTrades,
  offsetMinutes,
  pointsIn,
  sessionSpans,
  tradeMarkers,
  type TradeEvent,
} from './alpha-chart.ts';

const colours = { long: 'L', short: 'S', exit: 'E', blocked: 'B' };

function trade(side: 'long' | 'short', entryBar: number, exitBar: number): Trade {
  return {
    side, entryBar, exitBar, betaEntry: 1, zEntry: 0, zExit: 0, bars: exitBar - entryBar, pnl: 0, costs: 0, pnlAfterCosts: 0, exitReason: 'signal',
  };
}

describe('the minute axis', () => {
  it('labels each bar with the wall-clock time it was stamped with, in its own offset', () => {
    const { times, labels } = barTimes(['2026-11-20T09:30:00-05:00', '2026-11-20T09:31:00-05:00']);
    // 09:30 New York (EST) is 14:30 UTC; read as UTC it is 09:30 of that date.
    expect(times[0]).toBe(Date.UTC(2026, 10, 20, 9, 30) / 1000);
    expect(times[1] - times[0]).toBe(60);
    expect(labels[0]).toBe('2026-11-20 09:30');
    expect(offsetMinutes('2026-10-12T15:59:00-04:00')).toBe(-240);
    expect(offsetMinutes('2026-10-12T15:59:00+05:30')).toBe(330);
    expect(offsetMinutes('2026-10-12T15:59:00Z')).toBe(0);
    expect(offsetMinutes('2026-10-12T15:59:00.000Z')).toBe(0);
  });

  it('keeps times strictly increasing across a change of offset between sessions (EDT → EST)', () => {
    const { times } = barTimes(['2026-10-30T15:59:00-04:00', '2026-11-02T09:30:00-05:00']);
    expect(times[1]).toBeGreaterThan(times[0]);
    expect(times[1]).toBe(Date.UTC(2026, 10, 2, 9, 30) / 1000);
  });

  it('falls back to UTC instants when wall-clock times would not increase', () => {
    // 10:00+02:00 is 08:00Z, before 09:30Z; as wall-clock times 10:00 → 09:30 would go backwards.
    const ts = ['2026-11-20T10:00:00+02:00', '2026-11-20T09:30:00Z'];
    const { times } = barTimes(ts);
    expect(Array.from(times)).toEqual(ts.map((t) => Date.parse(t) / 1000));
  });

  it('writes a missing value as a gap, never a zero', () => {
    expect(pointsIn([10, 20, 30, 40], [1, Number.NaN, Infinity, 0], 0, 4)).toEqual([{ time: 10, value: 1 }, { time: 20 }, { time: 30 }, { time: 40, value: 0 }]);
    expect(pointsIn([10, 20, 30], [1, 2, 3], 1, 3)).toEqual([{ time: 20, value: 2 }, { time: 30, value: 3 }]);
  });

  it('splits bars into sessions at each change of the written date', () => {
    expect(sessionSpans(['2026-11-19T15:59:00-05:00', '2026-11-20T09:30:00-05:00', '2026-11-20T09:31:00-05:00'])).toEqual([
      { date: '2026-11-19', from: 0, to: 1 },
      { date: '2026-11-20', from: 1, to: 3 },
    ]);
    expect(sessionSpans([])).toEqual([]);
  });
});

describe('the chart plan', () => {
  const a = {};
  const b = {};
  it('appends what a replay added, sets all data for anything else', () => {
    expect(chartPlan(null, { source: a, from: 0, end: 5 })).toEqual({ kind: 'set' });
    expect(chartPlan({ source: a, from: 0, end: 5 }, { source: a, from: 0, end: 7 })).toEqual({ kind: 'append', from: 5, to: 7 });
    expect(chartPlan({ source: a, from: 0, end: 5 }, { source: a, from: 0, end: 5 })).toEqual({ kind: 'none' });
    expect(chartPlan({ source: a, from: 0, end: 5 }, { source: b, from: 0, end: 7 })).toEqual({ kind: 'set' });
    expect(chartPlan({ source: a, from: 0, end: 5 }, { source: a, from: 1, end: 7 })).toEqual({ kind: 'set' });
    expect(chartPlan({ source: a, from: 0, end: 5 }, { source: a, from: 0, end: 3 })).toEqual({ kind: 'set' });
  });

  it('makes appended points equal to setting the whole range at once (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, min: -10, max: 10 }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 60 }), fc.array(fc.nat(5), { maxLength: 20 }), (values, steps) => {
        const times = values.map((_, i) => 100 + i * 60);
        const source = {};
        let shown: { source: object; from: number; end: number } | null = null;
        let drawn: unknown[] = [];
        let end = 0;
        for (const step of [...steps, values.length]) {
          end = Math.min(values.length, end + step);
          const next = { source, from: 0, end };
          const plan = chartPlan(shown, next);
          if (plan.kind === 'set') drawn = pointsIn(times, values, 0, end);
          else if (plan.kind === 'append') drawn.push(...pointsIn(times, values, plan.from, plan.to));
          shown = next;
        }
        expect(drawn).toEqual(pointsIn(times, values, 0, values.length));
      }),
    );
  });
});

describe('bands and markers', () => {
  it('draws ±entry solid and ±exit dashed, one line at 0 when the exit is 0', () => {
    expect(bandLines(2, 0.5).map((l) => [l.price, l.kind, l.title])).toEqual([
      [2, 'entry', '+2'], [0.5, 'exit', '+0.5'], [-0.5, 'exit', '−0.5'], [-2, 'entry', '−2'],
    ]);
    expect(bandLines(1.5, 0).map((l) => l.price)).toEqual([1.5, 0, -1.5]);
  });

  it('marks entries by side and exits, in time order, a flip as an exit then an entry at one bar', () => {
    const events = eventsOfTrades([trade('short', 5, 9), trade('long', 9, 12), trade('long', 1, 3)]);
    expect(events).toEqual([
      { bar: 1, kind: 'long' }, { bar: 3, kind: 'exit' }, { bar: 5, kind: 'short' }, { bar: 9, kind: 'exit' }, { bar: 9, kind: 'long' }, { bar: 12, kind: 'exit' },
    ]);
    const times = Array.from({ length: 20 }, (_, i) => 1000 + 60 * i);
    const markers = tradeMarkers(events, times, colours);
    expect(markers.map((m) => [m.time, m.shape, m.position, m.color])).toEqual([
      [1060, 'arrowUp', 'belowBar', 'L'],
      [1180, 'circle', 'inBar', 'E'],
      [1300, 'arrowDown', 'aboveBar', 'S'],
      [1540, 'circle', 'inBar', 'E'],
      [1540, 'arrowUp', 'belowBar', 'L'],
      [1720, 'circle', 'inBar', 'E'],
    ]);
    // Only the bars shown get markers.
    expect(tradeMarkers(events, times, colours, 4, 10).map((m) => m.time)).toEqual([1300, 1540, 1540]);
  });

  it('reads a live tick’s events from the position before it', () => {
    expect(eventsOfTick(0, { bar: 7, signal: 1, blocked: false })).toEqual([{ bar: 7, kind: 'long' }]);
    expect(eventsOfTick(1, { bar: 7, signal: 0, blocked: false })).toEqual([{ bar: 7, kind: 'exit' }]);
    expect(eventsOfTick(1, { bar: 7, signal: -1, blocked: false })).toEqual([{ bar: 7, kind: 'exit' }, { bar: 7, kind: 'short' }]);
    expect(eventsOfTick(0, { bar: 7, signal: 0, blocked: true })).toEqual([{ bar: 7, kind: 'blocked' }]);
    expect(eventsOfTick(-1, { bar: 7, signal: -1, blocked: false })).toEqual([]);
  });

  it('gives the same markers from live ticks as from the closed trades (property)', () => {
    // Random position paths: the events read tick by tick equal those of the round trips they make.
    fc.assert(
      fc.property(fc.array(fc.constantFrom(-1, 0, 1) as fc.Arbitrary<-1 | 0 | 1>, { minLength: 1, maxLength: 80 }), (path) => {
        const signals = [...path, 0 as const]; // flat at the end, so every trade closes
        const live: TradeEvent[] = [];
        const trades: Trade[] = [];
        let prev: -1 | 0 | 1 = 0;
        let open: { side: 'long' | 'short'; bar: number } | null = null;
        signals.forEach((signal, bar) => {
          live.push(...eventsOfTick(prev, { bar, signal, blocked: false }));
          if (prev !== 0 && signal !== prev && open) {
            trades.push(trade(open.side, open.bar, bar));
            open = null;
          }
          if (signal !== 0 && signal !== prev) open = { side: signal > 0 ? 'long' : 'short', bar };
          prev = signal;
        });
        expect(live).toEqual(eventsOfTrades(trades));
      }),
    );
  });
});
