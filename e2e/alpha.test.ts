/**
 * The Alpha module in Chromium, on the embedded demo: it renders the JPM/C pair with the figures
 * `runPair` gives in Node; the real entry slider changes the trade count to the engine's count at
 * the new entry; the replay advances bar by bar and stops when paused; a scan row loads its pair;
 * and a risk limit below VaR (HALTED) leaves the backtest without trades and says so. Screenshots
 * of the module go to artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadKernels } from '../engine/node.ts';
import type { Kernels } from '../engine/kernels.ts';
import { runPair } from '../engine/pairs/run.ts';
import type { PairRunOptions } from '../engine/pairs/types.ts';
import { ROOT, watchPage, type PageWatch } from './harness.ts';
import { editCell, eventually, useApp, waitForResult } from './page-helpers.ts';

const fx = useApp();
let k: Kernels;

beforeAll(async () => {
  k = await loadKernels();
});

/** The pair run the page should show, computed here in Node on the same bars. */
function expected(options: Partial<PairRunOptions> & { y: string; x: string }) {
  return runPair(k, fx.demo.bars, options);
}

async function open(): Promise<{ page: Page; watch: PageWatch; close: () => Promise<void> }> {
  const context = await fx.browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${fx.served.url}#alpha`);
  await waitForResult(page);
  await page.getByTestId('alpha-done').waitFor({ timeout: 30_000 });
  return { page, watch, close: () => context.close() };
}

/** The exact figure behind an element (`data-value`). */
async function value(page: Page, testid: string): Promise<number> {
  return Number(await page.getByTestId(testid).getAttribute('data-value'));
}

describe('the Alpha module', () => {
  it('renders the demo pair with runPair’s figures, its four charts, the calibration and the scan', async () => {
    const want = expected({ y: 'JPM', x: 'C' });
    const { page, watch, close } = await open();
    try {
      expect(await page.getByTestId('alpha-done').innerText()).toContain('JPM / C');
      expect(await value(page, 'alpha-trades')).toBe(want.report.roundTrips);
      expect(await value(page, 'alpha-sharpe')).toBe(want.report.afterCosts.sharpe);
      expect(Number(await page.getByTestId('alpha-sharpe').getAttribute('data-se'))).toBe(want.report.afterCosts.sharpeSe);
      // Never a bare Sharpe: its standard error beside it.
      expect(await page.getByTestId('alpha-sharpe').innerText()).toMatch(/±/);
      expect(await value(page, 'alpha-delta')).toBe(want.fitted.delta);
      expect(await value(page, 'alpha-ve')).toBe(want.fitted.ve);
      expect(await value(page, 'alpha-loglik')).toBe(want.fitted.logLik);
      for (const chart of ['alpha-prices', 'alpha-beta', 'alpha-z', 'alpha-equity']) {
        await page.getByTestId(chart).locator('canvas').first().waitFor();
      }
      // The range line of the charts: minute bars from the end of the calibration window.
      const from = want.fitted.window.to;
      const ts = fx.demo.bars.timestamps;
      await eventually(() => page.getByTestId('alpha-z-range').getAttribute('data-from')).toBe(`${ts[from].slice(0, 10)} ${ts[from].slice(11, 16)}`);
      // The demo's true β is drawn beside the filter's (its note would say otherwise).
      expect(await page.getByTestId('alpha-beta').locator('xpath=..').innerText()).not.toContain('no true β');
      // The scan: every pair of the ten banks, the loaded pair marked.
      await eventually(() => page.getByTestId('scan-row').count()).toBe(45);
      expect(await page.locator('[data-testid="scan-row"][aria-current="true"]').getAttribute('data-pair')).toBe('JPM/C');
      mkdirSync(`${ROOT}artifacts`, { recursive: true });
      await page.getByTestId('alpha-panel').screenshot({ path: `${ROOT}artifacts/alpha-1400-dark.png` });
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('refuses a bad value typed into an input, naming it, and keeps the figures', async () => {
    const { page, watch, close } = await open();
    try {
      const trades = await value(page, 'alpha-trades');
      await editCell(page, 'alpha-exit-input', '3');
      await eventually(() => page.getByTestId('alpha-input-error').innerText()).toBe('exit must be below the entry 2, got 3');
      await page.getByTestId('alpha-exit-input').press('Escape');
      await editCell(page, 'alpha-entry-input', 'wide');
      await eventually(() => page.getByTestId('alpha-input-error').innerText()).toBe('entry must be a number, got "wide"');
      await page.getByTestId('alpha-entry-input').press('Escape');
      // Nothing was changed: the same run, the same trades.
      expect(await value(page, 'alpha-trades')).toBe(trades);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('changes the trade count with the real entry slider, to the engine’s count at the new entry', async () => {
    const { page, watch, close } = await open();
    try {
      const before = await value(page, 'alpha-trades');
      const slider = page.getByTestId('alpha-entry-slider');
      await slider.focus();
      for (let i = 0; i < 10; i++) await slider.press('ArrowLeft'); // 0.05 a step: 2 → 1.5
      expect(await slider.inputValue()).toBe('1.5');
      const want = expected({ y: 'JPM', x: 'C', entry: 1.5 });
      await eventually(() => value(page, 'alpha-trades')).toBe(want.report.roundTrips);
      expect(want.report.roundTrips).not.toBe(before);
      expect(await page.getByTestId('alpha-entry-input').inputValue()).toBe('1.5');
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('replays the last session bar by bar through the live feed, and pauses', async () => {
    const { page, watch, close } = await open();
    try {
      const speed = page.getByTestId('alpha-replay-speed-slider');
      await speed.focus();
      await speed.press('End');
      expect(await page.getByTestId('alpha-replay-speed').innerText()).toBe('1,000×');
      await page.getByTestId('alpha-replay-play').click();
      const bar = page.getByTestId('alpha-replay-bar');
      await bar.waitFor();
      // 1000×: about 17 bars a second.
      await eventually(async () => Number(await bar.getAttribute('data-value'))).toBeGreaterThan(5);
      const first = Number(await bar.getAttribute('data-value'));
      await eventually(async () => Number(await bar.getAttribute('data-value'))).toBeGreaterThan(first);
      await page.getByTestId('alpha-replay-play').click(); // pause
      await eventually(() => bar.getAttribute('data-playing')).toBe('false');
      const paused = Number(await bar.getAttribute('data-value'));
      await page.waitForTimeout(600);
      expect(Number(await bar.getAttribute('data-value'))).toBe(paused);
      // One step delivers one bar; the charts show the feed up to it.
      await page.getByTestId('alpha-replay-step').click();
      await eventually(async () => Number(await bar.getAttribute('data-value'))).toBe(paused + 1);
      const last = fx.demo.bars.timestamps.length;
      const sessionStart = last - 390;
      const shown = fx.demo.bars.timestamps[sessionStart + paused];
      await eventually(() => page.getByTestId('alpha-z-range').getAttribute('data-to')).toBe(`${shown.slice(0, 10)} ${shown.slice(11, 16)}`);
      // Back to the backtest: every bar again.
      await page.getByTestId('alpha-replay-close').click();
      const end = fx.demo.bars.timestamps[last - 1];
      await eventually(() => page.getByTestId('alpha-z-range').getAttribute('data-to')).toBe(`${end.slice(0, 10)} ${end.slice(11, 16)}`);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('loads a pair clicked in the scan', async () => {
    const { page, watch, close } = await open();
    try {
      const want = expected({ y: 'GS', x: 'MS' });
      await page.locator('[data-testid="scan-row"][data-pair="GS/MS"]').waitFor({ timeout: 30_000 });
      // A click on the row, away from the pair's name: its button covers the row.
      await page.locator('[data-testid="scan-row"][data-pair="GS/MS"]').click({ position: { x: 400, y: 8 } });
      await eventually(() => page.getByTestId('alpha-done').innerText()).toContain('GS / MS');
      expect(await value(page, 'alpha-trades')).toBe(want.report.roundTrips);
      expect(await value(page, 'alpha-delta')).toBe(want.fitted.delta);
      expect(await page.getByTestId('alpha-y').inputValue()).toBe('GS');
      expect(await page.getByTestId('alpha-x').inputValue()).toBe('MS');
      expect(await page.locator('[data-testid="scan-row"][aria-current="true"]').getAttribute('data-pair')).toBe('GS/MS');
      // Kept with the module's inputs.
      await page.reload();
      await waitForResult(page);
      await eventually(() => page.getByTestId('alpha-done').innerText()).toContain('GS / MS');
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('opens no trade while the risk status is HALTED, and says so in the trade list and the replay', async () => {
    const { page, watch, close } = await open();
    try {
      expect(await value(page, 'alpha-trades')).toBeGreaterThan(0);
      await editCell(page, 'risk-limit-input', '100000');
      await page.getByTestId('risk-halted').waitFor({ timeout: 30_000 });
      const halted = expected({ y: 'JPM', x: 'C', halted: true });
      await eventually(() => value(page, 'alpha-trades')).toBe(0);
      await page.getByTestId('alpha-halted').waitFor();
      expect(await page.getByTestId('alpha-trade-list-halted').innerText()).toContain(`${halted.report.blockedEntries.toLocaleString('en-US')} entries refused`);
      await page.getByTestId('alpha-replay-step').click(); // opens the session
      await page.getByTestId('alpha-replay-bar').waitFor();
      await page.getByTestId('alpha-replay-halted').waitFor();
      expect(await page.getByTestId('alpha-replay-halted').innerText()).toContain('opens no new trades');
      await page.getByTestId('alpha-panel').screenshot({ path: `${ROOT}artifacts/alpha-halted-dark.png` });
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });
});
