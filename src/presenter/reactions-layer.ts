/** Reaction bursts float up over the projector without ever covering the slide for long. */
import { reactionIcon } from '../lib/icons';
import type { ReactionBurst } from '../shared/protocol';

const MAX_FLOATING = 40;

export function showReactions(layer: HTMLElement, burst: ReactionBurst): void {
  const reduceMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  for (const [emoji, count = 0] of Object.entries(burst.counts)) {
    const copies = Math.min(count, 5);
    for (let index = 0; index < copies; index++) {
      if (layer.childElementCount >= MAX_FLOATING) return;
      const item = document.createElement('span');
      item.className = reduceMotion ? 'reaction-still' : 'reaction-float';
      const drawn = reactionIcon(emoji);
      if (!drawn) continue;
      item.append(drawn);
      item.style.left = `${5 + Math.random() * 20}%`;
      item.style.animationDelay = `${index * 90}ms`;
      layer.append(item);
      setTimeout(() => item.remove(), reduceMotion ? 1500 : 2600);
    }
  }
}
