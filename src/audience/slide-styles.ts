/**
 * Styles only some slides need (code highlighting, widgets), fetched the first time the viewed
 * slide, the live slide or the slide after it needs them, so a phone that joins on a title slide
 * does not download them at all. A slide waits for its styles only the first time, and only if
 * they are still on their way.
 */
import type { SlidePosition } from '../shared/protocol';
import type { PhoneDeck } from './phone-deck';

const SHEETS = {
  code: { needed: '.code-block, pre', load: () => import('./slide-code.css') },
  widgets: { needed: '[data-widget]', load: () => import('./slide-widgets.css') },
} as const;

type Sheet = keyof typeof SHEETS;

export interface SlideStyles {
  /** Resolves when the styles a slide needs have arrived (at once if they already had). */
  ready(position: Pick<SlidePosition, 'h' | 'v'>): Promise<void>;
  /** The live slide moved: load what it and the slide after it need. */
  live(position: Pick<SlidePosition, 'h' | 'v'>): void;
}

export function loadSlideStyles(deck: PhoneDeck): SlideStyles {
  const loading = new Map<Sheet, Promise<void>>();
  const load = (sheet: Sheet): Promise<void> => {
    const known = loading.get(sheet);
    if (known) return known;
    const promise = SHEETS[sheet].load().then(
      () => undefined,
      () => void loading.delete(sheet), // offline: the next slide tries again
    );
    loading.set(sheet, promise);
    return promise;
  };
  const needs = (slide: HTMLElement | undefined) =>
    slide ? (Object.keys(SHEETS) as Sheet[]).filter((sheet) => slide.querySelector(SHEETS[sheet].needed)) : [];
  const ready = async ({ h, v }: Pick<SlidePosition, 'h' | 'v'>) => {
    await Promise.all(needs(deck.getSlide(h, v)).map(load));
  };
  deck.on('slidechanged', () => {
    const { h, v } = deck.getIndices();
    void ready({ h, v: v + 1 });
    void ready({ h: h + 1, v: 0 });
  });
  return {
    ready,
    live: ({ h, v }) => {
      void ready({ h, v });
      void ready({ h, v: v + 1 });
      void ready({ h: h + 1, v: 0 });
    },
  };
}
