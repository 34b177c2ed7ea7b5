import type { KeyValueStore } from '../lib/market-store.ts';

/**
 * An in-memory stand-in for IndexedDB (the market store's `KeyValueStore`), for the tests of the
 * store and of the data source. Set `refuse` to make writes fail like a full disk does.
 */
export class MemoryStore implements KeyValueStore {
  readonly map = new Map<string, unknown>();
  refuse: Error | null = null;
  async get(key: string) {
    return structuredClone(this.map.get(key));
  }
  async set(key: string, value: unknown) {
    if (this.refuse) throw this.refuse;
    this.map.set(key, structuredClone(value));
  }
  async del(key: string) {
    this.map.delete(key);
  }
}
