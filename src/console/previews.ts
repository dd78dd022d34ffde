/**
 * The console's two small decks: the current slide (which the console
 * navigates, synced with the projector) and a preview of what Next will
 * show, a fragment or the next slide. Both are real Reveal instances built
 * from the same deck HTML, so h/v/f mean the same as on the projector.
 */
import type { RevealConfig } from 'reveal.js';
import { createDeck, deckPosition, type Deck } from '../lib/deck';
import { STAGE_SIZE } from '../presenter/stage';
import type { PublicTalk, SlidePosition } from '../shared/protocol';
import { sameSlidePosition } from '../shared/talk-state';

const PREVIEW: RevealConfig = {
  // Laid out like the projector's stage, so the preview is what the room sees.
  ...STAGE_SIZE,
  embedded: true,
  controls: false,
  progress: false,
  slideNumber: false,
  keyboard: false,
  touch: false,
  overview: false,
  help: false,
  mouseWheel: false,
  previewLinks: false,
  jumpToSlide: false,
  // A preview is a picture of the slide: it changes in the frame the key is pressed.
  transition: 'none',
  backgroundTransition: 'none',
  margin: 0.02,
  // Reveal turns a deck narrower than 435 px into a scrolling page, where next() scrolls instead of stepping.
  scrollActivationWidth: 0,
};

export type NextKind = 'fragment' | 'slide' | 'end';

export class Previews {
  private constructor(
    readonly current: Deck,
    private readonly next: Deck,
    private readonly nextRoot: HTMLElement,
  ) {}

  static async create(currentRoot: HTMLElement, nextRoot: HTMLElement, talk: PublicTalk): Promise<Previews> {
    const [current, next] = await Promise.all([
      createDeck(currentRoot.querySelector<HTMLElement>('.reveal')!, talk, PREVIEW),
      createDeck(nextRoot.querySelector<HTMLElement>('.reveal')!, talk, PREVIEW),
    ]);
    return new Previews(current, next, nextRoot);
  }

  /** Both decks' slide elements, for widgets that draw into them. */
  get slideRoots(): HTMLElement[] {
    return [this.current.getSlidesElement()!, this.next.getSlidesElement()!];
  }

  position(): SlidePosition {
    return deckPosition(this.current);
  }

  onMove(listener: () => void): void {
    for (const event of ['slidechanged', 'fragmentshown', 'fragmenthidden']) this.current.on(event, listener);
  }

  /** Puts the preview where the current deck is, then lets Reveal take one step: exactly what Next will do. */
  refreshNext(): NextKind {
    const here = this.position();
    this.next.slide(here.h, here.v, here.f);
    this.next.next();
    const there = deckPosition(this.next);
    const kind: NextKind = sameSlidePosition(here, there) ? 'end' : here.h === there.h && here.v === there.v ? 'fragment' : 'slide';
    this.nextRoot.classList.toggle('is-end', kind === 'end');
    this.nextRoot.querySelector<HTMLElement>('.preview-end')!.hidden = kind !== 'end';
    return kind;
  }

  /** Reveal lays a deck out on window resize only; a panel that changed size needs telling. */
  layout(): void {
    this.current.layout();
    this.next.layout();
  }
}
