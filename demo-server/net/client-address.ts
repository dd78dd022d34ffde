/**
 * The address a request comes from, for per-address limits. Behind a reverse
 * proxy every phone shares the proxy's address; with trustProxy the last
 * X-Forwarded-For entry is used instead: the one the proxy itself appended
 * (nginx's $proxy_add_x_forwarded_for), which a client cannot forge.
 */
import type { IncomingMessage } from 'node:http';

export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const peer = request.socket?.remoteAddress ?? '';
  if (!trustProxy) return peer;
  const header = request.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return forwarded.at(-1) ?? peer;
}
