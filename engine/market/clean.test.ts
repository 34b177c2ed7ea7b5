import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SPLIT_LIKE_LOG_RETURN,
  STALE_MIN_DAYS,
  countList,
  dropEmptyRows,
  dropNonPositive,
  findGaps,
  findJumps,
  findStale,
  keepRegularSession,
  missingCloses,
  sessionText,
} from './clean.ts';
import { isKnownZone, localClock, zoneOffsetMinutes } from './exchange-time.ts';
import { alignedReturns } from './returns.ts';
import type { BarTable, PriceTable } from '../types.ts';
import { REGULAR_SESSIONS } from '../units.ts';

const DATES = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10'];

/** A price table on the first `columns[0].length` dates of DATES. */
function table(columns: Record<string, number[]>): PriceTable {
  const tickers = Object.keys(columns);
  const n = columns[tickers[0]].length;
  return { dates: DATES.slice(0, n), tickers, closes: tickers.map((t) => Float64Array.from(columns[t])) };
}

function bars(timestamps: string[], columns: Record<string, number[]>): BarTable {
  return {
    timestamps,
    times: Float64Array.from(timestamps, (t) => Date.parse(t)),
    tickers: Object.keys(columns),
    closes: Object.values(columns).map((c) => Float64Array.from(c)),
  };
}

describe('gaps', () => {
  it('flags the missing dates inside an asset history, not before its first or after its last close, and not in rate series', () => {
    const prices = table({
      A: [1, NaN, 2, NaN, 3, NaN],
      B: [NaN, 1, 1.1, 1.2, 1.3, 1.4],
      '^IRX': [5, NaN, 5, NaN, 5, 5],
    });
    const flags = findGaps(prices);
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ rule: 'gap', ticker: 'A', from: '2024-01-03', to: '2024-01-05', count: 2 });
    expect(flags[0].message).toContain('A has no close on 2 dates inside its history (2024-01-03, 2024-01-05)');
    expect(flags[0].message).toContain('never filled or made a zero return');
  });

  it('lists five dates and counts the rest', () => {
    const prices: PriceTable = {
      dates: Array.from({ length: 12 }, (_, i) => `2024-02-${String(i + 1).padStart(2, '0')}`),
      tickers: ['A'],
      closes: [Float64Array.from([1, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 2])],
    };
    const [flag] = findGaps(prices);
    expect(flag.count).toBe(10);
    expect(flag.message).toContain('(2024-02-02, 2024-02-03, 2024-02-04, 2024-02-05, 2024-02-06 and 5 more)');
  });

  it('never turns a gap into a zero return: the aligned returns skip the gap date and span it', () => {
    const prices = table({ A: [100, NaN, 110, 121], B: [50, 51, 52, 53] });
    expect(findGaps(prices).map((f) => f.from)).toEqual(['2024-01-03']);
    const a = alignedReturns(prices, { lookback: 30 });
    expect(a.dates).toEqual(['2024-01-04', '2024-01-05']);
    // A's first return spans the gap: ln(110/100), never 0 for the missing day.
    expect(a.returns[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(a.returns[2]).toBeCloseTo(Math.log(52 / 50), 15);
    expect(Array.from(a.returns).every((r) => r !== 0)).toBe(true);
  });

  it('flags exactly the NaN cells strictly between the first and last close (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.double({ min: 1, max: 100, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 40 }), (cells) => {
        const closes = Float64Array.from(cells, (c) => (c === null ? NaN : c));
        const dates = cells.map((_, i) => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10));
        const flags = findGaps({ dates, tickers: ['A'], closes: [closes] });
        const observed = cells.flatMap((c, i) => (c === null ? [] : [i]));
        const expected = observed.length < 2 ? 0 : cells.slice(observed[0], observed.at(-1)).filter((c) => c === null).length;
        expect(flags.reduce((n, f) => n + f.count, 0)).toBe(expected);
      }),
    );
  });
});

describe('stale prices', () => {
  it(`flags the same close on ${STALE_MIN_DAYS} or more observed days in a row`, () => {
    const flags = findStale(table({ A: [10, 10, 10, 10, 10, 11] }));
    expect(flags).toEqual([
      expect.objectContaining({ rule: 'stale', ticker: 'A', from: '2024-01-02', to: '2024-01-08', count: 5 }),
    ]);
    expect(flags[0].message).toBe('A closes at 10 on 5 days in a row (2024-01-02 … 2024-01-08): a stale price? Its returns there are 0');
  });

  it('does not flag four days, and a different close ends a run', () => {
    expect(findStale(table({ A: [10, 10, 10, 10, 11, 11, 11] }))).toEqual([]);
    expect(findStale(table({ A: [10, 10, 10, 10, 10.000001, 10, 10] }))).toEqual([]);
  });

  it('lets missing days neither break nor extend a run, and finds each run', () => {
    const flags = findStale(table({ A: [10, 10, NaN, 10, 10, 10, 12] }));
    expect(flags).toEqual([expect.objectContaining({ from: '2024-01-02', to: '2024-01-09', count: 5 })]);
    const two = findStale({ dates: [...DATES, '2024-01-11', '2024-01-12', '2024-01-16', '2024-01-17'], tickers: ['A'], closes: [Float64Array.from([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3])] });
    expect(two.map((f) => [f.from, f.to, f.count])).toEqual([
      ['2024-01-02', '2024-01-08', 5],
      ['2024-01-09', '2024-01-16', 5],
    ]);
  });

  it('leaves rate series alone (a bill yield can sit still for weeks)', () => {
    expect(findStale(table({ '^IRX': [0.01, 0.01, 0.01, 0.01, 0.01, 0.01] }))).toEqual([]);
  });
});

describe('split-like jumps', () => {
  it('flags |log return| above ln 1.8 either way, and not at or below it', () => {
    expect(SPLIT_LIKE_LOG_RETURN).toBe(Math.log(1.8));
    const flags = findJumps(table({ UP: [100, 100, 210], EDGE: [100, 180, 100], DOWN: [100, 50, 50], NEAR: [100, 56, 100] }));
    expect(flags.map((f) => [f.rule, f.ticker, f.from, f.to])).toEqual([
      ['jump', 'UP', '2024-01-03', '2024-01-04'],
      ['jump', 'DOWN', '2024-01-02', '2024-01-03'],
    ]);
    expect(flags[0].message).toBe('UP moves +110.0% from 2024-01-03 to 2024-01-04 with no split recorded (|log return| above ln 1.8): a split or a bad price?');
    expect(flags[1].message).toContain('moves −50.0%');
  });

  it('says a jump across a recorded split looks unadjusted, and measures across missing days', () => {
    const prices = table({ A: [400, NaN, 100, 101] });
    const flags = findJumps(prices, { A: [{ date: '2024-01-03', ratio: '4:1' }] });
    expect(flags).toEqual([expect.objectContaining({ rule: 'split', from: '2024-01-02', to: '2024-01-04' })]);
    expect(flags[0].message).toBe('A moves −75.0% from 2024-01-02 to 2024-01-04, across its "4:1" split on 2024-01-03: the closes look unadjusted for it');
    // A split outside (from, to] does not explain the jump.
    expect(findJumps(prices, { A: [{ date: '2024-01-02', ratio: '4:1' }] })[0].rule).toBe('jump');
    expect(findJumps(prices, { B: [{ date: '2024-01-03', ratio: '4:1' }] })[0].rule).toBe('jump');
  });

  it('leaves rate series alone', () => {
    expect(findJumps(table({ '^IRX': [0.01, 0.05, 4] }))).toEqual([]);
  });
});

describe('bad closes', () => {
  it('turns asset closes at or below 0 into missing values and lists them; rate series keep theirs', () => {
    const prices = table({ A: [1, 0, -1, 2], '^IRX': [-0.01, 0, 1, 2] });
    const { prices: out, dropped } = dropNonPositive(prices);
    expect(Array.from(out.closes[0])).toEqual([1, NaN, NaN, 2]);
    expect(out.closes[1]).toBe(prices.closes[1]);
    expect(Array.from(prices.closes[0])).toEqual([1, 0, -1, 2]); // the input is not changed
    expect(dropped).toEqual([
      { ticker: 'A', date: '2024-01-03', value: 0 },
      { ticker: 'A', date: '2024-01-04', value: -1 },
    ]);
  });
});

describe('exchange time', () => {
  it('gives the zone offset at an instant from the platform, DST included', () => {
    expect(zoneOffsetMinutes('America/New_York', Date.parse('2024-01-02T14:30:00Z'))).toBe(-300);
    expect(zoneOffsetMinutes('America/New_York', Date.parse('2024-07-02T13:30:00Z'))).toBe(-240);
    // DST starts 2024-03-10 at 02:00 EST = 07:00Z.
    expect(zoneOffsetMinutes('America/New_York', Date.parse('2024-03-10T06:59:59Z'))).toBe(-300);
    expect(zoneOffsetMinutes('America/New_York', Date.parse('2024-03-10T07:00:00Z'))).toBe(-240);
    expect(zoneOffsetMinutes('Europe/Paris', Date.parse('2024-01-02T12:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes('Asia/Kolkata', Date.parse('2024-01-02T12:00:00Z'))).toBe(330);
    expect(isKnownZone('America/New_York')).toBe(true);
    expect(isKnownZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('reads local minute, weekday and date', () => {
    const clock = localClock('America/New_York');
    expect(clock(Date.parse('2024-01-02T14:30:00Z'))).toEqual({ minute: 570, weekday: 2, date: '2024-01-02' });
    // 01:00Z on a Saturday is still Friday 20:00 in New York.
    expect(clock(Date.parse('2024-01-06T01:00:00Z'))).toEqual({ minute: 20 * 60, weekday: 5, date: '2024-01-05' });
  });
});

describe('regular session', () => {
  const ny = [
    '2024-01-02T09:29:00-05:00',
    '2024-01-02T09:30:00-05:00',
    '2024-01-02T15:59:00-05:00',
    '2024-01-02T16:00:00-05:00',
    '2024-03-11T13:30:00Z', // 09:30 EDT, the Monday after the switch
    '2024-03-11T13:29:00Z',
    '2024-07-02T19:59:00Z', // 15:59 EDT
    '2024-07-02T20:00:00Z', // 16:00 EDT: the closing tick, outside
    '2024-07-06T14:00:00Z', // a Saturday, 10:00 EDT
  ];

  it('keeps 09:30 ≤ New York time < 16:00 on weekdays, through DST, and counts the rest', () => {
    const b = bars(ny, { JPM: ny.map((_, i) => 100 + i) });
    const r = keepRegularSession(b, 'America/New_York');
    expect(r.bars.timestamps).toEqual(['2024-01-02T09:30:00-05:00', '2024-01-02T15:59:00-05:00', '2024-03-11T13:30:00Z', '2024-07-02T19:59:00Z']);
    expect(Array.from(r.bars.closes[0])).toEqual([101, 102, 104, 106]);
    expect(r.dropped).toBe(5);
    expect(sessionText(r.session!)).toBe('09:30–16:00');
    expect(REGULAR_SESSIONS['America/New_York']).toEqual({ open: 570, close: 960 });
  });

  it("uses the exchange's own zone and session: London 08:00–16:30", () => {
    const t = ['2024-01-02T07:59:00Z', '2024-01-02T08:00:00Z', '2024-07-02T07:00:00Z', '2024-07-02T15:29:00Z', '2024-07-02T15:30:00Z'];
    const r = keepRegularSession(bars(t, { VOD: [1, 2, 3, 4, 5] }), 'Europe/London');
    // July is BST (+01:00): 07:00Z is 08:00 local (in), 15:30Z is 16:30 local (out).
    expect(Array.from(r.bars.closes[0])).toEqual([2, 3, 4]);
  });

  it('keeps everything, with session null, for a zone without a known session or unknown to the platform', () => {
    const b = bars(ny, { JPM: ny.map((_, i) => i) });
    for (const zone of ['Australia/Sydney', 'Mars/Olympus_Mons']) {
      const r = keepRegularSession(b, zone);
      expect(r.session).toBeNull();
      expect(r.dropped).toBe(0);
      expect(r.bars).toBe(b);
    }
  });
});

describe('null bars', () => {
  it('counts missing closes per ticker and drops only the rows where no ticker has one', () => {
    const t = ['2024-01-02T14:30:00Z', '2024-01-02T14:31:00Z', '2024-01-02T14:32:00Z'];
    const b = bars(t, { JPM: [1, NaN, NaN], C: [2, 3, NaN] });
    expect(missingCloses(b)).toEqual({ JPM: 2, C: 1 });
    const { bars: kept, dropped } = dropEmptyRows(b);
    expect(dropped).toBe(1);
    expect(kept.timestamps).toEqual(t.slice(0, 2));
    expect(Array.from(kept.closes[0])).toEqual([1, NaN]);
    expect(Array.from(kept.times)).toEqual([Date.parse(t[0]), Date.parse(t[1])]);
    expect(countList({ JPM: 2, C: 0, 'A B': 1 })).toBe('JPM 2, "A B" 1');
  });
});
