/**
 * The embedded demo market for commands that run without data options. The wasm engine is loaded
 * on first use only (dynamic import), so commands given their own files never touch it.
 */
import { parseBarsCsv, parsePricesCsv } from '../engine/csv.ts';
import type { DemoMarket } from '../engine/demo.ts';
import type { BarTable, PriceTable } from '../engine/types.ts';
import { readTextFile } from './files.ts';

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

/** Minute bars from `--bars FILE` (resolved against `cwd`), else the demo's; `source` names where they came from. */
export async function barsOption(path: string | undefined, cwd: string): Promise<{ bars: BarTable; source: string }> {
  if (path !== undefined) return { bars: parseBarsCsv(await readTextFile('--bars', path, cwd), { name: path }), source: path };
  const demo = await demoMarket();
  return { bars: demo.bars, source: demo.label };
}

/** Daily prices from `--prices FILE` (resolved against `cwd`), else the demo's; `source` names where they came from. */
export async function pricesOption(path: string | undefined, cwd: string): Promise<{ prices: PriceTable; source: string }> {
  if (path !== undefined) return { prices: parsePricesCsv(await readTextFile('--prices', path, cwd), { name: path }), source: path };
  const demo = await demoMarket();
  return { prices: demo.prices, source: demo.label };
}
