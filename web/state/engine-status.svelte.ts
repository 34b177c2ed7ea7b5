/** Life of the engine workers, for the status indicator in the header. */

/** `starting` until the first answer, `restarting` between a crash and the new worker's answer. */
export type EnginePhase = 'starting' | 'ready' | 'restarting' | 'failed';

export class EngineStatus {
  /** Current phase. */
  phase = $state<EnginePhase>('starting');
  /** Workers recreated after a crash. */
  restarts = $state(0);
  /** Reason of the last crash, if any. */
  lastCrash = $state<string | null>(null);

  /** A worker answered. */
  ready(): void {
    this.phase = 'ready';
  }

  /** A worker crashed; `replaced` is false when no new worker will be started. */
  crashed(reason: string, restarts: number, replaced: boolean): void {
    this.restarts = restarts;
    this.lastCrash = reason;
    this.phase = replaced ? 'restarting' : 'failed';
  }

  /** The engine cannot be used (the wasm failed to load, say). */
  failed(reason: string): void {
    this.lastCrash = reason;
    this.phase = 'failed';
  }
}
