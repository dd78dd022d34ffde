/**
 * Q&A: ask, vote (one vote per person, idempotent), and the presenter's
 * moderation. In review mode a new question waits for the presenter:
 * approved, it reaches the room; refused, it is hidden (and counted as such).
 */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createQuestionHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'question:ask', async ({ text }, socket) => {
      const { authorId, name, clientId } = socket.data;
      const { h, v } = room.control.slide;
      const giveBack = await room.takeQuestion(socket.data);
      // A held person's question waits for the presenter like one in review mode (held-people.ts).
      const held = await room.held.holdsQuestion(socket).catch(async (error: unknown) => {
        await giveBack();
        throw error;
      });
      const question = await room.storage
        .addQuestion(room.sessionId, {
          authorId,
          name,
          text,
          ts: room.now(),
          slide: { h, v },
          voterKey: clientId,
          // The presenter's own questions need no approval.
          pending: held || (room.review && socket.data.role !== 'presenter'),
        })
        .catch(async (error: unknown) => {
          await giveBack();
          throw error;
        });
      room.broadcastQuestion(question);
      if (held) room.held.announce();
      return { question };
    }),

    defineHandler(context, 'question:list', async ({ offset }, socket) => room.questionPage(socket.data, offset)),

    defineHandler(context, 'question:vote', async ({ id, up }, socket) => {
      // Votes follow the clientId, so a second socket of the same person changes nothing.
      // A hidden question (or one waiting for approval) is not there for phones: the storage refuses the vote before it changes anything.
      await room.assertVoteCounts(socket);
      const result = await room.storage.setVote(room.sessionId, id, socket.data.clientId, up, socket.data.role === 'presenter');
      if (!result) throw refusalError('no_question', `no question ${id}`, { id });
      const { question, changed } = result;
      if (changed) room.recordVote(socket.data, `question:${id}`, up);
      if (changed) room.broadcastQuestion(question);
      return { question };
    }),

    defineHandler(context, 'question:answer', async ({ id, answered }) => {
      const question = await room.storage.moderateQuestion(room.sessionId, id, { answered });
      if (!question) throw refusalError('no_question', `no question ${id}`, { id });
      room.broadcastQuestion(question);
      return { question };
    }),

    defineHandler(context, 'question:hide', async ({ id, hidden = true }) => {
      const question = await room.storage.moderateQuestion(room.sessionId, id, { hidden });
      if (!question) throw refusalError('no_question', `no question ${id}`, { id });
      if (hidden && room.stage === 'live' && room.control.spotlight === id) await room.changeControl({ type: 'question:spotlight', id: null });
      room.broadcastQuestion(question);
      return { question };
    }),

    defineHandler(context, 'question:review', async ({ id, approve }) => {
      const current = (await room.storage.listQuestions(room.sessionId)).find((question) => question.id === id);
      if (!current) throw refusalError('no_question', `no question ${id}`, { id });
      if (!current.pending) {
        const message = `question ${id} was already ${current.hidden ? 'refused or hidden' : 'approved'}`;
        throw refusalError(current.hidden ? 'question_refused' : 'question_approved', message, { id });
      }
      const question = await room.storage.moderateQuestion(room.sessionId, id, approve ? { pending: false } : { pending: false, hidden: true });
      if (!question) throw refusalError('no_question', `no question ${id}`, { id });
      room.broadcastQuestion(question);
      return { question };
    }),

    defineHandler(context, 'moderation:review', async ({ review }) => {
      await room.changeControl({ type: 'moderation:review', review });
      return { review: room.review };
    }),

    defineHandler(context, 'question:spotlight', async ({ id }) => {
      if (id !== null) {
        const exists = (await room.storage.listQuestions(room.sessionId)).some((question) => question.id === id && !question.hidden && !question.pending);
        if (!exists) throw refusalError('no_question', `no question ${id}`, { id });
      }
      await room.changeControl({ type: 'question:spotlight', id });
      return {};
    }),
  ];
}
