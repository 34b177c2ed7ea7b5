import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawRequest, request, startHarness, type Harness } from './test-helpers.ts';


let h: Harness;
beforeEach(async () => {
  h = await startHarness({ allowedOrigins: ['http://localhost:5173'] });
});
afterEach(async () => {
  await h.close();
});

describe('hostile input never reaches upstream', () => {
  const hostile: Array<[string, string]> = [
    ['path traversal', '/api/chart?symbol=AAPL/../..'],
    ['encoded slash', '/api/chart?symbol=AAPL%2F..%2F..%2Fv7'],
    ['encoded question mark', '/api/chart?symbol=AAPL%3Fx%3D1'],
    ['encoded hash', '/api/chart?symbol=AAPL%23x'],
    ['encoded CR LF', '/api/chart?symbol=AAPL%0D%0ASet-Cookie:x'],
    ['encoded NUL', '/api/chart?symbol=AAPL%00'],
    ['Cyrillic A', '/api/chart?symbol=%D0%90APL'],
    ['dotless i that upper-cases to I', '/api/quote?symbol=aap%C4%B1'],
    ['over-long symbol', `/api/chart?symbol=${'A'.repeat(16)}`],
    ['over-long query', `/api/chart?symbol=AAPL&period1=2025-01-01&${'z'.repeat(600)}=1`],
    ['over-long url', `/api/chart${'/x'.repeat(600)}?symbol=AAPL`],
    ['unknown parameter', '/api/chart?symbol=AAPL&host=evil.example'],
    ['url-forwarding attempt', '/api/chart?symbol=AAPL&url=https%3A%2F%2Fevil.example'],
    ['repeated parameter', '/api/chart?symbol=AAPL&symbol=MSFT'],
    ['bad interval', '/api/chart?symbol=AAPL&interval=1s'],
    ['bad date', '/api/chart?symbol=AAPL&period1=2025-02-30'],
    ['unordered periods', '/api/chart?symbol=AAPL&period1=2025-03-01&period2=2025-02-01'],
    ['zone-less date-time', '/api/chart?symbol=AAPL&period1=2025-01-01T14:30:00'],
    ['quote extra parameter', '/api/quote?symbol=AAPL&fields=crumb'],
    ['1m older than 30 days', '/api/chart?symbol=AAPL&interval=1m&period1=2020-01-01&period2=2020-01-02'],
    ['5m older than 60 days', '/api/chart?symbol=AAPL&interval=5m&period1=2020-01-01&period2=2020-01-02'],
    ['health with parameter', '/api/health?x=1'],
  ];
  it.each(hostile)('%s → 400 BAD_REQUEST, zero upstream calls', async (_name, path) => {
    const r = await request(h.url, path);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(typeof r.body.error.message).toBe('string');
    expect(h.fake.calls).toHaveLength(0);
  });

  it.each([
    ['URL length', `/api/chart${'/x'.repeat(600)}?symbol=AAPL`, /URL is too long/],
    ['query length', `/api/chart?symbol=AAPL&${'z'.repeat(600)}=1`, /Query string is too long/],
    ['symbol rule', '/api/chart?symbol=AAPL%2F', /Invalid "symbol"/],
    ['repeat rule', '/api/chart?symbol=AAPL&symbol=AAPL', /^Query parameter "symbol" was given more than once\.$/],
    ['unknown rule', '/api/chart?symbol=AAPL&proxy=1', /^Unknown query parameter "proxy": this endpoint accepts symbol, interval, period1, period2\.$/],
    ['unknown rule, hostile name not echoed', '/api/chart?symbol=AAPL&%3Cscript%3E=1', /^Unknown query parameter \(name not shown: not a plain identifier\)/],
  ])('the %s check is the one that fires', async (_n, path, message) => {
    const r = await request(h.url, path);
    expect(r.body.error.message).toMatch(message);
  });

  it('explains the 30-day limit for 1-minute bars', async () => {
    const r = await request(h.url, '/api/chart?symbol=JPM&interval=1m&period1=2020-01-01&period2=2020-01-02');
    expect(r.body.error.message).toMatch(/30 days/);
  });

  it.each([
    ['fragment', 'GET /api/chart?symbol=AAPL#x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['raw NUL', 'GET /api/chart?symbol=AAPL\u0000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['raw UTF-8 Cyrillic', Buffer.from('GET /api/chart?symbol=\u0410APL HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'utf8')],
    ['bare CR inside target', 'GET /api/chart?symbol=AA\rPL HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['absolute-form target', 'GET http://query2.finance.yahoo.com/v7/finance/quote HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ])('raw %s → JSON 400, zero upstream calls', async (_name, bytes) => {
    const text = await rawRequest(h.url, bytes);
    expect(text.startsWith('HTTP/1.1 400')).toBe(true);
    expect(text).toContain('"BAD_REQUEST"');
    expect(h.fake.calls).toHaveLength(0);
  });
});

describe('valid symbols pass validation', () => {
  it.each(['%5EIRX', '^IRX', 'BRK-B', 'EURUSD%3DX', 'EURUSD=X', '7203.T', 'BTC-USD', 'brk-b'])('%s → 200', async (sym) => {
    const r = await request(h.url, `/api/quote?symbol=${sym}`);
    expect(r.status).toBe(200);
    expect(r.body.symbol).toBe(decodeURIComponent(sym).toUpperCase());
  });
});

describe('routes and methods', () => {
  it('unknown paths are 404 NOT_FOUND, including encoded or trailing-slash variants', async () => {
    for (const p of ['/', '/api', '/api/chart/', '/api/%63hart?symbol=AAPL', '/v8/finance/chart/AAPL']) {
      const r = await request(h.url, p);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    expect(h.fake.calls).toHaveLength(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'TRACE'])('%s → 405 with Allow', async (method) => {
    const r = await request(h.url, '/api/chart?symbol=AAPL', { method });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, OPTIONS');
    if (method !== 'HEAD') expect(r.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(h.fake.calls).toHaveLength(0);
  });

  it('health answers without touching upstream and reports unknown first', async () => {
    const r = await request(h.url, '/api/health');
    expect(r).toMatchObject({ status: 200, body: { ok: true, upstream: 'unknown', upstreamError: null } });
    expect(h.fake.calls).toHaveLength(0);
  });

  it('sends JSON with nosniff and no-store', async () => {
    const r = await request(h.url, '/api/health');
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
  });
});

describe('CORS', () => {
  it('echoes an allow-listed origin exactly, with Vary and without credentials', async () => {
    const r = await request(h.url, '/api/health', { headers: { Origin: 'http://localhost:5173' } });
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(r.headers.vary).toBe('Origin');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it.each(['http://evil.example', 'http://localhost:5173.evil.example', 'null', 'http://LOCALHOST:5173', 'http://localhost:5174'])(
    'gives no CORS grant to %s',
    async (origin) => {
      const r = await request(h.url, '/api/health', { headers: { Origin: origin } });
      expect(r.status).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      expect(r.headers.vary).toBe('Origin');
    },
  );

  it('answers an allowed preflight with 204 and the allowed methods', async () => {
    const r = await request(h.url, '/api/chart', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET' },
    });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(r.headers['access-control-allow-methods']).toBe('GET, OPTIONS');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    expect(h.fake.calls).toHaveLength(0);
  });

  it('lets an allowed page read error answers too', async () => {
    const r = await request(h.url, '/api/chart?symbol=A%2FB', { headers: { Origin: 'http://localhost:5173' } });
    expect(r.status).toBe(400);
    expect(r.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const m = await request(h.url, '/api/chart', { method: 'DELETE', headers: { Origin: 'http://localhost:5173' } });
    expect(m.status).toBe(405);
    expect(m.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('answers a foreign preflight without any grant', async () => {
    const r = await request(h.url, '/api/chart', {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe('internal errors', () => {
  it('a bug in our own code is a 500 INTERNAL with a fixed message, logged without stack', async () => {
    let broken = false;
    const b = await startHarness({
      now: () => {
        if (broken) throw new TypeError('clock exploded at /secret/path.ts:12');
        return Date.UTC(2025, 0, 2);
      },
    });
    try {
      broken = true;
      const r = await request(b.url, '/api/chart?symbol=AAPL');
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal proxy error.' } });
      expect(b.logs).toEqual(['GET /api/chart -> 500 INTERNAL (TypeError)']);
      expect(b.fake.calls).toHaveLength(0);
    } finally {
      await b.close();
    }
  });
});
