/**
 * The live session's questions: the pages past what a join carried, the
 * per-person quota, and the coalesced `question:updated` broadcasts with the
 * count of hidden questions that follows them.
 */
import type { Logger } from 'pino';
import type { Question, QuestionView, SocketData } from '../../src/shared/protocol.js';
import type { TalkStorage } from '../storage/storage.js';
import { PRESENTER_ROOM, type LiveServer } from './live-server.js';
import type { PhoneBatches } from './phone-batches.js';
import { QuestionBroadcasts } from './question-broadcasts.js';
import type { QuestionQuota } from './question-quota.js';
import type { RevisionClock } from './revisions.js';
import { questionPage } from './question-window.js';
import { refusalError } from './wire-error.js';

export interface RoomQuestionsDeps {
  io: LiveServer;
  storage: TalkStorage;
  logger: Logger;
  now: () => number;
  phones: PhoneBatches;
  quota: QuestionQuota;
  sessionId: () => number;
  revisions: RevisionClock;
}

export class RoomQuestions {
  private readonly updates: QuestionBroadcasts;
  /** Hidden questions the room was last told about. */
  private hiddenIds = new Set<number>();

  constructor(private readonly deps: RoomQuestionsDeps) {
    this.updates = new QuestionBroadcasts((question) => this.send(question), deps.now);
  }

  /** A page of the questions this viewer may see, past what its join carried (question-window.ts). */
  async page(data: SocketData, offset: number): Promise<{ questions: QuestionView[]; total: number }> {
    const { storage } = this.deps;
    const sessionId = this.deps.sessionId();
    const [questions, votes] = await Promise.all([storage.listQuestions(sessionId), storage.votesOf(sessionId, data.clientId)]);
    const voted = new Set(votes);
    const page = questionPage(questions, data, offset);
    return { questions: page.questions.map((question) => ({ ...question, voted: voted.has(question.id) })), total: page.total };
  }

  /** Spends one of the person's questions for this session; refused once the cap is reached (presenters ask freely). */
  async take(data: SocketData): Promise<() => Promise<void>> {
    const nothing = async () => {};
    if (data.role === 'presenter') return nothing;
    const { quota } = this.deps;
    const sessionId = this.deps.sessionId();
    if (!(await quota.take(sessionId, data.clientId))) {
      throw refusalError('question_quota', `you have asked ${quota.maxPerPerson} questions in this session, the most one person can`, {
        count: quota.maxPerPerson,
      });
    }
    return () => quota.giveBack(sessionId, data.clientId);
  }

  /**
   * Queues a question's new state for the next coalesced `question:updated`
   * (question-broadcasts.ts). Hidden questions reach phones without their
   * text, and every phone hears how many the presenter hid; a question
   * waiting for approval reaches presenters only (its asker has it from the ack).
   */
  broadcast(question: Question): void {
    this.updates.update(question);
  }

  /** Another session went on the screens, or the server closes: updates still waiting are for the old one. */
  discard(): void {
    this.updates.discard();
    this.hiddenIds = new Set();
  }

  private send(question: Question): void {
    // Stamped as it goes out: a coalesced update carries the newest state committed before it.
    const rev = this.deps.revisions.next();
    this.deps.io.to(PRESENTER_ROOM).emit('question:updated', { ...question, rev });
    if (question.pending) return;
    this.deps.phones.updateQuestion(question.hidden ? { ...question, name: '', text: '' } : question, rev);
    if (question.hidden !== this.hiddenIds.has(question.id)) void this.announceHidden();
  }

  private async announceHidden(): Promise<void> {
    try {
      const hidden = (await this.deps.storage.listQuestions(this.deps.sessionId())).filter((question) => question.hidden).map((question) => question.id);
      if (hidden.length === this.hiddenIds.size && hidden.every((id) => this.hiddenIds.has(id))) return;
      this.hiddenIds = new Set(hidden);
      const rev = this.deps.revisions.next();
      this.deps.io.to(PRESENTER_ROOM).emit('questions:hidden', { count: hidden.length, rev });
      this.deps.phones.setHidden(hidden.length, rev);
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not count hidden questions');
    }
  }
}
