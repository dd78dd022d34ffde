/** The driving presenter moves the deck; everyone follows. Another seat's move is refused (co-presenters never fight over the slide). */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createSlideHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'slide:set', async (position, socket) => {
      const movedAt = room.now();
      const slide = room.talk.slides[position.h]?.[position.v];
      if (!slide) throw refusalError('no_slide', `the deck has no slide ${position.h}/${position.v}`, { slide: `${position.h}/${position.v}` });
      // Reveal reports "no fragment shown" as -1 (or 0 on a slide without any): anything past the last one is invented.
      const lastFragment = Math.max(0, slide.fragments - 1);
      if (position.f > lastFragment) {
        throw refusalError('no_fragment', `slide ${position.h}/${position.v} has ${slide.fragments} fragment${slide.fragments === 1 ? '' : 's'}`, {
          slide: `${position.h}/${position.v}`,
          count: slide.fragments,
        });
      }
      const seat = socket.data.seat ?? { seat: '', name: '' };
      const state = await room.changeControl({ type: 'slide:set', position, seat });
      if (state.driver && state.driver.seat !== seat.seat) {
        throw state.driver.name
          ? refusalError('other_driver', `${state.driver.name} is driving; ask them to hand over`, { name: state.driver.name })
          : refusalError('unnamed_driver', 'Another presenter is driving; ask them to hand over');
      }
      room.health.moved(state.slide.seq, movedAt);
      return { seq: state.slide.seq };
    }),
  ];
}
