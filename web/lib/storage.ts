/**
 * Browser persistence for the app's state modules. Each module owns its own key (a "slot") with
 * its own validation, so a new panel persists its inputs without touching anyone else's, and one
 * unreadable record never takes another module's with it. Writes are debounced: a slider fires
 * dozens of `input` events a second, and each synchronous `localStorage.setItem` of the whole
 * book costs a frame. Pending writes are flushed when the page is hidden or closed.
 */

/** A key in storage owned by one state module. */
export interface Slot<T> {
  /** Storage key, versioned (`astra.book.v1`): bump it when the shape changes. */
  key: string;
  /** What the slot holds, for messages: `the saved book`. */
  what: string;
  /** Validate a parsed record; throws an Error naming the first problem. */
  read(data: unknown): T;
}

/** What loading a slot gives: its value (or `undefined` when nothing usable is stored) and why not. */
export interface Loaded<T> {
  /** The stored value, or `undefined` (nothing stored, unreadable, or storage unavailable). */
  value: T | undefined;
  /** A message for the user when the stored record was rejected or storage is unavailable. */
  notice: string | null;
}

/**
 * Read and validate `slot`. An unreadable record is moved to `<key>.corrupt` (so it is never lost)
 * and reported; the caller falls back to its defaults.
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
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      throw new Error('it is not valid JSON');
    }
    return { value: slot.read(data), notice: null };
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
    };
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Debounce delay of {@link StorageWriter}, ms. */
export const WRITE_DELAY_MS = 250;

/**
 * Writes slots at most once per {@link WRITE_DELAY_MS}, the latest value winning. `flush()` writes
 * what is pending at once (call it on `pagehide` / `visibilitychange`); a refused write (quota,
 * privacy mode) is reported through `onError` instead of throwing.
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

  /** Schedule `value` (JSON-serialisable) to be written under `key`. */
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
    for (const [key, value] of this.#pending) {
      try {
        this.#storage.setItem(key, JSON.stringify(value));
      } catch (e) {
        this.#onError(`Could not save to browser storage: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.#pending.clear();
  }
}

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
