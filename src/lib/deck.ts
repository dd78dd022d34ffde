/**
 * Builds the Reveal deck the projector and the console show from GET /api/talk, so they have the
 * same slides at the same h/v indices as every phone.
 */
import Reveal from 'reveal.js';
import type { RevealApi, RevealConfig } from 'reveal.js';
import 'reveal.js/reveal.css';
import 'reveal.js/theme/black.css';
import '../styles/deck.css';
import type { PublicTalk } from '../shared/protocol';
import { highlightCodeSteps, prepareSlides } from './slides';

export { deckPosition, fetchTalk } from './slides';

export type Deck = RevealApi;

export async function createDeck(root: HTMLElement, talk: PublicTalk, config: RevealConfig): Promise<Deck> {
  prepareSlides(root.querySelector('.slides')!, talk);
  const deck = new Reveal(root, {
    hash: false,
    history: false,
    respondToHashChanges: false,
    width: 960,
    height: 700,
    ...config,
  });
  await deck.initialize();
  const refreshSteps = () => highlightCodeSteps(deck.getCurrentSlide());
  for (const event of ['slidechanged', 'fragmentshown', 'fragmenthidden']) deck.on(event, refreshSteps);
  refreshSteps();
  return deck;
}
