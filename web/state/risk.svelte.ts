/**
 * The Risk module: its inputs (confidence, horizon, paths, lookback, seed, drift, limit, backtest
 * method, shocks — persisted in the module's own slot) and the risk report of today's book, computed
 * on the engine pool (`Computation<RiskResult>`, labelled `Risk`).
 *
 * The report is re-run whenever an input, the book or the market changes: changes within one frame
 * start one run, the latest run wins, and starting it aborts the previous one (its signal stops the
 * pool handing out that run's remaining blocks). The seed stays fixed, so moving the book, the
 * confidence or the horizon re-prices the same random paths (common random numbers): VaR moves
 * smoothly instead of jittering by its Monte Carlo error.
 *
 * A failed run (bad input, a worker crash) leaves the last good result on screen with the error
 * named `Risk: …`; `stale` says the result is for other inputs than those shown.
 */
import { FrameQueue } from './frame-queue.ts';
import type { Book } from '../lib/book-edit.ts';
import { SHOCK_PERCENT_RULE, readShownField } from '../lib/input-rules.ts';
import type { PnlHistogram } from '../lib/risk-chart.ts';
import type { RiskRunOutput } from '../lib/risk-run.ts';
import {
  MAX_SHOCKS,
  RISK_NUMBER_FIELDS,
  RISK_SLOT,
  defaultRiskSettings,
  riskInputs,
  type BacktestMethod,
  type RiskSettings,
  type StoredRisk,
} from '../lib/risk-settings.ts';
import { changedSettings, loadSlot, type StorageWriter } from '../lib/storage.ts';
import type { Drift, PriceTable, RiskInputs, RiskReport } from '../workers/protocol.ts';
import type { BookState, EditOutcome } from './book.svelte.ts';
import { Computation, type RunContext } from './computation.svelte.ts';
import type { MarketState } from './market.svelte.ts';
import type { Notices } from './notices.svelte.ts';

/** What a run is computed for: today's book, the market's prices and the panel's inputs. */
export interface RiskRequest {
  book: Book;
  prices: PriceTable;
  settings: RiskSettings;
}

/** The report of one run, with the histogram of its P&L and what it was computed for. */
export interface RiskResult extends RiskReport {
  histogram: PnlHistogram;
  request: RiskRequest;
  /** ms from the start of the run to its report. */
  elapsedMs: number;
}

/** What the Risk module needs from its surroundings. */
export interface RiskDeps {
  storage: Storage | undefined;
  writer: StorageWriter;
  notices: Notices;
  /** Runs the report on the engine pool (main.ts: `runRisk` of web/lib/risk-run.ts). */
  run: (inputs: RiskInputs, ctx: RunContext) => Promise<RiskRunOutput>;
  /** Calls `fn` before the next frame. Default `requestAnimationFrame`. */
  schedule?: (fn: () => void) => void;
  /** Clock, ms. Default `performance.now`. */
  now?: () => number;
}

const NUMBER_FIELDS = RISK_NUMBER_FIELDS;

/** A numeric input of the panel. */
export type RiskNumberField = keyof typeof NUMBER_FIELDS;

export class RiskState {
  /** The report, its progress and its error (named `Risk`). The last good report stays on a failure. */
  readonly data = new Computation<RiskResult>('Risk');
  /** The panel's inputs. */
  settings = $state.raw<RiskSettings>(defaultRiskSettings());
  /** The last rejected input (names the field and what was typed), cleared by the next accepted one. */
  inputError = $state<{ field: RiskNumberField | 'shock'; message: string } | null>(null);
  /** The user cancelled the run in flight (cleared when the next run starts). */
  cancelled = $state(false);
  /** What the run in flight is computing, `null` when none is. */
  running = $state.raw<RiskRequest | null>(null);

  readonly #book: BookState;
  readonly #market: MarketState;
  readonly #deps: RiskDeps;
  readonly #now: () => number;
  readonly #stop: () => void;
  readonly #frames: FrameQueue<RiskRequest>;

  /** What the inputs ask for now: `null` until the book and the market's prices are there. */
  request: RiskRequest | null = $derived.by(() => {
    const book = this.#book.book;
    const prices = this.#market.snapshot?.prices;
    return book && prices ? { book, prices, settings: this.settings } : null;
  });
  /** The last good result, `null` before the first. */
  result: RiskResult | null = $derived(this.data.value);
  /** The status of the last good result: `HALTED` when the limit's VaR is above the limit. */
  status: RiskReport['status'] | null = $derived(this.data.value?.status ?? null);
  /** Whether the result on screen was computed for other inputs (a run failed, is running or was cancelled). */
  stale: boolean = $derived(this.data.value !== null && this.data.value.request !== this.request);

  constructor(book: BookState, market: MarketState, deps: RiskDeps) {
    this.#book = book;
    this.#market = market;
    this.#deps = deps;
    this.#frames = new FrameQueue<RiskRequest>(deps.schedule ?? ((fn) => void requestAnimationFrame(fn)), (request) => void this.#start(request));
    this.#now = deps.now ?? (() => performance.now());
    const { value, notice, corrupt } = loadSlot(deps.storage, RISK_SLOT);
    if (value) this.settings = value;
    deps.notices.add(notice, corrupt === undefined ? undefined : { filename: `${RISK_SLOT.key}.corrupt.json`, text: corrupt });
    // Re-run on every change of the request (inputs, book, market), once per frame.
    this.#stop = $effect.root(() => {
      $effect(() => {
        const request = this.request;
        if (request) this.#queue(request);
      });
    });
  }

  /** Stop following the inputs (tests; the app's module lives with the page). */
  dispose(): void {
    this.#stop();
    this.data.cancel();
  }

  #queue(request: RiskRequest): void {
    this.#frames.push(request);
  }

  async #start(request: RiskRequest): Promise<void> {
    this.cancelled = false;
    this.running = request;
    await this.data.run(async (ctx) => {
      const t0 = this.#now();
      const out = await this.#deps.run(riskInputs(request.book, request.prices, request.settings), ctx);
      return { ...out.report, histogram: out.histogram, request, elapsedMs: this.#now() - t0 };
    });
    if (this.running === request && !this.data.pending) this.running = null;
  }

  /** Run again for the current inputs (after a cancel or a failure). */
  rerun(): void {
    if (this.request) this.#queue(this.request);
  }

  /** Cancel the run in flight: its remaining blocks are not run; the last good result stays. */
  cancel(): void {
    if (!this.data.pending) return;
    this.#frames.clear();
    this.data.cancel();
    this.running = null;
    this.cancelled = true;
  }

  // ---- inputs ----

  #update(next: Partial<RiskSettings>): void {
    this.inputError = null;
    const settings = changedSettings(this.settings, next);
    if (!settings) return;
    this.settings = settings;
    const record: StoredRisk = { version: 1, ...settings };
    this.#deps.writer.write(RISK_SLOT.key, record);
  }

  /**
   * Set a numeric input from typed text or a slider's value, in the field's unit on screen
   * (confidence in percent: `99.5` or `99.5%`). A rejected value changes nothing and says why.
   */
  set(field: RiskNumberField, text: string): EditOutcome {
    const { label, rule, scale } = NUMBER_FIELDS[field];
    const read = readShownField(text, label, rule, scale);
    if (!read.ok) {
      this.inputError = { field, message: read.error };
      return 'rejected';
    }
    this.#update({ [field]: read.value });
    return 'accepted';
  }

  setDrift(drift: Drift): void {
    this.#update({ drift });
  }

  setBacktest(method: BacktestMethod): void {
    this.#update({ backtest: method });
  }

  /** Add a stress shock of `text` percent to `ticker` (`null`: every position). */
  addShock(ticker: string | null, text: string): EditOutcome {
    const read = readShownField(text, 'shock (%)', SHOCK_PERCENT_RULE, 100);
    if (!read.ok) {
      this.inputError = { field: 'shock', message: read.error };
      return 'rejected';
    }
    if (this.settings.shocks.length >= MAX_SHOCKS) {
      this.inputError = { field: 'shock', message: `at most ${MAX_SHOCKS} shocks: remove one first` };
      return 'rejected';
    }
    this.#update({ shocks: [...this.settings.shocks, { ticker, change: read.value }] });
    return 'accepted';
  }

  /** Remove shock `index`. */
  removeShock(index: number): void {
    this.#update({ shocks: this.settings.shocks.filter((_, i) => i !== index) });
  }

  /** Back to the default inputs (the desk's limit, 99%, 10 days, 5,000 paths…). */
  resetSettings(): void {
    this.#update(defaultRiskSettings());
  }
}
