/**
 * The Alpha module: a Kalman pair on the market's minute bars. Its inputs (the pair, entry, exit,
 * costs, δ and Vₑ or auto-calibrate, the replay's speed — persisted in the module's own slot), the
 * pair run on the engine pool (`Computation<AlphaResult>`, labelled `Alpha`: calibration, filter
 * and backtest in one block, and on the demo the true β), the pair scan of every pair of the bars
 * (`Computation<ScanResult>`, labelled `Pair scan`), and the bar-by-bar replay (`AlphaReplay`).
 *
 * The run follows its inputs: changes within one frame start one run, the latest run wins, and
 * starting it aborts the previous one. A failed run leaves the last good result on screen with the
 * error named `Alpha: …`; `stale` says the result is for other inputs than those shown.
 *
 * Risk link: while the risk status is HALTED the run passes `halted` to the engine, which opens no
 * new trade (open ones may still close) and counts the entries it refused; the replay pushes each
 * bar with the status of that moment.
 */
import { FrameQueue } from './frame-queue.ts';
import { barTimes, eventsOfTrades, type TradeEvent } from '../lib/alpha-chart.ts';
import type { AlphaPairResult, AlphaRunners, DemoBeta, ScanResult } from '../lib/alpha-run.ts';
import {
  ALPHA_NUMBER_FIELDS,
  ALPHA_SLOT,
  SPEED_STOPS,
  defaultAlphaSettings,
  pairRunOptions,
  thresholdConflict,
  type AlphaNumberField,
  type AlphaSettings,
  type PairChoice,
  type StoredAlpha,
} from '../lib/alpha-settings.ts';
import { readField } from '../lib/input-rules.ts';
import { changedSettings, loadSlot, type StorageWriter } from '../lib/storage.ts';
import type { BarTable, IncrementalOptions, IncrementalPair, PairRunOptions, RiskStatus } from '../workers/protocol.ts';
import { AlphaReplay, type ReplaySource } from './alpha-replay.svelte.ts';
import type { EditOutcome } from './book.svelte.ts';
import { Computation, type RunContext } from './computation.svelte.ts';
import type { MarketState } from './market.svelte.ts';
import type { Notices } from './notices.svelte.ts';

/** What a run is computed for. */
export interface AlphaRequest {
  bars: BarTable;
  pair: PairChoice;
  options: PairRunOptions;
  /** The bars are the embedded demo's: ask for the true β. */
  demo: boolean;
  /** The request in one string (bars aside): equal keys on the same bars ask for the same run. */
  key: string;
}

/** One run's answer and what it was computed for. */
export interface AlphaResult extends AlphaPairResult {
  request: AlphaRequest;
  /** On the demo, the β the bars were built with (`null`: not the demo, or a pair not built cointegrated). */
  truth: DemoBeta | null;
  /** ms from the start of the run to its answer. */
  elapsedMs: number;
}

/** What the charts draw: bars [from, end) of arrays indexed by bar. */
export interface AlphaView {
  /** The data's identity: the same source with a later `end` means bars were appended (a replay). */
  source: object;
  from: number;
  end: number;
  /** Chart time (exchange wall-clock, seconds) and label of each bar. */
  times: Float64Array;
  labels: string[];
  y: Float64Array;
  x: Float64Array;
  beta: Float64Array;
  trueBeta: Float64Array | null;
  z: Float64Array;
  /** Equity before and after costs, 1 at the start. */
  equity: Float64Array;
  equityNet: Float64Array;
  events: TradeEvent[];
  entry: number;
  exit: number;
  /** Bars to show when the data is set anew (the replayed session), `null` = all. */
  focus: { from: number; to: number } | null;
}

/** What the Alpha module needs from its surroundings. */
export interface AlphaDeps {
  storage: Storage | undefined;
  writer: StorageWriter;
  notices: Notices;
  /** The pool's runs (main.ts: `alphaRunners(pool)` of web/lib/alpha-run.ts). */
  runners: AlphaRunners;
  /** A new incremental pair for the replay (main.ts: web/lib/replay-feed.ts). */
  createFeed: (options: IncrementalOptions) => Promise<IncrementalPair>;
  /** The risk module's status of its last good result (`null` before it has one). */
  riskStatus: () => RiskStatus | null;
  /** Calls `fn` before the next frame (the run queue). Default `requestAnimationFrame`. */
  schedule?: (fn: () => void) => void;
  /** The replay's frame clock. Default `requestAnimationFrame`. */
  replaySchedule?: (fn: (time: number) => void) => void;
  /** Clock, ms. Default `performance.now`. */
  now?: () => number;
}

/** The pair to run: the saved one when the bars have both tickers, else the market's, else the first two columns. */
function choosePair(saved: PairChoice | null, market: PairChoice | null, bars: BarTable | null): PairChoice | null {
  if (!bars) return null;
  const has = (p: PairChoice | null): p is PairChoice => p !== null && p.y !== p.x && bars.tickers.includes(p.y) && bars.tickers.includes(p.x);
  if (has(saved)) return saved;
  if (has(market)) return market;
  return bars.tickers.length >= 2 ? { y: bars.tickers[0], x: bars.tickers[1] } : null;
}

export class AlphaState {
  /** The pair run, its progress and its error (named `Alpha`). The last good result stays on a failure. */
  readonly data = new Computation<AlphaResult>('Alpha');
  /** The scan of every pair of the bars (named `Pair scan`). */
  readonly scan = new Computation<ScanResult>('Pair scan');
  /** The panel's inputs. */
  settings = $state.raw<AlphaSettings>(defaultAlphaSettings());
  /** The last rejected input (names the field and what was typed), cleared by the next accepted one. */
  inputError = $state<{ field: AlphaNumberField; message: string } | null>(null);
  /** The bar-by-bar replay. */
  readonly replay: AlphaReplay;

  readonly #market: MarketState;
  readonly #deps: AlphaDeps;
  readonly #now: () => number;
  readonly #stop: () => void;
  readonly #frames: FrameQueue<AlphaRequest>;
  #last: AlphaRequest | null = null;
  #truth: { bars: BarTable; y: string; x: string; value: Promise<DemoBeta | null> } | null = null;
  #scanned: BarTable | null = null;

  /** A market snapshot is on screen (its bars may still be missing). */
  marketReady: boolean = $derived.by(() => this.#market.snapshot !== null);
  /** The market's minute bars, `null` when the source has none. */
  bars: BarTable | null = $derived.by(() => this.#market.snapshot?.bars ?? null);
  /** The pair shown. */
  pair: PairChoice | null = $derived.by(() => choosePair(this.settings.pair, this.#market.snapshot?.pair ?? null, this.bars));
  /** The saved pair when these bars lack it (the panel says so), else `null`. */
  missingPair: PairChoice | null = $derived(this.bars && this.settings.pair && this.pair !== this.settings.pair ? this.settings.pair : null);
  /** The risk status is HALTED: no new trade opens. */
  halted: boolean = $derived.by(() => this.#deps.riskStatus() === 'HALTED');
  /** What the inputs ask for now: `null` until the market's bars are there. */
  request: AlphaRequest | null = $derived.by(() => {
    const bars = this.bars;
    const pair = this.pair;
    if (!bars || !pair) return null;
    const options = pairRunOptions(pair, this.settings, this.halted);
    return { bars, pair, options, demo: this.#market.snapshot?.source === 'demo', key: JSON.stringify(options) };
  });
  /** The last good result, `null` before the first. */
  result: AlphaResult | null = $derived(this.data.value);
  /** Whether the result on screen was computed for other inputs (a run failed or is running). */
  stale: boolean = $derived(this.result !== null && (this.request === null || this.result.request.bars !== this.request.bars || this.result.request.key !== this.request.key));
  /** The minute axis of the bars (computed once per snapshot). */
  axis: { times: Float64Array; labels: string[] } | null = $derived(this.bars ? barTimes(this.bars.timestamps) : null);
  /** What the replay is built from: the result's bars and parameters. */
  replaySource: ReplaySource | null = $derived.by(() => {
    const r = this.result;
    if (!r) return null;
    const { bars, pair } = r.request;
    const { report, fitted } = r;
    return {
      timestamps: bars.timestamps,
      y: bars.closes[bars.tickers.indexOf(pair.y)],
      x: bars.closes[bars.tickers.indexOf(pair.x)],
      options: {
        delta: fitted.delta, ve: fitted.ve, entry: report.entry, exit: report.exit, costBps: report.costBps,
        warmup: report.warmup, tradeFrom: report.firstSignalBar - report.warmup,
      },
      halted: report.halted,
    };
  });
  /** What the charts draw: the replay while one is open, else the batch run. */
  view: AlphaView | null = $derived.by(() => {
    const r = this.result;
    const axis = this.axis;
    const series = r?.report.series;
    if (!r || !axis || !series || !r.report.beforeCosts.equity || !r.report.afterCosts.equity || r.request.bars !== this.bars) return null;
    const { bars, pair } = r.request;
    const from = r.report.firstSignalBar - r.report.warmup;
    const base = {
      from,
      times: axis.times,
      labels: axis.labels,
      y: bars.closes[bars.tickers.indexOf(pair.y)],
      x: bars.closes[bars.tickers.indexOf(pair.x)],
      trueBeta: r.truth?.beta ?? null,
      entry: r.report.entry,
      exit: r.report.exit,
    };
    const replay = this.replay;
    if (replay.active && replay.buffers && replay.span) {
      const b = replay.buffers;
      return {
        ...base, source: b, end: replay.end, beta: b.beta, z: b.z, equity: b.equity, equityNet: b.equityNet, events: replay.events,
        focus: { from: Math.max(from, replay.span.from - 60), to: replay.span.to },
      };
    }
    return {
      ...base, source: r, end: bars.timestamps.length, beta: series.beta, z: series.z,
      equity: r.report.beforeCosts.equity, equityNet: r.report.afterCosts.equity, events: eventsOfTrades(r.report.trades), focus: null,
    };
  });

  constructor(market: MarketState, deps: AlphaDeps) {
    this.#market = market;
    this.#deps = deps;
    this.#frames = new FrameQueue<AlphaRequest>(deps.schedule ?? ((fn) => void requestAnimationFrame(fn)), (request) => void this.#start(request));
    this.#now = deps.now ?? (() => performance.now());
    this.replay = new AlphaReplay({
      createFeed: deps.createFeed,
      halted: () => this.halted,
      speed: () => this.settings.speed,
      schedule: deps.replaySchedule,
    });
    const { value, notice, corrupt } = loadSlot(deps.storage, ALPHA_SLOT);
    if (value) this.settings = value;
    deps.notices.add(notice, corrupt === undefined ? undefined : { filename: `${ALPHA_SLOT.key}.corrupt.json`, text: corrupt });
    this.#stop = $effect.root(() => {
      // Re-run on every change of the request (inputs, pair, bars, risk status), once per frame.
      $effect(() => {
        const request = this.request;
        if (request && (this.#last === null || request.bars !== this.#last.bars || request.key !== this.#last.key)) {
          this.#last = request;
          this.#queue(request);
        }
      });
      // The replay follows the result: new bars close it, new parameters rebuild it to the same bar.
      $effect(() => {
        this.replay.setSource(this.replaySource);
      });
    });
  }

  /** Stop following the inputs (tests; the app's module lives with the page). */
  dispose(): void {
    this.#stop();
    this.data.cancel();
    this.scan.cancel();
    this.replay.close();
  }

  #queue(request: AlphaRequest): void {
    this.#frames.push(request);
  }

  async #start(request: AlphaRequest): Promise<void> {
    await this.data.run(async (ctx) => {
      const t0 = this.#now();
      const [run, truth] = await Promise.all([this.#deps.runners.pair(request.bars, request.options, ctx), this.#truthOf(request)]);
      return { ...run, truth, request, elapsedMs: this.#now() - t0 };
    });
    // The scan after the first pair run of these bars: the panel's own figures come first.
    if (this.#scanned !== request.bars) {
      this.#scanned = request.bars;
      void this.runScan();
    }
  }

  /** The demo's true β of the request's pair, asked once per bars and pair; `null` off the demo or on failure. */
  #truthOf(request: AlphaRequest): Promise<DemoBeta | null> {
    if (!request.demo) return Promise.resolve(null);
    const { bars, pair } = request;
    const t = this.#truth;
    if (t && t.bars === bars && t.y === pair.y && t.x === pair.x) return t.value;
    // Not the run's context: a superseded run must not leave a cancelled answer in the cache.
    const ctx: RunContext = { signal: new AbortController().signal, progress: () => undefined };
    const value = this.#deps.runners.truth(bars, pair.y, pair.x, ctx).catch(() => null);
    this.#truth = { bars, y: pair.y, x: pair.x, value };
    return value;
  }

  /** Scan every pair of the bars (again). */
  async runScan(): Promise<void> {
    const bars = this.bars;
    if (!bars) return;
    await this.scan.run((ctx) => this.#deps.runners.scan(bars, ctx));
  }

  /** Run again for the current inputs (after a failure). */
  rerun(): void {
    if (this.request) this.#queue(this.request);
  }

  // ---- inputs ----

  #update(next: Partial<AlphaSettings>): void {
    this.inputError = null;
    const settings = changedSettings(this.settings, next);
    if (!settings) return;
    this.settings = settings;
    const record: StoredAlpha = { version: 1, ...settings };
    this.#deps.writer.write(ALPHA_SLOT.key, record);
  }

  /** Set a numeric input from typed text or a slider's value. A rejected value changes nothing and says why. */
  set(field: AlphaNumberField, text: string): EditOutcome {
    const { label, rule } = ALPHA_NUMBER_FIELDS[field];
    const read = readField(text, label, rule);
    if (!read.ok) {
      this.inputError = { field, message: read.error };
      return 'rejected';
    }
    const next = { ...this.settings, [field]: read.value };
    const conflict = thresholdConflict(next.entry, next.exit);
    if (conflict) {
      this.inputError = { field, message: conflict };
      return 'rejected';
    }
    // δ or Vₑ set by hand while they were fitted: the other starts from its fitted value.
    const fitted = this.result?.fitted;
    if ((field === 'delta' || field === 've') && this.settings.autoCalibrate && fitted) {
      this.#update({ autoCalibrate: false, delta: fitted.delta, ve: fitted.ve, [field]: read.value });
    } else {
      this.#update({ [field]: read.value });
    }
    return 'accepted';
  }

  /**
   * Fit δ and Vₑ (on), or use the values set by hand (off). Turning it off starts from the last
   * fitted values, so the figures do not jump until a slider moves.
   */
  setAutoCalibrate(on: boolean): void {
    const fitted = this.result?.fitted;
    if (!on && fitted && Number.isFinite(fitted.delta) && Number.isFinite(fitted.ve)) {
      this.#update({ autoCalibrate: false, delta: fitted.delta, ve: fitted.ve });
    } else {
      this.#update({ autoCalibrate: on });
    }
  }

  /** Run the pair `y` on `x` (a scan row, the pair selectors). */
  selectPair(pair: PairChoice): void {
    if (pair.y === pair.x) return;
    const same = this.settings.pair?.y === pair.y && this.settings.pair?.x === pair.x;
    if (!same) this.#update({ pair: { y: pair.y, x: pair.x } });
  }

  /** The replay's speed, one of the stops (1×–1000×). */
  setSpeed(speed: number): void {
    if (SPEED_STOPS.includes(speed)) this.#update({ speed });
  }

  /** Back to the default inputs (entry 2, exit 0.5, no costs, δ and Vₑ fitted), the pair kept. */
  resetSettings(): void {
    this.#update({ ...defaultAlphaSettings(), pair: this.settings.pair, speed: this.settings.speed });
  }
}
