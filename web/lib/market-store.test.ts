import { describe, expect, it } from 'vitest';
import { loadSource, MARKET_KEY, MAX_STORED_CHARS, saveSource, sourceChars, type KeyValueStore } from './market-store.ts';
import type { MarketSource } from '../workers/protocol.ts';
import { MemoryStore } from '../test/memory-store.ts';

const csv: MarketSource = { kind: 'csv', prices: { name: 'p.csv', text: 'date,A\n2024-01-02,1\n' }, bars: null };
const live: MarketSource = { kind: 'live', file: { name: 'live', text: '{}' }, proxy: 'http://127.0.0.1:8787', failed: [{ symbol: 'X', code: 'NOT_FOUND', message: 'no such symbol' }] };

describe('market store', () => {
  it('keeps a source and reads it back; the demo clears the record', async () => {
    const store = new MemoryStore();
    expect(await saveSource(store, live)).toBeNull();
    expect(await loadSource(store)).toEqual({ source: live, problem: null });
    expect(await saveSource(store, csv)).toBeNull();
    expect(await loadSource(store)).toEqual({ source: csv, problem: null });
    expect(await saveSource(store, { kind: 'demo' })).toBeNull();
    expect(store.map.has(MARKET_KEY)).toBe(false);
    expect(await loadSource(store)).toEqual({ source: undefined, problem: null });
  });

  it('refuses a source over the size limit, says so, and drops the older record so it cannot come back', async () => {
    const store = new MemoryStore();
    await saveSource(store, csv);
    const big: MarketSource = { kind: 'snapshot', file: { name: 'big.json', text: 'x'.repeat(MAX_STORED_CHARS + 1) }, shipped: false };
    expect(sourceChars(big)).toBe(MAX_STORED_CHARS + 1);
    expect(await saveSource(store, big)).toBe('The data (40.0 MB) is larger than the 40.0 MB kept across reloads: it is in use now, but a reload will show the demo.');
    expect(store.map.has(MARKET_KEY)).toBe(false);
  });

  it('says clearly when storage is full, and when IndexedDB refuses for another reason', async () => {
    const store = new MemoryStore();
    store.refuse = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(await saveSource(store, csv)).toMatch(/^Browser storage is full: the data is in use now, but it will not survive a reload/);
    store.refuse = new Error('database closed');
    expect(await saveSource(store, csv)).toBe('Browser storage (IndexedDB) refused the data (database closed): it is in use now, but it will not survive a reload.');
  });

  it('reads a record field by field and refuses what it cannot use', async () => {
    const store = new MemoryStore();
    store.map.set(MARKET_KEY, { version: 2, source: csv });
    expect(await loadSource(store)).toEqual({ source: undefined, problem: 'The saved market data could not be read (it is not a version 1 record).' });
    store.map.set(MARKET_KEY, { version: 1, source: { kind: 'csv', prices: { name: 'p.csv' }, bars: null } });
    expect((await loadSource(store)).source).toBeUndefined();
    store.map.set(MARKET_KEY, { version: 1, source: { ...live, failed: [{ symbol: 'X' }, live.failed[0]] } });
    expect((await loadSource(store)).source).toEqual(live);
    const broken: KeyValueStore = { get: () => Promise.reject(new Error('no IndexedDB')), set: async () => undefined, del: async () => undefined };
    expect(await loadSource(broken)).toEqual({ source: undefined, problem: 'Browser storage (IndexedDB) could not be read (no IndexedDB): the saved data is not available.' });
  });
});
