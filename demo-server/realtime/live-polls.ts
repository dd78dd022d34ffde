/**
 * The talk's polls as the server holds them: their definitions (from the
 * talk), their results (from storage) and throttled `poll:results`
 * broadcasts. The events that change them are in polls.ts.
 */
import type { Logger } from 'pino';
import type { PollResults, PollView } from '../../src/shared/protocol.js';
import type { PollTally, TalkStorage } from '../storage/storage.js';
import { talkWidgets, type PollDefinition } from '../talk/widgets.js';
import type { Talk } from '../talk/load-talk.js';
import type { LiveServer } from './live-server.js';
import { WireErrorException } from './wire-error.js';

/** Results go out at most this often per poll: a room voting at once is one broadcast, not hundreds. */
export const POLL_BROADCAST_MS = 200;

export interface LivePollsDeps {
  /** The live talk, whose polls these are (none while no talk is live). */
  talk: () => Talk | null;
  storage: TalkStorage;
  io: LiveServer;
  logger: Logger;
  now: () => number;
  sessionId: () => number;
}

/** A poll with its outcome, for a session's export. */
export interface PollExport {
  id: string;
  question: string;
  options: Array<{ label: string; votes: number }>;
  total: number;
  closed: boolean;
}

function toResults(definition: PollDefinition, tally: PollTally | undefined): PollResults {
  const counts = definition.options.map((_, index) => tally?.counts[index] ?? 0);
  return { poll: definition.id, counts, total: counts.reduce((sum, count) => sum + count, 0), closed: tally?.closed ?? false };
}

const NO_POLLS: ReadonlyMap<string, PollDefinition> = new Map();

export class LivePolls {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly deps: LivePollsDeps) {}

  /** The live talk's polls, in the order the talk shows them. */
  get definitions(): ReadonlyMap<string, PollDefinition> {
    const talk = this.deps.talk();
    return talk ? talkWidgets(talk).polls : NO_POLLS;
  }

  /** The polls of any talk of the series (a past session's report), in talk order. */
  static definitionsOf(talk: Talk | undefined): ReadonlyMap<string, PollDefinition> {
    return talk ? talkWidgets(talk).polls : NO_POLLS;
  }

  /** The poll and option a phone named, or `invalid`: the talk is the only source of polls. */
  definition(poll: string, option?: number): PollDefinition {
    const definition = this.definitions.get(poll);
    if (!definition) throw new WireErrorException('invalid', `the talk has no poll "${poll}"`);
    if (option !== undefined && option >= definition.options.length) {
      throw new WireErrorException('invalid', `poll "${poll}" has options 0–${definition.options.length - 1}`);
    }
    return definition;
  }

  async results(sessionId: number, poll: string): Promise<PollResults> {
    const tallies = await this.deps.storage.pollCounts(sessionId);
    return toResults(
      this.definition(poll),
      tallies.find((tally) => tally.poll === poll),
    );
  }

  /** Every poll of the talk with this person's vote, for a snapshot. */
  async viewsFor(sessionId: number, clientId: string): Promise<PollView[]> {
    if (this.definitions.size === 0) return [];
    const [tallies, mine] = await Promise.all([this.deps.storage.pollCounts(sessionId), this.deps.storage.pollVotesOf(sessionId, clientId)]);
    return [...this.definitions.values()].map((definition) => ({
      ...toResults(
        definition,
        tallies.find((tally) => tally.poll === definition.id),
      ),
      mine: mine.find((vote) => vote.poll === definition.id)?.choice ?? null,
    }));
  }

  /** Every poll of `talk` (the live one by default) with its outcome in that session. */
  async exportFor(sessionId: number, talk: Talk | undefined = this.deps.talk() ?? undefined): Promise<PollExport[]> {
    const tallies = await this.deps.storage.pollCounts(sessionId);
    return [...LivePolls.definitionsOf(talk).values()].map((definition) => {
      const results = toResults(
        definition,
        tallies.find((tally) => tally.poll === definition.id),
      );
      return {
        id: definition.id,
        question: definition.question,
        options: definition.options.map((label, index) => ({ label, votes: results.counts[index]! })),
        total: results.total,
        closed: results.closed,
      };
    });
  }

  /** Schedules a broadcast; it reads the counts when it goes out, so votes in between ride along. */
  announce(poll: string): void {
    if (this.pending.has(poll)) return;
    const wait = Math.max(0, (this.lastSent.get(poll) ?? -Infinity) + POLL_BROADCAST_MS - this.deps.now());
    this.pending.set(
      poll,
      setTimeout(() => void this.flush(poll), wait),
    );
  }

  private async flush(poll: string): Promise<void> {
    this.pending.delete(poll);
    this.lastSent.set(poll, this.deps.now());
    try {
      this.deps.io.emit('poll:results', await this.results(this.deps.sessionId(), poll));
    } catch (error) {
      this.deps.logger.warn({ err: error, poll }, 'could not broadcast poll results');
    }
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
