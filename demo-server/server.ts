/**
 * createServer(options) → a running livedeck: HTTP pages and API, Socket.IO,
 * storage and the live talk, listening on options.port (0 in tests).
 */
import http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { setupWorker } from '@socket.io/sticky';
import { Server } from 'socket.io';
import type { PublicTalk } from '../src/shared/protocol.js';
import { RACE_NAMESPACE } from '../src/shared/race.js';
import { createApiRouter, sendError } from './http/api.js';
import { allowedOrigins, joinUrls, qrSvg } from './http/join-urls.js';
import { createPresenterRouter } from './http/presenter-routes.js';
import { createRaceRouter } from './http/race-routes.js';
import { createSeriesRouter } from './http/series-routes.js';
import { distPages, vitePages, type PagesHandle } from './http/pages.js';
import { requestIds, sameOriginWrites } from './http/request-guards.js';
import { boundPendingConnections, limitRequests, serverTimeouts } from './http/http-limits.js';
import { clientAddress } from './net/client-address.js';
import { createLogger } from './logger.js';
import { defaultOptions, PROJECT_ROOT, type ServerOptions } from './options.js';
import { bearerToken, createTokenCheck } from './presenter-token.js';
import { ConnectionCaps } from './realtime/connection-caps.js';
import { createAuthMiddleware, welcome } from './realtime/connection.js';
import { InFlight, type EventGuards } from './realtime/event-guards.js';
import { connectionLogger, createDispatcher, type HandlerContext } from './realtime/handler.js';
import { PresenterPresence } from './realtime/presenter-presence.js';
import { RATE_LIMITS, RateLimiters } from './realtime/rate-limits.js';
import { RoomLog } from './realtime/room-log.js';
import { DriverPresence } from './realtime/driving.js';
import { createHandlers } from './realtime/register.js';
import { IdentityBudget } from './realtime/identity-budget.js';
import { SlowConsumerGuard } from './realtime/slow-consumers.js';
import type { LiveServer } from './realtime/live-server.js';
import { TalkRoom } from './realtime/talk-room.js';
import { scaleOut } from './scale-out.js';
import { openSqliteStorage } from './storage/sqlite.js';
import type { TalkStorage } from './storage/storage.js';
import { TalkCatalog } from './talk/catalog.js';

/** Socket.IO frames above this close the connection; real payloads are under 2 KB. */
export const MAX_HTTP_BUFFER_SIZE = 16 * 1024;

export interface LiveDeckServer {
  /** Loopback URL of this server (for tests and local tools). */
  url: string;
  port: number;
  /** What phones should open. */
  joinUrls: string[];
  /** Presenter deck URL; the token travels in the fragment only. */
  presenterUrl: string;
  room: TalkRoom;
  io: LiveServer;
  logger: Logger;
  /** Connection caps and their live counts. */
  caps: ConnectionCaps;
  slowConsumers: SlowConsumerGuard;
  presence: PresenterPresence;
  /**
   * Replaces the presenter token (a leaked presenter URL): presenter sockets
   * holding the old one are disconnected, and any event they still send is
   * refused. Returns the new presenter URL.
   */
  rotatePresenterToken(token: string): string;
  /**
   * Stops accepting connections, tells every client `server:restarting`,
   * lets running events finish (their writes commit), closes connections
   * and the database. Within `shutdownGraceMs` (plus the database close).
   */
  close(): Promise<void>;
}

export async function createServer(overrides: Partial<ServerOptions> = {}): Promise<LiveDeckServer> {
  const options: ServerOptions = { ...defaultOptions(), ...overrides };
  const logger = createLogger(options.logLevel, options.logFormat, options.logDestination);
  const startedAt = Date.now();
  const catalog = new TalkCatalog(options.slidesDir, [options.talkFile], PROJECT_ROOT);
  // A start talk that does not load is reported, and the server serves the series without a live talk until the presenter picks one.
  const start = catalog.entry(options.talkFile);
  if (start.error !== undefined) logger.error({ talk: start.id, error: start.error }, 'the start talk could not be loaded; no talk is live');
  // REDIS_URL: state in Redis and broadcasts through it, so any number of processes serve one talk.
  const scaled = options.redisUrl ? await scaleOut(options.redisUrl, logger) : undefined;
  const storage: TalkStorage = scaled?.storage ?? (await openSqliteStorage(options.dbFile));
  const isPresenterToken = createTokenCheck(options.presenterToken, options.presenterLockout);
  const caps = new ConnectionCaps(options);
  const provesPresenter = async (request: http.IncomingMessage) => {
    const token = bearerToken(request.headers.authorization);
    return token !== undefined && (await isPresenterToken.verify(token, caps.addressOf(request))).ok;
  };
  let stopping = false;

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(serverTimeouts(options), app);
  // Behind a trusted proxy every connection comes from the proxy, which buffers slow clients itself.
  if (!options.trustProxy) boundPendingConnections(httpServer, options, (socket) => socket.remoteAddress ?? '');
  // Every TCP connection, so a shutdown can end the ones that outlive the grace period.
  const openConnections = new Set<NetSocket>();
  httpServer.on('connection', (connection: NetSocket) => {
    openConnections.add(connection);
    connection.once('close', () => openConnections.delete(connection));
  });
  const io: LiveServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    ...(scaled ? { adapter: scaled.adapter } : {}),
    // Runs for handshakes only (a request without a sid), before any Socket.IO work; a refusal is an HTTP 400/403 the client retries.
    allowRequest: (request, callback) => {
      if (stopping) return callback('the server is restarting', false);
      const origin = request.headers.origin;
      // Non-browser clients send no Origin; browsers always do on cross-site requests.
      if (origin !== undefined && !origins.has(origin)) return callback('origin not allowed', false);
      const refusal = caps.refusal(request);
      if (refusal === undefined) return callback(null, true);
      // A presenter screen proving the token in its handshake gets in whatever its address (a venue NAT) holds open.
      void provesPresenter(request).then((proven) => callback(proven ? null : refusal, proven));
    },
  });
  let origins = new Set<string>();
  caps.attach(io.engine);
  if (options.nodeId && !options.clusterWorker) {
    // Behind a load balancer: the session id names this process, so a long-polling session can be routed back here (docs/deploy.md).
    const generateId = io.engine.generateId.bind(io.engine);
    const prefix = `${options.nodeId}-`;
    io.engine.generateId = (request) => `${prefix}${generateId(request)}`;
  }

  const identities = new IdentityBudget(options.maxIdentitiesPerIp, scaled?.rateLimits);
  const room = new TalkRoom({
    storage,
    io,
    logger,
    identities,
    takeOverMs: options.driverTakeoverMs,
    now: options.now,
    findTalk: (id) => catalog.find(id)?.talk,
    ...(scaled ? { scaledOut: { connected: () => scaled.redisUp } } : {}),
  });
  scaled?.onReconnect(() => void room.catchUp());
  let pages: PagesHandle | undefined;
  try {
    await room.open(start.talk ?? null);
    const phonePage = { talk: () => room.liveTalk, position: () => room.control.slide, ended: () => room.stage === 'ended' };
    pages = options.assets === 'vite' ? await vitePages(httpServer, phonePage) : distPages(phonePage);
  } catch (error) {
    room.close();
    await storage.close();
    await scaled?.close();
    throw error;
  }

  let join: PublicTalk['join'] = { url: '', urls: [], qrSvg: '' };
  // First of all, so that a flood costs as little as possible.
  app.use(limitRequests(options, isPresenterToken, (request) => clientAddress(request, options.trustProxy)));
  app.use(requestIds());
  app.use(
    helmet({
      contentSecurityPolicy:
        options.assets === 'vite'
          ? false // Vite's dev client injects inline scripts
          : {
              directives: {
                defaultSrc: ["'self'"],
                scriptSrc: ["'self'"],
                // Reveal positions slides with inline styles.
                styleSrc: ["'self'", "'unsafe-inline'"],
                imgSrc: ["'self'", 'data:'],
                connectSrc: ["'self'", 'ws:', 'wss:'],
                upgradeInsecureRequests: null,
              },
            },
      // Plain HTTP on a LAN: no HSTS, no cross-origin isolation that would block phones.
      strictTransportSecurity: false,
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
    }),
  );
  app.use(sameOriginWrites(() => origins));
  app.use(
    createApiRouter({
      room,
      isPresenterToken,
      join: () => join,
      startedAt,
      trustProxy: options.trustProxy,
      ...(scaled ? { redis: () => (scaled.redisUp ? 'up' : 'down') } : {}),
    }),
  );
  app.use(createPresenterRouter({ room, catalog, isPresenterToken, trustProxy: options.trustProxy }));
  app.use(createSeriesRouter({ room, catalog }));
  app.use(createRaceRouter(room.race));
  // Phones on venue Wi-Fi: the deck's JS and CSS shrink to about a quarter gzipped.
  // Pages and assets only: the race's routes count exact wire bytes.
  app.use(compression());
  app.use(pages.router);
  app.use((_request, response) => sendError(response, 404, 'not_found', 'no such page'));
  app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) logger.error({ req: response.locals.requestId as string, err: error }, 'request failed');
    sendError(response, status, status >= 500 ? 'internal' : 'invalid', status >= 500 ? 'internal error' : 'bad request');
  });

  const guards: EventGuards = {
    presenterHolds: (data) => isPresenterToken.holds(data.presenterKey),
    isBanned: async (authorId) => {
      const talk = room.liveTalk;
      return talk ? storage.isBanned(talk.id, authorId) : false;
    },
    stage: () => room.stage,
    get stopping() {
      return stopping;
    },
    inFlight: new InFlight(),
  };
  const context: HandlerContext = { logger, limiters: new RateLimiters(RATE_LIMITS, scaled?.rateLimits), guards };
  const presence = new PresenterPresence(io, () => room.presentersElsewhere());
  const roomLog = new RoomLog(logger, () => room.roomAudience, options.audienceLogMs);
  const driverPresence = new DriverPresence(room, (error) => logger.warn({ err: error }, 'could not update who drives'));
  // Scaled out, presenters on other processes are known from their once-a-second reports.
  const presenceRefresh = scaled ? setInterval(() => presence.refresh(), 1000).unref() : undefined;
  const slowConsumers = new SlowConsumerGuard(io.engine, { maxBufferedBytes: options.slowConsumerBytes, checkEveryMs: options.slowConsumerCheckMs }, logger);
  io.use(createAuthMiddleware(room, isPresenterToken, logger, caps));
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
    void welcome(socket, room, logger);
  });
  io.of(RACE_NAMESPACE).on('connection', (socket) => socket.onAny(refuseEverything));

  if (options.clusterWorker) {
    // The cluster primary owns the port and hands us connections, each Socket.IO session always to the same worker.
    setupWorker(io);
  } else {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port, options.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  }
  const port = options.clusterWorker ? options.port : (httpServer.address() as AddressInfo).port;
  const urls = joinUrls(options.host, port, options.publicUrl);
  origins = allowedOrigins(urls, port, options.allowedOrigins);
  join = { url: urls[0]!, urls, qrSvg: await qrSvg(urls[0]!) };
  const url = `http://127.0.0.1:${port}`;

  const presenterUrlFor = (token: string) => `${new URL('present', urls[0]).href}#token=${encodeURIComponent(token)}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    joinUrls: urls,
    presenterUrl: presenterUrlFor(options.presenterToken),
    room,
    io,
    logger,
    caps,
    slowConsumers,
    presence,
    rotatePresenterToken(token) {
      isPresenterToken.rotate(token);
      for (const socket of io.of('/').sockets.values()) {
        if (socket.data.role === 'presenter' && !guards.presenterHolds(socket.data)) socket.disconnect(true);
      }
      logger.info('presenter token rotated');
      return presenterUrlFor(token);
    },
    close() {
      closing ??= (async () => {
        // New handshakes are refused and the port is released at once; open connections carry on for now.
        stopping = true;
        httpServer.close();
        // Local: scaled out, the other processes' phones are not going anywhere.
        io.local.emit('server:restarting', {});
        // Running events finish and acknowledge (their writes commit); new ones are refused with `unavailable`.
        const drained = await guards.inFlight.drain(options.shutdownGraceMs);
        if (!drained) logger.warn({ running: guards.inFlight.size }, 'shutdown: events still running after the grace period');
        room.close();
        // The last acks may still sit in a connection's queue: closing the engine would discard them.
        await slowConsumers.flush(options.shutdownGraceMs);
        slowConsumers.close();
        clearInterval(presenceRefresh);
        roomLog.close();
        // Closing the engine drops transports without a "go away" packet, so phones reconnect by themselves (to us after a restart).
        const closed = new Promise<void>((resolve) => io.close(() => resolve()));
        const grace = new Promise<void>((resolve) => setTimeout(resolve, options.shutdownGraceMs).unref());
        await Promise.race([closed, grace]);
        // Peers that never answered the close (or idle keep-alive requests) are cut off.
        for (const connection of openConnections) connection.destroy();
        await pages?.close();
        await storage.close();
        await scaled?.close();
      })();
      return closing;
    },
  };
}
