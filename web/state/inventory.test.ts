/**
 * InventoryState with fakes: the market and the book as the app builds them, a fake pool (each
 * prepare and step a promise the test settles) and the Risk module's limit and status, so the
 * scheduling — one step at a time, the latest waiting, warm start from the previous solve, the
 * frontier kept while only its own parameter moves — and the apply/undo path are checked exactly.
 */
import { describe, expect, it } from 'vitest';
import { tick } from 'svelte';
import { BookState } from './book.svelte.ts';
import { MarketState } from './market.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { InventoryState } from './inventory.svelte.ts';
import { FakeRiskLink } from './test-risk-link.svelte.ts';
import type { RunContext } from './computation.svelte.ts';
import { StorageWriter } from '../lib/storage.ts';
import { INVENTORY_SLOT, defaultInventorySettings } from '../lib/inventory-settings.ts';
import { HAND_DEMO_BOOK } from '../../engine/test-fixtures.ts';
import type { InventoryMarket, InventoryStep, InventoryStepArg } from '../workers/protocol.ts';
import type { PortfolioResult, Rebalance, WarmStart } from '../../engine/portfolio/types.ts';
import { demoSnapshot } from './test-fixtures.ts';
import { MemoryStorage } from '../test/memory-storage.ts';

const TICKERS = HAND_DEMO_BOOK.map((p) => p.ticker); // AAPL MSFT JPM GS MS
const PRICES = { dates: ['2026-11-19', '2026-11-20'], tickers: TICKERS, closes: HAND_DEMO_BOOK.map((p) => new Float64Array([p.price, p.price])) };
const SNAPSHOT = demoSnapshot(PRICES);
const n = TICKERS.length;

/** Statistics of a universe with one more ticker (GOOGL) than the book holds. */
const MARKET: InventoryMarket = {
  tickers: [...TICKERS, 'GOOGL'],
  covDaily: Float64Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? 4e-4 : 0)),
  meanDaily: new Float64Array(6).fill(2e-4),
  lastPrices: Float64Array.from([...HAND_DEMO_BOOK.map((p) => p.price), 292.5]),
  window: { first: '2024-11-21', last: '2026-11-20', observations: 522 },
  lookback: 730,
  warnings: [],
};


interface StepCall {
  arg: InventoryStepArg;
  ctx: RunContext;
  resolve(step: InventoryStep): void;
  reject(e: unknown): void;
}

const WARM = (tag: number): WarmStart => ({ tickers: MARKET.tickers, weights: new Float64Array(6).fill(tag), state: new Int8Array(6), grossActive: true, netActive: 0 });

/** An optimal answer with weights `w` (6 tickers), the frontier and a rebalance to `target` shares. */
function answer(w: number[], options: { target?: number[]; breach?: boolean; tag?: number; frontier?: boolean } = {}): InventoryStep {
  const result: PortfolioResult = {
    status: 'optimal', tickers: MARKET.tickers, weights: Float64Array.from(w), gross: w.reduce((a, b) => a + Math.abs(b), 0), net: w.reduce((a, b) => a + b, 0),
    volAnnual: 0.2, expectedReturn: 0.05, carry: 0, objective: 0.04, iterations: 3, kktResidual: 1e-12, binding: ['gross', 'net'], warnings: [], warm: WARM(options.tag ?? 1),
  };
  const target = (options.target ?? [100, 200, -300, -50, -400, 10]).map((shares, i) => ({ ticker: MARKET.tickers[i], shares, price: MARKET.lastPrices[i] }));
  const rebalance: Rebalance = { trades: [], target, fundingDailyChange: -3, targetVar: options.breach ? 200_000 : 90_000, limit: 150_000, breachesLimit: options.breach ?? false };
  return {
    result,
    frontier: options.frontier === false ? null : { ok: true, value: [{ gross: 1, status: 'optimal', volAnnual: 0.1, expectedReturn: 0.02, weights: new Float64Array(6), iterations: 1 }] },
    comparison: { ok: true, value: [] },
    rebalance: { ok: true, value: rebalance },
    solveMs: 0.02,
    stepMs: 0.3,
  };
}

function infeasible(conflict: string): InventoryStep {
  const result: PortfolioResult = {
    status: 'infeasible', tickers: MARKET.tickers, weights: null, gross: NaN, net: NaN, volAnnual: NaN, expectedReturn: NaN, carry: NaN, objective: NaN,
    iterations: 0, kktResidual: NaN, binding: [], conflict, warnings: [],
  };
  return { result, frontier: { ok: true, value: [] }, comparison: null, rebalance: null, solveMs: 0.01, stepMs: 0.1 };
}

async function setup(storage = new MemoryStorage(), confirm: (m: string) => boolean = () => true) {
  const market = new MarketState(async () => SNAPSHOT);
  await market.load();
  const notices = new Notices();
  const writer = new StorageWriter(storage as unknown as Storage, () => undefined);
  const book = new BookState(market, { storage: storage as unknown as Storage, writer, notices, confirm: () => true, tabId: 't' });
  const risk = new FakeRiskLink();
  const prepares: { resolve(m: InventoryMarket): void; reject(e: unknown): void }[] = [];
  const steps: StepCall[] = [];
  const asked: string[] = [];
  const inventory = new InventoryState(book, market, risk, {
    storage: storage as unknown as Storage,
    writer,
    notices,
    confirm: (m) => {
      asked.push(m);
      return confirm(m);
    },
    prepare: () => new Promise((resolve, reject) => prepares.push({ resolve, reject })),
    step: (arg, ctx) => new Promise((resolve, reject) => steps.push({ arg, ctx, resolve, reject })),
  });
  const settle = async () => {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  };
  await settle();
  return { market, book, risk, inventory, prepares, steps, settle, writer, storage, notices, asked };
}

/** Set up and answer the statistics and the first step. */
async function ready(storage?: MemoryStorage, confirm?: (m: string) => boolean) {
  const s = await setup(storage, confirm);
  s.prepares[0].resolve(MARKET);
  await s.settle();
  s.steps[0].resolve(answer([0.4, 0.6, -0.5, -0.3, -0.2, 0]));
  await s.settle();
  return s;
}

describe('InventoryState', () => {
  it('prepares the statistics once the prices are there, then steps with the problem of the book and the defaults', async () => {
    const { inventory, prepares, steps, settle } = await setup();
    expect(prepares).toHaveLength(1);
    expect(steps).toHaveLength(0); // nothing before the statistics
    prepares[0].resolve(MARKET);
    await settle();
    expect(steps).toHaveLength(1);
    const { arg } = steps[0];
    expect(arg.problem.tickers).toEqual(MARKET.tickers);
    expect([arg.problem.mode, arg.problem.gross, arg.problem.net, arg.problem.gamma]).toEqual(['signed', 2, 0, 1]);
    // Sides from the book; GOOGL, not held, is flat. Annual Σ = 252 × daily.
    expect(arg.problem.sides).toEqual({ AAPL: 'long', MSFT: 'long', JPM: 'short', GS: 'short', MS: 'short', GOOGL: 'flat' });
    expect(arg.problem.covAnnual[0]).toBeCloseTo(252 * 4e-4, 15);
    expect(arg.problem.carry).toBeUndefined();
    // AAPL: 1,500 × 277.02 / 1,000,000.
    expect(arg.current[0]).toBeCloseTo(0.41553, 12);
    expect(arg.current[5]).toBe(0);
    expect([arg.equity, arg.limit, arg.carry.rfr, arg.carry.borrowBps]).toEqual([1_000_000, 150_000, 0.036, 40]);
    expect(arg.warm).toBeUndefined();
    expect(arg.frontier).toEqual({ axis: 'gross', points: 21 });
    steps[0].resolve(answer([0.4, 0.6, -0.5, -0.3, -0.2, 0]));
    await settle();
    expect(inventory.result?.result.status).toBe('optimal');
    expect(inventory.stale).toBe(false);
    expect(inventory.result?.currentPoint.gross).toBeCloseTo(1.851_204, 6);
    inventory.dispose();
  });

  it('runs one step at a time: changes made meanwhile start one step, with the latest inputs, warm from the last solve', async () => {
    const { inventory, steps, settle } = await ready();
    expect(inventory.set('gross', '2.5')).toBe('accepted');
    await settle();
    expect(steps).toHaveLength(2);
    inventory.set('gross', '3');
    await settle();
    inventory.set('gross', '3.5');
    inventory.set('net', '-10');
    await settle();
    expect(steps).toHaveLength(2); // step 2 is still in flight
    steps[1].resolve(answer([0.5, 0.7, -0.6, -0.4, -0.3, 0], { tag: 2 }));
    await settle();
    expect(steps).toHaveLength(3);
    expect([steps[2].arg.problem.gross, steps[2].arg.problem.net]).toEqual([3.5, -0.1]);
    expect(steps[2].arg.warm?.weights[0]).toBe(2); // from step 2's solve
    expect(inventory.stale).toBe(true);
    steps[2].resolve(answer([0.6, 0.8, -0.7, -0.5, -0.3, 0], { tag: 3 }));
    await settle();
    expect(inventory.stale).toBe(false);
    expect(inventory.result?.request.settings.gross).toBe(3.5);
    inventory.dispose();
  });

  it('keeps the frontier while only its own parameter moves, and asks for a new one otherwise', async () => {
    const { inventory, steps, settle } = await ready();
    inventory.set('gross', '3'); // signed: the frontier is across gross, so the curve stays
    await settle();
    expect(steps[1].arg.frontier).toBeNull();
    steps[1].resolve(answer([0.5, 0.7, -0.6, -0.4, -0.2, 0], { frontier: false }));
    await settle();
    expect(inventory.result?.frontier).toEqual(steps[0].arg.frontier && { ok: true, value: [expect.objectContaining({ gross: 1, volAnnual: 0.1 })] });
    inventory.set('net', '10');
    await settle();
    expect(steps[2].arg.frontier).toEqual({ axis: 'gross', points: 21 });
    steps[2].resolve(answer([0.5, 0.7, -0.6, -0.4, -0.1, 0]));
    await settle();
    inventory.setMode('meanvar'); // across γ: the gross limit now shapes the curve
    await settle();
    expect(steps[3].arg.frontier).toEqual({ axis: 'gamma', points: 21, from: 0.01, to: 1000 });
    steps[3].resolve(answer([0.5, 0.7, -0.6, -0.4, -0.1, 0]));
    await settle();
    inventory.set('gamma', '10');
    await settle();
    expect(steps[4].arg.frontier).toBeNull();
    inventory.set('gross', '1');
    await settle();
    steps[4].resolve(answer([0.5, 0.7, -0.6, -0.4, -0.1, 0], { frontier: false }));
    await settle();
    expect(steps[5].arg.frontier).not.toBeNull();
    inventory.dispose();
  });

  it('shows an infeasible problem as its conflict, with no weights and nothing to apply', async () => {
    const { inventory, steps, settle } = await ready();
    expect(inventory.setBound('AAPL', 'lower', '300')).toBe('accepted');
    await settle();
    expect(steps[1].arg.problem.bounds).toEqual({ AAPL: { lower: 3 } });
    steps[1].resolve(infeasible('the bounds force a gross of at least 300% (AAPL), above the gross limit 200%'));
    await settle();
    expect(inventory.result?.result.status).toBe('infeasible');
    expect(inventory.result?.result.weights).toBeNull();
    expect(inventory.result?.result.conflict).toMatch(/AAPL/);
    expect(inventory.canApply).toBe(false);
    expect(inventory.applyToBook()).toBe('rejected');
    inventory.dispose();
  });

  it('keeps the last good result when a step fails, names the panel, and recovers on the next change', async () => {
    const { inventory, steps, settle } = await ready();
    inventory.set('gross', '4');
    await settle();
    steps[1].reject(new Error('engine worker crashed while running Inventory'));
    await settle();
    expect(inventory.data.error).toBe('Inventory: engine worker crashed while running Inventory');
    expect(inventory.result?.request.settings.gross).toBe(2);
    expect(inventory.stale).toBe(true);
    expect(inventory.canApply).toBe(false);
    inventory.rerun();
    await settle();
    steps[2].resolve(answer([0.4, 0.6, -0.5, -0.3, -0.2, 0]));
    await settle();
    expect(inventory.data.error).toBeNull();
    expect(inventory.stale).toBe(false);
    inventory.dispose();
  });

  it('re-steps when the risk limit, the book or its funding changes', async () => {
    const { inventory, risk, book, steps, settle } = await ready();
    risk.settings = { limit: 100_000 };
    await settle();
    expect(steps[1].arg.limit).toBe(100_000);
    steps[1].resolve(answer([0.4, 0.6, -0.5, -0.3, -0.2, 0]));
    await settle();
    book.setSpread('borrowBps', '100');
    await settle();
    expect(steps[2].arg.carry.borrowBps).toBe(100);
    steps[2].resolve(answer([0.4, 0.6, -0.5, -0.3, -0.2, 0]));
    await settle();
    inventory.setCarry(true);
    await settle();
    expect(steps[3].arg.problem.carry).toEqual(steps[3].arg.carry);
    risk.status = 'HALTED';
    await settle();
    expect(inventory.riskStatus).toBe('HALTED');
    inventory.dispose();
  });

  it('refuses bad inputs naming the field (a bound names its ticker) and changes nothing', async () => {
    const { inventory, steps, settle } = await ready();
    const cases = [
      ['gross', '9', 'gross limit must be between 0.5× and 5×, got 9'],
      ['net', '60%', 'net target must be between −50% and 50%, got 60%'],
      ['gamma', '0', 'risk aversion γ must be between 0.01 and 1,000, got 0'],
      ['turnoverBps', '-1', 'turnover cost must be between 0 and 10,000 bp, got -1'],
    ] as const;
    for (const [field, text, message] of cases) {
      expect(inventory.set(field, text)).toBe('rejected');
      expect(inventory.inputError).toEqual({ field, message });
    }
    expect(inventory.setBound('GS', 'upper', 'lots')).toBe('rejected');
    expect(inventory.inputError).toEqual({ field: 'bound', ticker: 'GS', message: 'upper bound of GS must be a number, got "lots"' });
    inventory.setBound('GS', 'upper', '10');
    expect(inventory.setBound('GS', 'lower', '20')).toBe('rejected');
    expect(inventory.inputError?.message).toBe('lower bound of GS (20%) must not be above its upper bound (10%)');
    expect(inventory.settings).toEqual({ ...defaultInventorySettings(), bounds: { GS: { lower: null, upper: 0.1 } } });
    await settle();
    expect(steps).toHaveLength(2); // the accepted bound only
    inventory.dispose();
  });

  it('applies the rebalance to the book as one undoable edit, keeping positions outside the universe', async () => {
    const { inventory, book, settle } = await ready();
    book.addPosition({ ticker: 'ZZZZ', shares: '10', price: '5' });
    await settle();
    expect(inventory.outside).toEqual(['ZZZZ']);
    expect(inventory.canApply).toBe(false); // the result is for the book before the edit
  });

  it('applies the target, and Undo restores the book', async () => {
    const s = await ready();
    const before = s.book.book;
    expect(s.inventory.canApply).toBe(true);
    expect(s.inventory.applyToBook()).toBe('accepted');
    // Whole shares at the last prices; GOOGL (10) is added, the order of held tickers is kept.
    expect(s.book.book?.positions.map((p) => [p.ticker, p.shares])).toEqual([['AAPL', 100], ['MSFT', 200], ['JPM', -300], ['GS', -50], ['MS', -400], ['GOOGL', 10]]);
    expect(s.book.book?.positions[5].price).toBe(292.5);
    expect(s.book.lastChange?.label).toBe('Optimum applied to the book');
    expect(s.book.undo()).toBe(true);
    expect(s.book.book).toEqual(before);
    s.inventory.dispose();
  });

  it('asks before applying a target above the risk limit; declining changes nothing', async () => {
    const s = await setup(new MemoryStorage(), () => false);
    s.prepares[0].resolve(MARKET);
    await s.settle();
    s.steps[0].resolve(answer([1, 1, -1, -1, -1, 0], { breach: true }));
    await s.settle();
    const before = s.book.book;
    expect(s.inventory.applyToBook()).toBe('declined');
    expect(s.asked[0]).toBe("The target book's 10-day 99% VaR (200,000) is above the risk limit (150,000). Apply it anyway?");
    expect(s.book.book).toBe(before);
    s.inventory.dispose();
  });

  it('keeps its inputs in its own slot, debounced, and reads them back', async () => {
    const storage = new MemoryStorage();
    const a = await setup(storage);
    a.inventory.setMode('meanvar');
    a.inventory.set('gross', '3.5');
    a.inventory.set('net', '-12.5');
    a.inventory.set('gamma', '12.6');
    a.inventory.set('turnoverBps', '15');
    a.inventory.setCarry(true);
    a.inventory.setBound('AAPL', 'upper', '25%');
    expect(storage.getItem(INVENTORY_SLOT.key)).toBeNull();
    a.writer.flush();
    const expected = { mode: 'meanvar', gross: 3.5, net: -0.125, gamma: 12.6, turnoverBps: 15, carry: true, bounds: { AAPL: { lower: null, upper: 0.25 } } };
    expect(JSON.parse(storage.getItem(INVENTORY_SLOT.key)!)).toEqual({ version: 1, ...expected });
    a.inventory.dispose();
    const b = await setup(storage);
    expect(b.inventory.settings).toEqual(expected);
    b.inventory.dispose();
  });

  it('sets an unreadable record aside and falls back to the defaults, saying so', async () => {
    const storage = new MemoryStorage();
    storage.setItem(INVENTORY_SLOT.key, '{"version":1,');
    const { inventory, notices } = await setup(storage);
    expect(inventory.settings).toEqual(defaultInventorySettings());
    expect(notices.list[0].message).toMatch(/The saved inventory settings could not be read/);
    expect(storage.getItem(`${INVENTORY_SLOT.key}.corrupt`)).toBe('{"version":1,');
    inventory.dispose();
  });
});
void n;
