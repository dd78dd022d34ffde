/** What phones tell the console about the room: a sampled phone drew a live slide, a phone looks back or follows again (room-health.ts). */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';

export function createRoomReportHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'slide:shown', async ({ seq, drawMs }, socket) => {
      room.health.shown(socket, seq, drawMs);
      return {};
    }),
    defineHandler(context, 'follow:state', async ({ behind }, socket) => {
      room.health.followState(socket, behind);
      return {};
    }),
  ];
}
