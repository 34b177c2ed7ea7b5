/**
 * Window rules of /api/chart against the fake Yahoo and an injected clock: answers are trimmed
 * to [period1, period2), period2 is capped at "now" before the 1-minute split, no request costs
 * more than a handful of upstream calls, and no window outside 1970–2099 reaches Yahoo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ONE_MINUTE_CHUNKS } from './constants.ts';
import { generateChart } from './fixtures/fake-yahoo.ts';
import { planChart, splitWindow } from './market-data.ts';
import { ProxyError } from './errors.ts';
import { request, startHarness, type Harness } from './test-helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sec = (iso: string) => Date.parse(iso) / 1000;
const chartCalls = (x: Harness) => x.fake.calls.filter((c) => c.kind === 'chart').map((c) => new URL(c.url).searchParams);

describe('answers are trimmed to [period1, period2)', () => {
  it("drops Yahoo's trailing last-price tick 20 hours past period2 (1m, 2024-10-02)", async () => {
    h = await startHarness({ now: () => Date.parse('2024-10-03T21:00:00Z') });
    h.fake.lastPriceTick = sec('2024-10-03T16:00:00-04:00');
    const r = await request(h.url, '/api/chart?symbol=JPM&interval=1m&period1=2024-10-02&period2=2024-10-03');
    expect(r.status).toBe(200);
    const ts: string[] = r.body.bars.map((b: { t: string }) => b.t);
    expect(ts).not.toContain('2024-10-03T16:00:00-04:00');
    // One regular session, 09:30–15:59 New York, and nothing else.
    expect(ts).toHaveLength(390);
    expect(ts[0]).toBe('2024-10-02T09:30:00-04:00');
    expect(ts[389]).toBe('2024-10-02T15:59:00-04:00');
  });

  it('keeps the tick when it lies inside the window (it is data then, not noise)', async () => {
    h = await startHarness({ now: () => Date.parse('2024-10-03T21:00:00Z') });
    h.fake.lastPriceTick = sec('2024-10-03T16:00:00-04:00');
    const r = await request(h.url, '/api/chart?symbol=JPM&interval=1m&period1=2024-10-03&period2=2024-10-04');
    const last = r.body.bars[r.body.bars.length - 1];
    expect(last).toMatchObject({ t: '2024-10-03T16:00:00-04:00', volume: 0 });
  });

  it('drops bars and events Yahoo sends outside the window (daily)', async () => {
    h = await startHarness({ now: () => Date.parse('2025-06-01T00:00:00Z') });
    // Yahoo answers with more than was asked: Jan 1 – Feb 28, and a dividend on Jan 15.
    const body = generateChart('AAPL', '1d', sec('2025-01-01T00:00:00Z'), sec('2025-03-01T00:00:00Z')) as any;
    const events = body.chart.result[0].events.dividends as Record<string, { date: number }>;
    expect(Object.values(events).map((d) => new Date(d.date * 1000).toISOString().slice(0, 10))).toEqual(['2025-01-15']);
    h.fake.behaviors.set('AAPL', { kind: 'json', body });
    const r = await request(h.url, '/api/chart?symbol=AAPL&period1=2025-01-20&period2=2025-02-10');
    expect(r.status).toBe(200);
    const days: string[] = r.body.bars.map((b: { t: string }) => b.t.slice(0, 10));
    expect(days[0]).toBe('2025-01-20');
    expect(days[days.length - 1]).toBe('2025-02-07');
    expect(days).toHaveLength(15); // weekdays Jan 20 – Feb 7
    expect(r.body.events.dividends).toEqual([]);
    // The same answer for a window holding Jan 15 keeps the dividend.
    const inside = await request(h.url, '/api/chart?symbol=AAPL&period1=2025-01-10&period2=2025-01-20');
    expect(inside.body.events.dividends).toEqual([{ t: '2025-01-15T09:30:00-05:00', amount: 0.25 }]);
    expect(inside.body.bars).toHaveLength(6); // Jan 10, 13–17
  });

  it('keeps a bar exactly at period1 and drops one exactly at period2', async () => {
    h = await startHarness({ now: () => Date.parse('2025-03-20T00:00:00Z') });
    // 14:30Z is the 09:30 New York open in winter time (before Mar 9, 2025).
    const r = await request(h.url, '/api/chart?symbol=C&interval=1m&period1=2025-03-03T14:30:00Z&period2=2025-03-03T14:35:00Z');
    expect(r.body.bars.map((b: { t: string }) => b.t)).toEqual([
      '2025-03-03T09:30:00-05:00',
      '2025-03-03T09:31:00-05:00',
      '2025-03-03T09:32:00-05:00',
      '2025-03-03T09:33:00-05:00',
      '2025-03-03T09:34:00-05:00',
    ]);
  });
});

/** 2025-03-12 16:00 New York: the market has just closed. */
const NOW = Date.parse('2025-03-12T20:00:00Z');
const DAY = 86_400_000;

describe('no upstream calls for the future', () => {
  it('a 1m window ending 20 days ahead asks only for the past: 3 calls, not 6', async () => {
    h = await startHarness({ now: () => NOW });
    const r = await request(h.url, '/api/chart?symbol=AAPL&interval=1m&period1=2025-02-20&period2=2025-04-01');
    expect(r.status).toBe(200);
    const calls = chartCalls(h);
    expect(calls).toHaveLength(3);
    for (const p of calls) expect(Number(p.get('period1')) * 1000).toBeLessThan(NOW);
    // The last chunk stops at now + 5 min of slack, not at period2.
    expect(Math.max(...calls.map((p) => Number(p.get('period2')) * 1000))).toBe(NOW + 5 * 60_000);
    // Every past session is there: Feb 20 – Mar 12 has 15 weekdays.
    expect(r.body.bars).toHaveLength(15 * 390);
  });

  it('the amplification request (1m, period2 = 2099-12-31) costs one upstream call', async () => {
    h = await startHarness({ now: () => NOW });
    const r = await request(h.url, '/api/chart?symbol=AAPL&interval=1m&period1=2025-03-11&period2=2099-12-31');
    expect(r.status).toBe(200);
    // Before: 3,904 calls of 7 days each, up to 2099.
    expect(chartCalls(h)).toHaveLength(1);
    expect(r.body.bars).toHaveLength(2 * 390); // Mar 11 and 12
  });

  it('a daily window ending in 2099 is capped too', async () => {
    h = await startHarness({ now: () => NOW });
    const r = await request(h.url, '/api/chart?symbol=AAPL&period1=2025-01-01&period2=2099-12-31');
    expect(r.status).toBe(200);
    const [p] = chartCalls(h);
    expect(Number(p.get('period2')) * 1000).toBe(NOW + 5 * 60_000);
  });

  it('a window wholly in the future is a 400 with zero upstream calls', async () => {
    h = await startHarness({ now: () => NOW });
    for (const path of [
      '/api/chart?symbol=AAPL&period1=2099-01-01&period2=2099-12-31',
      '/api/chart?symbol=AAPL&interval=1m&period1=2025-03-13&period2=2025-03-14',
    ]) {
      const r = await request(h.url, path);
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ code: 'BAD_REQUEST', message: '"period1" lies in the future: there are no bars yet.' });
    }
    expect(h.fake.calls).toHaveLength(0);
  });
});

describe('every request costs a bounded number of upstream calls', () => {
  it('a 1m request never costs more than MAX_ONE_MINUTE_CHUNKS calls (the widest window Yahoo serves)', async () => {
    h = await startHarness({ now: () => NOW });
    // The oldest period1 the 30-day rule lets through, and a period2 far ahead.
    const p1 = new Date(NOW - 30 * DAY).toISOString();
    const r = await request(h.url, `/api/chart?symbol=AAPL&interval=1m&period1=${p1}&period2=2099-12-31`);
    expect(r.status).toBe(200);
    expect(chartCalls(h).length).toBeLessThanOrEqual(MAX_ONE_MINUTE_CHUNKS);
  });

  it('splitWindow refuses more pieces than allowed with a 400 naming the limit, before building any', () => {
    const years75 = { period1: Date.parse('2025-03-11'), period2: Date.parse('2099-12-31') };
    let err: unknown;
    try {
      splitWindow(years75, 7 * DAY, 5);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProxyError);
    expect((err as ProxyError).code).toBe('BAD_REQUEST');
    expect((err as ProxyError).message).toBe('A 1-minute window may span at most 35 days (5 Yahoo requests of 7 days): shorten it.');
    // Exactly at the limit is fine: 35 days make 5 pieces.
    expect(splitWindow({ period1: 0, period2: 35 * DAY }, 7 * DAY, 5)).toHaveLength(5);
  });

  it('planChart: at most MAX_ONE_MINUTE_CHUNKS pieces for any 1m window the age rule admits', () => {
    for (const startDaysAgo of [0, 1, 6.9, 7, 13, 29, 30]) {
      for (const endDaysAhead of [0, 1, 365, 30_000]) {
        const plan = planChart(
          { symbol: 'AAPL', interval: '1m', period1: NOW - startDaysAgo * DAY, period2: NOW + endDaysAhead * DAY + 1 },
          NOW,
        );
        expect(plan.upstream.length).toBeGreaterThan(0);
        expect(plan.upstream.length).toBeLessThanOrEqual(MAX_ONE_MINUTE_CHUNKS);
        for (const w of plan.upstream) expect(w.period2).toBeLessThanOrEqual(NOW + 5 * 60_000);
      }
    }
  });
});

describe('the 1970 floor', () => {
  it.each([
    ['daily, default 365-day lookback before 1970-01-02', '/api/chart?symbol=AAPL&period2=1970-01-02'],
    ['daily, default lookback before mid-1970', '/api/chart?symbol=AAPL&interval=1wk&period2=1970-06-01T00:00:00Z'],
  ])('%s → 400, zero upstream calls (before: a negative period1 went to Yahoo)', async (_n, path) => {
    h = await startHarness({ now: () => NOW });
    const r = await request(h.url, path);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/before 1970-01-01/);
    expect(h.fake.calls).toHaveLength(0);
  });

  it('a window starting on 1970-01-01 itself is served', async () => {
    h = await startHarness({ now: () => NOW });
    const r = await request(h.url, '/api/chart?symbol=AAPL&period1=1970-01-01&period2=1970-01-10');
    expect(r.status).toBe(200);
    expect(Number(chartCalls(h)[0].get('period1'))).toBe(0);
  });
});
