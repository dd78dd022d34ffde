/**
 * The one storage interface for talk state.
 *
 * Every operation is asynchronous and atomic on its own: the SQLite
 * implementation commits before resolving (so an `ok: true` ack sent after
 * the promise settles survives a `kill -9`), and a Redis implementation can
 * do the same with one script per operation. Callers never see a database
 * handle, a statement or a transaction.
 */
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import type { TalkState } from '../../src/shared/talk-state.js';

export interface SessionRecord {
  id: number;
  talkId: string;
  startedAt: number;
  endedAt: number | null;
  control: TalkState;
}

export interface SessionSummary {
  id: number;
  startedAt: number;
  endedAt: number | null;
  peakAudience: number;
  questions: number;
  messages: number;
}

export interface NewChatMessage {
  authorId: string;
  name: string;
  text: string;
  ts: number;
}

export interface NewQuestion extends NewChatMessage {
  slide: { h: number; v: number };
  /** The asker, whose vote the question starts with. */
  voterKey: string;
}

/** Raised by storage when the database cannot be written; maps to `unavailable`. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

export interface TalkStorage {
  /** The open session of a talk, created if there is none. */
  openSession(talkId: string, now: number): Promise<SessionRecord>;
  /** Ends the open session (if any) and starts a fresh one. */
  startSession(talkId: string, now: number): Promise<SessionRecord>;
  endSession(sessionId: number, now: number): Promise<void>;
  listSessions(talkId: string): Promise<SessionSummary[]>;
  getSession(sessionId: number): Promise<SessionRecord | null>;

  saveControl(sessionId: number, control: TalkState): Promise<void>;
  notePeakAudience(sessionId: number, count: number): Promise<void>;

  addChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage>;
  /** Newest `limit` messages, oldest first. */
  recentChat(sessionId: number, limit: number): Promise<ChatMessage[]>;
  /** All messages, oldest first (exports). */
  allChat(sessionId: number): Promise<ChatMessage[]>;
  deleteChat(sessionId: number, id: number): Promise<boolean>;

  addQuestion(sessionId: number, question: NewQuestion): Promise<Question>;
  /** Sets one voter's vote; idempotent. Null when the question does not exist. */
  setVote(
    sessionId: number,
    questionId: number,
    voterKey: string,
    up: boolean,
  ): Promise<{ question: Question; changed: boolean } | null>;
  moderateQuestion(
    sessionId: number,
    questionId: number,
    change: { answered?: boolean; hidden?: boolean },
  ): Promise<Question | null>;
  listQuestions(sessionId: number): Promise<Question[]>;
  /** Ids of the questions this voter has voted for. */
  votesOf(sessionId: number, voterKey: string): Promise<number[]>;

  ban(talkId: string, authorId: string, now: number): Promise<void>;
  isBanned(talkId: string, authorId: string): Promise<boolean>;

  /** A value that survives restarts (e.g. the server's id-hashing secret). */
  getOrCreateSecret(name: string, create: () => string): Promise<string>;

  close(): Promise<void>;
}
