/**
 * Puts the talk on the Socket.IO server: the connect middleware, the guards
 * and dispatcher every inbound event goes through, and what each new socket
 * is tracked by (presenter presence, the room log, who drives) and welcomed with.
 */
import type { Socket as NetSocket } from 'node:net';
import type { Logger } from 'pino';
import { RACE_NAMESPACE } from '../../src/shared/race.js';
import type { ServerOptions } from '../options.js';
import type { TokenCheck } from '../presenter-token.js';
import type { ConnectionCaps } from './connection-caps.js';
import { createAuthMiddleware, welcome } from './connection.js';
import { DriverPresence } from './driving.js';
import { InFlight, type EventGuards } from './event-guards.js';
import { connectionLogger, createDispatcher, type HandlerContext } from './handler.js';
import type { LiveServer, LiveSocket } from './live-server.js';
import type { PresenterPresence } from './presenter-presence.js';
import { RATE_LIMITS, RateLimiters, type SharedRateLimits } from './rate-limits.js';
import { createHandlers } from './register.js';
import { RoomLog } from './room-log.js';
import { SlowConsumerGuard } from './slow-consumers.js';
import type { TalkRoom } from './talk-room.js';

export interface TalkSocketsDeps {
  options: Pick<ServerOptions, 'audienceLogMs' | 'slowConsumerBytes' | 'slowConsumerCheckMs'>;
  room: TalkRoom;
  isPresenterToken: TokenCheck;
  caps: ConnectionCaps;
  logger: Logger;
  /** True while the server shuts down: new events are refused with `unavailable`. */
  stopping: () => boolean;
  /** Scaled out: rate limits shared by every process through Redis. */
  scaledOut?: { rateLimits: SharedRateLimits };
}

export interface TalkSockets {
  guards: EventGuards;
  presence: PresenterPresence;
  slowConsumers: SlowConsumerGuard;
  /** Disconnects presenter sockets whose token is no longer the current one (after a rotation). */
  disconnectStalePresenters(): void;
  /** Stops the timers; the sockets themselves close with the server. */
  close(): void;
}

/**
 * Lets go of the HTTP request that opened the connection. Only the handshake
 * reads it (the middleware, above), but Engine.IO holds it for the
 * connection's life twice: as `conn.request`, and through the 'close'
 * listener its WebSocket upgrade leaves on the TCP socket (engine.io 6's
 * `WebSocketResponse`, which re-emits 'close' for HTTP middlewares; livedeck
 * registers none). Together about 1.2 KB of heap per phone
 * (docs/performance.md); Socket.IO's memory guide recommends the first.
 * The upgrade also leaves an `error` listener on the WebSocket that only
 * matters until the transport adds its own (a closure and its scope, about
 * 0.1 KB). Should engine.io change either listener's shape, it is simply
 * kept, as before.
 */
function releaseHandshakeRequest(socket: LiveSocket): void {
  const conn = socket.conn as unknown as { request: unknown; transport: { socket?: WebSocketInternals } };
  conn.request = null;
  // Nothing reads the parsed headers and query after the middleware either, and a browser's (user agent,
  // languages, cookies) are the longest strings a phone brings; held-people.ts's fetchSockets copies less.
  // One shared empty object, not two new ones per phone. The request's URL and the date string go with it
  // (`issued` keeps the time): about 140 bytes a phone that nothing reads.
  socket.handshake.headers = NOTHING;
  socket.handshake.query = NOTHING;
  socket.handshake.url = '';
  socket.handshake.time = '';
  const ws = conn.transport.socket;
  if (!ws) return;
  // engine.io's `onUpgradeError` swallows errors until a transport listens; its transport's own listener stays.
  const errorListeners = ws.listeners('error');
  const beforeUpgrade = errorListeners.find((listener) => listener.name === 'onUpgradeError');
  if (beforeUpgrade && errorListeners.length > 1) ws.removeListener('error', beforeUpgrade);
  const tcp = ws._socket;
  if (!tcp) return;
  for (const listener of tcp.rawListeners('close') as Array<{ listener?: () => void }>) {
    if (listener.listener && UPGRADE_RESPONSE_CLOSE.test(String(listener.listener))) tcp.removeListener('close', listener as () => void);
  }
}

/** The `ws` WebSocket under an Engine.IO WebSocket transport (not in engine.io's typings). */
interface WebSocketInternals {
  _socket?: NetSocket;
  listeners(event: 'error'): Array<(...args: unknown[]) => void>;
  removeListener(event: 'error', listener: (...args: unknown[]) => void): void;
}

const NOTHING = Object.freeze({});

/** The source of engine.io's `socket.once("close", () => this.emit("close"))` in `WebSocketResponse`. */
const UPGRADE_RESPONSE_CLOSE = /^\(\)\s*=>\s*this\.emit\("close"\)$/;

export function serveTalk(io: LiveServer, deps: TalkSocketsDeps): TalkSockets {
  const { options, room, isPresenterToken, logger } = deps;
  const guards: EventGuards = {
    presenterHolds: (data) => isPresenterToken.holds(data.presenterKey),
    isBanned: async (authorId) => {
      const talk = room.liveTalk;
      return talk ? room.storage.isBanned(talk.id, authorId) : false;
    },
    stage: () => room.stage,
    get stopping() {
      return deps.stopping();
    },
    inFlight: new InFlight(),
  };
  const context: HandlerContext = { logger, limiters: new RateLimiters(RATE_LIMITS, deps.scaledOut?.rateLimits), guards };
  const presence = room.presence;
  const roomLog = new RoomLog(logger, () => room.roomAudience, options.audienceLogMs);
  const driverPresence = new DriverPresence(room, (error) => logger.warn({ err: error }, 'could not update who drives'));
  // Scaled out, presenters on other processes are known from their once-a-second reports.
  const presenceRefresh = deps.scaledOut ? setInterval(() => presence.refresh(), 1000).unref() : undefined;
  const slowConsumers = new SlowConsumerGuard(io.engine, { maxBufferedBytes: options.slowConsumerBytes, checkEveryMs: options.slowConsumerCheckMs }, logger);
  io.use(createAuthMiddleware(room, isPresenterToken, logger, deps.caps));
  // Built once: each socket gets a reference to one shared listener, not its own handlers.
  const dispatch = createDispatcher(createHandlers(room, context), logger);
  const refuseEverything = createDispatcher([], logger);
  io.on('connection', (socket) => {
    // A socket restored by connection state recovery skipped the middleware: its presenter token must still be the current one.
    if (socket.data.role === 'presenter' && !guards.presenterHolds(socket.data)) {
      socket.disconnect(true);
      return;
    }
    if (logger.isLevelEnabled('debug')) {
      connectionLogger(socket, logger).debug({ role: socket.data.role, recovered: socket.recovered }, 'connected');
    }
    socket.onAny(dispatch);
    presence.track(socket);
    roomLog.track(socket);
    driverPresence.track(socket);
    releaseHandshakeRequest(socket);
    void welcome(socket, room, logger);
  });
  io.of(RACE_NAMESPACE).on('connection', (socket) => socket.onAny(refuseEverything));

  return {
    guards,
    presence,
    slowConsumers,
    disconnectStalePresenters() {
      for (const socket of io.of('/').sockets.values()) {
        if (socket.data.role === 'presenter' && !guards.presenterHolds(socket.data)) socket.disconnect(true);
      }
    },
    close() {
      slowConsumers.close();
      clearInterval(presenceRefresh);
      roomLog.close();
    },
  };
}
