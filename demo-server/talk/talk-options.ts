/**
 * A talk's choices for its room, from its front matter:
 *
 * ```yaml
 * reactions: [👏, ❤️, 🤯]   # the reactions phones offer; [] or none for none (default: all six)
 * audience-count: false      # hide the number of phones on the projector (default: shown)
 * moderation: review         # new questions wait for the presenter's approval (default: open)
 * ```
 *
 * A wrong value stops the talk from loading, naming the key: a typo must not
 * silently open the room to what the speaker meant to close.
 */
import { REACTIONS, type Reaction } from '../../src/shared/limits.js';
import type { TalkOptions } from '../../src/shared/protocol.js';
import { TalkLoadError } from './talk-load-error.js';

export const DEFAULT_TALK_OPTIONS: TalkOptions = { reactions: [...REACTIONS], audienceCount: true, moderation: 'open' };

function reactionsFrom(value: unknown, where: string): Reaction[] {
  if (value === undefined) return [...REACTIONS];
  if (value === null || value === 'none' || value === false) return [];
  if (!Array.isArray(value)) throw new TalkLoadError(`${where}: reactions must be a list such as [👏, ❤️] (or none), got ${JSON.stringify(value)}`);
  const chosen = new Set<Reaction>();
  for (const item of value) {
    const reaction = REACTIONS.find((known) => known === String(item).trim());
    if (!reaction) throw new TalkLoadError(`${where}: unknown reaction ${JSON.stringify(item)}; choose from ${REACTIONS.join(' ')}`);
    chosen.add(reaction);
  }
  return [...chosen];
}

export function parseTalkOptions(meta: Record<string, unknown>, where: string): TalkOptions {
  const count = meta['audience-count'];
  if (count !== undefined && typeof count !== 'boolean') throw new TalkLoadError(`${where}: audience-count must be true or false`);
  const moderation = meta.moderation ?? 'open';
  if (moderation !== 'open' && moderation !== 'review')
    throw new TalkLoadError(`${where}: moderation must be open or review, got ${JSON.stringify(moderation)}`);
  return { reactions: reactionsFrom(meta.reactions, where), audienceCount: count ?? true, moderation };
}
