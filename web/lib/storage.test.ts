import { describe, expect, it } from 'vitest';
import { STORAGE_KEY, defaultState, loadState, saveState } from './storage.ts';
import type { PersistedState } from './storage.ts';

class MemoryStorage implements Storage {
  readonly map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

const saved: PersistedState = {
  version: 1,
  book: { equity: 2_000_000, positions: [{ ticker: 'AAPL', shares: 3000, price: 277.02 }] },
  funding: { rfrOverride: 0.04, longSpreadBps: 60, shortSpreadBps: 25, borrowBps: 40, borrowOverrides: { GS: 100 } },
  theme: 'light',
};

describe('storage', () => {
  it('starts from defaults (demo book, dark theme) when nothing is stored', () => {
    expect(loadState(new MemoryStorage())).toEqual({ state: defaultState(), notice: null });
    expect(defaultState().theme).toBe('dark');
    expect(defaultState().book).toBeNull();
  });

  it('round-trips a saved state', () => {
    const storage = new MemoryStorage();
    expect(saveState(storage, saved)).toBeNull();
    expect(loadState(storage)).toEqual({ state: saved, notice: null });
  });

  it.each([
    ['not JSON', '{"version":1,', 'not valid JSON'],
    ['another version', JSON.stringify({ ...saved, version: 2 }), 'unknown version 2'],
    ['a zero price', JSON.stringify({ ...saved, book: { equity: 1e6, positions: [{ ticker: 'A', shares: 1, price: 0 }] } }), 'price of A'],
    [
      'a duplicate ticker',
      JSON.stringify({ ...saved, book: { equity: 1e6, positions: [saved.book!.positions[0], saved.book!.positions[0]] } }),
      'lists AAPL more than once',
    ],
    ['a negative spread', JSON.stringify({ ...saved, funding: { ...saved.funding, longSpreadBps: -5 } }), 'longSpreadBps'],
    ['an unknown theme', JSON.stringify({ ...saved, theme: 'pink' }), 'unknown theme'],
  ])('falls back to the demo book with a notice on %s, keeping the bad copy', (_name, raw, reason) => {
    const storage = new MemoryStorage();
    storage.setItem(STORAGE_KEY, raw);
    const { state, notice } = loadState(storage);
    expect(state).toEqual(defaultState());
    expect(notice).toContain(reason);
    expect(storage.getItem(`${STORAGE_KEY}.corrupt`)).toBe(raw);
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('reports a storage that refuses writes instead of throwing', () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(saveState(storage, saved)).toContain('QuotaExceededError');
  });
});
