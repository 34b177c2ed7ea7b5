/**
 * Window rules of /api/chart against the fake Yahoo and an injected clock: answers are trimmed
 * to [period1, period2), period2 is capped at "now" before the 1-minute split, no request costs
 * more than a handful of upstream calls, and no window outside 1970–2099 reaches Yahoo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateChart } from './fixtures/fake-yahoo.ts';
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
