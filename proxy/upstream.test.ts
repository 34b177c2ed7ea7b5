import { afterEach, describe, expect, it, vi } from 'vitest';
import { classify } from './market-data.ts';
import { loadFixture } from './fixtures/fake-yahoo.ts';
import { request, startHarness, type Harness } from './test-helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DAILY = '/api/chart?symbol=AAPL&period1=2025-03-01&period2=2025-03-12';

describe('normalisation of Yahoo fixtures', () => {
  it('maps a daily chart with adjclose, splits and dividends, keeping null bars and DST offsets', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'json', body: loadFixture('chart-aapl-1d.json') });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(200);
    const { asOf, ...rest } = r.body;
    expect(Number.isNaN(Date.parse(asOf))).toBe(false);
    expect(rest).toEqual({
      symbol: 'AAPL',
      yahooSymbol: 'AAPL',
      interval: '1d',
      currency: 'USD',
      exchangeTimezone: 'America/New_York',
      bars: [
        { t: '2025-03-06T09:30:00-05:00', open: 234.44, high: 237.86, low: 233.16, close: 235.33, adjClose: 234.61, volume: 45249600 },
        { t: '2025-03-07T09:30:00-05:00', open: null, high: null, low: null, close: null, adjClose: null, volume: null },
        { t: '2025-03-10T09:30:00-04:00', open: 235.54, high: 236.16, low: 224.22, close: 227.48, adjClose: 226.79, volume: 72071200 },
        { t: '2025-03-11T09:30:00-04:00', open: 223.81, high: 225.84, low: 217.45, close: 220.84, adjClose: 220.84, volume: 76137400 },
      ],
      events: {
        splits: [{ t: '2025-03-07T09:30:00-05:00', numerator: 4, denominator: 1, ratio: '4:1' }],
        dividends: [{ t: '2025-03-10T09:30:00-04:00', amount: 0.25 }],
      },
      source: 'yahoo',
    });
    // The upstream request carried the validated symbol and exact epoch seconds.
    const call = h.fake.calls.find((c) => c.kind === 'chart');
    const u = new URL(call!.url);
    expect(u.hostname).toBe('query2.finance.yahoo.com');
    expect(u.pathname).toBe('/v8/finance/chart/AAPL');
    expect(u.searchParams.get('period1')).toBe(String(Date.UTC(2025, 2, 1) / 1000));
    expect(u.searchParams.get('period2')).toBe(String(Date.UTC(2025, 2, 12) / 1000));
    expect(u.searchParams.get('interval')).toBe('1d');
  });

  it('keeps 1-minute null bars as nulls and adjClose null (Yahoo gives none intraday)', async () => {
    // The fixture was recorded on 2025-03-11; the default 1-day lookback must reach it.
    h = await startHarness({ now: () => Date.parse('2025-03-11T20:00:00Z') });
    h.fake.behaviors.set('JPM', { kind: 'json', body: loadFixture('chart-jpm-1m.json') });
    const r = await request(h.url, '/api/chart?symbol=JPM&interval=1m');
    expect(r.status).toBe(200);
    expect(r.body.bars.map((b: { t: string }) => b.t)).toEqual([
      '2025-03-11T09:30:00-04:00',
      '2025-03-11T09:31:00-04:00',
      '2025-03-11T09:32:00-04:00',
      '2025-03-11T09:33:00-04:00',
      '2025-03-11T09:34:00-04:00',
    ]);
    expect(r.body.bars[2]).toEqual({ t: '2025-03-11T09:32:00-04:00', open: null, high: null, low: null, close: null, adjClose: null, volume: null });
    expect(r.body.bars[4].volume).toBe(0); // a real zero stays zero
    expect(r.body.bars.every((b: { adjClose: unknown }) => b.adjClose === null)).toBe(true);
  });

  it('answers an empty Yahoo result with 200 and no bars', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'json', body: loadFixture('chart-empty.json') });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(200);
    expect(r.body.bars).toEqual([]);
    expect(r.body.events).toEqual({ splits: [], dividends: [] });
  });

  it('maps a quote (crumb handshake included) to the quote shape', async () => {
    h = await startHarness();
    const r = await request(h.url, '/api/quote?symbol=%5EIRX');
    expect(r.status).toBe(200);
    const { asOf, ...rest } = r.body;
    expect(typeof asOf).toBe('string');
    expect(rest).toEqual({ symbol: '^IRX', yahooSymbol: '^IRX', price: 4.19, currency: 'USD', quoteType: 'INDEX', marketTime: '2025-03-11T15:55:00-04:00' });
    expect(h.fake.count('cookie')).toBe(1);
    expect(h.fake.count('crumb')).toBe(1);
    // Every upstream request asked not to follow redirects.
    expect(h.fake.calls.every((c) => c.redirect === 'manual')).toBe(true);
  });

  it('an empty quote result is NOT_FOUND', async () => {
    h = await startHarness();
    h.fake.behaviors.set('ZZZZ', { kind: 'json', body: { quoteResponse: { result: [], error: null } } });
    const r = await request(h.url, '/api/quote?symbol=ZZZZ');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });
});

describe('upstream failures become typed errors', () => {
  it('404 → NOT_FOUND', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'json', status: 404, body: loadFixture('chart-not-found.json') });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });

  it('429 → 503 UPSTREAM_RATE_LIMITED with Retry-After, and health turns failing', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'text', status: 429, body: 'Too Many Requests', headers: { 'content-type': 'text/html' } });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request(h.url, '/api/health')).body).toEqual({ ok: true, upstream: 'failing', upstreamError: 'UPSTREAM_RATE_LIMITED' });
  });

  it('401 on getcrumb → 502 UPSTREAM_UNREACHABLE; the session resets and the next call recovers', async () => {
    h = await startHarness();
    h.fake.crumb = 'unauthorized';
    const r = await request(h.url, '/api/quote?symbol=%5EIRX');
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('UPSTREAM_UNREACHABLE');
    expect(JSON.stringify(r.body)).not.toContain('fAkeCrumb');
    h.fake.crumb = 'ok';
    const again = await request(h.url, '/api/quote?symbol=%5EIRX');
    expect(again.status).toBe(200);
    expect(h.fake.count('cookie')).toBe(2); // a fresh handshake, not the refused session
    // Recovered: the failure's code is gone with it.
    expect((await request(h.url, '/api/health')).body).toEqual({ ok: true, upstream: 'ok', upstreamError: null });
  });

  it('a quote refused with 401 Invalid Crumb resets the session so the next call re-handshakes', async () => {
    h = await startHarness({ cacheTtlMs: 0 });
    expect((await request(h.url, '/api/quote?symbol=AAPL')).status).toBe(200);
    h.fake.crumbValue = 'rotated-by-yahoo';
    const refused = await request(h.url, '/api/quote?symbol=AAPL');
    expect(refused.status).toBe(502);
    expect(refused.body.error.code).toBe('UPSTREAM_UNREACHABLE');
    expect(JSON.stringify(refused.body)).not.toMatch(/crumb=|fAkeCrumb|A3=/);
    const recovered = await request(h.url, '/api/quote?symbol=AAPL');
    expect(recovered.status).toBe(200);
    expect(h.fake.count('crumb')).toBe(2);
  });

  it('malformed JSON → 502 UPSTREAM_SCHEMA without echoing the body', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'text', status: 200, body: '{"chart": {"result": [ {"meta": SECRET' });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('UPSTREAM_SCHEMA');
    expect(JSON.stringify(r.body)).not.toContain('SECRET');
  });

  it.each([
    ['string prices', { open: ['x'], high: [1], low: [1], close: [1], volume: [1] }],
    ['short column', { open: [], high: [1], low: [1], close: [1], volume: [1] }],
    ['missing column', { high: [1], low: [1], close: [1], volume: [1] }],
  ])('schema mismatch (%s) → UPSTREAM_SCHEMA', async (_n, quote) => {
    h = await startHarness();
    const body = { chart: { result: [{ meta: { currency: 'USD', exchangeTimezoneName: 'America/New_York', gmtoffset: -18000 }, timestamp: [1741271400], indicators: { quote: [quote] } }], error: null } };
    h.fake.behaviors.set('AAPL', { kind: 'json', body });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('UPSTREAM_SCHEMA');
  });

  it('a 200 whose chart result is missing → UPSTREAM_SCHEMA', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'json', body: { something: 'else', other: 1 } });
    const r = await request(h.url, DAILY);
    expect(r.body.error.code).toBe('UPSTREAM_SCHEMA');
  });

  it('5xx → 502 UPSTREAM_UNREACHABLE', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'text', status: 500, body: 'oops' });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('UPSTREAM_UNREACHABLE');
  });

  it('a hang → 504 UPSTREAM_TIMEOUT at the short timeout', async () => {
    h = await startHarness({ upstreamTimeoutMs: 150 });
    h.fake.behaviors.set('AAPL', { kind: 'hang' });
    const t0 = Date.now();
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(504);
    expect(r.body.error.code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('a hang whose fetch ignores the abort signal still times out and frees its slot', async () => {
    h = await startHarness({ upstreamTimeoutMs: 150, maxInFlight: 1 });
    h.fake.behaviors.set('AAPL', { kind: 'hang', ignoreSignal: true });
    expect((await request(h.url, DAILY)).body.error.code).toBe('UPSTREAM_TIMEOUT');
    // With one slot, a leaked permit would make this second (healthy) symbol time out too.
    const ok = await request(h.url, '/api/chart?symbol=MSFT&period1=2025-03-01&period2=2025-03-12');
    expect(ok.status).toBe(200);
  });

  it.each([
    ['streamed without length', false],
    ['declared by content-length', true],
  ])('a 50 MB body (%s) → UPSTREAM_SCHEMA, stopped early', async (_n, declareLength) => {
    const cap = 1024 * 1024;
    h = await startHarness({ maxResponseBytes: cap });
    h.fake.behaviors.set('AAPL', { kind: 'huge', bytes: 50 * 1024 * 1024, declareLength });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('UPSTREAM_SCHEMA');
    expect(r.body.error.message).toMatch(/larger/);
    expect(h.fake.bytesServed).toBeLessThanOrEqual(cap + 2 * 1024 * 1024);
  });

  it('a redirect off Yahoo is not followed', async () => {
    h = await startHarness();
    h.fake.behaviors.set('AAPL', { kind: 'redirect', location: 'http://127.0.0.1:9/steal' });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('UPSTREAM_UNREACHABLE');
    expect(h.fake.calls.map((c) => new URL(c.url).hostname)).toEqual(['query2.finance.yahoo.com']);
  });

  it('a cookie-page redirect to a foreign host is blocked before any request to it', async () => {
    h = await startHarness();
    // Looks like Yahoo's consent redirect (yahoo-finance2 follows /guce.yahoo/ itself), but is not a Yahoo host.
    h.fake.cookieRedirect = 'https://guce.yahoo.com.evil.example/consent';
    const r = await request(h.url, '/api/quote?symbol=AAPL');
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('UPSTREAM_UNREACHABLE');
    expect(h.fake.calls.map((c) => new URL(c.url).hostname)).toEqual(['finance.yahoo.com']);
  });
});

describe('no network at all (DNS failure on every request)', () => {
  it('starts, answers health, and maps every data request to a typed error in time', async () => {
    h = await startHarness({ upstreamTimeoutMs: 1_000 });
    h.fake.all = { kind: 'network-error', code: 'ENOTFOUND' };
    expect((await request(h.url, '/api/health')).body).toEqual({ ok: true, upstream: 'unknown', upstreamError: null });
    const t0 = Date.now();
    const answers = await Promise.all([
      request(h.url, DAILY),
      request(h.url, '/api/chart?symbol=JPM&interval=1m'),
      request(h.url, '/api/quote?symbol=%5EIRX'),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(502);
      expect(a.body.error.code).toBe('UPSTREAM_UNREACHABLE');
    }
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect((await request(h.url, '/api/health')).body).toEqual({ ok: true, upstream: 'failing', upstreamError: 'UPSTREAM_UNREACHABLE' });
    // The log says what failed without URLs, crumbs or stacks.
    expect(h.logs.some((l) => l.includes('UPSTREAM_UNREACHABLE (ENOTFOUND)'))).toBe(true);
    expect(h.logs.join('\n')).not.toMatch(/yahoo\.com|crumb|at .*\.ts:/);
  });
});

describe('quiet and typed', () => {
  it('nothing reaches the console on failures (no URLs with crumbs, no library notices)', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug', 'dir'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
    try {
      h = await startHarness({ cacheTtlMs: 0 });
      await request(h.url, '/api/quote?symbol=%5EIRX'); // crumb handshake (survey notice would print here)
      h.fake.crumbValue = 'rotated';
      await request(h.url, '/api/quote?symbol=%5EIRX'); // 401 with the crumb in the URL
      h.fake.behaviors.set('AAPL', { kind: 'json', status: 404, body: loadFixture('chart-not-found.json') });
      await request(h.url, DAILY);
      h.fake.behaviors.set('AAPL', { kind: 'text', status: 200, body: 'not json' });
      await request(h.url, DAILY);
      h.fake.behaviors.set('AAPL', { kind: 'json', body: { chart: { result: [{ meta: {}, indicators: {} }], error: null } } });
      await request(h.url, DAILY);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('Yahoo rejecting the parameters (422) → 400 BAD_REQUEST', async () => {
    h = await startHarness();
    const body = { chart: { result: null, error: { code: 'Unprocessable Entity', description: '1m data not available for startTime' } } };
    h.fake.behaviors.set('AAPL', { kind: 'json', status: 422, body });
    const r = await request(h.url, DAILY);
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: 'BAD_REQUEST', message: 'Yahoo rejected the request parameters.' });
  });

  it('classify: library option errors are our bug (INTERNAL), anything else from parsing is UPSTREAM_SCHEMA', () => {
    const opt = Object.assign(new Error('bad option'), { name: 'InvalidOptionsError' });
    expect(classify(opt).code).toBe('INTERNAL');
    expect(classify(opt).status).toBe(500);
    expect(classify(new TypeError("Cannot read properties of undefined (reading 'timestamp')")).code).toBe('UPSTREAM_SCHEMA');
    expect(classify('weird').message).not.toContain('weird');
  });
});
