/**
 * The talk's polls of every kind (choice, scale, word cloud, open text):
 * their definitions from the talk, what each viewer's snapshot holds of
 * them, their exports, and the broadcasts that follow a change, each
 * coalesced per poll so that a room answering at once is a few broadcasts,
 * not hundreds. Votes and entries live in storage, with the session.
 */
import type { Logger } from 'pino';
import { isVotePoll, type PollKind } from '../../src/shared/poll-definitions.js';
import type { CloudView, PollResults, PollView, Role, TextAnswer, TextBoard, TextView, WordCloud } from '../../src/shared/protocol.js';
import type { PollEntry, PollTally, TalkStorage, VoterRecord } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import { talkWidgets, type TalkPoll } from '../talk/widgets.js';
import { entriesByPoll, myWord, textAnswer, textBoard, textExport, voteExport, voteResults, wordCloud, wordsExport, type PollExport } from './poll-views.js';
import { PRESENTER_ROOM, type LiveServer } from './live-server.js';
import type { PhoneBatches } from './phone-batches.js';
import { refusalError } from './wire-error.js';
import type { RevisionClock } from './revisions.js';

/** Results and clouds go out at most this often per poll. */
export const POLL_BROADCAST_MS = 200;
/** An open-text board carries answers' text: at most once a second per poll. */
export const TEXT_BROADCAST_MS = 1000;

const KIND_NAMES: Record<PollKind, string> = { poll: 'a choice poll', scale: 'a scale', words: 'a word cloud', text: 'an open-text poll' };

export interface LivePollsDeps {
  /** The live talk, whose polls these are (none while no talk is live). */
  talk: () => Talk | null;
  storage: TalkStorage;
  io: LiveServer;
  logger: Logger;
  now: () => number;
  sessionId: () => number;
  /** What phones hear, batched: presenter screens hear each broadcast at once, phones in their next batch. */
  phones: Pick<PhoneBatches, 'updatePoll' | 'updateCloud' | 'updateBoard'>;
  /** Stamps what presenter screens hear, after the commit or read it reports (revisions.ts). */
  revisions: RevisionClock;
}

/** What a snapshot holds of the talk's polls, for one viewer. */
export interface PollViews {
  polls: PollView[];
  clouds: CloudView[];
  texts: TextView[];
}

const tallyOf = (tallies: readonly PollTally[], poll: string) => tallies.find((tally) => tally.poll === poll);

const NO_POLLS: ReadonlyMap<string, TalkPoll> = new Map();
const NO_ENTRIES: readonly PollEntry[] = Object.freeze([]);

/** One poll as every viewer of a role sees it, before the viewer's own votes and entries. */
type SharedPollView =
  | { kind: 'vote'; definition: TalkPoll; view: PollResults }
  | { kind: 'words'; definition: TalkPoll; view: WordCloud }
  | { kind: 'text'; definition: TalkPoll; view: TextBoard; answers?: TextAnswer[] };

export class LivePolls {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly lastSent = new Map<string, number>();
  /** The shared part of the poll views, per role (presenter or not), and what it was built from. */
  private readonly shared = new Map<
    boolean,
    { definitions: ReadonlyMap<string, TalkPoll>; tallies: readonly PollTally[]; entries: readonly PollEntry[]; views: readonly SharedPollView[] }
  >();

  constructor(private readonly deps: LivePollsDeps) {}

  /** The live talk's polls, in the order the talk shows them. */
  get definitions(): ReadonlyMap<string, TalkPoll> {
    return LivePolls.definitionsOf(this.deps.talk() ?? undefined);
  }

  /** The polls of any talk of the series (a past session's report), in talk order. */
  static definitionsOf(talk: Talk | undefined): ReadonlyMap<string, TalkPoll> {
    return talk ? talkWidgets(talk).polls : NO_POLLS;
  }

  /** Whether the live talk has word clouds or open text, whose entries a snapshot reads. */
  private get hasEntries(): boolean {
    return [...this.definitions.values()].some((definition) => definition.kind === 'words' || definition.kind === 'text');
  }

  /** The poll a client named, of one of these kinds, or `invalid`: the talk is the only source of polls. */
  definition<K extends PollKind>(poll: string, ...kinds: K[]): Extract<TalkPoll, { kind: K }> {
    const definition = this.definitions.get(poll);
    if (!definition) throw refusalError('no_poll', `the talk has no poll "${poll}"`, { poll });
    if (kinds.length > 0 && !(kinds as PollKind[]).includes(definition.kind)) {
      throw refusalError('wrong_poll_kind', `"${poll}" is ${KIND_NAMES[definition.kind]}, not ${kinds.map((kind) => KIND_NAMES[kind]).join(' or ')}`, { poll });
    }
    return definition as Extract<TalkPoll, { kind: K }>;
  }

  /** A choice poll's or a scale's current counts. */
  async results(sessionId: number, poll: string): Promise<PollResults> {
    const definition = this.definition(poll, 'poll', 'scale');
    return voteResults(definition, tallyOf(await this.deps.storage.pollCounts(sessionId), poll));
  }

  /**
   * Every poll of the talk as this viewer sees it, for a snapshot. The
   * viewer's record is read by the snapshot (one read for questions and
   * polls) alongside the tallies read here.
   */
  async viewsFor(sessionId: number, viewer: Promise<VoterRecord>, role: Role): Promise<PollViews> {
    const views: PollViews = { polls: [], clouds: [], texts: [] };
    const definitions = this.definitions;
    if (definitions.size === 0) return views;
    const { storage } = this.deps;
    const [tallies, entries, record] = await Promise.all([
      storage.pollCounts(sessionId),
      this.hasEntries ? storage.pollEntries(sessionId) : NO_ENTRIES,
      viewer,
    ]);
    const presenter = role === 'presenter';
    for (const shared of this.sharedViews(definitions, tallies, entries, presenter)) {
      const { definition } = shared;
      const myEntries = record.entries.filter((entry) => entry.poll === definition.id);
      if (shared.kind === 'vote') {
        views.polls.push({ ...shared.view, mine: record.polls.find((vote) => vote.poll === definition.id)?.choice ?? null });
      } else if (shared.kind === 'words') {
        views.clouds.push({ ...shared.view, mine: myEntries.map(myWord) });
      } else {
        const view: TextView = { ...shared.view, mine: myEntries.map(textAnswer) };
        if (shared.answers) view.answers = shared.answers;
        views.texts.push(view);
      }
    }
    return views;
  }

  /**
   * What every viewer of one role sees of each poll (results, clouds,
   * boards), built once for the tallies and entries storage handed out. The
   * SQLite storage hands every read between two commits the same arrays, so
   * a join storm builds them once instead of once per phone; each snapshot
   * adds only the viewer's own votes and entries.
   */
  private sharedViews(
    definitions: ReadonlyMap<string, TalkPoll>,
    tallies: readonly PollTally[],
    entries: readonly PollEntry[],
    presenter: boolean,
  ): readonly SharedPollView[] {
    const memo = this.shared.get(presenter);
    if (memo && memo.definitions === definitions && memo.tallies === tallies && memo.entries === entries) return memo.views;
    const grouped = entriesByPoll(entries);
    const views = [...definitions.values()].map((definition): SharedPollView => {
      const tally = tallyOf(tallies, definition.id);
      const ofPoll = grouped.get(definition.id) ?? [];
      if (isVotePoll(definition)) return { kind: 'vote', definition, view: voteResults(definition, tally) };
      if (definition.kind === 'words') return { kind: 'words', definition, view: wordCloud(definition, tally, ofPoll, presenter) };
      return { kind: 'text', definition, view: textBoard(definition, tally, ofPoll), ...(presenter ? { answers: ofPoll.map(textAnswer) } : {}) };
    });
    this.shared.set(presenter, { definitions, tallies, entries, views });
    return views;
  }

  /** Every poll of `talk` (the live one by default) with its outcome in that session. */
  async exportFor(sessionId: number, talk: Talk | undefined = this.deps.talk() ?? undefined): Promise<PollExport[]> {
    const [tallies, entries] = await Promise.all([this.deps.storage.pollCounts(sessionId), this.deps.storage.pollEntries(sessionId)]);
    const grouped = entriesByPoll(entries);
    return [...LivePolls.definitionsOf(talk).values()].map((definition) => {
      const tally = tallyOf(tallies, definition.id);
      const ofPoll = grouped.get(definition.id) ?? [];
      if (isVotePoll(definition)) return voteExport(definition, tally);
      return definition.kind === 'words' ? wordsExport(definition, tally, ofPoll) : textExport(definition, tally, ofPoll);
    });
  }

  /** Entries of one poll in the open session, oldest first. */
  async entriesOf(poll: string): Promise<readonly PollEntry[]> {
    return entriesByPoll(await this.deps.storage.pollEntries(this.deps.sessionId())).get(poll) ?? [];
  }

  /** An entry changed outside the poll's own events (a ban hid it): presenters see an answer's new state. */
  entryChanged(entry: PollEntry): void {
    if (this.definitions.get(entry.poll)?.kind === 'text') this.answerChanged(entry);
  }

  /** Presenters see every answer as it comes (their screens are few; each answer is one small event). */
  answerChanged(entry: PollEntry): void {
    const answer: TextAnswer = textAnswer(entry);
    this.deps.io.to(PRESENTER_ROOM).emit('text:answer', { ...answer, rev: this.deps.revisions.next() });
  }

  /** Schedules a broadcast; it reads storage when it goes out, so changes in between ride along. */
  announce(poll: string): void {
    if (this.pending.has(poll)) return;
    const interval = this.definitions.get(poll)?.kind === 'text' ? TEXT_BROADCAST_MS : POLL_BROADCAST_MS;
    const wait = Math.max(0, (this.lastSent.get(poll) ?? -Infinity) + interval - this.deps.now());
    this.pending.set(
      poll,
      setTimeout(() => void this.flush(poll), wait),
    );
  }

  private async flush(poll: string): Promise<void> {
    this.pending.delete(poll);
    this.lastSent.set(poll, this.deps.now());
    const definition = this.definitions.get(poll);
    if (!definition) return;
    const { io, storage, phones, revisions } = this.deps;
    const sessionId = this.deps.sessionId();
    try {
      const tally = tallyOf(await storage.pollCounts(sessionId), poll);
      if (isVotePoll(definition)) {
        const results = voteResults(definition, tally);
        const rev = revisions.next();
        io.to(PRESENTER_ROOM).emit('poll:results', { ...results, rev });
        phones.updatePoll(results, rev);
        return;
      }
      const entries = entriesByPoll(await storage.pollEntries(sessionId)).get(poll) ?? [];
      if (definition.kind === 'words') {
        const rev = revisions.next();
        io.to(PRESENTER_ROOM).emit('words:cloud', { ...wordCloud(definition, tally, entries, true), rev });
        phones.updateCloud(wordCloud(definition, tally, entries, false), rev);
        return;
      }
      const board = textBoard(definition, tally, entries);
      const rev = revisions.next();
      io.to(PRESENTER_ROOM).emit('text:board', { ...board, rev });
      phones.updateBoard(board, rev);
    } catch (error) {
      this.deps.logger.warn({ err: error, poll }, 'could not broadcast a poll');
    }
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
