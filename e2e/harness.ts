/**
 * Browser-test plumbing: Chromium (a system one or the npm-shipped one, see chromium.ts) through
 * playwright-core, the built app served by vite's preview server on a free port, and a watcher that
 * records every console message, page error and worker error so tests can assert there were none.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { preview } from 'vite';
import { findChromium } from './chromium.ts';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

let logged = false;

/**
 * Launch headless Chromium (see chromium.ts for which one); a missing browser is a failure with
 * instructions, never a skip. The project's own flags only: no GPU, no background traffic to
 * Google's hosts (this machine's network is closed), and the sandbox off because tests run as root.
 */
export async function launchChromium(): Promise<Browser> {
  const found = await findChromium();
  const browser = await chromium.launch({
    executablePath: found.path,
    ...(Object.keys(found.env).length > 0 ? { env: { ...definedEnv(), ...found.env } } : {}),
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
  if (!logged) {
    logged = true;
    console.log(`e2e browser: Chromium ${browser.version()} at ${found.path} (${found.origin})`);
  }
  return browser;
}

/** process.env without its unset entries, as playwright's `env` option wants. */
function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** A running preview server of a build. */
export interface Served {
  /** Base URL ending in `/`. */
  url: string;
  close(): Promise<void>;
}

/** Where `vite build --mode e2e` puts the browser-test build (the one with test hooks). */
export const E2E_DIST = `${ROOT}build/e2e-dist`;

/**
 * Serve the browser-test build (made by e2e/global-setup.ts) on 127.0.0.1 and a free port. It is
 * the production app plus the test hooks behind `__ASTRA_TEST_HOOKS__`; dist/ itself has none.
 */
export async function serveDist(): Promise<Served> {
  if (!existsSync(`${E2E_DIST}/index.html`)) {
    throw new Error(`${E2E_DIST}/index.html is missing: the e2e global setup builds it (vite build --mode e2e)`);
  }
  const server = await preview({
    configFile: `${ROOT}vite.config.ts`,
    mode: 'e2e',
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

/** Read a number shown with grouping and units (`-188,144`, `USD −188,144`, `1.85×`, `3.60%`, `−11.14`). */
export function shownNumber(text: string): number {
  const cleaned = text.replace(/^[A-Z]{3}\s/, '').replace(/[\u2212]/g, '-').replace(/[,%×\s]/g, '');
  const value = Number(cleaned);
  if (!Number.isFinite(value)) throw new Error(`not a number on screen: ${JSON.stringify(text)}`);
  return value;
}
