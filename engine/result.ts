/**
 * The one ok/error result type: for parsing what a user typed, editing the book, and figures
 * derived from it. Functions that return it never throw for bad input; the message names the
 * field and the value so the UI can show it while keeping the previous state.
 */
import { AstraError } from './errors.ts';

/** A value, or why there is none. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** A successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** A failed result with a message naming what is wrong. */
export function fail<T = never>(error: string): Result<T> {
  return { ok: false, error };
}

/** Run `f`, turning an `AstraError` (bad input) into a failed result; other errors are bugs and propagate. */
export function attempt<T>(f: () => T): Result<T> {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof AstraError) return fail(e.message);
    throw e;
  }
}
