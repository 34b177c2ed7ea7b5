/**
 * CORS for allow-listed origins only. The origin is echoed exactly (never `*`),
 * `Vary: Origin` is always sent because the answer depends on it, and
 * credentials are never allowed: the API is public, cookie-less data.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORS_MAX_AGE_SECONDS } from './constants.ts';

/**
 * Sets CORS headers on `res` for `req`. Returns true when the origin is allowed
 * (or absent, i.e. not a cross-origin browser request).
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>, preflight: boolean): boolean {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (!allowed.has(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (preflight) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS');
    // No custom request headers are needed by the API; allow none.
    res.setHeader('Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS));
  } else {
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  }
  return true;
}
