/**
 * JSON routes: the public deck, the presenter's notes and health.
 * Presenter routes need `Authorization: Bearer <token>`; the token never
 * travels in a URL.
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import type { ErrorCode, HttpError, PresenterNotes, PublicTalk } from '../../src/shared/protocol.js';
import { bearerToken, type TokenCheck } from '../presenter-token.js';
import type { TalkRoom } from '../realtime/talk-room.js';
import { renderDeckHtml, talkNotes, talkOutline } from '../talk/load-talk.js';

export function sendError(response: Response, status: number, code: ErrorCode, message: string): void {
  const body: HttpError = { error: { code, message } };
  response.status(status).json(body);
}

export function requirePresenter(isPresenterToken: TokenCheck) {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!isPresenterToken(bearerToken(request.headers.authorization))) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      return sendError(response, 401, 'forbidden', 'presenter token required');
    }
    next();
  };
}

export interface ApiDeps {
  room: TalkRoom;
  isPresenterToken: TokenCheck;
  join: () => PublicTalk['join'];
  startedAt: number;
}

export function createApiRouter({ room, isPresenterToken, join, startedAt }: ApiDeps): express.Router {
  const router = express.Router();
  const deckHtml = renderDeckHtml(room.talk);
  const outline = talkOutline(room.talk);
  const notes: PresenterNotes = { notes: talkNotes(room.talk) };

  router.get('/healthz', (_request, response) => {
    response.json({ ok: true, talk: room.talk.id, session: room.sessionId, audience: room.audienceCount, uptimeMs: Date.now() - startedAt });
  });

  router.get('/api/talk', (_request, response) => {
    const body: PublicTalk = {
      id: room.talk.id,
      title: room.talk.title,
      duration: room.talk.duration,
      deckHtml,
      outline,
      join: join(),
    };
    response.setHeader('Cache-Control', 'no-cache');
    response.json(body);
  });

  router.get('/api/presenter/notes', requirePresenter(isPresenterToken), (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    response.json(notes);
  });

  return router;
}
