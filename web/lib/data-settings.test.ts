import { describe, expect, it } from 'vitest';
import { DATA_SLOT, DEFAULT_PROXY_URL, MAX_LIVE_TICKERS, dataRecord, defaultDataSettings, readPair, readProxyUrl, readSymbol, readTickers } from './data-settings.ts';
import { readSlot } from './storage.ts';

describe('live inputs', () => {
  it('defaults to the demo universe and pair over two years, and no source chosen', () => {
    expect(defaultDataSettings()).toEqual({
      source: null,
      proxyUrl: null,
      tickers: ['AAPL', 'MSFT', 'GOOGL', 'JPM', 'GS', 'MS', 'C'],
      pair: ['JPM', 'C'],
      lookback: 730,
    });
  });

  it('reads tickers as the proxy accepts them: upper-cased, unique, exchange suffixes and share classes kept', () => {
    expect(readTickers(' aapl, msft  0700.HK;BRK.B ^irx AAPL')).toEqual({ ok: true, value: ['AAPL', 'MSFT', '0700.HK', 'BRK.B', '^IRX'] });
    expect(readTickers('  ')).toEqual({ ok: false, error: 'tickers: type at least one ticker' });
    expect(readTickers('AAPL A/B')).toMatchObject({ ok: false, error: expect.stringContaining('"A/B" is not a ticker the proxy accepts') });
    expect(readTickers('A..B')).toMatchObject({ ok: false });
    expect(readTickers(Array.from({ length: MAX_LIVE_TICKERS + 1 }, (_, i) => `T${i}`).join(' '))).toMatchObject({ ok: false, error: expect.stringContaining('at most 40') });
    expect(readSymbol('x'.repeat(16))).toMatchObject({ ok: false });
  });

  it('reads a pair of two different tickers, or none', () => {
    expect(readPair('jpm/c')).toEqual({ ok: true, value: ['JPM', 'C'] });
    expect(readPair('')).toEqual({ ok: true, value: null });
    expect(readPair('JPM')).toMatchObject({ ok: false, error: expect.stringContaining('two tickers') });
    expect(readPair('C c')).toMatchObject({ ok: false, error: 'pair: y and x must differ, got C twice' });
  });

  it('takes a proxy base URL only: scheme, host and port', () => {
    expect(readProxyUrl(' http://127.0.0.1:9000/ ')).toEqual({ ok: true, value: 'http://127.0.0.1:9000' });
    expect(readProxyUrl('https://proxy.example')).toEqual({ ok: true, value: 'https://proxy.example' });
    for (const bad of ['127.0.0.1:8787', 'ftp://x', 'http://x/api', 'http://u:p@x', 'http://x/?a=1', 'not a url']) {
      expect(readProxyUrl(bad).ok, bad).toBe(false);
    }
    expect(DEFAULT_PROXY_URL).toBe('http://127.0.0.1:8787');
  });
});

describe('the astra.data.v1 slot', () => {
  const read = (data: unknown) => readSlot(DATA_SLOT, JSON.stringify(data));

  it('round-trips the settings', () => {
    const settings = { source: 'csv' as const, proxyUrl: 'http://127.0.0.1:9000', tickers: ['AAPL'], pair: null, lookback: 365 };
    expect(read(dataRecord(settings))).toEqual({ value: settings, warnings: [] });
  });

  it('falls back field by field, naming each field it replaced', () => {
    const { value, warnings } = read({ version: 1, source: 'ftp', proxyUrl: 'http://x/api', tickers: ['ok', 'bad ticker'], pair: ['A'], lookback: 5 });
    expect(value).toEqual(defaultDataSettings());
    expect(warnings).toEqual(['the source', 'the proxy URL', 'the tickers', 'the pair', 'the history length']);
  });

  it('refuses a record of another version as a whole', () => {
    expect(() => read({ version: 2 })).toThrow('it is not a version 1 record');
  });
});
