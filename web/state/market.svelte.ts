/**
 * The market data the app works on: which source it comes from (`MarketSource`: the demo, live
 * answers, a snapshot, CSV files) and the snapshot the engine workers prepared from it
 * (`MarketSnapshot`, the one shape every module reads).
 *
 * Two ways in: {@link MarketState.load} (re)loads a source through the `Computation`, whose error
 * the page shows with a Retry; {@link MarketState.try} tries a *new* source and only replaces the
 * data when it loaded — a bad file or a proxy that is down returns its message and leaves the
 * data on screen as it was.
 */
import { tick } from 'svelte';
import type { MarketSnapshot, MarketSource } from '../workers/protocol.ts';
import { Computation, type RunContext } from './computation.svelte.ts';

/** Reads a source in the engine workers. */
export type MarketLoader = (source: MarketSource, ctx: RunContext) => Promise<MarketSnapshot>;

export class MarketState {
  /** The snapshot, its loading state and its error (named `Market data`). */
  readonly data = new Computation<MarketSnapshot>('Market data');
  /** The source of the snapshot on screen (or being loaded by {@link load}). */
  source = $state.raw<MarketSource>({ kind: 'demo' });
  /** ms from navigation start to the first snapshot on screen, `null` before it. */
  firstResultMs = $state<number | null>(null);
  readonly #load: MarketLoader;

  /**
   * @param load reads a source in the engine workers; it gets the run's context (abort signal,
   *   progress), so a superseded load stops at the pool too.
   */
  constructor(load: MarketLoader) {
    this.#load = load;
  }

  /** The snapshot, `null` until it arrives. */
  get snapshot(): MarketSnapshot | null {
    return this.data.value;
  }

  /** (Re)load `source` (default: the current one); the latest call wins, a failure shows as `data.error`. */
  async load(source: MarketSource = this.source): Promise<void> {
    this.source = source;
    await this.data.run((ctx) => this.#load(source, ctx));
    await this.#measure();
  }

  /**
   * Try a new source: when it loads, it replaces the data (and any load in flight); when it
   * fails, nothing changes and the message is returned. `null` on success.
   */
  async try(source: MarketSource, signal?: AbortSignal): Promise<string | null> {
    let snapshot: MarketSnapshot;
    try {
      snapshot = await this.#load(source, { signal: signal ?? new AbortController().signal, progress: () => undefined });
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    if (signal?.aborted) return null;
    this.source = source;
    await this.data.run(async () => snapshot);
    await this.#measure();
    return null;
  }

  async #measure(): Promise<void> {
    if (this.firstResultMs === null && this.data.value) {
      await tick(); // measured once the panels have rendered it
      this.firstResultMs = performance.now();
    }
  }
}
