import { afterEach, describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../engine/market/snapshot.ts';
import { loadFixture } from '../../proxy/fixtures/fake-yahoo.ts';
import { startHarness, type Harness } from '../../proxy/test-helpers.ts';
import { checkProxy, fetchLive, LiveError, type LiveItem, type LivePlan } from './live.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NOW = Date.now();
const plan = (proxy: string, change: Partial<LivePlan> = {}): LivePlan => ({ proxy, tickers: ['AAPL', 'MSFT'], pair: ['JPM', 'C'], lookback: 30, now: NOW, ...change });
const realFetch: typeof fetch = (input, init) => fetch(input, init);

describe('live data through the real proxy in front of the fake Yahoo', () => {
  it('loads daily closes, ^IRX and the pair, reporting every request, into a snapshot the engine reads', async () => {
    h = await startHarness();
    const seen: LiveItem[][] = [];
    const live = await fetchLive(plan(h.url), { fetch: realFetch, onItems: (items) => seen.push(items) });
    expect(live.failed).toEqual([]);
    expect(live.items.map((i) => [i.symbol, i.kind, i.state])).toEqual([
      ['AAPL', 'daily', 'done'],
      ['MSFT', 'daily', 'done'],
      ['^IRX', 'rate', 'done'],
      ['JPM', 'minute', 'done'],
      ['C', 'minute', 'done'],
    ]);
    // Progress went through waiting and loading for each.
    expect(seen[0].every((i) => i.state === 'waiting')).toBe(true);
    expect(seen.some((items) => items[0].state === 'loading')).toBe(true);
    const snapshot = parseSnapshot(JSON.parse(live.file.text));
    expect(Object.keys(snapshot.daily)).toEqual(['AAPL', 'MSFT', '^IRX']);
    expect(Object.keys(snapshot.intraday)).toEqual(['JPM', 'C']);
    expect(snapshot.asOf).toBe(new Date(NOW).toISOString());
    expect(snapshot.daily.AAPL.bars.length).toBe(live.items[0].bars);
    expect(snapshot.daily.AAPL.bars.length).toBeGreaterThanOrEqual(20);
    expect(snapshot.intraday.JPM.interval).toBe('1m');
  });

  it("names a failed ticker with the proxy's typed error and still loads the others", async () => {
    h = await startHarness();
    h.fake.behaviors.set('ZZZZ', { kind: 'json', status: 404, body: loadFixture('chart-not-found.json') });
    const live = await fetchLive(plan(h.url, { tickers: ['AAPL', 'ZZZZ'], pair: null }), { fetch: realFetch });
    expect(live.failed).toEqual([{ symbol: 'ZZZZ', code: 'NOT_FOUND', message: expect.any(String) }]);
    expect(live.items.find((i) => i.symbol === 'ZZZZ')).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND' } });
    expect(Object.keys(JSON.parse(live.file.text).daily)).toEqual(['AAPL', '^IRX']);
  });

  it('says the proxy cannot reach Yahoo when every chart fails with UPSTREAM_UNREACHABLE', async () => {
    h = await startHarness();
    h.fake.all = { kind: 'network-error', code: 'ENOTFOUND' };
    const error = await fetchLive(plan(h.url), { fetch: realFetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LiveError);
    expect((error as Error).message).toBe(`The proxy at ${h.url} cannot reach Yahoo Finance (UPSTREAM_UNREACHABLE: no internet on the proxy's machine?). No live data; the data on screen is kept.`);
  });
});

describe('when the proxy is not there', () => {
  it('says the proxy does not answer, before any data request', async () => {
    h = await startHarness();
    const url = h.url;
    await h.close();
    h = undefined;
    const error = await fetchLive(plan(url), { fetch: realFetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LiveError);
    expect((error as Error).message).toMatch(new RegExp(`^No answer from the proxy at ${url.replace(/[.]/g, '\\.')} \\(.+\\): it is not running or cannot be reached`));
  });

  it('gives up on a proxy that never answers, within the deadline', async () => {
    const hang: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const error = await checkProxy('http://127.0.0.1:1', { fetch: hang, healthTimeoutMs: 50 }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('(no answer within 0.05 s)');
  });

  it('refuses a server that is not the ASTRA proxy', async () => {
    const other: typeof fetch = async () => new Response('{"status":"fine"}', { status: 200 });
    await expect(checkProxy('http://127.0.0.1:1', { fetch: other })).rejects.toThrow('answered /api/health, but not as the ASTRA proxy does');
  });

  it('marks a request that times out, names a non-JSON answer, and stops at once when cancelled', async () => {
    const answers: typeof fetch = async (input, init) => {
      const url = String(input);
      if (url.endsWith('/api/health')) return new Response('{"ok":true,"upstream":"ok"}');
      if (url.includes('symbol=MSFT')) return new Response('<html>', { status: 502 });
      return new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    };
    const error = await fetchLive(plan('http://p', { pair: null }), { fetch: answers, timeoutMs: 30 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('No ticker could be loaded (AAPL TIMEOUT, MSFT HTTP_502, ^IRX TIMEOUT); the data on screen is kept.');
    const abort = new AbortController();
    const pending = fetchLive(plan('http://p', { pair: null }), { fetch: answers, signal: abort.signal });
    setTimeout(() => abort.abort(new Error('cancelled by the user')), 20);
    await expect(pending).rejects.toThrow('cancelled by the user');
  });
});
