import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './config.ts';
import { DEFAULT_ALLOWED_ORIGINS, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_UPSTREAM_TIMEOUT_MS } from './constants.ts';
import { request } from './test-helpers.ts';

describe('parseEnv', () => {
  it('uses the named defaults for an empty environment', () => {
    const c = parseEnv({});
    expect(c.host).toBe(DEFAULT_HOST);
    expect(c.port).toBe(DEFAULT_PORT);
    expect(c.options.allowedOrigins).toEqual(DEFAULT_ALLOWED_ORIGINS);
    expect(c.options.upstreamTimeoutMs).toBe(DEFAULT_UPSTREAM_TIMEOUT_MS);
  });

  it('reads every variable', () => {
    const c = parseEnv({
      HOST: '0.0.0.0',
      PORT: '9000',
      ALLOWED_ORIGINS: 'https://astra.example, http://localhost:3000',
      CACHE_TTL_MS: '0',
      CACHE_MAX_ENTRIES: '10',
      CACHE_MAX_BYTES: '1048576',
      RATE_LIMIT_PER_MIN: '5',
      RATE_LIMIT_MAX_CLIENTS: '50',
      UPSTREAM_TIMEOUT_MS: '2500',
      MAX_RESPONSE_BYTES: '2048',
      MAX_IN_FLIGHT: '2',
    });
    expect(c).toEqual({
      host: '0.0.0.0',
      port: 9000,
      options: {
        allowedOrigins: ['https://astra.example', 'http://localhost:3000'],
        cacheTtlMs: 0,
        cacheMaxEntries: 10,
        cacheMaxBytes: 1048576,
        rateLimitPerMin: 5,
        rateLimitMaxClients: 50,
        upstreamTimeoutMs: 2500,
        maxResponseBytes: 2048,
        maxInFlight: 2,
      },
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['RATE_LIMIT_PER_MIN', '0'],
    ['CACHE_MAX_BYTES', '64MB'],
    ['UPSTREAM_TIMEOUT_MS', '1.5'],
    ['ALLOWED_ORIGINS', '*'],
    ['ALLOWED_ORIGINS', 'http://localhost:5173/'],
    ['HOST', 'evil host'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => parseEnv({ [name]: value })).toThrow(name);
  });
});

describe('npm run proxy (server.ts)', () => {
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const entry = fileURLToPath(new URL('./server.ts', import.meta.url));

  it('starts on the given port, prints its URL and answers health without network', async () => {
    const child = spawn(tsx, [entry], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const r = await request(url, '/api/health');
      expect(r.body).toEqual({ ok: true, upstream: 'unknown', upstreamError: null });
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('exits 2 with a clear message on a bad environment', async () => {
    const child = spawn(tsx, [entry], { env: { ...process.env, PORT: 'abc' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('PORT must be a whole number');
  });
});
