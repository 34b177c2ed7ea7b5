/**
 * A TTL cache with least-recently-used eviction, bounded both in entries and in
 * bytes: an entry count alone let 500 different 30-day 1-minute answers (about
 * 1 MB of JSON each, plus their object trees) push the process to 1.5 GB.
 */

/** Bytes charged per entry on top of its value and key: the Map slot, the entry record, the Buffer header. */
export const CACHE_ENTRY_OVERHEAD_BYTES = 256;

/** Options of {@link TtlCache}. */
export interface TtlCacheOptions<V> {
  /** Entry lifetime in ms; 0 disables the cache entirely. */
  ttlMs: number;
  /** Maximum entries kept; older (least recently used) ones are evicted. */
  maxEntries: number;
  /**
   * Byte budget for everything stored (values by {@link sizeOf}, keys, and
   * {@link CACHE_ENTRY_OVERHEAD_BYTES} each); least recently used entries are
   * evicted to stay within it, and a value larger than the whole budget is not
   * stored. 0 disables the cache.
   */
  maxBytes: number;
  /** Size in bytes of a value as stored (for serialised bodies: their byte length). */
  sizeOf: (value: V) => number;
  /** Clock in epoch ms (injectable for tests). */
  now: () => number;
}

/**
 * Put `key` at the most-recent end of an insertion-ordered Map (Map keeps insertion order, so the
 * first key is always the least recently used) and evict from the old end beyond `maxSize`.
 * Used by the rate limiter, whose memory must stay bounded too.
 */
export function setMostRecent<K, V>(map: Map<K, V>, key: K, value: V, maxSize: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > maxSize) map.delete(map.keys().next().value as K);
}

interface Entry<V> {
  value: V;
  expires: number;
  bytes: number;
}

/** TTL + LRU cache keyed by string, bounded in entries and bytes. */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly opts: TtlCacheOptions<V>;
  private total = 0;

  /** @param opts - see {@link TtlCacheOptions}. */
  constructor(opts: TtlCacheOptions<V>) {
    this.opts = opts;
  }

  /** Number of entries currently held (expired ones may linger until touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /** Bytes charged for the entries currently held; never above `maxBytes`. */
  get bytes(): number {
    return this.total;
  }

  /**
   * Returns a live entry and marks it most recently used; drops it if expired.
   * An entry whose expiry lies more than a TTL ahead was stored before the
   * clock stepped back: it is treated as expired rather than kept for hours.
   */
  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = this.opts.now();
    if (e.expires <= now || e.expires - now > this.opts.ttlMs) {
      this.remove(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /** Stores a value, then evicts least recently used entries beyond `maxEntries` or `maxBytes`. */
  set(key: string, value: V): void {
    this.remove(key);
    const { ttlMs, maxEntries, maxBytes } = this.opts;
    if (ttlMs <= 0 || maxEntries <= 0 || maxBytes <= 0) return;
    const bytes = this.opts.sizeOf(value) + key.length + CACHE_ENTRY_OVERHEAD_BYTES;
    // One answer bigger than the whole budget would only evict everything else and then itself.
    if (bytes > maxBytes) return;
    this.entries.set(key, { value, expires: this.opts.now() + ttlMs, bytes });
    this.total += bytes;
    while (this.entries.size > maxEntries || this.total > maxBytes) {
      this.remove(this.entries.keys().next().value as string);
    }
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
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
