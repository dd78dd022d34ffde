/**
 * Rate limits per event, per person (clientId), per IP address and, for
 * events that every phone hears about, for the whole room.
 *
 * The per-IP budget is a multiple of the per-person one so that a conference
 * NAT (many honest phones behind one address) still works, while a script
 * that invents clientIds cannot multiply its budget without bound. The room
 * budget bounds what any number of identities and addresses together can
 * make the server broadcast to everyone (a chat line, a new question, a race
 * ping); votes need none, their broadcasts are coalesced.
 * docs/security.md lists the numbers.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitName } from '../../src/shared/protocol.js';
import type { RedisClient } from '../storage/redis.js';
import { WireErrorException } from './wire-error.js';

export interface RateLimit {
  /** Events allowed per person per window. */
  points: number;
  windowSeconds: number;
  /** Events allowed from the whole room per window, for events that are broadcast to everyone. */
  roomPoints?: number;
}

export const PER_IP_MULTIPLIER = 25;

export const RATE_LIMITS = {
  'slide:set': { points: 40, windowSeconds: 1 },
  'name:set': { points: 5, windowSeconds: 10 },
  'chat:send': { points: 5, windowSeconds: 10, roomPoints: 300 },
  'question:ask': { points: 3, windowSeconds: 30, roomPoints: 90 },
  'question:vote': { points: 30, windowSeconds: 10 },
  'question:list': { points: 10, windowSeconds: 10 },
  'reaction:send': { points: 10, windowSeconds: 1 },
  'race:ping': { points: 5, windowSeconds: 5, roomPoints: 250 },
  'poll:vote': { points: 10, windowSeconds: 10 },
  'words:submit': { points: 10, windowSeconds: 10 },
  'text:submit': { points: 3, windowSeconds: 30 },
  'pace:vote': { points: 10, windowSeconds: 10 },
  moderation: { points: 60, windowSeconds: 10 },
  // A phone reports a drawn slide now and then (sampled) and when it starts or stops looking back.
  'room:report': { points: 20, windowSeconds: 10 },
} satisfies Record<RateLimitName, RateLimit>;

/**
 * Scaled out (REDIS_URL), the budgets are counted in Redis so that a phone
 * cannot multiply them by the number of processes; while Redis is
 * unreachable each process falls back to counting in its own memory.
 */
export interface SharedRateLimits {
  redis: RedisClient;
  keyPrefix: string;
}

export class RateLimiters {
  private readonly perClient = new Map<RateLimitName, RateLimiterAbstract>();
  private readonly perIp = new Map<RateLimitName, RateLimiterAbstract>();
  private readonly perRoom = new Map<RateLimitName, RateLimiterAbstract>();

  constructor(limits: Record<RateLimitName, RateLimit> = RATE_LIMITS, shared?: SharedRateLimits) {
    const limiter = (points: number, duration: number, key: string): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ points, duration });
      if (!shared) return memory;
      return new RateLimiterRedis({
        storeClient: shared.redis,
        useRedisPackage: true,
        keyPrefix: `${shared.keyPrefix}${key}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    for (const [name, limit] of Object.entries(limits) as Array<[RateLimitName, RateLimit]>) {
      this.perClient.set(name, limiter(limit.points, limit.windowSeconds, `rl:${name}:client`));
      this.perIp.set(name, limiter(limit.points * PER_IP_MULTIPLIER, limit.windowSeconds, `rl:${name}:ip`));
      if (limit.roomPoints) this.perRoom.set(name, limiter(limit.roomPoints, limit.windowSeconds, `rl:${name}:room`));
    }
  }

  /** Spends one point for this person, this address and the room, or throws `rate_limited`. */
  async consume(name: RateLimitName, clientId: string, ip: string): Promise<void> {
    try {
      await this.perClient.get(name)!.consume(clientId);
      await this.perIp.get(name)!.consume(ip);
      await this.perRoom.get(name)?.consume('room');
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
        throw new WireErrorException('rate_limited', `too many requests; retry in ${Math.ceil(retryAfterMs / 1000)} s`, retryAfterMs);
      }
      throw rejection;
    }
  }
}
