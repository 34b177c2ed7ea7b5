/**
 * End-to-end: the built app in Chromium (see chromium.ts), on the embedded demo. Expected figures are
 * computed here in Node with the same engine modules (wasm demo generator, book, funding) and
 * compared with what the page shows.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { summarizeBook } from '../engine/book/book.ts';
import { computeFunding } from '../engine/book/funding.ts';
import type { FundingReport } from '../engine/book/funding.ts';
import type { Position } from '../engine/types.ts';
import { ROOT, shownNumber, watchPage } from './harness.ts';
import type { PageWatch } from './harness.ts';
import { editCell, eventually, kpi, useApp, waitForResult } from './page-helpers.ts';

const fx = useApp();


/** Funding of `book` with the demo's defaults (RFR from ^IRX, 50/25/40 bp). */
function fundingOf(book: Position[]): FundingReport {
  return computeFunding(book, fx.demo.equity, { rfr: fx.demo.rfr, rfrSource: '^IRX' });
}

/** A fresh context (own localStorage) and a watched page. */
async function openApp(): Promise<{ context: BrowserContext; page: Page; watch: PageWatch; loadMs: number }> {
  // A dark system scheme: the theme follows the system unless chosen, and these tests start dark.
  const context = await fx.browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const watch = watchPage(page);
  const t0 = performance.now();
  await page.goto(fx.served.url);
  await waitForResult(page);
  return { context, page, watch, loadMs: performance.now() - t0 };
}



/** The shown text matches `expected` to the precision displayed (half a unit of the last digit). */
function expectShown(text: string, expected: number, decimals: number, scale = 1): void {
  expect(Math.abs(shownNumber(text) - expected * scale)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-9);
}


describe('ASTRA book & funding on the embedded demo', () => {
  it('loads with no errors in the page or the worker and labels the data source', async () => {
    const { context, page, watch, loadMs } = await openApp();
    try {
      await eventually(() => page.getByTestId('data-source').innerText()).toBe('demo data (synthetic)');
      await page.getByTestId('returns-chart').locator('canvas').first().waitFor();
      const appMs = await page.evaluate(() => window.__astra?.firstResultMs() ?? null);
      const worker = await page.evaluate(() => window.__astra?.workerTimings() ?? null);
      console.log(
        `load-to-first-result: ${loadMs.toFixed(0)} ms wall (goto → funding KPIs); ` +
          `app-reported ${appMs === null ? 'n/a' : appMs.toFixed(0)} ms from navigation start; ` +
          `worker: wasm ready ${worker?.readyMs.toFixed(0)} ms after worker start, fx.demo generated in ${worker?.generateMs.toFixed(0)} ms`,
      );
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      // One worker starts with the page; the pool adds more only while blocks wait (the Risk
      // module's Monte Carlo blocks, on a machine with more than two cores), never past its size.
      const poolSize = await page.evaluate(() => Math.min(8, Math.max(1, navigator.hardwareConcurrency - 1)));
      expect(watch.workers.length).toBeGreaterThanOrEqual(1);
      expect(watch.workers.length).toBeLessThanOrEqual(poolSize);
      // Give late errors (chart, worker) a moment to surface before asserting none.
      await page.waitForTimeout(300);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the engine’s book and funding figures in the KPI strip', async () => {
    const summary = summarizeBook(fx.demo.book, fx.demo.equity);
    const funding = fundingOf(fx.demo.book);
    // The fx.demo book stated in the issue.
    expect(Math.round(summary.gross)).toBe(1_851_204);
    expect(Math.round(summary.net)).toBe(-188_144);
    expect(fx.demo.rfr).toBeCloseTo(0.036, 12);

    const { context, page } = await openApp();
    try {
      const gross = await kpi(page, 'gross');
      const net = await kpi(page, 'net');
      expect(gross.text).toBe('USD 1.85M');
      expect(net.text).toBe('USD \u2212188K');
      expect(gross.full).toBe('USD 1,851,204');
      expect(net.full).toBe('USD \u2212188,144');
      expect(gross.value).toBe(summary.gross);
      expect(net.value).toBe(summary.net);

      const netPct = await kpi(page, 'net-pct');
      expectShown(netPct.text, summary.netOfGross, 2, 100);
      const leverage = await kpi(page, 'leverage');
      expectShown(leverage.text, summary.leverage, 2);
      expect(leverage.value).toBe(summary.leverage);

      const daily = await kpi(page, 'daily-carry');
      expectShown(daily.full, funding.totalDaily, 2);
      expect(daily.value).toBeCloseTo(funding.totalDaily, 9);
      const annual = await kpi(page, 'annual-carry');
      expectShown(annual.full, funding.totalAnnual, 0);
      expect(annual.text).toBe('USD \u22124.07K');
      const hurdle = await kpi(page, 'hurdle');
      expectShown(hurdle.text, funding.hurdleRate, 2, 100);

      // RFR default from the demo's ^IRX, and the per-position funding table.
      await eventually(() => page.getByTestId('rfr-input').inputValue()).toBe('3.60');
      for (const line of funding.positions) {
        expectShown(await page.getByTestId(`funding-daily-${line.ticker}`).innerText(), line.daily, 2);
        const rate = page.getByTestId(`funding-rate-${line.ticker}`);
        expect(Number(await rate.getAttribute('data-value'))).toBe(line.rate);
        expect(await rate.innerText()).toMatch(line.side === 'long' ? /^pays \d+\.\d\d%$/ : /^receives \d+\.\d\d%$/);
        expectShown((await rate.innerText()).replace(/^\w+ /, ''), line.rate, 2, 100);
      }
      expectShown(await page.getByTestId('funding-total-daily').innerText(), funding.totalDaily, 2);
    } finally {
      await context.close();
    }
  });

  it('edits a position, rejects bad input keeping the previous book, and survives a reload', async () => {
    const { context, page, watch } = await openApp();
    try {
      const edited = fx.demo.book.map((p) => (p.ticker === 'AAPL' ? { ...p, shares: 3000 } : p));
      const summary = summarizeBook(edited, fx.demo.equity);
      const funding = fundingOf(edited);
      const aapl = funding.positions.find((l) => l.ticker === 'AAPL')!;

      await editCell(page, 'shares-AAPL', '3000');
      await eventually(async () => (await kpi(page, 'gross')).value).toBe(summary.gross);
      expectShown((await kpi(page, 'net')).full, summary.net, 0);
      expectShown((await kpi(page, 'daily-carry')).full, funding.totalDaily, 2);
      expectShown(await page.getByTestId('funding-daily-AAPL').innerText(), aapl.daily, 2);
      expectShown(await page.getByTestId('notional-AAPL').innerText(), aapl.notional, 0);

      // Non-numeric shares: message names the field and the value; the book is unchanged.
      await editCell(page, 'shares-AAPL', 'abc');
      const error = page.getByTestId('book-error');
      await eventually(() => error.innerText()).toContain('shares of AAPL');
      expect(await error.innerText()).toContain('"abc"');
      // The typo stays in the cell, marked and described by the message; Escape restores the value.
      const sharesCell = page.getByTestId('shares-AAPL');
      expect(await sharesCell.inputValue()).toBe('abc');
      expect(await sharesCell.getAttribute('aria-invalid')).toBe('true');
      expect(await sharesCell.getAttribute('aria-describedby')).toBe('book-error');
      await sharesCell.press('Escape');
      expect(await sharesCell.inputValue()).toBe('3,000');
      expect(await sharesCell.getAttribute('aria-invalid')).toBe('false');
      expect((await kpi(page, 'gross')).value).toBe(summary.gross);

      // Zero price, unknown ticker without a price, duplicate ticker: each rejected and named.
      await editCell(page, 'price-MSFT', '0');
      await eventually(() => error.innerText()).toContain('price of MSFT must be between 0.0001 and 10,000,000, got 0');
      expect(await page.getByTestId('price-MSFT').inputValue()).toBe('0');
      await page.getByTestId('price-MSFT').press('Escape');
      expect(await page.getByTestId('price-MSFT').inputValue()).toBe('416.00');
      await page.getByTestId('add-ticker').fill('ZZZZ');
      await page.getByTestId('add-shares').fill('100');
      await page.getByTestId('add-submit').click();
      await eventually(() => error.innerText()).toContain('no price for ZZZZ');
      await page.getByTestId('add-ticker').fill('JPM');
      await page.getByTestId('add-shares').fill('100');
      await page.getByTestId('add-submit').click();
      await eventually(() => error.innerText()).toContain('lists JPM more than once');
      expect((await kpi(page, 'gross')).value).toBe(summary.gross);

      // Equity drives leverage and the hurdle rate.
      await editCell(page, 'equity-input', 'abc');
      await eventually(() => error.innerText()).toContain('equity must be a number, got "abc"');
      expect((await kpi(page, 'leverage')).value).toBe(summary.leverage);

      // The edited book is kept across a reload (localStorage).
      await page.reload();
      await waitForResult(page);
      expect(await page.getByTestId('shares-AAPL').inputValue()).toBe('3,000');
      expect((await kpi(page, 'gross')).value).toBe(summary.gross);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('adds a universe ticker at its last close and falls back to the fx.demo book on corrupt storage', async () => {
    const { context, page } = await openApp();
    try {
      await page.getByTestId('add-ticker').fill('googl');
      await page.getByTestId('add-shares').fill('-200');
      await page.getByTestId('add-submit').click();
      const googl = fx.demo.prices.closes[fx.demo.prices.tickers.indexOf('GOOGL')];
      const last = googl[googl.length - 1];
      await eventually(() => page.getByTestId('price-GOOGL').inputValue()).toBe(last.toFixed(2));
      expectShown(await page.getByTestId('notional-GOOGL').innerText(), -200 * last, 0);

      // Writes are debounced: let the edit land before spoiling the record, or the page's
      // flush on unload would (rightly) write the newer book over the spoiled one.
      await eventually(() => page.evaluate(() => localStorage.getItem('astra.book.v1') ?? '')).toContain('GOOGL');
      await page.evaluate(() => localStorage.setItem('astra.book.v1', '{"version":1,"book":{"positions":[{"ticker":"AAPL"'));
      await page.reload();
      await waitForResult(page);
      await eventually(() => page.getByTestId('storage-notice').innerText()).toContain('could not be read');
      expect((await kpi(page, 'gross')).full).toBe('USD 1,851,204');
    } finally {
      await context.close();
    }
  });

  it('updates funding from the RFR slider within a frame, and keeps the theme across reloads', async () => {
    const { context, page, watch } = await openApp();
    try {
      const expected = computeFunding(fx.demo.book, fx.demo.equity, { rfr: 0.05 });
      const shown = await page.evaluate(async () => {
        const slider = document.querySelector<HTMLInputElement>('[data-testid="rfr-slider"]')!;
        slider.value = '5';
        slider.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise(requestAnimationFrame); // the next frame must already show it
        return document.querySelector('[data-testid="kpi-daily-carry"]')!.getAttribute('data-value');
      });
      expect(Number(shown)).toBeCloseTo(expected.totalDaily, 9);
      expect(await page.getByTestId('rfr-input').inputValue()).toBe('5.00');
      expect(await page.getByTestId('rfr-source').innerText()).toContain('your rate');
      await page.getByRole('button', { name: 'use ^IRX' }).click();
      await eventually(() => page.getByTestId('rfr-input').inputValue()).toBe('3.60');

      // A per-ticker borrow override moves that short's rate and the totals.
      const withGs = computeFunding(fx.demo.book, fx.demo.equity, { rfr: fx.demo.rfr, borrowOverrides: { GS: 200 } });
      await editCell(page, 'borrow-GS', '200');
      await eventually(async () => (await kpi(page, 'daily-carry')).value).toBeCloseTo(withGs.totalDaily, 9);
      const gs = withGs.positions.find((l) => l.ticker === 'GS')!;
      expect(Number(await page.getByTestId('funding-rate-GS').getAttribute('data-value'))).toBe(gs.rate);
      await editCell(page, 'borrow-GS', '-5');
      await eventually(() => page.getByTestId('funding-error').innerText()).toContain('borrow fee of GS (bp) must be between 0 and 10,000 bp, got -5');
      expect(await page.getByTestId('borrow-GS').inputValue()).toBe('200');

      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      await page.reload();
      await waitForResult(page);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      mkdirSync(`${ROOT}artifacts`, { recursive: true });
      await page.screenshot({ path: `${ROOT}artifacts/app-light.png`, fullPage: true });
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('renders the cumulative-returns chart of the whole universe', async () => {
    const { context, page } = await openApp();
    try {
      const chart = page.getByTestId('returns-chart');
      await chart.locator('canvas').first().waitFor();
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(200);
      // The largest canvas holds the lines: many distinct colours means something was drawn.
      await eventually(() =>
        page.evaluate(() => {
          const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="returns-chart"] canvas')];
          const c = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0];
          const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          const colours = new Set<number>();
          for (let i = 0; i < data.length; i += 16) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
          return colours.size;
        }),
      ).toBeGreaterThan(20);
      const assets = fx.demo.prices.tickers.filter((t) => !t.startsWith('^'));
      for (const t of assets) await page.getByTestId(`legend-${t}`).waitFor();
      expect(await page.locator('[data-testid^="legend-"]').count()).toBe(assets.length);
      mkdirSync(`${ROOT}artifacts`, { recursive: true });
      await page.screenshot({ path: `${ROOT}artifacts/app.png`, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('shows why the engine failed to load, keeps the app usable and retries on demand', async () => {
    const context = await fx.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    let refused = 0;
    await context.route('**/*.wasm', (route) => {
      if (refused++ === 0) return route.fulfill({ status: 503, body: 'unavailable' });
      return route.continue();
    });
    const page = await context.newPage();
    const watch = watchPage(page);
    try {
      await page.goto(fx.served.url);
      const error = page.getByTestId('market-error');
      await eventually(() => error.innerText()).toContain('could not load the ASTRA WebAssembly kernels: HTTP 503');
      expect(await page.getByTestId('data-source').innerText()).toBe('demo data (synthetic)');
      expect(await page.getByTestId('engine-status').getAttribute('data-phase')).toBe('failed');
      await page.getByTestId('market-retry').click();
      await waitForResult(page);
      expect((await kpi(page, 'gross')).full).toBe('USD 1,851,204');
      expect(await page.getByTestId('engine-status').getAttribute('data-phase')).toBe('ready');
      expect(await error.count()).toBe(0);
      const unexpected = watch.problems.filter((p) => !/\b503\b/.test(p.text));
      expect(unexpected, watch.log.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('recovers from an engine-worker crash without losing the book', async () => {
    const { context, page, watch } = await openApp();
    try {
      await editCell(page, 'shares-MSFT', '2000');
      const edited = fx.demo.book.map((p) => (p.ticker === 'MSFT' ? { ...p, shares: 2000 } : p));
      const gross = summarizeBook(edited, fx.demo.equity).gross;
      await eventually(async () => (await kpi(page, 'gross')).value).toBe(gross);

      // Crash while idle: the worker is recreated and answers again.
      await page.evaluate(() => window.__astra!.crashWorker());
      await eventually(() => page.evaluate(() => window.__astra!.engine())).toEqual({ phase: 'ready', restarts: 1 });
      expect(await page.getByTestId('engine-status').innerText()).toContain('restarted 1×');
      expect(await page.getByTestId('shares-MSFT').inputValue()).toBe('2,000');
      expect((await kpi(page, 'gross')).value).toBe(gross);

      // Crash with a request in flight: it is retried on the new worker and the latest answer wins.
      await page.evaluate(() => {
        window.__astra!.crashWorker();
        return window.__astra!.reloadMarket();
      });
      await eventually(() => page.evaluate(() => window.__astra!.engine())).toEqual({ phase: 'ready', restarts: 2 });
      expect(await page.getByTestId('data-source').innerText()).toBe('demo data (synthetic)');
      expect(await page.getByTestId('shares-MSFT').inputValue()).toBe('2,000');
      expect((await kpi(page, 'gross')).value).toBe(gross);
      expect((await kpi(page, 'daily-carry')).value).toBeCloseTo(fundingOf(edited).totalDaily, 9);
      await page.getByTestId('returns-chart').locator('canvas').first().waitFor();

      // The only problems are the two crashes we caused (and the app's notes about them).
      const unexpected = watch.problems.filter((p) => !/simulated engine worker crash|engine worker crashed/.test(p.text));
      expect(unexpected, watch.log.join('\n')).toEqual([]);
      expect(watch.workers.length).toBe(3);
    } finally {
      await context.close();
    }
  });
});
