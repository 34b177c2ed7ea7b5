/**
 * The proxy as `npm start` runs it (startLocalProxy, appConfigPlugin — what scripts/start.js
 * calls), against the fake Yahoo: loopback, PROXY_PORT or the first free port, the app's origin
 * allow-listed, a start-up probe that health reports, and astra-config.json served beside index.html.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preview } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { DEFAULT_ALLOWED_ORIGINS } from './constants.ts';
import { createServer } from './create-server.ts';
import { createFakeYahoo } from './fixtures/fake-yahoo.ts';
import { APP_CONFIG_FILE, appConfigPlugin, listenOnFirstFree, loopbackOrigins, parseLocalEnv, startLocalProxy, type LocalProxy } from './local.ts';
import { request } from './test-helpers.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Starts a local proxy on an ephemeral port (PROXY_PORT=0) with a fake Yahoo. */
async function start(env: Record<string, string> = {}, appOrigins = ['http://127.0.0.1:4174']): Promise<{ local: LocalProxy; fake: ReturnType<typeof createFakeYahoo> }> {
  const fake = createFakeYahoo();
  const local = await startLocalProxy({ appOrigins, env: { PROXY_PORT: '0', ...env }, fetch: fake.fetch });
  cleanups.push(() => local.close());
  return { local, fake };
}

/** Holds a loopback port open; resolves to its number. */
async function occupy(port = 0): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve());
  });
  cleanups.push(() => new Promise((r) => s.close(r)));
  return (s.address() as net.AddressInfo).port;
}

describe('startLocalProxy', () => {
  it('listens on 127.0.0.1 and answers health; the probe reports Yahoo reachable', async () => {
    const { local, fake } = await start();
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await local.probe).toBe('ok');
    // One cheap call: 5 daily bars of ^IRX.
    expect(fake.calls.map((c) => `${c.kind} ${c.symbol}`)).toEqual(['chart ^IRX']);
    expect((await request(local.url, '/api/health')).body).toEqual({ ok: true, upstream: 'ok', upstreamError: null });
  });

  it('starts although Yahoo is unreachable, and health says so', async () => {
    const fake = createFakeYahoo();
    fake.all = { kind: 'network-error', code: 'ENOTFOUND' };
    const local = await startLocalProxy({ appOrigins: [], env: { PROXY_PORT: '0' }, fetch: fake.fetch });
    cleanups.push(() => local.close());
    expect(await local.probe).toBe('failing');
    expect((await request(local.url, '/api/health')).body).toEqual({ ok: true, upstream: 'failing', upstreamError: 'UPSTREAM_UNREACHABLE' });
  });

  it("grants CORS to the app's origin and to the default dev/preview origins, and to no one else", async () => {
    const { local } = await start({}, loopbackOrigins('http://127.0.0.1:4174/'));
    for (const origin of ['http://127.0.0.1:4174', 'http://localhost:4174', ...DEFAULT_ALLOWED_ORIGINS]) {
      const r = await request(local.url, '/api/health', { headers: { Origin: origin } });
      expect(r.headers['access-control-allow-origin']).toBe(origin);
    }
    const foreign = await request(local.url, '/api/health', { headers: { Origin: 'http://127.0.0.1:4175' } });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('ALLOWED_ORIGINS replaces the defaults, but the app origin stays allowed', async () => {
    const { local } = await start({ ALLOWED_ORIGINS: 'https://desk.example' }, ['http://127.0.0.1:4174']);
    const ok = async (origin: string) => (await request(local.url, '/api/health', { headers: { Origin: origin } })).headers['access-control-allow-origin'];
    expect(await ok('https://desk.example')).toBe('https://desk.example');
    expect(await ok('http://127.0.0.1:4174')).toBe('http://127.0.0.1:4174');
    expect(await ok('http://localhost:5173')).toBeUndefined();
  });

  it("ignores HOST and PORT (they are the app's) and reads PROXY_PORT", () => {
    expect(parseLocalEnv({ HOST: '0.0.0.0', PORT: '80', PROXY_PORT: '9001' }).port).toBe(9001);
    expect(parseLocalEnv({ PORT: 'not-a-port' }).port).toBeNull();
    expect(() => parseLocalEnv({ PROXY_PORT: 'x' })).toThrow(ConfigError);
    expect(() => parseLocalEnv({ PROXY_PORT: '70000' })).toThrow(/PROXY_PORT/);
    expect(() => parseLocalEnv({ CACHE_MAX_BYTES: '-1' })).toThrow(/CACHE_MAX_BYTES/);
  });

  it('PROXY_PORT is exact: a busy one is an error naming it', async () => {
    const busy = await occupy();
    await expect(startLocalProxy({ appOrigins: [], env: { PROXY_PORT: String(busy) }, fetch: createFakeYahoo().fetch })).rejects.toThrow(
      `PROXY_PORT ${busy} is already in use`,
    );
  });

  it('without PROXY_PORT the next free port is taken (listenOnFirstFree)', async () => {
    const busy = await occupy();
    const proxy = createServer({ fetch: createFakeYahoo().fetch });
    cleanups.push(() => proxy.close());
    const url = await listenOnFirstFree(proxy, '127.0.0.1', busy, 20);
    const port = Number(new URL(url).port);
    expect(port).toBeGreaterThan(busy);
    expect(port).toBeLessThan(busy + 20);
    expect((await request(url, '/api/health')).status).toBe(200);
  });
});

describe('loopbackOrigins', () => {
  it('gives both spellings of loopback for the served URL', () => {
    expect(loopbackOrigins('http://127.0.0.1:4173/')).toEqual(['http://127.0.0.1:4173', 'http://localhost:4173']);
    expect(loopbackOrigins('http://localhost:4180/')).toEqual(['http://localhost:4180', 'http://127.0.0.1:4180']);
  });
});

describe('appConfigPlugin on a real vite preview server', () => {
  it(`serves ${APP_CONFIG_FILE} beside index.html once the proxy URL is known, and nothing before`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'astra-preview-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    let config: { proxyUrl: string } | null = null;
    const server = await preview({
      configFile: false,
      root: dir,
      base: './',
      logLevel: 'silent',
      build: { outDir: dir },
      preview: { host: '127.0.0.1', port: 0 },
      plugins: [appConfigPlugin(() => config)],
    });
    cleanups.push(() => server.close());
    const base = server.resolvedUrls!.local[0];
    const before = await fetch(new URL(APP_CONFIG_FILE, base));
    expect(before.status).toBe(404);
    config = { proxyUrl: 'http://127.0.0.1:8790' };
    const after = await fetch(new URL(APP_CONFIG_FILE, base));
    expect(after.status).toBe(200);
    expect(after.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(after.headers.get('cache-control')).toBe('no-store');
    expect(await after.json()).toEqual({ proxyUrl: 'http://127.0.0.1:8790' });
    // The app itself is still served.
    expect((await fetch(base)).status).toBe(200);
  });
});
