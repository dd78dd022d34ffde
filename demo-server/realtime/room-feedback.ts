/**
 * What the room tells the presenter without words: reactions, in bursts to
 * every screen (and counted per slide for the session's report), and the
 * balance of "slower"/"faster" votes, to presenter screens.
 */
import type { Logger } from 'pino';
import type { Reaction } from '../../src/shared/limits.js';
import type { SessionRecord, TalkStorage } from '../storage/storage.js';
import { PRESENTER_ROOM, type LiveServer } from './live-server.js';
import type { PaceVotes } from './pace-votes.js';
import type { PhoneBatches } from './phone-batches.js';

export interface RoomFeedbackDeps {
  io: LiveServer;
  storage: TalkStorage;
  logger: Logger;
  now: () => number;
  /** Several processes share the Socket.IO adapter (Redis). */
  scaledOut: boolean;
  phones: PhoneBatches;
  paceVotes: PaceVotes;
  /** The session on the screens, if any. */
  session: () => SessionRecord | null;
}

export class RoomFeedback {
  private pendingReactions = new Map<Reaction, number>();
  private announcedPace = '{"slower":0,"faster":0}';

  constructor(private readonly deps: RoomFeedbackDeps) {}

  addReaction(emoji: Reaction): void {
    this.pendingReactions.set(emoji, (this.pendingReactions.get(emoji) ?? 0) + 1);
  }

  /** Sends the reactions since the last burst, if any. */
  flushReactions(): void {
    if (this.pendingReactions.size === 0) return;
    const counts = Object.fromEntries(this.pendingReactions);
    this.pendingReactions = new Map();
    // Presenter screens get every burst (the console counts every reaction); phones get the counts with their next batch.
    this.deps.io.to(PRESENTER_ROOM).emit('reaction:burst', { counts });
    this.deps.phones.addReactions(counts);
    // Counted against the slide on screen, for the report: one write per burst, not per reaction.
    const session = this.deps.session();
    if (!session) return;
    const { h, v } = session.control.slide;
    this.deps.storage.addReactions(session.id, { h, v }, counts).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not record reactions');
    });
  }

  /** Votes decay on their own, so the balance is recomputed every tick, not only when someone votes. */
  announcePace(): void {
    const balance = this.deps.paceVotes.balance(this.deps.now());
    const key = JSON.stringify(balance);
    if (key === this.announcedPace) return;
    this.announcedPace = key;
    // Scaled out, every process holds every vote and tells its own presenter screens.
    (this.deps.scaledOut ? this.deps.io.local : this.deps.io).to(PRESENTER_ROOM).emit('pace:balance', balance);
  }
}
