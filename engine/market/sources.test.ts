import { describe, expect, it } from 'vitest';
import { cleanMarket, rawFromCsv, rawFromSnapshot, type RawMarket } from './sources.ts';
import { parseSnapshot, type Bar, type ChartResponse, type Snapshot } from './snapshot.ts';
import { parseBarsCsv, parsePricesCsv } from '../csv.ts';
import { DEFAULT_RFR, irxToRate } from '../book/rates.ts';

function bar(t: string, close: number | null, adjClose: number | null = close): Bar {
  return { t, open: close, high: close, low: close, close, adjClose, volume: close === null ? null : 100 };
}

function chart(symbol: string, interval: '1d' | '1m', bars: Bar[], splits: ChartResponse['events']['splits'] = []): ChartResponse {
  return { symbol, interval, currency: 'USD', exchangeTimezone: 'America/New_York', bars, events: { splits, dividends: [] }, source: 'yahoo', asOf: '2025-03-12T21:00:00.000Z' };
}

const DAYS = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10', '2025-03-11'];
const daily = (symbol: string, closes: (number | null)[], splits: ChartResponse['events']['splits'] = []) =>
  chart(symbol, '1d', closes.map((c, i) => bar(`${DAYS[i]}T09:30:00-0${i < 5 ? 5 : 4}:00`, c)), splits);

/** A snapshot with one of each thing the cleaning looks for. */
function sampleSnapshot(): Snapshot {
  return {
    format: 'astra-snapshot',
    version: 1,
    asOf: '2025-03-12T21:00:00.000Z',
    daily: {
      // A gap on 03-05, a 4:1 split on 03-07 the closes are not adjusted for.
      AAPL: daily('AAPL', [400, 404, null, 408, 102, 103, 104], [{ t: '2025-03-07T09:30:00-05:00', numerator: 4, denominator: 1, ratio: '4:1' }]),
      // Stale for five days, then a jump with no split.
      MSFT: daily('MSFT', [300, 300, 300, 300, 300, 600, 601]),
      '^IRX': daily('^IRX', [4.2, 4.21, 4.19, 4.2, 4.2, 4.18, 4.19]),
    },
    intraday: {
      JPM: chart('JPM', '1m', [
        bar('2025-03-11T09:29:00-04:00', 240), // pre-market
        bar('2025-03-11T09:30:00-04:00', 241),
        bar('2025-03-11T09:31:00-04:00', null), // a null bar
        bar('2025-03-11T15:59:00-04:00', 242),
        bar('2025-03-11T16:00:00-04:00', 243), // the closing tick
      ]),
      C: chart('C', '1m', [bar('2025-03-11T09:30:00-04:00', 70), bar('2025-03-11T09:31:00-04:00', null), bar('2025-03-11T15:59:00-04:00', 71)]),
    },
    quotes: { '^IRX': { symbol: '^IRX', price: 4.3, currency: 'USD', quoteType: 'INDEX', marketTime: '2025-03-12T15:55:00-04:00', asOf: '2025-03-12T19:56:02.000Z' } },
  };
}

describe('rawFromSnapshot', () => {
  it('reuses snapshotPrices and snapshotBars and reads splits, null bars, the zone and the ^IRX quote', () => {
    const raw = rawFromSnapshot(parseSnapshot(sampleSnapshot()));
    expect(raw.prices.tickers).toEqual(['AAPL', 'MSFT', '^IRX']);
    expect(raw.prices.dates).toEqual(DAYS);
    expect(raw.splits).toEqual({ AAPL: [{ date: '2025-03-07', ratio: '4:1' }] });
    expect(raw.nullBars).toEqual({ JPM: 1, C: 1 });
    expect(raw.barsZone).toBe('America/New_York');
    expect(raw.irxQuote).toEqual({ value: 4.3, date: '2025-03-12' });
    expect(raw.bars?.timestamps).toHaveLength(5);
  });
});

describe('cleanMarket', () => {
  const clean = cleanMarket(rawFromSnapshot(sampleSnapshot()), 'snapshot s.json');

  it('flags the gap, the stale run, the jump and the unadjusted split, and changes none of them', () => {
    expect(clean.report.flags.map((f) => [f.rule, f.ticker, f.from, f.to])).toEqual([
      ['gap', 'AAPL', '2025-03-05', '2025-03-05'],
      ['stale', 'MSFT', '2025-03-03', '2025-03-07'],
      ['split', 'AAPL', '2025-03-06', '2025-03-07'],
      ['jump', 'MSFT', '2025-03-07', '2025-03-10'],
    ]);
    expect(Array.from(clean.prices.closes[0])).toEqual([400, 404, NaN, 408, 102, 103, 104]);
  });

  it('drops null bars and bars outside 09:30–16:00 New York, counting each', () => {
    expect(clean.bars?.timestamps).toEqual(['2025-03-11T09:30:00-04:00', '2025-03-11T15:59:00-04:00']);
    expect(Array.from(clean.bars!.closes[0])).toEqual([241, 242]);
    expect(Array.from(clean.bars!.closes[1])).toEqual([70, 71]);
    expect(clean.report.dropped.map((d) => d.count)).toEqual([2, 2]);
    expect(clean.report.dropped[0].message).toContain('2 one-minute bars with no close (null: nothing traded or no data) dropped (JPM 1, C 1)');
    expect(clean.report.dropped[1].message).toContain('outside the regular session 09:30–16:00 America/New_York');
  });

  it('reports both tables and the RFR from the daily ^IRX, stating the conversion', () => {
    expect(clean.report.tables).toEqual([
      { name: 'daily closes', rows: 7, tickers: ['AAPL', 'MSFT', '^IRX'], first: '2025-03-03', last: '2025-03-11', missing: 1 },
      { name: '1-minute bars', rows: 2, tickers: ['JPM', 'C'], first: '2025-03-11T09:30:00-04:00', last: '2025-03-11T15:59:00-04:00', missing: 0 },
    ]);
    expect(clean.rfr).toBe(irxToRate(4.19));
    expect(clean.rfr).toBeCloseTo(0.0419 / (1 - (0.0419 * 91) / 360), 15);
    expect(clean.irx).toEqual({ date: '2025-03-11', value: 4.19 });
    expect(clean.report.notes[0]).toBe(
      'risk-free rate 4.23% (ACT/360 money market) from ^IRX 4.19 on 2025-03-11, the 13-week bill discount yield, converted as r = d / (1 − d·91/360)',
    );
    expect(clean.report.notes[1]).toMatch(/^aligned returns: 5 dates where all 2 assets have a close, 2025-03-04 … 2025-03-11 \(lookback 730 calendar days\); 1 date in the window left out/);
  });

  it("takes the RFR from the snapshot's ^IRX quote without a daily ^IRX, else the stated default", () => {
    const snap = sampleSnapshot();
    delete snap.daily['^IRX'];
    const fromQuote = cleanMarket(rawFromSnapshot(snap), 's');
    expect(fromQuote.rfr).toBe(irxToRate(4.3));
    expect(fromQuote.irx).toEqual({ value: 4.3, date: '2025-03-12' });
    snap.quotes = {};
    const fallback = cleanMarket(rawFromSnapshot(snap), 's');
    expect(fallback.rfr).toBe(DEFAULT_RFR);
    expect(fallback.irx).toBeNull();
    expect(fallback.report.notes[0]).toBe('no ^IRX in this data: the risk-free rate is the default 3.60% (type a rate in Funding to override it)');
  });

  it('drops asset closes at or below 0 as missing and says which', () => {
    const snap = sampleSnapshot();
    snap.daily.MSFT.bars[6] = bar('2025-03-11T09:30:00-04:00', 0);
    const c = cleanMarket(rawFromSnapshot(snap), 's');
    expect(c.prices.closes[1][6]).toBeNaN();
    expect(c.report.dropped[0].message).toBe('1 close at or below 0 dropped as missing (MSFT 2025-03-11 (0)): no return can be taken from them');
  });

  it('refuses a source with no daily closes, naming it', () => {
    const raw: RawMarket = rawFromCsv({ dates: [], tickers: [], closes: [] }, null);
    expect(() => cleanMarket(raw, 'snapshot s.json')).toThrow('snapshot s.json has no daily closes');
  });

  it('says what the aligned returns cannot do instead of failing', () => {
    const c = cleanMarket(rawFromCsv(parsePricesCsv('date,A,B\n2024-01-02,1,\n2024-01-03,,2\n'), null), 'p');
    expect(c.report.notes.at(-1)).toMatch(/^aligned returns cannot be formed: /);
  });
});

describe('CSV sources', () => {
  it('count empty bar cells as null bars, assume New York for the session and say so', () => {
    const prices = parsePricesCsv('date,JPM,C\n2024-01-02,170,50\n2024-01-03,171,51\n');
    const bars = parseBarsCsv(
      'timestamp,JPM,C\n2024-01-02T09:29:00-05:00,1,2\n2024-01-02T09:30:00-05:00,1,\n2024-01-02T09:31:00-05:00,,\n2024-01-02T09:32:00-05:00,3,4\n',
    );
    const c = cleanMarket(rawFromCsv(prices, bars), 'prices CSV p.csv');
    expect(c.bars?.timestamps).toEqual(['2024-01-02T09:30:00-05:00', '2024-01-02T09:32:00-05:00']);
    expect(Array.from(c.bars!.closes[1])).toEqual([NaN, 4]);
    expect(c.report.dropped.map((d) => d.message)).toEqual([
      '3 one-minute bars with no close (null: nothing traded or no data) dropped (JPM 1, C 2); a ticker\'s missing minute stays missing, never 0',
      '1 one-minute bar outside the regular session 09:30–16:00 America/New_York (pre- and after-market, weekends) dropped',
    ]);
    expect(c.report.notes).toContain('the bars do not say their exchange: the regular session is taken in America/New_York (US equities)');
    expect(c.report.tables[1].missing).toBe(1);
  });
});
