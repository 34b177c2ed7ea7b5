/**
 * RiskState with fakes: a market and a book as the app builds them, a fake pool run (each call a
 * promise the test settles) and a manual frame clock, so the scheduling — one run per frame, the
 * latest wins, abort of the superseded run — is checked exactly.
 */
import { describe, expect, it } from 'vitest';
import { tick } from 'svelte';
import { BookState } from './book.svelte.ts';
import { MarketState } from './market.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { RiskState } from './risk.svelte.ts';
import type { RunContext } from './computation.svelte.ts';
import { StorageWriter } from '../lib/storage.ts';
import { RISK_SLOT, defaultRiskSettings } from '../lib/risk-settings.ts';
import type { RiskRunOutput } from '../lib/risk-run.ts';
import { pnlHistogram } from '../lib/risk-chart.ts';
import { HAND_DEMO_BOOK } from '../../engine/test-fixtures.ts';
import type { RiskInputs, RiskReport } from '../../engine/risk/var.ts';
import { demoSnapshot } from './test-fixtures.ts';
import { MemoryStorage } from '../test/memory-storage.ts';

const PRICES = { dates: ['2026-11-19', '2026-11-20'], tickers: HAND_DEMO_BOOK.map((p) => p.ticker), closes: HAND_DEMO_BOOK.map((p) => new Float64Array([p.price, p.price])) };

const SNAPSHOT = demoSnapshot(PRICES);


interface Call {
  inputs: RiskInputs;
  ctx: RunContext;
  resolve(var_: number, status?: 'OK' | 'HALTED'): void;
  reject(e: unknown): void;
}

function output(var_: number, status: 'OK' | 'HALTED'): RiskRunOutput {
  return { report: { mc: { var: var_ }, status } as unknown as RiskReport, histogram: pnlHistogram([[-var_, 0, var_]]) };
}

async function setup(storage = new MemoryStorage()) {
  const market = new MarketState(async () => SNAPSHOT);
  await market.load();
  const notices = new Notices();
  const writer = new StorageWriter(storage as unknown as Storage, () => undefined);
  const book = new BookState(market, { storage: storage as unknown as Storage, writer, notices, confirm: () => true, tabId: 't' });
  const calls: Call[] = [];
  const frames: (() => void)[] = [];
  const risk = new RiskState(book, market, {
    storage: storage as unknown as Storage,
    writer,
    notices,
    schedule: (fn) => frames.push(fn),
    run: (inputs, ctx) =>
      new Promise<RiskRunOutput>((resolve, reject) => {
        calls.push({ inputs, ctx, resolve: (v, s = 'OK') => resolve(output(v, s)), reject });
      }),
  });
  /** Let the effects see the changes (they run on a microtask), then run the frame. */
  const frame = async () => {
    await tick();
    for (const fn of frames.splice(0)) fn();
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { market, book, risk, calls, frames, frame, settle, writer, storage, notices };
}

describe('RiskState', () => {
  it('runs once the book and the prices are there, with the engine inputs of the book and the defaults', async () => {
    const { risk, calls, frame, settle } = await setup();
    await frame();
    expect(calls).toHaveLength(1);
    const { inputs } = calls[0];
    expect(inputs.book).toEqual(HAND_DEMO_BOOK);
    expect(inputs.prices).toBe(PRICES);
    expect([inputs.equity, inputs.paths, inputs.horizon, inputs.confidence, inputs.seed, inputs.limit]).toEqual([1_000_000, 5000, 10, 0.99, 1, { amount: 150_000 }]);
    expect(risk.data.pending).toBe(true);
    calls[0].resolve(138_000);
    await settle();
    expect(risk.result?.mc.var).toBe(138_000);
    expect(risk.status).toBe('OK');
    expect(risk.stale).toBe(false);
    expect(risk.running).toBeNull();
    risk.dispose();
  });

  it('starts one run per frame with the latest inputs, and a new run aborts the one in flight', async () => {
    const { risk, calls, frame, settle } = await setup();
    await frame();
    expect(risk.set('confidence', '98')).toBe('accepted');
    expect(risk.set('confidence', '97.5%')).toBe('accepted');
    expect(risk.set('horizon', '5')).toBe('accepted');
    expect(calls).toHaveLength(1); // nothing before the frame
    await frame();
    expect(calls).toHaveLength(2);
    expect(calls[0].ctx.signal.aborted).toBe(true);
    expect([calls[1].inputs.confidence, calls[1].inputs.horizon]).toEqual([0.975, 5]);
    // The superseded answer arrives last and is dropped.
    calls[1].resolve(120_000);
    calls[0].resolve(999_999);
    await settle();
    expect(risk.result?.mc.var).toBe(120_000);
    risk.dispose();
  });

  it('re-runs on a book edit but not on a funding edit', async () => {
    const { risk, book, calls, frame, settle } = await setup();
    await frame();
    calls[0].resolve(1);
    await settle();
    book.setSpread('borrowBps', '100');
    await frame();
    expect(calls).toHaveLength(1);
    book.setShares('AAPL', '3000');
    await frame();
    expect(calls).toHaveLength(2);
    expect(calls[1].inputs.book.find((p) => p.ticker === 'AAPL')?.shares).toBe(3000);
    expect(risk.stale).toBe(true); // the result on screen is for the book before the edit
    risk.dispose();
  });

  it('keeps the last good result and names the panel when a run fails', async () => {
    const { risk, book, calls, frame, settle } = await setup();
    await frame();
    calls[0].resolve(138_000, 'HALTED');
    await settle();
    book.addPosition({ ticker: 'ZZZZ', shares: '100', price: '50' });
    await frame();
    calls[1].reject(new Error('the prices have no column "ZZZZ" (columns: AAPL, MSFT, JPM, GS, MS)'));
    await settle();
    expect(risk.data.error).toBe('Risk: the prices have no column "ZZZZ" (columns: AAPL, MSFT, JPM, GS, MS)');
    expect(risk.result?.mc.var).toBe(138_000);
    expect(risk.status).toBe('HALTED'); // the last known status stays on screen
    expect(risk.stale).toBe(true);
    expect(book.book?.positions.map((p) => p.ticker)).toContain('ZZZZ'); // the book is kept too
    book.removePosition('ZZZZ');
    await frame();
    calls[2].resolve(137_000);
    await settle();
    expect(risk.data.error).toBeNull();
    expect(risk.result?.mc.var).toBe(137_000);
    risk.dispose();
  });

  it('cancels the run in flight, keeps the last result, and runs again only when asked or on a change', async () => {
    const { risk, calls, frame, settle } = await setup();
    await frame();
    calls[0].resolve(100);
    await settle();
    risk.set('paths', '1,000,000');
    await frame();
    calls[1].ctx.progress(0.4);
    expect(risk.data.progress).toBe(0.4);
    expect(risk.running?.settings.paths).toBe(1_000_000);
    risk.cancel();
    expect(calls[1].ctx.signal.aborted).toBe(true);
    expect([risk.data.pending, risk.data.progress, risk.cancelled, risk.running]).toEqual([false, null, true, null]);
    calls[1].resolve(200);
    await settle();
    expect(risk.result?.mc.var).toBe(100);
    await frame();
    expect(calls).toHaveLength(2);
    risk.rerun();
    await frame();
    expect(calls).toHaveLength(3);
    expect(risk.cancelled).toBe(false);
    risk.dispose();
  });

  it('refuses a bad input naming the field and the value, and changes nothing', async () => {
    const { risk, calls, frame } = await setup();
    await frame();
    const cases = [
      ['confidence', '100', 'confidence must be between 90% and 99.9%, got 100'],
      ['paths', '0', 'paths must be a whole number from 1,000 to 1,000,000, got 0'],
      ['horizon', '0', 'horizon must be a whole number of trading days from 1 to 20, got 0'],
      ['limit', '-5', 'risk limit must be an amount between 1 and 10,000,000,000,000, got -5'],
      ['seed', '1.5', 'seed must be a whole number from 0 to 9,007,199,254,740,991, got 1.5'],
    ] as const;
    for (const [field, text, message] of cases) {
      expect(risk.set(field, text)).toBe('rejected');
      expect(risk.inputError).toEqual({ field, message });
    }
    expect(risk.addShock(null, '-100')).toBe('rejected');
    expect(risk.inputError?.message).toBe('shock (%) must be between −99.99% and 1,000%, got -100');
    expect(risk.settings).toEqual(defaultRiskSettings());
    await frame();
    expect(calls).toHaveLength(1);
    expect(risk.set('limit', '100,000')).toBe('accepted');
    expect(risk.inputError).toBeNull();
    risk.dispose();
  });

  it('keeps its inputs in its own slot, debounced, and reads them back', async () => {
    const storage = new MemoryStorage();
    const a = await setup(storage);
    a.risk.set('limit', '120000');
    a.risk.set('confidence', '99.9');
    a.risk.setDrift('zero');
    a.risk.addShock('AAPL', '-20%');
    a.risk.removeShock(0);
    expect(storage.getItem(RISK_SLOT.key)).toBeNull();
    a.writer.flush();
    const expected = { ...defaultRiskSettings(), limit: 120_000, confidence: 0.999, drift: 'zero', shocks: [{ ticker: null, change: 0.1 }, { ticker: 'AAPL', change: -0.2 }] };
    expect(JSON.parse(storage.getItem(RISK_SLOT.key)!)).toEqual({ version: 1, ...expected });
    a.risk.dispose();
    const b = await setup(storage);
    expect(b.risk.settings).toEqual(expected);
    b.risk.dispose();
  });

  it('sets an unreadable record aside and falls back to the defaults, saying so', async () => {
    const storage = new MemoryStorage();
    storage.setItem(RISK_SLOT.key, '{"version":1,');
    const { risk, notices } = await setup(storage);
    expect(risk.settings).toEqual(defaultRiskSettings());
    expect(notices.list[0].message).toMatch(/The saved risk settings could not be read/);
    expect(storage.getItem(`${RISK_SLOT.key}.corrupt`)).toBe('{"version":1,');
    risk.dispose();
  });
});
