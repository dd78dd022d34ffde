/**
 * The talk's Socket.IO server on the HTTP server: which handshakes get in
 * (shutdown, origin, connection caps, a proven presenter token), frame size,
 * connection state recovery, the adapter and session ids behind a balancer.
 */
import type http from 'node:http';
import { Server, type ServerOptions as IoOptions } from 'socket.io';
import type { ServerOptions } from '../options.js';
import type { ConnectionCaps } from './connection-caps.js';
import type { LiveServer } from './live-server.js';

/** Socket.IO frames above this close the connection; real payloads are under 2 KB. */
export const MAX_HTTP_BUFFER_SIZE = 16 * 1024;

export interface SocketServerDeps {
  options: Pick<ServerOptions, 'nodeId' | 'clusterWorker'>;
  caps: ConnectionCaps;
  /** Scaled out: Socket.IO's Redis Streams adapter. */
  adapter?: IoOptions['adapter'];
  /** Browser origins allowed to connect; known once the server listens. */
  origins: () => ReadonlySet<string>;
  /** True while the server shuts down: new handshakes are refused. */
  stopping: () => boolean;
  /** Whether the handshake carries the current presenter token (a presenter passes the connection caps). */
  provesPresenter: (request: http.IncomingMessage) => Promise<boolean>;
}

export function createSocketServer(httpServer: http.Server, deps: SocketServerDeps): LiveServer {
  const { options, caps } = deps;
  const io: LiveServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
    // Runs for handshakes only (a request without a sid), before any Socket.IO work; a refusal is an HTTP 400/403 the client retries.
    allowRequest: (request, callback) => {
      if (deps.stopping()) return callback('the server is restarting', false);
      const origin = request.headers.origin;
      // Non-browser clients send no Origin; browsers always do on cross-site requests.
      if (origin !== undefined && !deps.origins().has(origin)) return callback('origin not allowed', false);
      const refusal = caps.refusal(request);
      if (refusal === undefined) return callback(null, true);
      // A presenter screen proving the token in its handshake gets in whatever its address (a venue NAT) holds open.
      void deps.provesPresenter(request).then((proven) => callback(proven ? null : refusal, proven));
    },
  });
  caps.attach(io.engine);
  if (options.nodeId && !options.clusterWorker) {
    // Behind a load balancer: the session id names this process, so a long-polling session can be routed back here (docs/deploy.md).
    const generateId = io.engine.generateId.bind(io.engine);
    const prefix = `${options.nodeId}-`;
    io.engine.generateId = (request) => `${prefix}${generateId(request)}`;
  }
  return io;
}
