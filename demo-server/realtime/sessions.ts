/** The presenter starts a fresh session or ends the current one; every screen gets a new snapshot. */
import { z } from 'zod';
import { handle, type HandlerContext, type LiveSocket } from './handler.js';
import type { TalkRoom } from './talk-room.js';

const EmptySchema = z.strictObject({});

export function registerSessionHandlers(socket: LiveSocket, room: TalkRoom, context: HandlerContext): void {
  handle(socket, context, 'session:start', {
    schema: EmptySchema,
    role: 'presenter',
    rateLimit: 'moderation',
    run: async () => ({ sessionId: (await room.startNewSession()).id }),
  });

  handle(socket, context, 'session:end', {
    schema: EmptySchema,
    role: 'presenter',
    rateLimit: 'moderation',
    run: async () => {
      const ended = room.sessionId;
      await room.endSession();
      return { ended, sessionId: room.sessionId };
    },
  });
}
