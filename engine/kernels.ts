/**
 * The kernel-access object every engine module works on: the wasm exports, scratch memory, and
 * kernel status → typed error. Domain modules (engine/random, engine/linalg, engine/market, …)
 * are plain functions taking a `Kernels` first; there is no class that every feature adds
 * methods to.
 *
 * Loading works in any host: Node reads `build/astra.wasm` (engine/node.ts), a browser worker
 * passes `fetch(wasmUrl)`. The module has no imports (built with `--use abort=`). Its exports are
 * checked against {@link KERNEL_EXPORTS} and its status codes against `KERNEL_STATUS` at load, so
 * a stale or mismatched build fails at once with a message naming what is missing.
 *
 * Memory discipline: the module uses AssemblyScript's stub runtime (a bump allocator that never
 * frees). Every call starts with {@link Kernels.reset}, allocates its buffers, and creates
 * typed-array views only after its last allocation — growing memory detaches earlier views.
 */
import { AstraError, KERNEL_STATUS, Messages, statusToError } from './errors.ts';
import type { KernelStatusName } from './errors.ts';

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
  covariance(x: number, n: number, t: number, mean: number, out: number): number;
  weightedCovariance(x: number, n: number, t: number, w: number, out: number): number;
  symmetricEigen(a: number, n: number, values: number, vectors: number, work: number): number;
  /** Set the generator to stream (seed, stream); `fillNormalsNext` then continues it. */
  seedStream(seed: bigint, stream: bigint): void;
  fillNormalsNext(out: number, count: number): void;
  // Monte Carlo VaR (assembly/risk; engine/risk/montecarlo.ts documents the arguments).
  expm1Many(x: number, out: number, count: number): void;
  /** The Monte Carlo sampler (assembly/random/mcnormal.ts): ⌈count/4⌉·4 normals from (seed, stream). */
  mcNormals(out: number, count: number, seed: bigint, stream: bigint): void;
  mcPathsBlock(
    lower: number, drift: number, notionals: number, n: number, n4: number, days: number, paths: number, stride: number, halfStride: number,
    seed: bigint, stream: bigint, packed: number, z: number, y: number, consts: number, g: number, cache: number, e: number,
    pnl: number, worst: number,
  ): number;
  mcTerminalBlock(
    lower: number, drift: number, notionals: number, n: number, n4: number, horizon: number, paths: number, stride: number,
    seed: bigint, stream: bigint, packed: number, z: number, shock: number, e: number, pnl: number,
  ): number;
  mcPriceDays(
    g: number, drift: number, notionals: number, n: number, stride: number, first: number, days: number, pnl: number, worst: number, e: number, consts: number,
  ): number;
  mcPriceTerminal(shock: number, drift: number, notionals: number, n: number, stride: number, horizon: number, e: number, pnl: number): number;
  // Portfolio QP (assembly/portfolio; engine/portfolio/solve.ts documents the arguments).
  qpWorkBytes(n: number): number;
  qpSolve(
    n: number, cov: number, q: number, bp: number, nbp: number, slope: number, sgn: number,
    state: number, w: number, guess: number, params: number, info: number, work: number,
  ): number;
  // Kalman pairs (assembly/pairs/kalman.ts documents the arguments; engine/pairs/layout.ts the state block).
  pairInit(
    state: number, delta: number, ve: number, entry: number, exit: number, costRate: number,
    signalFrom: number, haltFrom: number, flat: number, llFrom: number,
  ): void;
  pairRun(
    state: number, y: number, x: number, sessions: number, n: number, lastFlags: number, write: number,
    beta: number, alpha: number, spread: number, variance: number, z: number, position: number, equity: number, equityNet: number,
    trades: number, capacity: number,
  ): number;
  kalmanLogLik(y: number, x: number, from: number, to: number, delta: number, ve: number, burnIn: number, result: number): number;
  pairLayout(which: number): number;
  /** 1 if every close of both legs is positive and finite or NaN, else 0. */
  pairPricesValid(y: number, x: number, n: number): number;
  /** 1 if the n session labels never decrease, else 0. */
  pairSessionsOrdered(sessions: number, n: number): number;
  // Pair scan (assembly/pairs/scan.ts; engine/pairs/cointegration.ts documents the arguments).
  engleGranger(y: number, x: number, ly: number, lx: number, m: number, maxLag: number, fixed: number, work: number, out: number): number;
  engleGrangerWork(m: number, maxLag: number): number;
}

/** Every function the engine calls, checked at load. Add a name here when a kernel is added. */
export const KERNEL_EXPORTS = [
  'scratchAlloc',
  'scratchReset',
  'lastDetail',
  'fillUniforms',
  'fillNormals',
  'zigguratEdges',
  'cholesky',
  'lowerTimesVectors',
  'covariance',
  'weightedCovariance',
  'symmetricEigen',
  'seedStream',
  'fillNormalsNext',
  'expm1Many',
  'mcNormals',
  'mcPathsBlock',
  'mcTerminalBlock',
  'mcPriceDays',
  'mcPriceTerminal',
  'qpWorkBytes',
  'qpSolve',
  'pairInit',
  'pairRun',
  'kalmanLogLik',
  'pairLayout',
  'pairPricesValid',
  'pairSessionsOrdered',
  'engleGranger',
  'engleGrangerWork',
] as const satisfies readonly (keyof KernelExports)[];

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

async function instantiate(source: WasmSource): Promise<WebAssembly.Instance> {
  try {
    if (source instanceof WebAssembly.Module) return await WebAssembly.instantiate(source, {});
    if (isResponseLike(source)) return await instantiateResponse(source);
    const bytes = ArrayBuffer.isView(source)
      ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
      : new Uint8Array(source);
    return (await WebAssembly.instantiate(bytes as BufferSource, {})).instance;
  } catch (err) {
    if (err instanceof AstraError) throw err;
    throw new AstraError('WASM_LOAD', Messages.wasmLoad(err instanceof Error ? err.message : String(err)));
  }
}

/**
 * Check a module's exports against what the engine calls and its status codes against the
 * engine's table. Throws `WASM_LOAD` naming the first missing export or mismatched status.
 */
export function checkExports(exports: WebAssembly.Exports): KernelExports {
  if (!(exports.memory instanceof WebAssembly.Memory)) throw new AstraError('WASM_LOAD', Messages.wasmLoad(Messages.missingExport('memory')));
  for (const name of KERNEL_EXPORTS) {
    if (typeof exports[name] !== 'function') throw new AstraError('WASM_LOAD', Messages.wasmLoad(Messages.missingExport(name)), { export: name });
  }
  for (const [name, code] of Object.entries(KERNEL_STATUS) as [KernelStatusName, number][]) {
    const global = exports[`STATUS_${name}`];
    if (!(global instanceof WebAssembly.Global)) {
      throw new AstraError('WASM_LOAD', Messages.wasmLoad(Messages.missingExport(`STATUS_${name}`)), { export: `STATUS_${name}` });
    }
    if (global.value !== code) throw new AstraError('WASM_LOAD', Messages.wasmLoad(Messages.statusMismatch(name, global.value, code)));
  }
  return exports as unknown as KernelExports;
}

/** Largest seed the engine accepts: seeds travel through JSON and URLs as plain numbers. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** One wasm instance and its scratch memory. Not thread-safe: one per worker. */
export class Kernels {
  /** The raw exports, for kernels called directly (benchmarks time them without copies). */
  readonly exports: KernelExports;

  private constructor(exports: KernelExports) {
    this.exports = exports;
  }

  /** Instantiate and check the kernels from any `WasmSource`. Throws `WASM_LOAD` with the reason. */
  static async load(source: WasmSource): Promise<Kernels> {
    return new Kernels(checkExports((await instantiate(source)).exports));
  }

  /** Forget every scratch buffer of the previous call. Start each call with this. */
  reset(): void {
    this.exports.scratchReset();
  }

  /** Room for `count` f64 (16-byte aligned, for v128 loads); returns its address. */
  allocF64(count: number): number {
    return this.exports.scratchAlloc(Math.max(1, count) * 8);
  }

  /** Allocate and fill with `data`; returns the address. */
  putF64(data: ArrayLike<number>): number {
    const ptr = this.allocF64(data.length);
    this.f64(ptr, data.length).set(data);
    return ptr;
  }

  /** A view of `count` f64 at `ptr`: valid until the next allocation (which may grow memory). */
  f64(ptr: number, count: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, count);
  }

  /** A copy the caller owns of `count` f64 at `ptr` (kernel memory is reused by the next call). */
  takeF64(ptr: number, count: number): Float64Array {
    return this.f64(ptr, count).slice();
  }

  /**
   * Throw the typed error for a kernel's status (nothing for OK). `what` names the input in the
   * message (e.g. `'daily covariance'`); `n` > 0 reports a flat index as row and column.
   */
  check(status: number, what: string, n = 0): void {
    const error = statusToError(status, this.exports.lastDetail(), what, n);
    if (error) throw error;
  }
}

/** A seed (or stream number) as the kernels take it. Throws `BAD_INPUT` unless a non-negative safe integer. */
export function toSeed(seed: number, name = 'seed'): bigint {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new AstraError('BAD_INPUT', name === 'seed' ? Messages.badSeed(seed) : Messages.badSize(name, seed, 'a non-negative safe integer'));
  }
  return BigInt(seed);
}

/** Throws `BAD_SIZE` unless `count` is an integer from 0 to 2^28 (2 GiB of f64). */
export function checkCount(what: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > 2 ** 28) {
    throw new AstraError('BAD_SIZE', Messages.badSize(what, count, 'an integer from 0 to 2^28'));
  }
}
