/** What a phone sends about itself: its name and its reactions. */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createAudienceHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'name:set', async ({ name }, socket) => {
      // Every socket of this person on this process takes the new name for what it sends next
      // (a plain loop over local sockets: no cross-process fetch, no await).
      for (const other of socket.nsp.sockets.values()) {
        if (other.data.clientId === socket.data.clientId) other.data.name = name;
      }
      socket.data.name = name;
      return { name };
    }),

    defineHandler(context, 'reaction:send', async ({ emoji }) => {
      room.addReaction(emoji);
      return {};
    }),
  ];
}
