import { describe, expect, it } from 'vitest';
import { ProxyError } from './errors.ts';
import { parseChartQuery, parseIsoDate, parseQuoteQuery, parseSymbol, splitTarget } from './validate.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof ProxyError ? e.code : 'OTHER';
  }
  return 'OK';
}

describe('parseSymbol', () => {
  it.each(['^IRX', 'BRK-B', 'EURUSD=X', '7203.T', 'BTC-USD', 'AAPL', 'BRK.B', 'A'])('accepts %s unchanged', (s) => {
    expect(parseSymbol(s)).toBe(s);
  });

  it('upper-cases ASCII input so cache keys are shared', () => {
    expect(parseSymbol('brk-b')).toBe('BRK-B');
  });

  it.each([
    ['path traversal', 'AAPL/../..'],
    ['slash', 'A/B'],
    ['dot segment', '..'],
    ['single dot', '.'],
    ['double dot inside', 'A..B'],
    ['query', 'AAPL?x=1'],
    ['fragment', 'AAPL#x'],
    ['percent', 'AAPL%2F'],
    ['CR LF', 'AAPL\r\nX-Evil: 1'],
    ['NUL', 'AAPL\u0000'],
    ['space', 'AA PL'],
    ['Cyrillic A look-alike', '\u0410APL'],
    ['dotless i (upper-cases to I)', 'aap\u0131'],
    ['long s (upper-cases to S)', '\u017FPY'],
    ['fullwidth', '\uFF21APL'],
    ['16 chars', 'ABCDEFGHIJKLMNOP'],
    ['empty', ''],
    ['leading dash', '-AAPL'],
  ])('rejects %s', (_name, s) => {
    expect(code(() => parseSymbol(s))).toBe('BAD_REQUEST');
  });
});

describe('parseIsoDate', () => {
  it('reads a date as midnight UTC', () => {
    expect(parseIsoDate('2025-01-01')).toBe(Date.UTC(2025, 0, 1));
  });
  it('reads date-times with Z, offsets and fractions', () => {
    expect(parseIsoDate('2025-01-01T14:30:00Z')).toBe(Date.UTC(2025, 0, 1, 14, 30));
    expect(parseIsoDate('2025-01-01T09:30-05:00')).toBe(Date.UTC(2025, 0, 1, 14, 30));
    expect(parseIsoDate('2025-01-01T14:30:00.5Z')).toBe(Date.UTC(2025, 0, 1, 14, 30, 0, 500));
  });
  it.each([
    '2025-02-30',
    '2025-13-01',
    '2025-1-1',
    '2025-01-01T14:30:00',
    '2025-01-01 14:30:00Z',
    '2025-01-01T24:00:00Z',
    '1735689600',
    'yesterday',
    '1969-12-31',
    '2100-01-01',
    '2025-01-01T14:30:00+25:00',
    '+002025-01-01',
  ])('rejects %s', (s) => {
    expect(parseIsoDate(s)).toBeNull();
  });
});

describe('parseChartQuery', () => {
  it('parses a full request', () => {
    expect(parseChartQuery('symbol=aapl&interval=1m&period1=2025-03-03&period2=2025-03-04T00:00:00Z')).toEqual({
      symbol: 'AAPL',
      interval: '1m',
      period1: Date.UTC(2025, 2, 3),
      period2: Date.UTC(2025, 2, 4),
    });
  });
  it('defaults interval to 1d and leaves omitted periods null', () => {
    expect(parseChartQuery('symbol=%5EIRX')).toEqual({ symbol: '^IRX', interval: '1d', period1: null, period2: null });
  });
  it.each([
    ['unknown parameter', 'symbol=AAPL&url=http://evil'],
    ['repeated parameter', 'symbol=AAPL&symbol=MSFT'],
    ['empty value', 'symbol='],
    ['missing symbol', 'interval=1d'],
    ['bad interval', 'symbol=AAPL&interval=2h'],
    ['interval case', 'symbol=AAPL&interval=1D'],
    ['period order', 'symbol=AAPL&period1=2025-02-01&period2=2025-01-01'],
    ['equal periods', 'symbol=AAPL&period1=2025-02-01&period2=2025-02-01'],
    ['bad period1', 'symbol=AAPL&period1=2025-02-30'],
    ['bad period2', 'symbol=AAPL&period2=tomorrow'],
    ['plus decodes to space', 'symbol=AA+PL'],
  ])('rejects %s', (_n, q) => {
    expect(code(() => parseChartQuery(q))).toBe('BAD_REQUEST');
  });
});

describe('parseQuoteQuery', () => {
  it('accepts only symbol', () => {
    expect(parseQuoteQuery('symbol=EURUSD%3DX')).toEqual({ symbol: 'EURUSD=X' });
    expect(code(() => parseQuoteQuery('symbol=AAPL&interval=1d'))).toBe('BAD_REQUEST');
  });
});

describe('splitTarget', () => {
  it('splits path and query without decoding the path', () => {
    expect(splitTarget('/api/%63hart?symbol=A')).toEqual({ path: '/api/%63hart', query: 'symbol=A' });
  });
  it.each([
    ['absolute form', 'http://evil/api/chart'],
    ['fragment', '/api/chart?symbol=AAPL#x'],
    ['raw non-ASCII', '/api/chart?symbol=\u0410APL'],
    ['raw space', '/api/chart?symbol=A B'],
    ['too long url', `/api/chart?symbol=A&${'x'.repeat(1100)}`],
    ['too long query', `/api/chart?${'x'.repeat(600)}`],
  ])('rejects %s', (_n, t) => {
    expect(code(() => splitTarget(t))).toBe('BAD_REQUEST');
  });
});
