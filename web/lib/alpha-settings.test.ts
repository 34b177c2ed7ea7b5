import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_BPS, DEFAULT_ENTRY, DEFAULT_EXIT } from '../../engine/pairs/backtest.ts';
import { readSlot } from './storage.ts';
import {
  ALPHA_SLOT,
  DELTA_SCALE,
  SPEED_STOPS,
  VE_SCALE,
  defaultAlphaSettings,
  logPosition,
  logValueText,
  pairRunOptions,
  speedStop,
  thresholdConflict,
} from './alpha-settings.ts';
import { PAIR_DELTA_RULE, PAIR_ENTRY_RULE, PAIR_VE_RULE, readField } from './input-rules.ts';

describe('alpha settings', () => {
  it('default to the engine’s and the CLI’s rules, δ and Vₑ fitted', () => {
    const d = defaultAlphaSettings();
    expect([d.entry, d.exit, d.costBps]).toEqual([DEFAULT_ENTRY, DEFAULT_EXIT, DEFAULT_COST_BPS]);
    expect(d.autoCalibrate).toBe(true);
    expect([d.delta, d.ve]).toEqual([1e-4, 1e-3]);
    expect(SPEED_STOPS).toContain(d.speed);
  });

  it('build the engine’s options: δ and Vₑ only when set by hand, the halt passed through', () => {
    const d = defaultAlphaSettings();
    expect(pairRunOptions({ y: 'JPM', x: 'C' }, d, false)).toEqual({ y: 'JPM', x: 'C', entry: 2, exit: 0.5, costBps: 0, halted: false });
    expect(pairRunOptions({ y: 'GS', x: 'MS' }, { ...d, autoCalibrate: false, entry: 1.5, costBps: 2 }, true)).toEqual({
      y: 'GS', x: 'MS', entry: 1.5, exit: 0.5, costBps: 2, halted: true, delta: 1e-4, ve: 1e-3,
    });
  });

  it('refuse an exit at or above the entry', () => {
    expect(thresholdConflict(2, 0.5)).toBeNull();
    expect(thresholdConflict(2, 2)).toBe('exit must be below the entry 2, got 2');
    expect(thresholdConflict(1, 1.5)).toMatch(/below the entry 1/);
  });

  it('accept δ and Vₑ typed in scientific notation, within their rules', () => {
    expect(readField('1e-4', 'δ', PAIR_DELTA_RULE)).toEqual({ ok: true, value: 1e-4 });
    expect(readField('7.2e-8', 'δ', PAIR_DELTA_RULE)).toEqual({ ok: true, value: 7.2e-8 });
    expect(readField('0.6', 'δ', PAIR_DELTA_RULE)).toEqual({ ok: false, error: 'δ must be between 1e-12 and 0.5, got 0.6' });
    expect(readField('0', 'Vₑ', PAIR_VE_RULE).ok).toBe(false);
    expect(readField('0.05', 'entry', PAIR_ENTRY_RULE).ok).toBe(false);
  });

  it('put δ and Vₑ on log sliders of tenths of a decade, inside their rules', () => {
    expect(logPosition(1e-4, DELTA_SCALE)).toBe(-40);
    expect(logPosition(1e-3, VE_SCALE)).toBe(-30);
    expect(logPosition(2e-5, VE_SCALE)).toBe(-47); // log₁₀ 2e-5 = −4.70
    expect(logPosition(1e-20, DELTA_SCALE)).toBe(DELTA_SCALE.min);
    expect(logPosition(0, DELTA_SCALE)).toBe(DELTA_SCALE.min);
    expect(logValueText(-40)).toBe('1e-4');
    expect(logValueText(-47)).toBe('2e-5'); // 10^−4.7 = 1.995e-5 → three digits: 2.00e-5
    expect(logValueText(-35)).toBe('3.16e-4');
    for (const s of [DELTA_SCALE]) {
      expect(10 ** (s.min / 10)).toBeGreaterThanOrEqual(PAIR_DELTA_RULE.min);
      expect(10 ** (s.max / 10)).toBeLessThanOrEqual(PAIR_DELTA_RULE.max);
    }
    expect(10 ** (VE_SCALE.min / 10)).toBeGreaterThanOrEqual(PAIR_VE_RULE.min);
    expect(10 ** (VE_SCALE.max / 10)).toBeLessThanOrEqual(PAIR_VE_RULE.max);
    // Every position reads back as itself.
    for (let p = DELTA_SCALE.min; p <= DELTA_SCALE.max; p++) expect(logPosition(Number(logValueText(p)), DELTA_SCALE)).toBe(p);
  });

  it('put the replay speed on 1-2-5 stops from 1× to 1000×', () => {
    expect(SPEED_STOPS[0]).toBe(1);
    expect(SPEED_STOPS.at(-1)).toBe(1000);
    expect(SPEED_STOPS.map(speedStop)).toEqual(SPEED_STOPS.map((_, i) => i));
    expect(speedStop(300)).toBe(7); // nearer 200 than 500 in ratio
  });

  it('read their slot field by field: a bad field falls back alone, with a warning naming it', () => {
    const good = { version: 1, ...defaultAlphaSettings(), entry: 1.5, pair: { y: 'GS', x: 'MS' }, speed: 1000 };
    expect(readSlot(ALPHA_SLOT, JSON.stringify(good))).toEqual({ value: { ...defaultAlphaSettings(), entry: 1.5, pair: { y: 'GS', x: 'MS' }, speed: 1000 }, warnings: [] });
    const bad = { ...good, costBps: -1, speed: 3, pair: { y: 'GS', x: 'GS' }, autoCalibrate: 'yes' };
    const read = readSlot(ALPHA_SLOT, JSON.stringify(bad));
    expect(read.value).toEqual({ ...defaultAlphaSettings(), entry: 1.5 });
    expect(read.warnings).toEqual([
      'costBps -1 was replaced by 0',
      'autoCalibrate "yes" was replaced by true',
      'replay speed 3 was replaced by 100',
      'pair {"y":"GS","x":"GS"} was replaced by the market’s own pair',
    ]);
    const crossed = readSlot(ALPHA_SLOT, JSON.stringify({ ...good, entry: 1, exit: 1 }));
    expect([crossed.value.entry, crossed.value.exit]).toEqual([2, 0.5]);
    expect(crossed.warnings).toEqual(['exit 1 was not below entry 1: both were replaced by 2 and 0.5']);
    expect(() => readSlot(ALPHA_SLOT, JSON.stringify({ ...good, version: 2 }))).toThrow('unknown version 2');
    expect(() => readSlot(ALPHA_SLOT, '[]')).toThrow('not an object');
  });
});
