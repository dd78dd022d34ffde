/**
 * The one storage interface for talk state.
 *
 * Every operation is asynchronous and atomic on its own: the SQLite
 * implementation commits before resolving (so an `ok: true` ack sent after
 * the promise settles survives a `kill -9`), and a Redis implementation can
 * do the same with one script per operation. Callers never see a database
 * handle, a statement or a transaction.
 */
import type { ChatMessage, Question, SessionSummary } from '../../src/shared/protocol.js';
import type { TalkState } from '../../src/shared/talk-state.js';

export interface SessionRecord {
  id: number;
  talkId: string;
  startedAt: number;
  endedAt: number | null;
  control: TalkState;
}

export type { SessionSummary };

export interface NewChatMessage {
  authorId: string;
  name: string;
  text: string;
  ts: number;
  /** From a presenter screen (chat only; a question's asker is never marked). */
  presenter?: boolean;
}

export interface NewQuestion extends NewChatMessage {
  slide: { h: number; v: number };
  /** Held for the presenter's approval (review mode). @defaultValue false */
  pending?: boolean;
  /** The asker, whose vote the question starts with. */
  voterKey: string;
}

/** What the presenter changes on a question; fields left out stay as they are. */
export interface QuestionChange {
  answered?: boolean;
  hidden?: boolean;
  pending?: boolean;
}

/** Raised by storage when the database cannot be written; maps to `unavailable`. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** Whether writes are getting through (reported by /healthz). */
export type StorageHealth = { ok: true } | { ok: false; /** When writes started failing (ms since the epoch). */ since: number; error: string };

/** One step of a session's timeline, recorded with the control change it comes from (the report reads time per slide from it). */
export type TimelineEntry = { ts: number; kind: 'slide'; h: number; v: number; f: number } | { ts: number; kind: 'timer'; action: 'start' | 'pause' | 'reset' };

/** The phones connected at one moment (recorded when the count changes, at most once a second). */
export interface AudienceSample {
  ts: number;
  n: number;
}

/** Reactions sent while one slide was live. */
export interface SlideReactions {
  h: number;
  v: number;
  emoji: string;
  count: number;
}

/** Slide by slide (h, then v), then by emoji: the order both stores list reactions in. */
export function compareSlideReactions(a: SlideReactions, b: SlideReactions): number {
  return a.h - b.h || a.v - b.v || (a.emoji < b.emoji ? -1 : a.emoji > b.emoji ? 1 : 0);
}

/** What a session's report needs besides chat, questions and polls. */
export interface SessionActivity {
  /** Oldest first. */
  timeline: TimelineEntry[];
  /** Oldest first. */
  audience: AudienceSample[];
  reactions: SlideReactions[];
}

/**
 * What the room's screens show: the live talk and its session (open, or
 * ended: then phones show that session's handout until the next starts).
 */
export interface LiveRecord {
  talkId: string;
  sessionId: number;
}

export interface TalkStorage {
  /** The open session of a talk, created if there is none. */
  openSession(talkId: string, now: number): Promise<SessionRecord>;
  /** Ends the open session (if any) and starts a fresh one. */
  startSession(talkId: string, now: number): Promise<SessionRecord>;
  endSession(sessionId: number, now: number): Promise<void>;
  /** Newest first: the sessions of one talk, or of every talk. */
  listSessions(talkId?: string): Promise<SessionSummary[]>;
  getSession(sessionId: number): Promise<SessionRecord | null>;

  saveControl(sessionId: number, control: TalkState): Promise<void>;
  /**
   * Read-modify-write of a session's control state as one atomic step, so
   * that several processes sharing the storage cannot overwrite each other's
   * changes. `update` is pure and may run more than once (optimistic retry);
   * returning its argument unchanged writes nothing. Null when there is no
   * such session. `timeline` (pure too) names the timeline entries the
   * change makes, written in the same atomic step.
   */
  updateControl(
    sessionId: number,
    update: (control: TalkState) => TalkState,
    timeline?: (before: TalkState, after: TalkState) => TimelineEntry[],
  ): Promise<{ before: TalkState; after: TalkState } | null>;
  /** The phones connected now: one audience sample, and the session's peak if it is higher. */
  recordAudience(sessionId: number, count: number, ts: number): Promise<void>;
  /** Adds reactions sent while slide h/v was live. */
  addReactions(sessionId: number, slide: { h: number; v: number }, counts: Readonly<Record<string, number>>): Promise<void>;
  /** The session's timeline, audience samples and reactions per slide. */
  sessionActivity(sessionId: number): Promise<SessionActivity>;

  /** What the room shows (the talk the server made live last, and its session); null before the first start. */
  getLive(): Promise<LiveRecord | null>;
  setLive(live: LiveRecord): Promise<void>;

  addChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage>;
  /** Newest `limit` messages, oldest first. */
  recentChat(sessionId: number, limit: number): Promise<ChatMessage[]>;
  /** Messages after `afterId`, oldest first, at most `limit` (resync after a drop). */
  chatSince(sessionId: number, afterId: number, limit: number): Promise<ChatMessage[]>;
  /** All messages, oldest first (exports). */
  allChat(sessionId: number): Promise<ChatMessage[]>;
  deleteChat(sessionId: number, id: number): Promise<boolean>;

  addQuestion(sessionId: number, question: NewQuestion): Promise<Question>;
  /**
   * Sets one voter's vote; idempotent. Null, with nothing changed, when the
   * question does not exist, or is hidden or waiting for approval and
   * `includeHidden` is not set (phones cannot see those, so they cannot vote on them).
   */
  setVote(
    sessionId: number,
    questionId: number,
    voterKey: string,
    up: boolean,
    includeHidden?: boolean,
  ): Promise<{ question: Question; changed: boolean } | null>;
  moderateQuestion(sessionId: number, questionId: number, change: QuestionChange): Promise<Question | null>;
  listQuestions(sessionId: number): Promise<Question[]>;
  /** Ids of the questions this voter has voted for. */
  votesOf(sessionId: number, voterKey: string): Promise<number[]>;

  /**
   * Bans a person from the talk, and in the same atomic step takes away what
   * they put in this session: their chat messages are deleted, their
   * questions, words and answers hidden, and every vote cast under
   * `voterKeys` (their clientIds) on questions and polls removed from the totals.
   */
  ban(talkId: string, sessionId: number, ban: NewBan): Promise<BanOutcome>;
  isBanned(talkId: string, authorId: string): Promise<boolean>;
  /** Every voterKey that has a vote on a question or a poll of the session. */
  voterKeys(sessionId: number): Promise<string[]>;

  /**
   * Whether a person's messages and questions wait for the presenter: they
   * are held already, or they were not known in the session when the
   * address they write from was marked by a ban (`NewBan.mark`).
   */
  holdState(sessionId: number, addressKey: string, authorId: string): Promise<HoldState>;
  /** Holds a person for the presenter's approval unless they are known in the session; true when they are held now. */
  holdPerson(sessionId: number, authorId: string, now: number): Promise<boolean>;
  /**
   * Keeps a held person's message for the presenter, holding them if they
   * were not yet; null, with nothing written, when the person is known in
   * the session (approved meanwhile). Its id is not a chat message id.
   */
  addHeldChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage | null>;
  /** The people held now (longest waiting first) and their waiting messages (oldest first). */
  heldPeople(sessionId: number): Promise<{ authorIds: string[]; chat: ChatMessage[] }>;
  /**
   * Trusts a held person for the rest of the session, in one atomic step:
   * their waiting messages join the chat in the order they were sent (with
   * new chat ids, after every message there is), and their questions
   * waiting for approval are published. Null when they were not held.
   */
  approveHeld(sessionId: number, authorId: string): Promise<{ chat: ChatMessage[]; questions: Question[] } | null>;

  /** A value that survives restarts (e.g. the server's id-hashing secret). */
  getOrCreateSecret(name: string, create: () => string): Promise<string>;

  /** Sets one voter's choice in a poll, replacing an earlier one; refused while the poll is closed. */
  setPollVote(sessionId: number, vote: NewPollVote): Promise<PollVoteOutcome>;
  /** Removes every vote and entry of a poll and reopens it (removed words and what it shows are forgotten too). */
  clearPoll(sessionId: number, poll: string): Promise<void>;
  setPollClosed(sessionId: number, poll: string, closed: boolean): Promise<void>;
  /** Every poll of the session that has votes, was closed, shows answers or has words removed. */
  pollCounts(sessionId: number): Promise<PollTally[]>;

  /**
   * Adds one entry to a word cloud or an open-text poll, checking `rules`
   * in the same atomic step: refused (nothing written) while the poll is
   * closed, for a removed word, past the voter's or the poll's allowance, or
   * for a word this voter already sent.
   */
  addPollEntry(sessionId: number, entry: NewPollEntry, rules: PollEntryRules): Promise<PollEntryOutcome>;
  /** Hides one entry (or shows it again); null when the poll has no such entry. */
  hidePollEntry(sessionId: number, poll: string, id: number, hidden: boolean): Promise<PollEntry | null>;
  /** Removes a word (by key) from a cloud, or brings it back; a removed word is refused from then on. */
  hidePollWord(sessionId: number, poll: string, key: string, hidden: boolean): Promise<void>;
  /** What the projector shows of an open-text poll ('' for nothing: the default). */
  setPollShown(sessionId: number, poll: string, shown: string): Promise<void>;
  /** Every entry of the session, oldest first. */
  pollEntries(sessionId: number): Promise<PollEntry[]>;
  /** Everything one voter did in the session, in one read: each joining screen's snapshot needs all of it. */
  voterRecord(sessionId: number, voterKey: string): Promise<VoterRecord>;

  /**
   * Whether writes get through right now: the outcome of recent writes, or of
   * a probe write when there was none for a few seconds. Never rejects.
   */
  health(): Promise<StorageHealth>;

  close(): Promise<void>;
}

export interface NewPollVote {
  poll: string;
  voterKey: string;
  /** Index of the chosen option. */
  choice: number;
  ts: number;
}

export type PollVoteOutcome = 'changed' | 'unchanged' | 'closed';

export interface NewBan {
  authorId: string;
  /** The person's clientIds: their votes are removed. */
  voterKeys: string[];
  now: number;
  /** The addresses to mark for the session (and who is known there now), in the same atomic step; their held messages go too. */
  mark?: AddressMark;
}

/**
 * A ban marks the banned person's addresses for the session: people first
 * seen after it, writing from one of them, are held for the presenter's
 * approval (holdState). Addresses are keyed hashes, never the addresses.
 */
export interface AddressMark {
  addressKeys: string[];
  /** The people (authorIds) already in the session: a shared address (a venue NAT) must not hold them. */
  known: string[];
}

export type HoldState = 'held' | 'free';

export interface BanOutcome {
  /** Chat messages deleted. */
  deletedChat: number[];
  /** Questions that changed (hidden, or fewer votes), in their new state. */
  questions: Question[];
  /** Words and answers of theirs, now hidden. */
  entries: PollEntry[];
  /** Polls whose counts, words or answers changed. */
  polls: string[];
}

export interface PollTally {
  poll: string;
  /** Votes per option index, up to the highest option anyone chose. */
  counts: number[];
  closed: boolean;
  /** Open text: what the projector shows (setPollShown); absent when nothing. */
  shown?: string;
  /** Word clouds: the keys the presenter removed, sorted; absent when none. */
  hiddenWords?: string[];
}

/** One word of a word cloud, or one answer of an open-text poll. */
export interface NewPollEntry {
  poll: string;
  voterKey: string;
  authorId: string;
  name: string;
  /** As the person typed it (trimmed). */
  text: string;
  /** Word clouds: the key it counts under (src/shared/words.ts); '' for open text. */
  key: string;
  ts: number;
}

export interface PollEntryRules {
  /** Entries one voter may have in the poll. */
  perVoter: number;
  /** Entries the poll takes in all. */
  total: number;
  /** At most one entry per key and voter (word clouds). */
  uniqueKeys: boolean;
}

/** A stored entry; it never carries the voter's clientId. */
export interface PollEntry {
  id: number;
  poll: string;
  authorId: string;
  name: string;
  text: string;
  key: string;
  hidden: boolean;
  ts: number;
}

/** What one voter did in a session. */
export interface VoterRecord {
  /** Ids of the questions they voted for, ascending. */
  questions: number[];
  /** Their choice in each poll they voted in, by poll id. */
  polls: Array<{ poll: string; choice: number }>;
  /** Their word-cloud words and open-text answers, oldest first. */
  entries: PollEntry[];
}

export type PollEntryRefusal = 'closed' | 'hidden' | 'limit' | 'duplicate' | 'full';
export type PollEntryOutcome = { ok: true; entry: PollEntry } | { ok: false; reason: PollEntryRefusal };
