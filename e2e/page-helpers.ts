/** What the browser tests do to the app's page: wait for results, type in cells, read KPI cards. */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadKernels } from '../engine/node.ts';
import { generateDemoMarket, type DemoMarket } from '../engine/demo.ts';
import { launchChromium, serveDist, type Served } from './harness.ts';

/** `expect.poll` with a timeout that suits a loaded 2-core CI machine (the default is 1 s). */
export function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000, interval: 50 });
}

/** Wait for the first full result: funding KPIs computed from the engine's market data. */
export async function waitForResult(page: Page): Promise<void> {
  await page.waitForFunction(
    () => document.querySelector('[data-testid="kpi-daily-carry"]')?.getAttribute('data-value'),
    undefined,
    { timeout: 30_000 },
  );
}

/** Type `text` into the cell `testid` and press Enter, as a user commits an edit. */
export async function editCell(page: Page, testid: string, text: string): Promise<void> {
  const input = page.getByTestId(testid);
  await input.fill(text);
  await input.press('Enter');
}

/** A KPI card: its compact text, its full-precision text (tooltip / screen readers) and its exact value. */
export async function kpi(page: Page, id: string): Promise<{ text: string; full: string; value: number }> {
  const el = page.getByTestId(`kpi-${id}`);
  return {
    text: (await el.innerText()).trim(),
    full: ((await page.locator(`#kpi-full-${id}`).textContent()) ?? '').trim(),
    value: Number(await el.getAttribute('data-value')),
  };
}

/** What every browser-test file works with. */
export interface AppFixture {
  /** Chromium (system or npm-shipped, see chromium.ts). */
  browser: Browser;
  /** The e2e build served on a free port. */
  served: Served;
  /** The demo market generated in Node, for expected figures. */
  demo: DemoMarket;
}

/**
 * Register the file's `beforeAll`/`afterAll`: generate the demo in Node, serve the e2e build and
 * launch Chromium; close them after. The fields are set once `beforeAll` has run.
 */
export function useApp(): AppFixture {
  const fx = {} as AppFixture;
  beforeAll(async () => {
    fx.demo = generateDemoMarket(await loadKernels());
    fx.served = await serveDist();
    fx.browser = await launchChromium();
  });
  afterAll(async () => {
    await fx.browser?.close();
    await fx.served?.close();
  });
  return fx;
}
