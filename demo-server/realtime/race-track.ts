/**
 * The race demo's traffic: pings from phones (and the presenter's P key),
 * kept in a small ring buffer for the two HTTP panes and pushed on the
 * `/race` namespace to the push pane. Demo traffic, not session data: it
 * lives in memory only. Scaled out, each process keeps every ping: the
 * pushes reach every process's sockets through the adapter, and the ping
 * itself goes to the other processes' buffers as a server-side event, since
 * the HTTP panes' requests may land on any process.
 */
import { RACE_HISTORY, RACE_NAMESPACE } from '../../src/shared/race.js';
import type { RaceMessage } from '../../src/shared/protocol.js';
import { upgradeBytes } from '../net/wire-bytes.js';
import type { LiveServer } from './live-server.js';

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
    private readonly scaledOut?: { connected: () => boolean },
    readonly now: () => number = raceClock,
  ) {
    // Its own namespace (and, in the widget, its own connection): the push pane's bytes are only its own.
    this.namespace = io.of(RACE_NAMESPACE);
    this.namespace.on('connection', (socket) => {
      // A connection that joined the main namespace first has let its request go (talk-sockets.ts); the widget opens its own.
      const request = socket.request as typeof socket.request | null;
      socket.emit('race:hello', { last: this.lastId, handshake: request ? upgradeBytes(request) : { request: 0, response: 0 } });
    });
    if (scaledOut) this.namespace.on('race:ping', (message) => this.keep(message));
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
    const ts = this.now();
    const message: RaceMessage = { id: Math.max(this.lastId + 1, Math.round(ts * 10)), ts, name };
    this.keep(message);
    this.namespace.emit('race:message', message);
    if (this.scaledOut?.connected()) this.namespace.serverSideEmit('race:ping', message);
    return message;
  }

  /** In id order (a peer's ping may arrive after a later one of ours), the newest RACE_HISTORY. */
  private keep(message: RaceMessage): void {
    if (this.messages.some((held) => held.id === message.id)) return;
    this.messages.push(message);
    if (message.id < this.lastId) this.messages.sort((a, b) => a.id - b.id);
    this.lastId = Math.max(this.lastId, message.id);
    if (this.messages.length > RACE_HISTORY) this.messages.shift();
  }
}
