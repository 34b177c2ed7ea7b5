// Status codes every kernel returns instead of throwing: an AssemblyScript `throw` traps and kills
// the instance, so maths reports what went wrong and the engine turns it into a typed error.
// The codes are exported from the module (see index.ts) and the engine's table of messages,
// `KERNEL_STATUS` in engine/errors.ts, is checked against them at load and by a test.

export const STATUS_OK: i32 = 0;
/** A Cholesky pivot was not positive; `lastDetail()` is the row. */
export const STATUS_NOT_POSITIVE_DEFINITE: i32 = 1;
/** An input was NaN or infinite; `lastDetail()` is its flat index. */
export const STATUS_NON_FINITE_INPUT: i32 = 2;
/** A size argument was out of range; `lastDetail()` is the value. */
export const STATUS_BAD_SIZE: i32 = 3;
/** An iterative kernel did not converge; `lastDetail()` says where (e.g. the eigenvalue index). */
export const STATUS_NO_CONVERGENCE: i32 = 4;

let detail: i32 = 0;

/** Record the location that goes with a non-OK status and return the status. */
export function fail(status: i32, where: i32): i32 {
  detail = where;
  return status;
}

/** Location of the last failure (row or flat index), meaningful only after a non-OK status. */
export function lastDetail(): i32 {
  return detail;
}
