/**
 * Layout, charts and theme in Chromium: what fits at 1280×720 and 390 px, the book's own chart
 * following the book, the wheel rule and Reset zoom, and the theme on the first paint. Expected
 * chart figures are computed here in Node from the demo market's closes.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { ROOT, watchPage } from './harness.ts';
import type { PageWatch } from './harness.ts';
import { eventually, useApp } from './page-helpers.ts';

const fx = useApp();

const LIGHT_BG = 'rgb(246, 248, 250)'; // --bg of the light theme (app.css)
const DARK_BG = 'rgb(13, 17, 23)';

/** Open the app in a fresh context and wait for the KPIs and both charts. */
async function open(options: BrowserContextOptions): Promise<{ page: Page; watch: PageWatch; close: () => Promise<void> }> {
  const context = await fx.browser.newContext(options);
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(fx.served.url);
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-daily-carry"]')?.getAttribute('data-value'), undefined, {
    timeout: 30_000,
  });
  for (const id of ['book-chart', 'returns-chart']) await page.getByTestId(id).locator('canvas').first().waitFor();
  await eventually(() => page.getByTestId('book-chart-range').innerText()).toContain('from ');
  return { page, watch, close: () => context.close() };
}

/** The locator's box lies inside the viewport. */
async function expectInViewport(page: Page, locator: Locator, name: string): Promise<void> {
  const box = await locator.boundingBox();
  const vp = page.viewportSize()!;
  expect(box, name).not.toBeNull();
  expect(box!.x, name).toBeGreaterThanOrEqual(0);
  expect(box!.y, name).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, name).toBeLessThanOrEqual(vp.width);
  expect(box!.y + box!.height, name).toBeLessThanOrEqual(vp.height);
}

/** A cheap fingerprint of what the largest canvas of a chart shows. */
function canvasHash(page: Page, testid: string): Promise<number> {
  return page.evaluate((id) => {
    const canvases = [...document.querySelectorAll<HTMLCanvasElement>(`[data-testid="${id}"] canvas`)];
    const c = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0];
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < data.length; i += 4) h = (Math.imul(h, 31) + data[i] + (data[i + 1] << 8) + (data[i + 2] << 16)) | 0;
    return h;
  }, testid);
}

/** NAV(last) − NAV(first) of today's shares at the demo's closes: Σ shares·(P_T − P_0). */
function fullRangePnl(book: { ticker: string; shares: number }[]): number {
  const cols = book.map((p) => fx.demo.prices.closes[fx.demo.prices.tickers.indexOf(p.ticker)]);
  const complete = fx.demo.prices.dates.map((_, i) => cols.every((c) => Number.isFinite(c[i])));
  const first = complete.indexOf(true);
  const last = complete.lastIndexOf(true);
  return book.reduce((s, p, k) => s + p.shares * (cols[k][last] - cols[k][first]), 0);
}

async function addPosition(page: Page, ticker: string, shares: string, price = ''): Promise<void> {
  await page.getByTestId('add-ticker').fill(ticker);
  await page.getByTestId('add-shares').fill(shares);
  await page.getByTestId('add-price').fill(price);
  await page.getByTestId('add-submit').click();
}

const fullRange = () => `from ${fx.demo.prices.dates[0]} to ${fx.demo.prices.dates[fx.demo.prices.dates.length - 1]}`;

describe('layout', () => {
  it('shows the KPIs, the book and the book chart without scrolling at 1280×720', async () => {
    const { page, watch, close } = await open({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
    try {
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      await expectInViewport(page, page.getByRole('region', { name: 'Book and funding key figures' }), 'KPI strip');
      await expectInViewport(page, page.getByTestId('book-table'), 'book table');
      await expectInViewport(page, page.getByTestId('book-chart'), 'book chart');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('has no horizontal overflow at 390 px, also with a longer book', async () => {
    const { page, close } = await open({ viewport: { width: 390, height: 844 }, colorScheme: 'light', hasTouch: true, isMobile: true });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await addPosition(page, 'GOOGL', '-3000'); // whole shares, under the fat-finger guard's 100% weight
      await eventually(() => page.getByTestId('notional-GOOGL').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await close();
    }
  });

  it('takes screenshots at 1280×720 and 390×844 in both themes', async () => {
    mkdirSync(`${ROOT}artifacts`, { recursive: true });
    for (const [width, height] of [[1280, 720], [390, 844]] as const) {
      for (const colorScheme of ['dark', 'light'] as const) {
        const { page, close } = await open({ viewport: { width, height }, colorScheme });
        try {
          expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
          await page.screenshot({ path: `${ROOT}artifacts/layout-${width}x${height}-${colorScheme}.png` });
          await page.screenshot({ path: `${ROOT}artifacts/layout-${width}x${height}-${colorScheme}-full.png`, fullPage: true });
        } finally {
          await close();
        }
      }
    }
  });
});

describe('book chart', () => {
  it('follows the book: adding C changes it, a ticker without history is named and left out', async () => {
    const { page, watch, close } = await open({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
    try {
      const rangePnl = page.getByTestId('book-range-pnl');
      const demoPnl = fullRangePnl(fx.demo.book);
      await eventually(async () => Number(await rangePnl.getAttribute('data-value'))).toBeCloseTo(demoPnl, 4);
      expect(await page.getByTestId('book-chart-nav').innerText()).toBe('USD 1,000,000'); // ends at equity
      expect(await page.getByTestId('book-chart-tickers').innerText()).toContain('AAPL, MSFT, JPM, GS, MS:');
      // The legend follows the formatting standard: a true minus, or parentheses when chosen.
      expect(demoPnl).toBeLessThan(0);
      const whole = Math.round(-demoPnl).toLocaleString('en-US');
      expect(await rangePnl.innerText()).toBe(`USD \u2212${whole}`);
      await page.getByTestId('negative-style').selectOption('parentheses');
      await eventually(() => rangePnl.innerText()).toBe(`USD (${whole})`);
      await page.getByTestId('negative-style').selectOption('minus');
      const before = await canvasHash(page, 'book-chart');

      await addPosition(page, 'C', '2000');
      const withC = [...fx.demo.book, { ticker: 'C', shares: 2000 }];
      await eventually(async () => Number(await rangePnl.getAttribute('data-value'))).toBeCloseTo(fullRangePnl(withC), 4);
      expect(fullRangePnl(withC)).not.toBeCloseTo(demoPnl, 0);
      expect(await page.getByTestId('book-chart-tickers').innerText()).toContain('AAPL, MSFT, JPM, GS, MS, C:');
      await eventually(() => canvasHash(page, 'book-chart')).not.toBe(before);

      // A typed price for a ticker outside the universe: in the book, not on the chart, and said so.
      await addPosition(page, 'ZZZZ', '100', '50');
      await eventually(() => page.getByTestId('book-chart-missing').innerText()).toBe('Left out (no market history): ZZZZ');
      expect(Number(await rangePnl.getAttribute('data-value'))).toBeCloseTo(fullRangePnl(withC), 4);
      // The only console note allowed is Chromium's about this test's own canvas readbacks.
      const problems = watch.problems.filter((p) => !p.text.includes('willReadFrequently'));
      expect(problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lets the wheel scroll the page until the chart is focused; then zooms; Reset zoom restores the full range', async () => {
    const { page, close } = await open({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
    try {
      const chart = page.getByTestId('book-chart');
      const range = page.getByTestId('book-chart-range');
      expect(await range.innerText()).toBe(fullRange());

      // Unfocused: the page scrolls, the chart keeps its range.
      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
      await page.mouse.wheel(0, 240);
      await eventually(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      expect(await range.innerText()).toBe(fullRange());
      await page.evaluate(() => window.scrollTo(0, 0));
      await eventually(() => page.evaluate(() => window.scrollY)).toBe(0);

      // Click to focus: a visible ring, and the wheel zooms instead of scrolling.
      await chart.click({ position: { x: box.width / 2, y: box.height / 3 } });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('book-chart');
      const ring = await chart.evaluate((el) => getComputedStyle(el));
      expect(ring.outlineStyle).toBe('solid');
      expect(ring.outlineColor).not.toBe('rgba(0, 0, 0, 0)');
      for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -300);
      await eventually(() => range.innerText()).not.toBe(fullRange());
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const zoomed = await range.innerText();
      expect(zoomed).toMatch(/^from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);
      const [from, to] = [await range.getAttribute('data-from'), await range.getAttribute('data-to')];
      expect(from! > fx.demo.prices.dates[0] || to! < fx.demo.prices.dates[fx.demo.prices.dates.length - 1]).toBe(true);

      await page.getByTestId('book-chart-reset').click();
      await eventually(() => range.innerText()).toBe(fullRange());

      // Esc gives the wheel back to the page.
      await chart.click({ position: { x: box.width / 2, y: box.height / 3 } });
      await page.keyboard.press('Escape');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)).toBeNull();
      await page.mouse.wheel(0, 240);
      await eventually(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
      expect(await range.innerText()).toBe(fullRange());
    } finally {
      await close();
    }
  });

  it('zooms and pans from the keyboard, and the universe chart resets too', async () => {
    const { page, close } = await open({ viewport: { width: 1400, height: 1000 }, colorScheme: 'light' });
    try {
      const chart = page.getByTestId('returns-chart');
      const range = page.getByTestId('returns-chart-range');
      expect(await range.innerText()).toBe(fullRange());
      await chart.focus();
      for (let i = 0; i < 4; i++) await page.keyboard.press('+');
      await eventually(() => range.innerText()).not.toBe(fullRange());
      const zoomed = await range.getAttribute('data-from');
      await page.keyboard.press('ArrowLeft');
      await eventually(() => range.getAttribute('data-from')).not.toBe(zoomed);
      await page.keyboard.press('0');
      await eventually(() => range.innerText()).toBe(fullRange());
      await page.keyboard.press('+');
      await eventually(() => range.innerText()).not.toBe(fullRange());
      await page.getByTestId('returns-chart-reset').click();
      await eventually(() => range.innerText()).toBe(fullRange());
    } finally {
      await close();
    }
  });
});

describe('theme', () => {
  it('shows a saved light theme on the first paint, before the app’s script runs', async () => {
    const context = await fx.browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: 'dark' });
    try {
      await context.addInitScript(() => {
        localStorage.setItem('astra.theme.v1', '"light"');
        const seen: Record<string, string | undefined> = {};
        (window as unknown as { __firstPaint: typeof seen }).__firstPaint = seen;
        // The moment <body> is parsed: nothing of it has been painted, and no module has run.
        new MutationObserver((_, observer) => {
          if (!document.body) return;
          seen.atBody = document.documentElement.dataset.theme;
          observer.disconnect();
        }).observe(document, { childList: true, subtree: true });
        document.addEventListener('DOMContentLoaded', () => {
          seen.atDomContentLoaded = document.documentElement.dataset.theme;
          seen.background = getComputedStyle(document.body).backgroundColor;
        });
      });
      // Without the app's JavaScript at all, the page is still light: the inline script did it.
      await context.route(/\/assets\/index-[^/]*\.js$/, (route) => route.abort());
      const page = await context.newPage();
      await page.goto(fx.served.url, { waitUntil: 'domcontentloaded' });
      const seen = await page.evaluate(() => (window as unknown as { __firstPaint: Record<string, string> }).__firstPaint);
      expect(seen).toEqual({ atBody: 'light', atDomContentLoaded: 'light', background: LIGHT_BG });
      expect(await page.evaluate(() => document.getElementById('app')!.childElementCount)).toBe(0); // the app never ran
    } finally {
      await context.close();
    }
  });

  it('follows the system scheme by default, live, until the user picks a theme', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, close } = await open({ viewport: { width: 1280, height: 720 }, colorScheme });
      try {
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(colorScheme);
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(colorScheme === 'light' ? LIGHT_BG : DARK_BG);
        expect(await page.getByTestId('theme-choice').getAttribute('data-choice')).toBe('system');
      } finally {
        await close();
      }
    }

    const { page, close } = await open({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
    try {
      const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
      await page.emulateMedia({ colorScheme: 'dark' });
      await eventually(theme).toBe('dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await theme()).toBe('light');
      await page.reload();
      await eventually(theme).toBe('light');
      await page.getByTestId('theme-system').click();
      await eventually(theme).toBe('dark');
      await eventually(() => page.evaluate(() => localStorage.getItem('astra.theme.v1'))).toBe('"system"');
    } finally {
      await close();
    }
  });
});
