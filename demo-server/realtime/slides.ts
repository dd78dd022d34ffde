/** The presenter moves the deck; everyone follows. */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { WireErrorException } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createSlideHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'slide:set', async (position) => {
      const stack = room.talk.slides[position.h];
      if (!stack || position.v >= stack.length) {
        throw new WireErrorException('invalid', `the deck has no slide ${position.h}/${position.v}`);
      }
      const state = await room.changeControl({ type: 'slide:set', position });
      return { seq: state.slide.seq };
    }),
  ];
}
