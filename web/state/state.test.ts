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
import { demoSnapshot } from './test-fixtures.ts';

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

describe('MarketState', () => {
  it('hands its run context to the loader, so a superseded load is aborted at the pool too', async () => {
    const signals: AbortSignal[] = [];
    const gates = [deferred<MarketSnapshot>(), deferred<MarketSnapshot>()];
    const market = new MarketState((_source, { signal, progress }) => {
      signals.push(signal);
      progress(0.5);
      return gates[signals.length - 1].promise;
    });
    const first = market.load();
    expect(market.data.progress).toBe(0.5);
    const second = market.load();
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    gates[1].resolve(SNAPSHOT);
    gates[0].resolve({ ...SNAPSHOT, asOf: 'stale' });
    await Promise.all([first, second]);
    expect(market.snapshot?.asOf).toBe('2026-11-20');
  });
});

const SNAPSHOT = demoSnapshot();

/** A storage that shares one map between "tabs" and records the writes. */
class SharedStorage {
  map = new Map<string, string>();
  writes: string[] = [];
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.writes.push(k);
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

describe('BookState', () => {
  async function loaded(options: { storage?: SharedStorage; confirm?: (m: string) => boolean; tabId?: string } = {}) {
    const market = new MarketState(async () => SNAPSHOT);
    await market.load();
    const storage = options.storage ?? new SharedStorage();
    const writer = new StorageWriter(storage as unknown as Storage, () => undefined);
    const notices = new Notices();
    const questions: string[] = [];
    const book = new BookState(market, {
      storage: storage as unknown as Storage,
      writer,
      notices,
      confirm: (m) => {
        questions.push(m);
        return options.confirm ? options.confirm(m) : true;
      },
      tabId: options.tabId ?? 't1',
    });
    return { market, book, writer, storage, notices, questions };
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
    expect(book.setShares('AAPL', 'abc')).toBe('rejected');
    expect(book.inputError).toEqual({ scope: 'book', message: 'shares of AAPL must be a number, got "abc"' });
    expect(book.summary?.gross).toBeCloseTo(summarizeBook(HAND_DEMO_BOOK, 1_000_000).gross, 9);
    expect(book.isDemoBook).toBe(true);
  });

  it('derives summary and funding from an accepted edit and persists it once, debounced', async () => {
    const { book, writer, storage } = await loaded();
    expect(book.setShares('AAPL', '3,000')).toBe('accepted');
    expect(book.setRfr('5%')).toBe('accepted');
    const edited = HAND_DEMO_BOOK.map((p) => (p.ticker === 'AAPL' ? { ...p, shares: 3000 } : p));
    expect(book.summary).toEqual(summarizeBook(edited, 1_000_000));
    const report = book.report;
    expect(report?.ok && report.value.totalDaily).toBeCloseTo(computeFunding(edited, 1_000_000, { rfr: 0.05 }).totalDaily, 12);
    expect(storage.writes).toEqual([]);
    writer.flush();
    expect(storage.writes).toEqual([BOOK_SLOT.key]);
    const stored = JSON.parse(storage.getItem(BOOK_SLOT.key)!);
    expect(stored.book.positions[0]).toEqual({ ticker: 'AAPL', shares: 3000, price: HAND_DEMO_BOOK[0].price });
    expect(stored.funding.rfrOverride).toBe(0.05);
    expect(stored.revision).toBe('t1:1');
  });

  it('asks before a fat-finger edit, and a declined one changes nothing', async () => {
    const declining = await loaded({ confirm: () => false });
    expect(declining.book.setShares('MSFT', '1e6')).toBe('declined');
    expect(declining.questions[0]).toMatch(/gross leverage 41\d\.\d\d×.*MSFT at 41600% of equity.*Apply it\?/);
    expect(declining.book.isDemoBook).toBe(true);
    const accepting = await loaded({ confirm: () => true });
    expect(accepting.book.setShares('MSFT', '1e6')).toBe('accepted');
    expect(accepting.book.summary?.leverage).toBeGreaterThan(400);
    expect(accepting.book.setShares('AAPL', '1400')).toBe('accepted'); // an edit that lowers leverage asks nothing
    expect(accepting.questions).toHaveLength(1);
  });

  it('undoes and redoes every edit, the reset (asked first) included', async () => {
    const { book, questions } = await loaded();
    book.setShares('AAPL', '3000');
    book.removePosition('GS');
    book.setSpread('borrowBps', '100');
    expect(book.resetBook()).toBe('accepted');
    expect(questions.at(-1)).toMatch(/Replace your book with the demo book/);
    expect(book.isDemoBook).toBe(true);
    expect(book.undo()).toBe(true); // the reset
    expect(book.book?.positions.map((p) => p.ticker)).toEqual(['AAPL', 'MSFT', 'JPM', 'MS']);
    expect(book.undo()).toBe(true); // the borrow fee
    expect(book.funding.borrowBps).toBe(40);
    expect(book.undo()).toBe(true); // the remove
    expect(book.book?.positions.map((p) => p.ticker)).toEqual(['AAPL', 'MSFT', 'JPM', 'GS', 'MS']);
    expect(book.redo()).toBe(true);
    expect(book.book?.positions.some((p) => p.ticker === 'GS')).toBe(false);
    expect(book.undo() && book.undo()).toBe(true);
    expect(book.isDemoBook).toBe(true);
    expect(book.undo()).toBe(false);
    expect(book.lastChange?.label).toBe('Undone');
  });

  it('shows what another tab saved, so its next edit keeps both', async () => {
    const shared = new SharedStorage();
    const a = await loaded({ storage: shared, tabId: 'A' });
    const b = await loaded({ storage: shared, tabId: 'B' });
    a.book.setShares('AAPL', '111');
    a.writer.flush();
    b.book.receive(shared.getItem(BOOK_SLOT.key)); // the storage event
    b.book.setShares('MSFT', '222');
    b.writer.flush();
    const stored = JSON.parse(shared.getItem(BOOK_SLOT.key)!);
    const shares = Object.fromEntries(stored.book.positions.map((p: { ticker: string; shares: number }) => [p.ticker, p.shares]));
    expect(shares).toMatchObject({ AAPL: 111, MSFT: 222 });
  });

  it('never overwrites a newer record silently: the older tab is told and shows the newer book', async () => {
    const shared = new SharedStorage();
    const a = await loaded({ storage: shared, tabId: 'A' });
    const b = await loaded({ storage: shared, tabId: 'B' });
    a.book.setShares('AAPL', '111');
    a.writer.flush();
    b.book.setShares('MSFT', '222'); // B has not seen A's save (no storage event yet)
    b.writer.flush();
    const stored = JSON.parse(shared.getItem(BOOK_SLOT.key)!);
    expect(stored.revision).toBe('A:1');
    expect(b.notices.list[0].message).toMatch(/Another tab saved a newer book/);
    expect(b.book.book?.positions.find((p) => p.ticker === 'AAPL')?.shares).toBe(111);
    expect(b.book.undo()).toBe(true); // B's own edit is still in its history
  });

  it('offers the unreadable record for download from the notice', async () => {
    const shared = new SharedStorage();
    shared.setItem(BOOK_SLOT.key, '{"version":1,"book":');
    const { notices, book } = await loaded({ storage: shared });
    expect(book.isDemoBook).toBe(true);
    expect(notices.list[0].download).toEqual({ filename: 'astra.book.v1.corrupt.json', text: '{"version":1,"book":' });
  });
});
