/**
 * Loading the ASTRA kernels (`build/astra.wasm`) in any host: Node reads the file, a browser
 * worker passes a `fetch` response. The module has no imports (built with `--use abort=`).
 */
import { AstraError, Messages } from './errors.ts';

/** Where the wasm can come from: bytes, a (promised) `Response`, or a compiled module. */
export type WasmSource = ArrayBuffer | ArrayBufferView | Response | PromiseLike<Response> | WebAssembly.Module;

/** The raw exports of `assembly/index.ts`. Addresses are byte offsets into `memory`. */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  scratchAlloc(bytes: number): number;
  scratchReset(): void;
  lastDetail(): number;
  fillUniforms(out: number, count: number, seed: bigint, stream: bigint): void;
  fillNormals(out: number, count: number, seed: bigint, stream: bigint): void;
  zigguratEdges(): number;
  cholesky(a: number, l: number, n: number, invDiag: number): number;
  lowerTimesVectors(l: number, z: number, out: number, n: number, draws: number): void;
}

function isResponseLike(x: unknown): x is Response | PromiseLike<Response> {
  return (
    (typeof Response !== 'undefined' && x instanceof Response) ||
    (typeof x === 'object' && x !== null && typeof (x as PromiseLike<Response>).then === 'function')
  );
}

async function instantiateResponse(source: Response | PromiseLike<Response>): Promise<WebAssembly.Instance> {
  const response = await source;
  if (!response.ok) throw new AstraError('WASM_LOAD', Messages.wasmLoad(`HTTP ${response.status} for ${response.url}`));
  // Streaming compilation needs the application/wasm MIME type; some static servers get it wrong,
  // so fall back to compiling the bytes rather than failing the whole app.
  if (typeof WebAssembly.instantiateStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return (await WebAssembly.instantiateStreaming(response, {})).instance;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer(), {})).instance;
}

/** Instantiate the kernels from any `WasmSource`. Throws `AstraError('WASM_LOAD')` with the reason. */
export async function instantiateKernels(source: WasmSource): Promise<KernelExports> {
  let instance: WebAssembly.Instance;
  try {
    if (source instanceof WebAssembly.Module) {
      instance = await WebAssembly.instantiate(source, {});
    } else if (isResponseLike(source)) {
      instance = await instantiateResponse(source);
    } else {
      const bytes = ArrayBuffer.isView(source)
        ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
        : new Uint8Array(source);
      instance = (await WebAssembly.instantiate(bytes as BufferSource, {})).instance;
    }
  } catch (err) {
    if (err instanceof AstraError) throw err;
    throw new AstraError('WASM_LOAD', Messages.wasmLoad(err instanceof Error ? err.message : String(err)));
  }
  return instance.exports as unknown as KernelExports;
}

/**
 * A call's scratch buffers. The stub runtime never frees, so every call starts with `reset`,
 * allocates what it needs, and re-creates typed-array views after the last allocation (growing
 * memory detaches earlier views).
 */
export class Scratch {
  constructor(private readonly k: KernelExports) {}

  /** Forget all scratch buffers from the previous call. */
  reset(): void {
    this.k.scratchReset();
  }

  /** Allocate room for `count` f64 and return its address (16-byte aligned). */
  allocF64(count: number): number {
    return this.k.scratchAlloc(Math.max(1, count) * 8);
  }

  /** A fresh view of `count` f64 at `ptr` — valid until the next allocation. */
  f64(ptr: number, count: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, ptr, count);
  }
}
