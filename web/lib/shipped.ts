/**
 * What the page finds beside itself: the shipped `snapshot.json` (copied into `dist/` from
 * `web/public/`, or dropped into any static server's folder next to index.html), and the proxy
 * URL `npm start` advertises.
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

/**
 * The proxy URL the page was told about, `null` when none: the `proxy` parameter of the page's
 * own URL (`…/?proxy=http://127.0.0.1:8787`).
 */
export async function advertisedProxy(location: string): Promise<string | null> {
  const value = new URL(location).searchParams.get('proxy');
  return value && /^https?:\/\/[^/?#\s]+\/?$/.test(value) ? value.replace(/\/$/, '') : null;
}
