/** What a phone sends about itself: its name and its reactions. */
import { NameSetSchema, ReactionSendSchema } from '../../src/shared/protocol.js';
import { handle, type HandlerContext, type LiveSocket } from './handler.js';
import type { TalkRoom } from './talk-room.js';

export function registerAudienceHandlers(socket: LiveSocket, room: TalkRoom, context: HandlerContext): void {
  handle(socket, context, 'name:set', {
    schema: NameSetSchema,
    rateLimit: 'name:set',
    run: async ({ name }) => {
      // Every socket of this person takes the new name for what it sends next.
      const sockets = await socket.nsp.in(socket.data.role === 'presenter' ? 'presenter' : 'audience').fetchSockets();
      for (const other of sockets) if (other.data.clientId === socket.data.clientId) other.data.name = name;
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
