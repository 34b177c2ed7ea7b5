/**
 * Writing a command's output: the JSON object or the readable text, in chunks of about 64 KB, so
 * a report of a million positions is never built as one string (a string cannot exceed 2²⁹
 * characters, about 2.7 million funding lines of JSON) and stdout gets a few large writes.
 */
import { escapeUnprintable } from '../engine/errors.ts';
import type { CommandText } from './command.ts';

/** Arrays longer than this are written in batches of this many elements; shorter ones in one `JSON.stringify`. */
const STREAM_ABOVE = 1024;

/** An array or a plain object without `toJSON`: a container {@link jsonChunks} may write piece by piece. */
function isContainer(v: unknown): v is unknown[] | Record<string, unknown> {
  if (typeof v !== 'object' || v === null || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `JSON.stringify(value)` as a sequence of pieces whose concatenation is that same text. Arrays
 * longer than 1,024 elements (and the plain objects and arrays that hold them) are written in
 * batches; everything else in one call. `NaN` becomes `null`, and `undefined` members are left
 * out, exactly as JSON.stringify does (a `toJSON` method is called with `''` as its key).
 */
export function* jsonChunks(value: unknown): Generator<string> {
  if (!isContainer(value)) {
    yield String(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    if (value.length <= STREAM_ABOVE) {
      yield JSON.stringify(value);
      return;
    }
    // Batches of elements in one call each (a call per element costs twice as much); an element
    // that is itself a long array is streamed in turn, as in a matrix of many rows and columns.
    yield '[';
    for (let start = 0; start < value.length; start += STREAM_ABOVE) {
      const batch = value.slice(start, start + STREAM_ABOVE);
      if (start > 0) yield ',';
      if (!batch.some((item) => Array.isArray(item) && item.length > STREAM_ABOVE)) {
        yield JSON.stringify(batch).slice(1, -1);
        continue;
      }
      for (let i = 0; i < batch.length; i++) {
        if (i > 0) yield ',';
        const item: unknown = batch[i];
        if (isContainer(item)) yield* jsonChunks(item);
        else yield JSON.stringify(item) ?? 'null';
      }
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const key of Object.keys(value)) {
    const member = value[key];
    const text = isContainer(member) ? undefined : JSON.stringify(member);
    if (text === undefined && !isContainer(member)) continue; // undefined, a function or a symbol
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (text !== undefined) yield text;
    else yield* jsonChunks(member);
  }
  yield '}';
}

const CHUNK = 1 << 16;

/** Write `pieces` through `write` in chunks of at least 64 KB (the last one shorter). */
export function writeChunked(pieces: Iterable<string>, write: (text: string) => void): void {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= CHUNK) {
      write(buffer);
      buffer = '';
    }
  }
  if (buffer !== '') write(buffer);
}

/**
 * Print `value` as one line of JSON. JSON.stringify escapes C0 controls; the C1 controls, line
 * separators and bidirectional overrides it leaves raw are escaped too (`\u009b`), which JSON
 * reads back as the same string, so no value can drive the terminal the JSON is shown on.
 */
export function writeJson(value: unknown, write: (text: string) => void): void {
  writeChunked(jsonLine(value), write);
}

function* jsonLine(value: unknown): Generator<string> {
  for (const piece of jsonChunks(value)) yield escapeUnprintable(piece);
  yield '\n';
}

/** Print a command's readable text (calling it first when it is a function). */
export function writeText(text: CommandText, write: (text: string) => void): void {
  const made = typeof text === 'function' ? text() : text;
  if (typeof made === 'string') write(made);
  else writeChunked(made, write);
}
