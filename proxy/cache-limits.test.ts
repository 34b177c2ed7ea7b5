import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_ENTRY_OVERHEAD_BYTES, TtlCache } from './cache.ts';
import { RateLimiter, Semaphore } from './limiter.ts';
import { splitWindow } from './plan.ts';
import { mergeChartPieces, type ChartPiece } from './normalize.ts';
import { request, startHarness, type Harness } from './test-helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const chart = (sym: string) => `/api/chart?symbol=${sym}&period1=2025-01-01&period2=2025-02-01`;

describe('coalescing and cache', () => {
  it('coalesces 25 identical concurrent requests into one upstream call (cache off)', async () => {
    h = await startHarness({ cacheTtlMs: 0 });
    // Yahoo holds its answer until all 25 requests have reached the proxy (a fixed delay let a
    // loaded machine spread them past the first answer).
    let seen = 0;
    let allIn!: () => void;
    h.proxy.server.on('request', () => ++seen === 25 && allIn());
    h.fake.behaviors.set('AAPL', { kind: 'gate', until: new Promise<void>((r) => (allIn = r)) });
    const answers = await Promise.all(Array.from({ length: 25 }, () => request(h!.url, chart('AAPL'))));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(h.fake.count('chart')).toBe(1);
    // With the cache off, a later identical request goes upstream again.
    await request(h.url, chart('AAPL'));
    expect(h.fake.count('chart')).toBe(2);
  });

  it('serves repeats from the cache until the TTL passes (injected clock)', async () => {
    let now = Date.UTC(2025, 5, 1);
    h = await startHarness({ cacheTtlMs: 60_000, now: () => now });
    const first = await request(h.url, chart('MSFT'));
    const second = await request(h.url, chart('MSFT'));
    expect(h.fake.count('chart')).toBe(1);
    expect(second.body).toEqual(first.body); // same asOf too: it is the cached answer
    now += 59_000;
    await request(h.url, chart('MSFT'));
    expect(h.fake.count('chart')).toBe(1);
    now += 2_000;
    const third = await request(h.url, chart('MSFT'));
    expect(h.fake.count('chart')).toBe(2);
    expect(third.body.asOf).not.toBe(first.body.asOf);
  });

  it('does not cache failures', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'text', status: 500, body: 'x' });
    expect((await request(h.url, chart('AAPL'))).status).toBe(502);
    h.fake.behaviors.delete('AAPL');
    expect((await request(h.url, chart('AAPL'))).status).toBe(200);
    expect(h.fake.count('chart')).toBe(2);
  });

  it('TtlCache evicts the least recently used entry beyond its bound', () => {
    const c = new TtlCache<number>({ ttlMs: 1000, maxEntries: 2, maxBytes: 1e9, sizeOf: () => 1, now: () => 0 });
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now most recent
    c.set('c', 3);
    expect(c.size).toBe(2);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
  });
});

describe('a cache bounded in bytes', () => {
  // Values are strings here; each entry costs its length + its key's (1 char) + the fixed overhead.
  const cost = (n: number) => n + 1 + CACHE_ENTRY_OVERHEAD_BYTES;
  const sized = (maxBytes: number, maxEntries = 100) =>
    new TtlCache<string>({ ttlMs: 1000, maxEntries, maxBytes, sizeOf: (v) => v.length, now: () => 0 });

  it('charges value, key and overhead per entry, and gives the bytes back on eviction', () => {
    const c = sized(10_000);
    c.set('a', 'x'.repeat(100));
    c.set('b', 'x'.repeat(200));
    expect(c.bytes).toBe(cost(100) + cost(200));
    c.set('a', 'x'.repeat(50)); // replacing an entry replaces its charge
    expect(c.bytes).toBe(cost(50) + cost(200));
  });

  it('evicts least recently used entries by bytes, however few entries there are', () => {
    const c = sized(3 * cost(1000), 100);
    c.set('a', 'a'.repeat(1000));
    c.set('b', 'b'.repeat(1000));
    c.set('c', 'c'.repeat(1000));
    expect(c.get('a')).toBeDefined(); // a is now the most recent; b the least
    c.set('d', 'd'.repeat(1000));
    expect(c.size).toBe(3);
    expect(c.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => c.get(k)?.length)).toEqual([1000, 1000, 1000]);
    // One big value pushes out as many small ones as it needs to.
    c.set('e', 'e'.repeat(2 * cost(1000) - cost(0)));
    expect(c.size).toBe(2);
    expect(c.bytes).toBeLessThanOrEqual(3 * cost(1000));
  });

  it('does not store a value larger than the whole budget (nor evict for it)', () => {
    const c = sized(5_000);
    c.set('a', 'a'.repeat(100));
    c.set('b', 'b'.repeat(5_000));
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
    expect(c.bytes).toBe(cost(100));
  });

  it('a byte budget of 0 disables the cache', () => {
    const c = sized(0);
    c.set('a', 'x');
    expect(c.size).toBe(0);
  });

  it('an entry stored before the clock stepped back does not outlive its TTL', () => {
    let now = 1_000_000;
    const c = new TtlCache<string>({ ttlMs: 1000, maxEntries: 10, maxBytes: 1e6, sizeOf: (v) => v.length, now: () => now });
    c.set('a', 'x');
    now -= 3_600_000;
    expect(c.get('a')).toBeUndefined();
    expect(c.bytes).toBe(0);
  });

  it('the service keeps its cache within the byte budget over many different 1m answers, and counts real bytes', async () => {
    const now = Date.UTC(2025, 2, 31, 21);
    const budget = 2 * 1024 * 1024;
    h = await startHarness({ now: () => now, cacheMaxBytes: budget });
    let largest = 0;
    for (let i = 0; i < 12; i++) {
      const r = await request(h.url, `/api/chart?symbol=S${i}&interval=1m&period1=2025-03-10&period2=2025-03-15`);
      expect(r.status).toBe(200);
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(r.body)));
      const usage = h.proxy.service.cacheUsage;
      expect(usage.bytes).toBeLessThanOrEqual(budget);
    }
    // 5 sessions of 1-minute bars is ~0.2 MB of JSON: the 2 MiB budget holds about nine, not twelve,
    // and is filled to within one answer of it (what is charged is the bytes actually sent).
    const usage = h.proxy.service.cacheUsage;
    expect(largest).toBeGreaterThan(150_000);
    expect(usage.entries).toBeLessThan(12);
    expect(usage.entries).toBeGreaterThanOrEqual(8);
    expect(usage.bytes).toBeGreaterThan(budget - (largest + 100 + CACHE_ENTRY_OVERHEAD_BYTES));
    expect(usage.bytes).toBeLessThanOrEqual(budget);
    // The oldest answers were evicted: asking again goes upstream; the newest is still cached.
    const calls = h.fake.count('chart');
    await request(h.url, '/api/chart?symbol=S11&interval=1m&period1=2025-03-10&period2=2025-03-15');
    expect(h.fake.count('chart')).toBe(calls);
    await request(h.url, '/api/chart?symbol=S0&interval=1m&period1=2025-03-10&period2=2025-03-15');
    expect(h.fake.count('chart')).toBe(calls + 1);
  });
});

describe('upstream concurrency', () => {
  it('keeps at most 4 upstream requests in flight and completes the queued rest', async () => {
    h = await startHarness({ cacheTtlMs: 0 }, { delayMs: 40 });
    const syms = Array.from({ length: 16 }, (_, i) => `S${i}`);
    const answers = await Promise.all(syms.map((s) => request(h!.url, chart(s))));
    expect(answers.map((a) => a.status)).toEqual(syms.map(() => 200));
    expect(h.fake.count('chart')).toBe(16);
    expect(h.fake.maxConcurrent).toBe(4);
  });

  it('Semaphore: an aborted waiter leaves the queue and never runs', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    expect(s.queued).toBe(1);
    ac.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(s.queued).toBe(0);
    release();
    expect(s.inFlight).toBe(0);
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client spends its bucket, per IP', async () => {
    let now = Date.UTC(2025, 5, 1);
    h = await startHarness({ rateLimitPerMin: 3, now: () => now });
    for (let i = 0; i < 3; i++) expect((await request(h.url, chart('AAPL'))).status).toBe(200);
    const limited = await request(h.url, chart('AAPL'));
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBe('20'); // 3/min → one token every 20 s
    // Invalid input is throttled too (limit before validation) — and still costs no upstream call.
    expect((await request(h.url, '/api/chart?symbol=%2F')).status).toBe(429);
    // Another client address has its own bucket.
    expect((await request(h.url, chart('AAPL'), { localAddress: '127.0.0.2' })).status).toBe(200);
    // Health is never limited.
    expect((await request(h.url, '/api/health')).status).toBe(200);
    now += 20_000;
    expect((await request(h.url, chart('AAPL'))).status).toBe(200);
    expect(h.fake.count('chart')).toBe(1); // everything else came from the cache
  });

  it('RateLimiter memory stays bounded under many client keys', () => {
    const l = new RateLimiter({ perMinute: 1, maxClients: 100, now: () => 0 });
    for (let i = 0; i < 10_000; i++) l.take(`10.0.${i >> 8}.${i & 255}`);
    expect(l.size).toBe(100);
    // A recently seen client is still limited; an evicted one starts fresh.
    expect(l.take('10.0.39.15').allowed).toBe(false);
    expect(l.take('10.0.0.0').allowed).toBe(true);
  });
});

describe('1-minute windows', () => {
  it('splitWindow covers the range in ≤7-day pieces without gaps', () => {
    const day = 86_400_000;
    const w = splitWindow({ period1: 0, period2: 20 * day }, 7 * day, 3);
    expect(w).toEqual([
      { period1: 0, period2: 7 * day },
      { period1: 7 * day, period2: 14 * day },
      { period1: 14 * day, period2: 20 * day },
    ]);
  });

  it('splits a 20-day 1m request into 3 upstream calls and merges ascending without duplicates', async () => {
    const now = Date.UTC(2025, 2, 31, 21);
    h = await startHarness({ now: () => now });
    const r = await request(h.url, '/api/chart?symbol=JPM&interval=1m&period1=2025-03-10&period2=2025-03-30');
    expect(r.status).toBe(200);
    const calls = h.fake.calls.filter((c) => c.kind === 'chart').map((c) => new URL(c.url).searchParams);
    expect(calls).toHaveLength(3);
    for (const p of calls) expect(Number(p.get('period2')) - Number(p.get('period1'))).toBeLessThanOrEqual(7 * 86400);
    const ts: string[] = r.body.bars.map((b: { t: string }) => b.t);
    expect(new Set(ts).size).toBe(ts.length);
    const epochs = ts.map((t) => Date.parse(t));
    expect([...epochs].sort((a, b) => a - b)).toEqual(epochs);
    // 15 weekdays (Mar 10-14, 17-21, 24-28) × 390 regular-session minutes.
    expect(ts).toHaveLength(15 * 390);
    expect(ts[0]).toBe('2025-03-10T09:30:00-04:00');
    expect(r.body.bars.some((b: { close: unknown }) => b.close === null)).toBe(true);
  });

  it('mergeChartPieces dedupes overlapping chunk edges by instant and sorts', () => {
    const bar = (epoch: number, close: number) => ({
      epoch,
      bar: { t: `t${epoch}`, open: null, high: null, low: null, close, adjClose: null, volume: null },
    });
    const zone = { timeZone: 'America/New_York', gmtOffsetSec: -18000 };
    const a: ChartPiece = { currency: 'USD', zone, bars: [bar(60, 1), bar(120, 2)], splits: [], dividends: [] };
    const b: ChartPiece = { currency: 'USD', zone, bars: [bar(120, 2), bar(180, 3), bar(0, 0)], splits: [], dividends: [] };
    const merged = mergeChartPieces([a, b], { symbol: 'X', yahooSymbol: 'X', interval: '1m' }, '2025-01-01T00:00:00.000Z', { period1: 0, period2: 240_000 });
    expect(merged.bars.map((x) => x.t)).toEqual(['t0', 't60', 't120', 't180']);
  });

  it('rejects a 1m request starting more than 30 days before now, with zero upstream calls', async () => {
    const now = Date.UTC(2025, 2, 31, 21);
    h = await startHarness({ now: () => now });
    const r = await request(h.url, '/api/chart?symbol=JPM&interval=1m&period1=2025-02-20&period2=2025-03-01');
    expect(r.status).toBe(400);
    expect(h.fake.calls).toHaveLength(0);
  });
});

describe('a clock that steps back', () => {
  it('RateLimiter: a backward step refills nothing and locks nobody out', () => {
    let now = Date.UTC(2025, 5, 1, 12);
    const l = new RateLimiter({ perMinute: 60, maxClients: 10, now: () => now });
    for (let i = 0; i < 30; i++) expect(l.take('a').allowed).toBe(true); // 30 of 60 tokens left
    now -= 3_600_000; // NTP steps the clock back one hour
    // Before the fix the hour counted as −3,600 tokens: every request was refused for an hour.
    for (let i = 0; i < 30; i++) expect(l.take('a').allowed).toBe(true);
    // The bucket is empty now (no refill was granted for the backward step)…
    expect(l.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // …and refills from the new time at the normal pace: one token a second.
    now += 1_000;
    expect(l.take('a').allowed).toBe(true);
    expect(l.take('a').allowed).toBe(false);
  });

  it('answers 200 over HTTP right after the clock steps back a day', async () => {
    let now = Date.UTC(2025, 5, 1, 12);
    h = await startHarness({ rateLimitPerMin: 3, now: () => now });
    expect((await request(h.url, chart('AAPL'))).status).toBe(200);
    now -= 86_400_000;
    for (let i = 0; i < 2; i++) expect((await request(h.url, chart('AAPL'))).status).toBe(200);
    expect((await request(h.url, chart('AAPL'))).status).toBe(429);
  });
});
