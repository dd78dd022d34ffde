/**
 * Builds the Reveal deck every surface shows from GET /api/talk, so the
 * projector and the phones have the same slides at the same h/v indices.
 */
import Reveal from 'reveal.js';
import type { RevealApi, RevealConfig } from 'reveal.js';
import 'reveal.js/reveal.css';
import 'reveal.js/theme/black.css';
import '../styles/deck.css';
import type { PublicTalk, SlidePosition } from '../shared/protocol';
import { linesOfStep } from '../shared/code-steps';
import { applyAttributeComments } from './attribute-comments';
import { renderJoinWidgets } from './join-widget';

export type Deck = RevealApi;

export async function fetchTalk(): Promise<PublicTalk> {
  const response = await fetch('/api/talk', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`GET /api/talk: ${response.status}`);
  return (await response.json()) as PublicTalk;
}

export async function createDeck(root: HTMLElement, talk: PublicTalk, config: RevealConfig): Promise<Deck> {
  const slides = root.querySelector('.slides')!;
  // The deck HTML is the presenter's own talk, rendered by our server: trusted markup.
  slides.innerHTML = talk.deckHtml;
  applyAttributeComments(slides);
  renderJoinWidgets(slides, talk.join);
  const deck = new Reveal(root, {
    hash: false,
    history: false,
    respondToHashChanges: false,
    width: 960,
    height: 700,
    ...config,
  });
  await deck.initialize();
  const refreshSteps = () => highlightCodeSteps(deck);
  for (const event of ['slidechanged', 'fragmentshown', 'fragmenthidden']) deck.on(event, refreshSteps);
  refreshSteps();
  return deck;
}

/** Reveal's position with "no fragment" as -1, the protocol's form. */
export function deckPosition(deck: Deck): SlidePosition {
  const { h, v, f } = deck.getIndices();
  return { h, v: v ?? 0, f: typeof f === 'number' ? f : -1 };
}

/** Highlights the lines of the current code step; each step after the first is a fragment. */
function highlightCodeSteps(deck: Deck): void {
  const slide = deck.getCurrentSlide();
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
