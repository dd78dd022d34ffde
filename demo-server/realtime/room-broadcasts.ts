/**
 * What the room's screens hear: phones in batches (phone-batches.ts),
 * presenter screens at once, and events to every screen that phones hear
 * only after what their batch still holds; and the clock that stamps the
 * state events and snapshots with their revision (revisions.ts).
 */
import type { ChatMessage, RoomBatch, ServerToClientEvents } from '../../src/shared/protocol.js';
import { AUDIENCE_ROOM, PRESENTER_ROOM, type LiveServer, type LiveSocket } from './live-server.js';
import { PhoneBatches, type BatchSenders } from './phone-batches.js';
import { RevisionClock } from './revisions.js';

export class RoomBroadcasts {
  /** What phones hear of chat, reactions, questions, polls of every kind and counts, batched. */
  readonly phones: PhoneBatches;
  /** Stamps every state event after the commit or read it reports, and every snapshot before its first read. */
  readonly revisions: RevisionClock;

  constructor(
    private readonly io: LiveServer,
    /** Several processes share the Socket.IO adapter (Redis). */
    private readonly scaledOut: boolean,
    /** Phones in the room, for the batch window. */
    roomAudience: () => number,
    now: () => number,
  ) {
    this.phones = new PhoneBatches((batch, senders) => this.sendBatch(batch, senders), roomAudience, now);
    this.revisions = new RevisionClock(now);
  }

  /**
   * Sends an event to every screen, after what phones are still waiting for
   * in their batch: a phone hears of a deleted message or a spotlighted
   * question only after the message or the question itself.
   */
  broadcast<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    this.phones.flush();
    this.io.emit(event, ...args);
  }

  /**
   * A new chat message: to presenter screens at once, to phones with their next batch; never back to its sender
   * (it has the ack). A held person's message the presenter approved has no sender: everyone hears it.
   */
  publishChat(message: ChatMessage, sender?: LiveSocket): void {
    const rev = this.revisions.next();
    this.io
      .to(PRESENTER_ROOM)
      .except(sender?.id ?? [])
      .emit('chat:message', { ...message, rev });
    this.phones.addChat(message, sender && sender.data.role !== 'presenter' ? sender.id : undefined, rev);
  }

  /**
   * Scaled out, every process batches what it accepted for every process's
   * phones (through the adapter, so a phone that reconnects to any process
   * can have it replayed), but the audience count is each process's own
   * reading of the room: it goes to its own phones only. The senders of this
   * batch's messages get a copy without them (they have them in their ack).
   */
  private sendBatch(batch: RoomBatch, senders: BatchSenders): void {
    let shared = batch;
    if (this.scaledOut && batch.audience !== undefined) {
      const { audience, ...rest } = batch;
      this.io.local.to(AUDIENCE_ROOM).emit('room:batch', { audience });
      shared = rest;
    }
    if (!hasParts(shared)) return;
    this.io
      .to(AUDIENCE_ROOM)
      .except([...senders.keys()])
      .emit('room:batch', shared);
    for (const [socketId, own] of senders) {
      const { chat, ...rest } = shared;
      const others = chat?.filter((message) => !own.has(message.id)) ?? [];
      const forSender: RoomBatch = others.length > 0 ? { ...rest, chat: others } : rest;
      if (hasParts(forSender)) this.io.to(socketId).emit('room:batch', forSender);
    }
  }
}

/** A batch with something to apply (its revision alone is nothing). */
function hasParts(batch: RoomBatch): boolean {
  for (const key in batch) if (key !== 'rev') return true;
  return false;
}
