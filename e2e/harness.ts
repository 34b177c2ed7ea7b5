/**
 * Browser-test plumbing: Debian's Chromium through playwright-core, the built app served by vite's
 * preview server on a free port, and a watcher that records every console message, page error and
 * worker error so tests can assert there were none.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { preview } from 'vite';

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Launch headless Chromium; a missing browser is a failure with instructions, never a skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}: the browser tests need it (Debian: apt-get install chromium, ` +
        'or set CHROMIUM_PATH). They fail rather than skip so a missing browser is never mistaken for a pass.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

/** A running preview server of `dist/`. */
export interface Served {
  /** Base URL ending in `/`. */
  url: string;
  close(): Promise<void>;
}

/** Serve the built `dist/` (run `npm run build` first) on 127.0.0.1 and a free port. */
export async function serveDist(): Promise<Served> {
  if (!existsSync(`${ROOT}dist/index.html`)) {
    throw new Error(`${ROOT}dist/index.html is missing: run \`npm run build\` before the browser tests`);
  }
  const server = await preview({
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview is not listening');
  return { url, close: () => server.close() };
}

/** One thing that went wrong in the page or one of its workers. */
export interface Problem {
  source: 'console' | 'pageerror' | 'worker-console' | 'requestfailed' | 'crash';
  text: string;
}

/** Collects problems and worker lifecycle events for a page. */
export interface PageWatch {
  /** Console errors/warnings, page errors, worker console errors, failed requests. */
  problems: Problem[];
  /** Every console message, for debugging failures. */
  log: string[];
  /** URLs of the workers the page started. */
  workers: string[];
}

const isProblem = (m: ConsoleMessage) => m.type() === 'error' || m.type() === 'warning';

/** Attach listeners to `page` (console, pageerror, workers and their console, failed requests). */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { problems: [], log: [], workers: [] };
  page.on('console', (m) => {
    watch.log.push(`[${m.type()}] ${m.text()}`);
    if (isProblem(m)) watch.problems.push({ source: 'console', text: m.text() });
  });
  page.on('pageerror', (e) => watch.problems.push({ source: 'pageerror', text: e.stack ?? e.message }));
  page.on('crash', () => watch.problems.push({ source: 'crash', text: 'the page crashed' }));
  page.on('response', (r) => {
    if (r.status() >= 400) watch.problems.push({ source: 'requestfailed', text: `${r.status()} ${r.url()}` });
  });
  page.on('requestfailed', (r) => watch.problems.push({ source: 'requestfailed', text: `${r.url()}: ${r.failure()?.errorText}` }));
  page.on('worker', (w) => {
    watch.workers.push(w.url());
    w.on('console', (m) => {
      watch.log.push(`[worker ${m.type()}] ${m.text()}`);
      if (isProblem(m)) watch.problems.push({ source: 'worker-console', text: m.text() });
    });
  });
  return watch;
}

/** Read a number shown with grouping and units (`-188,144`, `1.85×`, `3.60%`, `−11.14`). */
export function shownNumber(text: string): number {
  const cleaned = text.replace(/[\u2212]/g, '-').replace(/[,%×\s]/g, '');
  const value = Number(cleaned);
  if (!Number.isFinite(value)) throw new Error(`not a number on screen: ${JSON.stringify(text)}`);
  return value;
}
