/**
 * The Alpha module's replay: one session fed bar by bar, as a live feed, through the incremental
 * API (`createIncrementalPair`) — the same numbers as the batch backtest, bit for bit, when the
 * risk status does not change.
 *
 * Opening a session builds a feed with the batch run's δ, Vₑ and rules and pushes every bar before
 * the session at once (the history a live desk would have), then the clock delivers the session's
 * bars at the chosen speed (1× = one bar a minute, as live; up to 1000×). Each bar is pushed with
 * the risk status of that moment: while the status is HALTED no new trade opens, and the refused
 * entries are counted and marked. The charts read `buffers` and `end`: a new `buffers` object means
 * "draw again", the same one with a later `end` means "append these bars".
 *
 * When the batch run changes under a replay (a slider moved), the feed is rebuilt to the same bar
 * with the new parameters and the halt flags each bar had, and goes on as it was (playing or not).
 */
import { sessionEnds, sessionIds } from '../../engine/pairs/sessions.ts';
import { eventsOfTick, sessionSpans, type SessionSpan, type TradeEvent } from '../lib/alpha-chart.ts';
import { advanceClock, rescaleClock, type ClockState } from '../lib/replay-clock.ts';
import type { IncrementalOptions, IncrementalPair, PairTick, Trade } from '../workers/protocol.ts';

/** What a replay is built from: a pair's bars and the batch run's parameters. */
export interface ReplaySource {
  timestamps: readonly string[];
  y: Float64Array;
  x: Float64Array;
  /** δ, Vₑ, the rules, `tradeFrom` and `warmup` of the batch run. */
  options: IncrementalOptions;
  /** The batch run's halt: the history before the replayed session is pushed with it. */
  halted: boolean;
}

/** The replay's per-bar outputs, one slot per bar of the source (`NaN` until delivered). */
export interface ReplayBuffers {
  beta: Float64Array;
  z: Float64Array;
  /** Equity before and after costs (1 = the start), as the batch report's curves. */
  equity: Float64Array;
  equityNet: Float64Array;
}

/** What the replay needs from its surroundings. */
export interface ReplayDeps {
  /** A new incremental pair (main.ts: on the page's own wasm instance, web/lib/replay-feed.ts). */
  createFeed: (options: IncrementalOptions) => Promise<IncrementalPair>;
  /** Whether the risk status is HALTED now. */
  halted: () => boolean;
  /** The speed now, bars a minute of wall time. */
  speed: () => number;
  /** Calls `fn(time)` before the next frame. Default `requestAnimationFrame`. */
  schedule?: (fn: (time: number) => void) => void;
}

export class AlphaReplay {
  /** Whether a session is open (the charts show the replay instead of the batch). */
  active = $state(false);
  /** Whether the clock runs. */
  playing = $state(false);
  /** The feed is being built (the page's wasm loading, the history being pushed). */
  loading = $state(false);
  /** Why the last open failed, else `null`. */
  error = $state<string | null>(null);
  /** The sessions of the source's bars. */
  sessions = $state.raw<SessionSpan[]>([]);
  /** Index of the session replayed, -1 when none. */
  session = $state(-1);
  /** Bars delivered: the charts show bars before `end`. */
  end = $state(0);
  buffers = $state.raw<ReplayBuffers | null>(null);
  /** Entries, exits and refused entries up to `end`, in bar order. */
  events = $state.raw<TradeEvent[]>([]);
  /** Round trips closed inside the replayed session, in order. */
  trades = $state.raw<Trade[]>([]);
  /** Entries refused by the risk halt inside the replayed session. */
  blocked = $state(0);
  /** The last bar's tick. */
  last = $state.raw<PairTick | null>(null);

  /** The replayed session's bars, or `null`. */
  span: SessionSpan | null = $derived(this.session >= 0 ? (this.sessions[this.session] ?? null) : null);
  /** The session has been fed to its last bar. */
  finished: boolean = $derived(this.span !== null && this.end >= this.span.to);

  readonly #deps: ReplayDeps;
  readonly #schedule: (fn: (time: number) => void) => void;
  #source: ReplaySource | null = null;
  #ends: Uint8Array = new Uint8Array(0);
  #feed: IncrementalPair | null = null;
  #halts: Uint8Array = new Uint8Array(0);
  #generation = 0;
  #clock: ClockState = { carryMs: 0 };
  #lastTime: number | null = null;
  #speed = 1;
  #ticking = false;

  constructor(deps: ReplayDeps) {
    this.#deps = deps;
    this.#schedule = deps.schedule ?? ((fn) => void requestAnimationFrame(fn));
  }

  /** The source the replay reads; sessions follow it. Closes a replay of other bars. */
  setSource(source: ReplaySource | null): void {
    const sameBars = this.#source !== null && source !== null && this.#source.timestamps === source.timestamps && this.#source.y === source.y && this.#source.x === source.x;
    this.#source = source;
    if (!sameBars) {
      this.close();
      this.sessions = source ? sessionSpans(source.timestamps) : [];
      this.#ends = source ? sessionEnds(sessionIds(source.timestamps)) : new Uint8Array(0);
      this.#halts = new Uint8Array(source?.timestamps.length ?? 0);
      return;
    }
    // Same bars, new parameters (a slider moved): rebuild to the same bar and go on.
    if (this.active && source) void this.#build(source, this.session, this.end);
  }

  /** The sessions a replay may open: those with a bar after the calibration window. */
  get tradable(): SessionSpan[] {
    const from = this.#source?.options.tradeFrom ?? 0;
    return this.sessions.filter((s) => s.to > from);
  }

  /** Open session `index` (default the last), paused at its first bar. */
  async open(index = this.sessions.length - 1): Promise<void> {
    const source = this.#source;
    if (!source || index < 0 || index >= this.sessions.length) return;
    this.playing = false;
    await this.#build(source, index, this.sessions[index].from);
  }

  /** Start (or resume) the clock; opens the last session first when none is open, restarts a finished one. */
  async play(): Promise<void> {
    if (!this.active || this.finished) await this.open(this.active ? this.session : undefined);
    if (!this.active || this.finished) return;
    this.playing = true;
    this.#lastTime = null;
    this.#tick();
  }

  /** Stop the clock where it is. */
  pause(): void {
    this.playing = false;
  }

  /** Deliver one bar (paused). */
  step(): void {
    this.playing = false;
    this.#deliver(1);
  }

  /** Leave the replay: the charts show the batch run again. */
  close(): void {
    this.#generation++;
    this.playing = false;
    this.active = false;
    this.loading = false;
    this.session = -1;
    this.end = 0;
    this.buffers = null;
    this.events = [];
    this.trades = [];
    this.blocked = 0;
    this.last = null;
    this.#feed = null;
  }

  /**
   * A fresh feed pushed to bar `to` of `source`: bars before session `index` with the batch's
   * halt, the session's bars already delivered with the halt each one had.
   */
  async #build(source: ReplaySource, index: number, to: number): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    let feed: IncrementalPair;
    try {
      feed = await this.#deps.createFeed(source.options);
    } catch (e) {
      if (generation !== this.#generation) return;
      this.loading = false;
      this.error = `Replay: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    if (generation !== this.#generation) return;
    const n = source.timestamps.length;
    const buffers: ReplayBuffers = {
      beta: new Float64Array(n).fill(Number.NaN),
      z: new Float64Array(n).fill(Number.NaN),
      equity: new Float64Array(n).fill(Number.NaN),
      equityNet: new Float64Array(n).fill(Number.NaN),
    };
    const start = this.sessions[index].from;
    const events: TradeEvent[] = [];
    const trades: Trade[] = [];
    let blocked = 0;
    let last: PairTick | null = null;
    let position: -1 | 0 | 1 = 0;
    for (let i = 0; i < to; i++) {
      const halted = i < start ? source.halted : this.#halts[i] === 1;
      last = this.#push(feed, source, buffers, i, halted);
      events.push(...eventsOfTick(position, last));
      position = last.signal;
      if (i >= start) {
        if (last.closed) trades.push(last.closed);
        if (last.blocked) blocked++;
      }
    }
    this.#feed = feed;
    this.buffers = buffers;
    this.events = events;
    this.trades = trades;
    this.blocked = blocked;
    this.last = last;
    this.session = index;
    this.end = to;
    this.active = true;
    this.loading = false;
    this.#clock = { carryMs: 0 };
  }

  #push(feed: IncrementalPair, source: ReplaySource, b: ReplayBuffers, i: number, halted: boolean): PairTick {
    const tick = feed.push(source.y[i], source.x[i], { sessionEnd: this.#ends[i] === 1, halted });
    b.beta[i] = tick.beta;
    b.z[i] = tick.z;
    b.equity[i] = tick.equity;
    b.equityNet[i] = tick.equityAfterCosts;
    return tick;
  }

  /** Push up to `count` bars of the session with the risk status of now; the charts append them. */
  #deliver(count: number): void {
    const feed = this.#feed;
    const source = this.#source;
    const span = this.span;
    const buffers = this.buffers;
    if (!feed || !source || !span || !buffers || this.loading) return;
    const to = Math.min(span.to, this.end + count);
    if (to <= this.end) return;
    const events = this.events.slice();
    const trades = this.trades.slice();
    let blocked = this.blocked;
    let last = this.last;
    for (let i = this.end; i < to; i++) {
      const halted = this.#deps.halted();
      this.#halts[i] = halted ? 1 : 0;
      const before = (last?.signal ?? 0) as -1 | 0 | 1;
      last = this.#push(feed, source, buffers, i, halted);
      events.push(...eventsOfTick(before, last));
      if (last.closed) trades.push(last.closed);
      if (last.blocked) blocked++;
    }
    this.events = events;
    this.trades = trades;
    this.blocked = blocked;
    this.last = last;
    this.end = to;
    if (this.finished) this.playing = false;
  }

  #tick(): void {
    if (this.#ticking) return;
    this.#ticking = true;
    this.#schedule((time) => {
      this.#ticking = false;
      if (!this.playing) return;
      const speed = this.#deps.speed();
      if (speed !== this.#speed) {
        this.#clock = rescaleClock(this.#clock, this.#speed, speed);
        this.#speed = speed;
      }
      const dt = this.#lastTime === null ? 0 : time - this.#lastTime;
      this.#lastTime = time;
      const span = this.span;
      const left = span ? span.to - this.end : 0;
      const step = advanceClock(this.#clock, dt, speed, left);
      this.#clock = step.clock;
      if (step.bars > 0) this.#deliver(step.bars);
      if (this.playing) this.#tick();
    });
  }
}
