import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { Computation } from './computation.svelte.ts';
import { BookState } from './book.svelte.ts';
import { MarketState } from './market.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { StorageWriter } from '../lib/storage.ts';
import { BOOK_SLOT } from '../lib/book-slot.ts';
import { computeFunding } from '../../engine/book/funding.ts';
import { summarizeBook } from '../../engine/book/book.ts';
import { HAND_DEMO_BOOK } from '../../engine/test-fixtures.ts';
import type { MarketSnapshot } from '../workers/protocol.ts';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Computation', () => {
  it('lets the latest run win even when an older answer arrives later', async () => {
    const c = new Computation<string>('Risk');
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = c.run(() => slow.promise);
    const second = c.run(() => fast.promise);
    expect(c.pending).toBe(true);
    fast.resolve('new');
    await second;
    slow.resolve('old');
    await first;
    expect(c.value).toBe('new');
    expect(c.pending).toBe(false);
  });

  it('names the panel in an error and keeps the last good value', async () => {
    const c = new Computation<number>('Optimizer');
    await c.run(async () => 1);
    await c.run(async () => {
      throw new Error('infeasible: net 60% is outside what gross 50% allows');
    });
    expect(c.error).toBe('Optimizer: infeasible: net 60% is outside what gross 50% allows');
    expect(c.value).toBe(1);
    await c.run(async () => 2);
    expect(c.error).toBeNull();
  });

  it('aborts the superseded run and drops its progress', async () => {
    const c = new Computation<number>('VaR');
    const gate = deferred<number>();
    let seen: AbortSignal | undefined;
    let report: ((f: number) => void) | undefined;
    void c.run(({ signal, progress }) => {
      seen = signal;
      report = progress;
      return gate.promise;
    });
    report!(0.25);
    expect(c.progress).toBe(0.25);
    c.cancel();
    expect(seen!.aborted).toBe(true);
    report!(0.5);
    expect(c.progress).toBeNull();
    gate.resolve(7);
    await Promise.resolve();
    expect(c.value).toBeNull();
    expect(c.pending).toBe(false);
  });
});

const SNAPSHOT = {
  label: 'demo data (synthetic)',
  asOf: '2026-11-20',
  tickers: HAND_DEMO_BOOK.map((p) => p.ticker),
  lastPrices: Object.fromEntries(HAND_DEMO_BOOK.map((p) => [p.ticker, p.price])),
  book: HAND_DEMO_BOOK.map((p) => ({ ...p })),
  equity: 1_000_000,
  rfr: 0.036,
  irx: null,
  returns: { dates: [], tickers: [], values: [] },
  timings: { readyMs: 0, generateMs: 0 },
} as MarketSnapshot;

describe('BookState', () => {
  async function loaded() {
    const market = new MarketState(async () => SNAPSHOT);
    await market.load();
    const writes: string[] = [];
    const storage = { setItem: (k: string, v: string) => writes.push(`${k}=${v}`), getItem: () => null } as unknown as Storage;
    const writer = new StorageWriter(storage, () => undefined);
    const book = new BookState(market, storage, writer, new Notices());
    return { market, book, writer, writes };
  }

  it('shows the demo book with the engine summary and funding until the user edits it', async () => {
    const { book } = await loaded();
    flushSync();
    expect(book.isDemoBook).toBe(true);
    expect(book.summary).toEqual(summarizeBook(HAND_DEMO_BOOK, 1_000_000));
    const report = book.report;
    expect(report?.ok && report.value.totalDaily).toBeCloseTo(computeFunding(HAND_DEMO_BOOK, 1_000_000, { rfr: 0.036 }).totalDaily, 12);
  });

  it('keeps the previous book on a bad edit and names the field', async () => {
    const { book } = await loaded();
    expect(book.setShares('AAPL', 'abc')).toBe(false);
    expect(book.inputError).toEqual({ scope: 'book', message: 'shares of AAPL must be a number, got "abc"' });
    expect(book.summary?.gross).toBeCloseTo(summarizeBook(HAND_DEMO_BOOK, 1_000_000).gross, 9);
    expect(book.isDemoBook).toBe(true);
  });

  it('derives summary and funding from an accepted edit and persists it once, debounced', async () => {
    const { book, writer, writes } = await loaded();
    expect(book.setShares('AAPL', '3,000')).toBe(true);
    expect(book.setRfr('5')).toBe(true);
    const edited = HAND_DEMO_BOOK.map((p) => (p.ticker === 'AAPL' ? { ...p, shares: 3000 } : p));
    expect(book.summary).toEqual(summarizeBook(edited, 1_000_000));
    const report = book.report;
    expect(report?.ok && report.value.totalDaily).toBeCloseTo(computeFunding(edited, 1_000_000, { rfr: 0.05 }).totalDaily, 12);
    expect(writes).toEqual([]);
    writer.flush();
    expect(writes).toHaveLength(1);
    const stored = JSON.parse(writes[0].slice(BOOK_SLOT.key.length + 1));
    expect(stored.book.positions[0]).toEqual({ ticker: 'AAPL', shares: 3000, price: HAND_DEMO_BOOK[0].price });
    expect(stored.funding.rfrOverride).toBe(0.05);
  });
});
