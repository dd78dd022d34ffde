/**
 * What screens and exports see of a poll, built from its definition and
 * what storage holds (tallies, entries). Pure: no I/O, no clock.
 */
import type { TextPollDefinition, VotePollDefinition, WordsPollDefinition } from '../../src/shared/poll-definitions.js';
import { voteOptions } from '../../src/shared/poll-definitions.js';
import { CLOUD_WORDS_SHOWN, TEXT_ANSWERS_SHOWN } from '../../src/shared/limits.js';
import type { MyWord, PollResults, TextAnswer, TextBoard, TextShow, WordCloud } from '../../src/shared/protocol.js';
import { countWords } from '../../src/shared/words.js';
import type { PollEntry, PollTally } from '../storage/storage.js';

export function voteResults(definition: VotePollDefinition, tally: PollTally | undefined): PollResults {
  const counts = voteOptions(definition).map((_, index) => tally?.counts[index] ?? 0);
  return { poll: definition.id, counts, total: counts.reduce((sum, count) => sum + count, 0), closed: tally?.closed ?? false };
}

/** The cloud of one poll; `removed` (presenters) also lists the words the presenter took out, with their counts. */
export function wordCloud(definition: WordsPollDefinition, tally: PollTally | undefined, entries: readonly PollEntry[], withRemoved: boolean): WordCloud {
  const removedKeys = new Set(tally?.hiddenWords ?? []);
  const counted = countWords(entries, removedKeys);
  const cloud: WordCloud = {
    poll: definition.id,
    words: counted.slice(0, CLOUD_WORDS_SHOWN),
    total: counted.reduce((sum, word) => sum + word.count, 0),
    entries: entries.length,
    closed: tally?.closed ?? false,
  };
  if (withRemoved) {
    const removed = countWords(entries.filter((entry) => removedKeys.has(entry.key)));
    // A word removed before anyone typed it still shows in the list, so it can be brought back.
    for (const key of removedKeys) if (!removed.some((word) => word.key === key)) removed.push({ key, text: key, count: 0 });
    cloud.removed = removed;
  }
  return cloud;
}

export const myWord = (entry: PollEntry): MyWord => ({ key: entry.key, text: entry.text });

/** Stored as '' (nothing), 'list' or 'one:<id>'. */
export function parseShown(stored: string | undefined): TextShow {
  if (stored === 'list') return { mode: 'list' };
  const one = /^one:([1-9][0-9]*)$/.exec(stored ?? '');
  return one ? { mode: 'one', id: Number(one[1]) } : { mode: 'none' };
}

export function storedShown(show: TextShow): string {
  return show.mode === 'none' ? '' : show.mode === 'list' ? 'list' : `one:${show.id}`;
}

export function textAnswer(entry: PollEntry): TextAnswer {
  return { id: entry.id, poll: entry.poll, authorId: entry.authorId, name: entry.name, text: entry.text, hidden: entry.hidden, ts: entry.ts };
}

/** What the room sees: the one answer shown, or the newest of the list, newest first; never a hidden one. */
export function textBoard(definition: TextPollDefinition, tally: PollTally | undefined, entries: readonly PollEntry[]): TextBoard {
  const visible = entries.filter((entry) => !entry.hidden);
  const show = parseShown(tally?.shown);
  const picked =
    show.mode === 'one' ? visible.filter((entry) => entry.id === show.id) : show.mode === 'list' ? visible.slice(-TEXT_ANSWERS_SHOWN).reverse() : [];
  return {
    poll: definition.id,
    closed: tally?.closed ?? false,
    show,
    count: visible.length,
    entries: entries.length,
    shown: picked.map(({ id, authorId, text }) => ({ id, authorId, text })),
  };
}

const entriesByPollCache = new WeakMap<readonly PollEntry[], Map<string, PollEntry[]>>();

/**
 * Entries grouped by poll, oldest first. Memoized per array: the SQLite
 * storage hands every snapshot between two commits the same frozen array.
 */
export function entriesByPoll(entries: readonly PollEntry[]): ReadonlyMap<string, readonly PollEntry[]> {
  let grouped = entriesByPollCache.get(entries);
  if (!grouped) {
    grouped = new Map();
    for (const entry of entries) {
      let list = grouped.get(entry.poll);
      if (!list) grouped.set(entry.poll, (list = []));
      list.push(entry);
    }
    entriesByPollCache.set(entries, grouped);
  }
  return grouped;
}

/** A poll with its outcome, for a session's export. */
export type PollExport =
  | { kind: 'poll'; id: string; question: string; options: Array<{ label: string; votes: number }>; total: number; closed: boolean }
  | {
      kind: 'scale';
      id: string;
      question: string;
      min: number;
      max: number;
      minLabel: string;
      maxLabel: string;
      options: Array<{ label: string; votes: number }>;
      total: number;
      /** Null without votes. */
      mean: number | null;
      closed: boolean;
    }
  | {
      kind: 'words';
      id: string;
      question: string;
      words: Array<{ text: string; count: number }>;
      removed: Array<{ text: string; count: number }>;
      total: number;
      closed: boolean;
    }
  | { kind: 'text'; id: string; question: string; answers: Array<{ text: string; name: string; hidden: boolean; ts: string }>; total: number; closed: boolean };

/** The mean of a scale's votes (counts from data-min up), or null without votes. */
export function scaleMean(min: number, counts: readonly number[]): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  return counts.reduce((sum, count, index) => sum + count * (min + index), 0) / total;
}

export function voteExport(definition: VotePollDefinition, tally: PollTally | undefined): PollExport {
  const results = voteResults(definition, tally);
  const options = voteOptions(definition).map((label, index) => ({ label, votes: results.counts[index]! }));
  const common = { id: definition.id, question: definition.question, options, total: results.total, closed: results.closed };
  if (definition.kind === 'poll') return { kind: 'poll', ...common };
  const { min, max, minLabel, maxLabel } = definition;
  return { kind: 'scale', ...common, min, max, minLabel, maxLabel, mean: scaleMean(min, results.counts) };
}

export function wordsExport(definition: WordsPollDefinition, tally: PollTally | undefined, entries: readonly PollEntry[]): PollExport {
  const cloud = wordCloud(definition, tally, entries, true);
  const plain = ({ text, count }: { text: string; count: number }) => ({ text, count });
  return {
    kind: 'words',
    id: definition.id,
    question: definition.question,
    // The export lists every word, not only the ones a slide can show.
    words: countWords(entries, new Set(tally?.hiddenWords ?? [])).map(plain),
    removed: (cloud.removed ?? []).map(plain),
    total: cloud.total,
    closed: cloud.closed,
  };
}

export function textExport(definition: TextPollDefinition, tally: PollTally | undefined, entries: readonly PollEntry[]): PollExport {
  return {
    kind: 'text',
    id: definition.id,
    question: definition.question,
    answers: entries.map((entry) => ({ text: entry.text, name: entry.name, hidden: entry.hidden, ts: new Date(entry.ts).toISOString() })),
    total: entries.filter((entry) => !entry.hidden).length,
    closed: tally?.closed ?? false,
  };
}
