/**
 * The projector's stage: how the deck is laid out and driven on the big
 * screen. The console's previews use the same size, so they show exactly
 * what the room sees.
 */
import type { RevealConfig } from 'reveal.js';

/** Projectors and TVs are 16:9; slides are laid out at this size and scaled to the screen. */
export const STAGE_SIZE = { width: 1280, height: 720 } as const;

/** Reveal's keyboard codes for ↑ and ↓. */
const UP = 38;
const DOWN = 40;

/**
 * Linear: →, Space, PageDown, N and a clicker's "next" visit every slide in
 * talk order, vertical ones included (a presenter on → must not skip a
 * stack); ↑ and ↓ still move within a stack.
 */
export function projectorConfig(keyboard: Extract<RevealConfig['keyboard'], object>): RevealConfig {
  return {
    ...STAGE_SIZE,
    margin: 0.02,
    navigationMode: 'linear',
    keyboard: { ...keyboard, [UP]: 'up', [DOWN]: 'down' },
    controls: true,
    controlsTutorial: false,
    progress: true,
    slideNumber: 'c/t',
    // A screen set to reduce motion gets cuts, not slides flying in.
    transition: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'none' : 'slide',
  };
}
