/**
 * The talk's slides as every surface prepares them, with or without Reveal: fetched from
 * GET /api/talk, attribute comments applied, join widgets drawn, links opening beside the talk,
 * code steps highlighted. Reveal-free, so the phone can show slides without shipping Reveal.
 */
import { linesOfStep } from '../shared/code-steps';
import type { PublicTalk, SlidePosition } from '../shared/protocol';
import { applyAttributeComments } from './attribute-comments';
import { renderJoinWidgets } from './join-widget';

/** What the phone's follower and widgets need of a deck: Reveal's API has it, and so does the phone's own view. */
export interface SlideDeck {
  on(type: 'slidechanged' | 'fragmentshown' | 'fragmenthidden', listener: () => void): void;
  slide(h: number, v?: number, f?: number): void;
  prev(): void;
  getIndices(): { h: number; v?: number; f?: number };
  getSlide(h: number, v?: number): HTMLElement | undefined;
  getSlidesElement(): HTMLElement | null;
  getCurrentSlide(): HTMLElement | undefined;
}

/** The live talk of the series; null while none is (the presenter has not made one live). */
export async function fetchTalk(): Promise<PublicTalk | null> {
  // The server revalidates it (no-cache); the phone's page preloads it, and this takes the preloaded answer.
  const response = await fetch('/api/talk');
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`GET /api/talk: ${response.status}`);
  return (await response.json()) as PublicTalk;
}

/** Fills `.slides` with the talk's sections, ready for a deck. */
export function prepareSlides(slides: Element, talk: Pick<PublicTalk, 'deckHtml' | 'join'>): void {
  // Built in an inert template (no image loads, no style or layout while it is worked on), then moved in at once.
  const template = document.createElement('template');
  // The deck HTML is the presenter's own talk, rendered by our server: trusted markup.
  template.innerHTML = `<div>${talk.deckHtml}</div>`;
  const deck = template.content.firstElementChild!;
  applyAttributeComments(deck);
  renderJoinWidgets(deck, talk.join);
  openLinksBeside(deck);
  // Images wait until their slide is shown: a phone joining mid-talk downloads the slide it sees, not the deck.
  for (const image of deck.querySelectorAll('img')) image.loading = 'lazy';
  slides.replaceChildren(...deck.childNodes);
}

/** A link in a slide opens in a new tab: following it never takes anyone out of the live talk. */
function openLinksBeside(slides: Element): void {
  for (const link of slides.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    if (link.getAttribute('href')?.startsWith('#')) continue;
    link.target = '_blank';
    link.rel = 'noopener';
  }
}

/** A deck's position with "no fragment" as -1, the protocol's form. */
export function deckPosition(deck: SlideDeck): SlidePosition {
  const { h, v, f } = deck.getIndices();
  return { h, v: v ?? 0, f: typeof f === 'number' ? f : -1 };
}

/** Highlights the lines of the slide's current code step; each step after the first is a fragment. */
export function highlightCodeSteps(slide: Element | undefined): void {
  if (!slide) return;
  for (const block of slide.querySelectorAll<HTMLElement>('.code-block')) {
    const pre = block.querySelector<HTMLElement>('pre[data-steps]');
    if (!pre) continue;
    const steps = (pre.dataset.steps ?? '').split('|');
    const step = steps[block.querySelectorAll('.code-step.visible').length] ?? steps.at(-1) ?? '';
    const lines = linesOfStep(step);
    pre.classList.toggle('has-highlight', lines.size > 0);
    for (const line of pre.querySelectorAll<HTMLElement>('.code-line')) {
      line.classList.toggle('highlight', lines.has(Number(line.dataset.line)));
    }
  }
}
