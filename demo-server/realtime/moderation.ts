/** The presenter removes a person: later messages refused, existing ones hidden. */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createModerationHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'client:ban', async ({ authorId }, socket) => {
      await room.storage.ban(room.talk.id, authorId, room.now());
      for (const message of await room.storage.allChat(room.sessionId)) {
        if (message.authorId === authorId && (await room.storage.deleteChat(room.sessionId, message.id))) {
          socket.nsp.emit('chat:deleted', { id: message.id });
        }
      }
      for (const question of await room.storage.listQuestions(room.sessionId)) {
        if (question.authorId !== authorId || question.hidden) continue;
        const hidden = await room.storage.moderateQuestion(room.sessionId, question.id, { hidden: true });
        if (hidden) room.broadcastQuestion(hidden);
      }
      for (const target of await socket.nsp.in('audience').fetchSockets()) {
        if (target.data.authorId === authorId) target.emit('client:banned', { message: 'The presenter removed you from the chat.' });
      }
      return {};
    }),
  ];
}
