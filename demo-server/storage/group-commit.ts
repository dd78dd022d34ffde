/**
 * Group commit for one SQLite connection: every write asked for in the same
 * event-loop turn runs in one transaction, each in its own savepoint (one
 * failing write does not undo its neighbours), and each is settled only
 * after that transaction committed. Under load that turns hundreds of fsyncs
 * into one without weakening "a settled write survives a crash".
 *
 * A database locked by another process is waited for without blocking: the
 * transaction starts with BEGIN IMMEDIATE under a short busy timeout, so a
 * lock held elsewhere fails it before any write ran; the batch is tried
 * again a little later (reads are served in between) until each write's own
 * deadline, past which that write is refused as unavailable.
 */
import type Database from 'better-sqlite3';

export type WriteOutcome = { ok: true; value: unknown } | { ok: false; error: unknown; unavailable: boolean };

interface PendingWrite {
  run: () => unknown;
  settle: (outcome: WriteOutcome) => void;
  deadline: number;
}

export interface GroupCommitOptions {
  /** How long one write may wait for a lock another connection holds. */
  lockWaitMs: number;
  /** Pause between two attempts while the lock is held elsewhere. */
  retryEveryMs: number;
}

/** Errors that mean "the disk or the file cannot take writes now", not a bug in a statement. */
const DISK_ERROR = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/;
const LOCKED_ELSEWHERE = /^SQLITE_(BUSY|LOCKED)/;

const codeOf = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};
export const isDiskError = (error: unknown) => DISK_ERROR.test(codeOf(error));

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = codeOf(error);
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

export class GroupCommit {
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Queues a write for the next commit; `settle` is called once, after it. */
  submit(run: () => unknown, settle: (outcome: WriteOutcome) => void): void {
    this.queue.push({ run, settle, deadline: Date.now() + this.options.lockWaitMs });
    // While waiting for a lock, new writes join the batch that is waiting.
    if (this.flushScheduled || this.retryTimer) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  get waiting(): number {
    return this.queue.length;
  }

  private flush(): void {
    this.flushScheduled = false;
    this.retryTimer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: WriteOutcome[] = [];
    try {
      this.db
        .transaction(() => {
          for (const pending of batch) {
            try {
              // A nested transaction is a savepoint: a throw undoes only this write.
              outcomes.push({ ok: true, value: this.db.transaction(pending.run)() });
            } catch (error) {
              if (isDiskError(error)) throw error;
              outcomes.push({ ok: false, error, unavailable: false });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The transaction was rolled back whole: nothing of this batch is written, so trying it again is safe.
      if (LOCKED_ELSEWHERE.test(codeOf(error))) return this.waitForLock(batch, error);
      const unavailable = isDiskError(error);
      for (const pending of batch) pending.settle({ ok: false, error, unavailable });
      return;
    }
    batch.forEach((pending, index) => pending.settle(outcomes[index]!));
  }

  private waitForLock(batch: PendingWrite[], error: unknown): void {
    const now = Date.now();
    const waiting: PendingWrite[] = [];
    for (const pending of batch) {
      if (pending.deadline <= now) pending.settle({ ok: false, error, unavailable: true });
      else waiting.push(pending);
    }
    this.queue = [...waiting, ...this.queue];
    if (this.queue.length > 0) this.retryTimer = setTimeout(() => this.flush(), this.options.retryEveryMs);
  }

  /** Commits (or refuses, past their deadline) every queued write; for a clean close. */
  async drain(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.flush();
    while (this.queue.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.options.retryEveryMs));
      clearTimeout(this.retryTimer);
      this.flush();
    }
  }
}
