/**
 * The take-away of an ended session: what the room may keep. Built from
 * public material only: the slides without their notes, the links in them,
 * questions that were not hidden (without names or author ids), the polls'
 * results. The asker's own questions and votes are marked for them alone.
 */
import type { Handout, HandoutQuestion } from '../../src/shared/protocol.js';
import { isVotePoll } from '../../src/shared/poll-definitions.js';
import { compareByVotes } from '../../src/shared/room-view.js';
import { LivePolls } from '../realtime/live-polls.js';
import { entriesByPoll, voteExport, wordsExport } from '../realtime/poll-views.js';
import type { PollEntry, PollTally, SessionRecord, TalkStorage } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import type { TalkPoll } from '../talk/widgets.js';
import { publicDeck } from './api.js';

/** A word cloud's words in the handout: the ones a slide could show. */
const HANDOUT_WORDS = 30;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_whole, name: string) => ENTITIES[name] ?? '');
const LINK = /<a\s[^>]*?href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/gi;

/** Every web link in the talk's slides, once each, in slide order. */
export function talkLinks(talk: Talk): Handout['links'] {
  const seen = new Set<string>();
  const links: Handout['links'] = [];
  talk.slides.forEach((stack, h) =>
    stack.forEach((slide, v) => {
      for (const [, rawHref, rawText] of slide.html.matchAll(LINK)) {
        const href = decode(rawHref!);
        if (!/^https?:\/\//i.test(href) || seen.has(href)) continue;
        seen.add(href);
        const text = decode(rawText!.replace(/<[^>]*>/g, '')).trim();
        links.push({ href, text: text || href, slide: { h, v } });
      }
    }),
  );
  return links;
}

/**
 * Choice polls and scales with their votes, word clouds with the words the
 * presenter kept (most frequent first); open-text answers stay out, as they
 * were hidden from phones unless shown one by one.
 */
function handoutPolls(definitions: ReadonlyMap<string, TalkPoll>, tallies: readonly PollTally[], entries: readonly PollEntry[]): Handout['polls'] {
  const grouped = entriesByPoll(entries);
  const polls: Handout['polls'] = [];
  for (const definition of definitions.values()) {
    const tally = tallies.find((found) => found.poll === definition.id);
    if (definition.kind === 'text') continue;
    const outcome = isVotePoll(definition) ? voteExport(definition, tally) : wordsExport(definition, tally, grouped.get(definition.id) ?? []);
    const options =
      outcome.kind === 'words'
        ? outcome.words.slice(0, HANDOUT_WORDS).map((word) => ({ label: word.text, votes: word.count }))
        : outcome.kind === 'text'
          ? []
          : outcome.options;
    polls.push({ id: definition.id, question: definition.question, options, total: outcome.total });
  }
  return polls;
}

export interface HandoutSources {
  storage: TalkStorage;
  /** The public id of a person (HMAC of the clientId), to find their own questions. */
  authorIdOf: (clientId: string) => string;
}

export async function buildHandout(
  sources: HandoutSources,
  session: SessionRecord & { endedAt: number },
  talk: Talk | undefined,
  clientId: string | undefined,
  current: boolean,
): Promise<Handout> {
  const { storage } = sources;
  const [questions, votes, tallies, entries] = await Promise.all([
    storage.listQuestions(session.id),
    clientId ? storage.votesOf(session.id, clientId) : Promise.resolve([]),
    storage.pollCounts(session.id),
    storage.pollEntries(session.id),
  ]);
  const me = clientId ? sources.authorIdOf(clientId) : undefined;
  const voted = new Set(votes);
  const visible: HandoutQuestion[] = questions
    .filter((question) => !question.hidden)
    .sort(compareByVotes)
    .map((question) => ({
      id: question.id,
      text: question.text,
      votes: question.votes,
      answered: question.answered,
      slide: question.slide,
      mine: me !== undefined && question.authorId === me,
      voted: voted.has(question.id),
    }));
  const polls = handoutPolls(LivePolls.definitionsOf(talk), tallies, entries);
  const deck = talk ? publicDeck(talk) : undefined;
  return {
    sessionId: session.id,
    talk: { id: session.talkId, title: talk?.title ?? session.talkId, author: talk?.author ?? null, duration: talk?.duration ?? null },
    startedAt: session.startedAt,
    endedAt: session.endedAt,
    deck: deck ? { deckHtml: deck.deckHtml, outline: deck.outline } : null,
    links: talk ? talkLinks(talk) : [],
    questions: visible,
    polls,
    current,
  };
}
