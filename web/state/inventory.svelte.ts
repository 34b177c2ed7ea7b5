/**
 * The Inventory module: the optimizer's inputs (mode, gross limit, net target, γ, per-asset
 * bounds, carry, turnover cost — persisted in the module's own slot), and for today's book the
 * optimum, its frontier, the comparison with equal weight and the current book, and the rebalance,
 * computed on the engine pool.
 *
 * Two computations, both labelled `Inventory`: the market statistics (`inventory.prepare`, once per
 * price table) and the step (`inventory.step`, on every change of an input, the book, its funding
 * or the risk limit). Steps run one at a time, the latest waiting: a change while a step is in
 * flight replaces whatever was waiting, and starts as soon as that step answers. So a dragged
 * slider never queues stale work, and each step warm-starts from the solve just before it. At the
 * demo size a step is well under a millisecond in the worker, so the change is on screen in the
 * next frame (the panel measures it: `performance` entries named {@link PAINT_MEASURE}).
 *
 * An infeasible problem is a result, not an error: its `conflict` says which constraints clash and
 * there are no weights to show. A failed step (bad input only the engine sees, a worker crash)
 * keeps the last result on screen, marked stale, with the error named `Inventory: …`.
 */
import { untrack } from 'svelte';
import type { Book } from '../lib/book-edit.ts';
import type { EditOutcome, BookState } from './book.svelte.ts';
import { readShownField } from '../lib/input-rules.ts';
import {
  INVENTORY_NUMBER_FIELDS,
  INVENTORY_SLOT,
  compactBounds,
  defaultInventorySettings,
  readBound,
  type BoundSide,
  type InventoryNumberField,
  type InventorySettings,
  type StoredInventory,
} from '../lib/inventory-settings.ts';
import { currentWeights, frontierSpec, inventoryProblem, outsideUniverse, portfolioPoint } from '../lib/inventory-problem.ts';
import { bookWithTarget } from '../lib/inventory-view.ts';
import { changedSettings, loadSlot, type StorageWriter } from '../lib/storage.ts';
import type { CarryOptions, PortfolioMode, PortfolioProblem } from '../../engine/portfolio/types.ts';
import type { InventoryMarket, InventoryPrepareArg, InventoryStep, InventoryStepArg, PriceTable } from '../workers/protocol.ts';
import { Computation, type RunContext } from './computation.svelte.ts';
import type { MarketState } from './market.svelte.ts';
import type { Notices } from './notices.svelte.ts';

/** The name of the `performance.measure` entries: a change of input → the panel painted with its answer. */
export const PAINT_MEASURE = 'inventory: change → paint';

/** Lookback of the statistics, calendar days (the engine's default, as `astra optimize`). */
export const INVENTORY_LOOKBACK = 730;

/** What the Inventory module reads from the Risk module: its limit and its status. */
export interface RiskLink {
  readonly settings: { readonly limit: number };
  readonly status: 'OK' | 'HALTED' | null;
}

/** The market statistics with the price table they were computed from. */
export interface InventoryStats extends InventoryMarket {
  prices: PriceTable;
}

/** What a step is computed for. */
export interface InventoryRequest {
  stats: InventoryStats;
  book: Book;
  settings: InventorySettings;
  /** The book's funding inputs (the carry term when on; the comparison's and rebalance's carry always). */
  carry: CarryOptions;
  /** The risk limit on the 10-day 99% VaR, money. */
  limit: number;
}

/** One step's answer with what it was computed for. */
export interface InventoryResult extends InventoryStep {
  request: InventoryRequest;
  problem: PortfolioProblem;
  /** Today's weights in the universe's order. */
  current: Float64Array;
  /** Today's book as a point: annual volatility, expected return (the problem's μ), gross and net. */
  currentPoint: { volAnnual: number; expectedReturn: number; gross: number; net: number };
  axis: 'gamma' | 'gross';
  /** `performance.now()` when the change was seen, and ms from it to the answer. */
  changedAt: number;
  elapsedMs: number;
}

/** What the Inventory module needs from its surroundings. */
export interface InventoryDeps {
  storage: Storage | undefined;
  writer: StorageWriter;
  notices: Notices;
  /** `inventory.prepare` on the engine pool. */
  prepare: (arg: InventoryPrepareArg, ctx: RunContext) => Promise<InventoryMarket>;
  /** `inventory.step` on the engine pool. */
  step: (arg: InventoryStepArg, ctx: RunContext) => Promise<InventoryStep>;
  /** Ask before applying a book above the risk limit (the app passes `window.confirm`). */
  confirm: (message: string) => boolean;
  /** Clock, ms. Default `performance.now`. */
  now?: () => number;
}

/** An input the panel refused: which field (a bound names its ticker) and why. */
export interface InventoryInputError {
  field: InventoryNumberField | 'bound';
  ticker?: string;
  message: string;
}

/** What decides the frontier's curve: everything but the parameter it varies. */
function frontierKey(r: InventoryRequest): unknown[] {
  const { gross, gamma, ...rest } = r.settings;
  const s = r.settings.mode === 'meanvar' ? { ...rest, gross } : { ...rest, gamma };
  return [r.stats, r.book, r.carry, JSON.stringify(s)];
}

const sameKey = (a: unknown[] | null, b: unknown[]) => a !== null && a.length === b.length && a.every((v, i) => v === b[i]);

export class InventoryState {
  /** The market statistics (named `Inventory` on failure). */
  readonly stats = new Computation<InventoryStats>('Inventory');
  /** The step's answer; the last good one stays on a failure. */
  readonly data = new Computation<InventoryResult>('Inventory');
  /** The panel's inputs. */
  settings = $state.raw<InventorySettings>(defaultInventorySettings());
  /** The last rejected input, cleared by the next accepted one. */
  inputError = $state<InventoryInputError | null>(null);

  readonly #book: BookState;
  readonly #market: MarketState;
  readonly #risk: RiskLink;
  readonly #deps: InventoryDeps;
  readonly #now: () => number;
  readonly #stop: () => void;
  #waiting: { request: InventoryRequest; at: number } | null = null;
  #busy = false;
  /** The last request queued (an effect re-run for the same request does not step again). */
  #queued: InventoryRequest | null = null;
  #frontier: { key: unknown[]; value: InventoryStep['frontier'] } | null = null;

  /** The funding inputs of the book, `null` until the RFR is known. */
  #carry: CarryOptions | null = $derived.by(() => {
    const rfr = this.#book.rfr;
    if (!Number.isFinite(rfr)) return null;
    const f = this.#book.funding;
    return { rfr, longSpreadBps: f.longSpreadBps, shortSpreadBps: f.shortSpreadBps, borrowBps: f.borrowBps, borrowOverrides: f.borrowOverrides };
  });

  /** What the inputs ask for now: `null` until the book, its funding and the statistics of today's prices are there. */
  request: InventoryRequest | null = $derived.by(() => {
    const stats = this.stats.value;
    const book = this.#book.book;
    const carry = this.#carry;
    if (!stats || !book || !carry || stats.prices !== this.#market.snapshot?.prices) return null;
    return { stats, book, settings: this.settings, carry, limit: this.#risk.settings.limit };
  });
  /** The last good result, `null` before the first. */
  result: InventoryResult | null = $derived(this.data.value);
  /** Whether the result on screen was computed for other inputs (a step failed or is running). */
  stale: boolean = $derived(this.data.value !== null && this.data.value.request !== this.request);
  /** The risk module's status (`HALTED`: the book's VaR is above the limit). */
  riskStatus: RiskLink["status"] = $derived.by(() => this.#risk.status);
  /** Tickers the book holds outside the statistics' universe (left as they are by the optimizer). */
  outside: string[] = $derived.by(() => {
    const stats = this.stats.value;
    const book = this.#book.book;
    return stats && book ? outsideUniverse(stats.tickers, book) : [];
  });

  constructor(book: BookState, market: MarketState, risk: RiskLink, deps: InventoryDeps) {
    this.#book = book;
    this.#market = market;
    this.#risk = risk;
    this.#deps = deps;
    this.#now = deps.now ?? (() => performance.now());
    const { value, notice, corrupt } = loadSlot(deps.storage, INVENTORY_SLOT);
    if (value) this.settings = value;
    deps.notices.add(notice, corrupt === undefined ? undefined : { filename: `${INVENTORY_SLOT.key}.corrupt.json`, text: corrupt });
    this.#stop = $effect.root(() => {
      // The statistics, once per price table.
      $effect(() => {
        const prices = this.#market.snapshot?.prices;
        if (prices) untrack(() => void this.#prepare(prices));
      });
      // A step on every change of the request.
      $effect(() => {
        const request = this.request;
        // The step starts synchronously: what it reads (the last result's warm start…) must not
        // become a dependency of this effect, or every answer would start another step.
        if (request && request !== this.#queued) untrack(() => this.#queue(request));
      });
    });
  }

  /** Stop following the inputs (tests; the app's module lives with the page). */
  dispose(): void {
    this.#stop();
    this.#waiting = null;
    this.stats.cancel();
    this.data.cancel();
  }

  async #prepare(prices: PriceTable): Promise<void> {
    await this.stats.run(async (ctx) => ({ ...(await this.#deps.prepare({ prices, lookback: INVENTORY_LOOKBACK }, ctx)), prices }));
  }

  #queue(request: InventoryRequest): void {
    this.#queued = request;
    this.#waiting = { request, at: this.#now() };
    if (!this.#busy) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#waiting) {
        const next = this.#waiting;
        this.#waiting = null;
        await this.#start(next.request, next.at);
      }
    } finally {
      this.#busy = false;
    }
  }

  async #start(request: InventoryRequest, changedAt: number): Promise<void> {
    await this.data.run(async (ctx) => {
      const { stats, book, settings } = request;
      const problem = inventoryProblem(stats, settings, book, settings.carry ? request.carry : null);
      const current = currentWeights(stats.tickers, book);
      const universe = new Set(stats.tickers);
      const key = frontierKey(request);
      const reuse = this.#frontier !== null && sameKey(this.#frontier.key, key) ? this.#frontier.value : null;
      const step = await this.#deps.step(
        {
          problem,
          warm: this.data.value?.result.warm,
          frontier: reuse ? null : frontierSpec(settings),
          covDaily: stats.covDaily,
          meanDaily: stats.meanDaily,
          lastPrices: stats.lastPrices,
          current,
          book: book.positions.filter((p) => universe.has(p.ticker)),
          equity: book.equity,
          carry: request.carry,
          limit: request.limit,
        },
        ctx,
      );
      const frontier = step.frontier ?? reuse!;
      this.#frontier = { key, value: frontier };
      return {
        ...step,
        frontier,
        request,
        problem,
        current,
        currentPoint: portfolioPoint(current, problem.covAnnual, problem.expectedReturn ?? new Float64Array(current.length)),
        axis: frontierSpec(settings).axis ?? 'gross',
        changedAt,
        elapsedMs: this.#now() - changedAt,
      };
    });
  }

  /** Step again for the current inputs (after a failure). */
  rerun(): void {
    if (this.request) this.#queue(this.request);
  }

  // ---- inputs ----

  #update(next: Partial<InventorySettings>): void {
    this.inputError = null;
    const settings = changedSettings(this.settings, next);
    if (!settings) return;
    this.settings = settings;
    const record: StoredInventory = { version: 1, ...settings };
    this.#deps.writer.write(INVENTORY_SLOT.key, record);
  }

  /**
   * Set a numeric input from typed text or a slider's value, in the field's unit on screen (net in
   * percent: `-12.5` or `-12.5%`). A rejected value changes nothing and says why.
   */
  set(field: InventoryNumberField, text: string): EditOutcome {
    const { label, rule, scale } = INVENTORY_NUMBER_FIELDS[field];
    const read = readShownField(text, label, rule, scale);
    if (!read.ok) {
      this.inputError = { field, message: read.error };
      return 'rejected';
    }
    this.#update({ [field]: read.value });
    return 'accepted';
  }

  setMode(mode: PortfolioMode): void {
    this.#update({ mode });
  }

  setCarry(on: boolean): void {
    this.#update({ carry: on });
  }

  /** Set (percent text) or clear (empty text) the `side` bound of `ticker`. The message of a refusal names the ticker. */
  setBound(ticker: string, side: BoundSide, text: string): EditOutcome {
    const read = readBound(text, ticker, side, this.settings.bounds[ticker]);
    if (!read.ok) {
      this.inputError = { field: 'bound', ticker, message: read.error };
      return 'rejected';
    }
    this.#update({ bounds: compactBounds({ ...this.settings.bounds, [ticker]: read.value }) });
    return 'accepted';
  }

  /** Clear every bound. */
  clearBounds(): void {
    this.#update({ bounds: {} });
  }

  /** Back to the default inputs. */
  resetSettings(): void {
    this.#update(defaultInventorySettings());
  }

  // ---- the rebalance ----

  /** Whether the result on screen has a rebalance that can be applied to today's book. */
  canApply: boolean = $derived.by(() => {
    const r = this.data.value;
    return r !== null && !this.stale && r.rebalance?.ok === true && r.request.book === this.#book.book;
  });

  /**
   * Apply the rebalance's target book (whole shares at the last prices; positions outside the
   * universe kept) as one book edit, which Undo takes back. A target above the risk limit asks
   * first. Returns what became of it.
   */
  applyToBook(): EditOutcome {
    const r = this.data.value;
    if (!r || !this.canApply || !r.rebalance?.ok) return 'rejected';
    const rb = r.rebalance.value;
    if (rb.breachesLimit && !this.#deps.confirm(`The target book's 10-day 99% VaR (${Math.round(rb.targetVar).toLocaleString('en-US')}) is above the risk limit (${Math.round(rb.limit).toLocaleString('en-US')}). Apply it anyway?`)) {
      return 'declined';
    }
    const positions = bookWithTarget(r.request.book.positions, r.request.stats.tickers, rb.target);
    return this.#book.setPositions(positions, 'Optimum applied to the book');
  }
}
