import { describe, expect, it } from 'vitest';
import { parseSnapshot, snapshotBars, snapshotPrices, type Snapshot } from './snapshot.ts';

function chart(symbol: string, interval: '1d' | '1m', bars: [string, number | null, number | null][]) {
  return {
    symbol,
    interval,
    currency: 'USD',
    exchangeTimezone: 'America/New_York',
    bars: bars.map(([t, close, adjClose]) => ({ t, open: close, high: close, low: close, close, adjClose, volume: 1 })),
    events: { splits: [], dividends: [] },
    source: 'yahoo',
    asOf: '2025-03-14T21:00:00.000Z',
  };
}

function snapshot(): Snapshot {
  return parseSnapshot({
    format: 'astra-snapshot',
    version: 1,
    asOf: '2025-03-14T21:00:00.000Z',
    daily: {
      AAPL: chart('AAPL', '1d', [
        ['2025-03-12T09:30:00-04:00', 10, 9.5],
        ['2025-03-13T09:30:00-04:00', 11, null],
        ['2025-03-14T09:30:00-04:00', 12, 11.5],
      ]),
      '^IRX': chart('^IRX', '1d', [
        ['2025-03-12T09:30:00-04:00', 4.2, null],
        ['2025-03-14T09:30:00-04:00', 4.19, null],
      ]),
    },
    intraday: {
      JPM: chart('JPM', '1m', [
        ['2025-03-14T09:30:00-04:00', 250, null],
        ['2025-03-14T09:31:00-04:00', 251, null],
      ]),
      C: chart('C', '1m', [['2025-03-14T09:31:00-04:00', 70, null]]),
    },
    quotes: {},
  });
}

describe('snapshot → tables', () => {
  it('aligns daily adjusted closes on exchange-local dates, missing stays NaN, rates use close', () => {
    const p = snapshotPrices(snapshot());
    expect(p.dates).toEqual(['2025-03-12', '2025-03-13', '2025-03-14']);
    expect(p.tickers).toEqual(['AAPL', '^IRX']);
    expect(Array.from(p.closes[0])).toEqual([9.5, NaN, 11.5]);
    expect(Array.from(p.closes[1])).toEqual([4.2, NaN, 4.19]);
  });

  it('puts intraday closes on the union of timestamps', () => {
    const b = snapshotBars(snapshot());
    expect(b.timestamps).toEqual(['2025-03-14T09:30:00-04:00', '2025-03-14T09:31:00-04:00']);
    expect(Array.from(b.closes[1])).toEqual([NaN, 70]);
  });
});

describe('parseSnapshot refuses what it cannot read, naming the field', () => {
  const good = () => JSON.parse(JSON.stringify(snapshot()));
  it.each([
    ['format', (s: any) => (s.format = 'csv'), /snapshot format: is "csv", not "astra-snapshot"/],
    ['version', (s: any) => (s.version = 2), /snapshot version: is 2; this build reads version 1/],
    ['a bar price', (s: any) => (s.daily.AAPL.bars[1].close = 'x'), /snapshot daily\.AAPL\.bars\[1\]\.close: is not a finite number or null/],
    ['bar order', (s: any) => (s.intraday.JPM.bars[1].t = '2025-03-14T09:29:00-04:00'), /intraday\.JPM\.bars\[1\]\.t: .* is not after the bar before it/],
    ['a time without offset', (s: any) => (s.daily.AAPL.bars[0].t = '2025-03-12T09:30:00'), /daily\.AAPL\.bars\[0\]\.t: is not an ISO 8601 time with an offset/],
    ['a section', (s: any) => (s.quotes = []), /snapshot quotes: is not an object of symbols/],
    ['a long format', (s: any) => (s.format = 'x'.repeat(1_000_000)), /snapshot format: is "x{100}… \(1000000 characters\)", not/],
    ['a format object', (s: any) => (s.format = { a: 'x'.repeat(1_000_000) }), /snapshot format: is an object, not/],
    ['a symbol with escape codes', (s: any) => ((s.daily['A\u001b[2J'] = { ...s.daily.AAPL, bars: 'x' })), /snapshot daily\."A\\u001b\[2J"\.bars: is not a list/],
  ])('%s', (_name, spoil, message) => {
    const s = good();
    spoil(s);
    expect(() => parseSnapshot(s)).toThrow(message);
  });
});
