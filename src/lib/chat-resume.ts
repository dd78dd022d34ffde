/**
 * Where a phone's chat resumes after a drop: the `lastChatId` it sends on
 * every (re)connection (docs/protocol.md, "Resuming the chat").
 *
 * The server answers a fresh connection with a snapshot carrying the chat
 * after `lastChatId`, read after the phone joined the room; from then on the
 * phone hears every new message. So a message heard on a connection extends
 * the phone's gap-free history only once that connection's snapshot has
 * arrived. One heard before it (the room's traffic starts at the join, the
 * snapshot may take seconds under load) can be much newer than the gap the
 * snapshot was to fill: resuming from it after the connection dropped
 * before its snapshot skipped that gap for good (the two-process soak's
 * moved phones each lost a message this way). A connection restored by
 * Socket.IO continues the one it restores, caught up or not.
 */
import type { ChatMessage, Snapshot } from '../shared/protocol';

/** What this needs of a socket: socket.io-client's `recovered` and the events it follows. */
interface ChatSocket {
  readonly recovered: boolean;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'snapshot', listener: (snapshot: Snapshot) => void): unknown;
  on(event: 'chat:message', listener: (message: ChatMessage) => void): unknown;
}

export class ChatResume {
  /** The connection has had its snapshot (or restores one that had). */
  private caughtUp = false;
  /** Newest id of the history without a gap. */
  private resumeId: number | undefined;
  /** Newest id held at all, and the session it belongs to. */
  private newest: number | undefined;
  private sessionId: number | undefined;

  /** The id to send as `lastChatId` (undefined: none yet, the server sends the newest messages). */
  get lastChatId(): number | undefined {
    return this.resumeId;
  }

  /** Whether the current connection is caught up: a restored connection that is not must be replaced by one with a snapshot. */
  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /** A (re)connection: a fresh one is caught up once its snapshot arrives; a restored one continues the last. */
  connected(recovered: boolean): void {
    if (!recovered) this.caughtUp = false;
  }

  snapshot(snapshot: Pick<Snapshot, 'sessionId' | 'chat'>): void {
    // Another session: what was held belongs to the old one (the page drops it too).
    if (this.sessionId !== undefined && snapshot.sessionId !== this.sessionId) this.newest = undefined;
    this.sessionId = snapshot.sessionId;
    for (const message of snapshot.chat) this.hold(message.id);
    // The snapshot covers up to its read, the messages heard since the join come after: no gap up to the newest held.
    this.caughtUp = true;
    this.resumeId = this.newest;
  }

  heard(id: number): void {
    this.hold(id);
    if (this.caughtUp) this.resumeId = this.newest;
  }

  private hold(id: number): void {
    if (this.newest === undefined || id > this.newest) this.newest = id;
  }
}

/**
 * Follows a socket's connections, snapshots and chat (a sender's own message,
 * delivered locally from its ack, counts as heard). Registered before the
 * page's own `connect` listeners, so they see the new connection's state.
 */
export function followChat(socket: ChatSocket): ChatResume {
  const resume = new ChatResume();
  socket.on('connect', () => resume.connected(socket.recovered));
  socket.on('snapshot', (snapshot) => resume.snapshot(snapshot));
  socket.on('chat:message', (message) => {
    // A held message waits for the presenter: it is not in the room's chat yet.
    if (!message.held) resume.heard(message.id);
  });
  return resume;
}
