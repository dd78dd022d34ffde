/** The presenter starts a fresh session or ends the talk (phones get its handout); every screen gets a new snapshot. */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createSessionHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'session:start', async () => ({ sessionId: (await room.startNewSession()).id })),

    defineHandler(context, 'session:end', async () => {
      const ended = await room.endSession();
      return { ended, sessionId: ended };
    }),
  ];
}
