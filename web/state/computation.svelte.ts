/**
 * One helper for every result computed off the main thread: pending / value / error / progress,
 * and the latest request wins. A panel's state class owns one per result it shows; a newer
 * `run` aborts the older one (its signal fires) and the older answer is dropped even if it
 * arrives later, so a slow answer never overwrites a newer one.
 */

/** What a running computation may use: an abort signal and a progress callback. */
export interface RunContext {
  /** Fires when a newer run supersedes this one or `cancel()` is called. */
  signal: AbortSignal;
  /** Report progress as a fraction in [0, 1]. */
  progress(fraction: number): void;
}

export class Computation<T> {
  /** The latest successful result (kept while a newer run is pending). Big: not deeply reactive. */
  value = $state.raw<T | null>(null);
  /** Why the latest run failed, prefixed with the panel's label; `null` after a success. */
  error = $state<string | null>(null);
  /** Whether a run is in flight. */
  pending = $state(false);
  /** Progress of the run in flight in [0, 1], `null` when none was reported. */
  progress = $state<number | null>(null);

  readonly #label: string;
  #run = 0;
  #abort: AbortController | null = null;

  /** @param label the panel or result name used in error messages, e.g. `Market data`. */
  constructor(label: string) {
    this.#label = label;
  }

  /**
   * Run `compute` as the latest request. Resolves when it settles (never rejects): the outcome is
   * in `value` / `error`. A run superseded or cancelled before it settles changes nothing.
   */
  async run(compute: (ctx: RunContext) => Promise<T>): Promise<void> {
    const id = ++this.#run;
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.pending = true;
    this.progress = null;
    const current = () => id === this.#run && !abort.signal.aborted;
    try {
      const value = await compute({
        signal: abort.signal,
        progress: (fraction) => {
          if (current()) this.progress = fraction;
        },
      });
      if (!current()) return;
      this.value = value;
      this.error = null;
    } catch (e) {
      if (!current()) return;
      this.error = `${this.#label}: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      if (id === this.#run) {
        this.pending = false;
        this.progress = null;
      }
    }
  }

  /** Abandon the run in flight (its answer will be dropped); the last value stays. */
  cancel(): void {
    this.#abort?.abort();
    this.#run++;
    this.pending = false;
    this.progress = null;
  }
}
