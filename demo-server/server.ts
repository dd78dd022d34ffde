/**
 * createServer(options) → a running livedeck: HTTP pages and API, Socket.IO,
 * storage and the live talk, listening on options.port (0 in tests).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import { pino, type Logger } from 'pino';
import { Server } from 'socket.io';
import type { PublicTalk } from '../src/shared/protocol.js';
import { createApiRouter, sendError } from './http/api.js';
import { allowedOrigins, joinUrls, qrSvg } from './http/join-urls.js';
import { createPresenterRouter } from './http/presenter-routes.js';
import { createRaceRouter } from './http/race-routes.js';
import { distPages, vitePages, type PagesHandle } from './http/pages.js';
import { defaultOptions, PROJECT_ROOT, type ServerOptions } from './options.js';
import { createTokenCheck } from './presenter-token.js';
import { createAuthMiddleware, welcome } from './realtime/connection.js';
import type { HandlerContext } from './realtime/handler.js';
import { RateLimiters } from './realtime/rate-limits.js';
import { registerHandlers } from './realtime/register.js';
import { TalkRoom, type LiveServer } from './realtime/talk-room.js';
import { openSqliteStorage } from './storage/sqlite.js';
import type { TalkStorage } from './storage/storage.js';
import { loadTalkFile } from './talk/load-talk.js';

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
  close(): Promise<void>;
}

export async function createServer(overrides: Partial<ServerOptions> = {}): Promise<LiveDeckServer> {
  const options: ServerOptions = { ...defaultOptions(), ...overrides };
  const logger = pino({
    level: options.logLevel,
    // Defence in depth: nothing logs headers today, but if someone does, the token stays out.
    redact: ['req.headers.authorization', 'headers.authorization', 'token', 'auth.token'],
  });
  const startedAt = Date.now();
  const talk = loadTalkFile(options.talkFile, PROJECT_ROOT);
  const storage: TalkStorage = openSqliteStorage(options.dbFile);
  const isPresenterToken = createTokenCheck(options.presenterToken);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const io: LiveServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      // Non-browser clients send no Origin; browsers always do on cross-site requests.
      callback(null, origin === undefined || origins.has(origin));
    },
  });
  let origins = new Set<string>();

  const room = new TalkRoom({ talk, storage, io, logger });
  let pages: PagesHandle | undefined;
  try {
    await room.open();
    pages = options.assets === 'vite' ? await vitePages(httpServer) : distPages();
  } catch (error) {
    room.close();
    await storage.close();
    throw error;
  }

  let join: PublicTalk['join'] = { url: '', urls: [], qrSvg: '' };
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
  app.use(createApiRouter({ room, isPresenterToken, join: () => join, startedAt }));
  app.use(createPresenterRouter(room, isPresenterToken));
  app.use(createRaceRouter(room.race, room.now));
  app.use(pages.router);
  app.use((_request, response) => sendError(response, 404, 'not_found', 'no such page'));
  app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) logger.error({ err: error }, 'request failed');
    sendError(response, status, status >= 500 ? 'internal' : 'invalid', status >= 500 ? 'internal error' : 'bad request');
  });

  const context: HandlerContext = { logger, limiters: new RateLimiters() };
  io.use(createAuthMiddleware(room, isPresenterToken, logger));
  io.on('connection', (socket) => {
    registerHandlers(socket, room, context);
    void welcome(socket, room, logger);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const urls = joinUrls(options.host, port, options.publicUrl);
  origins = allowedOrigins(urls, port, options.allowedOrigins);
  join = { url: urls[0]!, urls, qrSvg: await qrSvg(urls[0]!) };
  const url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    joinUrls: urls,
    presenterUrl: `${new URL('present', urls[0]).href}#token=${encodeURIComponent(options.presenterToken)}`,
    room,
    io,
    logger,
    close() {
      closing ??= (async () => {
        room.close();
        // Closing the engine drops transports without a "go away" packet, so phones reconnect by themselves (to us after a restart).
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await pages?.close();
        await storage.close();
      })();
      return closing;
    },
  };
}
