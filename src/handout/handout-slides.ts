/**
 * The handout's slides: every slide of the talk, one at a time, to page
 * through freely (buttons, a list of titles, arrow keys), with all of each
 * slide's fragments shown. Uses the phone deck's markup and styles.
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import { prepareSlides } from '../lib/slides';
import type { Handout } from '../shared/protocol';

type HandoutDeck = NonNullable<Handout['deck']>;

export class HandoutSlides {
  /** Every shown slide in talk order: stacks flattened, as "Next" walks them. */
  private readonly slides: HTMLElement[] = [];
  private readonly titles: string[] = [];
  private readonly frame: HTMLElement;
  private readonly picker: HTMLSelectElement;
  private readonly prevButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;
  private readonly announcer: HTMLElement;
  private index = 0;

  constructor(root: HTMLElement, deck: HandoutDeck) {
    const slidesElement = el('div', { className: 'slides' });
    this.frame = el('div', { className: 'reveal phone-deck handout-deck', attrs: { tabindex: '0', 'aria-label': t('handout.slide') } }, [slidesElement]);
    // The join widget's QR code is the live room's; the handout keeps the address only.
    prepareSlides(slidesElement, { deckHtml: deck.deckHtml, join: { url: `${location.origin}/`, urls: [], qrSvg: '' } });
    for (const qr of slidesElement.querySelectorAll('.join-qr')) qr.remove();
    for (const fragment of slidesElement.querySelectorAll('.fragment')) fragment.classList.add('visible');
    for (const widget of slidesElement.querySelectorAll<HTMLElement>('[data-widget]:not([data-widget="join"])')) {
      const kind = widget.dataset.widget ?? '';
      const note = ['poll', 'scale', 'words'].includes(kind) ? t('handout.widget-poll') : kind === 'text' ? t('handout.widget-text') : t('handout.widget-demo');
      widget.replaceChildren(el('p', { className: 'handout-widget-note', text: note }));
    }
    for (const wide of slidesElement.querySelectorAll<HTMLElement>('pre, table')) wide.tabIndex = 0;

    deck.outline.forEach((stack, h) => {
      const outer = slidesElement.children[h];
      if (!(outer instanceof HTMLElement)) return;
      const inner = [...outer.querySelectorAll<HTMLElement>(':scope > section')];
      (inner.length ? inner : [outer]).forEach((slide, v) => {
        this.slides.push(slide);
        this.titles.push(stack[v]?.title || t('handout.untitled-slide', { number: this.slides.length }));
      });
    });

    this.prevButton = el('button', { className: 'handout-prev', attrs: { type: 'button', 'aria-label': t('handout.previous') } }, [
      el('span', { text: '‹', attrs: { 'aria-hidden': 'true' } }),
    ]);
    this.nextButton = el('button', { className: 'handout-next', attrs: { type: 'button', 'aria-label': t('handout.next') } }, [
      el('span', { text: '›', attrs: { 'aria-hidden': 'true' } }),
    ]);
    this.picker = el('select', { className: 'handout-picker', attrs: { 'aria-label': t('handout.go-to') } });
    this.titles.forEach((title, index) =>
      this.picker.append(el('option', { text: t('handout.option', { number: index + 1, count: this.titles.length, title }), attrs: { value: String(index) } })),
    );
    this.announcer = el('p', { className: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });

    this.prevButton.addEventListener('click', () => this.show(this.index - 1));
    this.nextButton.addEventListener('click', () => this.show(this.index + 1));
    this.picker.addEventListener('change', () => this.show(Number(this.picker.value)));
    this.frame.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowRight' || event.key === 'PageDown') this.show(this.index + 1);
      else if (event.key === 'ArrowLeft' || event.key === 'PageUp') this.show(this.index - 1);
      else return;
      event.preventDefault();
    });
    root.append(this.frame, el('div', { className: 'handout-pager' }, [this.prevButton, this.picker, this.nextButton]), this.announcer);
    this.show(0, false);
  }

  get count(): number {
    return this.slides.length;
  }

  /** Shows slide `index` (clamped), the stack's own section with it. */
  show(index: number, announce = true): void {
    if (!this.slides.length) return;
    this.index = Math.min(Math.max(index, 0), this.slides.length - 1);
    const slide = this.slides[this.index]!;
    for (const section of this.frame.querySelectorAll('section.present')) section.classList.remove('present');
    slide.classList.add('present');
    const parent = slide.parentElement;
    if (parent?.tagName === 'SECTION') parent.classList.add('present');
    this.frame.scrollTop = 0;
    this.picker.value = String(this.index);
    this.prevButton.disabled = this.index === 0;
    this.nextButton.disabled = this.index === this.slides.length - 1;
    if (announce)
      this.announcer.textContent = t('phone.slide-announcement', { number: this.index + 1, count: this.slides.length, title: this.titles[this.index]! });
  }
}
