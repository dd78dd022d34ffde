/**
 * The live widgets a talk declares in its Markdown (`<div data-widget="…">`),
 * read from the rendered slides so the server can check what phones send
 * against the talk: which polls exist (choice polls, scales, word clouds,
 * open text; src/shared/poll-definitions.ts reads each), which slides hold
 * the race.
 */
import { isPollKind, parsePollDefinition, type PollDefinition } from '../../src/shared/poll-definitions.js';
import { TalkLoadError, type Talk } from './load-talk.js';

/** A poll of the talk, and the slide that holds it. */
export type TalkPoll = PollDefinition & { slide: { h: number; v: number } };

export interface TalkWidgets {
  /** Every poll of the talk, of every kind, in talk order; ids are unique across kinds. */
  polls: ReadonlyMap<string, TalkPoll>;
  /** Slides ("h/v") that hold a race widget. */
  raceSlides: ReadonlySet<string>;
}

const WIDGET_TAG = /<[a-z][a-z0-9]*\b[^>]*\bdata-widget\s*=\s*"([^"]*)"[^>]*>/gi;
const ATTRIBUTE = /([a-z][a-z0-9-]*)\s*=\s*"([^"]*)"/gi;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Attribute values as the browser will read them (entities decoded). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name, value] of tag.matchAll(ATTRIBUTE)) attributes.set(name!.toLowerCase(), decodeEntities(value ?? ''));
  return attributes;
}

export function slideKey(h: number, v: number): string {
  return `${h}/${v}`;
}

const cache = new WeakMap<Talk, TalkWidgets>();

/** The talk's widgets; a malformed poll is a TalkLoadError naming its slide, so a bad talk fails at start. */
export function talkWidgets(talk: Talk): TalkWidgets {
  const cached = cache.get(talk);
  if (cached) return cached;
  const polls = new Map<string, TalkPoll>();
  const raceSlides = new Set<string>();
  talk.slides.forEach((stack, h) =>
    stack.forEach((slide, v) => {
      for (const [tag, kind] of slide.html.matchAll(WIDGET_TAG)) {
        if (kind === 'race') raceSlides.add(slideKey(h, v));
        if (!isPollKind(kind)) continue;
        const at = `${talk.id}, slide ${h + 1}${v ? `.${v + 1}` : ''}`;
        const attributes = attributesOf(tag);
        const parsed = parsePollDefinition(kind, (name) => attributes.get(name));
        if (!parsed.ok) throw new TalkLoadError(`${at}: ${parsed.error}`);
        const poll: TalkPoll = { ...parsed.definition, slide: { h, v } };
        const earlier = polls.get(poll.id);
        if (earlier)
          throw new TalkLoadError(
            `${at}: two polls are called "${poll.id}" (the other is on slide ${earlier.slide.h + 1}${earlier.slide.v ? `.${earlier.slide.v + 1}` : ''})`,
          );
        polls.set(poll.id, poll);
      }
    }),
  );
  const widgets: TalkWidgets = { polls, raceSlides };
  cache.set(talk, widgets);
  return widgets;
}
