/** Timing helpers for `npm run bench`: warm runs, then the median of repeated runs. */

/** One benchmark row, as printed with `--json`. */
export interface BenchRow {
  /** Kernel name, e.g. `normals`, `cholesky`. */
  kernel: string;
  /** Problem size, e.g. `n=500`. */
  size: string;
  /** Median wall time of the wasm kernel, milliseconds. */
  medianMs: number;
  /** Median wall time of the plain-TypeScript run of the same algorithm, milliseconds. */
  baselineMs: number | null;
  /** baselineMs / medianMs: how many times faster the kernel is. */
  ratio: number | null;
  /** Optional extra figures (per-item cost, targets). */
  note?: string;
}

export interface TimingOptions {
  /** Untimed runs first, so V8 has tiered the code up. */
  warmup?: number;
  /**
   * Keep warming up (past `warmup` runs) until this much time has passed, milliseconds. V8 compiles
   * wasm with its baseline compiler first and swaps in optimised code in the background; a kernel
   * called a few times a run can take a second or more to be swapped, and runs before that time
   * the baseline code, not the kernel.
   */
  warmupMs?: number;
  /** Minimum timed runs. */
  minRuns?: number;
  /** Keep running (past minRuns) until this much time has been spent, milliseconds. */
  minTotalMs?: number;
  /** Never more than this many timed runs. */
  maxRuns?: number;
}

/** Median wall time of `fn` in milliseconds. */
export function medianMs(fn: () => unknown, options: TimingOptions = {}): number {
  const { warmup = 2, warmupMs = 0, minRuns = 5, minTotalMs = 300, maxRuns = 200 } = options;
  const warmStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmStart < warmupMs; i++) fn();
  const times: number[] = [];
  let total = 0;
  while (times.length < minRuns || (total < minTotalMs && times.length < maxRuns)) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    times.push(dt);
    total += dt;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** A row from kernel and baseline medians. */
export function row(kernel: string, size: string, kernelMs: number, baselineMs: number | null, note?: string): BenchRow {
  return { kernel, size, medianMs: kernelMs, baselineMs, ratio: baselineMs === null ? null : baselineMs / kernelMs, ...(note ? { note } : {}) };
}

/** Format rows as an aligned text table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const head = ['kernel', 'size', 'median ms', 'baseline ms (TS)', 'ratio', 'note'];
  const body = rows.map((r) => [
    r.kernel,
    r.size,
    fmt(r.medianMs),
    r.baselineMs === null ? '—' : fmt(r.baselineMs),
    r.ratio === null ? '—' : `${r.ratio.toFixed(1)}x`,
    r.note ?? '',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c >= 2 && c <= 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4);
}
