/**
 * The Inventory module in Chromium, on the embedded demo: the optimum it shows is the engine's
 * (the same pool task run here in Node with the same inputs); moving the real gross slider
 * re-solves, changes the weights and moves the frontier's optimum marker; an infeasible setting
 * shows the engine's conflict and no weights; "Apply to book" changes the book and Undo restores
 * it; a proposal above the risk limit is flagged and a HALTED status is named beside the rebalance.
 * The change → paint times the panel measures are printed (no assertion: the machine is shared).
 */
import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadKernels } from '../engine/node.ts';
import type { Kernels } from '../engine/kernels.ts';
import { summarizeBook } from '../engine/book/book.ts';
import { inventoryPrepare, inventoryStep, type InventoryMarket, type InventoryStep } from '../engine/pool/tasks/inventory.ts';
import { currentWeights, frontierSpec, inventoryProblem } from '../web/lib/inventory-problem.ts';
import { defaultInventorySettings, type InventorySettings } from '../web/lib/inventory-settings.ts';
import { PAINT_MEASURE } from '../web/state/inventory.svelte.ts';
import { ROOT, watchPage } from './harness.ts';
import { editCell, eventually, kpi, useApp, waitForResult } from './page-helpers.ts';

const fx = useApp();
let k: Kernels;
let market: InventoryMarket;

beforeAll(async () => {
  k = await loadKernels();
  market = inventoryPrepare(k, { prices: fx.demo.prices, lookback: 730 });
});

/** The step the page should show for `settings` on the demo book, computed here in Node. */
function expected(settings: Partial<InventorySettings> = {}): InventoryStep {
  const s = { ...defaultInventorySettings(), ...settings };
  const book = { positions: fx.demo.book, equity: fx.demo.equity };
  const carry = { rfr: fx.demo.rfr, longSpreadBps: 50, shortSpreadBps: 25, borrowBps: 40, borrowOverrides: {} };
  return inventoryStep(k, {
    problem: inventoryProblem(market, s, book, s.carry ? carry : null),
    frontier: frontierSpec(s),
    covDaily: market.covDaily,
    meanDaily: market.meanDaily,
    lastPrices: market.lastPrices,
    current: currentWeights(market.tickers, book),
    book: [...fx.demo.book],
    equity: fx.demo.equity,
    carry,
    limit: 150_000,
  });
}

async function open(width = 1400) {
  const context = await fx.browser.newContext({ viewport: { width, height: 1000 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(fx.served.url);
  await waitForResult(page);
  await page.getByTestId('inventory-done').waitFor({ timeout: 30_000 });
  return { page, watch, close: () => context.close() };
}

const num = async (page: Page, testid: string, attr = 'data-value') => Number(await page.getByTestId(testid).getAttribute(attr));

/** Equal to 12 significant digits: the same code and the same IEEE arithmetic in both hosts. */
function expectSame(got: number, want: number, what: string): void {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(Math.abs(want) * 1e-12 + 1e-15);
}

/** The optimum's weights as the bars carry them, in universe order. */
async function optimalWeights(page: Page): Promise<number[]> {
  return Promise.all(market.tickers.map((t) => num(page, `inv-weight-${t}`, 'data-optimal')));
}

describe('the Inventory module', () => {
  it('renders the optimum of the defaults (signed, gross 2×, net 0) as the engine computes it', async () => {
    const want = expected();
    expect(want.result.status).toBe('optimal');
    const { page, watch, close } = await open();
    try {
      expect(await page.getByTestId('inventory-status').innerText()).toBe('optimal');
      expectSame(await num(page, 'inv-kpi-vol'), want.result.volAnnual, 'volatility');
      expectSame(await num(page, 'inv-kpi-gross'), want.result.gross, 'gross');
      expect(await page.getByTestId('inv-kpi-gross').innerText()).toBe('2.00× of 2.00×');
      (await optimalWeights(page)).forEach((w, i) => expectSame(w, want.result.weights![i], `weight of ${market.tickers[i]}`));
      expect(await page.getByTestId('inventory-binding').innerText()).toContain('gross held at the limit 2×');
      expect(await page.getByTestId('inventory-binding').innerText()).toContain('net held at its target 0%');
      // The frontier across gross, both markers, the comparison and the rebalance.
      expect(await num(page, 'inventory-frontier', 'data-points')).toBe(21);
      expect(await num(page, 'frontier-optimum', 'data-x')).toBeCloseTo(2, 12);
      expect(await page.getByTestId('frontier-current').count()).toBe(1);
      const rows = want.comparison!.ok ? want.comparison!.value : [];
      for (const row of rows) expectSame(await num(page, `compare-${row.name}-var`), row.var10d99, `${row.name} VaR`);
      const rb = want.rebalance!.ok ? want.rebalance!.value : null;
      for (const t of rb!.trades) expect(await num(page, `trade-${t.ticker}`, 'data-shares')).toBe(t.shares);
      expectSame(await num(page, 'inventory-funding-change'), rb!.fundingDailyChange, 'funding change');
      expect(await page.getByTestId('inventory-breach').count()).toBe(rb!.breachesLimit ? 1 : 0);
      mkdirSync(`${ROOT}artifacts`, { recursive: true });
      await page.getByTestId('inventory-panel').screenshot({ path: `${ROOT}artifacts/inventory-1400-dark.png` });
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('re-solves on every move of the real gross slider: the weights change and the frontier marker moves', async () => {
    const { page, watch, close } = await open();
    try {
      const before = await optimalWeights(page);
      const cx = await num(page, 'frontier-optimum', 'data-cx');
      await page.evaluate(() => performance.clearMeasures());
      const slider = page.getByTestId('inv-gross-slider');
      await slider.focus();
      for (let i = 0; i < 10; i++) await slider.press('ArrowRight'); // 0.05× a step
      expect(await slider.inputValue()).toBe('2.5');
      const want = expected({ gross: 2.5 });
      await eventually(() => num(page, 'frontier-optimum', 'data-x')).toBeCloseTo(2.5, 12);
      const after = await optimalWeights(page);
      after.forEach((w, i) => expectSame(w, want.result.weights![i], `weight of ${market.tickers[i]} at 2.5×`));
      expect(after).not.toEqual(before);
      expect(await num(page, 'frontier-optimum', 'data-cx')).toBeGreaterThan(cx); // further right on the gross axis
      expect(await page.getByTestId('inv-gross-input').inputValue()).toBe('2.5');

      // Change → paint, as the panel measured it for each step of the drag.
      const times = await page.evaluate((name) => performance.getEntriesByName(name).map((e) => e.duration), PAINT_MEASURE);
      const sorted = [...times].sort((a, b) => a - b);
      console.log(`inventory: change → paint over ${times.length} slider steps: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms (${times.map((t) => t.toFixed(1)).join(', ')})`);
      expect(times.length).toBeGreaterThan(0);

      // Frames from an input to the frame that shows its answer: at each animation frame (before
      // its paint) look whether the panel holds the answer to a change made after the input.
      const frames = await page.evaluate(async () => {
        const input = document.querySelector<HTMLInputElement>('[data-testid="inv-gross-slider"]')!;
        const done = () => Number(document.querySelector('[data-testid="inventory-done"]')!.getAttribute('data-changed-at'));
        const elapsed = () => Number(document.querySelector('[data-testid="inventory-elapsed"]')!.getAttribute('data-value'));
        const out: { frames: number; ms: number; answerMs: number }[] = [];
        for (let i = 0; i < 20; i++) {
          await new Promise((r) => setTimeout(r, 80));
          const t0 = performance.now();
          input.value = String(1.5 + (i % 10) * 0.1);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          out.push(await new Promise<{ frames: number; ms: number; answerMs: number }>((resolve) => {
            let n = 0;
            const check = () => {
              n++;
              if (done() >= t0) resolve({ frames: n, ms: performance.now() - t0, answerMs: elapsed() });
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          }));
        }
        return out;
      });
      const counts = new Map<number, number>();
      for (const f of frames) counts.set(f.frames, (counts.get(f.frames) ?? 0) + 1);
      const ms = frames.map((f) => f.ms).sort((a, b) => a - b);
      const answer = frames.map((f) => f.answerMs).sort((a, b) => a - b);
      console.log(
        `inventory: 20 slider inputs: change → answer in the page median ${answer[10].toFixed(1)} ms (max ${answer[19].toFixed(1)}); ` +
          `frames until the frame that shows it: ${[...counts].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n} frame${n === 1 ? '' : 's'} ×${c}`).join(', ')}; ` +
          `input → that frame median ${ms[10].toFixed(1)} ms, max ${ms[19].toFixed(1)} ms`,
      );
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the conflict of an infeasible setting and no weights, then solves again when it is lifted', async () => {
    const { page, watch, close } = await open();
    try {
      await page.getByTestId('inv-bounds').locator('summary').click();
      await editCell(page, 'bound-AAPL-lower', '300');
      const conflict = page.getByTestId('inventory-conflict');
      await conflict.waitFor();
      const want = expected({ bounds: { AAPL: { lower: 3, upper: null } } });
      expect(want.result.status).toBe('infeasible');
      expect(await conflict.innerText()).toContain(want.result.conflict!);
      expect(await page.getByTestId('inventory-status').innerText()).toBe('infeasible');
      // No weights are shown as if current: no optimum bars, no marker, nothing to apply.
      for (const t of market.tickers) expect(await page.getByTestId(`inv-weight-${t}`).getAttribute('data-optimal')).toBe('');
      expect(await page.getByTestId('frontier-optimum').count()).toBe(0);
      expect(await page.getByTestId('inv-kpi-vol').innerText()).toBe('—');
      expect(await page.getByTestId('inventory-apply').count()).toBe(0);
      // A refused bound names its ticker; Escape restores.
      await editCell(page, 'bound-GS-upper', 'lots');
      expect(await page.getByTestId('inventory-input-error').innerText()).toBe('upper bound of GS must be a number, got "lots"');
      expect(await page.getByTestId('bound-GS-upper').getAttribute('aria-invalid')).toBe('true');
      await page.getByTestId('bound-GS-upper').press('Escape');
      await editCell(page, 'bound-AAPL-lower', '');
      await eventually(() => page.getByTestId('inventory-status').innerText()).toBe('optimal');
      expect(await page.getByTestId('inventory-conflict').count()).toBe(0);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('keeps its inputs across a reload and shows the same optimum for them', async () => {
    const { page, watch, close } = await open();
    try {
      await page.getByTestId('inv-bounds').locator('summary').click();
      await editCell(page, 'bound-AAPL-upper', '10');
      const want = expected({ bounds: { AAPL: { lower: null, upper: 0.1 } } });
      expect(want.result.status).toBe('optimal');
      const aapl = market.tickers.indexOf('AAPL');
      await eventually(async () => (await optimalWeights(page))[aapl]).toBeCloseTo(want.result.weights![aapl], 12);
      await page.reload();
      await waitForResult(page);
      await page.getByTestId('inventory-done').waitFor({ timeout: 30_000 });
      await page.getByTestId('inv-bounds').locator('summary').click();
      expect(Number.parseFloat(await page.getByTestId('bound-AAPL-upper').inputValue())).toBe(10);
      await eventually(() => page.getByTestId('inventory-status').innerText()).toBe('optimal');
      const got = await optimalWeights(page);
      for (const [i, t] of market.tickers.entries()) expectSame(got[i], want.result.weights![i], `weight of ${t} after the reload`);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('applies the rebalance to the book, and Undo restores the book', async () => {
    const { page, watch, close } = await open();
    try {
      const grossBefore = (await kpi(page, 'gross')).value;
      const want = expected();
      const rb = want.rebalance!.ok ? want.rebalance!.value : null;
      await page.getByTestId('inventory-apply').click();
      const target = rb!.target.filter((p) => p.shares !== 0);
      await eventually(async () => (await kpi(page, 'gross')).value).toBe(summarizeBook(target, fx.demo.equity).gross);
      for (const p of target) expect(await page.getByTestId(`shares-${p.ticker}`).inputValue()).toBe(p.shares.toLocaleString('en-US'));
      // The book now holds the optimum: the next rebalance has nothing to trade.
      await eventually(() => page.getByTestId('inventory-apply').isDisabled()).toBe(true);
      await page.getByTestId('undo-toast').waitFor();
      expect(await page.getByTestId('undo-toast').innerText()).toContain('Optimum applied to the book');
      await page.getByTestId('toast-undo').click();
      await eventually(async () => (await kpi(page, 'gross')).value).toBe(grossBefore);
      for (const p of fx.demo.book) expect(await page.getByTestId(`shares-${p.ticker}`).inputValue()).toBe(p.shares.toLocaleString('en-US'));
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('flags a proposal above the risk limit and names the HALTED status beside the rebalance', async () => {
    const { page, watch, close } = await open();
    try {
      const rb = expected().rebalance;
      const targetVar = rb!.ok ? rb!.value.targetVar : NaN;
      expect(targetVar).toBeGreaterThan(100_000);
      await editCell(page, 'risk-limit-input', '100,000');
      const breach = page.getByTestId('inventory-breach');
      await breach.waitFor();
      expect(await breach.getAttribute('role')).toBe('alert');
      expect(await breach.innerText()).toContain('Above the risk limit');
      expect(await breach.innerText()).toContain('over the limit USD 100,000');
      await page.getByTestId('inventory-halted').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('inventory-halted').innerText()).toContain('Risk status HALTED');
      const style = await breach.evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
      expect(style).toEqual({ bg: 'rgb(179, 38, 30)', fg: 'rgb(255, 255, 255)' });
      await page.getByTestId('inventory-rebalance').screenshot({ path: `${ROOT}artifacts/inventory-breach-dark.png` });
      await editCell(page, 'risk-limit-input', '150,000');
      await eventually(() => page.getByTestId('inventory-breach').count()).toBe(0);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('fits a phone: no page overflow at 390 px', async () => {
    const { page, close } = await open(390);
    try {
      await page.getByTestId('inventory-panel').scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(390);
      await page.getByTestId('inventory-panel').screenshot({ path: `${ROOT}artifacts/inventory-390-dark.png` });
    } finally {
      await close();
    }
  });
});
