/**
 * The frame around the phone's slide: the toolbar under it (look back, back to live, where we
 * are, text size, full screen), gestures on it, one polite announcement per slide change, and the
 * highlighted code step kept in view. Nothing here is ever drawn over the slide's text.
 */
import { formatNumber, t } from '../i18n/i18n';
import { $, el } from '../lib/dom';
import type { FollowMode } from './follow';
import { FullScreen } from './full-screen';
import type { PhoneDeck } from './phone-deck';
import { listenForGestures } from './slide-gestures';
import { TextSize } from './text-size';

export interface FrameActions {
  backToLive: () => void;
}

export class SlideFrame {
  private readonly scroller: HTMLElement;
  private readonly where: HTMLElement;
  private readonly live: HTMLButtonElement;
  private readonly announcer: HTMLElement;
  private readonly fullScreen: FullScreen;
  private announced = '';

  constructor(
    private readonly frame: HTMLElement,
    private readonly deck: PhoneDeck,
    actions: FrameActions,
  ) {
    this.scroller = $('.phone-deck', frame);
    this.where = $('.slide-where', frame);
    this.live = $('.btn-live', frame) as HTMLButtonElement;
    this.announcer = $('.slide-announcer', frame);
    this.fullScreen = new FullScreen(frame, $('.btn-full', frame) as HTMLButtonElement, () => this.keepStepInView());
    new TextSize(this.scroller, $('.btn-text-smaller', frame) as HTMLButtonElement, $('.btn-text-larger', frame) as HTMLButtonElement, () =>
      this.keepStepInView(),
    );
    $('.btn-back', frame).addEventListener('click', () => deck.prev());
    this.live.addEventListener('click', () => actions.backToLive());
    listenForGestures(this.scroller, {
      back: () => deck.prev(),
      forward: () => deck.next(),
      tap: () => {
        if (!this.fullScreen.isOpen) this.fullScreen.toggle(true);
      },
    });
    deck.on('slidechanged', () => this.slideChanged());
    for (const event of ['fragmentshown', 'fragmenthidden'] as const) deck.on(event, () => this.keepStepInView());
    this.slideChanged();
  }

  /** Following the presenter, or looking back on one's own. */
  setMode(mode: FollowMode): void {
    this.live.hidden = mode === 'following';
    this.where.hidden = mode !== 'following';
    document.body.classList.toggle('is-behind', mode === 'behind');
  }

  private slideChanged(): void {
    const { index, total } = this.deck.progress();
    this.where.replaceChildren(
      el('span', { text: `${formatNumber(index)} / ${formatNumber(total)}`, attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'sr-only', text: t('phone.slide-position', { number: index, count: total }) }),
    );
    this.scroller.scrollTop = 0;
    this.keepStepInView();
    // Once per slide, with its title; fragments stepping in are not news worth interrupting for.
    const message = t('phone.slide-announcement', { number: index, count: total, title: this.deck.title() || t('phone.untitled') });
    if (this.announced && message !== this.announced) this.announcer.textContent = message;
    this.announced = message;
  }

  /** The highlighted lines of the current code step scroll into the frame's view if they were out of it. */
  private keepStepInView(): void {
    const slide = this.deck.getCurrentSlide();
    // The block holding the step just shown, else the first one that steps at all.
    const stepping =
      slide?.querySelector('.code-step.current-fragment')?.closest('.code-block') ?? slide?.querySelector("pre[data-steps*='|']")?.closest('.code-block');
    const line = stepping?.querySelector<HTMLElement>('.code-line.highlight');
    if (!line) return;
    const view = this.scroller.getBoundingClientRect();
    const box = line.getBoundingClientRect();
    const lastLine = [...(line.closest('pre')?.querySelectorAll<HTMLElement>('.code-line.highlight') ?? [])].at(-1) ?? line;
    const bottom = lastLine.getBoundingClientRect().bottom;
    if (box.top >= view.top && bottom <= view.bottom) return;
    // Show the step from its first line, with a line of context above when the whole step fits.
    const context = bottom - box.top + box.height < view.height ? box.height : 0;
    this.scroller.scrollTop += box.top - view.top - context;
  }
}
