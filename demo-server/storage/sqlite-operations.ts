/**
 * Every SQLite statement of the talk storage and the operations built on
 * them: plain synchronous functions on one better-sqlite3 connection. They
 * run in the storage worker (sqlite-worker.ts); writes run inside a group
 * commit's transaction, so each may read and write freely and still be
 * atomic. A new storage method is one function here and one line in
 * sqlite.ts.
 */
import type Database from 'better-sqlite3';
import { prepareHoldOperations } from './sqlite-holds.js';
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import { initialTalkState, type TalkState } from '../../src/shared/talk-state.js';
import {
  compareSlideReactions,
  type AudienceSample,
  type BanOutcome,
  type LiveRecord,
  type NewBan,
  type NewChatMessage,
  type NewPollEntry,
  type NewPollVote,
  type NewQuestion,
  type PollEntry,
  type PollEntryOutcome,
  type PollEntryRules,
  type PollTally,
  type PollVoteOutcome,
  type QuestionChange,
  type SessionActivity,
  type SessionRecord,
  type SessionSummary,
  type SlideReactions,
  type TimelineEntry,
  type VoterRecord,
} from './storage.js';

interface SessionRow {
  id: number;
  talk_id: string;
  started_at: number;
  ended_at: number | null;
  control: string;
}

interface QuestionRow {
  id: number;
  author_id: string;
  name: string;
  text: string;
  slide_h: number;
  slide_v: number;
  votes: number;
  answered: number;
  hidden: number;
  pending: number;
  ts: number;
}

interface TimelineRow {
  ts: number;
  kind: 'slide' | 'timer';
  h: number | null;
  v: number | null;
  f: number | null;
  action: 'start' | 'pause' | 'reset' | null;
}

interface ChatRow {
  id: number;
  author_id: string;
  name: string;
  text: string;
  ts: number;
  presenter: number;
}

export function parseControl(json: string): TalkState {
  return { ...initialTalkState, ...(JSON.parse(json) as Partial<TalkState>) };
}

interface EntryRow {
  id: number;
  poll_id: string;
  author_id: string;
  name: string;
  text: string;
  key: string;
  hidden: number;
  ts: number;
}

function toEntry(row: EntryRow): PollEntry {
  return { id: row.id, poll: row.poll_id, authorId: row.author_id, name: row.name, text: row.text, key: row.key, hidden: row.hidden === 1, ts: row.ts };
}

function toSession(row: SessionRow): SessionRecord {
  return { id: row.id, talkId: row.talk_id, startedAt: row.started_at, endedAt: row.ended_at, control: parseControl(row.control) };
}

function toQuestion(row: QuestionRow): Question {
  return {
    id: row.id,
    authorId: row.author_id,
    name: row.name,
    text: row.text,
    votes: row.votes,
    answered: row.answered === 1,
    hidden: row.hidden === 1,
    pending: row.pending === 1,
    slide: { h: row.slide_h, v: row.slide_v },
    ts: row.ts,
  };
}

function toChat(row: ChatRow): ChatMessage {
  const message: ChatMessage = { id: row.id, authorId: row.author_id, name: row.name, text: row.text, ts: row.ts };
  if (row.presenter === 1) message.presenter = true;
  return message;
}

function toTimelineEntry(row: TimelineRow): TimelineEntry {
  return row.kind === 'slide'
    ? { ts: row.ts, kind: 'slide', h: row.h ?? 0, v: row.v ?? 0, f: row.f ?? -1 }
    : { ts: row.ts, kind: 'timer', action: row.action ?? 'start' };
}

/** The outcome of a compare-and-set of a session's control state. */
export type ControlSwap = { swapped: true } | { swapped: false; current: string | null };

function prepareStatements(db: Database.Database) {
  return {
    openSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE talk_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1'),
    getSession: db.prepare<[number], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    controlOf: db.prepare<[number], { control: string }>('SELECT control FROM sessions WHERE id = ?'),
    insertSession: db.prepare<[string, number, string], SessionRow>('INSERT INTO sessions (talk_id, started_at, control) VALUES (?, ?, ?) RETURNING *'),
    endOpenSessions: db.prepare<[number, string]>('UPDATE sessions SET ended_at = ? WHERE talk_id = ? AND ended_at IS NULL'),
    endSession: db.prepare<[number, number]>('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
    // No talk: every talk's sessions.
    listSessions: db.prepare<[{ talk: string | null }], SessionSummary>(`
      SELECT s.id, s.talk_id AS talkId, s.started_at AS startedAt, s.ended_at AS endedAt, s.peak_audience AS peakAudience,
        (SELECT count(*) FROM questions q WHERE q.session_id = s.id) AS questions,
        (SELECT count(*) FROM chat c WHERE c.session_id = s.id AND c.deleted = 0) AS messages
      FROM sessions s WHERE @talk IS NULL OR s.talk_id = @talk ORDER BY s.id DESC`),
    saveControl: db.prepare<[string, number]>('UPDATE sessions SET control = ? WHERE id = ?'),
    notePeak: db.prepare<[number, number]>('UPDATE sessions SET peak_audience = max(peak_audience, ?) WHERE id = ?'),
    insertAudience: db.prepare<[number, number, number]>('INSERT INTO audience_samples (session_id, ts, n) VALUES (?, ?, ?)'),
    audienceOf: db.prepare<[number], AudienceSample>('SELECT ts, n FROM audience_samples WHERE session_id = ? ORDER BY ts, rowid'),
    insertTimeline: db.prepare<[number, number, string, number | null, number | null, number | null, string | null]>(
      'INSERT INTO timeline (session_id, ts, kind, h, v, f, action) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    timelineOf: db.prepare<[number], TimelineRow>('SELECT ts, kind, h, v, f, action FROM timeline WHERE session_id = ? ORDER BY id'),
    addReactions: db.prepare<[number, number, number, string, number]>(`
      INSERT INTO slide_reactions (session_id, h, v, emoji, count) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (session_id, h, v, emoji) DO UPDATE SET count = count + excluded.count`),
    reactionsOf: db.prepare<[number], SlideReactions>('SELECT h, v, emoji, count FROM slide_reactions WHERE session_id = ?'),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?'),
    setSetting: db.prepare<[string, string]>('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    insertChat: db.prepare<[number, string, string, string, number, number], ChatRow>(
      'INSERT INTO chat (session_id, author_id, name, text, ts, presenter) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
    ),
    recentChat: db.prepare<[number, number], ChatRow>(
      'SELECT * FROM (SELECT * FROM chat WHERE session_id = ? AND deleted = 0 ORDER BY id DESC LIMIT ?) ORDER BY id',
    ),
    chatSince: db.prepare<[number, number, number], ChatRow>('SELECT * FROM chat WHERE session_id = ? AND id > ? AND deleted = 0 ORDER BY id LIMIT ?'),
    allChat: db.prepare<[number], ChatRow>('SELECT * FROM chat WHERE session_id = ? AND deleted = 0 ORDER BY id'),
    deleteChat: db.prepare<[number, number]>('UPDATE chat SET deleted = 1 WHERE id = ? AND session_id = ? AND deleted = 0'),
    insertQuestion: db.prepare<[number, string, string, string, number, number, number, number], QuestionRow>(`
      INSERT INTO questions (session_id, author_id, name, text, slide_h, slide_v, ts, pending)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`),
    getQuestion: db.prepare<[number, number], QuestionRow>('SELECT * FROM questions WHERE id = ? AND session_id = ?'),
    listQuestions: db.prepare<[number], QuestionRow>('SELECT * FROM questions WHERE session_id = ? ORDER BY id'),
    insertVote: db.prepare<[number, string]>('INSERT OR IGNORE INTO votes (question_id, voter_key) VALUES (?, ?)'),
    deleteVote: db.prepare<[number, string]>('DELETE FROM votes WHERE question_id = ? AND voter_key = ?'),
    bumpVotes: db.prepare<[number, number]>('UPDATE questions SET votes = votes + ? WHERE id = ?'),
    votesOf: db.prepare<[number, string], { question_id: number }>(`
      SELECT v.question_id FROM votes v JOIN questions q ON q.id = v.question_id
      WHERE q.session_id = ? AND v.voter_key = ?`),
    setAnswered: db.prepare<[number, number]>('UPDATE questions SET answered = ? WHERE id = ?'),
    setHidden: db.prepare<[number, number]>('UPDATE questions SET hidden = ? WHERE id = ?'),
    setPending: db.prepare<[number, number]>('UPDATE questions SET pending = ? WHERE id = ?'),
    ban: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO bans (talk_id, author_id, banned_at) VALUES (?, ?, ?)'),
    deleteChatOf: db.prepare<[number, string], { id: number }>(
      'UPDATE chat SET deleted = 1 WHERE session_id = ? AND author_id = ? AND deleted = 0 RETURNING id',
    ),
    hideQuestionsOf: db.prepare<[number, string], { id: number }>(
      'UPDATE questions SET hidden = 1 WHERE session_id = ? AND author_id = ? AND hidden = 0 RETURNING id',
    ),
    questionVotesOf: db.prepare<[string, number], { id: number }>(
      'DELETE FROM votes WHERE voter_key = ? AND question_id IN (SELECT id FROM questions WHERE session_id = ?) RETURNING question_id AS id',
    ),
    pollVotesRemoved: db.prepare<[number, string], { poll: string }>('DELETE FROM poll_votes WHERE session_id = ? AND voter_key = ? RETURNING poll_id AS poll'),
    voterKeys: db.prepare<[number, number], { key: string }>(`
      SELECT v.voter_key AS key FROM votes v JOIN questions q ON q.id = v.question_id WHERE q.session_id = ?
      UNION SELECT voter_key FROM poll_votes WHERE session_id = ?`),
    isBanned: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM bans WHERE talk_id = ? AND author_id = ?'),
    getSecret: db.prepare<[string], { value: string }>('SELECT value FROM secrets WHERE name = ?'),
    insertSecret: db.prepare<[string, string]>('INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)'),
    probe: db.prepare("UPDATE secrets SET value = value WHERE name = 'probe'"),
    pollIsClosed: db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM poll_state WHERE session_id = ? AND poll_id = ? AND closed = 1'),
    pollVoteOf: db.prepare<[number, string, string], { choice: number }>(
      'SELECT choice FROM poll_votes WHERE session_id = ? AND poll_id = ? AND voter_key = ?',
    ),
    upsertPollVote: db.prepare<[number, string, string, number, number]>(`
      INSERT INTO poll_votes (session_id, poll_id, voter_key, choice, ts) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (session_id, poll_id, voter_key) DO UPDATE SET choice = excluded.choice, ts = excluded.ts`),
    clearPollVotes: db.prepare<[number, string]>('DELETE FROM poll_votes WHERE session_id = ? AND poll_id = ?'),
    clearPollState: db.prepare<[number, string]>('DELETE FROM poll_state WHERE session_id = ? AND poll_id = ?'),
    clearPollEntries: db.prepare<[number, string]>('DELETE FROM poll_entries WHERE session_id = ? AND poll_id = ?'),
    clearHiddenWords: db.prepare<[number, string]>('DELETE FROM poll_hidden_words WHERE session_id = ? AND poll_id = ?'),
    setPollClosed: db.prepare<[number, string, number]>(`
      INSERT INTO poll_state (session_id, poll_id, closed) VALUES (?, ?, ?)
      ON CONFLICT (session_id, poll_id) DO UPDATE SET closed = excluded.closed`),
    pollCounts: db.prepare<[number], { poll: string; choice: number; votes: number }>(`
      SELECT poll_id AS poll, choice, count(*) AS votes FROM poll_votes
      WHERE session_id = ? GROUP BY poll_id, choice ORDER BY poll_id, choice`),
    pollStates: db.prepare<[number], { poll: string; closed: number; shown: string }>(
      "SELECT poll_id AS poll, closed, shown FROM poll_state WHERE session_id = ? AND (closed = 1 OR shown != '') ORDER BY poll_id",
    ),
    setPollShown: db.prepare<[number, string, string]>(`
      INSERT INTO poll_state (session_id, poll_id, shown) VALUES (?, ?, ?)
      ON CONFLICT (session_id, poll_id) DO UPDATE SET shown = excluded.shown`),
    hiddenWords: db.prepare<[number], { poll: string; key: string }>(
      'SELECT poll_id AS poll, key FROM poll_hidden_words WHERE session_id = ? ORDER BY poll_id, key',
    ),
    isWordHidden: db.prepare<[number, string, string], { one: number }>(
      'SELECT 1 AS one FROM poll_hidden_words WHERE session_id = ? AND poll_id = ? AND key = ?',
    ),
    hideWord: db.prepare<[number, string, string]>('INSERT OR IGNORE INTO poll_hidden_words (session_id, poll_id, key) VALUES (?, ?, ?)'),
    showWord: db.prepare<[number, string, string]>('DELETE FROM poll_hidden_words WHERE session_id = ? AND poll_id = ? AND key = ?'),
    entriesOfPoll: db.prepare<[number, string], { n: number }>('SELECT count(*) AS n FROM poll_entries WHERE session_id = ? AND poll_id = ?'),
    voterEntriesOfPoll: db.prepare<[number, string, string], { key: string }>(
      'SELECT key FROM poll_entries WHERE session_id = ? AND voter_key = ? AND poll_id = ?',
    ),
    insertEntry: db.prepare<[number, string, string, string, string, string, string, number], EntryRow>(`
      INSERT INTO poll_entries (session_id, poll_id, voter_key, author_id, name, text, key, ts)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`),
    setEntryHidden: db.prepare<[number, number, string, number], EntryRow>(
      'UPDATE poll_entries SET hidden = ? WHERE id = ? AND poll_id = ? AND session_id = ? RETURNING *',
    ),
    entries: db.prepare<[number], EntryRow>('SELECT * FROM poll_entries WHERE session_id = ? ORDER BY id'),
    hideEntriesOf: db.prepare<[number, string], EntryRow>(
      'UPDATE poll_entries SET hidden = 1 WHERE session_id = ? AND author_id = ? AND hidden = 0 RETURNING *',
    ),
    entriesOf: db.prepare<[number, string], EntryRow>('SELECT * FROM poll_entries WHERE session_id = ? AND voter_key = ? ORDER BY id'),
    pollVotesOf: db.prepare<[number, string], { poll: string; choice: number }>(
      'SELECT poll_id AS poll, choice FROM poll_votes WHERE session_id = ? AND voter_key = ? ORDER BY poll_id',
    ),
  };
}

/** Reads see what is committed; they never wait for a writer (WAL). */
function readOperations(s: ReturnType<typeof prepareStatements>) {
  return {
    listSessions: (talkId?: string): SessionSummary[] => s.listSessions.all({ talk: talkId ?? null }),
    getSession: (sessionId: number): SessionRecord | null => {
      const row = s.getSession.get(sessionId);
      return row ? toSession(row) : null;
    },
    /** The control state exactly as stored, for a compare-and-set. */
    controlOf: (sessionId: number): string | null => s.controlOf.get(sessionId)?.control ?? null,
    recentChat: (sessionId: number, limit: number): ChatMessage[] => s.recentChat.all(sessionId, limit).map(toChat),
    chatSince: (sessionId: number, afterId: number, limit: number): ChatMessage[] => s.chatSince.all(sessionId, afterId, limit).map(toChat),
    allChat: (sessionId: number): ChatMessage[] => s.allChat.all(sessionId).map(toChat),
    listQuestions: (sessionId: number): Question[] => s.listQuestions.all(sessionId).map(toQuestion),
    votesOf: (sessionId: number, voterKey: string): number[] => s.votesOf.all(sessionId, voterKey).map((row) => row.question_id),
    pollCounts: (sessionId: number): PollTally[] => {
      const tallies = new Map<string, PollTally>();
      const tally = (poll: string) => {
        let found = tallies.get(poll);
        if (!found) tallies.set(poll, (found = { poll, counts: [], closed: false }));
        return found;
      };
      for (const row of s.pollCounts.all(sessionId)) {
        const { counts } = tally(row.poll);
        while (counts.length <= row.choice) counts.push(0);
        counts[row.choice] = row.votes;
      }
      for (const row of s.pollStates.all(sessionId)) {
        const found = tally(row.poll);
        found.closed = row.closed === 1;
        if (row.shown) found.shown = row.shown;
      }
      for (const row of s.hiddenWords.all(sessionId)) (tally(row.poll).hiddenWords ??= []).push(row.key);
      return [...tallies.values()].sort((a, b) => (a.poll < b.poll ? -1 : a.poll > b.poll ? 1 : 0));
    },
    pollEntries: (sessionId: number): PollEntry[] => s.entries.all(sessionId).map(toEntry),
    voterRecord: (sessionId: number, voterKey: string): VoterRecord => ({
      questions: s.votesOf
        .all(sessionId, voterKey)
        .map((row) => row.question_id)
        .sort((a, b) => a - b),
      polls: s.pollVotesOf.all(sessionId, voterKey),
      entries: s.entriesOf.all(sessionId, voterKey).map(toEntry),
    }),
    isBanned: (talkId: string, authorId: string): boolean => s.isBanned.get(talkId, authorId) !== undefined,
    voterKeys: (sessionId: number): string[] => s.voterKeys.all(sessionId, sessionId).map((row) => row.key),
    sessionActivity: (sessionId: number): SessionActivity => ({
      timeline: s.timelineOf.all(sessionId).map(toTimelineEntry),
      audience: s.audienceOf.all(sessionId),
      reactions: s.reactionsOf.all(sessionId).sort(compareSlideReactions),
    }),
    getLive: (): LiveRecord | null => {
      const row = s.getSetting.get('live');
      return row ? (JSON.parse(row.value) as LiveRecord) : null;
    },
  };
}

/** Writes run inside a group commit's transaction (each in its own savepoint). */
function writeOperations(s: ReturnType<typeof prepareStatements>, holds: ReturnType<typeof prepareHoldOperations>) {
  const newSession = (talkId: string, now: number) => toSession(s.insertSession.get(talkId, now, JSON.stringify(initialTalkState))!);
  return {
    openSession: (talkId: string, now: number): SessionRecord => {
      const open = s.openSession.get(talkId);
      return open ? toSession(open) : newSession(talkId, now);
    },
    startSession: (talkId: string, now: number): SessionRecord => {
      s.endOpenSessions.run(now, talkId);
      return newSession(talkId, now);
    },
    endSession: (sessionId: number, now: number): void => void s.endSession.run(now, sessionId),
    saveControl: (sessionId: number, control: string): void => void s.saveControl.run(control, sessionId),
    /** Writes `next` (and its timeline entries) only if the stored control state is still exactly `expected`. */
    swapControl: (sessionId: number, expected: string, next: string, timeline: TimelineEntry[] = []): ControlSwap => {
      const current = s.controlOf.get(sessionId)?.control ?? null;
      if (current !== expected) return { swapped: false, current };
      s.saveControl.run(next, sessionId);
      for (const entry of timeline) {
        if (entry.kind === 'slide') s.insertTimeline.run(sessionId, entry.ts, 'slide', entry.h, entry.v, entry.f, null);
        else s.insertTimeline.run(sessionId, entry.ts, 'timer', null, null, null, entry.action);
      }
      return { swapped: true };
    },
    recordAudience: (sessionId: number, count: number, ts: number): void => {
      s.notePeak.run(count, sessionId);
      s.insertAudience.run(sessionId, ts, count);
    },
    addReactions: (sessionId: number, slide: { h: number; v: number }, counts: Readonly<Record<string, number>>): void => {
      for (const [emoji, count] of Object.entries(counts)) if (count > 0) s.addReactions.run(sessionId, slide.h, slide.v, emoji, count);
    },
    setLive: (live: LiveRecord): void => void s.setSetting.run('live', JSON.stringify({ talkId: live.talkId, sessionId: live.sessionId })),
    addChat: (sessionId: number, message: NewChatMessage): ChatMessage =>
      toChat(s.insertChat.get(sessionId, message.authorId, message.name, message.text, message.ts, message.presenter ? 1 : 0)!),
    deleteChat: (sessionId: number, id: number): boolean => s.deleteChat.run(id, sessionId).changes === 1,
    addQuestion: (sessionId: number, question: NewQuestion): Question => {
      const row = s.insertQuestion.get(
        sessionId,
        question.authorId,
        question.name,
        question.text,
        question.slide.h,
        question.slide.v,
        question.ts,
        question.pending ? 1 : 0,
      )!;
      s.insertVote.run(row.id, question.voterKey);
      s.bumpVotes.run(1, row.id);
      return toQuestion({ ...row, votes: row.votes + 1 });
    },
    setVote: (
      sessionId: number,
      questionId: number,
      voterKey: string,
      up: boolean,
      includeHidden: boolean,
    ): { question: Question; changed: boolean } | null => {
      const found = s.getQuestion.get(questionId, sessionId);
      // Checked in the same transaction as the write: a refused vote changes nothing.
      if (!found || ((found.hidden === 1 || found.pending === 1) && !includeHidden)) return null;
      const changed = (up ? s.insertVote.run(questionId, voterKey) : s.deleteVote.run(questionId, voterKey)).changes === 1;
      if (changed) s.bumpVotes.run(up ? 1 : -1, questionId);
      return { question: toQuestion(s.getQuestion.get(questionId, sessionId)!), changed };
    },
    moderateQuestion: (sessionId: number, questionId: number, change: QuestionChange): Question | null => {
      if (!s.getQuestion.get(questionId, sessionId)) return null;
      if (change.answered !== undefined) s.setAnswered.run(change.answered ? 1 : 0, questionId);
      if (change.hidden !== undefined) s.setHidden.run(change.hidden ? 1 : 0, questionId);
      if (change.pending !== undefined) s.setPending.run(change.pending ? 1 : 0, questionId);
      return toQuestion(s.getQuestion.get(questionId, sessionId)!);
    },
    setPollVote: (sessionId: number, vote: NewPollVote): PollVoteOutcome => {
      // In the same transaction as the write: a vote cannot slip in after a close.
      if (s.pollIsClosed.get(sessionId, vote.poll)) return 'closed';
      if (s.pollVoteOf.get(sessionId, vote.poll, vote.voterKey)?.choice === vote.choice) return 'unchanged';
      s.upsertPollVote.run(sessionId, vote.poll, vote.voterKey, vote.choice, vote.ts);
      return 'changed';
    },
    clearPoll: (sessionId: number, poll: string): void => {
      s.clearPollVotes.run(sessionId, poll);
      s.clearPollState.run(sessionId, poll);
      s.clearPollEntries.run(sessionId, poll);
      s.clearHiddenWords.run(sessionId, poll);
    },
    addPollEntry: (sessionId: number, entry: NewPollEntry, rules: PollEntryRules): PollEntryOutcome => {
      // Every check in the transaction of the write: two phones of one person cannot both slip under the allowance.
      if (s.pollIsClosed.get(sessionId, entry.poll)) return { ok: false, reason: 'closed' };
      if (rules.uniqueKeys && s.isWordHidden.get(sessionId, entry.poll, entry.key)) return { ok: false, reason: 'hidden' };
      const mine = s.voterEntriesOfPoll.all(sessionId, entry.voterKey, entry.poll);
      if (rules.uniqueKeys && mine.some((row) => row.key === entry.key)) return { ok: false, reason: 'duplicate' };
      if (mine.length >= rules.perVoter) return { ok: false, reason: 'limit' };
      if (s.entriesOfPoll.get(sessionId, entry.poll)!.n >= rules.total) return { ok: false, reason: 'full' };
      const row = s.insertEntry.get(sessionId, entry.poll, entry.voterKey, entry.authorId, entry.name, entry.text, entry.key, entry.ts)!;
      return { ok: true, entry: toEntry(row) };
    },
    hidePollEntry: (sessionId: number, poll: string, id: number, hidden: boolean): PollEntry | null => {
      const row = s.setEntryHidden.get(hidden ? 1 : 0, id, poll, sessionId);
      return row ? toEntry(row) : null;
    },
    hidePollWord: (sessionId: number, poll: string, key: string, hidden: boolean): void => void (hidden ? s.hideWord : s.showWord).run(sessionId, poll, key),
    setPollShown: (sessionId: number, poll: string, shown: string): void => void s.setPollShown.run(sessionId, poll, shown),
    setPollClosed: (sessionId: number, poll: string, closed: boolean): void => void s.setPollClosed.run(sessionId, poll, closed ? 1 : 0),
    ban: (talkId: string, sessionId: number, ban: NewBan): BanOutcome => {
      s.ban.run(talkId, ban.authorId, ban.now);
      if (ban.mark) holds.mark(sessionId, ban.mark, ban.now);
      holds.forgetHeld(sessionId, ban.authorId);
      const deletedChat = s.deleteChatOf.all(sessionId, ban.authorId).map((row) => row.id);
      const changed = new Set(s.hideQuestionsOf.all(sessionId, ban.authorId).map((row) => row.id));
      const polls = new Set<string>();
      for (const voterKey of ban.voterKeys) {
        for (const { id } of s.questionVotesOf.all(voterKey, sessionId)) {
          s.bumpVotes.run(-1, id);
          changed.add(id);
        }
        for (const { poll } of s.pollVotesRemoved.all(sessionId, voterKey)) polls.add(poll);
      }
      const questions = [...changed].sort((a, b) => a - b).map((id) => toQuestion(s.getQuestion.get(id, sessionId)!));
      const entries = s.hideEntriesOf
        .all(sessionId, ban.authorId)
        .map(toEntry)
        .sort((a, b) => a.id - b.id);
      for (const entry of entries) polls.add(entry.poll);
      return { deletedChat, questions, entries, polls: [...polls].sort() };
    },
    getOrCreateSecret: (name: string, value: string): string => {
      s.insertSecret.run(name, value);
      return s.getSecret.get(name)!.value;
    },
    /** Takes the write path and changes nothing: can this database be written right now? */
    probe: (): void => void s.probe.run(),
  };
}

export function prepareOperations(db: Database.Database) {
  const statements = prepareStatements(db);
  const holds = prepareHoldOperations(db, {
    addChat: (sessionId, message) => toChat(statements.insertChat.get(sessionId, message.authorId, message.name, message.text, message.ts, 0)!),
    question: (sessionId, id) => toQuestion(statements.getQuestion.get(id, sessionId)!),
  });
  return { reads: { ...readOperations(statements), ...holds.reads }, writes: { ...writeOperations(statements, holds), ...holds.writes } };
}

export type ReadOperations = ReturnType<typeof prepareOperations>['reads'];
export type WriteOperations = ReturnType<typeof prepareOperations>['writes'];
