import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_LIMIT, DEFAULT_SEED } from '../../engine/risk/var.ts';
import { DEFAULT_MC_CONFIDENCE, DEFAULT_MC_HORIZON, DEFAULT_MC_PATHS } from '../../engine/risk/montecarlo.ts';
import { DEFAULT_LOOKBACK_DAYS } from '../../engine/units.ts';
import { readSlot } from './storage.ts';
import { PATH_STOPS, RISK_SLOT, defaultRiskSettings, pathsStop, riskInputs, shocksFor } from './risk-settings.ts';
import { CONFIDENCE_PERCENT_RULE, HORIZON_RULE, PATHS_RULE, readField, readShownField } from './input-rules.ts';

const prices = { dates: ['2026-01-01', '2026-01-02'], tickers: ['AAPL', 'MSFT'], closes: [new Float64Array([1, 2]), new Float64Array([3, 4])] };

describe('risk settings', () => {
  it('default to the engine’s and the CLI’s defaults, and the desk’s limit', () => {
    const d = defaultRiskSettings();
    expect([d.confidence, d.horizon, d.paths, d.lookback, d.seed]).toEqual([
      DEFAULT_MC_CONFIDENCE, DEFAULT_MC_HORIZON, DEFAULT_MC_PATHS, DEFAULT_LOOKBACK_DAYS, DEFAULT_SEED,
    ]);
    expect(d.limit).toBe(DEFAULT_RISK_LIMIT.amount);
    expect(d.drift).toBe('mean');
  });

  it('keep the issue’s slider ranges in the named rules', () => {
    expect([CONFIDENCE_PERCENT_RULE.min, CONFIDENCE_PERCENT_RULE.max]).toEqual([90, 99.9]);
    expect([HORIZON_RULE.min, HORIZON_RULE.max]).toEqual([1, 20]);
    expect([PATHS_RULE.min, PATHS_RULE.max]).toEqual([1000, 1_000_000]);
    expect(readField('0', 'paths', PATHS_RULE)).toEqual({ ok: false, error: 'paths must be a whole number from 1,000 to 1,000,000, got 0' });
    expect(readField('99.5%', 'confidence', CONFIDENCE_PERCENT_RULE)).toEqual({ ok: true, value: 99.5 });
  });

  it('put the paths slider on 1-2-5 stops, a typed count at the nearest on a log scale', () => {
    expect(PATH_STOPS[0]).toBe(PATHS_RULE.min);
    expect(PATH_STOPS.at(-1)).toBe(PATHS_RULE.max);
    expect(PATH_STOPS.map(pathsStop)).toEqual(PATH_STOPS.map((_, i) => i));
    expect(pathsStop(3000)).toBe(1); // 3,000 is nearer 2,000 than 5,000 in ratio (1.5 < 1.67)
    expect(pathsStop(4000)).toBe(2);
    expect(pathsStop(750_000)).toBe(9);
  });

  it('build the engine’s inputs: the book as it is, the limit amount, shocks on every held ticker or one', () => {
    const s = { ...defaultRiskSettings(), shocks: [{ ticker: null, change: -0.1 }, { ticker: 'MSFT', change: 0.2 }] };
    const book = { positions: [{ ticker: 'AAPL', shares: 10, price: 2 }, { ticker: 'MSFT', shares: 0, price: 4 }, { ticker: 'GS', shares: -5, price: 9 }], equity: 100 };
    const inputs = riskInputs(book, prices, s);
    expect(inputs.book).toEqual(book.positions);
    expect(inputs.book).not.toBe(book.positions);
    expect(inputs.limit).toEqual({ amount: 150_000 });
    expect(inputs.stress?.shocks).toEqual([
      { name: 'shock 1', returns: { AAPL: -0.1, GS: -0.1 } },
      { name: 'shock 2', returns: { MSFT: 0.2 } },
    ]);
    expect(shocksFor([], ['A'])).toEqual([]);
  });
});

describe('the risk slot', () => {
  const read = (data: unknown) => readSlot(RISK_SLOT, JSON.stringify(data));

  it('reads back what the module writes', () => {
    const s = { ...defaultRiskSettings(), confidence: 0.999, paths: 1_000_000, drift: 'zero' as const, backtest: 'historical' as const };
    expect(read({ version: 1, ...s })).toEqual({ value: s, warnings: [] });
  });

  it('replaces each bad field by its default alone, naming it', () => {
    const { value, warnings } = read({
      version: 1, ...defaultRiskSettings(), confidence: 1.5, horizon: 0, paths: 2.5, limit: -1, drift: 'up',
      shocks: [{ ticker: null, change: -2 }, { ticker: 'AAPL', change: -0.2 }, 'x'],
    });
    expect(value).toEqual({ ...defaultRiskSettings(), shocks: [{ ticker: 'AAPL', change: -0.2 }] });
    expect(warnings).toEqual([
      'confidence 1.5 was replaced by 0.99',
      'horizon 0 was replaced by 10',
      'paths 2.5 was replaced by 5000',
      'limit -1 was replaced by 150000',
      'drift "up" was replaced by mean',
      'shock 1 was dropped (not a valid {ticker, change})',
      'shock 3 was dropped (not a valid {ticker, change})',
    ]);
  });

  it('refuses a record of another shape or version as a whole', () => {
    expect(() => read([1])).toThrow('not an object');
    expect(() => read({ version: 2 })).toThrow('unknown version 2');
  });
});

describe('a field shown in percent', () => {
  it('reads to the value the CLI would take, not a division’s last-bit error, and keeps the message', () => {
    expect(readShownField('99.9', 'confidence', CONFIDENCE_PERCENT_RULE, 100)).toEqual({ ok: true, value: 0.999 });
    expect(99.9 / 100).not.toBe(0.999);
    expect(readShownField('99.5%', 'confidence', CONFIDENCE_PERCENT_RULE, 100)).toEqual({ ok: true, value: 0.995 });
    const bad = readShownField('101', 'confidence', CONFIDENCE_PERCENT_RULE, 100);
    expect(bad.ok).toBe(false);
    expect(bad).toEqual(readField('101', 'confidence', CONFIDENCE_PERCENT_RULE));
  });
});
