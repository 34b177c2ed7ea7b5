/** Node-only loader: reads `build/astra.wasm` from disk (CLI, tests, benchmarks, Node workers). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AstraError, Messages } from './errors.ts';
import { Kernels } from './kernels.ts';

/** Absolute path of the release wasm that `npm run build:wasm` writes. */
export const WASM_PATH = fileURLToPath(new URL('../build/astra.wasm', import.meta.url));

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * Ready kernels. The module is compiled once per process and instantiated per call, so callers
 * that want isolation (tests, benchmarks, one instance per worker) get separate instances cheaply.
 */
export async function loadKernels(path = WASM_PATH): Promise<Kernels> {
  if (path !== WASM_PATH) return Kernels.load(await readWasm(path));
  compiled ??= readWasm(path).then((bytes) => WebAssembly.compile(bytes));
  compiled.catch(() => (compiled = undefined)); // a later call (after a build) tries again
  return Kernels.load(await compiled);
}

async function readWasm(path: string): Promise<BufferSource> {
  try {
    return (await readFile(path)) as BufferSource;
  } catch {
    throw new AstraError('WASM_LOAD', Messages.wasmLoad(`${path} is missing — run \`npm run build:wasm\` first`));
  }
}
