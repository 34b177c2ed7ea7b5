import { describe, expect, it } from 'vitest';
import { advertisedProxy, fetchShipped } from './shipped.ts';
import { MAX_SNAPSHOT_BYTES } from './source-files.ts';

const BASE = 'http://127.0.0.1:4173/app/index.html';

/** A fetch that answers one URL and records what was asked. */
function serve(url: string, response: () => Response) {
  const asked: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    asked.push(String(input));
    return String(input) === url ? response() : new Response('not found', { status: 404 });
  };
  return { fetch, asked };
}

describe('the shipped snapshot', () => {
  it('is read from beside index.html', async () => {
    const { fetch, asked } = serve('http://127.0.0.1:4173/app/snapshot.json', () => new Response('{"format":"astra-snapshot"}', { headers: { 'content-type': 'application/json' } }));
    expect(await fetchShipped(fetch, BASE)).toEqual({ name: 'snapshot.json', text: '{"format":"astra-snapshot"}' });
    expect(asked).toEqual(['http://127.0.0.1:4173/app/snapshot.json']);
  });

  it('is absent, silently, on a 404, an SPA fallback page or no answer', async () => {
    expect(await fetchShipped(serve('x', () => new Response('')).fetch, BASE)).toBeNull();
    const html = serve('http://127.0.0.1:4173/app/snapshot.json', () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }));
    expect(await fetchShipped(html.fetch, BASE)).toBeNull();
    const untyped = serve('http://127.0.0.1:4173/app/snapshot.json', () => new Response('  <!doctype html>'));
    expect(await fetchShipped(untyped.fetch, BASE)).toBeNull();
    expect(await fetchShipped(() => Promise.reject(new TypeError('Failed to fetch')), BASE)).toBeNull();
  });

  it('is refused over the size cap, from its declared length before reading it', async () => {
    let read = false;
    const big = serve('http://127.0.0.1:4173/app/snapshot.json', () => {
      const body = new ReadableStream({ pull() { read = true; } }, { highWaterMark: 0 });
      return new Response(body, { headers: { 'content-length': String(MAX_SNAPSHOT_BYTES + 1) } });
    });
    await expect(fetchShipped(big.fetch, BASE)).rejects.toThrow('the shipped snapshot.json is 40.0 MB; a snapshot may be at most 40.0 MB');
    expect(read).toBe(false);
  });
});

describe('the proxy npm start advertises', () => {
  const json = (body: unknown) => () => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json; charset=utf-8' } });

  it("reads proxyUrl from astra-config.json beside index.html", async () => {
    const { fetch, asked } = serve('http://127.0.0.1:4173/app/astra-config.json', json({ proxyUrl: 'http://127.0.0.1:8788' }));
    expect(await advertisedProxy(fetch, BASE)).toBe('http://127.0.0.1:8788');
    expect(asked).toEqual(['http://127.0.0.1:4173/app/astra-config.json']);
  });

  it('counts anything but that JSON as absent', async () => {
    const url = 'http://127.0.0.1:4173/app/astra-config.json';
    expect(await advertisedProxy(serve('x', json({})).fetch, BASE)).toBeNull();
    expect(await advertisedProxy(serve(url, () => new Response('<html>', { headers: { 'content-type': 'text/html' } })).fetch, BASE)).toBeNull();
    expect(await advertisedProxy(serve(url, json({ proxyUrl: 'javascript:alert(1)' })).fetch, BASE)).toBeNull();
    expect(await advertisedProxy(serve(url, json({ proxyUrl: 'http://x/api' })).fetch, BASE)).toBeNull();
    expect(await advertisedProxy(serve(url, () => new Response('{', { headers: { 'content-type': 'application/json' } })).fetch, BASE)).toBeNull();
  });
});
