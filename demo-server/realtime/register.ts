/** Every event a socket may send, one module per concern. */
import { INBOUND_EVENTS } from '../../src/shared/protocol.js';
import { createAnswerHandlers } from './answers.js';
import { createAudienceHandlers } from './audience.js';
import { createChatHandlers } from './chat.js';
import { createConsoleHandlers } from './console.js';
import { createDriveHandlers } from './driving.js';
import type { HandlerContext, HandlerEntry } from './handler.js';
import { createModerationHandlers } from './moderation.js';
import { createPollHandlers } from './polls.js';
import { createQuestionHandlers } from './questions.js';
import { createRaceHandlers } from './race.js';
import { createRoomReportHandlers } from './room-reports.js';
import { createSessionHandlers } from './sessions.js';
import { createSlideHandlers } from './slides.js';
import type { TalkRoom } from './talk-room.js';

/** Called once per server: the listeners every socket of the main namespace shares. */
export function createHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  const entries: HandlerEntry[] = [
    ...createSlideHandlers(room, context),
    ...createChatHandlers(room, context),
    ...createQuestionHandlers(room, context),
    ...createAudienceHandlers(room, context),
    ...createModerationHandlers(room, context),
    ...createConsoleHandlers(room, context),
    ...createSessionHandlers(room, context),
    ...createPollHandlers(room, context),
    ...createAnswerHandlers(room, context),
    ...createRaceHandlers(room, context),
    ...createDriveHandlers(room, context),
    ...createRoomReportHandlers(room, context),
  ];
  // The contract's table is the list of events: one without a handler is a bug to catch at start, not a silent `invalid`.
  const missing = Object.keys(INBOUND_EVENTS).filter((event) => !entries.some(([handled]) => handled === event));
  if (missing.length > 0) throw new Error(`no handler for ${missing.join(', ')}`);
  return entries;
}
