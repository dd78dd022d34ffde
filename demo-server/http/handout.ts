/**
 * The take-away of an ended session: what the room may keep. Built from
 * public material only: the slides without their notes, the links in them,
 * questions that were not hidden (without names or author ids), the polls'
 * results. The asker's own questions and votes are marked for them alone.
 */
import type { Handout, HandoutQuestion } from '../../src/shared/protocol.js';
import { LivePolls } from '../realtime/live-polls.js';
import type { SessionRecord, TalkStorage } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import { publicDeck } from './api.js';

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
  const [questions, votes, tallies] = await Promise.all([
    storage.listQuestions(session.id),
    clientId ? storage.votesOf(session.id, clientId) : Promise.resolve([]),
    storage.pollCounts(session.id),
  ]);
  const me = clientId ? sources.authorIdOf(clientId) : undefined;
  const voted = new Set(votes);
  const visible: HandoutQuestion[] = questions
    .filter((question) => !question.hidden)
    .sort((a, b) => b.votes - a.votes || a.ts - b.ts || a.id - b.id)
    .map((question) => ({
      id: question.id,
      text: question.text,
      votes: question.votes,
      answered: question.answered,
      slide: question.slide,
      mine: me !== undefined && question.authorId === me,
      voted: voted.has(question.id),
    }));
  const polls = [...LivePolls.definitionsOf(talk).values()].map((definition) => {
    const counts = tallies.find((tally) => tally.poll === definition.id)?.counts ?? [];
    const options = definition.options.map((label, index) => ({ label, votes: counts[index] ?? 0 }));
    return { id: definition.id, question: definition.question, options, total: options.reduce((sum, option) => sum + option.votes, 0) };
  });
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
