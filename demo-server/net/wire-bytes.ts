/**
 * Exact HTTP/1.1 byte counts for the race demo: what a request weighed as it
 * reached this server, and what the answer weighs as Node will write it.
 *
 * The answer reports both in its own `X-Wire-Bytes` header, so a browser pane
 * can add up real bytes (Resource Timing cannot: browsers report a response's
 * headers as a flat 300 bytes, and request headers not at all).
 * test/widgets.integration.test.ts checks the figures against a raw TCP socket.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { formatWireBytes, WIRE_BYTES_HEADER } from '../../src/shared/race.js';

/** Node parses header bytes as latin1: one character is one byte. */
const bytesOf = (text: string) => Buffer.byteLength(text, 'latin1');

/** Request line and headers as the client sent them (browsers write `Name: value`). */
export function requestHeadBytes(request: IncomingMessage, target = request.url ?? '/'): number {
  let head = `${request.method ?? 'GET'} ${target} HTTP/${request.httpVersion}\r\n`;
  const raw = request.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) head += `${raw[index]}: ${raw[index + 1]}\r\n`;
  return bytesOf(head + '\r\n');
}

/** Status line and headers exactly as Node writes them for this response, once nothing more is added. */
function responseHeadBytes(response: ServerResponse): number {
  let head = `HTTP/1.1 ${response.statusCode} ${response.statusMessage || STATUS_CODES[response.statusCode] || 'unknown'}\r\n`;
  // Names come back lowercased; a name's case does not change its length.
  for (const name of response.getHeaderNames()) {
    const value = response.getHeader(name);
    for (const one of Array.isArray(value) ? value : [value]) head += `${name}: ${String(one)}\r\n`;
  }
  return bytesOf(head + '\r\n');
}

function keepsAlive(request: IncomingMessage): boolean {
  const connection = (request.headers.connection ?? '').toLowerCase();
  return request.httpVersion === '1.1' ? !connection.includes('close') : connection.includes('keep-alive');
}

/**
 * Ends the response with `json` (or no body), having set every header Node
 * would otherwise add on its own (Date, Connection, Content-Length), so the
 * head counted here is the head written.
 */
export function endWithWireBytes(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, status: number, json?: unknown): void {
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  response.statusCode = status;
  response.setHeader('Date', new Date().toUTCString());
  response.setHeader('Connection', keepsAlive(request) ? 'keep-alive' : 'close');
  response.setHeader('Cache-Control', 'no-store');
  if (body) {
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', body.length);
  }
  const requestBytes = requestHeadBytes(request, request.originalUrl) + Number(request.headers['content-length'] ?? 0);
  const withoutCount = responseHeadBytes(response) + (body?.length ?? 0);
  // The header counts its own line, whose length depends on the count: iterate to the fixed point (two steps at most).
  let total = withoutCount;
  for (;;) {
    const line = bytesOf(`${WIRE_BYTES_HEADER}: ${formatWireBytes({ request: requestBytes, response: total })}\r\n`);
    if (withoutCount + line === total) break;
    total = withoutCount + line;
  }
  response.setHeader(WIRE_BYTES_HEADER, formatWireBytes({ request: requestBytes, response: total }));
  response.end(body);
}

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC65B11';

/**
 * The WebSocket upgrade: the request as received, and the 101 answer the
 * `ws` library writes for it (no subprotocol, no compression: Engine.IO's
 * defaults, which this server keeps).
 */
export function upgradeBytes(request: IncomingMessage): { request: number; response: number } {
  const key = request.headers['sec-websocket-key'];
  if (request.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string') {
    return { request: requestHeadBytes(request), response: 0 };
  }
  const accept = createHash('sha1')
    .update(key + WEBSOCKET_GUID)
    .digest('base64');
  const lines = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`];
  return { request: requestHeadBytes(request), response: bytesOf(lines.concat('\r\n').join('\r\n')) };
}
