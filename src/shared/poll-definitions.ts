/**
 * The ways a talk asks its room to answer, as declared in the slide's
 * Markdown (`<div data-widget="poll|scale|words|text" data-poll="id" …>`):
 * one parser for the server (which checks every talk when it loads, and
 * every vote and entry against it) and the browsers (which draw the
 * widgets). Pure and zod-free, so phones can bundle it.
 */
import {
  POLL_ID_PATTERN,
  POLL_OPTIONS_MAX,
  SCALE_HIGHEST,
  SCALE_LABEL_MAX,
  SCALE_LOWEST,
  TEXT_ANSWERS_PER_PERSON_MAX,
  WORDS_PER_PERSON_DEFAULT,
  WORDS_PER_PERSON_MAX,
} from './limits';

export const POLL_KINDS = ['poll', 'scale', 'words', 'text'] as const;
/** The `data-widget` value: `poll` picks one option, `scale` rates, `words` feeds a word cloud, `text` collects short answers. */
export type PollKind = (typeof POLL_KINDS)[number];

export const POLL_QUESTION_MAX = 200;
export const POLL_OPTION_MAX = 80;

interface PollBase {
  id: string;
  question: string;
}

/** `data-options="a|b|c"`: one vote per person, by option position. */
export interface ChoicePollDefinition extends PollBase {
  kind: 'poll';
  options: string[];
}

/** `data-min`/`data-max` (whole numbers, default 1–5) and a label for each end: one rating per person. */
export interface ScalePollDefinition extends PollBase {
  kind: 'scale';
  min: number;
  max: number;
  minLabel: string;
  maxLabel: string;
}

/** `data-max`: words per person (default 3). */
export interface WordsPollDefinition extends PollBase {
  kind: 'words';
  max: number;
}

/** `data-max`: answers per person (default 1). */
export interface TextPollDefinition extends PollBase {
  kind: 'text';
  max: number;
}

export type PollDefinition = ChoicePollDefinition | ScalePollDefinition | WordsPollDefinition | TextPollDefinition;
/** The polls a person votes in by picking one option (a scale's options are its values). */
export type VotePollDefinition = ChoicePollDefinition | ScalePollDefinition;

export type Parsed = { ok: true; definition: PollDefinition } | { ok: false; error: string };

export const isPollKind = (value: string | undefined): value is PollKind => (POLL_KINDS as readonly string[]).includes(value ?? '');

export function isVotePoll(definition: PollDefinition): definition is VotePollDefinition {
  return definition.kind === 'poll' || definition.kind === 'scale';
}

/** What a vote may name, by position: a choice poll's options, or a scale's values from data-min up. */
export function voteOptions(definition: VotePollDefinition): string[] {
  if (definition.kind === 'poll') return definition.options;
  return Array.from({ length: definition.max - definition.min + 1 }, (_, index) => String(definition.min + index));
}

function wholeNumber(value: string | undefined, fallback: number): number | null {
  if (value === undefined || value.trim() === '') return fallback;
  return /^\s*-?[0-9]{1,3}\s*$/.test(value) ? Number(value) : null;
}

/**
 * Reads one widget from its attributes (`attribute('data-poll')`, entities
 * already decoded). The error says what is wrong in the talk author's terms;
 * the caller adds where.
 */
export function parsePollDefinition(kind: PollKind, attribute: (name: string) => string | undefined): Parsed {
  const fail = (error: string): Parsed => ({ ok: false, error });
  const id = attribute('data-poll') ?? '';
  if (!POLL_ID_PATTERN.test(id)) return fail(`a ${kind} widget needs data-poll="an-id" (lowercase letters, digits and dashes, up to 40)`);
  const question = (attribute('data-question') ?? '').trim();
  if (!question || question.length > POLL_QUESTION_MAX) return fail(`"${id}" needs a data-question of 1–${POLL_QUESTION_MAX} characters`);
  switch (kind) {
    case 'poll': {
      const options = (attribute('data-options') ?? '').split('|').map((option) => option.trim());
      if (options.length < 2 || options.length > POLL_OPTIONS_MAX || options.some((option) => !option || option.length > POLL_OPTION_MAX)) {
        return fail(`poll "${id}" needs data-options="a|b|…" with 2–${POLL_OPTIONS_MAX} options of 1–${POLL_OPTION_MAX} characters`);
      }
      return { ok: true, definition: { kind, id, question, options } };
    }
    case 'scale': {
      const min = wholeNumber(attribute('data-min'), 1);
      const max = wholeNumber(attribute('data-max'), 5);
      if (min === null || max === null || min < SCALE_LOWEST || max > SCALE_HIGHEST || min >= max) {
        return fail(`scale "${id}" needs whole numbers ${SCALE_LOWEST} ≤ data-min < data-max ≤ ${SCALE_HIGHEST} (default 1 and 5)`);
      }
      const minLabel = (attribute('data-min-label') ?? '').trim();
      const maxLabel = (attribute('data-max-label') ?? '').trim();
      if (minLabel.length > SCALE_LABEL_MAX || maxLabel.length > SCALE_LABEL_MAX) {
        return fail(`scale "${id}": data-min-label and data-max-label take up to ${SCALE_LABEL_MAX} characters`);
      }
      return { ok: true, definition: { kind, id, question, min, max, minLabel, maxLabel } };
    }
    case 'words':
    case 'text': {
      const [fallback, highest, what] =
        kind === 'words' ? [WORDS_PER_PERSON_DEFAULT, WORDS_PER_PERSON_MAX, 'words'] : [1, TEXT_ANSWERS_PER_PERSON_MAX, 'answers'];
      const max = wholeNumber(attribute('data-max'), fallback);
      if (max === null || max < 1 || max > highest) return fail(`${kind} "${id}" takes data-max="1"–"${highest}" ${what} per person (default ${fallback})`);
      return { ok: true, definition: { kind, id, question, max } };
    }
  }
}
