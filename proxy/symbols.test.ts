import { afterEach, describe, expect, it } from 'vitest';
import { takeSnapshot } from './snapshot.ts';
import { createFakeYahoo } from './fixtures/fake-yahoo.ts';
import { toYahooSymbol } from './symbols.ts';
import { request, startHarness, type Harness } from './test-helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('toYahooSymbol', () => {
  it.each([
    ['BRK.B', 'BRK-B'],
    ['BRK.A', 'BRK-A'],
    ['BF.B', 'BF-B'],
    ['HEI.A', 'HEI-A'],
    ['MOG.A', 'MOG-A'],
    ['LGF.A', 'LGF-A'],
  ])('maps the US share class %s to %s', (typed, yahoo) => {
    expect(toYahooSymbol(typed)).toBe(yahoo);
  });

  it.each([
    ['OCDO.L', 'London'],
    ['BP.L', 'London'],
    ['7203.T', 'Tokyo'],
    ['0700.HK', 'Hong Kong'],
    ['SAP.DE', 'Xetra'],
    ['SHOP.TO', 'Toronto'],
    ['MSF.F', 'Frankfurt'],
    ['ABC.V', 'TSX Venture'],
    ['BRK-B', 'already Yahoo spelling'],
    ['^IRX', 'index'],
    ['EURUSD=X', 'currency'],
    ['BTC-USD', 'crypto'],
    ['AAPL', 'plain'],
    ['GOOGLE.B', 'six letters: not a US ticker'],
  ])('leaves %s alone (%s)', (symbol) => {
    expect(toYahooSymbol(symbol)).toBe(symbol);
  });
});

describe('share classes through the proxy', () => {
  it('a chart for BRK.B fetches BRK-B and says both', async () => {
    h = await startHarness({ now: () => Date.parse('2025-03-20T00:00:00Z') });
    const r = await request(h.url, '/api/chart?symbol=brk.b&period1=2025-03-03&period2=2025-03-08');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ symbol: 'BRK.B', yahooSymbol: 'BRK-B' });
    expect(r.body.bars).toHaveLength(5);
    expect(h.fake.calls.filter((c) => c.kind === 'chart').map((c) => c.symbol)).toEqual(['BRK-B']);
  });

  it('a quote for BF.B fetches BF-B; OCDO.L goes to Yahoo as typed', async () => {
    h = await startHarness();
    const bf = await request(h.url, '/api/quote?symbol=BF.B');
    expect(bf.body).toMatchObject({ symbol: 'BF.B', yahooSymbol: 'BF-B' });
    const ocdo = await request(h.url, '/api/quote?symbol=OCDO.L');
    expect(ocdo.body).toMatchObject({ symbol: 'OCDO.L', yahooSymbol: 'OCDO.L' });
    expect(h.fake.calls.filter((c) => c.kind === 'quote').map((c) => c.symbol)).toEqual(['BF-B', 'OCDO.L']);
  });

  it('a snapshot keys BRK.B as typed and records what was fetched', async () => {
    const fake = createFakeYahoo();
    const snap = await takeSnapshot(
      { symbols: ['BRK.B'], daily: '1mo', intradaySymbols: [], intradayPeriod: '5d', quotes: [], out: 'unused', proxy: null },
      { fetch: fake.fetch, now: () => Date.parse('2025-03-20T00:00:00Z') },
    );
    expect(Object.keys(snap.daily)).toEqual(['BRK.B']);
    expect(snap.daily['BRK.B']).toMatchObject({ symbol: 'BRK.B', yahooSymbol: 'BRK-B' });
  });
});
