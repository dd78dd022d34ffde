/**
 * TalkStorage on an embedded SQLite file (better-sqlite3), the default.
 *
 * The database lives in a worker thread of its own (sqlite-worker.ts), so
 * no disk wait ever blocks the event loop: not the fsync of a group commit
 * (WAL, synchronous=FULL: a commit is on disk when it returns), not a lock
 * held by another process, not a long read. This side only sends calls
 * (batched per event-loop turn) and settles each promise when the worker
 * answers; a write's answer comes after its commit, so an `ok` ack sent
 * after it survives a `kill -9`.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { parseControl, type ReadOperations, type WriteOperations } from './sqlite-operations.js';
import type { SqliteWorkerData, StorageCall, WorkerReply } from './sqlite-worker.js';
import {
  StorageUnavailableError,
  type BanOutcome,
  type HoldState,
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
  type StorageHealth,
  type TalkStorage,
  type TimelineEntry,
  type VoterRecord,
} from './storage.js';
import { WriteHealth } from './write-health.js';
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import type { TalkState } from '../../src/shared/talk-state.js';

/** Thrown at start when the database file cannot be opened or migrated. */
export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
}

export interface SqliteStorageOptions {
  /**
   * How long a write waits for a lock another process holds (a backup, a
   * `sqlite3` shell with a transaction open) before it is refused as
   * `unavailable`. Nothing else waits meanwhile. @defaultValue 1000 ms
   */
  lockWaitMs?: number;
}

/** Optimistic retries of one control change (only another handle on the same file can make one fail). */
const CONTROL_RETRIES = 100;

const WORKER_ENTRY = fileURLToPath(new URL('./sqlite-worker.ts', import.meta.url));
let workerSource: string | undefined;

/**
 * The worker's code: sqlite-worker.ts and what it imports, bundled once per
 * process (about 20 KB; esbuild, as tsx does for the main thread). A worker
 * thread does not inherit the main thread's TypeScript loader, and loading
 * tsx in each worker took 0.3–0.7 s per storage opened.
 */
function workerCode(): string {
  if (workerSource === undefined) {
    const bundle = buildSync({
      entryPoints: [WORKER_ENTRY],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      external: ['better-sqlite3'],
      logLevel: 'silent',
    });
    // The native module resolves from the worker's source folder, wherever the process was started.
    workerSource = `(function (require) {\n${bundle.outputFiles[0]!.text}\n})(require('node:module').createRequire(${JSON.stringify(WORKER_ENTRY)}));`;
  }
  return workerSource;
}

export async function openSqliteStorage(file: string, options: SqliteStorageOptions = {}): Promise<TalkStorage> {
  const data: SqliteWorkerData = { file, lockWaitMs: options.lockWaitMs ?? 1000 };
  const worker = new Worker(workerCode(), { eval: true, workerData: data });
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      worker.off('message', listen);
      reject(error);
    };
    const listen = (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        worker.off('message', listen);
        worker.off('error', fail);
        resolve();
      } else if (reply.type === 'open-failed') fail(new StorageOpenError(reply.message));
    };
    worker.on('message', listen);
    worker.once('error', (error) => fail(new StorageOpenError(`cannot open database ${file}: ${error.message}`)));
    worker.once('exit', () => fail(new StorageOpenError(`cannot open database ${file}: the storage thread stopped`)));
  });
  worker.removeAllListeners('exit');
  return new SqliteStorage(worker);
}

type Read = ReadOperations;
type Write = WriteOperations;

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

class SqliteStorage implements TalkStorage {
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private outgoing: StorageCall[] = [];
  private sendScheduled = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Set when the worker died: every call is refused from then on. */
  private broken: string | undefined;
  private readonly writes = new WriteHealth();
  /**
   * The reads every joining phone repeats for its snapshot (newest chat,
   * questions, poll tallies and entries), kept until the next commit: between two
   * commits they are the same, so a join storm reads them once, and the
   * snapshots Socket.IO keeps for connection recovery share one set of
   * (frozen) objects instead of a copy per phone (docs/performance.md).
   */
  private readonly commitCache = new Map<string, Promise<readonly object[]>>();

  constructor(private readonly worker: Worker) {
    // Idle, the thread must not keep the process alive; with calls waiting, it must.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.fail(`storage thread failed: ${error.message}`));
    worker.on('exit', () => this.fail('storage thread stopped'));
  }

  // ------------------------------------------------------------ calls to the worker

  private call(call: Omit<StorageCall, 'id'>): Promise<unknown> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('storage is closed'));
    if (this.broken) return Promise.reject(new StorageUnavailableError(this.broken));
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    this.outgoing.push({ ...call, id } as StorageCall);
    if (!this.sendScheduled) {
      this.sendScheduled = true;
      // Every call of this event-loop turn in one message: the worker commits their writes together.
      setImmediate(() => this.send());
    }
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  private send(): void {
    this.sendScheduled = false;
    if (this.outgoing.length === 0) return;
    const calls = this.outgoing;
    this.outgoing = [];
    this.worker.postMessage({ type: 'calls', calls });
  }

  private receive(reply: WorkerReply): void {
    if (reply.type !== 'results') return;
    if (reply.committed) this.commitCache.clear();
    for (const result of reply.results) {
      const pending = this.pending.get(result.id);
      if (!pending) continue;
      this.pending.delete(result.id);
      if (result.ok) pending.resolve(result.value);
      else pending.reject(result.unavailable ? new StorageUnavailableError(result.message) : new Error(result.message));
    }
    if (this.pending.size === 0) this.worker.unref();
  }

  private fail(message: string): void {
    if (this.closed) return;
    this.broken = message;
    this.writes.failed(message);
    for (const pending of this.pending.values()) pending.reject(new StorageUnavailableError(message));
    this.pending.clear();
  }

  private read<K extends keyof Read>(op: K, ...args: Parameters<Read[K]>): Promise<ReturnType<Read[K]>> {
    return this.call({ kind: 'read', op, args }) as Promise<ReturnType<Read[K]>>;
  }

  /** Settles after the commit; its outcome is the storage's health. */
  private write<K extends keyof Write>(op: K, ...args: Parameters<Write[K]>): Promise<ReturnType<Write[K]>> {
    return this.writes.track(this.call({ kind: 'write', op, args }) as Promise<ReturnType<Write[K]>>);
  }

  /** A read through the commit cache; what it returns is frozen, for every caller shares it. */
  private readCached<T extends object>(key: string, run: () => Promise<T[]>): Promise<T[]> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('storage is closed'));
    let cached = this.commitCache.get(key);
    if (!cached) {
      cached = run().then((rows) => Object.freeze(rows.map((row) => Object.freeze(row))));
      this.commitCache.set(key, cached);
      cached.catch(() => this.commitCache.get(key) === cached && this.commitCache.delete(key));
    }
    return cached as Promise<T[]>;
  }

  // ------------------------------------------------------------ sessions

  openSession(talkId: string, now: number): Promise<SessionRecord> {
    return this.write('openSession', talkId, now);
  }

  startSession(talkId: string, now: number): Promise<SessionRecord> {
    return this.write('startSession', talkId, now);
  }

  endSession(sessionId: number, now: number): Promise<void> {
    return this.write('endSession', sessionId, now);
  }

  listSessions(talkId?: string): Promise<SessionSummary[]> {
    return this.read('listSessions', talkId);
  }

  getSession(sessionId: number): Promise<SessionRecord | null> {
    return this.read('getSession', sessionId);
  }

  saveControl(sessionId: number, control: TalkState): Promise<void> {
    return this.write('saveControl', sessionId, JSON.stringify(control));
  }

  /** A compare-and-set on the stored JSON, retried on the new value when another handle wrote first. */
  async updateControl(
    sessionId: number,
    update: (control: TalkState) => TalkState,
    timeline?: (before: TalkState, after: TalkState) => TimelineEntry[],
  ): Promise<{ before: TalkState; after: TalkState } | null> {
    let stored = await this.read('controlOf', sessionId);
    for (let attempt = 0; attempt < CONTROL_RETRIES; attempt++) {
      if (stored === null) return null;
      const before = parseControl(stored);
      const after = update(before);
      if (after === before) return { before, after };
      const swap = await this.write('swapControl', sessionId, stored, JSON.stringify(after), timeline?.(before, after) ?? []);
      if (swap.swapped) return { before, after };
      stored = swap.current;
    }
    throw new StorageUnavailableError(`control state of session ${sessionId} is changing too fast to update`);
  }

  recordAudience(sessionId: number, count: number, ts: number): Promise<void> {
    return this.write('recordAudience', sessionId, count, ts);
  }

  addReactions(sessionId: number, slide: { h: number; v: number }, counts: Readonly<Record<string, number>>): Promise<void> {
    return this.write('addReactions', sessionId, { h: slide.h, v: slide.v }, { ...counts });
  }

  sessionActivity(sessionId: number): Promise<SessionActivity> {
    return this.read('sessionActivity', sessionId);
  }

  getLive(): Promise<LiveRecord | null> {
    return this.read('getLive');
  }

  setLive(live: LiveRecord): Promise<void> {
    return this.write('setLive', live);
  }

  // ------------------------------------------------------------ chat

  addChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage> {
    return this.write('addChat', sessionId, message);
  }

  recentChat(sessionId: number, limit: number): Promise<ChatMessage[]> {
    return this.readCached(`chat/${sessionId}/${limit}`, () => this.read('recentChat', sessionId, limit));
  }

  chatSince(sessionId: number, afterId: number, limit: number): Promise<ChatMessage[]> {
    return this.read('chatSince', sessionId, afterId, limit);
  }

  allChat(sessionId: number): Promise<ChatMessage[]> {
    return this.read('allChat', sessionId);
  }

  deleteChat(sessionId: number, id: number): Promise<boolean> {
    return this.write('deleteChat', sessionId, id);
  }

  // ------------------------------------------------------------ questions

  addQuestion(sessionId: number, question: NewQuestion): Promise<Question> {
    return this.write('addQuestion', sessionId, question);
  }

  setVote(
    sessionId: number,
    questionId: number,
    voterKey: string,
    up: boolean,
    includeHidden = false,
  ): Promise<{ question: Question; changed: boolean } | null> {
    return this.write('setVote', sessionId, questionId, voterKey, up, includeHidden);
  }

  moderateQuestion(sessionId: number, questionId: number, change: QuestionChange): Promise<Question | null> {
    return this.write('moderateQuestion', sessionId, questionId, change);
  }

  listQuestions(sessionId: number): Promise<Question[]> {
    return this.readCached(`questions/${sessionId}`, () => this.read('listQuestions', sessionId));
  }

  votesOf(sessionId: number, voterKey: string): Promise<number[]> {
    return this.read('votesOf', sessionId, voterKey);
  }

  // ------------------------------------------------------------ polls

  setPollVote(sessionId: number, vote: NewPollVote): Promise<PollVoteOutcome> {
    return this.write('setPollVote', sessionId, vote);
  }

  clearPoll(sessionId: number, poll: string): Promise<void> {
    return this.write('clearPoll', sessionId, poll);
  }

  setPollClosed(sessionId: number, poll: string, closed: boolean): Promise<void> {
    return this.write('setPollClosed', sessionId, poll, closed);
  }

  pollCounts(sessionId: number): Promise<PollTally[]> {
    return this.readCached(`polls/${sessionId}`, () => this.read('pollCounts', sessionId));
  }

  addPollEntry(sessionId: number, entry: NewPollEntry, rules: PollEntryRules): Promise<PollEntryOutcome> {
    return this.write('addPollEntry', sessionId, entry, rules);
  }

  hidePollEntry(sessionId: number, poll: string, id: number, hidden: boolean): Promise<PollEntry | null> {
    return this.write('hidePollEntry', sessionId, poll, id, hidden);
  }

  hidePollWord(sessionId: number, poll: string, key: string, hidden: boolean): Promise<void> {
    return this.write('hidePollWord', sessionId, poll, key, hidden);
  }

  setPollShown(sessionId: number, poll: string, shown: string): Promise<void> {
    return this.write('setPollShown', sessionId, poll, shown);
  }

  /** Every joining phone's snapshot reads them: through the commit cache. */
  pollEntries(sessionId: number): Promise<PollEntry[]> {
    return this.readCached(`entries/${sessionId}`, () => this.read('pollEntries', sessionId));
  }

  voterRecord(sessionId: number, voterKey: string): Promise<VoterRecord> {
    return this.read('voterRecord', sessionId, voterKey);
  }

  // ------------------------------------------------------------ bans, secrets, health

  ban(talkId: string, sessionId: number, ban: NewBan): Promise<BanOutcome> {
    return this.write('ban', talkId, sessionId, ban);
  }

  voterKeys(sessionId: number): Promise<string[]> {
    return this.read('voterKeys', sessionId);
  }

  isBanned(talkId: string, authorId: string): Promise<boolean> {
    return this.read('isBanned', talkId, authorId);
  }

  // ------------------------------------------------------------ held people

  holdState(sessionId: number, addressKey: string, authorId: string): Promise<HoldState> {
    return this.read('holdState', sessionId, addressKey, authorId);
  }

  holdPerson(sessionId: number, authorId: string, now: number): Promise<boolean> {
    return this.write('holdPerson', sessionId, authorId, now);
  }

  addHeldChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage | null> {
    return this.write('addHeldChat', sessionId, message);
  }

  heldPeople(sessionId: number): Promise<{ authorIds: string[]; chat: ChatMessage[] }> {
    return this.read('heldPeople', sessionId);
  }

  approveHeld(sessionId: number, authorId: string): Promise<{ chat: ChatMessage[]; questions: Question[] } | null> {
    return this.write('approveHeld', sessionId, authorId);
  }

  getOrCreateSecret(name: string, create: () => string): Promise<string> {
    return this.write('getOrCreateSecret', name, create());
  }

  health(): Promise<StorageHealth> {
    if (this.closed) return Promise.resolve({ ok: false, since: Date.now(), error: 'storage is closed' });
    return this.writes.check(() => this.call({ kind: 'write', op: 'probe', args: [] }) as Promise<void>);
  }

  /** Writes already asked for still commit (or time out) before the database closes. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.send();
      this.closed = true;
      if (this.broken) return;
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.worker.ref();
      this.worker.postMessage({ type: 'close' });
      await exited;
    })();
    return this.closing;
  }
}
