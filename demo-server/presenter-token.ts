/**
 * Presenter token checks. Both sides are hashed first so the comparison is
 * constant-time whatever the lengths, and the token itself never reaches a
 * log line (pino's redaction covers the headers that carry it).
 */
import crypto from 'node:crypto';

export type TokenCheck = (candidate: unknown) => boolean;

export function createTokenCheck(token: string): TokenCheck {
  const expected = crypto.createHash('sha256').update(token).digest();
  return (candidate) => {
    if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 256) return false;
    const actual = crypto.createHash('sha256').update(candidate).digest();
    return crypto.timingSafeEqual(expected, actual);
  };
}

/** The token from an `Authorization: Bearer …` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
