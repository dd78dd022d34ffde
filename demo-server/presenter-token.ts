/**
 * Presenter token checks. Both sides are hashed first so the comparison is
 * constant-time whatever the lengths, and the token itself never reaches a
 * log line (pino's redaction covers the headers that carry it).
 *
 * Every check that comes from the network goes through `verify`. The right
 * token always gets in, whatever its address did before: a venue NAT puts
 * the presenter behind the same address as everyone else, so refusing a
 * correct token would let anyone lock the presenter out. Wrong tokens are
 * counted per IP address: after a few the answers slow down, after
 * `attempts` the address's wrong tokens are refused at once for
 * `blockSeconds`. What keeps a guesser out is the token itself (128 random
 * bits by default, at least PRESENTER_TOKEN_MIN_LENGTH characters when
 * chosen), not the block.
 * Presenter sockets keep a fingerprint of the token they proved, and every
 * event re-checks it (`holds`), so a rotated token takes effect at once,
 * also for sockets restored by connection state recovery.
 */
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { assertStrongToken, DEFAULT_LOCKOUT, type LockoutOptions } from './options.js';

export type TokenVerdict = { ok: true; fingerprint: string } | { ok: false; blockedForMs: number };

export interface TokenCheck {
  /** Constant-time comparison with the current token; no lockout accounting. */
  (candidate: unknown): boolean;
  /** The check for network input: counts wrong tokens from `ip`, slows then blocks. */
  verify(candidate: unknown, ip: string): Promise<TokenVerdict>;
  /** True while `fingerprint` (from a successful verify) belongs to the current token. */
  holds(fingerprint: string | undefined): boolean;
  /** Replaces the token; fingerprints of the old one stop holding. */
  rotate(token: string): void;
}

/** Wrong tokens up to this many per window are answered at once; later ones wait. */
const FREE_ATTEMPTS = 3;
const MAX_DELAY_STEPS = 8;

const digest = (value: string) => crypto.createHash('sha256').update(value).digest();

export function createTokenCheck(token: string, lockout: LockoutOptions = DEFAULT_LOCKOUT): TokenCheck {
  assertStrongToken(token);
  let expected = digest(token);
  // A per-process key: a fingerprint kept in socket data is useless anywhere else.
  const fingerprintKey = crypto.randomBytes(32);
  const fingerprintOf = (hash: Buffer) => crypto.createHmac('sha256', fingerprintKey).update(hash).digest('base64url');
  let current = fingerprintOf(expected);
  const failures = new RateLimiterMemory({
    keyPrefix: 'presenter-token',
    points: lockout.attempts,
    duration: lockout.windowSeconds,
    blockDuration: lockout.blockSeconds,
  });

  const matches = (candidate: unknown): boolean => {
    if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 256) return false;
    return crypto.timingSafeEqual(expected, digest(candidate));
  };

  const blockedFor = async (ip: string): Promise<number> => {
    const state = await failures.get(ip);
    return state && state.consumedPoints > lockout.attempts ? Math.max(1, state.msBeforeNext) : 0;
  };

  const recordFailure = async (ip: string): Promise<number> => {
    try {
      const state = await failures.consume(ip);
      const steps = Math.min(MAX_DELAY_STEPS, state.consumedPoints - FREE_ATTEMPTS);
      if (steps > 0 && lockout.delayMs > 0) await sleep(steps * lockout.delayMs);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
      throw rejection;
    }
  };

  return Object.assign(matches, {
    async verify(candidate: unknown, ip: string): Promise<TokenVerdict> {
      if (matches(candidate)) return { ok: true, fingerprint: current };
      const blocked = await blockedFor(ip);
      if (blocked > 0) return { ok: false, blockedForMs: blocked };
      return { ok: false, blockedForMs: await recordFailure(ip) };
    },
    holds(fingerprint: string | undefined): boolean {
      if (fingerprint === undefined || fingerprint.length !== current.length) return false;
      return crypto.timingSafeEqual(Buffer.from(fingerprint), Buffer.from(current));
    },
    rotate(next: string): void {
      assertStrongToken(next);
      expected = digest(next);
      current = fingerprintOf(expected);
    },
  });
}

/** The token from an `Authorization: Bearer …` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
