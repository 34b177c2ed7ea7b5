/**
 * What the page finds beside itself: the shipped `snapshot.json` (copied into `dist/` from
 * `web/public/`, or dropped into any static server's folder next to index.html), and
 * `astra-config.json`, where `npm start` says the URL of the proxy it started.
 */
import type { SourceFile } from '../workers/protocol.ts';
import { MAX_SNAPSHOT_BYTES, sizeText } from './source-files.ts';

/** The shipped snapshot's file name, beside index.html. */
export const SHIPPED_SNAPSHOT = 'snapshot.json';
/** How long the page waits for it before going on without it, ms. */
export const SHIPPED_TIMEOUT_MS = 5_000;

/**
 * Fetch the shipped snapshot. `null` when there is none: a 404 (or any non-2xx answer), no
 * answer in time, or an HTML page (a server that answers every path with index.html). Throws an
 * Error with a message when one is there but over {@link MAX_SNAPSHOT_BYTES} (checked from its
 * `Content-Length` before reading it, and again on the text).
 */
export async function fetchShipped(fetch: typeof globalThis.fetch, base: string): Promise<SourceFile | null> {
  let response: Response;
  try {
    response = await fetch(new URL(SHIPPED_SNAPSHOT, base), { cache: 'no-cache', signal: AbortSignal.timeout(SHIPPED_TIMEOUT_MS) });
  } catch {
    return null;
  }
  if (!response.ok) return null;
  if (/html/i.test(response.headers.get('content-type') ?? '')) return null;
  const declared = Number(response.headers.get('content-length'));
  const tooBig = (bytes: number) => new Error(`the shipped ${SHIPPED_SNAPSHOT} is ${sizeText(bytes)}; a snapshot may be at most ${sizeText(MAX_SNAPSHOT_BYTES)}`);
  if (declared > MAX_SNAPSHOT_BYTES) {
    void response.body?.cancel();
    throw tooBig(declared);
  }
  const text = await response.text();
  if (text.length > MAX_SNAPSHOT_BYTES) throw tooBig(text.length);
  if (/^\s*</.test(text)) return null; // an HTML fallback page served without its type
  return { name: SHIPPED_SNAPSHOT, text };
}

/** The runtime configuration `npm start` serves beside index.html (docs/proxy.md). */
export const APP_CONFIG = 'astra-config.json';

/**
 * The proxy URL the page was told about, `null` when none: `proxyUrl` of `astra-config.json`
 * beside index.html, which `npm start` serves with the URL its proxy got. On another static server
 * the file is absent (a 404, or an SPA fallback page): anything but that JSON with an http(s)
 * base URL counts as absent.
 */
export async function advertisedProxy(fetch: typeof globalThis.fetch, base: string): Promise<string | null> {
  try {
    const response = await fetch(new URL(APP_CONFIG, base), { cache: 'no-store', signal: AbortSignal.timeout(SHIPPED_TIMEOUT_MS) });
    if (!response.ok || !/json/i.test(response.headers.get('content-type') ?? '')) return null;
    const body = (await response.json()) as { proxyUrl?: unknown } | null;
    const url = body?.proxyUrl;
    return typeof url === 'string' && /^https?:\/\/[^/?#\s]+$/.test(url) ? url : null;
  } catch {
    return null;
  }
}
