/** Node-only loader: reads `build/astra.wasm` from disk (CLI, tests, benchmarks). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AstraError, Messages } from './errors.ts';
import { Engine } from './engine.ts';

/** Absolute path of the release wasm that `npm run build:wasm` writes. */
export const WASM_PATH = fileURLToPath(new URL('../build/astra.wasm', import.meta.url));

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * A ready engine. The module is compiled once per process and instantiated per call, so callers
 * that want isolation (tests, benchmarks) can have separate instances cheaply.
 */
export async function loadEngine(path = WASM_PATH): Promise<Engine> {
  if (path !== WASM_PATH) return Engine.create(await readWasm(path));
  compiled ??= readWasm(path).then((bytes) => WebAssembly.compile(bytes));
  return Engine.create(await compiled);
}

async function readWasm(path: string): Promise<BufferSource> {
  try {
    return (await readFile(path)) as BufferSource;
  } catch {
    throw new AstraError('WASM_LOAD', Messages.wasmLoad(`${path} is missing — run \`npm run build:wasm\` first`));
  }
}
