/** The race's one inbound event: a ping, allowed while the race is on screen (race-track.ts keeps them). */
import { slideKey, talkWidgets } from '../talk/widgets.js';
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createRaceHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'race:ping', async (_ping, socket) => {
      // Pings only while the race is on screen: the rest of the talk carries no demo traffic.
      const { h, v } = room.control.slide;
      if (!talkWidgets(room.talk).raceSlides.has(slideKey(h, v))) {
        throw refusalError('race_off_screen', 'the race is not on screen right now');
      }
      return { message: room.race.add(socket.data.name) };
    }),
  ];
}
