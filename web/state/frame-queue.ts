/**
 * Requests coalesced to one per frame: however many arrive before the frame runs, only the latest
 * is started, so a slider dragged across twenty values in one frame costs one run, not twenty.
 * Shared by the modules that re-run on every input change (Risk, Alpha).
 */
export class FrameQueue<T> {
  readonly #schedule: (fn: () => void) => void;
  readonly #start: (request: T) => void;
  #pending: T | null = null;
  #scheduled = false;

  /**
   * @param schedule runs a callback at the next frame (`requestAnimationFrame` in the app; tests
   *   pass their own clock).
   * @param start starts the request that was latest when the frame ran.
   */
  constructor(schedule: (fn: () => void) => void, start: (request: T) => void) {
    this.#schedule = schedule;
    this.#start = start;
  }

  /** Ask for `request` at the next frame, replacing any request still waiting for it. */
  push(request: T): void {
    this.#pending = request;
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      const next = this.#pending;
      this.#pending = null;
      if (next !== null) this.#start(next);
    });
  }

  /** Drop the request waiting for the frame, if any (a cancel). */
  clear(): void {
    this.#pending = null;
  }
}
