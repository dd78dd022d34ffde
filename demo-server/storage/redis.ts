/**
 * TalkStorage on Redis, for a livedeck spread over several processes or
 * machines (REDIS_URL). Same contract as the SQLite storage
 * (storage.contract.ts runs against both).
 *
 * Atomicity: every operation that touches more than one key is one Lua
 * script (redis-scripts.ts), which Redis runs without interleaving anything else; the control
 * state's read-modify-write is a compare-and-set script retried on conflict.
 *
 * Durability: a promise settles only when Redis has replied. With
 * `appendonly yes` and `appendfsync always`, Redis fsyncs its append-only
 * file before it replies, so an acknowledged write survives a crash of Redis
 * as it survives a crash of livedeck. With Redis's defaults (no AOF, or
 * `everysec`) up to a second of acknowledged writes can be lost when Redis
 * itself dies; `openRedisStorage` logs which of the two the server is set to.
 *
 * Commands are refused at once while the connection is down (no offline
 * queue), so callers get `unavailable` instead of waiting; the client keeps
 * reconnecting in the background.
 *
 * Scripts compute key names from a prefix, so this is for one Redis server
 * (with replicas if you like), not Redis Cluster.
 */
import type { Logger } from 'pino';
import { createClient, ErrorReply, type RedisClientType } from 'redis';
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import { initialTalkState, type TalkState } from '../../src/shared/talk-state.js';
import { HOLD_SCRIPTS } from './redis-hold-scripts.js';
import { SCRIPTS, type Script } from './redis-scripts.js';
import { SharedReads } from './shared-reads.js';
import {
  compareSlideReactions,
  StorageUnavailableError,
  type BanOutcome,
  type HoldState,
  type LiveRecord,
  type NewBan,
  type NewChatMessage,
  type NewPollEntry,
  type NewPollVote,
  type NewQuestion,
  type PollEntry,
  type PollEntryOutcome,
  type PollEntryRefusal,
  type PollEntryRules,
  type PollTally,
  type PollVoteOutcome,
  type QuestionChange,
  type SessionActivity,
  type SessionRecord,
  type SessionSummary,
  type SlideReactions,
  type StorageHealth,
  type TalkStorage,
  type TimelineEntry,
  type VoterRecord,
} from './storage.js';
import { WriteHealth } from './write-health.js';

/** The client as createClient() returns it (RESP3, no modules or scripts of its own). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- node-redis spells "no modules, functions, scripts" as {}.
export type RedisClient = RedisClientType<{}, {}, {}, 3>;

/** Thrown at start when Redis cannot be reached or used. */
export class RedisOpenError extends Error {
  override name = 'RedisOpenError';
}

export const DEFAULT_KEY_PREFIX = 'livedeck:';
/** Optimistic retries of one control change before it is refused as `unavailable`. */
const CONTROL_RETRIES = 50;
/** Redis replies that mean "cannot write right now" rather than "bug". */
const UNAVAILABLE_REPLY = /^(MISCONF|OOM|READONLY|LOADING|BUSY|NOREPLICAS|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)/;

export interface RedisConnectOptions {
  url: string;
  logger: Logger;
  /** Shown in log lines ("storage", "adapter"). */
  role: string;
  /**
   * Fail commands at once while disconnected (storage: an `unavailable` ack
   * beats a hanging one) or queue them until Redis is back (the Socket.IO
   * adapter, whose broadcasts should go out late rather than never).
   */
  offlineQueue: boolean;
}

/**
 * A connected client. The first connection must succeed (a wrong REDIS_URL
 * fails at start with one clear line); after that it reconnects forever with
 * a capped backoff and logs once per outage.
 */
export async function connectRedis({ url, logger, role, offlineQueue }: RedisConnectOptions): Promise<RedisClient> {
  let everReady = false;
  let down = false;
  const client = createClient({
    url,
    disableOfflineQueue: !offlineQueue,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries, cause) => {
        if (!everReady) return new RedisOpenError(`cannot reach Redis at ${redactUrl(url)}: ${cause.message}`);
        return Math.min(100 * 2 ** Math.min(retries, 5), 2000);
      },
    },
  });
  client.on('error', (error: Error) => {
    if (!everReady || down) return;
    down = true;
    logger.error({ redis: role, err: error.message }, 'Redis connection lost; reconnecting');
  });
  client.on('ready', () => {
    if (down) logger.warn({ redis: role }, 'Redis connection is back');
    everReady = true;
    down = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    if (error instanceof RedisOpenError) throw error;
    throw new RedisOpenError(`cannot reach Redis at ${redactUrl(url)}: ${(error as Error).message}`);
  }
  return client;
}

/** REDIS_URL may carry a password; it never reaches a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return 'an invalid REDIS_URL';
  }
}

/** Logs whether an acknowledged write is on Redis's disk (see the header comment). */
export async function checkDurability(client: RedisClient, logger: Logger): Promise<'fsync-always' | 'weaker' | 'unknown'> {
  try {
    const config = await client.configGet(['appendonly', 'appendfsync']);
    if (config.appendonly === 'yes' && config.appendfsync === 'always') {
      logger.info('Redis persistence: appendonly yes, appendfsync always (an ok ack is on disk)');
      return 'fsync-always';
    }
    logger.warn(
      { appendonly: config.appendonly, appendfsync: config.appendfsync },
      'Redis may lose up to a second of acknowledged writes if Redis itself crashes; set appendonly yes and appendfsync always (docs/deploy.md)',
    );
    return 'weaker';
  } catch (error) {
    // Managed Redis services often disable CONFIG; their persistence is documented by the provider.
    logger.info({ err: (error as Error).message }, 'could not read Redis persistence settings (CONFIG GET)');
    return 'unknown';
  }
}

export interface RedisStorageOptions {
  /** Key prefix, so several deployments (or tests) can share one Redis. @defaultValue "livedeck:" */
  prefix?: string;
}

export async function openRedisStorage(client: RedisClient, options: RedisStorageOptions = {}): Promise<TalkStorage> {
  const storage = new RedisStorage(client, options.prefix ?? DEFAULT_KEY_PREFIX);
  await storage.loadScripts();
  return storage;
}

// ---------------------------------------------------------------- decoding

type Reply = unknown;

/** HGETALL from inside a script arrives as a flat [field, value, …] list. */
function fields(reply: Reply): Record<string, string> {
  const flat = reply as string[];
  const record: Record<string, string> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) record[flat[index]!] = flat[index + 1]!;
  return record;
}

function toSession(record: Record<string, string>): SessionRecord {
  return {
    id: Number(record.id),
    talkId: record.talkId!,
    startedAt: Number(record.startedAt),
    endedAt: record.endedAt ? Number(record.endedAt) : null,
    control: parseControl(record.control!),
  };
}

function parseControl(json: string): TalkState {
  return { ...initialTalkState, ...(JSON.parse(json) as Partial<TalkState>) };
}

function toQuestion(record: Record<string, string>): Question {
  return {
    id: Number(record.id),
    authorId: record.authorId!,
    name: record.name!,
    text: record.text!,
    votes: Number(record.votes),
    answered: record.answered === '1',
    hidden: record.hidden === '1',
    pending: record.pending === '1',
    slide: { h: Number(record.h), v: Number(record.v) },
    ts: Number(record.ts),
  };
}

function toChat([id, json]: [string | number, string]): ChatMessage {
  const stored = JSON.parse(json) as NewChatMessage;
  const message: ChatMessage = { id: Number(id), authorId: stored.authorId, name: stored.name, text: stored.text, ts: stored.ts };
  if (stored.presenter) message.presenter = true;
  return message;
}

/** An entry as the scripts store it: with its voter, which never leaves storage. */
interface StoredEntry extends Omit<PollEntry, 'ts'> {
  voter: string;
  ts: string;
}

function toEntry(json: string): PollEntry {
  const stored = JSON.parse(json) as StoredEntry;
  return {
    id: Number(stored.id),
    poll: stored.poll,
    authorId: stored.authorId,
    name: stored.name,
    text: stored.text,
    key: stored.key,
    hidden: stored.hidden === true,
    ts: Number(stored.ts),
  };
}

function unavailable(error: unknown): unknown {
  if (error instanceof ErrorReply) {
    return UNAVAILABLE_REPLY.test(error.message) ? new StorageUnavailableError(`Redis: ${error.message}`) : error;
  }
  // Anything else from the client is the connection: offline, closed, timed out.
  if (error instanceof Error) return new StorageUnavailableError(`Redis: ${error.message}`);
  return error;
}

/** What a shared read hands every caller: frozen, like the SQLite storage's commit cache, so no caller can change it for the others. */
function frozen<T extends object>(rows: T[]): readonly T[] {
  for (const row of rows) Object.freeze(row);
  return Object.freeze(rows);
}

class RedisStorage implements TalkStorage {
  private closed = false;
  private readonly writes = new WriteHealth();
  /**
   * The reads every joining phone's snapshot repeats (newest chat, questions,
   * poll tallies and entries, held people): one command for the callers
   * that ask while the same one is on its way (shared-reads.ts).
   */
  private readonly shared = new SharedReads();

  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  /** Loads the scripts once at start (and checks that Lua scripting works at all). */
  async loadScripts(): Promise<void> {
    try {
      for (const script of [...Object.values(SCRIPTS), ...Object.values(HOLD_SCRIPTS)]) await this.client.scriptLoad(script.source);
    } catch (error) {
      throw new RedisOpenError(`cannot load Lua scripts into Redis: ${(error as Error).message}`);
    }
  }

  private key(name: string): string {
    return this.prefix + name;
  }

  /** Every call goes through here: closed check, and Redis errors mapped to `unavailable`. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StorageUnavailableError('storage is closed');
    try {
      return await run();
    } catch (error) {
      throw unavailable(error);
    }
  }

  private run(script: Script, ...args: Array<string | number>): Promise<Reply> {
    return this.call(async () => {
      const options = { keys: [], arguments: [this.prefix, ...args.map(String)] };
      try {
        return await this.client.evalSha(script.sha, options);
      } catch (error) {
        // A Redis restarted without persistence (or SCRIPT FLUSH) forgot the script: send it once more.
        if (error instanceof ErrorReply && error.message.startsWith('NOSCRIPT')) return this.client.eval(script.source, options);
        throw error;
      }
    });
  }

  /** A script that writes: its outcome is the storage's health (reads may work while writes are refused, e.g. MISCONF). */
  private write(script: Script, ...args: Array<string | number>): Promise<Reply> {
    return this.writes.track(this.run(script, ...args));
  }

  // ------------------------------------------------------------ sessions

  async openSession(talkId: string, now: number): Promise<SessionRecord> {
    return toSession(fields(await this.write(SCRIPTS.openSession, talkId, now, JSON.stringify(initialTalkState))));
  }

  async startSession(talkId: string, now: number): Promise<SessionRecord> {
    return toSession(fields(await this.write(SCRIPTS.startSession, talkId, now, JSON.stringify(initialTalkState))));
  }

  async endSession(sessionId: number, now: number): Promise<void> {
    await this.write(SCRIPTS.endSession, sessionId, now);
  }

  async listSessions(talkId?: string): Promise<SessionSummary[]> {
    const rows = (await this.run(SCRIPTS.listSessions, talkId ?? '')) as Array<[string, string, string, string, number, number, string]>;
    return rows.map(([id, startedAt, endedAt, peak, questions, messages, talk]) => ({
      id: Number(id),
      talkId: talk,
      startedAt: Number(startedAt),
      endedAt: endedAt ? Number(endedAt) : null,
      peakAudience: Number(peak),
      questions: Number(questions),
      messages: Number(messages),
    }));
  }

  /** Shared: scaled out, every snapshot reads its session's control state (room-snapshots.ts). */
  async getSession(sessionId: number): Promise<SessionRecord | null> {
    return this.shared.read(`session/${sessionId}`, async () => {
      const record = await this.call(() => this.client.hGetAll(this.key(`session:${sessionId}`)));
      if (record.id === undefined) return null;
      const session = toSession(record as Record<string, string>);
      Object.freeze(session.control);
      return Object.freeze(session);
    });
  }

  async saveControl(sessionId: number, control: TalkState): Promise<void> {
    await this.write(SCRIPTS.saveControl, sessionId, JSON.stringify(control));
  }

  async updateControl(
    sessionId: number,
    update: (control: TalkState) => TalkState,
    timeline?: (before: TalkState, after: TalkState) => TimelineEntry[],
  ): Promise<{ before: TalkState; after: TalkState } | null> {
    let current = await this.call(() => this.client.hGet(this.key(`session:${sessionId}`), 'control'));
    for (let attempt = 0; attempt < CONTROL_RETRIES; attempt++) {
      if (current === null) return null;
      const before = parseControl(current);
      const after = update(before);
      if (after === before) return { before, after };
      // Compared against the exact JSON we read: any write in between makes the set fail and we retry on the new value.
      const entries = (timeline?.(before, after) ?? []).map((entry) => JSON.stringify(entry));
      const reply = (await this.write(SCRIPTS.casControl, sessionId, current, JSON.stringify(after), ...entries)) as [number, string?];
      if (reply[0] === 1) return { before, after };
      if (reply[0] === 0) return null;
      current = reply[1]!;
    }
    throw new StorageUnavailableError(`control state of session ${sessionId} is changing too fast to update`);
  }

  async recordAudience(sessionId: number, count: number, ts: number): Promise<void> {
    await this.write(SCRIPTS.recordAudience, sessionId, count, ts);
  }

  async addReactions(sessionId: number, slide: { h: number; v: number }, counts: Readonly<Record<string, number>>): Promise<void> {
    const pairs = Object.entries(counts).flatMap(([emoji, count]) => (count > 0 ? [emoji, count] : []));
    if (pairs.length > 0) await this.write(SCRIPTS.addReactions, sessionId, slide.h, slide.v, ...pairs);
  }

  async sessionActivity(sessionId: number): Promise<SessionActivity> {
    const [timeline, audience, flat] = (await this.run(SCRIPTS.sessionActivity, sessionId)) as [string[], string[], string[]];
    const reactions: SlideReactions[] = Object.entries(fields(flat)).map(([field, count]) => {
      const [h, v, ...emoji] = field.split(':');
      return { h: Number(h), v: Number(v), emoji: emoji.join(':'), count: Number(count) };
    });
    reactions.sort(compareSlideReactions);
    return {
      timeline: timeline.map((json) => JSON.parse(json) as TimelineEntry),
      audience: audience.map((sample) => {
        const [ts, n] = sample.split(':');
        return { ts: Number(ts), n: Number(n) };
      }),
      reactions,
    };
  }

  async getLive(): Promise<LiveRecord | null> {
    const json = await this.call(() => this.client.get(this.key('live')));
    return json ? (JSON.parse(json) as LiveRecord) : null;
  }

  async setLive(live: LiveRecord): Promise<void> {
    await this.writes.track(this.call(() => this.client.set(this.key('live'), JSON.stringify({ talkId: live.talkId, sessionId: live.sessionId }))));
  }

  // ------------------------------------------------------------ chat

  async addChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage> {
    const stored: NewChatMessage = { authorId: message.authorId, name: message.name, text: message.text, ts: message.ts };
    if (message.presenter) stored.presenter = true;
    const id = (await this.write(SCRIPTS.addChat, sessionId, JSON.stringify(stored))) as number;
    return toChat([id, JSON.stringify(stored)]);
  }

  async recentChat(sessionId: number, limit: number): Promise<ChatMessage[]> {
    if (limit <= 0) return [];
    return this.shared.read(`chat/${sessionId}/${limit}`, async () => {
      const rows = (await this.run(SCRIPTS.readChat, sessionId, 'recent', limit)) as Array<[string, string]>;
      return frozen(rows.map(toChat).reverse());
    }) as Promise<ChatMessage[]>;
  }

  async chatSince(sessionId: number, afterId: number, limit: number): Promise<ChatMessage[]> {
    if (limit <= 0) return [];
    const rows = (await this.run(SCRIPTS.readChat, sessionId, 'since', afterId, limit)) as Array<[string, string]>;
    return rows.map(toChat);
  }

  async allChat(sessionId: number): Promise<ChatMessage[]> {
    const rows = (await this.run(SCRIPTS.readChat, sessionId, 'all')) as Array<[string, string]>;
    return rows.map(toChat);
  }

  async deleteChat(sessionId: number, id: number): Promise<boolean> {
    return ((await this.write(SCRIPTS.deleteChat, sessionId, id)) as number) === 1;
  }

  // ------------------------------------------------------------ questions

  async addQuestion(sessionId: number, question: NewQuestion): Promise<Question> {
    const reply = await this.run(
      SCRIPTS.addQuestion,
      sessionId,
      question.authorId,
      question.name,
      question.text,
      question.slide.h,
      question.slide.v,
      question.ts,
      question.voterKey,
      question.pending ? 1 : 0,
    );
    return toQuestion(fields(reply));
  }

  async setVote(
    sessionId: number,
    questionId: number,
    voterKey: string,
    up: boolean,
    includeHidden = false,
  ): Promise<{ question: Question; changed: boolean } | null> {
    const reply = (await this.write(SCRIPTS.setVote, sessionId, questionId, voterKey, up ? 1 : 0, includeHidden ? 1 : 0)) as [number, Reply] | null;
    if (!reply) return null;
    return { changed: reply[0] === 1, question: toQuestion(fields(reply[1])) };
  }

  async moderateQuestion(sessionId: number, questionId: number, change: QuestionChange): Promise<Question | null> {
    const flag = (value: boolean | undefined) => (value === undefined ? '' : value ? '1' : '0');
    const reply = await this.write(SCRIPTS.moderateQuestion, sessionId, questionId, flag(change.answered), flag(change.hidden), flag(change.pending));
    return reply ? toQuestion(fields(reply)) : null;
  }

  async listQuestions(sessionId: number): Promise<Question[]> {
    return this.shared.read(`questions/${sessionId}`, async () => {
      const rows = (await this.run(SCRIPTS.listQuestions, sessionId)) as Reply[];
      return frozen(rows.map((row) => toQuestion(fields(row))));
    }) as Promise<Question[]>;
  }

  async votesOf(sessionId: number, voterKey: string): Promise<number[]> {
    const ids = await this.call(() => this.client.sMembers(this.key(`voter-questions:${sessionId}:${voterKey}`)));
    return ids.map(Number).sort((a, b) => a - b);
  }

  // ------------------------------------------------------------ polls

  async setPollVote(sessionId: number, vote: NewPollVote): Promise<PollVoteOutcome> {
    return (await this.write(SCRIPTS.setPollVote, sessionId, vote.poll, vote.voterKey, vote.choice)) as PollVoteOutcome;
  }

  async clearPoll(sessionId: number, poll: string): Promise<void> {
    await this.write(SCRIPTS.clearPoll, sessionId, poll);
  }

  async setPollClosed(sessionId: number, poll: string, closed: boolean): Promise<void> {
    await this.write(SCRIPTS.setPollClosed, sessionId, poll, closed ? 1 : 0);
  }

  async pollCounts(sessionId: number): Promise<PollTally[]> {
    return this.shared.read(`polls/${sessionId}`, () => this.readPollCounts(sessionId)) as Promise<PollTally[]>;
  }

  private async readPollCounts(sessionId: number): Promise<readonly PollTally[]> {
    const rows = (await this.run(SCRIPTS.pollCounts, sessionId)) as Array<[string, number, string[], string, string[]]>;
    const tallies = rows
      .map(([poll, closed, flat, shown, hiddenWords]) => {
        const counts: number[] = [];
        for (const [choice, votes] of Object.entries(fields(flat))) {
          const index = Number(choice);
          while (counts.length <= index) counts.push(0);
          counts[index] = Number(votes);
        }
        const tally: PollTally = { poll, counts, closed: closed === 1 };
        if (shown) tally.shown = shown;
        if (hiddenWords.length > 0) tally.hiddenWords = [...hiddenWords].sort();
        return tally;
      })
      .sort((a, b) => (a.poll < b.poll ? -1 : a.poll > b.poll ? 1 : 0));
    return frozen(tallies);
  }

  async addPollEntry(sessionId: number, entry: NewPollEntry, rules: PollEntryRules): Promise<PollEntryOutcome> {
    const reply = (await this.write(
      SCRIPTS.addPollEntry,
      sessionId,
      entry.poll,
      entry.voterKey,
      entry.authorId,
      entry.name,
      entry.text,
      entry.key,
      entry.ts,
      rules.perVoter,
      rules.total,
      rules.uniqueKeys ? 1 : 0,
    )) as [number, string];
    return reply[0] === 1 ? { ok: true, entry: toEntry(reply[1]) } : { ok: false, reason: reply[1] as PollEntryRefusal };
  }

  async hidePollEntry(sessionId: number, poll: string, id: number, hidden: boolean): Promise<PollEntry | null> {
    const reply = (await this.write(SCRIPTS.hidePollEntry, sessionId, poll, id, hidden ? 1 : 0)) as string | null;
    return reply ? toEntry(reply) : null;
  }

  async hidePollWord(sessionId: number, poll: string, key: string, hidden: boolean): Promise<void> {
    await this.write(SCRIPTS.hidePollWord, sessionId, poll, key, hidden ? 1 : 0);
  }

  async setPollShown(sessionId: number, poll: string, shown: string): Promise<void> {
    await this.write(SCRIPTS.setPollShown, sessionId, poll, shown);
  }

  async pollEntries(sessionId: number): Promise<PollEntry[]> {
    return this.shared.read(`entries/${sessionId}`, async () => {
      const values = await this.call(() => this.client.hVals(this.key(`poll-entries:${sessionId}`)));
      return frozen((values as string[]).map(toEntry).sort((a, b) => a.id - b.id));
    }) as Promise<PollEntry[]>;
  }

  async voterRecord(sessionId: number, voterKey: string): Promise<VoterRecord> {
    const [questions, polls, entries] = (await this.run(SCRIPTS.voterRecord, sessionId, voterKey)) as [string[], string[], Array<string | null>];
    return {
      questions: questions.map(Number).sort((a, b) => a - b),
      polls: Object.entries(fields(polls))
        .map(([poll, choice]) => ({ poll, choice: Number(choice) }))
        .sort((a, b) => (a.poll < b.poll ? -1 : a.poll > b.poll ? 1 : 0)),
      entries: entries.filter((value): value is string => typeof value === 'string').map(toEntry),
    };
  }

  // ------------------------------------------------------------ bans and secrets

  async ban(talkId: string, sessionId: number, ban: NewBan): Promise<BanOutcome> {
    const mark = ban.mark ? JSON.stringify(ban.mark) : '';
    const [deleted, questions, polls, entries] = (await this.write(SCRIPTS.ban, talkId, sessionId, ban.authorId, ban.now, mark, ...ban.voterKeys)) as [
      Array<string | number>,
      Reply[],
      string[],
      string[],
    ];
    return {
      deletedChat: deleted.map(Number),
      questions: questions.map((row) => toQuestion(fields(row))).sort((a, b) => a.id - b.id),
      entries: entries.map(toEntry).sort((a, b) => a.id - b.id),
      polls: [...polls].sort(),
    };
  }

  async voterKeys(sessionId: number): Promise<string[]> {
    return this.call(() => this.client.sMembers(this.key(`session-voters:${sessionId}`)));
  }

  async isBanned(talkId: string, authorId: string): Promise<boolean> {
    return Number(await this.call(() => this.client.hExists(this.key(`bans:${talkId}`), authorId))) === 1;
  }

  // ------------------------------------------------------------ held people

  async holdState(sessionId: number, addressKey: string, authorId: string): Promise<HoldState> {
    return ((await this.run(HOLD_SCRIPTS.holdState, sessionId, addressKey, authorId)) as number) === 1 ? 'held' : 'free';
  }

  async holdPerson(sessionId: number, authorId: string, now: number): Promise<boolean> {
    return ((await this.write(HOLD_SCRIPTS.holdPerson, sessionId, authorId, now)) as number) === 1;
  }

  async addHeldChat(sessionId: number, message: NewChatMessage): Promise<ChatMessage | null> {
    const json = JSON.stringify({ authorId: message.authorId, name: message.name, text: message.text, ts: message.ts });
    const id = (await this.write(HOLD_SCRIPTS.addHeldChat, sessionId, message.authorId, message.ts, json)) as number | null;
    return id === null ? null : toChat([id, json]);
  }

  async heldPeople(sessionId: number): Promise<{ authorIds: string[]; chat: ChatMessage[] }> {
    return this.shared.read(`held/${sessionId}`, async () => {
      const [authorIds, chat] = (await this.run(HOLD_SCRIPTS.heldPeople, sessionId)) as [string[], Array<[string, string]>];
      return Object.freeze({ authorIds: Object.freeze(authorIds), chat: frozen(chat.map(toChat)) });
    }) as Promise<{ authorIds: string[]; chat: ChatMessage[] }>;
  }

  async approveHeld(sessionId: number, authorId: string): Promise<{ chat: ChatMessage[]; questions: Question[] } | null> {
    const reply = (await this.write(HOLD_SCRIPTS.approveHeld, sessionId, authorId)) as [Array<[number, string]>, Reply[]] | null;
    if (!reply) return null;
    return { chat: reply[0].map(toChat), questions: reply[1].map((row) => toQuestion(fields(row))).sort((a, b) => a.id - b.id) };
  }

  async getOrCreateSecret(name: string, create: () => string): Promise<string> {
    return (await this.write(SCRIPTS.secret, name, create())) as string;
  }

  async health(): Promise<StorageHealth> {
    if (this.closed) return { ok: false, since: Date.now(), error: 'storage is closed' };
    // Commands fail at once while disconnected (no offline queue): no need to wait for a probe to say so.
    if (!this.client.isReady) this.writes.failed('Redis is unreachable');
    return this.writes.check(async () => {
      await this.call(() => this.client.set(this.key('probe'), String(Date.now())));
    });
  }

  /** The client belongs to the caller (it may be shared); closing the storage only stops using it. */
  async close(): Promise<void> {
    this.closed = true;
  }
}
