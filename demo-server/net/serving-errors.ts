/**
 * One error policy for the process that owns the port (the one-process
 * server, or the `--workers` primary): every phone comes through it, so
 * nothing it meets while serving may stop it. An accept that fails (EMFILE:
 * too many open files), a worker that cannot be started, a message to a
 * worker that is just exiting: each is logged and the process keeps
 * serving. A client's own connection failing (a phone hanging up mid-reply)
 * is routine: that connection is closed, quietly. Only a failure while
 * starting (the port taken, a first worker that cannot start) stops it,
 * with one clear line.
 */
import type { Logger } from 'pino';

/** What failed. */
export type ServingFailure = 'accept' | 'worker-start' | 'worker-ipc';

/** At most one line per kind of failure in this window: an accept storm at the file limit must not flood the log. */
export const QUIET_MS = 60_000;

const WHAT: Record<ServingFailure, string> = {
  accept: 'the port could not take a connection; still serving',
  'worker-start': 'a worker could not be started; trying again',
  'worker-ipc': 'a message to a worker failed (it is exiting or gone); still serving',
};

/** Only the error's code, system call and message: never a payload, an argument list or an environment. */
export function errorFacts(error: unknown): { code: string; syscall?: string; message: string } {
  const { code, syscall, message } = (error ?? {}) as { code?: unknown; syscall?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : 'UNKNOWN',
    ...(typeof syscall === 'string' ? { syscall } : {}),
    message: typeof message === 'string' ? message : String(error),
  };
}

export class ServingErrors {
  readonly #logger: Logger;
  readonly #now: () => number;
  /** Per kind and code: when it was last logged, and how many came since. */
  readonly #recent = new Map<string, { loggedAt: number; unlogged: number }>();

  constructor(logger: Logger, now: () => number = Date.now) {
    this.#logger = logger;
    this.#now = now;
  }

  report(failure: ServingFailure, error: unknown): void {
    const facts = errorFacts(error);
    const key = `${failure}:${facts.code}`;
    const now = this.#now();
    const recent = this.#recent.get(key);
    if (recent && now - recent.loggedAt < QUIET_MS) {
      recent.unlogged++;
      return;
    }
    this.#recent.set(key, { loggedAt: now, unlogged: 0 });
    const hint = facts.code === 'EMFILE' || facts.code === 'ENFILE' ? { hint: 'too many open files: raise the limit (ulimit -n), see docs/deploy.md' } : {};
    this.#logger.error({ failure, ...facts, ...hint, ...(recent?.unlogged ? { sinceLastLine: recent.unlogged } : {}) }, WHAT[failure]);
  }
}
