/**
 * Data sources in Chromium, with the real proxy (its `createServer`, on an ephemeral port) in
 * front of the fake Yahoo (proxy/fixtures/fake-yahoo.ts): live data loaded through the UI's proxy
 * setting, then a snapshot dropped on the page, then CSV files picked with the file dialog —
 * checking the badge, its as-of, the data report and the daily-carry KPI (which follows the
 * source's ^IRX) at each step —, the CSV kept across a reload, and the proxy going down: a
 * message, the data on screen kept, the demo one click away. Then the start-up paths: a first
 * visit under `npm start` (astra-config.json) loads live data by itself, and `dist/` served by a
 * plain static server with a snapshot.json beside index.html shows that snapshot.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { computeFunding } from '../engine/book/funding.ts';
import { createFakeYahoo, type FakeYahoo } from '../proxy/fixtures/fake-yahoo.ts';
import { runSnapshotCli } from '../proxy/snapshot.ts';
import { startHarness, type Harness } from '../proxy/test-helpers.ts';
import { E2E_DIST, ROOT, watchPage, type PageWatch } from './harness.ts';
import { eventually, kpi, useApp, waitForResult } from './page-helpers.ts';

const fx = useApp();
let fake: FakeYahoo;
let proxy: Harness;

/** ^IRX as Yahoo quotes it: a T-bill discount yield near 4.2%, not the fake's equity-like prices. */
async function realisticIrx(res: Response): Promise<Response> {
  const body = (await res.json()) as { chart: { result: { indicators: { quote: { close: (number | null)[] }[]; adjclose?: { adjclose: (number | null)[] }[] } }[] } };
  const ind = body.chart.result?.[0]?.indicators;
  const quote = ind?.quote?.[0] as Record<string, (number | null)[] | undefined> | undefined;
  const first = quote?.close?.find((c) => c !== null);
  if (quote && typeof first === 'number') {
    const scale = (v: number | null) => (v === null ? null : Math.round((v / first) * 4.2 * 1000) / 1000);
    for (const key of ['open', 'high', 'low', 'close']) if (quote[key]) quote[key] = quote[key]!.map(scale);
    if (ind.adjclose) ind.adjclose = [{ adjclose: quote.close!.slice() }];
  }
  return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
}

/** The fake Yahoo, with ^IRX in its real units. */
function yahooFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const isIrx = url.pathname.includes('/v8/finance/chart/') && decodeURIComponent(url.pathname.split('/').pop() ?? '') === '^IRX';
  return fake.fetch(input, init).then((res) => (isIrx && res.ok ? realisticIrx(res) : res));
}

beforeAll(async () => {
  fake = createFakeYahoo();
  fake.behaviors.set('ZZZZ', { kind: 'json', status: 404, body: { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } } });
  proxy = await startHarness({ fetch: yahooFetch, allowedOrigins: [new URL(fx.served.url).origin] });
});
afterAll(async () => {
  await proxy?.close();
});

/** The daily carry the page should show for the demo book at the ^IRX discount yield `irx` (percent). */
function dailyCarry(irx: number): number {
  const d = irx / 100;
  const rfr = d / (1 - (d * 91) / 360); // the money-market rate of a 91-day bill, by hand
  return computeFunding(fx.demo.book, fx.demo.equity, { rfr }).totalDaily;
}

async function expectCarry(page: Page, irx: number): Promise<void> {
  const expected = dailyCarry(irx);
  await eventually(async () => Math.abs((await kpi(page, 'daily-carry')).value - expected) / Math.abs(expected)).toBeLessThan(1e-12);
}

async function openPanel(page: Page): Promise<void> {
  if ((await page.getByTestId('data-panel').count()) === 0) await page.getByTestId('data-toggle').click();
  await page.getByTestId('data-panel').waitFor();
}

const badge = (page: Page) => page.getByTestId('data-source').innerText();

/** Problems other than the ones a step causes on purpose (the ZZZZ 404, the stopped proxy). */
function unexpected(watch: PageWatch, allowed: RegExp[]): string[] {
  return watch.problems.map((p) => p.text).filter((t) => !allowed.some((r) => r.test(t)));
}

/** The last ^IRX close the proxy serves for a daily window from `period1`. */
async function lastIrx(base: string, period1: string): Promise<number> {
  const res = await fetch(`${base}/api/chart?symbol=%5EIRX&interval=1d&period1=${period1}`);
  const chart = (await res.json()) as { bars: { close: number | null; adjClose: number | null }[] };
  const last = chart.bars.filter((b) => b.close !== null).at(-1)!;
  return last.adjClose ?? (last.close as number);
}

/** `npm run snapshot` against the same fake Yahoo, written to a temp file; its text. */
async function snapshotText(now: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'astra-e2e-snap-'));
  try {
    const out = join(dir, 'snap.json');
    const io = { out: () => undefined, err: (s: string) => { throw new Error(s); } };
    const code = await runSnapshotCli(['--symbols', 'AAPL,MSFT,GOOGL,JPM,GS,MS,C,^IRX', '--daily', '2y', '--intraday', 'JPM,C:5d', '--out', out], { fetch: yahooFetch, now: () => now }, io);
    expect(code).toBe(0);
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SNAP_NOW = Date.UTC(2026, 10, 13, 21, 0);

describe('data sources: live → snapshot → CSV → reload → proxy down', () => {
  it('switches sources with the badge, the report and the KPI following, and never loses the book', async () => {
    const context = await fx.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const watch = watchPage(page);
    try {
      await page.goto(fx.served.url);
      await waitForResult(page);
      expect(await badge(page)).toBe('demo data (synthetic)');

      // ---- live, through the UI's proxy setting ----
      await openPanel(page);
      await page.getByTestId('source-tab-live').click();
      await page.getByTestId('proxy-url-input').fill(proxy.url);
      await page.getByTestId('proxy-url-input').press('Enter');
      await page.getByTestId('live-tickers-input').fill('AAPL MSFT GOOGL JPM GS MS C ZZZZ');
      await page.getByTestId('live-tickers-input').press('Enter');
      const before = fake.count('chart');
      await page.getByTestId('live-load').click();
      await eventually(() => badge(page)).toBe(`live: Yahoo Finance via ${proxy.url}`);
      // Progress per ticker: every request is listed with its outcome; ZZZZ with the proxy's typed error.
      expect(await page.getByTestId('live-item-AAPL-daily').getAttribute('data-state')).toBe('done');
      expect(await page.getByTestId('live-item-JPM-minute').getAttribute('data-state')).toBe('done');
      expect(await page.getByTestId('live-item-ZZZZ-daily').getAttribute('data-state')).toBe('failed');
      expect(await page.getByTestId('live-item-ZZZZ-daily').innerText()).toContain('NOT_FOUND');
      expect(await page.getByTestId('data-message').innerText()).toMatch(/^Live data loaded without ZZZZ \(NOT_FOUND: /);
      expect(fake.count('chart') - before).toBeGreaterThanOrEqual(10);
      // The report: the daily table, the null 1-minute bars the fake leaves, the RFR's origin.
      const period1 = new Date(Date.now() - (730 + 10) * 86_400_000).toISOString().slice(0, 10);
      const irxLive = await lastIrx(proxy.url, period1);
      const notes = await page.getByTestId('report-notes').innerText();
      expect(notes).toContain(`from ^IRX ${+irxLive.toFixed(4)} on`);
      expect(notes).toContain('ZZZZ was not loaded: NOT_FOUND');
      expect(await page.getByTestId('report-tables').innerText()).toMatch(/daily closes: [\d,]+ rows × 8 \(AAPL, MSFT, GOOGL, JPM, GS, MS, C, \^IRX\)/);
      expect(await page.getByTestId('report-dropped').innerText()).toMatch(/one-minute bars with no close .* dropped \(JPM \d+, C \d+\)/);
      await expectCarry(page, irxLive);
      expect(await page.getByTestId('data-asof').innerText()).toMatch(/^as of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);

      // ---- a snapshot, dropped on the page ----
      const snap = await snapshotText(SNAP_NOW);
      const written = JSON.parse(snap) as { daily: Record<string, { bars: { t: string; adjClose: number | null; close: number | null }[] }> };
      const irxBars = written.daily['^IRX'].bars;
      const irxSnap = irxBars.at(-1)!.adjClose ?? irxBars.at(-1)!.close!;
      await page.evaluate(({ name, text }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, { type: 'application/json' }));
        document.querySelector('main')!.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }, { name: 'desk-snapshot.json', text: snap });
      await eventually(() => badge(page)).toBe('snapshot desk-snapshot.json');
      expect(await page.getByTestId('data-asof').innerText()).toBe('as of 2026-11-13 21:00 UTC');
      expect(await page.getByTestId('report-tables').innerText()).toContain(`daily closes: ${written.daily.AAPL.bars.length} rows × 8`);
      await expectCarry(page, irxSnap);

      // ---- CSV files, picked with the file dialog ----
      const prices = [
        'date,AAPL,MSFT,^IRX',
        '2025-01-02,243.85,418.58,4.31',
        '2025-01-03,243.36,423.35,4.30',
        '2025-01-06,245.00,,4.29', // MSFT missing: a gap, flagged
        '2025-01-07,242.21,422.37,4.28',
        '2025-01-08,242.70,424.56,4.27',
      ].join('\r\n');
      const bars = [
        'timestamp,JPM,C',
        '2025-01-08T09:29:00-05:00,240.1,70.1', // pre-market: dropped
        '2025-01-08T09:30:00-05:00,240.2,70.2',
        '2025-01-08T09:31:00-05:00,240.3,',
      ].join('\n');
      await openPanel(page);
      await page.getByTestId('source-tab-csv').click();
      await page.getByTestId('file-input').setInputFiles([
        { name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${prices}`) },
        { name: 'bars.csv', mimeType: 'text/csv', buffer: Buffer.from(bars) },
      ]);
      await eventually(() => badge(page)).toBe('CSV prices.csv');
      expect(await page.getByTestId('data-asof').innerText()).toBe('as of 2025-01-08');
      const tables = await page.getByTestId('report-tables').innerText();
      expect(tables).toContain('daily closes: 5 rows × 3 (AAPL, MSFT, ^IRX), 2025-01-02 … 2025-01-08; 1 missing');
      expect(tables).toContain('1-minute bars: 2 rows × 2 (JPM, C)');
      expect(await page.getByTestId('report-flags').innerText()).toContain('MSFT has no close on 1 date inside its history (2025-01-06)');
      expect(await page.getByTestId('report-dropped').innerText()).toContain('1 one-minute bar outside the regular session 09:30–16:00 America/New_York');
      await expectCarry(page, 4.27);
      // The book is the same; its tickers without prices are named, and Risk says what it cannot compute.
      expect((await kpi(page, 'gross')).full).toBe('USD 1,851,204');
      expect(await page.getByTestId('missing-tickers').innerText()).toContain("No prices in CSV prices.csv for the book's JPM, GS, MS");
      await eventually(() => page.getByTestId('risk-error').innerText()).toContain('Risk: the prices have no columns "JPM", "GS", "MS" of the book');
      mkdirSync(`${ROOT}artifacts`, { recursive: true });
      await page.getByTestId('data-panel').screenshot({ path: `${ROOT}artifacts/data-sources-csv.png` });

      // A bad CSV is refused naming row and column; the data on screen stays.
      await page.getByTestId('file-input').setInputFiles([{ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('date,AAPL\n2025-01-02,"1,234.5"\n') }]);
      await eventually(() => page.getByTestId('data-message').innerText()).toContain('prices CSV bad.csv, row 2, column AAPL');
      expect(await page.getByTestId('data-message').innerText()).toContain('thousands separators are not allowed');
      expect(await badge(page)).toBe('CSV prices.csv');

      // ---- a reload keeps the source and its data (IndexedDB) ----
      await page.reload();
      await waitForResult(page);
      await eventually(() => badge(page)).toBe('CSV prices.csv');
      await expectCarry(page, 4.27);

      // ---- the proxy goes down: a clear message, the data kept, the demo one click away ----
      await proxy.close();
      await openPanel(page);
      await page.getByTestId('source-tab-live').click();
      await page.getByTestId('live-load').click();
      await eventually(() => page.getByTestId('data-message').innerText()).toContain(`No answer from the proxy at ${proxy.url}`);
      expect(await page.getByTestId('data-message').getAttribute('data-kind')).toBe('error');
      expect(await badge(page)).toBe('CSV prices.csv');
      await expectCarry(page, 4.27);
      await page.getByTestId('message-use-demo').click();
      await eventually(() => badge(page)).toBe('demo data (synthetic)');
      await expectCarry(page, fx.demo.prices.closes[fx.demo.prices.tickers.indexOf('^IRX')].at(-1)!);

      expect(unexpected(watch, [/ZZZZ/, /status of 404/, /ERR_CONNECTION_REFUSED/, new RegExp(proxy.url.replace(/[.]/g, '\\.'))])).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('the data panel at 390 px', () => {
  it('fits the width with the panel open on every tab', async () => {
    const context = await fx.browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const page = await context.newPage();
      await page.goto(fx.served.url);
      await waitForResult(page);
      await openPanel(page);
      for (const tab of ['demo', 'live', 'snapshot', 'csv']) {
        await page.getByTestId(`source-tab-${tab}`).click();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), tab).toBe(390);
      }
      await page.getByTestId('source-tab-live').click();
      mkdirSync(`${ROOT}artifacts`, { recursive: true });
      await page.screenshot({ path: `${ROOT}artifacts/data-sources-390.png` });
    } finally {
      await context.close();
    }
  });
});

describe('data sources at start-up', () => {
  it('a first visit under npm start (astra-config.json names the proxy) shows live data with no other step', async () => {
    const live = await startHarness({ fetch: yahooFetch, allowedOrigins: [new URL(fx.served.url).origin] });
    const context = await fx.browser.newContext();
    try {
      await context.route('**/astra-config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ proxyUrl: live.url }) }));
      const page = await context.newPage();
      await page.goto(fx.served.url);
      await eventually(() => badge(page)).toBe(`live: Yahoo Finance via ${live.url}`);
      const period1 = new Date(Date.now() - (730 + 10) * 86_400_000).toISOString().slice(0, 10);
      await expectCarry(page, await lastIrx(live.url, period1));
    } finally {
      await context.close();
      await live.close();
    }
  });

  it('a first visit under npm start without Yahoo shows the demo and says why', async () => {
    const offline = createFakeYahoo();
    offline.all = { kind: 'network-error', code: 'ENOTFOUND' };
    const down = await startHarness({ fetch: offline.fetch, allowedOrigins: [new URL(fx.served.url).origin] });
    const context = await fx.browser.newContext();
    try {
      await context.route('**/astra-config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ proxyUrl: down.url }) }));
      const page = await context.newPage();
      await page.goto(fx.served.url);
      await eventually(() => page.getByTestId('data-message').innerText()).toContain('cannot reach Yahoo Finance (UPSTREAM_UNREACHABLE');
      expect(await badge(page)).toBe('demo data (synthetic)');
      await waitForResult(page);
    } finally {
      await context.close();
      await down.close();
    }
  });

  it('dist/ on a plain static server shows the snapshot.json shipped beside index.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'astra-e2e-static-'));
    cpSync(E2E_DIST, dir, { recursive: true });
    writeFileSync(join(dir, 'snapshot.json'), await snapshotText(SNAP_NOW));
    const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
    const server = http.createServer((req, res) => {
      const asked = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      const path = asked.endsWith('/') ? `${asked}index.html` : asked;
      try {
        const body = readFileSync(join(dir, path));
        res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const context = await fx.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await eventually(() => badge(page)).toBe('snapshot snapshot.json (shipped)');
      expect(await page.getByTestId('data-asof').innerText()).toBe('as of 2026-11-13 21:00 UTC');
      await waitForResult(page);
    } finally {
      await context.close();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
