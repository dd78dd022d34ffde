/** The presenter moves the deck; everyone follows. */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { WireErrorException } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createSlideHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'slide:set', async (position) => {
      const slide = room.talk.slides[position.h]?.[position.v];
      if (!slide) throw new WireErrorException('invalid', `the deck has no slide ${position.h}/${position.v}`);
      // Reveal reports "no fragment shown" as -1 (or 0 on a slide without any): anything past the last one is invented.
      const lastFragment = Math.max(0, slide.fragments - 1);
      if (position.f > lastFragment) {
        throw new WireErrorException('invalid', `slide ${position.h}/${position.v} has ${slide.fragments} fragment${slide.fragments === 1 ? '' : 's'}`);
      }
      const state = await room.changeControl({ type: 'slide:set', position });
      return { seq: state.slide.seq };
    }),
  ];
}
