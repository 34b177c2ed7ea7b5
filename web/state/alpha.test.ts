/**
 * AlphaState and its replay on the real engine in Node (the runners call the pool's task functions
 * in place, on the pair's two columns as the app sends them) with manual frame clocks: one run per frame and the latest wins, the risk halt reaches
 * the engine, the inputs' rules and slot, the scan after the first run, and the replay — fed bar
 * by bar through the incremental API — equal to the batch run bit for bit until the risk status
 * changes, after which it opens nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tick } from 'svelte';
import { readFile } from 'node:fs/promises';
import { Kernels } from '../../engine/kernels.ts';
import { generateDemoMarket, type DemoMarket } from '../../engine/demo.ts';
import { runPair } from '../../engine/pairs/run.ts';
import { scanPairs } from '../../engine/pairs/scan.ts';
import { createIncrementalPair } from '../../engine/pairs/incremental.ts';
import { demoBeta } from '../../engine/pool/tasks/alpha.ts';
import { pairsRun } from '../../engine/pool/tasks/pairs.ts';
import { AlphaState } from './alpha.svelte.ts';
import { MarketState } from './market.svelte.ts';
import { Computation } from './computation.svelte.ts';
import { Notices } from './notices.svelte.ts';
import { StorageWriter } from '../lib/storage.ts';
import { ALPHA_SLOT } from '../lib/alpha-settings.ts';
import { pairColumns, type AlphaRunners } from '../lib/alpha-run.ts';
import type { RiskStatus } from '../workers/protocol.ts';
import { demoSnapshot } from './test-fixtures.ts';
import { MemoryStorage } from '../test/memory-storage.ts';

let k: Kernels;
let demo: DemoMarket;
beforeAll(async () => {
  // engine/node.ts's `new URL(…, import.meta.url)` is an asset URL under this project's client transform: read the file here.
  k = await Kernels.load(await readFile(`${process.cwd()}/build/astra.wasm`));
  demo = generateDemoMarket(k);
});



async function setup(storage = new MemoryStorage()) {
  const market = new MarketState(async () => ({ ...demoSnapshot(), bars: demo.bars, pair: { y: 'JPM', x: 'C' } }));
  await market.load();
  const notices = new Notices();
  const writer = new StorageWriter(storage as unknown as Storage, () => undefined);
  // Runes need a .svelte.ts file: a Computation's `value` stands in for the risk module's status.
  const status = new Computation<RiskStatus>('Risk');
  status.value = 'OK';
  const risk = { set status(s: RiskStatus) { status.value = s; } };
  const calls = { pair: 0, truth: 0, scan: 0 };
  const runners: AlphaRunners = {
    pair: async (bars, options) => {
      calls.pair++;
      const { fitted, report } = pairsRun(k, { bars: pairColumns(bars, options.y, options.x), options });
      return { fitted, report };
    },
    truth: async (bars, y, x) => {
      calls.truth++;
      return demoBeta(k, { y, x, timestamps: bars.timestamps });
    },
    scan: async (bars) => {
      calls.scan++;
      return scanPairs(k, bars, { top: 0 });
    },
  };
  const frames: (() => void)[] = [];
  const replayFrames: ((t: number) => void)[] = [];
  const alpha = new AlphaState(market, {
    storage: storage as unknown as Storage,
    writer,
    notices,
    runners,
    createFeed: async (options) => createIncrementalPair(k, options),
    riskStatus: () => status.value,
    schedule: (fn) => frames.push(fn),
    replaySchedule: (fn) => replayFrames.push(fn),
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  /** Let the effects see the changes, run the frame, and let the run finish. */
  const frame = async () => {
    await tick();
    for (const fn of frames.splice(0)) fn();
    for (let i = 0; i < 5; i++) await settle();
  };
  let clock = 0;
  /** Run the replay's frames for `ms` of wall time in 50 ms frames. */
  const play = async (ms: number) => {
    for (let t = 0; t < ms; t += 50) {
      clock += 50;
      for (const fn of replayFrames.splice(0)) fn(clock);
      await tick();
    }
  };
  return { market, alpha, risk, calls, frame, settle, writer, storage, notices, play };
}

describe('AlphaState', () => {
  it('runs the market’s pair once its bars are there: runPair’s figures, the demo’s true β, then the scan', async () => {
    const { alpha, calls, frame } = await setup();
    await frame();
    expect(calls.pair).toBe(1);
    const r = alpha.result!;
    const want = runPair(k, demo.bars, { y: 'JPM', x: 'C' });
    expect(r.fitted).toEqual(want.fitted);
    expect(r.report.trades).toEqual(want.report.trades);
    expect(r.truth?.kind).toBe('path');
    expect(r.truth?.beta).toEqual(demo.truth.hedgeRatio);
    expect(alpha.stale).toBe(false);
    expect(calls.scan).toBe(1);
    expect(alpha.scan.value?.pairs).toHaveLength(45);
    // The charts start at the end of the calibration window.
    expect(alpha.view?.from).toBe(want.fitted.window.to);
    expect(alpha.view?.end).toBe(demo.bars.timestamps.length);
    alpha.dispose();
  });

  it('starts one run per frame with the latest inputs; a lower entry trades more', async () => {
    const { alpha, calls, frame } = await setup();
    await frame();
    const before = alpha.result!.report.roundTrips;
    expect(alpha.set('entry', '1.8')).toBe('accepted');
    expect(alpha.set('entry', '1.5')).toBe('accepted');
    await frame();
    expect(calls.pair).toBe(2);
    expect(alpha.result!.request.options.entry).toBe(1.5);
    expect(alpha.result!.report.roundTrips).toBeGreaterThan(before);
    // The speed is not an input of the run.
    alpha.setSpeed(1000);
    await frame();
    expect(calls.pair).toBe(2);
    alpha.dispose();
  });

  it('passes the risk halt to the engine: no new trade opens, the refused entries are counted', async () => {
    const { alpha, risk, frame } = await setup();
    await frame();
    expect(alpha.result!.report.roundTrips).toBeGreaterThan(0);
    risk.status = 'HALTED';
    await frame();
    expect(alpha.halted).toBe(true);
    const r = alpha.result!;
    expect(r.request.options.halted).toBe(true);
    expect(r.report.halted).toBe(true);
    expect(r.report.trades).toEqual([]);
    expect(r.report.blockedEntries).toBeGreaterThan(0);
    risk.status = 'OK';
    await frame();
    expect(alpha.result!.report.roundTrips).toBeGreaterThan(0);
    alpha.dispose();
  });

  it('refuses an exit at or above the entry and values outside their rules, naming them', async () => {
    const { alpha } = await setup();
    expect(alpha.set('exit', '2')).toBe('rejected');
    expect(alpha.inputError).toEqual({ field: 'exit', message: 'exit must be below the entry 2, got 2' });
    expect(alpha.set('delta', '0.9')).toBe('rejected');
    expect(alpha.inputError?.message).toBe('δ must be between 1e-12 and 0.5, got 0.9');
    expect(alpha.set('costBps', 'abc')).toBe('rejected');
    expect(alpha.settings.costBps).toBe(0);
    expect(alpha.set('costBps', '2.5')).toBe('accepted');
    expect(alpha.inputError).toBeNull();
    alpha.dispose();
  });

  it('switches to δ and Vₑ by hand from the fitted values, so nothing moves until a slider does', async () => {
    const { alpha, calls, frame } = await setup();
    await frame();
    const { fitted, report } = alpha.result!;
    alpha.setAutoCalibrate(false);
    expect([alpha.settings.delta, alpha.settings.ve]).toEqual([fitted.delta, fitted.ve]);
    await frame();
    expect(calls.pair).toBe(2);
    expect(alpha.result!.fitted.method).toBe('manual');
    expect(alpha.result!.report.trades).toEqual(report.trades);
    alpha.setAutoCalibrate(true);
    await frame();
    expect(alpha.result!.fitted.method).toBe('mle');
    // Moving δ while fitted switches to manual, Vₑ kept at its fitted value.
    expect(alpha.set('delta', '1e-6')).toBe('accepted');
    expect(alpha.settings).toMatchObject({ autoCalibrate: false, delta: 1e-6, ve: fitted.ve });
    await frame();
    expect(alpha.result!.fitted).toMatchObject({ method: 'manual', delta: 1e-6, ve: fitted.ve });
    alpha.dispose();
  });

  it('loads a pair picked from the scan, keeps it in its slot, and falls back when the bars lack it', async () => {
    const storage = new MemoryStorage();
    const { alpha, frame, writer } = await setup(storage);
    await frame();
    alpha.selectPair({ y: 'GS', x: 'MS' });
    await frame();
    expect(alpha.result!.request.pair).toEqual({ y: 'GS', x: 'MS' });
    expect(alpha.result!.truth).toEqual({ kind: 'constant', beta: new Float64Array(demo.bars.timestamps.length).fill(4.6) });
    alpha.selectPair({ y: 'JPM', x: 'BAC' });
    await frame();
    expect(alpha.result!.truth).toBeNull();
    writer.flush();
    expect(JSON.parse(storage.getItem(ALPHA_SLOT.key)!).pair).toEqual({ y: 'JPM', x: 'BAC' });
    alpha.dispose();

    storage.setItem(ALPHA_SLOT.key, JSON.stringify({ ...JSON.parse(storage.getItem(ALPHA_SLOT.key)!), pair: { y: 'AAPL', x: 'MSFT' } }));
    const again = await setup(storage);
    expect(again.alpha.pair).toEqual({ y: 'JPM', x: 'C' });
    expect(again.alpha.missingPair).toEqual({ y: 'AAPL', x: 'MSFT' });
    again.alpha.dispose();
  });
});

describe('the replay', () => {
  it('feeds the last session bar by bar at the chosen speed, bit for bit the batch run, and pauses', async () => {
    const { alpha, frame, play } = await setup();
    await frame();
    const r = alpha.result!;
    const series = r.report.series!;
    const replay = alpha.replay;
    await replay.open();
    const span = replay.span!;
    expect(span).toEqual(replay.sessions.at(-1));
    expect(replay.end).toBe(span.from);
    // The history is the batch's.
    const b = replay.buffers!;
    expect(b.beta.subarray(0, span.from)).toEqual(series.beta.subarray(0, span.from));
    expect(b.equityNet.subarray(0, span.from)).toEqual(r.report.afterCosts.equity!.subarray(0, span.from));
    expect(alpha.view?.source).toBe(b);
    expect(alpha.view?.end).toBe(span.from);

    alpha.setSpeed(1000); // 60 ms a bar
    await tick();
    await replay.play();
    expect(replay.playing).toBe(true);
    await play(600); // the first frame only starts the clock: 550 ms counted → 9 bars
    expect(replay.end).toBe(span.from + 9);
    expect(alpha.view?.end).toBe(span.from + 9);
    replay.pause();
    await play(600);
    expect(replay.end).toBe(span.from + 9);

    // Step to the session's end: every bar equals the batch's, and so do the session's trades.
    while (!replay.finished) replay.step();
    expect(replay.end).toBe(span.to);
    expect(b.z.subarray(span.from, span.to)).toEqual(series.z.subarray(span.from, span.to));
    expect(b.equity.subarray(span.from, span.to)).toEqual(r.report.beforeCosts.equity!.subarray(span.from, span.to));
    // The live feed has no timestamps: its trades carry bars only.
    const inSession = r.report.trades.filter((t) => t.exitBar >= span.from && t.exitBar < span.to).map(({ entryTime: _e, exitTime: _x, ...t }) => t);
    expect(inSession.length).toBeGreaterThan(0);
    expect(replay.trades).toEqual(inSession);
    expect(replay.last?.signal).toBe(0); // flat at the session's end
    replay.close();
    expect(alpha.view?.source).toBe(r);
    alpha.dispose();
  });

  it('opens no new trade from the bar the risk status turns HALTED, and says how many it refused', async () => {
    const { alpha, risk, frame } = await setup();
    alpha.set('entry', '1');
    await frame();
    const replay = alpha.replay;
    await replay.open();
    const span = replay.span!;
    for (let i = 0; i < 100; i++) replay.step();
    const tradesBefore = replay.trades.length;
    const openBefore = replay.last!.signal;
    risk.status = 'HALTED';
    await tick();
    while (!replay.finished) replay.step();
    // The rest of the session: no entry (an open position may still close), refused entries counted.
    const entries = replay.events.filter((e) => e.bar >= span.from + 100 && (e.kind === 'long' || e.kind === 'short'));
    expect(entries).toEqual([]);
    expect(replay.blocked).toBeGreaterThan(0);
    expect(replay.events.filter((e) => e.kind === 'blocked')).toHaveLength(replay.blocked);
    expect(replay.trades.length - tradesBefore).toBeLessThanOrEqual(openBefore === 0 ? 0 : 1);
    alpha.dispose();
  });

  it('rebuilds to the same bar with new parameters, keeping the halt each bar had', async () => {
    const { alpha, frame } = await setup();
    await frame();
    const replay = alpha.replay;
    await replay.open();
    for (let i = 0; i < 50; i++) replay.step();
    const end = replay.end;
    const buffers = replay.buffers;
    alpha.set('entry', '1.2');
    await frame();
    await new Promise((r) => setTimeout(r, 0));
    expect(replay.active).toBe(true);
    expect(replay.end).toBe(end);
    expect(replay.buffers).not.toBe(buffers);
    // Bit for bit the new batch run up to that bar.
    const series = alpha.result!.report.series!;
    expect(replay.buffers!.z.subarray(0, end)).toEqual(series.z.subarray(0, end));
    expect(replay.buffers!.equityNet.subarray(0, end)).toEqual(alpha.result!.report.afterCosts.equity!.subarray(0, end));
    // Another pair closes the replay.
    alpha.selectPair({ y: 'GS', x: 'MS' });
    await frame();
    expect(replay.active).toBe(false);
    alpha.dispose();
  });
});
