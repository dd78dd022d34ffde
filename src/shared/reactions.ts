/**
 * Which bundled icon draws each reaction, for every surface and the session
 * report; the icon name is also the reaction's string key (`reaction.<icon>`
 * in src/i18n), so every screen names it in its own language. Reaction ids on
 * the wire stay the emoji of REACTIONS (limits.ts); this module is zod-free
 * and browser-safe.
 */
import type { Reaction } from './limits.js';

export const REACTION_INFO = {
  '👍': { icon: 'thumbs-up' },
  '👏': { icon: 'clapping-hands' },
  '❤️': { icon: 'red-heart' },
  '😂': { icon: 'face-with-tears-of-joy' },
  '🤯': { icon: 'exploding-head' },
  '🎉': { icon: 'party-popper' },
} as const satisfies Record<Reaction, { icon: string }>;
