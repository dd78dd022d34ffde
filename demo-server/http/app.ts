/**
 * The HTTP side of a livedeck process: every middleware and router of the
 * Express app, in the order a request meets them.
 */
import compression from 'compression';
import type express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { PublicTalk } from '../../src/shared/protocol.js';
import { clientAddress } from '../net/client-address.js';
import type { ServerOptions } from '../options.js';
import type { TokenCheck } from '../presenter-token.js';
import type { TalkRoom } from '../realtime/talk-room.js';
import type { TalkCatalog } from '../talk/catalog.js';
import { createApiRouter, sendError } from './api.js';
import { limitRequests } from './http-limits.js';
import type { PagesHandle } from './pages.js';
import { createPresenterRouter } from './presenter-routes.js';
import { createRaceRouter } from './race-routes.js';
import { createSeriesRouter } from './series-routes.js';
import { requestIds, sameOriginWrites } from './request-guards.js';

export interface HttpAppDeps {
  options: ServerOptions;
  room: TalkRoom;
  /** Every talk in the slides folder. */
  catalog: TalkCatalog;
  isPresenterToken: TokenCheck;
  pages: PagesHandle;
  logger: Logger;
  startedAt: number;
  /** Known once the server listens (the port is chosen then). */
  join: () => PublicTalk['join'];
  origins: () => ReadonlySet<string>;
  /** Scaled out: whether this process reaches Redis, for /healthz. */
  redis?: () => 'up' | 'down';
}

/** Mounts everything on `app`, which the HTTP server was created with before the talk could open. */
export function mountHttpApp(app: express.Express, deps: HttpAppDeps): void {
  const { options, room, catalog, isPresenterToken, logger } = deps;
  app.disable('x-powered-by');
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
  app.use(sameOriginWrites(deps.origins));
  app.use(
    createApiRouter({
      room,
      isPresenterToken,
      join: deps.join,
      startedAt: deps.startedAt,
      trustProxy: options.trustProxy,
      ...(deps.redis ? { redis: deps.redis } : {}),
    }),
  );
  app.use(createPresenterRouter({ room, catalog, isPresenterToken, trustProxy: options.trustProxy }));
  app.use(createSeriesRouter({ room, catalog }));
  app.use(createRaceRouter(room.race));
  // Phones on venue Wi-Fi: the deck's JS and CSS shrink to about a quarter gzipped.
  // Pages and assets only: the race's routes count exact wire bytes.
  app.use(compression());
  app.use(deps.pages.router);
  app.use((_request, response) => sendError(response, 404, 'not_found', 'no such page'));
  app.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) logger.error({ req: response.locals.requestId as string, err: error }, 'request failed');
    sendError(response, status, status >= 500 ? 'internal' : 'invalid', status >= 500 ? 'internal error' : 'bad request');
  });
}
