/**
 * How many identities (clientIds) one address may bring into a session's
 * votes. Identities are free to invent, so per-person vote limits alone let
 * one address outvote a room; the per-minute budget for new identities
 * (connection-caps.ts) bounds the speed, this bounds the total: the first
 * `maxIdentitiesPerIp` identities an address votes with in a session count,
 * later ones are refused. A venue NAT puts the whole room behind one
 * address, hence a documented default and LIVEDECK_MAX_IDENTITIES_PER_IP.
 *
 * Counted in memory, or in Redis when scaled out (every process shares the
 * budget); a restart starts the count again.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { SharedRateLimits } from './rate-limits.js';

/** Longer than any session: the budget is per session, the session id is in the key. */
const SESSION_SECONDS = 24 * 60 * 60;
/** Verdicts kept in this process, so a voting phone costs Redis nothing after its first vote. */
const VERDICTS_KEPT = 20_000;
const COUNTS = 1;
const OVER = 2;

export class IdentityBudget {
  private readonly perAddress: RateLimiterAbstract;
  /** An identity's verdict, remembered for the session (1: counts, 2: over the budget). */
  private readonly verdicts: RateLimiterAbstract;
  private readonly local = new Map<string, boolean>();

  constructor(
    readonly maxPerAddress: number,
    shared?: SharedRateLimits,
  ) {
    const limiter = (keyPrefix: string, points: number) => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration: SESSION_SECONDS });
      if (!shared) return memory;
      return new RateLimiterRedis({
        storeClient: shared.redis,
        useRedisPackage: true,
        keyPrefix: `${shared.keyPrefix}${keyPrefix}`,
        points,
        duration: SESSION_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.perAddress = limiter('identities-per-ip', maxPerAddress);
    this.verdicts = limiter('identity-verdict', OVER);
  }

  /** Whether this identity's votes count in this session; the first vote of an identity decides it. */
  async counts(sessionId: number, clientId: string, ip: string): Promise<boolean> {
    const key = `${sessionId}|${clientId}`;
    const known = this.local.get(key);
    if (known !== undefined) return known;
    const stored = await this.verdicts.get(key);
    let verdict: boolean;
    if (stored) verdict = stored.consumedPoints === COUNTS;
    else {
      verdict = await this.perAddress.consume(`${sessionId}|${ip}`).then(
        () => true,
        (rejection: unknown) => {
          if (rejection instanceof RateLimiterRes) return false;
          throw rejection;
        },
      );
      await this.verdicts.set(key, verdict ? COUNTS : OVER, SESSION_SECONDS);
    }
    if (this.local.size >= VERDICTS_KEPT) this.local.delete(this.local.keys().next().value!);
    this.local.set(key, verdict);
    return verdict;
  }
}
