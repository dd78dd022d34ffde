/**
 * Presenter-only HTTP routes (Authorization: Bearer <token>): past sessions,
 * their exports, and starting a fresh one. Without the token: 401 and no data.
 */
import express from 'express';
import { SessionIdParamSchema } from '../../src/shared/protocol.js';
import type { TokenCheck } from '../presenter-token.js';
import type { TalkRoom } from '../realtime/talk-room.js';
import { requirePresenter, sendError } from './api.js';
import { buildExport, exportMarkdown } from './export.js';

export function createPresenterRouter(room: TalkRoom, isPresenterToken: TokenCheck, trustProxy = false): express.Router {
  const router = express.Router();
  router.use('/api/presenter', requirePresenter(isPresenterToken, trustProxy), (_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/presenter/sessions', async (_request, response) => {
    const sessions = await room.storage.listSessions(room.talk.id);
    response.json({ current: room.sessionId, sessions });
  });

  // The sessions page starts a fresh session over HTTP: it holds no socket of its own.
  router.post('/api/presenter/sessions', async (_request, response) => {
    const session = await room.startNewSession();
    response.status(201).json({ sessionId: session.id });
  });

  router.get('/api/presenter/sessions/:id/export.:format', async (request, response) => {
    const id = SessionIdParamSchema.safeParse(request.params.id);
    const format = request.params.format;
    if (!id.success || (format !== 'md' && format !== 'json')) {
      return sendError(response, 400, 'invalid', 'expected /api/presenter/sessions/<id>/export.md or .json');
    }
    const session = await room.storage.getSession(id.data);
    if (!session || session.talkId !== room.talk.id) return sendError(response, 404, 'not_found', `no session ${id.data}`);
    const [questions, chat, summaries, polls] = await Promise.all([
      room.storage.listQuestions(session.id),
      room.storage.allChat(session.id),
      room.storage.listSessions(room.talk.id),
      room.polls.exportFor(session.id),
    ]);
    const peak = summaries.find((summary) => summary.id === session.id)?.peakAudience ?? 0;
    const data = buildExport({ id: room.talk.id, title: room.talk.title }, session, peak, questions, chat);
    if (polls.length) data.extras = { ...data.extras, polls };
    const filename = `${room.talk.id}-session-${session.id}.${format}`;
    response.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    if (format === 'json') response.json(data);
    else response.type('text/markdown; charset=utf-8').send(exportMarkdown(data));
  });

  return router;
}
