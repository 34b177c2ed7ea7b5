/** The proxy's loopback load test as a benchmark row (it has no TS baseline: it is TS). */
import type { BenchRow } from './harness.ts';

export async function benchProxyLoad(): Promise<BenchRow[]> {
  const { runProxyLoad } = await import('./proxy-load.ts');
  const r = await runProxyLoad({ requests: 5000, concurrency: 200 });
  const statuses = Object.entries(r.statusCounts).map(([k, v]) => `${k}:${v}`).join(' ');
  return [
    {
      kernel: 'proxy-load',
      size: `${r.requests} req @ ${r.concurrency}`,
      medianMs: r.p50Ms,
      baselineMs: null,
      ratio: null,
      note: `${Math.round(r.throughputRps)} req/s, p99 ${r.p99Ms.toFixed(1)} ms, upstream calls ${r.upstreamCalls}, status ${statuses}, unexpected ${r.unexpected}`,
    },
  ];
}
