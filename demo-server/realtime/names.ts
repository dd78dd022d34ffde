/**
 * Who may carry which name in a session. Screens show only a name beside
 * what someone wrote, so a look-alike name is a disguise: nobody in the
 * audience may take a name that looks like the presenter's ("Presenter",
 * "Ρresenter" with a Greek Rho, a presenter screen's own name) or like a
 * room-given guest name, and two people in one session never carry names
 * that look alike, whatever their case.
 *
 * "Looks alike" is the Unicode confusable skeleton (UTS #39: NFD, the
 * confusables.txt mapping, NFD; the mapping is the `unhomoglyph` package),
 * folded to lower case, with marks, spaces and punctuation left out. Case
 * folding before and after the mapping gives different skeletons ("Ivan"
 * maps to "lvan" first), so each name has both and a clash on either counts.
 *
 * A name stays with its person for the session (a reconnect keeps it; a new
 * name frees the old one). Kept in memory, or in Redis when scaled out so
 * that every process refuses the same names.
 */
import unhomoglyph from 'unhomoglyph';
import type { RedisClient } from '../storage/redis.js';
import type { SharedRateLimits } from './rate-limits.js';

const SEPARATORS_AND_MARKS = /[\s\p{P}\p{S}\p{M}\p{Cf}]/gu;
/** The room's guest names (`Guest-AB12`): what their skeletons look like. */
const GUEST_NAME_KEY = /^guest.{1,8}$/u;
const PRESENTER_WORD = 'presenter';
/** Owner of the presenter screens' names. Author ids never contain `@`. */
const PRESENTER_OWNER = '@presenter';
/** Longer than any session: the session id is part of every key. */
const SESSION_SECONDS = 24 * 60 * 60;

/** The name the room gives a person who has not chosen one. */
export function guestName(authorId: string): string {
  return `Guest-${authorId
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 4)
    .padEnd(4, '0')}`;
}

const skeleton = (value: string) => unhomoglyph(value.normalize('NFD')).normalize('NFD');

/** The skeletons a name is compared by (one or two). */
export function nameKeys(name: string): string[] {
  const compatible = name.normalize('NFKC');
  const keys = new Set<string>();
  for (const folded of [skeleton(compatible).toLowerCase(), skeleton(compatible.toLowerCase()).toLowerCase()]) {
    const key = folded.replace(SEPARATORS_AND_MARKS, '');
    // A name of punctuation alone is compared as it is written.
    keys.add(key || compatible.toLowerCase());
  }
  return [...keys];
}

export type NameVerdict = 'ok' | 'presenter' | 'guest' | 'taken';

/** Where the session's names live: one atomic claim per call. */
interface NameBook {
  /** Claims every key for `owner` unless another owner holds one; frees the owner's previous keys. Returns the holder of a clash, or null. */
  claim(sessionId: number, owner: string, keys: string[], release?: boolean): Promise<string | null>;
}

export class NameRegistry {
  private readonly book: NameBook;

  constructor(shared?: SharedRateLimits) {
    this.book = shared ? new RedisNameBook(shared.redis, shared.keyPrefix) : new MemoryNameBook();
  }

  /**
   * Gives `name` to the person `authorId` in this session, or says why not.
   * `ownGuestName` is the name the room gave this person: theirs to take back.
   */
  async claim(sessionId: number, authorId: string, name: string, ownGuestName: string): Promise<NameVerdict> {
    const keys = nameKeys(name);
    if (keys.some((key) => key.includes(PRESENTER_WORD))) return 'presenter';
    const ownGuestKeys = nameKeys(ownGuestName);
    if (keys.some((key) => GUEST_NAME_KEY.test(key)) && !keys.every((key) => ownGuestKeys.includes(key))) return 'guest';
    const holder = await this.book.claim(sessionId, authorId, keys);
    if (holder === null) return 'ok';
    return holder === PRESENTER_OWNER ? 'presenter' : 'taken';
  }

  /** A presenter screen's name: nobody in the audience may take it (or anything like it) in this session. */
  async reservePresenterName(sessionId: number, name: string): Promise<void> {
    if (name) await this.book.claim(sessionId, PRESENTER_OWNER, nameKeys(name), false);
  }
}

class MemoryNameBook implements NameBook {
  private sessionId = -1;
  private readonly owners = new Map<string, string>();
  private readonly keysOf = new Map<string, string[]>();

  async claim(sessionId: number, owner: string, keys: string[], release = true): Promise<string | null> {
    if (sessionId !== this.sessionId) {
      // Names belong to one session; the previous session's are of no use any more.
      this.sessionId = sessionId;
      this.owners.clear();
      this.keysOf.clear();
    }
    for (const key of keys) {
      const holder = this.owners.get(key);
      if (holder !== undefined && holder !== owner) return holder;
    }
    if (release) {
      for (const key of this.keysOf.get(owner) ?? []) if (this.owners.get(key) === owner) this.owners.delete(key);
      this.keysOf.set(owner, keys);
    }
    for (const key of keys) this.owners.set(key, owner);
    return null;
  }
}

/** KEYS: names hash, owners hash. ARGV: owner, seconds to keep, release (1/0), keys…; returns the clashing holder or false. */
const CLAIM_SCRIPT = `
local owner = ARGV[1]
for i = 4, #ARGV do
  local holder = redis.call('HGET', KEYS[1], ARGV[i])
  if holder and holder ~= owner then return holder end
end
if ARGV[3] == '1' then
  local previous = redis.call('HGET', KEYS[2], owner)
  if previous then
    for key in string.gmatch(previous, '[^\\n]+') do
      if redis.call('HGET', KEYS[1], key) == owner then redis.call('HDEL', KEYS[1], key) end
    end
  end
  redis.call('HSET', KEYS[2], owner, table.concat(ARGV, '\\n', 4))
end
for i = 4, #ARGV do redis.call('HSET', KEYS[1], ARGV[i], owner) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return false
`;

class RedisNameBook implements NameBook {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  async claim(sessionId: number, owner: string, keys: string[], release = true): Promise<string | null> {
    const holder = await this.redis.eval(CLAIM_SCRIPT, {
      keys: [`${this.keyPrefix}names:${sessionId}`, `${this.keyPrefix}names-of:${sessionId}`],
      arguments: [owner, String(SESSION_SECONDS), release ? '1' : '0', ...keys],
    });
    return typeof holder === 'string' ? holder : null;
  }
}
