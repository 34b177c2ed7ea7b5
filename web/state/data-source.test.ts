import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { readBookCsv } from '../../engine/csv.ts';
import { startHarness, type Harness } from '../../proxy/test-helpers.ts';
import { BookState } from './book.svelte.ts';
import { DataSourceState, type DataSourceDeps } from './data-source.svelte.ts';
import { MarketState } from './market.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { StorageWriter } from '../lib/storage.ts';
import { DATA_SLOT, dataRecord, defaultDataSettings } from '../lib/data-settings.ts';
import { MARKET_KEY } from '../lib/market-store.ts';
import { MAX_CSV_BYTES } from '../lib/source-files.ts';
import type { MarketSnapshot, MarketSource, SourceFile } from '../workers/protocol.ts';
import { demoSnapshot } from './test-fixtures.ts';
import { MemoryStorage } from '../test/memory-storage.ts';
import { MemoryStore } from '../test/memory-store.ts';

/**
 * A stand-in for the workers' `market.load`: each source gives the demo snapshot under its own
 * label; a CSV whose prices hold `bad` is refused like the reader refuses a bad cell; a CSV
 * holds prices for AAPL and MSFT only.
 */
async function fakeLoad(source: MarketSource): Promise<MarketSnapshot> {
  const base = demoSnapshot();
  switch (source.kind) {
    case 'demo':
      return base;
    case 'csv':
      if (source.prices.text.includes('bad')) throw new Error(`prices CSV ${source.prices.name}, row 2, column A: price must be a number (or empty when missing), got "x"`);
      return { ...base, source: 'csv', label: `CSV ${source.prices.name}`, lastPrices: { AAPL: 200, MSFT: 400 }, asOf: '2025-01-31' };
    case 'snapshot':
      return { ...base, source: 'snapshot', label: `snapshot ${source.file.name}`, asOf: '2025-03-14T21:00:00.000Z' };
    case 'live':
      return { ...base, source: 'live', label: `live: Yahoo Finance via ${source.proxy}`, asOf: '2025-03-14T21:00:00.000Z' };
  }
}

function file(name: string, text: string, size = text.length): File {
  return { name, size, text: async () => text } as unknown as File;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(options: { storage?: MemoryStorage; store?: MemoryStore; deps?: Partial<DataSourceDeps> } = {}) {
  const storage = options.storage ?? new MemoryStorage();
  const store = options.store ?? new MemoryStore();
  const writer = new StorageWriter(storage as unknown as Storage, () => undefined, 0);
  const notices = new Notices();
  const market = new MarketState((source) => fakeLoad(source));
  const book = new BookState(market, {
    storage: storage as unknown as Storage,
    writer,
    notices,
    confirm: () => true,
    tabId: 't',
    readBook: async (f) => readBookCsv(f.text, { name: f.name }),
  });
  const data = new DataSourceState(market, book, {
    storage: storage as unknown as Storage,
    writer,
    notices,
    store,
    fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    advertisedProxy: async () => null,
    shippedSnapshot: async () => null,
    ...options.deps,
  });
  return { storage, store, writer, notices, market, book, data };
}

const saved = (storage: MemoryStorage) => JSON.parse(storage.map.get(DATA_SLOT.key) ?? 'null');
/** Let the debounced writer write. */
const written = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('DataSourceState at start', () => {
  it('first visit with nothing beside the page: the demo, and no choice remembered', async () => {
    const { market, data, storage } = await setup();
    await data.boot();
    expect(market.snapshot?.label).toBe('demo data (synthetic)');
    expect(data.message).toBeNull();
    expect(saved(storage)).toBeNull();
  });

  it('first visit with a shipped snapshot: the snapshot, remembered with its data', async () => {
    const shipped: SourceFile = { name: 'snapshot.json', text: '{}' };
    const { market, data, storage, store } = await setup({ deps: { shippedSnapshot: async () => shipped } });
    await data.boot();
    await written();
    flushSync();
    expect(market.snapshot?.label).toBe('snapshot snapshot.json');
    expect(data.active).toBe('snapshot');
    expect(saved(storage).source).toBe('snapshot');
    expect(store.map.get(MARKET_KEY)).toEqual({ version: 1, source: { kind: 'snapshot', file: shipped, shipped: true } });
  });

  it('first visit under npm start with the proxy down: the demo, saying why, nothing remembered', async () => {
    const { market, data, storage } = await setup({ deps: { advertisedProxy: async () => 'http://127.0.0.1:1' } });
    await data.boot();
    expect(market.snapshot?.label).toBe('demo data (synthetic)');
    expect(data.message?.kind).toBe('error');
    expect(data.message?.text).toMatch(/^No answer from the proxy at http:\/\/127\.0\.0\.1:1 \(Failed to fetch\): it is not running/);
    expect(data.proxyUrl).toBe('http://127.0.0.1:1');
    expect(saved(storage)).toBeNull();
  });

  it('first visit under npm start with the proxy up: live data, remembered', async () => {
    h = await startHarness();
    const url = h.url;
    const { market, data, storage, store } = await setup({ deps: { advertisedProxy: async () => url, fetch: (i, init) => fetch(i, init), now: () => Date.now() } });
    await data.boot();
    await written();
    flushSync();
    expect(market.snapshot?.label).toBe(`live: Yahoo Finance via ${url}`);
    expect(data.items.every((i) => i.state === 'done')).toBe(true);
    expect(data.items.map((i) => i.symbol)).toEqual(['AAPL', 'MSFT', 'GOOGL', 'JPM', 'GS', 'MS', 'C', '^IRX', 'JPM', 'C']);
    expect(saved(storage).source).toBe('live');
    expect((store.map.get(MARKET_KEY) as { source: MarketSource }).source.kind).toBe('live');
  });

  it('a reload restores the chosen source and its data from IndexedDB', async () => {
    const storage = new MemoryStorage();
    const store = new MemoryStore();
    const csv: MarketSource = { kind: 'csv', prices: { name: 'p.csv', text: 'date,AAPL\n' }, bars: null };
    storage.setItem(DATA_SLOT.key, JSON.stringify(dataRecord({ ...defaultDataSettings(), source: 'csv' })));
    store.map.set(MARKET_KEY, { version: 1, source: csv });
    const { market, data } = await setup({ storage, store });
    await data.boot();
    expect(market.snapshot?.label).toBe('CSV p.csv');
    expect(market.source).toEqual(csv);
  });

  it('a reload whose data is gone shows the demo and says so', async () => {
    const storage = new MemoryStorage();
    storage.setItem(DATA_SLOT.key, JSON.stringify(dataRecord({ ...defaultDataSettings(), source: 'csv' })));
    const { market, data } = await setup({ storage });
    await data.boot();
    expect(market.snapshot?.label).toBe('demo data (synthetic)');
    expect(data.message?.text).toBe('The saved CSV data is not in this browser any more. Showing the demo.');
  });
});

describe('switching sources', () => {
  it('keeps the book, names its tickers without prices, and is one click from the demo', async () => {
    const { market, book, data } = await setup();
    await data.boot();
    expect(book.setShares('AAPL', '2000')).toBe('accepted');
    const before = book.book;
    await data.loadFiles([file('prices.csv', 'date,AAPL,MSFT\n2025-01-02,1,2\n')]);
    flushSync();
    expect(market.snapshot?.label).toBe('CSV prices.csv');
    expect(book.book).toBe(before);
    expect(data.missing).toEqual(['JPM', 'GS', 'MS']);
    await data.useDemo();
    flushSync();
    expect(market.snapshot?.label).toBe('demo data (synthetic)');
    expect(data.missing).toEqual([]);
    expect(book.book).toBe(before);
  });

  it('refuses a bad file with its message and keeps the data on screen', async () => {
    const { market, data, storage } = await setup();
    await data.boot();
    const shown = market.snapshot;
    await data.loadFiles([file('p.csv', 'date,A\nbad\n')]);
    expect(market.snapshot).toBe(shown);
    expect(market.data.error).toBeNull();
    expect(data.message).toEqual({ kind: 'error', text: 'prices CSV p.csv, row 2, column A: price must be a number (or empty when missing), got "x"' });
    expect(saved(storage)).toBeNull();
  });

  it('checks the size before reading a file', async () => {
    const { data } = await setup();
    await data.boot();
    const huge = { name: 'big.csv', size: MAX_CSV_BYTES + 1, text: () => Promise.reject(new Error('read')) } as unknown as File;
    await data.loadFiles([huge]);
    expect(data.message?.text).toBe('big.csv is 20.0 MB; a CSV file may be at most 20.0 MB (checked before reading it)');
  });

  it('says which file it cannot place, and that bars need prices', async () => {
    const { data } = await setup();
    await data.boot();
    await data.loadFiles([file('notes.csv', 'hello\n'), file('bars.csv', 'timestamp,JPM\n2025-01-02T09:30:00Z,1\n')]);
    expect(data.message?.text).toBe(
      'notes.csv: cannot tell from its first row whether it is prices (date,TICKER,…), 1-minute bars (timestamp,TICKER,…) or a book (ticker,shares[,price]); ' +
        'bars.csv: 1-minute bars need a prices file (date,TICKER,…) for the CSV source; drop both together',
    );
  });

  it('joins bars dropped later to the CSV prices on screen', async () => {
    const { market, data } = await setup();
    await data.boot();
    await data.loadFiles([file('p.csv', 'date,AAPL\n2025-01-02,1\n')]);
    await data.loadFiles([file('b.csv', 'timestamp,JPM,C\n2025-01-02T14:30:00Z,1,2\n')]);
    expect(market.source).toEqual({ kind: 'csv', prices: { name: 'p.csv', text: 'date,AAPL\n2025-01-02,1\n' }, bars: { name: 'b.csv', text: 'timestamp,JPM,C\n2025-01-02T14:30:00Z,1,2\n' } });
  });

  it('imports a dropped book file as the positions (one undo step), tickers kept as typed', async () => {
    const { book, data } = await setup();
    await data.boot();
    await data.loadFiles([file('book.csv', 'ticker,shares,price\nTRUE,10,5\n0700.HK,-20,300\n')]);
    expect(data.message).toBeNull();
    expect(book.book?.positions).toEqual([
      { ticker: 'TRUE', shares: 10, price: 5 },
      { ticker: '0700.HK', shares: -20, price: 300 },
    ]);
    expect(book.undo()).toBe(true);
    await data.loadFiles([file('book.csv', 'ticker,shares\nAAPL,"1,500"\n')]);
    expect(data.message?.text).toContain('book CSV book.csv, row 2, column shares: shares must be a whole number (negative for shorts): thousands separators');
  });

  it('says when the data cannot be kept for a reload (storage full)', async () => {
    const store = new MemoryStore();
    store.refuse = new DOMException('quota', 'QuotaExceededError');
    const { data, market } = await setup({ store });
    await data.boot();
    await data.loadFiles([file('p.csv', 'date,AAPL\n2025-01-02,1\n')]);
    expect(market.snapshot?.label).toBe('CSV p.csv');
    expect(data.storageNote).toMatch(/^Browser storage is full/);
  });
});

describe('live', () => {
  it('keeps the data on screen when the proxy is down, and names a failed ticker when it is up', async () => {
    h = await startHarness();
    const url = h.url;
    const { market, data } = await setup({ deps: { fetch: (i, init) => fetch(i, init), now: () => Date.now() } });
    await data.boot();
    expect(data.setProxyUrl('http://127.0.0.1:1')).toBeNull();
    expect(await data.loadLive()).toBe(false);
    expect(market.snapshot?.label).toBe('demo data (synthetic)');
    expect(data.message?.text).toContain('No answer from the proxy at http://127.0.0.1:1');
    expect(data.setProxyUrl(`${url}/`)).toBeNull();
    expect(data.setTickers('AAPL zzzz')).toBeNull();
    h.fake.behaviors.set('ZZZZ', { kind: 'json', status: 404, body: { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } } });
    expect(await data.loadLive()).toBe(true);
    expect(market.snapshot?.label).toBe(`live: Yahoo Finance via ${url}`);
    expect(data.message?.text).toMatch(/^Live data loaded without ZZZZ \(NOT_FOUND: /);
    expect(data.setProxyUrl('ftp://x')).toMatch(/^proxy URL: /);
    expect(data.setPair('JPM')).toMatch(/^pair: /);
    expect(data.setLookback('10')).toBe('history (calendar days) must be a whole number of calendar days from 30 to 3,650, got 10');
  });
});

describe('MarketState.try', () => {
  it('applies only the latest request: a slow older source never replaces a newer one', async () => {
    const gates = new Map<string, (s: MarketSnapshot) => void>();
    const market = new MarketState((source) => new Promise((resolve) => gates.set(source.kind, resolve)));
    const slow = market.try({ kind: 'snapshot', file: { name: 's.json', text: '{}' }, shipped: false });
    const fast = market.try({ kind: 'csv', prices: { name: 'p.csv', text: '' }, bars: null });
    gates.get('csv')!({ ...demoSnapshot(), label: 'CSV p.csv' });
    expect(await fast).toEqual({ shown: true, error: null });
    gates.get('snapshot')!({ ...demoSnapshot(), label: 'snapshot s.json' });
    expect(await slow).toEqual({ shown: false, error: null });
    expect(market.snapshot?.label).toBe('CSV p.csv');
    expect(market.source.kind).toBe('csv');
  });
});
