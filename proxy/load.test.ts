import { describe, expect, it } from 'vitest';
import { formatProxyLoad, runProxyLoad } from '../bench/proxy-load.ts';

describe('bench/proxy-load (small run)', () => {
  it('ends with only 200s and the intended 429s, and coalesces/caches upstream calls', async () => {
    const r = await runProxyLoad({ requests: 400, concurrency: 40 });
    expect(r.unexpected).toBe(0);
    // Each client's limit is floor(share × 0.96) with a frozen clock: exactly 16 of 400 are limited.
    expect(r.statusCounts).toEqual({ '200': 384, '429': 16 });
    expect(r.requests).toBe(400);
    expect(r.concurrency).toBe(40);
    // 400 requests over a few dozen distinct keys: far fewer upstream calls than requests.
    expect(r.upstreamCalls).toBeGreaterThan(0);
    expect(r.upstreamCalls).toBeLessThan(200);
    expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    expect(formatProxyLoad(r)).toContain('unexpected      0');
  });
});
