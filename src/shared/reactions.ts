/**
 * What each reaction is called and which bundled icon draws it, for every
 * surface and the session report. Reaction ids on the wire stay the emoji of
 * REACTIONS (limits.ts); this module is zod-free and browser-safe.
 */
import type { Reaction } from './limits.js';

export const REACTION_INFO = {
  '👍': { icon: 'thumbs-up', label: 'Thumbs up' },
  '👏': { icon: 'clapping-hands', label: 'Applause' },
  '❤️': { icon: 'red-heart', label: 'Love it' },
  '😂': { icon: 'face-with-tears-of-joy', label: 'Funny' },
  '🤯': { icon: 'exploding-head', label: 'Mind blown' },
  '🎉': { icon: 'party-popper', label: 'Celebrate' },
} as const satisfies Record<Reaction, { icon: string; label: string }>;
