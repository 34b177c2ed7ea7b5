/**
 * The embedded demo market for commands that run without data options. The wasm engine is loaded
 * on first use only (dynamic import), so commands given their own files never touch it.
 */
import type { DemoMarket } from '../engine/demo.ts';

let market: Promise<DemoMarket> | undefined;

/** The demo market, generated once per process through the wasm kernels. */
export function demoMarket(): Promise<DemoMarket> {
  market ??= (async () => {
    const [{ loadKernels }, { generateDemoMarket }] = await Promise.all([
      import('../engine/node.ts'),
      import('../engine/demo.ts'),
    ]);
    return generateDemoMarket(await loadKernels());
  })();
  // A failed load must not be cached: the next call (e.g. after `npm run build:wasm`) retries.
  market.catch(() => {
    market = undefined;
  });
  return market;
}
