/**
 * HTTP edges, with raw sockets against the real server on an ephemeral port: each answers in
 * our JSON error shape, exactly once, HEAD answers carry no body, and a socket that has a request
 * in flight is closed rather than answered twice.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { rawBody, rawRequest, rawSession, startHarness, type Harness } from './test-helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Splits a raw response into its status, lower-cased headers and body text. */
function parse(text: string): { status: number; headers: Record<string, string>; body: string } {
  const at = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, at).split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(at + 4) };
}

describe('edges Node used to answer (or drop) by itself', () => {
  it('Expect: foo → 417 EXPECTATION_FAILED in JSON (before: an empty 417)', async () => {
    h = await startHarness();
    const text = await rawRequest(h.url, 'GET /api/health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n');
    const r = parse(text);
    expect(r.status).toBe(417);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'EXPECTATION_FAILED', message: 'Unsupported Expect header: only "100-continue" is understood.' } });
  });

  it('Expect: 100-continue is still granted', async () => {
    h = await startHarness();
    const text = await rawRequest(h.url, 'GET /api/health HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
  });

  it('CONNECT → 405 METHOD_NOT_ALLOWED in JSON with Allow, then closed (before: closed with no answer)', async () => {
    h = await startHarness();
    const s = await rawSession(h.url, ['CONNECT query2.finance.yahoo.com:443 HTTP/1.1\r\nHost: query2.finance.yahoo.com:443\r\n\r\n']);
    expect(s.closed).toBe(true);
    const r = parse(s.text);
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, OPTIONS');
    expect(JSON.parse(r.body).error.code).toBe('METHOD_NOT_ALLOWED');
    expect(h.fake.calls).toHaveLength(0);
  });

  it('an HTTP/1.1 request without Host → 400 in JSON (before: Node’s empty 400)', async () => {
    h = await startHarness();
    const r = parse(await rawRequest(h.url, 'GET /api/health HTTP/1.1\r\n\r\n'));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'BAD_REQUEST', message: 'An HTTP/1.1 request needs a Host header.' } });
  });

  it('an HTTP/1.0 request without Host is fine (Host is an HTTP/1.1 rule)', async () => {
    h = await startHarness();
    const r = parse(await rawRequest(h.url, 'GET /api/health HTTP/1.0\r\n\r\n'));
    expect(r.status).toBe(200);
  });

  it('slow headers end in 408 REQUEST_TIMEOUT, not "malformed"', async () => {
    h = await startHarness({ headersTimeoutMs: 200 });
    const s = await rawSession(h.url, ['GET /api/health HTTP/1.1\r\nHost: x\r\n'], 5_000);
    expect(s.closed).toBe(true);
    expect(s.statuses).toEqual([408]);
    expect(rawBody(s.text)).toEqual({ error: { code: 'REQUEST_TIMEOUT', message: 'The request headers did not arrive in time.' } });
  });

  it('oversized headers → 431 HEADERS_TOO_LARGE in JSON', async () => {
    h = await startHarness();
    const text = await rawRequest(h.url, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(9000)}\r\n\r\n`);
    expect(parse(text).status).toBe(431);
    expect(rawBody(text).error.code).toBe('HEADERS_TOO_LARGE');
  });
});

describe('HEAD answers carry no body', () => {
  it.each([
    ['malformed (client-error path)', 'HEAD /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n', 400],
    ['no Host', 'HEAD /api/health HTTP/1.1\r\n\r\n', 400],
    ['unmet Expect', 'HEAD /api/health HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n', 417],
    ['method not allowed', 'HEAD /api/chart?symbol=AAPL HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405],
  ])('%s → headers only', async (_n, bytes, status) => {
    h = await startHarness();
    const s = await rawSession(h.url, [bytes]);
    expect(s.closed).toBe(true);
    expect(s.statuses).toEqual([status]);
    const r = parse(s.text);
    expect(r.body).toBe('');
    expect(Number(r.headers['content-length'])).toBeGreaterThan(0);
  });
});

describe('one answer per request', () => {
  it('bytes after the headers: the socket is closed, nothing is answered, and Yahoo is never called', async () => {
    h = await startHarness();
    const s = await rawSession(h.url, ['GET /api/quote?symbol=AAPL HTTP/1.1\r\nHost: x\r\n\r\nXYZ\r\n\r\n']);
    expect(s.closed).toBe(true);
    // Before: a 400 at once while the quote's 3 upstream calls (cookie, crumb, quote) still ran.
    expect(s.statuses).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.fake.calls).toHaveLength(0);
  });

  it('junk arriving while a request is in flight closes the socket; it is never answered twice', async () => {
    h = await startHarness();
    // Yahoo holds the quote until the session is over, so the request is surely still in flight.
    let release!: () => void;
    h.fake.behaviors.set('AAPL', { kind: 'gate', until: new Promise<void>((r) => (release = r)) });
    const s = await rawSession(h.url, ['GET /api/quote?symbol=AAPL HTTP/1.1\r\nHost: x\r\n\r\n', 100, 'XYZ\r\n\r\n']);
    release();
    expect(s.closed).toBe(true);
    expect(s.statuses).toEqual([]);
    // The request had been taken before the junk came, so its one upstream quote call is made;
    // the answer goes to the cache, not to the dead socket.
    for (let i = 0; i < 100 && h.fake.count('quote') === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(h.fake.count('quote')).toBe(1);
  });

  it('a malformed request on an idle socket still gets its one JSON 400', async () => {
    h = await startHarness();
    const s = await rawSession(h.url, ['GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n', 100, 'XYZ\r\n\r\n']);
    expect(s.closed).toBe(true);
    expect(s.statuses).toEqual([200, 400]);
  });

  it('well-formed pipelined requests are all answered, in order', async () => {
    h = await startHarness();
    const req = (sym: string, close = '') => `GET /api/quote?symbol=${sym} HTTP/1.1\r\nHost: x\r\n${close}\r\n`;
    const s = await rawSession(h.url, [req('AAPL') + req('MSFT') + req('C', 'Connection: close\r\n')]);
    expect(s.statuses).toEqual([200, 200, 200]);
    expect([...s.text.matchAll(/"symbol":"([A-Z]+)"/g)].map((m) => m[1])).toEqual(['AAPL', 'MSFT', 'C']);
  });
});

describe('raw-socket fuzz', () => {
  // Printable junk that cannot start a valid request line (which would be a second, valid request).
  const junk = fc.string({ minLength: 1, maxLength: 40 }).map((s) => `\u0001${s}\r\n\r\n`);

  it('junk after a request in the same packet: at most the request’s own answer, never a 400, never an upstream call', async () => {
    h = await startHarness();
    const harness = h;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/api/quote?symbol=AAPL', '/api/chart?symbol=MSFT', '/api/health'), junk, async (path, tail) => {
        const s = await rawSession(harness.url, [`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n${tail}`]);
        expect(s.closed).toBe(true);
        // Health answers synchronously, before the junk is parsed: its 200 is its one answer.
        expect(s.statuses).toEqual(path === '/api/health' ? [200] : []);
      }),
      { numRuns: 40 },
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(h.fake.calls).toHaveLength(0);
  });

  it('junk alone: exactly one JSON 4xx, then the connection closes', async () => {
    h = await startHarness();
    const harness = h;
    await fc.assert(
      fc.asyncProperty(fc.oneof(junk, fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.concat([Buffer.from([0]), Buffer.from(b), Buffer.from('\r\n\r\n')]))), async (bytes) => {
        const s = await rawSession(harness.url, [bytes]);
        expect(s.closed).toBe(true);
        expect(s.statuses).toHaveLength(1);
        expect(s.statuses[0]).toBeGreaterThanOrEqual(400);
        expect(s.statuses[0]).toBeLessThan(500);
        expect(rawBody(s.text).error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 40 },
    );
    expect(h.fake.calls).toHaveLength(0);
  });
});
