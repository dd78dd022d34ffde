/** What a phone sends about itself: its name and its reactions. */
import { NameSetSchema, ReactionSendSchema } from '../../src/shared/protocol.js';
import { handle, type HandlerContext, type LiveSocket } from './handler.js';
import type { TalkRoom } from './talk-room.js';

export function registerAudienceHandlers(socket: LiveSocket, room: TalkRoom, context: HandlerContext): void {
  handle(socket, context, 'name:set', {
    schema: NameSetSchema,
    rateLimit: 'name:set',
    run: async ({ name }) => {
      // Every socket of this person on this process takes the new name for what it sends next
      // (a plain loop over local sockets: no cross-process fetch, no await).
      for (const other of socket.nsp.sockets.values()) {
        if (other.data.clientId === socket.data.clientId) other.data.name = name;
      }
      socket.data.name = name;
      return { name };
    },
  });

  handle(socket, context, 'reaction:send', {
    schema: ReactionSendSchema,
    rateLimit: 'reaction:send',
    run: async ({ emoji }) => {
      room.addReaction(emoji);
      return {};
    },
  });
}
