/**
 * The Risk module in Chromium, on the embedded demo: the figures of the three methods, the
 * backtest and the stress table equal `computeRisk` run here in Node with the same inputs (the
 * seed is fixed, so the Monte Carlo paths are the same); the real confidence slider moves VaR; a
 * limit below VaR halts; a 10⁶-path run shows progress, leaves the page responsive and can be
 * cancelled; bad inputs are named and the last result is kept. Screenshots of the module in both
 * themes go to artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { loadKernels } from '../engine/node.ts';
import type { Kernels } from '../engine/kernels.ts';
import { summarizeBook } from '../engine/book/book.ts';
import { computeRisk, type RiskReport } from '../engine/risk/var.ts';
import type { Position } from '../engine/types.ts';
import { defaultRiskSettings, riskInputs, type RiskSettings } from '../web/lib/risk-settings.ts';
import { fmt } from '../web/lib/format.ts';
import { ROOT, watchPage, type PageWatch } from './harness.ts';
import { editCell, eventually, kpi, useApp, waitForResult } from './page-helpers.ts';

const fx = useApp();
let k: Kernels;

beforeAll(async () => {
  k = await loadKernels();
});

/** The report the page should show for `book` and `settings`, computed here in Node. */
function expected(settings: Partial<RiskSettings> = {}, book: readonly Position[] = fx.demo.book): RiskReport {
  return computeRisk(k, riskInputs({ positions: book, equity: fx.demo.equity }, fx.demo.prices, { ...defaultRiskSettings(), ...settings }));
}

async function open(options: BrowserContextOptions = {}): Promise<{ page: Page; watch: PageWatch; close: () => Promise<void> }> {
  const context = await fx.browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'dark', ...options });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(fx.served.url);
  await waitForResult(page);
  await waitForRisk(page);
  return { page, watch, close: () => context.close() };
}

/** Wait until the risk module shows a finished run (not pending). */
async function waitForRisk(page: Page): Promise<void> {
  await page.getByTestId('risk-done').waitFor({ timeout: 30_000 });
}

/** The exact figure behind a cell (`data-value`). */
async function value(page: Page, testid: string): Promise<number> {
  return Number(await page.getByTestId(testid).getAttribute('data-value'));
}

/** Equal to 12 significant digits: the same wasm and the same IEEE arithmetic in both hosts. */
function expectSame(got: number, want: number, what: string): void {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(Math.abs(want) * 1e-12);
}

describe('the Risk module', () => {
  it('shows the three methods, the backtest and the stress table with the figures computeRisk gives in Node', async () => {
    const report = expected();
    const { page, watch, close } = await open();
    try {
      for (const [id, m] of [['mc', report.mc], ['parametric', report.parametric], ['historical', report.historical]] as const) {
        expectSame(await value(page, `var-${id}`), m.var, `${id} VaR`);
        expectSame(await value(page, `es-${id}`), m.es, `${id} ES`);
        expectSame(await value(page, `varpct-${id}`), m.varPct, `${id} VaR %`);
        expect(await page.getByTestId(`var-${id}`).innerText()).toBe(fmt.money(m.var));
        expect(await page.getByTestId(`es-${id}`).innerText()).toBe(fmt.money(m.es));
        expect(await page.getByTestId(`varpct-${id}`).innerText()).toBe(fmt.pct(m.varPct / 100));
      }
      // Stand-alone figures carry the currency code.
      expect(await page.getByTestId('risk-var').innerText()).toBe(fmt.moneyCode(report.mc.var));
      expect(await page.getByTestId('risk-status').innerText()).toBe(report.status);
      expect(report.status).toBe('OK');
      expect(await page.getByTestId('risk-halted').count()).toBe(0);

      // Contributions: one bar per position, the Monte Carlo Euler figures.
      for (const t of report.tickers) expectSame(await value(page, `contribution-${t}`), report.contributions[t].var, `contribution of ${t}`);

      // The backtest: its chart is drawn, its counts and zone are the engine's.
      const bt = report.backtest!;
      await page.getByTestId('backtest-chart').locator('canvas').first().waitFor();
      expect(await value(page, 'backtest-exceptions')).toBe(bt.exceptions);
      expect(await page.getByTestId('traffic-light').getAttribute('data-zone')).toBe(bt.zone);
      expect(await page.getByTestId('backtest-zone').innerText()).toContain(`${bt.zoneExceptions} exception`);

      // The stress table: the worst windows, then the default shocks (every position ∓10%).
      const cells = page.getByTestId('stress-table').locator('tbody td.num[data-value]');
      const stress = report.stress!;
      expect(await cells.count()).toBe(stress.length);
      for (let i = 0; i < stress.length; i++) expectSame(Number(await cells.nth(i).getAttribute('data-value')), stress[i].pnl, stress[i].name);
      expect(await page.getByTestId('stress-table').innerText()).toContain(`${stress[0].dates![0]} … ${stress[0].dates![1]}`);

      // The histogram is drawn with its VaR band.
      await expect(page.getByTestId('risk-histogram').locator('rect').count()).resolves.toBeGreaterThan(20);
      expect(await page.getByTestId('risk-var-band').count()).toBe(1);
      const problems = watch.problems.filter((p) => !p.text.includes('willReadFrequently'));
      expect(problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('moves VaR with the real confidence slider: 99% → 95% lowers it to the engine’s 95% figure', async () => {
    const at95 = expected({ confidence: 0.95 });
    const { page, close } = await open();
    try {
      const before = await value(page, 'risk-var');
      const slider = page.getByTestId('risk-confidence-slider');
      await slider.focus();
      for (let i = 0; i < 40; i++) await slider.press('ArrowLeft'); // 0.1% a step
      expect(await slider.inputValue()).toBe('95');
      await eventually(() => value(page, 'risk-var')).toBeLessThan(before);
      await eventually(() => page.getByTestId('risk-done').innerText()).toContain('· 95% ·');
      expectSame(await value(page, 'risk-var'), at95.mc.var, '95% VaR');
      expectSame(await value(page, 'var-parametric'), at95.parametric.var, '95% parametric VaR');
      expect(await page.getByTestId('risk-confidence-input').inputValue()).toBe('95');
      // The limit stays on the 10-day 99% VaR, from the same paths.
      expect(await page.getByTestId('risk-status').innerText()).toBe(at95.status);
    } finally {
      await close();
    }
  });

  it('halts when the limit is edited below VaR: an alert banner, unmistakable in both themes', async () => {
    const { page, watch, close } = await open();
    try {
      const var99 = await value(page, 'risk-var');
      await editCell(page, 'risk-limit-input', '100,000');
      const banner = page.getByTestId('risk-halted');
      await banner.waitFor();
      expect(await banner.getAttribute('role')).toBe('alert');
      expect(await banner.innerText()).toContain('HALTED');
      expect(await banner.innerText()).toContain(`VaR ${fmt.moneyCode(var99)} is above the limit USD 100,000: no new trades`);
      expect(await page.getByTestId('risk-status').innerText()).toBe('HALTED');
      for (const theme of ['dark', 'light'] as const) {
        if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme) {
          await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
        }
        const style = await banner.evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
        expect(style, theme).toEqual({ bg: 'rgb(179, 38, 30)', fg: 'rgb(255, 255, 255)' }); // white on red, 6.5:1
        // It stays in view (sticky) with the page scrolled down to the Risk panel.
        await page.getByTestId('risk-panel').scrollIntoViewIfNeeded();
        expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
        const box = (await banner.boundingBox())!;
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThan(200);
        mkdirSync(`${ROOT}artifacts`, { recursive: true });
        await page.screenshot({ path: `${ROOT}artifacts/risk-halted-${theme}.png` });
      }
      // The limit is kept with the module's other inputs.
      await page.reload();
      await waitForResult(page);
      await page.getByTestId('risk-halted').waitFor();
      expect(await page.getByTestId('risk-limit-input').inputValue()).toBe('100,000');
      await editCell(page, 'risk-limit-input', '150000');
      await eventually(() => page.getByTestId('risk-halted').count()).toBe(0);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('runs 10⁶ paths with progress while the page stays responsive, and cancels, keeping the last result', async () => {
    const { page, watch, close } = await open();
    try {
      // A longer run: the report at 20 days and 95%, and the limit's own 10-day 99% run.
      await editCell(page, 'risk-horizon-input', '20');
      await editCell(page, 'risk-confidence-input', '95');
      await eventually(() => page.getByTestId('risk-done').innerText()).toContain('20 days · 95%');
      const last = await value(page, 'risk-var');

      // Watch the frames while it runs: the main thread must keep painting.
      await page.evaluate(() => {
        const w = window as unknown as { frameGaps: number[] };
        w.frameGaps = [];
        let prev = performance.now();
        const loop = (t: number) => {
          w.frameGaps.push(t - prev);
          prev = t;
          if (w.frameGaps.length < 100_000) requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
      });
      await editCell(page, 'risk-paths-input', '1,000,000');
      await page.getByTestId('risk-progress').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('risk-run').innerText()).toContain('of 1,000,000 paths');

      // Typing in a book cell still updates the KPIs while it runs (and restarts the run for the new book).
      const edited = fx.demo.book.map((p) => (p.ticker === 'AAPL' ? { ...p, shares: 2000 } : p));
      await editCell(page, 'shares-AAPL', '2000');
      await eventually(async () => (await kpi(page, 'gross')).value).toBe(summarizeBook(edited, fx.demo.equity).gross);
      await page.getByTestId('risk-progress').waitFor();
      const progress = Number(await page.getByTestId('risk-progress').getAttribute('value'));
      expect(progress).toBeGreaterThanOrEqual(0);
      expect(progress).toBeLessThan(1);

      await page.getByTestId('risk-cancel').click();
      await page.getByTestId('risk-rerun').waitFor();
      expect(await page.getByTestId('risk-run').innerText()).toContain('Cancelled');
      expect(await page.getByTestId('risk-progress').count()).toBe(0);
      expect(await value(page, 'risk-var')).toBe(last); // the last finished run's figures stay
      const gaps = await page.evaluate(() => (window as unknown as { frameGaps: number[] }).frameGaps);
      const longest = Math.max(...gaps.slice(1));
      console.log(`10⁶-path run: ${gaps.length} frames, longest gap ${longest.toFixed(0)} ms`);
      expect(longest).toBeLessThan(500);
      // Cancelled means stopped: no progress comes back.
      await page.waitForTimeout(500);
      expect(await page.getByTestId('risk-progress').count()).toBe(0);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('names a bad input and keeps the last result and the book', async () => {
    const { page, watch, close } = await open();
    try {
      const last = await value(page, 'risk-var');
      // Inputs outside their rules: refused at the field, named with what was typed.
      for (const [cell, typed, message] of [
        ['risk-limit-input', '-5', 'risk limit must be an amount between 1 and 10,000,000,000,000, got -5'],
        ['risk-paths-input', '0', 'paths must be a whole number from 1,000 to 1,000,000, got 0'],
        ['risk-horizon-input', '0', 'horizon must be a whole number of trading days from 1 to 20, got 0'],
        ['risk-confidence-input', '100', 'confidence must be between 90% and 99.9%, got 100'],
      ] as const) {
        await editCell(page, cell, typed);
        await eventually(() => page.getByTestId('risk-input-error').innerText()).toBe(message);
        expect(await page.getByTestId(cell).getAttribute('aria-invalid')).toBe('true');
        await page.getByTestId(cell).press('Escape');
      }
      expect(await value(page, 'risk-var')).toBe(last);

      // A ticker of the book without prices: the engine's error names it; the figures and the book stay.
      await page.getByTestId('add-ticker').fill('ZZZZ');
      await page.getByTestId('add-shares').fill('100');
      await page.getByTestId('add-price').fill('50');
      await page.getByTestId('add-submit').click();
      const error = page.getByTestId('risk-error');
      await eventually(() => error.innerText()).toContain('Risk: the prices have no column "ZZZZ"');
      expect(await error.innerText()).toContain('The figures shown are the last good result');
      expect(await value(page, 'risk-var')).toBe(last);
      expect(await page.getByTestId('shares-ZZZZ').inputValue()).toBe('100');

      // An all-zero book: said so, and removing ZZZZ and restoring a share count brings the figures back.
      await page.getByRole('button', { name: 'Remove ZZZZ' }).click();
      for (const p of fx.demo.book) await editCell(page, `shares-${p.ticker}`, '0');
      await eventually(() => error.innerText()).toContain('Risk: the book holds no position (every share count is zero)');
      await editCell(page, 'shares-AAPL', '1500');
      const aaplOnly = expected({}, fx.demo.book.map((p) => ({ ...p, shares: p.ticker === 'AAPL' ? 1500 : 0 })));
      await eventually(() => value(page, 'risk-var')).toBeCloseTo(aaplOnly.mc.var, 6);
      expect(await error.count()).toBe(0);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('fits at 390 px and takes screenshots of the module in both themes', async () => {
    mkdirSync(`${ROOT}artifacts`, { recursive: true });
    for (const colorScheme of ['dark', 'light'] as const) {
      for (const width of [1280, 390]) {
        const { page, close } = await open({ viewport: { width, height: 900 }, colorScheme });
        try {
          await page.getByTestId('backtest-chart').locator('canvas').first().waitFor();
          await page.waitForTimeout(300); // the chart's first paint
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
          await page.getByTestId('risk-panel').screenshot({ path: `${ROOT}artifacts/risk-${width}-${colorScheme}.png` });
        } finally {
          await close();
        }
      }
    }
  });
});
