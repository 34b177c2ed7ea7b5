import { describe, expect, it } from 'vitest';
import { formatProxyLoad, percentile, runProxyLoad } from '../bench/proxy-load.ts';

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
    expect(formatProxyLoad(r)).toContain('unexpected      0');
  });

  it('reports nearest-rank percentiles (worked by hand)', () => {
    const ms = Array.from({ length: 200 }, (_, i) => i + 1); // 1 … 200
    expect(percentile(ms, 0.5)).toBe(100); // ceil(0.5·200) = 100th value
    expect(percentile(ms, 0.99)).toBe(198); // ceil(0.99·200) = 198th value
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([3, 9], 0.5)).toBe(3);
    expect(percentile([], 0.5)).toBe(0);
  });
});
