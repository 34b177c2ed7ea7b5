/**
 * The loaded market data across reloads: the source the worker read (the files' texts, or the
 * live answers assembled as a snapshot) kept in IndexedDB through idb-keyval, so a reload reads
 * it again without the network. The demo needs nothing kept: it is regenerated.
 *
 * One record, `astra.market.v1`, capped at {@link MAX_STORED_CHARS}; a bigger source, a full
 * disk or a browser without IndexedDB is said in words (the data stays in use until the reload).
 * The store is injected, so the rules are tested without a browser.
 */
import { get, set, del } from 'idb-keyval';
import { isRecord } from './storage.ts';
import type { MarketSource, SourceFile } from '../workers/protocol.ts';

/** The key of the record. */
export const MARKET_KEY = 'astra.market.v1';
/** Largest source kept across reloads, in characters of text (≈ bytes for CSV and JSON). */
export const MAX_STORED_CHARS = 40 * 1024 * 1024;

/** The part of idb-keyval the store uses. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}

/** IndexedDB through idb-keyval (its default database `keyval-store`). */
export const indexedDbStore: KeyValueStore = { get: (key) => get(key), set: (key, value) => set(key, value), del: (key) => del(key) };

/** Characters of text a source holds. */
export function sourceChars(source: MarketSource): number {
  switch (source.kind) {
    case 'demo':
      return 0;
    case 'snapshot':
    case 'live':
      return source.file.text.length;
    case 'csv':
      return source.prices.text.length + (source.bars?.text.length ?? 0);
  }
}

function megabytes(chars: number): string {
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}

/** The words for a refused write. */
function writeProblem(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') {
    return 'Browser storage is full: the data is in use now, but it will not survive a reload (free space in this site\'s storage, or load a smaller source).';
  }
  return `Browser storage (IndexedDB) refused the data (${e instanceof Error ? e.message : String(e)}): it is in use now, but it will not survive a reload.`;
}

/**
 * Keep `source` for the next reload (the demo clears the record). Resolves to `null`, or to a
 * sentence for the user when it could not be kept; never rejects.
 */
export async function saveSource(store: KeyValueStore, source: MarketSource): Promise<string | null> {
  try {
    if (source.kind === 'demo') {
      await store.del(MARKET_KEY);
      return null;
    }
    const chars = sourceChars(source);
    if (chars > MAX_STORED_CHARS) {
      await store.del(MARKET_KEY); // an older source must not come back in its place
      return `The data (${megabytes(chars)}) is larger than the ${megabytes(MAX_STORED_CHARS)} kept across reloads: it is in use now, but a reload will show the demo.`;
    }
    await store.set(MARKET_KEY, { version: 1, source });
    return null;
  } catch (e) {
    try {
      await store.del(MARKET_KEY);
    } catch {
      // Storage is unusable altogether; the message below says the data will not be kept.
    }
    return writeProblem(e);
  }
}

const isFile = (v: unknown): v is SourceFile => isRecord(v) && typeof v.name === 'string' && typeof v.text === 'string';

/** A stored record checked field by field; `undefined` when it is not a source this build reads. */
function readRecord(data: unknown): MarketSource | undefined {
  if (!isRecord(data) || data.version !== 1 || !isRecord(data.source)) return undefined;
  const s = data.source;
  switch (s.kind) {
    case 'snapshot':
      return isFile(s.file) && typeof s.shipped === 'boolean' ? { kind: 'snapshot', file: s.file, shipped: s.shipped } : undefined;
    case 'live': {
      const failed = Array.isArray(s.failed) ? s.failed.filter((f) => isRecord(f) && typeof f.symbol === 'string' && typeof f.code === 'string' && typeof f.message === 'string') : [];
      return isFile(s.file) && typeof s.proxy === 'string'
        ? { kind: 'live', file: s.file, proxy: s.proxy, failed: failed as { symbol: string; code: string; message: string }[] }
        : undefined;
    }
    case 'csv':
      return isFile(s.prices) && (s.bars === null || isFile(s.bars)) ? { kind: 'csv', prices: s.prices, bars: s.bars } : undefined;
    default:
      return undefined;
  }
}

/** What {@link loadSource} found. */
export interface StoredSource {
  /** The kept source, `undefined` when there is none (or it could not be read). */
  source: MarketSource | undefined;
  /** Why a kept record could not be used, for the user; `null` when nothing went wrong. */
  problem: string | null;
}

/** The source kept by {@link saveSource}; never rejects. */
export async function loadSource(store: KeyValueStore): Promise<StoredSource> {
  let data: unknown;
  try {
    data = await store.get(MARKET_KEY);
  } catch (e) {
    return { source: undefined, problem: `Browser storage (IndexedDB) could not be read (${e instanceof Error ? e.message : String(e)}): the saved data is not available.` };
  }
  if (data === undefined) return { source: undefined, problem: null };
  const source = readRecord(data);
  return source ? { source, problem: null } : { source: undefined, problem: 'The saved market data could not be read (it is not a version 1 record).' };
}
