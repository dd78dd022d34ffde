/**
 * Presenter-only HTTP routes (Authorization: Bearer <token>): the talks of
 * the series and making one live, past sessions with their exports and
 * reports, and starting a fresh session. Without the token: 401 and no data.
 */
import express from 'express';
import { SessionIdParamSchema, TalkIdParamSchema, type LiveState, type SessionList, type TalkList } from '../../src/shared/protocol.js';
import type { TokenCheck } from '../presenter-token.js';
import type { TalkRoom } from '../realtime/talk-room.js';
import { gatherReport } from '../report/session-report.js';
import { renderReportHtml } from '../report/report-html.js';
import type { TalkCatalog } from '../talk/catalog.js';
import { requirePresenter, sendError, sendRefusal } from './api.js';
import { exportMarkdown } from './export.js';
import { talkSummaries } from './talk-summaries.js';

export interface PresenterRouterDeps {
  room: TalkRoom;
  catalog: TalkCatalog;
  isPresenterToken: TokenCheck;
  /** Per-address limits read X-Forwarded-For (see ServerOptions.trustProxy). */
  trustProxy?: boolean;
}

export function liveState(room: TalkRoom): LiveState | null {
  const talk = room.liveTalk;
  const session = room.session;
  return talk && session ? { talkId: talk.id, sessionId: session.id, ended: session.endedAt !== null } : null;
}

export function createPresenterRouter({ room, catalog, isPresenterToken, trustProxy = false }: PresenterRouterDeps): express.Router {
  const router = express.Router();
  router.use('/api/presenter', requirePresenter(isPresenterToken, trustProxy), (_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });

  /** The series: every talk file, loaded or with its error, with its sessions counted. */
  router.get('/api/presenter/talks', async (_request, response) => {
    const body: TalkList = { live: liveState(room), talks: talkSummaries(catalog.list(), await room.storage.listSessions()) };
    response.json(body);
  });

  /** Makes a talk live: the session on the screens ends, phones load the talk at its current slide. */
  router.post('/api/presenter/talks/:id/live', async (request, response) => {
    const id = TalkIdParamSchema.safeParse(request.params.id);
    if (!id.success) return sendError(response, 400, 'invalid', 'expected /api/presenter/talks/<talk id>/live');
    const entry = catalog.find(id.data);
    if (!entry) return sendRefusal(response, 404, 'no_talk', `no talk "${id.data}" in the slides folder`);
    if (!entry.talk) return sendRefusal(response, 409, 'talk_broken', `"${id.data}" does not load: ${entry.error}`);
    await room.switchTalk(entry.talk);
    response.json(liveState(room));
  });

  /** Sessions of one talk (`?talk=id`), the live one by default. */
  router.get('/api/presenter/sessions', async (request, response) => {
    const asked = typeof request.query.talk === 'string' ? TalkIdParamSchema.safeParse(request.query.talk) : undefined;
    if (asked && !asked.success) return sendError(response, 400, 'invalid', 'talk must be a talk id');
    const talkId = asked?.data ?? room.liveTalk?.id;
    const sessions = talkId === undefined ? [] : await room.storage.listSessions(talkId);
    const body: SessionList = { current: room.session?.id ?? 0, live: liveState(room), sessions };
    response.json(body);
  });

  // The sessions page starts a fresh session over HTTP: it holds no socket of its own.
  router.post('/api/presenter/sessions', async (_request, response) => {
    if (!room.liveTalk) return sendRefusal(response, 409, 'no_live_talk', 'no talk is live: make one live first');
    const session = await room.startNewSession();
    response.status(201).json({ sessionId: session.id });
  });

  // Ends the talk from the sessions page: phones switch to the handout.
  router.post('/api/presenter/sessions/current/end', async (_request, response) => {
    if (!room.liveTalk) return sendRefusal(response, 409, 'no_live_talk', 'no talk is live');
    const ended = await room.endSession();
    response.json({ ended, sessionId: ended });
  });

  router.get('/api/presenter/sessions/:id/:file', async (request, response) => {
    const id = SessionIdParamSchema.safeParse(request.params.id);
    const file = request.params.file;
    if (!id.success || !['export.md', 'export.json', 'report.json', 'report.html'].includes(file)) {
      return sendError(response, 400, 'invalid', 'expected /api/presenter/sessions/<id>/export.md, export.json, report.json or report.html');
    }
    const session = await room.storage.getSession(id.data);
    if (!session) return sendError(response, 404, 'not_found', `no session ${id.data}`);
    const report = await gatherReport(room, session, catalog.find(session.talkId)?.talk, room.now());
    const name = `${session.talkId}-session-${session.id}`;
    if (file === 'report.json') return response.json(report.figures);
    if (file === 'report.html') {
      // The report speaks the language its request asks for (the sessions page sends its own).
      response.setHeader('Content-Disposition', `inline; filename="${name}-report.html"`);
      response.vary('Accept-Language');
      return response.type('html').send(renderReportHtml(report.figures, request.acceptsLanguages('en', 'ja') === 'ja' ? 'ja' : 'en'));
    }
    response.setHeader('Content-Disposition', `attachment; filename="${name}.${file === 'export.md' ? 'md' : 'json'}"`);
    if (file === 'export.json') response.json(report.export);
    else response.type('text/markdown; charset=utf-8').send(exportMarkdown(report.export));
  });

  return router;
}
