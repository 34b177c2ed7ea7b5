import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeYahoo } from './fixtures/fake-yahoo.ts';
import { parseSnapshot, snapshotBars, snapshotPrices } from '../engine/market/snapshot.ts';
import { parseSnapshotArgs, periodStart, runSnapshotCli, UsageError } from './snapshot.ts';
import { startHarness, type Harness } from './test-helpers.ts';

const dirs: string[] = [];
let h: Harness | undefined;
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await h?.close();
  h = undefined;
});
function tmpFile(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'astra-snap-'));
  dirs.push(d);
  return path.join(d, 'sub', 'snap.json');
}
function capture() {
  const io = { outText: '', errText: '', out: (s: string) => void (io.outText += s), err: (s: string) => void (io.errText += s) };
  return io;
}

const NOW = Date.UTC(2025, 2, 14, 21, 0);

describe('snapshot end to end against the fake upstream', () => {
  it('writes one versioned file with daily, 1-minute and quote responses', async () => {
    const fake = createFakeYahoo();
    const out = tmpFile();
    const io = capture();
    const code = await runSnapshotCli(
      ['--symbols', 'AAPL,msft', '--daily', '1mo', '--intraday', 'JPM,C:2d', '--out', out, '--proxy-free'],
      { fetch: fake.fetch, now: () => NOW },
      io,
    );
    expect(io.errText).toBe('');
    expect(code).toBe(0);
    const snap = JSON.parse(readFileSync(out, 'utf8'));
    expect(snap.format).toBe('astra-snapshot');
    expect(snap.version).toBe(1);
    expect(snap.asOf).toBe(new Date(NOW).toISOString());
    expect(Object.keys(snap.daily)).toEqual(['AAPL', 'MSFT']);
    expect(Object.keys(snap.intraday)).toEqual(['JPM', 'C']);
    expect(Object.keys(snap.quotes)).toEqual(['^IRX']);
    // 2025-02-14 21:00Z → 2025-03-14 21:00Z: the 20 weekday opens after Feb 14's (Feb 17 … Mar 14).
    expect(snap.daily.AAPL.bars).toHaveLength(20);
    expect(snap.daily.AAPL.bars[0].t).toBe('2025-02-17T09:30:00-05:00');
    expect(snap.daily.AAPL.bars.at(-1).t).toBe('2025-03-14T09:30:00-04:00');
    expect(snap.daily.AAPL.bars.every((b: { adjClose: unknown }) => typeof b.adjClose === 'number')).toBe(true);
    // Two days back from Friday 21:00Z covers Thursday and Friday sessions.
    expect(snap.intraday.JPM.bars).toHaveLength(2 * 390);
    expect(snap.intraday.JPM.interval).toBe('1m');
    expect(snap.quotes['^IRX']).toMatchObject({ symbol: '^IRX', price: 4.19, quoteType: 'INDEX' });
    expect(io.outText).toContain('2 daily: 40 bars');
    expect(fake.count('chart')).toBe(4);

    // The engine reads what the proxy wrote: the format is defined once, in engine/market.
    const read = parseSnapshot(snap);
    const prices = snapshotPrices(read);
    expect(prices.tickers).toEqual(['AAPL', 'MSFT']);
    expect(prices.dates).toHaveLength(20);
    expect(prices.dates[0]).toBe('2025-02-17');
    expect(prices.closes[0][19]).toBe(snap.daily.AAPL.bars[19].adjClose);
    const bars = snapshotBars(read);
    expect(bars.tickers).toEqual(['JPM', 'C']);
    expect(bars.timestamps).toHaveLength(2 * 390);
    expect(bars.closes[1][0]).toBe(snap.intraday.C.bars[0].close);
  });

  it('can go through a running proxy with --proxy URL and gets the same bars', async () => {
    h = await startHarness({ now: () => NOW });
    const out = tmpFile();
    const io = capture();
    const code = await runSnapshotCli(['--symbols', 'AAPL', '--daily', '1mo', '--out', out, '--proxy', h.url], { now: () => NOW }, io);
    expect(io.errText).toBe('');
    expect(code).toBe(0);
    const snap = JSON.parse(readFileSync(out, 'utf8'));
    expect(snap.daily.AAPL.bars).toHaveLength(20);
    expect(h.fake.count('chart')).toBe(1);
  });

  it('exits 1 naming the failing item and writes nothing when upstream fails', async () => {
    const fake = createFakeYahoo();
    fake.behaviors.set('MSFT', { kind: 'text', status: 429, body: 'Too Many Requests' });
    const out = tmpFile();
    const io = capture();
    const code = await runSnapshotCli(['--symbols', 'AAPL,MSFT', '--out', out], { fetch: fake.fetch, now: () => NOW }, io);
    expect(code).toBe(1);
    expect(io.errText).toContain('MSFT daily: UPSTREAM_RATE_LIMITED');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(path.dirname(out))).toBe(false);
  });
});

describe('snapshot arguments', () => {
  it.each([
    [[], '--out FILE is required'],
    [['--out', 'x.json'], 'give --symbols and/or --intraday'],
    [['--symbols', 'AAPL'], '--out FILE is required'],
    [['--symbols', 'AAPL/..', '--out', 'x'], 'invalid symbol'],
    [['--symbols', 'AAPL', '--out', 'x', '--daily', '2 years'], 'invalid period'],
    [['--symbols', 'AAPL', '--out', 'x', '--intraday', 'JPM:45d'], 'longer than the 30 days'],
    [['--symbols', 'AAPL', '--out', 'x', '--frobnicate'], 'unknown argument'],
    [['--symbols', 'AAPL', '--out'], '--out needs a value'],
    [['--symbols', 'AAPL', '--symbols', 'MSFT', '--out', 'x'], 'given twice'],
    [['--symbols', 'AAPL', '--out', 'x', '--proxy', 'http://h:1', '--proxy-free'], 'exclude each other'],
    [['--symbols', 'AAPL', '--out', 'x', '--proxy', 'file:///etc/passwd'], '--proxy must be a base URL'],
  ])('%j → exit 2 (%s)', async (argv, msg) => {
    const io = capture();
    expect(await runSnapshotCli(argv, {}, io)).toBe(2);
    expect(io.errText).toContain(msg);
    expect(io.errText).toContain('usage:');
  });

  it('parses intraday symbols with and without a period', () => {
    expect(parseSnapshotArgs(['--intraday', 'JPM,C:5d', '--out', 'x'])).toMatchObject({ intradaySymbols: ['JPM', 'C'], intradayPeriod: '5d', quotes: ['^IRX'] });
    expect(parseSnapshotArgs(['--intraday', 'jpm', '--out', 'x']).intradaySymbols).toEqual(['JPM']);
  });

  it('periodStart steps calendar units', () => {
    const end = Date.UTC(2025, 2, 31);
    expect(periodStart('2y', end)).toBe(Date.UTC(2023, 2, 31));
    expect(periodStart('1mo', end)).toBe(Date.UTC(2025, 1, 28)); // clamped, not rolled over to Mar 3
    expect(periodStart('1y', Date.UTC(2024, 1, 29))).toBe(Date.UTC(2023, 1, 28));
    expect(periodStart('5d', end)).toBe(Date.UTC(2025, 2, 26));
    expect(() => periodStart('0d', end)).toThrow(UsageError);
  });
});
