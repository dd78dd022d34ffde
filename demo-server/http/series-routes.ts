/**
 * Public routes of the series (no token): the /series page and the
 * handout of any ended session. Nothing private is reachable from here.
 */
import express from 'express';
import { ClientIdSchema, SessionIdParamSchema } from '../../src/shared/protocol.js';
import type { TalkRoom } from '../realtime/talk-room.js';
import type { TalkCatalog } from '../talk/catalog.js';
import { sendError } from './api.js';
import { buildHandout } from './handout.js';
import { renderSeriesPage, seriesEntries } from './series-page.js';

export interface SeriesRouterDeps {
  room: TalkRoom;
  catalog: TalkCatalog;
}

/** The phone sends its clientId so that its own questions and votes are marked; it is never echoed. */
export const CLIENT_HEADER = 'x-livedeck-client';

export function createSeriesRouter({ room, catalog }: SeriesRouterDeps): express.Router {
  const router = express.Router();

  router.get('/series', async (request, response) => {
    const entries = seriesEntries(await room.storage.listSessions(), catalog.list());
    response.setHeader('Cache-Control', 'no-cache');
    // The page is rendered here, so its language comes from the request (English unless Japanese is preferred).
    response.setHeader('Vary', 'Accept-Language');
    response.type('html').send(renderSeriesPage(entries, request.acceptsLanguages('en', 'ja') === 'ja' ? 'ja' : 'en'));
  });

  router.get('/api/handout/:id', async (request, response) => {
    const id = SessionIdParamSchema.safeParse(request.params.id);
    if (!id.success) return sendError(response, 400, 'invalid', 'expected /api/handout/<session id>');
    const header = request.get(CLIENT_HEADER);
    const clientId = header === undefined ? undefined : ClientIdSchema.safeParse(header);
    if (clientId && !clientId.success) return sendError(response, 400, 'invalid', `${CLIENT_HEADER} must be a clientId`);
    const session = await room.storage.getSession(id.data);
    // An open session has no handout yet: what the room says is not settled until the talk ends.
    if (!session || session.endedAt === null) return sendError(response, 404, 'not_found', `no handout for session ${id.data}`);
    const handout = await buildHandout(
      room,
      { ...session, endedAt: session.endedAt },
      catalog.find(session.talkId)?.talk,
      clientId?.data,
      room.session?.id === session.id,
    );
    response.setHeader('Cache-Control', 'private, no-cache');
    response.setHeader('Vary', CLIENT_HEADER);
    response.json(handout);
  });

  return router;
}
