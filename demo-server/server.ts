/**
 * createServer(options) → a running livedeck: storage and the live talk,
 * the HTTP app (http/app.ts) and Socket.IO (realtime/socket-server.ts,
 * realtime/talk-sockets.ts) on one HTTP server listening on options.port
 * (0 in tests), and the order it shuts down in (shutdown.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import type { PublicTalk } from '../src/shared/protocol.js';
import { serveFromPrimary } from './cluster.js';
import { mountHttpApp } from './http/app.js';
import { boundPendingConnections, serverTimeouts } from './http/http-limits.js';
import { connectionBudget, readOpenFileLimit } from './net/file-limit.js';
import { ServingErrors } from './net/serving-errors.js';
import { allowedOrigins, joinUrls, qrSvg } from './http/join-urls.js';
import { distPages, vitePages, type PagesHandle } from './http/pages.js';
import { createLogger } from './logger.js';
import { defaultOptions, PROJECT_ROOT, type ServerOptions } from './options.js';
import { bearerToken, createTokenCheck } from './presenter-token.js';
import { ConnectionCaps } from './realtime/connection-caps.js';
import type { LiveServer } from './realtime/live-server.js';
import type { PresenterPresence } from './realtime/presenter-presence.js';
import type { SlowConsumerGuard } from './realtime/slow-consumers.js';
import { IdentityBudget } from './realtime/identity-budget.js';
import { NameRegistry } from './realtime/names.js';
import { QuestionQuota } from './realtime/question-quota.js';
import { createSocketServer } from './realtime/socket-server.js';
import { TalkRoom } from './realtime/talk-room.js';
import { serveTalk } from './realtime/talk-sockets.js';
import { scaleOut } from './scale-out.js';
import { shutDown, trackConnections } from './shutdown.js';
import { openSqliteStorage } from './storage/sqlite.js';
import type { TalkStorage } from './storage/storage.js';
import { TalkCatalog } from './talk/catalog.js';

export { MAX_HTTP_BUFFER_SIZE } from './realtime/socket-server.js';

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
  // Connections are open files: the caps stay below `ulimit -n` (net/file-limit.ts).
  const fileBudget = connectionBudget(readOpenFileLimit(), options.maxConnections);
  if (fileBudget.warning) logger.warn({ maxConnections: fileBudget.maxConnections }, fileBudget.warning);
  const caps = new ConnectionCaps({ ...options, maxConnections: fileBudget.maxConnections });
  let stopping = false;
  // Known once the server listens on its port.
  let origins: ReadonlySet<string> = new Set<string>();
  let join: PublicTalk['join'] = { url: '', urls: [], qrSvg: '' };

  // Routes are mounted once the talk is open; Socket.IO must see the app as the server's one request listener.
  const app = express();
  const httpServer = http.createServer(serverTimeouts(options), app);
  if (fileBudget.maxSockets !== null) httpServer.maxConnections = fileBudget.maxSockets;
  // Behind a trusted proxy every connection comes from the proxy, which buffers slow clients itself.
  if (!options.trustProxy) boundPendingConnections(httpServer, options, (socket) => socket.remoteAddress ?? '');
  const openConnections = trackConnections(httpServer);
  const io = createSocketServer(httpServer, {
    options,
    caps,
    ...(scaled ? { adapter: scaled.adapter } : {}),
    origins: () => origins,
    stopping: () => stopping,
    provesPresenter: async (request) => {
      const token = bearerToken(request.headers.authorization);
      return token !== undefined && (await isPresenterToken.verify(token, caps.addressOf(request))).ok;
    },
  });

  const room = new TalkRoom({
    storage,
    io,
    logger,
    identities: new IdentityBudget(options.maxIdentitiesPerIp, scaled?.rateLimits),
    names: new NameRegistry(scaled?.rateLimits),
    questionQuota: new QuestionQuota(options.maxQuestionsPerPerson, scaled?.rateLimits),
    takeOverMs: options.driverTakeoverMs,
    now: options.now,
    findTalk: (id) => catalog.find(id)?.talk,
    ...(scaled ? { scaledOut: { connected: () => scaled.redisUp } } : {}),
  });
  scaled?.onReconnect(() => void room.catchUp());
  let pages: PagesHandle;
  try {
    await room.open(start.talk ?? null);
    const phonePage = {
      talk: () => room.liveTalk,
      position: () => room.control.slide,
      ended: () => room.stage === 'ended',
      sessionId: () => room.session?.id ?? 0,
    };
    pages = options.assets === 'vite' ? await vitePages(httpServer, phonePage) : distPages(phonePage);
  } catch (error) {
    room.close();
    await storage.close();
    await scaled?.close();
    throw error;
  }

  mountHttpApp(app, {
    options,
    room,
    catalog,
    isPresenterToken,
    pages,
    logger,
    startedAt,
    join: () => join,
    origins: () => origins,
    ...(scaled ? { redis: () => (scaled.redisUp ? 'up' : 'down') } : {}),
  });
  const sockets = serveTalk(io, {
    options,
    room,
    isPresenterToken,
    caps,
    logger,
    stopping: () => stopping,
    ...(scaled ? { scaledOut: { rateLimits: scaled.rateLimits } } : {}),
  });

  if (options.clusterWorker) {
    // The cluster primary owns the port and hands us connections, each Socket.IO session always to the same worker.
    serveFromPrimary(io);
  } else {
    await listen(httpServer, options.port, options.host);
    // As in the `--workers` primary: an accept that fails is logged, never the end of the process (net/serving-errors.ts).
    const errors = new ServingErrors(logger);
    httpServer.on('error', (error) => errors.report('accept', error));
  }
  const port = options.clusterWorker ? options.port : (httpServer.address() as AddressInfo).port;
  const urls = joinUrls(options.host, port, options.publicUrl);
  origins = allowedOrigins(urls, port, options.allowedOrigins);
  join = { url: urls[0]!, urls, qrSvg: await qrSvg(urls[0]!) };

  const presenterUrlFor = (token: string) => `${new URL('present', urls[0]).href}#token=${encodeURIComponent(token)}`;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    joinUrls: urls,
    presenterUrl: presenterUrlFor(options.presenterToken),
    room,
    io,
    logger,
    caps,
    slowConsumers: sockets.slowConsumers,
    presence: sockets.presence,
    rotatePresenterToken(token) {
      isPresenterToken.rotate(token);
      sockets.disconnectStalePresenters();
      logger.info('presenter token rotated');
      return presenterUrlFor(token);
    },
    close() {
      closing ??= shutDown({
        httpServer,
        openConnections,
        io,
        sockets,
        room,
        pages,
        storage,
        ...(scaled ? { scaled } : {}),
        logger,
        graceMs: options.shutdownGraceMs,
        markStopping: () => (stopping = true),
      });
      return closing;
    },
  };
}

function listen(httpServer: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
}
