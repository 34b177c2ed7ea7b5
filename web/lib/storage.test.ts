import { afterEach, describe, expect, it, vi } from 'vitest';
import { StorageWriter, WRITE_DELAY_MS, changedSettings, loadSlot } from './storage.ts';
import { BOOK_SLOT, defaultFunding } from './book-slot.ts';
import { THEME_SLOT } from './theme.ts';
import { MemoryStorage } from '../test/memory-storage.ts';


const saved = {
  version: 1,
  book: { equity: 2_000_000, positions: [{ ticker: 'AAPL', shares: 3000, price: 277.02 }] },
  funding: { rfrOverride: 0.04, longSpreadBps: 60, shortSpreadBps: 25, borrowBps: 40, borrowOverrides: { GS: 100 } },
};

afterEach(() => vi.useRealTimers());

describe('storage slots', () => {
  it('give nothing (and no notice) when nothing is stored', () => {
    expect(loadSlot(new MemoryStorage(), BOOK_SLOT)).toEqual({ value: undefined, notice: null });
    expect(loadSlot(undefined, THEME_SLOT)).toEqual({ value: undefined, notice: null });
  });

  it('round-trip the book record, with the summary computed by the engine on the way in', () => {
    const storage = new MemoryStorage();
    storage.setItem(BOOK_SLOT.key, JSON.stringify(saved));
    const { value, notice } = loadSlot(storage, BOOK_SLOT);
    expect(notice).toBeNull();
    expect(value?.funding).toEqual(saved.funding);
    expect(value?.book?.book).toEqual(saved.book);
    expect(value?.book?.summary.gross).toBeCloseTo(3000 * 277.02, 9);
    expect(value?.book?.summary.leverage).toBeCloseTo((3000 * 277.02) / 2_000_000, 12);
  });

  it.each([
    ['not JSON', '{"version":1,', 'not valid JSON'],
    ['another version', JSON.stringify({ ...saved, version: 2 }), 'unknown version 2'],
    ['not an object', '[1,2]', 'it is not an object'],
  ])('set aside an unreadable book record (%s) with a notice, keeping the bad copy', (_name, raw, reason) => {
    const storage = new MemoryStorage();
    storage.setItem(BOOK_SLOT.key, raw);
    storage.setItem(THEME_SLOT.key, '"light"');
    const { value, notice, corrupt } = loadSlot(storage, BOOK_SLOT);
    expect(value).toBeUndefined();
    expect(notice).toContain(reason);
    expect(notice).toContain(`${BOOK_SLOT.key}.corrupt`);
    expect(corrupt).toBe(raw);
    expect(storage.getItem(`${BOOK_SLOT.key}.corrupt`)).toBe(raw);
    expect(storage.getItem(BOOK_SLOT.key)).toBeNull();
    // One module's bad record never takes another's with it.
    expect(loadSlot(storage, THEME_SLOT)).toEqual({ value: 'light', notice: null });
  });

  it.each([
    ['a zero price', { book: { ...saved.book, positions: [...saved.book.positions, { ticker: 'B', shares: 1, price: 0 }] } }, 'B was dropped'],
    ['a duplicate ticker', { book: { ...saved.book, positions: [saved.book.positions[0], saved.book.positions[0]] } }, 'a second AAPL was dropped'],
    ['shares past the bound', { book: { ...saved.book, positions: [...saved.book.positions, { ticker: 'C', shares: 1e300, price: 1 }] } }, 'C was dropped'],
  ])('drop only the bad position (%s), keeping the rest of the book and the funding', (_name, patch, warning) => {
    const storage = new MemoryStorage();
    storage.setItem(BOOK_SLOT.key, JSON.stringify({ ...saved, ...patch }));
    const { value, notice } = loadSlot(storage, BOOK_SLOT);
    expect(notice).toContain(warning);
    expect(value?.book?.book).toEqual(saved.book);
    expect(value?.funding).toEqual(saved.funding);
  });

  it('replace only the bad field: a negative spread, an unknown override, a tiny equity', () => {
    const storage = new MemoryStorage();
    const funding = { ...saved.funding, longSpreadBps: -5, borrowOverrides: { GS: 100, MS: 'x' } };
    storage.setItem(BOOK_SLOT.key, JSON.stringify({ ...saved, book: { ...saved.book, equity: 1e-300 }, funding }));
    const { value, notice } = loadSlot(storage, BOOK_SLOT);
    expect(notice).toContain('longSpreadBps -5 was replaced by 50');
    expect(notice).toContain('the borrow override of MS (x) was dropped');
    expect(notice).toContain('equity 1e-300 was replaced by 1000000');
    expect(value?.funding).toEqual({ ...saved.funding, longSpreadBps: 50, borrowOverrides: { GS: 100 } });
    expect(value?.book?.book).toEqual({ ...saved.book, equity: 1_000_000 });
    expect(storage.getItem(`${BOOK_SLOT.key}.corrupt`)).toBeNull();
  });

  it('refuse an unknown theme on its own', () => {
    const storage = new MemoryStorage();
    storage.setItem(THEME_SLOT.key, '"pink"');
    expect(loadSlot(storage, THEME_SLOT).notice).toContain('unknown theme "pink"');
  });

  it('report a storage that cannot be read', () => {
    const storage = new MemoryStorage();
    storage.getItem = () => {
      throw new Error('SecurityError');
    };
    expect(loadSlot(storage, BOOK_SLOT).notice).toMatch(/storage is unavailable/);
  });

  it('default funding inputs are the engine defaults with the RFR from ^IRX', () => {
    expect(defaultFunding()).toEqual({ rfrOverride: null, longSpreadBps: 50, shortSpreadBps: 25, borrowBps: 40, borrowOverrides: {} });
  });
});

describe('StorageWriter', () => {
  it('debounces a burst of writes into one, the latest value winning', () => {
    vi.useFakeTimers();
    const storage = new MemoryStorage();
    const writer = new StorageWriter(storage, () => undefined);
    for (let i = 0; i < 50; i++) writer.write('k', { i });
    expect(storage.writes).toBe(0);
    vi.advanceTimersByTime(WRITE_DELAY_MS);
    expect(storage.writes).toBe(1);
    expect(storage.getItem('k')).toBe('{"i":49}');
  });

  it('flushes at once on demand (page hidden or closed)', () => {
    vi.useFakeTimers();
    const storage = new MemoryStorage();
    const writer = new StorageWriter(storage, () => undefined);
    writer.write('a', 1);
    writer.write('b', 2);
    writer.flush();
    expect([storage.getItem('a'), storage.getItem('b')]).toEqual(['1', '2']);
    vi.advanceTimersByTime(WRITE_DELAY_MS * 2);
    expect(storage.writes).toBe(2);
  });

  it('reports a refused write instead of throwing', () => {
    vi.useFakeTimers();
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    const errors: string[] = [];
    const writer = new StorageWriter(storage, (m) => errors.push(m));
    writer.write('k', 1);
    writer.flush();
    expect(errors).toEqual(['Could not save to browser storage: QuotaExceededError']);
  });
});

describe('changedSettings', () => {
  it('merges an edit that changes something, and answers null for one that changes nothing', () => {
    const current = { a: 1, b: 'x', c: true };
    expect(changedSettings(current, { a: 2 })).toEqual({ a: 2, b: 'x', c: true });
    expect(changedSettings(current, { a: 1, b: 'x' })).toBeNull();
    expect(changedSettings(current, {})).toBeNull();
    expect(current).toEqual({ a: 1, b: 'x', c: true });
  });
});
