/** What a phone sends about itself: its name and its reactions. */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createAudienceHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'name:set', async ({ name }, socket) => {
      await room.claimName(socket.data, name);
      // Every socket of this person on this process takes the new name for what it sends next
      // (a plain loop over local sockets: no cross-process fetch, no await).
      for (const other of socket.nsp.sockets.values()) {
        if (other.data.clientId === socket.data.clientId) other.data.name = name;
      }
      socket.data.name = name;
      return { name };
    }),

    defineHandler(context, 'reaction:send', async ({ emoji }) => {
      // The talk's front matter chooses which reactions exist (`reactions: [...]`).
      if (!room.talk.options.reactions.includes(emoji)) {
        throw refusalError(
          'no_reaction',
          room.talk.options.reactions.length ? `this talk takes ${room.talk.options.reactions.join(' ')}` : 'this talk takes no reactions',
        );
      }
      room.addReaction(emoji);
      return {};
    }),
  ];
}
