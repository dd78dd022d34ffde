/**
 * The SQLite storage's own thread: opens the database, migrates it, and
 * runs every read and write the main thread asks for. Nothing here ever
 * blocks the main thread's event loop: not an fsync, not a lock held by
 * another process, not a long read.
 *
 * Reads run as they arrive; writes go through the group commit. Answers go
 * back in the order their work finished, so a read answered after a write
 * saw that write.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, GroupCommit, isDiskError, type WriteOutcome } from './group-commit.js';
import { MIGRATIONS } from './migrations.js';
import { prepareOperations, type ReadOperations, type WriteOperations } from './sqlite-operations.js';

export interface SqliteWorkerData {
  file: string;
  /** How long one write may wait for a lock another connection holds. */
  lockWaitMs: number;
}

export type StorageCall =
  { id: number; kind: 'read'; op: keyof ReadOperations; args: unknown[] } | { id: number; kind: 'write'; op: keyof WriteOperations; args: unknown[] };

export type WorkerRequest = { type: 'calls'; calls: StorageCall[] } | { type: 'close' };

export type CallResult = { id: number; ok: true; value: unknown } | { id: number; ok: false; unavailable: boolean; message: string };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'open-failed'; message: string }
  /** `committed`: some of these answers are writes that just committed (the main thread's read cache is stale). */
  | { type: 'results'; results: CallResult[]; committed: boolean }
  | { type: 'closed' };

/** A lock held elsewhere is retried this often; each attempt waits at most this long inside SQLite. */
const LOCK_RETRY_MS = 25;

const port = parentPort!;
const { file, lockWaitMs } = workerData as SqliteWorkerData;

function open(): Database.Database {
  if (file !== ':memory:') ensureDirectory(path.dirname(path.resolve(file)));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Short on purpose: a lock held elsewhere fails one attempt quickly, and reads are served before the next.
  db.pragma(`busy_timeout = ${LOCK_RETRY_MS}`);
  migrate(db);
  return db;
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

let db: Database.Database;
try {
  db = open();
} catch (error) {
  port.postMessage({ type: 'open-failed', message: `cannot open database ${path.resolve(file)}: ${describe(error)}` } satisfies WorkerReply);
  process.exit(1);
}

const operations = prepareOperations(db);
const commits = new GroupCommit(db, { lockWaitMs, retryEveryMs: LOCK_RETRY_MS });

let outbox: CallResult[] = [];
let committed = false;
let sendScheduled = false;

/** Answers of one burst of work leave as one message. */
function answer(result: CallResult, afterCommit: boolean): void {
  outbox.push(result);
  committed ||= afterCommit;
  if (sendScheduled) return;
  sendScheduled = true;
  queueMicrotask(() => {
    sendScheduled = false;
    port.postMessage({ type: 'results', results: outbox, committed } satisfies WorkerReply);
    outbox = [];
    committed = false;
  });
}

function failure(id: number, error: unknown, unavailable: boolean): CallResult {
  return { id, ok: false, unavailable, message: describe(error) };
}

function read(call: Extract<StorageCall, { kind: 'read' }>): void {
  try {
    const run = operations.reads[call.op] as (...args: unknown[]) => unknown;
    answer({ id: call.id, ok: true, value: run(...call.args) }, false);
  } catch (error) {
    answer(failure(call.id, error, isDiskError(error)), false);
  }
}

function write(call: Extract<StorageCall, { kind: 'write' }>): void {
  const run = operations.writes[call.op] as (...args: unknown[]) => unknown;
  commits.submit(
    () => run(...call.args),
    (outcome: WriteOutcome) =>
      answer(outcome.ok ? { id: call.id, ok: true, value: outcome.value } : failure(call.id, outcome.error, outcome.unavailable), true),
  );
}

port.postMessage({ type: 'ready' } satisfies WorkerReply);

port.on('message', (request: WorkerRequest) => {
  if (request.type === 'calls') {
    for (const call of request.calls) {
      if (call.kind === 'read') read(call);
      else write(call);
    }
    return;
  }
  void commits.drain().then(() => {
    db.close();
    port.postMessage({ type: 'closed' } satisfies WorkerReply);
    port.close();
  });
});
