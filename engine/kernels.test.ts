import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_STATUS } from './errors.ts';
import { KERNEL_EXPORTS, Kernels, checkExports } from './kernels.ts';
import { WASM_PATH, loadKernels } from './node.ts';

const statusSource = readFileSync(new URL('../assembly/util/status.ts', import.meta.url), 'utf8');
const indexSource = readFileSync(new URL('../assembly/index.ts', import.meta.url), 'utf8');

let exports: WebAssembly.Exports;
beforeAll(async () => {
  exports = (await WebAssembly.instantiate(readFileSync(WASM_PATH), {})).instance.exports;
});

describe('kernel status codes: one table on both sides', () => {
  it('the AssemblyScript constants are exactly the engine table', () => {
    const inSource = Object.fromEntries(
      [...statusSource.matchAll(/export const STATUS_(\w+): i32 = (\d+);/g)].map((m) => [m[1], Number(m[2])]),
    );
    expect(inSource).toEqual(KERNEL_STATUS);
  });

  it('every status is exported from the module with its value', () => {
    for (const [name, code] of Object.entries(KERNEL_STATUS)) {
      expect(indexSource).toContain(`STATUS_${name}`);
      expect((exports[`STATUS_${name}`] as WebAssembly.Global).value).toBe(code);
    }
  });
});

describe('exports are checked at load', () => {
  it('accepts the real module and every expected function is there', async () => {
    const k = await loadKernels();
    for (const name of KERNEL_EXPORTS) expect(typeof k.exports[name]).toBe('function');
  });

  it('names a missing export', () => {
    const { cholesky: _dropped, ...rest } = exports as Record<string, unknown>;
    expect(() => checkExports(rest as WebAssembly.Exports)).toThrow(/could not load the ASTRA WebAssembly kernels: the module has no export 'cholesky'/);
  });

  it('names a status whose value disagrees with the table', () => {
    const wrong = { ...exports, STATUS_BAD_SIZE: new WebAssembly.Global({ value: 'i32', mutable: false }, 9) };
    expect(() => checkExports(wrong)).toThrow(/status BAD_SIZE is 9 in the module but 3 in the engine's table/);
  });

  it('refuses bytes that are not a module, with WASM_LOAD', async () => {
    await expect(Kernels.load(new Uint8Array([0, 1, 2, 3]))).rejects.toMatchObject({ code: 'WASM_LOAD' });
  });
});
