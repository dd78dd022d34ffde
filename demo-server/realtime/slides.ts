/** The presenter moves the deck; everyone follows. */
import { SlidePositionSchema } from '../../src/shared/protocol.js';
import { handle, type HandlerContext, type LiveSocket } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { WireErrorException } from './wire-error.js';

export function registerSlideHandlers(socket: LiveSocket, room: TalkRoom, context: HandlerContext): void {
  handle(socket, context, 'slide:set', {
    schema: SlidePositionSchema,
    role: 'presenter',
    rateLimit: 'slide:set',
    run: async (position) => {
      const stack = room.talk.slides[position.h];
      if (!stack || position.v >= stack.length) {
        throw new WireErrorException('invalid', `the deck has no slide ${position.h}/${position.v}`);
      }
      const state = await room.changeControl({ type: 'slide:set', position });
      return { seq: state.slide.seq };
    },
  });
}
