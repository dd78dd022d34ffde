/**
 * Plain HTTP against a flood and a slow-loris, per client address:
 *
 * - timeouts suited to a LAN talk: a request's headers must arrive within
 *   `headersTimeoutMs`, the whole request within `requestTimeoutMs`
 *   (Node checks them every second instead of every 30 s);
 * - at most `maxPendingConnectionsPerIp` connections per address that have
 *   not sent a complete request yet: past it the oldest is closed;
 * - at most `httpRequestsPerIp` requests per 10 s per address (the race
 *   widget's 10 polls a second per projector use a tenth of it): past it,
 *   `429` with `Retry-After` and the connection closed. A request proving
 *   the presenter token is never refused (the presenter shares the room's
 *   address behind a venue NAT).
 *
 * Socket.IO's own requests (its handshake and long-polling) are answered
 * before Express and bounded by the connection caps and event limits.
 */
import type http from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { bearerToken, type TokenCheck } from '../presenter-token.js';
import { sendError } from './api.js';

export interface HttpLimitOptions {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  maxPendingConnectionsPerIp: number;
  httpRequestsPerIp: number;
}

export const HTTP_WINDOW_SECONDS = 10;

/** The server-level timeouts, for `http.createServer`. */
export function serverTimeouts(options: HttpLimitOptions): http.ServerOptions {
  return {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // Node enforces both only when it looks, every 30 s by default: a dripping client would get 30 s more.
    connectionsCheckingInterval: 1000,
  };
}

/**
 * Bounds the connections of one address that have not sent a complete
 * request yet (a slow-loris opens many and drips their headers): past
 * `maxPendingConnectionsPerIp`, the oldest one is closed. An honest
 * request completes within milliseconds, so it is never the oldest for
 * long, and a newcomer behind the same NAT is never the one refused.
 */
export function boundPendingConnections(server: http.Server, options: HttpLimitOptions, addressOf: (socket: NetSocket) => string): void {
  const pending = new Map<string, Set<NetSocket>>();
  const addressOfPending = new WeakMap<NetSocket, string>();
  const settle = (socket: NetSocket) => {
    const ip = addressOfPending.get(socket);
    if (ip === undefined) return;
    addressOfPending.delete(socket);
    socket.removeListener('close', closedWhilePending);
    const sockets = pending.get(ip);
    sockets?.delete(socket);
    if (sockets?.size === 0) pending.delete(ip);
  };
  // One listener for every connection (`this` is the socket), removed once it settles: a phone's
  // WebSocket lives on for the whole talk and should not carry a closure for its first milliseconds.
  const closedWhilePending = function (this: NetSocket) {
    settle(this);
  };
  server.on('connection', (socket: NetSocket) => {
    const ip = addressOf(socket);
    let sockets = pending.get(ip);
    if (!sockets) pending.set(ip, (sockets = new Set()));
    if (sockets.size >= options.maxPendingConnectionsPerIp) {
      const oldest = sockets.values().next().value!;
      settle(oldest);
      oldest.destroy();
    }
    sockets.add(socket);
    addressOfPending.set(socket, ip);
    socket.on('close', closedWhilePending);
  });
  // A complete request (or WebSocket upgrade) arrived: the connection is no longer half-open.
  server.on('request', (request: http.IncomingMessage) => settle(request.socket));
  server.on('upgrade', (request: http.IncomingMessage) => settle(request.socket));
}

/** Express middleware: requests per address per 10 s. */
export function limitRequests(options: HttpLimitOptions, isPresenterToken: TokenCheck, addressOf: (request: Request) => string) {
  const limiter = new RateLimiterMemory({ keyPrefix: 'http', points: options.httpRequestsPerIp, duration: HTTP_WINDOW_SECONDS });
  return async (request: Request, response: Response, next: NextFunction) => {
    try {
      await limiter.consume(addressOf(request));
      return next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return next(rejection);
      const token = bearerToken(request.headers.authorization);
      if (token !== undefined && isPresenterToken(token)) return next();
      response.setHeader('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
      // The flood pays for a new connection per request from now on.
      response.setHeader('Connection', 'close');
      sendError(response, 429, 'rate_limited', 'too many requests from your address; try again shortly');
    }
  };
}
