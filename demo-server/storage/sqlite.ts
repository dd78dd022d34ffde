/**
 * TalkStorage on an embedded SQLite file (better-sqlite3), the default.
 *
 * WAL mode with synchronous=FULL: a commit is on disk when it returns. Writes
 * are group-committed: every write asked for in the same event-loop turn runs
 * in one transaction (each in its own savepoint, so one failing write does not
 * undo its neighbours), and their promises settle only after that commit.
 * Under load that turns hundreds of fsyncs into one without weakening the
 * guarantee that a settled write survives a crash.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import { initialTalkState, type TalkState } from '../../src/shared/talk-state.js';
import { MIGRATIONS } from './migrations.js';
import {
  StorageUnavailableError,
  type NewChatMessage,
  type NewPollVote,
  type NewQuestion,
  type PollTally,
  type PollVoteOutcome,
  type SessionRecord,
  type SessionSummary,
  type TalkStorage,
} from './storage.js';

/** Thrown at start when the database file cannot be opened or migrated. */
export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
}

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

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
  ts: number;
}

interface ChatRow {
  id: number;
  author_id: string;
  name: string;
  text: string;
  ts: number;
}

const DISK_ERROR_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    talkId: row.talk_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    control: { ...initialTalkState, ...(JSON.parse(row.control) as Partial<TalkState>) },
  };
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
    slide: { h: row.slide_h, v: row.slide_v },
    ts: row.ts,
  };
}

function toChat(row: ChatRow): ChatMessage {
  return { id: row.id, authorId: row.author_id, name: row.name, text: row.text, ts: row.ts };
}

export function openSqliteStorage(file: string): TalkStorage {
  let db: Database.Database;
  try {
    if (file !== ':memory:') ensureDirectory(path.dirname(path.resolve(file)));
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
    migrate(db);
  } catch (error) {
    throw new StorageOpenError(`cannot open database ${path.resolve(file)}: ${describe(error)}`);
  }
  return new SqliteStorage(db);
}

/**
 * mkdir -p, one level at a time: Node's own recursive mkdir spins forever on
 * some pseudo file systems (seen on /proc), and a bad LIVEDECK_DB must fail fast.
 */
function ensureDirectory(directory: string): void {
  if (fs.existsSync(directory)) return;
  const parent = path.dirname(directory);
  if (parent !== directory) ensureDirectory(parent);
  fs.mkdirSync(directory);
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  // A write probe: a read-only file must fail here, at start, not mid-talk.
  db.transaction(() => db.prepare("INSERT OR IGNORE INTO secrets (name, value) VALUES ('probe', 'ok')").run())();
}

class SqliteStorage implements TalkStorage {
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly statements;
  /**
   * The reads every joining phone repeats for its snapshot (newest chat,
   * questions, poll tallies), kept until the next commit: between two
   * commits they are the same, so a join storm reads them once, and the
   * snapshots Socket.IO keeps for connection recovery share one set of
   * (frozen) objects instead of a copy per phone (docs/performance.md).
   */
  private readonly commitCache = new Map<string, readonly object[]>();

  constructor(private readonly db: Database.Database) {
    this.statements = {
      openSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE talk_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1'),
      getSession: db.prepare<[number], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
      insertSession: db.prepare<[string, number, string], SessionRow>('INSERT INTO sessions (talk_id, started_at, control) VALUES (?, ?, ?) RETURNING *'),
      endOpenSessions: db.prepare<[number, string]>('UPDATE sessions SET ended_at = ? WHERE talk_id = ? AND ended_at IS NULL'),
      endSession: db.prepare<[number, number]>('UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
      listSessions: db.prepare<[string], SessionSummary>(`
        SELECT s.id, s.started_at AS startedAt, s.ended_at AS endedAt, s.peak_audience AS peakAudience,
          (SELECT count(*) FROM questions q WHERE q.session_id = s.id) AS questions,
          (SELECT count(*) FROM chat c WHERE c.session_id = s.id AND c.deleted = 0) AS messages
        FROM sessions s WHERE s.talk_id = ? ORDER BY s.id DESC`),
      saveControl: db.prepare<[string, number]>('UPDATE sessions SET control = ? WHERE id = ?'),
      notePeak: db.prepare<[number, number]>('UPDATE sessions SET peak_audience = max(peak_audience, ?) WHERE id = ?'),
      insertChat: db.prepare<[number, string, string, string, number], ChatRow>(
        'INSERT INTO chat (session_id, author_id, name, text, ts) VALUES (?, ?, ?, ?, ?) RETURNING *',
      ),
      recentChat: db.prepare<[number, number], ChatRow>(
        'SELECT * FROM (SELECT * FROM chat WHERE session_id = ? AND deleted = 0 ORDER BY id DESC LIMIT ?) ORDER BY id',
      ),
      chatSince: db.prepare<[number, number, number], ChatRow>('SELECT * FROM chat WHERE session_id = ? AND id > ? AND deleted = 0 ORDER BY id LIMIT ?'),
      allChat: db.prepare<[number], ChatRow>('SELECT * FROM chat WHERE session_id = ? AND deleted = 0 ORDER BY id'),
      deleteChat: db.prepare<[number, number]>('UPDATE chat SET deleted = 1 WHERE id = ? AND session_id = ? AND deleted = 0'),
      insertQuestion: db.prepare<[number, string, string, string, number, number, number], QuestionRow>(`
        INSERT INTO questions (session_id, author_id, name, text, slide_h, slide_v, ts)
        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`),
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
      ban: db.prepare<[string, string, number]>('INSERT OR IGNORE INTO bans (talk_id, author_id, banned_at) VALUES (?, ?, ?)'),
      isBanned: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM bans WHERE talk_id = ? AND author_id = ?'),
      getSecret: db.prepare<[string], { value: string }>('SELECT value FROM secrets WHERE name = ?'),
      insertSecret: db.prepare<[string, string]>('INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)'),
    };
  }

  // ------------------------------------------------------------ write path

  /** Queues a write for the next group commit; settles after it is on disk. */
  private write<T>(run: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('storage is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.commitCache.clear();
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db.transaction(() => {
        for (const pending of batch) {
          try {
            // A nested transaction is a savepoint: a throw undoes only this write.
            outcomes.push({ ok: true, value: this.db.transaction(pending.run)() });
          } catch (error) {
            if (isDiskError(error)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      const failure = isDiskError(error) ? new StorageUnavailableError(describe(error)) : error;
      for (const pending of batch) pending.reject(failure);
      return;
    }
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }

  /** Reads run at once; a disk error becomes `unavailable` like a write's. */
  private read<T>(run: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('storage is closed'));
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(isDiskError(error) ? new StorageUnavailableError(describe(error)) : error);
    }
  }

  // ------------------------------------------------------------ sessions

  openSession(talkId: string, now: number): Promise<SessionRecord> {
    return this.write(() => {
      const open = this.statements.openSession.get(talkId);
      if (open) return toSession(open);
      return toSession(this.statements.insertSession.get(talkId, now, JSON.stringify(initialTalkState))!);
    });
  }

  startSession(talkId: string, now: number): Promise<SessionRecord> {
    return this.write(() => {
      this.statements.endOpenSessions.run(now, talkId);
      return toSession(this.statements.insertSession.get(talkId, now, JSON.stringify(initialTalkState))!);
    });
  }

  async endSession(sessionId: number, now: number): Promise<void> {
    await this.write(() => this.statements.endSession.run(now, sessionId));
  }

  listSessions(talkId: string): Promise<SessionSummary[]> {
    return this.read(() => this.statements.listSessions.all(talkId));
  }

  getSession(sessionId: number): Promise<SessionRecord | null> {
    return this.read(() => {
      const row = this.statements.getSession.get(sessionId);
      return row ? toSession(row) : null;
    });
  }

  async saveControl(sessionId: number, control: TalkState): Promise<void> {
    await this.write(() => this.statements.saveControl.run(JSON.stringify(control), sessionId));
  }

  updateControl(sessionId: number, update: (control: TalkState) => TalkState): Promise<{ before: TalkState; after: TalkState } | null> {
    // Inside the write transaction: no other write can land between the read and the update.
    return this.write(() => {
      const row = this.statements.getSession.get(sessionId);
      if (!row) return null;
      const before = toSession(row).control;
      const after = update(before);
      if (after !== before) this.statements.saveControl.run(JSON.stringify(after), sessionId);
      return { before, after };
    });
  }

  async notePeakAudience(sessionId: number, count: number): Promise<void> {
    await this.write(() => this.statements.notePeak.run(count, sessionId));
  }

  // ------------------------------------------------------------ chat

  addChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage> {
    return this.write(() => toChat(this.statements.insertChat.get(sessionId, message.authorId, message.name, message.text, message.ts)!));
  }

  /** A read through the commit cache; what it returns is frozen, for every caller shares it. */
  private readCached<T extends object>(key: string, run: () => T[]): Promise<T[]> {
    const cached = this.commitCache.get(key);
    if (cached && !this.closed) return Promise.resolve(cached as T[]);
    return this.read(() => {
      const rows = Object.freeze(run().map((row) => Object.freeze(row)));
      this.commitCache.set(key, rows);
      return rows as T[];
    });
  }

  recentChat(sessionId: number, limit: number): Promise<ChatMessage[]> {
    return this.readCached(`chat/${sessionId}/${limit}`, () => this.statements.recentChat.all(sessionId, limit).map(toChat));
  }

  chatSince(sessionId: number, afterId: number, limit: number): Promise<ChatMessage[]> {
    return this.read(() => this.statements.chatSince.all(sessionId, afterId, limit).map(toChat));
  }

  allChat(sessionId: number): Promise<ChatMessage[]> {
    return this.read(() => this.statements.allChat.all(sessionId).map(toChat));
  }

  deleteChat(sessionId: number, id: number): Promise<boolean> {
    return this.write(() => this.statements.deleteChat.run(id, sessionId).changes === 1);
  }

  // ------------------------------------------------------------ questions

  addQuestion(sessionId: number, question: NewQuestion): Promise<Question> {
    return this.write(() => {
      const row = this.statements.insertQuestion.get(
        sessionId,
        question.authorId,
        question.name,
        question.text,
        question.slide.h,
        question.slide.v,
        question.ts,
      )!;
      this.statements.insertVote.run(row.id, question.voterKey);
      this.statements.bumpVotes.run(1, row.id);
      return toQuestion({ ...row, votes: row.votes + 1 });
    });
  }

  setVote(sessionId: number, questionId: number, voterKey: string, up: boolean): Promise<{ question: Question; changed: boolean } | null> {
    return this.write(() => {
      if (!this.statements.getQuestion.get(questionId, sessionId)) return null;
      const changed = up ? this.statements.insertVote.run(questionId, voterKey).changes : this.statements.deleteVote.run(questionId, voterKey).changes;
      if (changed === 1) this.statements.bumpVotes.run(up ? 1 : -1, questionId);
      return { question: toQuestion(this.statements.getQuestion.get(questionId, sessionId)!), changed: changed === 1 };
    });
  }

  moderateQuestion(sessionId: number, questionId: number, change: { answered?: boolean; hidden?: boolean }): Promise<Question | null> {
    return this.write(() => {
      if (!this.statements.getQuestion.get(questionId, sessionId)) return null;
      if (change.answered !== undefined) this.statements.setAnswered.run(change.answered ? 1 : 0, questionId);
      if (change.hidden !== undefined) this.statements.setHidden.run(change.hidden ? 1 : 0, questionId);
      return toQuestion(this.statements.getQuestion.get(questionId, sessionId)!);
    });
  }

  listQuestions(sessionId: number): Promise<Question[]> {
    return this.readCached(`questions/${sessionId}`, () => this.statements.listQuestions.all(sessionId).map(toQuestion));
  }

  votesOf(sessionId: number, voterKey: string): Promise<number[]> {
    return this.read(() => this.statements.votesOf.all(sessionId, voterKey).map((row) => row.question_id));
  }

  // ------------------------------------------------------------ polls

  private pollStatementsCache: PollStatements | undefined;
  private get pollStatements(): PollStatements {
    return (this.pollStatementsCache ??= preparePollStatements(this.db));
  }

  setPollVote(sessionId: number, vote: NewPollVote): Promise<PollVoteOutcome> {
    return this.write(() => {
      const statements = this.pollStatements;
      // Checked in the same transaction as the write: a vote cannot slip in after a close.
      if (statements.isClosed.get(sessionId, vote.poll)) return 'closed';
      if (statements.voteOf.get(sessionId, vote.poll, vote.voterKey)?.choice === vote.choice) return 'unchanged';
      statements.upsertVote.run(sessionId, vote.poll, vote.voterKey, vote.choice, vote.ts);
      return 'changed';
    });
  }

  async clearPoll(sessionId: number, poll: string): Promise<void> {
    await this.write(() => {
      this.pollStatements.clearVotes.run(sessionId, poll);
      this.pollStatements.clearState.run(sessionId, poll);
    });
  }

  async setPollClosed(sessionId: number, poll: string, closed: boolean): Promise<void> {
    await this.write(() => this.pollStatements.setClosed.run(sessionId, poll, closed ? 1 : 0));
  }

  pollCounts(sessionId: number): Promise<PollTally[]> {
    return this.readCached(`polls/${sessionId}`, () => {
      const tallies = new Map<string, PollTally>();
      const tally = (poll: string) => {
        let found = tallies.get(poll);
        if (!found) tallies.set(poll, (found = { poll, counts: [], closed: false }));
        return found;
      };
      for (const row of this.pollStatements.counts.all(sessionId)) {
        const { counts } = tally(row.poll);
        while (counts.length <= row.choice) counts.push(0);
        counts[row.choice] = row.votes;
      }
      for (const row of this.pollStatements.closed.all(sessionId)) tally(row.poll).closed = true;
      return [...tallies.values()];
    });
  }

  pollVotesOf(sessionId: number, voterKey: string): Promise<Array<{ poll: string; choice: number }>> {
    return this.read(() => this.pollStatements.votesOf.all(sessionId, voterKey));
  }

  // ------------------------------------------------------------ bans and secrets

  async ban(talkId: string, authorId: string, now: number): Promise<void> {
    await this.write(() => this.statements.ban.run(talkId, authorId, now));
  }

  isBanned(talkId: string, authorId: string): Promise<boolean> {
    return this.read(() => this.statements.isBanned.get(talkId, authorId) !== undefined);
  }

  getOrCreateSecret(name: string, create: () => string): Promise<string> {
    return this.write(() => {
      this.statements.insertSecret.run(name, create());
      return this.statements.getSecret.get(name)!.value;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }
}

type PollStatements = ReturnType<typeof preparePollStatements>;

function preparePollStatements(db: Database.Database) {
  return {
    isClosed: db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM poll_state WHERE session_id = ? AND poll_id = ? AND closed = 1'),
    voteOf: db.prepare<[number, string, string], { choice: number }>('SELECT choice FROM poll_votes WHERE session_id = ? AND poll_id = ? AND voter_key = ?'),
    upsertVote: db.prepare<[number, string, string, number, number]>(`
      INSERT INTO poll_votes (session_id, poll_id, voter_key, choice, ts) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (session_id, poll_id, voter_key) DO UPDATE SET choice = excluded.choice, ts = excluded.ts`),
    clearVotes: db.prepare<[number, string]>('DELETE FROM poll_votes WHERE session_id = ? AND poll_id = ?'),
    clearState: db.prepare<[number, string]>('DELETE FROM poll_state WHERE session_id = ? AND poll_id = ?'),
    setClosed: db.prepare<[number, string, number]>(`
      INSERT INTO poll_state (session_id, poll_id, closed) VALUES (?, ?, ?)
      ON CONFLICT (session_id, poll_id) DO UPDATE SET closed = excluded.closed`),
    counts: db.prepare<[number], { poll: string; choice: number; votes: number }>(`
      SELECT poll_id AS poll, choice, count(*) AS votes FROM poll_votes
      WHERE session_id = ? GROUP BY poll_id, choice ORDER BY poll_id, choice`),
    closed: db.prepare<[number], { poll: string }>('SELECT poll_id AS poll FROM poll_state WHERE session_id = ? AND closed = 1 ORDER BY poll_id'),
    votesOf: db.prepare<[number, string], { poll: string; choice: number }>(
      'SELECT poll_id AS poll, choice FROM poll_votes WHERE session_id = ? AND voter_key = ? ORDER BY poll_id',
    ),
  };
}

function isDiskError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DISK_ERROR_CODES.test(code);
}
