/**
 * A bounded TTL cache with least-recently-used eviction. Bounded in entries
 * so that many distinct (symbol, period) requests cannot exhaust memory.
 */

/** Options of {@link TtlCache}. */
export interface TtlCacheOptions {
  /** Entry lifetime in ms; 0 disables the cache entirely. */
  ttlMs: number;
  /** Maximum entries kept; older (least recently used) ones are evicted. */
  maxEntries: number;
  /** Clock in epoch ms (injectable for tests). */
  now: () => number;
}

/**
 * Put `key` at the most-recent end of an insertion-ordered Map (Map keeps insertion order, so the
 * first key is always the least recently used) and evict from the old end beyond `maxSize`.
 * Shared by the response cache and the rate limiter, whose memory must both stay bounded.
 */
export function setMostRecent<K, V>(map: Map<K, V>, key: K, value: V, maxSize: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > maxSize) map.delete(map.keys().next().value as K);
}

/** TTL + LRU cache keyed by string. */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly opts: TtlCacheOptions;

  /** @param opts - see {@link TtlCacheOptions}. */
  constructor(opts: TtlCacheOptions) {
    this.opts = opts;
  }

  /** Number of entries currently held (expired ones may linger until touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /** Returns a live entry and marks it most recently used; drops it if expired. */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.opts.now()) {
      this.entries.delete(key);
      return undefined;
    }
    setMostRecent(this.entries, key, e, this.opts.maxEntries);
    return e.value;
  }

  /** Stores a value, evicting least recently used entries beyond `maxEntries`. */
  set(key: string, value: V): void {
    if (this.opts.ttlMs <= 0 || this.opts.maxEntries <= 0) return;
    setMostRecent(this.entries, key, { value, expires: this.opts.now() + this.opts.ttlMs }, this.opts.maxEntries);
  }
}

/**
 * Coalesces identical concurrent work: while a promise for a key is pending,
 * later callers get the same promise instead of starting another upstream call.
 */
export class Coalescer<V> {
  private readonly pending = new Map<string, Promise<V>>();

  /** Number of keys with work in flight. */
  get size(): number {
    return this.pending.size;
  }

  /** Runs `work` for `key` unless it is already running, in which case joins it. */
  run(key: string, work: () => Promise<V>): Promise<V> {
    const existing = this.pending.get(key);
    if (existing) return existing;
    const p = work().finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }
}
