import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../kernels.ts';
import { loadKernels } from '../../node.ts';
import { DEMO_LABEL, generateDemoMarket } from '../../demo.ts';
import { pricesToCsv, barsToCsv } from '../../csv.ts';
import { createFakeYahoo } from '../../../proxy/fixtures/fake-yahoo.ts';
import { runSnapshotCli } from '../../../proxy/snapshot.ts';
import { loadMarket, readBook, type MarketSource } from './market.ts';

let k: Kernels;
let dir: string;
beforeAll(async () => {
  k = await loadKernels();
  dir = mkdtempSync(path.join(tmpdir(), 'astra-market-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { readyMs: 0 };
const NOW = Date.UTC(2025, 2, 14, 21, 0);

/** Run the proxy's `npm run snapshot` against the fake Yahoo and return the file's text. */
async function writeSnapshot(args: string[]): Promise<string> {
  const out = path.join(dir, `snap-${Math.random().toString(36).slice(2)}.json`);
  const io = { out: () => undefined, err: (s: string) => { throw new Error(s); } };
  const code = await runSnapshotCli([...args, '--out', out], { fetch: createFakeYahoo().fetch, now: () => NOW }, io);
  expect(code).toBe(0);
  return readFileSync(out, 'utf8');
}

describe('market.load', () => {
  it('demo: the same market as the generator, labelled as the demo, with its pair bars', () => {
    const m = loadMarket(k, { kind: 'demo' }, ctx);
    const demo = generateDemoMarket(k);
    expect(m.source).toBe('demo');
    expect(m.label).toBe(DEMO_LABEL);
    expect(m.asOf).toBe('2026-11-20');
    expect(m.prices).toEqual(demo.prices);
    expect(m.bars).toEqual(demo.bars);
    expect(m.pair).toEqual({ y: 'JPM', x: 'C' });
    expect(m.rfr).toBe(demo.rfr);
    expect(m.book).toEqual(demo.book);
    expect(m.report.flags).toEqual([]);
    expect(m.report.dropped).toEqual([]);
  });

  it('round trip: npm run snapshot against the fake Yahoo, read the way the app reads it, gives the same prices', async () => {
    const text = await writeSnapshot(['--symbols', 'AAPL,MSFT,^IRX', '--daily', '3mo', '--intraday', 'JPM,C:2d']);
    const written = JSON.parse(text);
    const m = loadMarket(k, { kind: 'snapshot', file: { name: 'snapshot.json', text }, shipped: true }, ctx);
    expect(m.label).toBe('snapshot snapshot.json (shipped)');
    expect(m.asOf).toBe(new Date(NOW).toISOString());
    expect(m.tickers).toEqual(['AAPL', 'MSFT']);
    // Every adjusted close the writer put in the file is in the table on its exchange date, unchanged.
    for (const symbol of ['AAPL', 'MSFT']) {
      const j = m.prices.tickers.indexOf(symbol);
      const bars = written.daily[symbol].bars as { t: string; adjClose: number }[];
      expect(bars.length).toBeGreaterThan(50);
      expect(m.prices.dates).toEqual(bars.map((b) => b.t.slice(0, 10)));
      expect(Array.from(m.prices.closes[j])).toEqual(bars.map((b) => b.adjClose));
      expect(m.lastPrices[symbol]).toBe(bars.at(-1)!.adjClose);
    }
    // ^IRX is a rate: its last value (snapshotPrices: adjClose, else close), converted, is the RFR.
    const lastIrx = written.daily['^IRX'].bars.at(-1);
    const irx = (lastIrx.adjClose ?? lastIrx.close) as number;
    expect(m.irx?.value).toBe(irx);
    expect(m.rfr).toBeCloseTo(irx / 100 / (1 - (irx / 100) * (91 / 360)), 12);
    // 1-minute bars: the fake leaves every 37th minute empty; those are dropped and counted.
    const nulls = (s: string) => written.intraday[s].bars.filter((b: { close: number | null }) => b.close === null).length;
    expect(nulls('JPM')).toBeGreaterThan(0);
    expect(m.report.dropped[0].message).toContain(`JPM ${nulls('JPM')}, C ${nulls('C')}`);
    expect(m.pair).toEqual({ y: 'JPM', x: 'C' });
    const kept = written.intraday.JPM.bars.filter((b: { close: number | null }) => b.close !== null);
    expect(m.bars?.timestamps).toEqual(kept.map((b: { t: string }) => b.t));
    expect(Array.from(m.bars!.closes[0])).toEqual(kept.map((b: { close: number }) => b.close));
  });

  it('refuses a newer snapshot version or a malformed one, saying what is wrong', () => {
    const load = (data: unknown, name = 's.json') => () => loadMarket(k, { kind: 'snapshot', file: { name, text: JSON.stringify(data) }, shipped: false }, ctx);
    const base = { format: 'astra-snapshot', version: 1, asOf: '2025-03-14T21:00:00.000Z', daily: {}, intraday: {}, quotes: {} };
    expect(load({ ...base, version: 2 })).toThrow('snapshot version: is 2; this build reads version 1');
    expect(load({ ...base, format: 'other' })).toThrow('snapshot format: is "other", not "astra-snapshot"');
    expect(load({ ...base, daily: { AAPL: { symbol: 'AAPL', interval: '1d', bars: [{ t: '2025-03-03T09:30:00-05:00', close: 'x' }] } } })).toThrow(
      'snapshot daily.AAPL.bars[0].close: is not a finite number or null',
    );
    expect(() => loadMarket(k, { kind: 'snapshot', file: { name: 'broken.json', text: '{"format":' }, shipped: false }, ctx)).toThrow(/snapshot file broken.json: is not JSON/);
    expect(load(base)).toThrow('snapshot s.json has no daily closes');
  });

  it('live: the assembled snapshot text, labelled with the proxy, naming the symbols that failed', async () => {
    const text = await writeSnapshot(['--symbols', 'AAPL,MSFT', '--daily', '1mo']);
    const source: MarketSource = {
      kind: 'live',
      file: { name: 'live', text },
      proxy: 'http://127.0.0.1:8787',
      failed: [{ symbol: 'ZZZZ', code: 'NOT_FOUND', message: 'no such symbol' }],
    };
    const m = loadMarket(k, source, ctx);
    expect(m.source).toBe('live');
    expect(m.label).toBe('live: Yahoo Finance via http://127.0.0.1:8787');
    expect(m.report.notes[0]).toBe('ZZZZ was not loaded: NOT_FOUND "no such symbol"');
    expect(m.bars).toBeNull();
    expect(m.pair).toBeNull();
  });

  it('csv: the demo written as CSV reads back to the demo prices, with the first two bar columns as the pair', () => {
    const demo = generateDemoMarket(k);
    const source: MarketSource = {
      kind: 'csv',
      prices: { name: 'prices.csv', text: pricesToCsv(demo.prices) },
      bars: { name: 'bars.csv', text: barsToCsv(demo.bars) },
    };
    const m = loadMarket(k, source, ctx);
    expect(m.label).toBe('CSV prices.csv');
    expect(m.asOf).toBe('2026-11-20');
    expect(m.prices).toEqual(demo.prices);
    expect(m.bars?.closes).toEqual(demo.bars.closes);
    expect(m.pair).toEqual({ y: 'JPM', x: 'C' });
    expect(m.report.notes).toContain('the bars do not say their exchange: the regular session is taken in America/New_York (US equities)');
  });

  it('csv: a bad cell is refused with its file, row and column', () => {
    const source: MarketSource = { kind: 'csv', prices: { name: 'p.csv', text: 'date,AAPL\n2024-01-02,"1,234"\n' }, bars: null };
    expect(() => loadMarket(k, source, ctx)).toThrow('prices CSV p.csv, row 2, column AAPL: price must be a number (or empty when missing): thousands separators');
  });
});

describe('csv.book', () => {
  it('reads positions and their rows in a worker, tickers kept as strings', () => {
    expect(readBook(k, { name: 'b.csv', text: 'ticker,shares\nTRUE,1\n\n0700.HK,-2\n' })).toEqual({
      positions: [
        { ticker: 'TRUE', shares: 1, price: NaN },
        { ticker: '0700.HK', shares: -2, price: NaN },
      ],
      rows: [2, 4],
    });
  });
});
