/**
 * What this process sends its own screens when another process is gone
 * (peers.ts: silent for PEER_AUDIENCE_TTL_MS, killed or cut off from Redis).
 *
 * A process commits a chat message or a question before it broadcasts it,
 * and phones hear it only when its batch window closes (phone-batches.ts,
 * up to 250 ms; questions are coalesced for as long). Killed in between,
 * it took the broadcast with it: the message is in the store and in every
 * later snapshot, and its own phones, back on another process, get such a
 * snapshot; but the phones and presenter screens that stayed connected
 * elsewhere have no reason to ask, and would never see it. So each
 * survivor reads what the room committed shortly before the peer was last
 * heard and sends it to its own screens, as the dead process would have:
 * a `room:batch` to phones, one event per item to presenter screens, each
 * with a fresh revision (taken after the read). Screens merge chat by id
 * and take questions as whole values, so what they held already changes
 * nothing and is no news.
 *
 * Bounded: once per peer that goes silent, at most RESEND_CHAT messages and
 * RESEND_QUESTIONS questions, only those asked or sent in the
 * RESEND_WINDOW_MS before the peer was last heard (nothing at all in a room
 * that was quiet then).
 */
import type { Logger } from 'pino';
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import type { TalkStorage } from '../storage/storage.js';
import { AUDIENCE_ROOM, PRESENTER_ROOM, type LiveServer } from './live-server.js';
import type { PhoneBatches } from './phone-batches.js';
import type { RevisionClock } from './revisions.js';

/** The newest messages read again. */
export const RESEND_CHAT = 50;
/** The newest questions read again. */
export const RESEND_QUESTIONS = 50;
/**
 * How long before the peer was last heard an item may have been committed:
 * far more than a batch window and a slow commit, and than the clock skew
 * between machines (message times come from the process that stored them).
 */
export const RESEND_WINDOW_MS = 60_000;

export interface PeerLossDeps {
  io: LiveServer;
  storage: TalkStorage;
  logger: Logger;
  /** The session on the screens, and whether it is still open. */
  session: () => { id: number; open: boolean } | null;
  phones: PhoneBatches;
  revisions: RevisionClock;
}

export class PeerLoss {
  constructor(private readonly deps: PeerLossDeps) {}

  /** A peer last heard at `lastHeard` is gone: this process's screens get what it may not have broadcast. */
  async resend(lastHeard: number): Promise<void> {
    const { storage, logger } = this.deps;
    const session = this.deps.session();
    // An ended session's screens show its handout, read whole; no session, nothing to send.
    if (!session?.open) return;
    const since = lastHeard - RESEND_WINDOW_MS;
    try {
      const [chat, questions] = await Promise.all([storage.recentChat(session.id, RESEND_CHAT), storage.listQuestions(session.id)]);
      // Another session went on the screens meanwhile: they got a snapshot of it.
      if (this.deps.session()?.id !== session.id) return;
      this.send(
        chat.filter((message) => message.ts >= since),
        questions
          .filter((question) => question.ts >= since)
          .sort((a, b) => a.ts - b.ts || a.id - b.id)
          .slice(-RESEND_QUESTIONS),
      );
    } catch (error) {
      logger.warn({ err: error }, 'could not resend what a process that went silent may not have broadcast');
    }
  }

  private send(chat: ChatMessage[], questions: Question[]): void {
    if (chat.length === 0 && questions.length === 0) return;
    const { io, phones, revisions } = this.deps;
    // Presenter screens hear every event on its own, waiting questions included (as room-questions.ts sends them).
    const presenters = io.local.to(PRESENTER_ROOM);
    for (const message of chat) presenters.emit('chat:message', { ...message, rev: revisions.next() });
    for (const question of questions) presenters.emit('question:updated', { ...question, rev: revisions.next() });
    // Phones: what their batch still holds goes first (it may hold an older state of a question than this read).
    phones.flush();
    const shown = questions.filter((question) => !question.pending).map((question) => (question.hidden ? { ...question, name: '', text: '' } : question));
    io.local.to(AUDIENCE_ROOM).emit('room:batch', {
      ...(chat.length > 0 ? { chat } : {}),
      ...(shown.length > 0 ? { questions: shown } : {}),
      rev: revisions.next(),
    });
  }
}
