/**
 * The one typed API over the wasm kernels, used by the workers, the CLI and the tests.
 * Validates at the boundary and turns kernel statuses into `AstraError`s; every result is a copy
 * the caller owns (kernel memory is reused by the next call).
 */
import { AstraError, Messages, statusToError } from './errors.ts';
import { instantiateKernels, Scratch, type KernelExports, type WasmSource } from './wasm.ts';

/** Largest seed the engine accepts: seeds travel through JSON and URLs as plain numbers. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

function checkSeed(seed: number, name = 'seed'): bigint {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new AstraError('BAD_INPUT', name === 'seed' ? Messages.badSeed(seed) : Messages.badSize(name, seed, 'a non-negative safe integer'));
  }
  return BigInt(seed);
}

function checkCount(what: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > 2 ** 28) {
    throw new AstraError('BAD_SIZE', Messages.badSize(what, count, 'an integer from 0 to 2^28'));
  }
}

export class Engine {
  private readonly scratch: Scratch;

  private constructor(private readonly k: KernelExports) {
    this.scratch = new Scratch(k);
  }

  /** Load the kernels from bytes, a `Response` (browser: `fetch(wasmUrl)`) or a compiled module. */
  static async create(source: WasmSource): Promise<Engine> {
    return new Engine(await instantiateKernels(source));
  }

  /** The raw kernel exports, for benchmarks that time a kernel without the copy-out. */
  get kernels(): KernelExports {
    return this.k;
  }

  /**
   * `count` standard normal draws (xoshiro256** + 256-layer ziggurat) from stream
   * (`seed`, `stream`). Same arguments → same numbers on every machine.
   */
  normals(count: number, seed: number, stream = 0): Float64Array {
    return this.fill(this.k.fillNormals, count, seed, stream);
  }

  /** `count` uniforms in [0, 1) from stream (`seed`, `stream`): 53 random bits each. */
  uniforms(count: number, seed: number, stream = 0): Float64Array {
    return this.fill(this.k.fillUniforms, count, seed, stream);
  }

  private fill(kernel: KernelExports['fillNormals'], count: number, seed: number, stream: number): Float64Array {
    checkCount('count', count);
    const s = checkSeed(seed);
    const t = checkSeed(stream, 'stream');
    this.scratch.reset();
    const out = this.scratch.allocF64(count);
    kernel(out, count, s, t);
    return this.scratch.f64(out, count).slice();
  }

  /**
   * Cholesky factor of a symmetric positive-definite matrix.
   * @param matrix row-major n×n; only the lower triangle is read. NaN/∞ are refused.
   * @param n the dimension.
   * @param what how to name the matrix in error messages (e.g. `'daily covariance'`).
   * @returns L, row-major n×n with zeros above the diagonal, such that L·Lᵀ = matrix.
   * @throws AstraError `NOT_POSITIVE_DEFINITE` naming the row, `NON_FINITE` naming row and column.
   */
  cholesky(matrix: ArrayLike<number>, n: number, what = 'matrix'): Float64Array {
    checkSquare(matrix, n);
    this.scratch.reset();
    const a = this.scratch.allocF64(n * n);
    const l = this.scratch.allocF64(n * n);
    const inv = this.scratch.allocF64(n);
    this.scratch.f64(a, n * n).set(matrix);
    const status = this.k.cholesky(a, l, n, inv);
    const detail = this.k.lastDetail();
    if (status === 2) {
      throw new AstraError('NON_FINITE', Messages.nonFiniteMatrix(Math.floor(detail / n), detail % n, what), {
        row: Math.floor(detail / n) + 1,
        column: (detail % n) + 1,
      });
    }
    const err = statusToError(status, detail, what);
    if (err) throw err;
    return this.scratch.f64(l, n * n).slice();
  }

  /**
   * `draws` correlated normal vectors L·z (z standard normal from stream (`seed`, `stream`)).
   * @param lower Cholesky factor, row-major n×n (upper triangle ignored).
   * @returns row-major `draws × n`.
   */
  correlatedNormals(lower: ArrayLike<number>, n: number, draws: number, seed: number, stream = 0): Float64Array {
    checkSquare(lower, n, 'Cholesky factor');
    checkCount('draws', draws * n);
    const s = checkSeed(seed);
    const t = checkSeed(stream, 'stream');
    this.scratch.reset();
    const l = this.scratch.allocF64(n * n);
    const z = this.scratch.allocF64(draws * n);
    const out = this.scratch.allocF64(draws * n);
    this.scratch.f64(l, n * n).set(lower);
    this.k.fillNormals(z, draws * n, s, t);
    this.k.lowerTimesVectors(l, z, out, n, draws);
    return this.scratch.f64(out, draws * n).slice();
  }
}

function checkSquare(matrix: ArrayLike<number>, n: number, what = 'matrix'): void {
  if (!Number.isInteger(n) || n <= 0 || n > 4096) {
    throw new AstraError('BAD_SIZE', Messages.badSize(`${what} dimension`, n, 'an integer from 1 to 4096'));
  }
  if (matrix.length !== n * n) throw new AstraError('BAD_SIZE', Messages.notSquare(matrix.length, n));
}
