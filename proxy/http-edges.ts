/**
 * The HTTP edges Node answers (or drops) before our request handler runs:
 * malformed requests, slow headers, oversized headers, `CONNECT`, and unmet
 * `Expect`. Every one gets the same JSON error shape as the rest of the API —
 * and at most one answer per request: a socket that still has a request in
 * flight is closed, never sent a second, contradicting answer.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, MSG, ProxyError } from './errors.ts';

/** Headers every raw answer carries (the same security headers as handled answers). */
const RAW_HEADERS =
  'Content-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n' +
  "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\nReferrer-Policy: no-referrer\r\n";

/**
 * A complete HTTP/1.1 error answer written straight to a socket, for the paths
 * that have no ServerResponse. The body is left out for HEAD (RFC 9110 §9.3.2),
 * but Content-Length still says how long it would be. The connection closes.
 */
export function rawErrorResponse(err: ProxyError, opts: { head: boolean; allow?: string }): string {
  const payload = JSON.stringify(errorBody(err));
  const reason = http.STATUS_CODES[err.status] ?? 'Error';
  const allow = opts.allow ? `Allow: ${opts.allow}\r\n` : '';
  return (
    `HTTP/1.1 ${err.status} ${reason}\r\n${RAW_HEADERS}${allow}Content-Length: ${Buffer.byteLength(payload)}\r\n` +
    `Connection: close\r\n\r\n${opts.head ? '' : payload}`
  );
}

/** The typed error for a Node client error: slow headers, oversized headers, or anything malformed. */
export function clientErrorFor(err: Error & { code?: string }): ProxyError {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new ProxyError('REQUEST_TIMEOUT', MSG.REQUEST_TIMEOUT);
  if (err.code === 'HPE_HEADER_OVERFLOW') return new ProxyError('HEADERS_TOO_LARGE', MSG.HEADERS_TOO_LARGE);
  return new ProxyError('BAD_REQUEST', MSG.MALFORMED_REQUEST);
}

/**
 * Counts requests in flight per socket: from the moment Node hands a request
 * to us until its response is finished or its socket dies.
 */
export class SocketLoad {
  private readonly inFlight = new WeakMap<object, number>();

  /** Marks `req` in flight on its socket until `res` closes. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    this.inFlight.set(socket, this.count(socket) + 1);
    res.once('close', () => this.inFlight.set(socket, this.count(socket) - 1));
  }

  /** Requests in flight on `socket`. */
  count(socket: object): number {
    return this.inFlight.get(socket) ?? 0;
  }
}

/**
 * Installs the edge handlers on `server`. `sendError` answers through a
 * ServerResponse (used for unmet `Expect`, where Node gives us one).
 */
export function installEdgeHandlers(
  server: http.Server,
  load: SocketLoad,
  sendError: (req: IncomingMessage, res: ServerResponse, err: ProxyError) => void,
): void {
  server.on('clientError', (err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex) => {
    // A request of this socket is still being answered: a second answer (or a 400 before its 200)
    // would contradict it. Close the socket; the handler sees it gone and makes no upstream call.
    if (!socket.writable || load.count(socket) > 0) {
      socket.destroy();
      return;
    }
    const head = err.rawPacket !== undefined && err.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.end(rawErrorResponse(clientErrorFor(err), { head }));
  });

  // CONNECT would otherwise be dropped without a word: answer 405 like any other method.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.end(rawErrorResponse(new ProxyError('METHOD_NOT_ALLOWED', MSG.METHOD_NOT_ALLOWED), { head: false, allow: 'GET, OPTIONS' }));
  });

  // Any Expect but 100-continue (which Node grants itself) gets Node's bare 417 otherwise.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    load.track(req, res);
    req.resume();
    res.setHeader('Connection', 'close');
    sendError(req, res, new ProxyError('EXPECTATION_FAILED', MSG.EXPECTATION_FAILED));
  });
}
