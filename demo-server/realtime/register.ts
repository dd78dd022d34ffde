/** Every event a socket may send, one module per concern. */
import { registerAudienceHandlers } from './audience.js';
import { registerChatHandlers } from './chat.js';
import { registerConsoleHandlers } from './console.js';
import type { HandlerContext, LiveSocket } from './handler.js';
import { registerModerationHandlers } from './moderation.js';
import { registerPollHandlers } from './polls.js';
import { registerQuestionHandlers } from './questions.js';
import { registerRaceHandlers } from './race.js';
import { registerSessionHandlers } from './sessions.js';
import { registerSlideHandlers } from './slides.js';
import type { TalkRoom } from './talk-room.js';

export function registerHandlers(socket: LiveSocket, room: TalkRoom, context: HandlerContext): void {
  registerSlideHandlers(socket, room, context);
  registerChatHandlers(socket, room, context);
  registerQuestionHandlers(socket, room, context);
  registerAudienceHandlers(socket, room, context);
  registerModerationHandlers(socket, room, context);
  registerConsoleHandlers(socket, room, context);
  registerSessionHandlers(socket, room, context);
  registerPollHandlers(socket, room, context);
  registerRaceHandlers(socket, room, context);
}
