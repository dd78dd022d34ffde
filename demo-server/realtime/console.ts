/**
 * The speaker console's controls: the talk timer, blanking the projector,
 * pausing the phones' follow, and the room's pace votes.
 *
 * Timer, blank and pause are presenter-controlled state (persisted with the
 * rest of TalkState, so a reload or a server restart keeps them); pace votes
 * live in memory and reach the presenter batched by the TalkRoom.
 */
import type { TalkAction } from '../../src/shared/talk-state.js';
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createConsoleHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'timer:control', async ({ action }) => {
      // The server's clock, not the console's: every screen reads the timer against it.
      const change: TalkAction = action === 'reset' ? { type: 'timer:reset' } : { type: action === 'start' ? 'timer:start' : 'timer:pause', now: room.now() };
      const state = await room.changeControl(change);
      return { timer: state.timer };
    }),

    defineHandler(context, 'screen:blank', async ({ blank }) => {
      await room.changeControl({ type: 'screen:blank', blank });
      return {};
    }),

    defineHandler(context, 'follow:pause', async ({ message }) => {
      const paused = message === null ? null : message === undefined ? {} : { message };
      await room.changeControl({ type: 'follow:pause', paused });
      return {};
    }),

    defineHandler(context, 'pace:vote', async ({ dir }, socket) => {
      // Keyed by clientId: two tabs of one person are one vote.
      await room.assertVoteCounts(socket);
      room.paceVotes.set(socket.data.clientId, dir, room.now());
      return {};
    }),
  ];
}
