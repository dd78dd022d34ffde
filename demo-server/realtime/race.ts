/**
 * The race demo's traffic: pings from phones (and the presenter's P key),
 * kept in a small ring buffer for the two HTTP panes and pushed on the
 * `/race` namespace to the push pane. Demo traffic, not session data: it
 * lives in memory only.
 */
import { RACE_HISTORY, RACE_NAMESPACE } from '../../src/shared/race.js';
import { RacePingSchema, type RaceMessage } from '../../src/shared/protocol.js';
import { upgradeBytes } from '../http/wire-bytes.js';
import { slideKey, talkWidgets } from '../talk/widgets.js';
import { handle, type HandlerContext, type LiveSocket } from './handler.js';
import type { LiveServer, TalkRoom } from './talk-room.js';
import { WireErrorException } from './wire-error.js';

/**
 * The race's clock: sub-millisecond (push crosses a LAN in about a
 * millisecond, so whole milliseconds would round its delay to nothing),
 * rounded to 0.1 ms to keep frames short.
 */
export function raceClock(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 10) / 10;
}

export class RaceTrack {
  private messages: RaceMessage[] = [];
  private lastId = 0;
  private readonly namespace: ReturnType<LiveServer['of']>;

  constructor(
    io: LiveServer,
    readonly now: () => number = raceClock,
  ) {
    // Its own namespace (and, in the widget, its own connection): the push pane's bytes are only its own.
    this.namespace = io.of(RACE_NAMESPACE);
    this.namespace.on('connection', (socket) => {
      socket.emit('race:hello', { last: this.lastId, handshake: upgradeBytes(socket.request) });
    });
  }

  get last(): number {
    return this.lastId;
  }

  /** Everything kept, oldest first: what a reload downloads. */
  all(): RaceMessage[] {
    return [...this.messages];
  }

  /** What a poll with `?since=id` has not seen yet. */
  since(id: number): RaceMessage[] {
    return this.messages.filter((message) => message.id > id);
  }

  add(name: string): RaceMessage {
    const message: RaceMessage = { id: ++this.lastId, ts: this.now(), name };
    this.messages.push(message);
    if (this.messages.length > RACE_HISTORY) this.messages.shift();
    this.namespace.emit('race:message', message);
    return message;
  }
}

export function registerRaceHandlers(socket: LiveSocket, room: TalkRoom, context: HandlerContext): void {
  handle(socket, context, 'race:ping', {
    schema: RacePingSchema,
    rateLimit: 'race:ping',
    run: async () => {
      // Pings only while the race is on screen: the rest of the talk carries no demo traffic.
      const { h, v } = room.control.slide;
      if (!talkWidgets(room.talk).raceSlides.has(slideKey(h, v))) {
        throw new WireErrorException('forbidden', 'the race is not on screen right now');
      }
      return { message: room.race.add(socket.data.name) };
    },
  });
}
