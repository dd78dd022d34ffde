/** The room's chat: the talk's code sample, made real. */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createChatHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    // The talk's code slide shows this region as it is: keep its lines short.
    // #region chat-send
    defineHandler(context, 'chat:send', async ({ text }, socket) => {
      const { role, authorId, name } = socket.data;
      if (role !== 'presenter' && room.control.chatLocked) {
        throw refusalError('chat_locked', 'the chat is locked');
      }
      // Stored (and committed) first: an ok ack means the message survives a crash.
      const ts = room.now();
      const presenter = role === 'presenter';
      // From a new identity on an address a ban marked: it waits for the presenter.
      const held = await room.held.holdChat(socket, { authorId, name, text, ts });
      if (held) return { message: held };
      const message = await room.storage.addChat(room.sessionId, { authorId, name, text, ts, presenter });
      room.publishChat(message, socket);
      return { message };
    }),
    // #endregion

    defineHandler(context, 'chat:delete', async ({ id }) => {
      if (!(await room.storage.deleteChat(room.sessionId, id))) throw refusalError('no_message', `no message ${id}`, { id });
      room.broadcast('chat:deleted', { id, rev: room.nextRevision() });
      return {};
    }),

    defineHandler(context, 'chat:lock', async ({ locked }) => {
      await room.changeControl({ type: 'chat:lock', locked });
      return {};
    }),
  ];
}
