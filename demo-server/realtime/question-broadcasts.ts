/**
 * `question:updated` broadcasts, coalesced: a question that changes many
 * times in a moment (a room voting on it, or a script toggling its vote from
 * many identities) goes out once per window with its latest state, like poll
 * results and reaction bursts. Each flush sends at most a few questions;
 * the rest wait for the next one, so the broadcast rate is bounded whatever
 * the number of identities or questions: every phone receives at most
 * MAX_PER_FLUSH × (1000 / QUESTION_BROADCAST_MS) updates a second.
 */
import type { Question } from '../../src/shared/protocol.js';

/** One flush per window while questions change. */
export const QUESTION_BROADCAST_MS = 250;
/** Questions sent per flush; the oldest changes go first. */
export const MAX_PER_FLUSH = 8;

export class QuestionBroadcasts {
  /** Changed questions by id, oldest change first (a Map keeps insertion order; a later change keeps its place). */
  private readonly changed = new Map<number, Question>();
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = -Infinity;

  constructor(
    private readonly send: (question: Question) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The question's latest state; it goes out with the next flush. */
  update(question: Question): void {
    this.changed.set(question.id, question);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.changed.size === 0) return;
    const wait = Math.max(0, this.lastFlush + QUESTION_BROADCAST_MS - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    this.lastFlush = this.now();
    let sent = 0;
    for (const [id, question] of this.changed) {
      if (sent++ === MAX_PER_FLUSH) break;
      this.changed.delete(id);
      this.send(question);
    }
    this.schedule();
  }

  /** Drops what is waiting: the session changed (phones get a snapshot instead), or the server stops. */
  discard(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.clear();
  }
}
