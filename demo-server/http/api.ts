/**
 * JSON routes: the public deck, the presenter's notes and health.
 * Presenter routes need `Authorization: Bearer <token>`; the token never
 * travels in a URL.
 */
import compression from 'compression';
import express, { type Request, type Response, type NextFunction } from 'express';
import {
  REFUSALS,
  type ErrorCode,
  type HttpError,
  type PresenterNotes,
  type PublicTalk,
  type RefusalParams,
  type RefusalReason,
} from '../../src/shared/protocol.js';
import { bearerToken, type TokenCheck } from '../presenter-token.js';
import { clientAddress } from '../net/client-address.js';
import type { TalkRoom } from '../realtime/talk-room.js';
import { renderDeckHtml, talkNotes, talkOutline, type Talk } from '../talk/load-talk.js';

export function sendError(response: Response, status: number, code: ErrorCode, message: string): void {
  const body: HttpError = { error: { code, message } };
  response.status(status).json(body);
}

/** A broad refusal with its reason, for a page to say in its language (WireError's `reason`). */
export function sendRefusal(response: Response, status: number, reason: RefusalReason, message: string, params?: RefusalParams): void {
  const body: HttpError = { error: params ? { code: REFUSALS[reason], message, reason, params } : { code: REFUSALS[reason], message, reason } };
  response.status(status).json(body);
}

/** Bearer-token routes; wrong tokens count towards the same per-IP lockout as socket handshakes. */
export function requirePresenter(isPresenterToken: TokenCheck, trustProxy = false) {
  return async (request: Request, response: Response, next: NextFunction) => {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      // No token is no guess: it does not count towards the lockout.
      response.setHeader('WWW-Authenticate', 'Bearer');
      return sendError(response, 401, 'forbidden', 'presenter token required');
    }
    const verdict = await isPresenterToken.verify(token, clientAddress(request, trustProxy));
    if (verdict.ok) return next();
    if (verdict.blockedForMs > 0) {
      response.setHeader('Retry-After', String(Math.ceil(verdict.blockedForMs / 1000)));
      return sendError(response, 429, 'rate_limited', 'too many wrong tokens from your address; try again later');
    }
    response.setHeader('WWW-Authenticate', 'Bearer');
    return sendError(response, 401, 'forbidden', 'presenter token required');
  };
}

export interface ApiDeps {
  room: TalkRoom;
  isPresenterToken: TokenCheck;
  join: () => PublicTalk['join'];
  startedAt: number;
  /** Scaled out: the state of this process's Redis connection. */
  redis?: () => 'up' | 'down';
  /** Per-address limits read X-Forwarded-For (see ServerOptions.trustProxy). */
  trustProxy?: boolean;
}

/** The deck as every page renders it, made once per talk (a talk switch makes it for the new one). */
const publicDecks = new WeakMap<Talk, Omit<PublicTalk, 'join'>>();

export function publicDeck(talk: Talk): Omit<PublicTalk, 'join'> {
  let deck = publicDecks.get(talk);
  if (!deck) {
    deck = {
      id: talk.id,
      title: talk.title,
      duration: talk.duration,
      author: talk.author,
      deckHtml: renderDeckHtml(talk),
      outline: talkOutline(talk),
      options: talk.options,
    };
    publicDecks.set(talk, deck);
  }
  return deck;
}

const notesOf = new WeakMap<Talk, PresenterNotes>();

export function createApiRouter({ room, isPresenterToken, join, startedAt, redis, trustProxy = false }: ApiDeps): express.Router {
  const router = express.Router();

  router.get('/healthz', async (_request, response) => {
    // Still 200 when something fails: the process keeps serving its phones (slides move, joins work), and
    // taking it out of a load balancer would drop them (docs/deploy.md). `ok` and `degraded` say what works.
    const storage = await room.storage.health();
    const redisState = redis?.();
    const degraded = !storage.ok || redisState === 'down';
    response.setHeader('Cache-Control', 'no-store');
    response.json({
      ok: !degraded,
      talk: room.liveTalk?.id ?? null,
      session: room.session?.id ?? null,
      audience: room.audienceCount,
      uptimeMs: Date.now() - startedAt,
      // The reason goes to the log, not to anyone who asks (it may name hosts or files).
      storage: storage.ok ? 'ok' : 'failing',
      ...(redisState ? { redis: redisState } : {}),
      degraded,
    });
  });

  router.get('/api/talk', compression(), (_request, response) => {
    const talk = room.liveTalk;
    response.setHeader('Cache-Control', 'no-cache');
    if (!talk) return sendError(response, 404, 'not_found', 'no talk is live right now');
    const body: PublicTalk = { ...publicDeck(talk), join: join() };
    response.json(body);
  });

  router.get('/api/presenter/notes', requirePresenter(isPresenterToken, trustProxy), (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    const talk = room.liveTalk;
    if (!talk) return sendError(response, 404, 'not_found', 'no talk is live right now');
    let notes = notesOf.get(talk);
    if (!notes) notesOf.set(talk, (notes = { talkId: talk.id, notes: talkNotes(talk) }));
    response.json(notes);
  });

  return router;
}
