/**
 * Browser persistence for the app's state modules. Each module owns its own key (a "slot") with
 * its own validation, so a new panel persists its inputs without touching anyone else's, and one
 * unreadable record never takes another module's with it. Inside a record, fields are validated
 * one by one: a bad field falls back to its default alone, with a warning naming it.
 *
 * Writes are debounced: a slider fires dozens of `input` events a second, and each synchronous
 * `localStorage.setItem` of the whole book costs a frame. Pending writes are flushed when the page
 * is hidden or closed.
 */

/** A key in storage owned by one state module. */
export interface Slot<T> {
  /** Storage key, versioned (`astra.book.v1`): bump it when the shape changes. */
  key: string;
  /** What the slot holds, for messages: `the saved book`. */
  what: string;
  /**
   * Validate a parsed record. Throws an Error naming the problem when the record as a whole is
   * unusable; calls `warn` for each field that was replaced by its default.
   */
  read(data: unknown, warn: (message: string) => void): T;
}

/** What loading a slot gives. */
export interface Loaded<T> {
  /** The stored value, or `undefined` (nothing stored, unreadable, or storage unavailable). */
  value: T | undefined;
  /** A message for the user when the record or some of its fields were rejected, or storage is unavailable. */
  notice: string | null;
  /** The unreadable record as it was stored, when it was set aside (offered for download). */
  corrupt?: string;
}

/** Parse and validate the text of a record (also used for records another tab wrote). */
export function readSlot<T>(slot: Slot<T>, raw: string): { value: T; warnings: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new Error('it is not valid JSON');
  }
  const warnings: string[] = [];
  return { value: slot.read(data, (m) => warnings.push(m)), warnings };
}

/**
 * Read and validate `slot`. An unreadable record is moved to `<key>.corrupt` (so it is never lost)
 * and returned in `corrupt`; the caller falls back to its defaults.
 */
export function loadSlot<T>(storage: Storage | undefined, slot: Slot<T>): Loaded<T> {
  if (!storage) return { value: undefined, notice: null };
  let raw: string | null;
  try {
    raw = storage.getItem(slot.key);
  } catch {
    return { value: undefined, notice: 'Browser storage is unavailable: changes will not survive a reload.' };
  }
  if (raw === null) return { value: undefined, notice: null };
  try {
    const { value, warnings } = readSlot(slot, raw);
    const notice = warnings.length > 0 ? `Parts of ${slot.what} could not be read and use their defaults: ${warnings.join('; ')}.` : null;
    return { value, notice };
  } catch (e) {
    try {
      storage.setItem(`${slot.key}.corrupt`, raw);
      storage.removeItem(slot.key);
    } catch {
      // Storage refused the write: the notice below still tells the user what happened.
    }
    const why = e instanceof Error ? e.message : String(e);
    return {
      value: undefined,
      notice: `${capitalise(slot.what)} could not be read (${why}); using the defaults. The unreadable copy was kept under "${slot.key}.corrupt".`,
      corrupt: raw,
    };
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Debounce delay of {@link StorageWriter}, ms. */
export const WRITE_DELAY_MS = 250;

/**
 * Writes slots at most once per {@link WRITE_DELAY_MS}, the latest value winning. A value may be
 * a function, called at write time (it may return `undefined` to skip the write, e.g. after a
 * version check found a newer record from another tab). `flush()` writes what is pending at once
 * (call it on `pagehide` / `visibilitychange`); a refused write (quota, privacy mode) is reported
 * through `onError` instead of throwing.
 */
export class StorageWriter {
  readonly #storage: Storage | undefined;
  readonly #onError: (message: string) => void;
  readonly #delayMs: number;
  readonly #pending = new Map<string, unknown>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(storage: Storage | undefined, onError: (message: string) => void, delayMs = WRITE_DELAY_MS) {
    this.#storage = storage;
    this.#onError = onError;
    this.#delayMs = delayMs;
  }

  /** Schedule `value` (JSON-serialisable, or a function giving it at write time) under `key`. */
  write(key: string, value: unknown): void {
    if (!this.#storage) return;
    this.#pending.set(key, value);
    this.#timer ??= setTimeout(() => this.flush(), this.#delayMs);
  }

  /** Write everything pending now. */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#storage) return;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [key, entry] of pending) {
      const value = typeof entry === 'function' ? (entry as () => unknown)() : entry;
      if (value === undefined) continue;
      try {
        this.#storage.setItem(key, JSON.stringify(value));
      } catch (e) {
        this.#onError(`Could not save to browser storage: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A module's settings after the edit `next`, or null when every field of `next` already holds
 * its value (===): the state classes then neither replace their settings nor write their slot.
 */
export function changedSettings<S extends object>(current: S, next: Partial<S>): S | null {
  const changed = (Object.keys(next) as (keyof S)[]).some((k) => next[k] !== current[k]);
  return changed ? { ...current, ...next } : null;
}
