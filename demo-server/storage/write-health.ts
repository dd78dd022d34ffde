/**
 * Whether a storage can take writes right now, for /healthz: the outcome of
 * the last write, refreshed by a probe write when it is older than a few
 * seconds (an idle server must still notice a database locked or a Redis
 * gone). Reads may well succeed meanwhile (SQLite's WAL readers never wait),
 * so only writes count.
 */
import { StorageUnavailableError, type StorageHealth } from './storage.js';

/** A health answer younger than this is given without a probe. */
const FRESH_MS = 2000;

export class WriteHealth {
  private failingSince: number | null = null;
  private lastError = '';
  private lastOutcomeAt = -Infinity;
  private probing: Promise<unknown> | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the outcome of a write; only `unavailable` counts as failing (a bug in one write says nothing about the disk). */
  async track<T>(write: Promise<T>): Promise<T> {
    try {
      const value = await write;
      this.succeeded();
      return value;
    } catch (error) {
      if (error instanceof StorageUnavailableError) this.failed(error.message);
      throw error;
    }
  }

  succeeded(): void {
    this.lastOutcomeAt = this.now();
    this.failingSince = null;
  }

  failed(message: string): void {
    this.lastOutcomeAt = this.now();
    this.failingSince ??= this.lastOutcomeAt;
    this.lastError = message;
  }

  /** The current health, after a probe write (shared by concurrent askers) when the last outcome is stale. */
  async check(probe: () => Promise<void>): Promise<StorageHealth> {
    if (this.now() - this.lastOutcomeAt >= FRESH_MS) {
      this.probing ??= this.track(probe())
        .catch(() => undefined)
        .finally(() => (this.probing = undefined));
      await this.probing;
    }
    return this.current();
  }

  current(): StorageHealth {
    return this.failingSince === null ? { ok: true } : { ok: false, since: this.failingSince, error: this.lastError };
  }
}
