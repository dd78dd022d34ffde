/**
 * The live widgets a talk declares in its Markdown (`<div data-widget="…">`),
 * read from the rendered slides so the server can check what phones send
 * against the talk: which polls exist and their options, which slides hold
 * the race.
 */
import { POLL_ID_PATTERN, POLL_OPTIONS_MAX } from '../../src/shared/limits.js';
import { TalkLoadError, type Talk } from './load-talk.js';

export interface PollDefinition {
  id: string;
  question: string;
  options: string[];
  slide: { h: number; v: number };
}

export interface TalkWidgets {
  polls: ReadonlyMap<string, PollDefinition>;
  /** Slides ("h/v") that hold a race widget. */
  raceSlides: ReadonlySet<string>;
}

export const POLL_QUESTION_MAX = 200;
export const POLL_OPTION_MAX = 80;

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

/** The talk's widgets; a malformed poll is a TalkLoadError, so a bad talk fails at start. */
export function talkWidgets(talk: Talk): TalkWidgets {
  const cached = cache.get(talk);
  if (cached) return cached;
  const polls = new Map<string, PollDefinition>();
  const raceSlides = new Set<string>();
  talk.slides.forEach((stack, h) =>
    stack.forEach((slide, v) => {
      for (const [tag, kind] of slide.html.matchAll(WIDGET_TAG)) {
        if (kind === 'race') raceSlides.add(slideKey(h, v));
        if (kind !== 'poll') continue;
        const poll = parsePoll(attributesOf(tag), { h, v }, talk.id);
        if (polls.has(poll.id)) throw new TalkLoadError(`${talk.id}: two polls are called "${poll.id}"`);
        polls.set(poll.id, poll);
      }
    }),
  );
  const widgets: TalkWidgets = { polls, raceSlides };
  cache.set(talk, widgets);
  return widgets;
}

function parsePoll(attributes: Map<string, string>, slide: { h: number; v: number }, where: string): PollDefinition {
  const at = `${where}, slide ${slide.h + 1}${slide.v ? `.${slide.v + 1}` : ''}`;
  const id = attributes.get('data-poll') ?? '';
  if (!POLL_ID_PATTERN.test(id)) {
    throw new TalkLoadError(`${at}: a poll needs data-poll="an-id" (lowercase letters, digits and dashes, up to 40)`);
  }
  const question = (attributes.get('data-question') ?? '').trim();
  if (!question || question.length > POLL_QUESTION_MAX) {
    throw new TalkLoadError(`${at}: poll "${id}" needs a data-question of 1–${POLL_QUESTION_MAX} characters`);
  }
  const options = (attributes.get('data-options') ?? '').split('|').map((option) => option.trim());
  if (options.length < 2 || options.length > POLL_OPTIONS_MAX || options.some((option) => !option || option.length > POLL_OPTION_MAX)) {
    throw new TalkLoadError(`${at}: poll "${id}" needs data-options="a|b|…" with 2–${POLL_OPTIONS_MAX} options of 1–${POLL_OPTION_MAX} characters`);
  }
  return { id, question, options, slide };
}
