/**
 * Book & Funding as a desk uses it, in Chromium: extreme inputs, the fat-finger question, undo and
 * redo, two tabs, import and export, the formatting standard.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { summarizeBook } from '../engine/book/book.ts';
import { watchPage, type PageWatch } from './harness.ts';
import { editCell, eventually, kpi, useApp, waitForResult } from './page-helpers.ts';

const fx = useApp();

async function open(context: BrowserContext): Promise<{ page: Page; watch: PageWatch }> {
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(fx.served.url);
  await waitForResult(page);
  return { page, watch };
}

async function newContext(): Promise<BrowserContext> {
  return fx.browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
}

const M = '\u2212';

describe('Book & Funding desk rules', () => {
  it('refuses every extreme input of the report, keeping what was typed, and never overflows a card', async () => {
    const context = await newContext();
    try {
      const { page, watch } = await open(context);
      const error = page.getByTestId('book-error');
      for (const [cell, typed, message] of [
        ['equity-input', '1e-300', 'equity must be between 1 and 10,000,000,000,000, got 1e-300'],
        ['shares-AAPL', '1e300', 'shares of AAPL must be a whole number between −1,000,000,000 and 1,000,000,000, got 1e300'],
        ['price-AAPL', '1e-300', 'price of AAPL must be between 0.0001 and 10,000,000, got 1e-300'],
      ] as const) {
        await editCell(page, cell, typed);
        await eventually(() => error.innerText()).toBe(message);
        expect(await page.getByTestId(cell).inputValue()).toBe(typed);
        await page.getByTestId(cell).press('Escape');
      }
      expect((await kpi(page, 'gross')).value).toBe(summarizeBook(fx.demo.book, fx.demo.equity).gross);
      // The biggest book the rules allow still fits its cards and the page.
      page.on('dialog', (d) => void d.accept());
      await editCell(page, 'shares-AAPL', '1,000,000,000');
      await editCell(page, 'price-AAPL', '10000000');
      await editCell(page, 'equity-input', '1');
      await eventually(async () => (await kpi(page, 'leverage')).text).toMatch(/e\d+×$/);
      const overflow = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.kpi .value')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
      );
      expect(overflow).toEqual([]);
      // The panels below (Risk, Inventory, Alpha) re-run on the new book in workers: the page must settle with no sideways scroll.
      await eventually(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      // Percent fields take a % sign.
      await editCell(page, 'rfr-input', '3.6%');
      await eventually(() => page.getByTestId('rfr-input').inputValue()).toBe('3.60');
      expect(watch.problems, watch.log.join('\n')).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('asks before a fat-finger edit, and declining keeps the book', async () => {
    const context = await newContext();
    try {
      const { page } = await open(context);
      const questions: string[] = [];
      page.once('dialog', (d) => {
        questions.push(d.message());
        void d.dismiss();
      });
      await editCell(page, 'shares-MSFT', '1e6');
      await eventually(() => questions.length).toBe(1);
      expect(questions[0]).toContain('MSFT at 41600% of equity');
      expect(questions[0]).toMatch(/gross leverage 41\d\.\d\d×/);
      await eventually(() => page.getByTestId('shares-MSFT').inputValue()).toBe('1,000');
      expect((await kpi(page, 'gross')).value).toBe(summarizeBook(fx.demo.book, fx.demo.equity).gross);
      page.once('dialog', (d) => void d.accept());
      await editCell(page, 'shares-MSFT', '1e6');
      await eventually(async () => (await kpi(page, 'leverage')).value).toBeGreaterThan(400);
    } finally {
      await context.close();
    }
  });

  it('undoes a remove and a reset, from the toast and from the keyboard, keeping focus in the table', async () => {
    const context = await newContext();
    try {
      const { page } = await open(context);
      await page.getByRole('button', { name: 'Remove MSFT' }).click();
      await eventually(() => page.getByTestId('shares-MSFT').count()).toBe(0);
      // Focus moved to the next line's remove button, not to <body>.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Remove JPM');
      await eventually(() => page.getByTestId('undo-toast').innerText()).toContain('MSFT removed');
      await page.getByTestId('toast-undo').click();
      await eventually(() => page.getByTestId('shares-MSFT').count()).toBe(1);

      // Reset asks first; undo (Ctrl+Z) brings the book back, redo (Ctrl+Shift+Z) resets again.
      await editCell(page, 'shares-AAPL', '2000');
      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('reset-book').click();
      await eventually(() => page.getByTestId('shares-AAPL').inputValue()).toBe('1,500');
      await page.locator('body').press('Control+z');
      await eventually(() => page.getByTestId('shares-AAPL').inputValue()).toBe('2,000');
      await page.locator('body').press('Control+Shift+z');
      await eventually(() => page.getByTestId('shares-AAPL').inputValue()).toBe('1,500');
      // A declined reset changes nothing.
      await page.locator('body').press('Control+z');
      await eventually(() => page.getByTestId('shares-AAPL').inputValue()).toBe('2,000');
      page.once('dialog', (d) => void d.dismiss());
      await page.getByTestId('reset-book').click();
      await page.waitForTimeout(200);
      expect(await page.getByTestId('shares-AAPL').inputValue()).toBe('2,000');
    } finally {
      await context.close();
    }
  });

  it('keeps both edits of two tabs, each tab showing the other’s', async () => {
    const context = await newContext();
    try {
      const a = (await open(context)).page;
      const b = (await open(context)).page;
      await editCell(a, 'shares-AAPL', '111');
      await eventually(() => b.getByTestId('shares-AAPL').inputValue()).toBe('111');
      await editCell(b, 'shares-MSFT', '222');
      await eventually(() => a.getByTestId('shares-MSFT').inputValue()).toBe('222');
      const c = (await open(context)).page;
      expect(await c.getByTestId('shares-AAPL').inputValue()).toBe('111');
      expect(await c.getByTestId('shares-MSFT').inputValue()).toBe('222');
    } finally {
      await context.close();
    }
  });

  it('exports the book as CSV that imports back, with a formula-looking ticker neutralised', async () => {
    const context = await newContext();
    try {
      const { page } = await open(context);
      await page.getByTestId('add-ticker').fill('=1+1');
      await page.getByTestId('add-shares').fill('10');
      await page.getByTestId('add-price').fill('5');
      await page.getByTestId('add-submit').click();
      await eventually(() => page.getByTestId('book-error').innerText()).toContain('ticker must be a symbol');
      // The UI refuses such a ticker; an imported file may carry one, and the export must neutralise it.
      await page.getByTestId('import-toggle').click();
      await page.getByTestId('import-text').fill('ticker,shares,price\nAAPL,abc,1\n');
      await page.getByTestId('import-submit').click();
      await eventually(() => page.getByTestId('import-error').innerText()).toBe(
        'book CSV pasted, row 2, column shares: shares must be a whole number (negative for shorts), got "abc"',
      );
      await page.getByTestId('import-text').fill('ticker,shares,price\n=HYPERLINK("x"),-100,12.5\nAAPL,200,\n');
      await page.getByTestId('import-submit').click();
      await eventually(() => page.getByTestId('book-table').locator('tbody tr').count()).toBe(2);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-book').click()]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv).toContain(`"'=HYPERLINK(""X"")",-100,12.5`); // tickers are upper-cased on import
      expect(csv).toContain(`"AAPL",200,277.02`);
      expect(csv.split('\n')[0]).toBe('ticker,shares,price');

      // The export reads back through the import: same book.
      await page.getByTestId('import-toggle').click();
      await page.getByTestId('import-text').fill(csv);
      await page.getByTestId('import-submit').click();
      // The import is read in a worker: wait for the new rows, not just for two rows (the old book has two too).
      await eventually(() => page.getByTestId('book-table').locator('tbody th').allInnerTexts()).toEqual([`'=HYPERLINK("X")`, 'AAPL']);

      const [funding] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-funding').click()]);
      const fundingCsv = readFileSync((await funding.path())!, 'utf8');
      expect(fundingCsv.split('\n')[0]).toBe('ticker,side,notional,rate,borrow_bps,daily,annual');
    } finally {
      await context.close();
    }
  });

  it('follows the formatting standard: currency codes, true minus or parentheses, pay and receive', async () => {
    const context = await newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(fx.served.url).origin });
    try {
      const { page } = await open(context);
      expect((await kpi(page, 'net')).text).toBe(`USD ${M}188K`);
      expect(await page.getByTestId('funding-rate-AAPL').innerText()).toBe('pays 4.10%');
      expect(await page.getByTestId('funding-rate-JPM').innerText()).toBe('receives 2.95%');
      expect(await page.getByTestId('notional-JPM').innerText()).toBe(`${M}381,864`);
      const text = await page.evaluate(() => document.body.innerText);
      expect(text).not.toMatch(/-0(\.0+)?\b/);
      await page.getByTestId('negative-style').selectOption('parentheses');
      await eventually(() => page.getByTestId('notional-JPM').innerText()).toBe('(381,864)');
      expect((await kpi(page, 'net')).text).toBe('USD (188K)');
      await page.getByTestId('copy-kpis').click();
      await eventually(() => page.evaluate(() => navigator.clipboard.readText())).toContain('Gross\tUSD 1,851,204');
      // The setting is kept.
      await page.reload();
      await waitForResult(page);
      expect(await page.getByTestId('notional-JPM').innerText()).toBe('(381,864)');
    } finally {
      await context.close();
    }
  });

  it('offers the unreadable saved book for download from the notice', async () => {
    const context = await newContext();
    try {
      const { page } = await open(context);
      await page.evaluate(() => localStorage.setItem('astra.book.v1', '{"version":1,"book":'));
      await page.reload();
      await waitForResult(page);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('notice-download').click()]);
      expect(download.suggestedFilename()).toBe('astra.book.v1.corrupt.json');
      expect(readFileSync((await download.path())!, 'utf8')).toBe('{"version":1,"book":');
    } finally {
      await context.close();
    }
  });
});
