/** The presenter starts a fresh session or ends the current one; every screen gets a new snapshot. */
import { z } from 'zod';
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';

const EmptySchema = z.strictObject({});

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createSessionHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'session:start', {
      schema: EmptySchema,
      role: 'presenter',
      rateLimit: 'moderation',
      run: async () => ({ sessionId: (await room.startNewSession()).id }),
    }),

    defineHandler(context, 'session:end', {
      schema: EmptySchema,
      role: 'presenter',
      rateLimit: 'moderation',
      run: async () => {
        const ended = room.sessionId;
        await room.endSession();
        return { ended, sessionId: room.sessionId };
      },
    }),
  ];
}
