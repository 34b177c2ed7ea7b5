/**
 * The market data the app works on: where it comes from and the snapshot the engine workers
 * prepared from it (today the embedded demo).
 */
import { tick } from 'svelte';
import type { MarketSnapshot } from '../workers/protocol.ts';
import { Computation, type RunContext } from './computation.svelte.ts';

export class MarketState {
  /** The snapshot, its loading state and its error (named `Market data`). */
  readonly data = new Computation<MarketSnapshot>('Market data');
  /** ms from navigation start to the first snapshot on screen, `null` before it. */
  firstResultMs = $state<number | null>(null);
  readonly #load: (ctx: RunContext) => Promise<MarketSnapshot>;

  /**
   * @param load fetches the snapshot from the engine workers; it gets the run's context (abort
   *   signal, progress), so a superseded load stops at the pool too.
   */
  constructor(load: (ctx: RunContext) => Promise<MarketSnapshot>) {
    this.#load = load;
  }

  /** The snapshot, `null` until it arrives. */
  get snapshot(): MarketSnapshot | null {
    return this.data.value;
  }

  /** (Re)load the snapshot; the latest call wins. */
  async load(): Promise<void> {
    await this.data.run((ctx) => this.#load(ctx));
    if (this.firstResultMs === null && this.data.value) {
      await tick(); // measured once the panels have rendered it
      this.firstResultMs = performance.now();
    }
  }
}
