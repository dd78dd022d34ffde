/**
 * How many questions one person may ask in a session. The per-person rate
 * limit bounds the speed; this bounds the total, so that a few people (or
 * one address with its budget of identities) cannot bury the room's
 * questions under thousands of their own. Presenters are not counted.
 *
 * Counted in memory, or in Redis when scaled out (every process shares the
 * count); a restart starts the count again.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRateLimits } from './rate-limits.js';

/** Longer than any session: the session id is part of every key. */
const SESSION_SECONDS = 24 * 60 * 60;

export class QuestionQuota {
  private readonly asked: RateLimiterAbstract;

  constructor(
    readonly maxPerPerson: number,
    shared?: SharedRateLimits,
  ) {
    const memory = new RateLimiterMemory({ keyPrefix: 'questions-per-person', points: maxPerPerson, duration: SESSION_SECONDS });
    this.asked = shared
      ? new RateLimiterRedis({
          storeClient: shared.redis,
          useRedisPackage: true,
          keyPrefix: `${shared.keyPrefix}questions-per-person`,
          points: maxPerPerson,
          duration: SESSION_SECONDS,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        })
      : memory;
  }

  /** Takes one question from the person's quota; false when it is spent. */
  async take(sessionId: number, clientId: string): Promise<boolean> {
    return this.asked.consume(`${sessionId}|${clientId}`).then(
      () => true,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes) return false;
        throw rejection;
      },
    );
  }

  /** A question that was not stored after all does not count. */
  async giveBack(sessionId: number, clientId: string): Promise<void> {
    await this.asked.reward(`${sessionId}|${clientId}`, 1);
  }
}
