/// <reference types="vite/client" />
/**
 * The replay's engine: the incremental pair (`createIncrementalPair`) on a wasm instance of the
 * page's own, loaded on the first replay.
 *
 * Why on the page and not in a worker: a live feed is one bar at a time, at most ≈ 17 bars a second
 * at 1000×, and one push costs about 1.5 µs (measured in Node over the demo's 11,700 bars: 17.6 ms
 * in all). A worker round trip costs 50–60 µs, more than the push itself, and the incremental
 * object keeps its state between bars, which the pool's stateless blocks cannot hold. The page's
 * instance is the same `.wasm` file the workers fetch (the browser's cache serves it again).
 */
import wasmUrl from '../../build/astra.wasm?url';
import { Kernels } from '../../engine/kernels.ts';
import { createIncrementalPair } from '../../engine/pairs/incremental.ts';
import type { IncrementalOptions, IncrementalPair } from '../workers/protocol.ts';

let kernels: Promise<Kernels> | null = null;

/** The page's kernels, loaded once (a failed load is retried on the next call). */
function pageKernels(): Promise<Kernels> {
  kernels ??= Kernels.load(fetch(wasmUrl)).catch((e: unknown) => {
    kernels = null;
    throw e;
  });
  return kernels;
}

/** A new incremental pair with `options` on the page's kernels. */
export async function createFeed(options: IncrementalOptions): Promise<IncrementalPair> {
  return createIncrementalPair(await pageKernels(), options);
}
