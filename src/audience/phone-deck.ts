/**
 * The phone's own deck: the talk's slides shown one at a time as a page that reflows at the
 * phone's width (real text sizes, code that scrolls sideways), at the same h/v/f positions as the
 * projector's Reveal deck, without shipping Reveal to every phone. It keeps Reveal's class names
 * (`.reveal.ready`, `section.present`, `.fragment.visible`) and the part of its API the follower
 * and the widgets use.
 */
import { highlightCodeSteps, prepareSlides, type SlideDeck } from '../lib/slides';
import type { PublicTalk } from '../shared/protocol';

type DeckEvent = 'slidechanged' | 'fragmentshown' | 'fragmenthidden';

export class PhoneDeck implements SlideDeck {
  /** [h][v]: the sections a position can show (a vertical stack's own section is never shown alone). */
  private readonly stacks: HTMLElement[][];
  private readonly stackSections: HTMLElement[];
  private readonly fragmentGroups = new Map<HTMLElement, HTMLElement[][]>();
  private readonly events = new EventTarget();
  private h = -1;
  private v = 0;
  private f = -1;

  constructor(
    private readonly root: HTMLElement,
    talk: PublicTalk,
  ) {
    const slides = this.getSlidesElement();
    prepareSlides(slides, talk);
    this.stackSections = [...slides.querySelectorAll<HTMLElement>(':scope > section')];
    this.stacks = this.stackSections.map((section) => {
      const inner = [...section.querySelectorAll<HTMLElement>(':scope > section')];
      return inner.length ? inner : [section];
    });
    for (const slide of this.stacks.flat()) this.fragmentGroups.set(slide, sortFragments(slide));
    // Code and tables scroll sideways on a phone: a keyboard must be able to scroll them too.
    for (const wide of slides.querySelectorAll<HTMLElement>('pre, table')) wide.tabIndex = 0;
  }

  /** Shows a position (clamped to the deck) and tells listeners what changed, as Reveal does. */
  slide(h: number, v = 0, f = -1): void {
    const nextH = clamp(h, 0, this.stacks.length - 1);
    const stack = this.stacks[nextH] ?? [];
    const nextV = clamp(v, 0, stack.length - 1);
    const target = stack[nextV];
    if (!target) return;
    const nextF = clamp(f, -1, this.fragmentCount(target) - 1);
    const movedSlide = nextH !== this.h || nextV !== this.v;
    const fragmentsBefore = this.f;
    this.h = nextH;
    this.v = nextV;
    this.f = nextF;
    this.render();
    if (movedSlide) this.emit('slidechanged');
    else if (nextF > fragmentsBefore) this.emit('fragmentshown');
    else if (nextF < fragmentsBefore) this.emit('fragmenthidden');
  }

  /** One step back: the previous fragment, else the previous slide with all its fragments shown. */
  prev(): void {
    if (this.f > -1) return this.slide(this.h, this.v, this.f - 1);
    if (this.v > 0) return this.slide(this.h, this.v - 1, Number.MAX_SAFE_INTEGER);
    if (this.h > 0) {
      const previous = this.stacks[this.h - 1] ?? [];
      this.slide(this.h - 1, previous.length - 1, Number.MAX_SAFE_INTEGER);
    }
  }

  /** One step ahead: the next fragment, else the next slide (down a stack first, as Reveal does). */
  next(): void {
    const current = this.getCurrentSlide();
    if (current && this.f < this.fragmentCount(current) - 1) return this.slide(this.h, this.v, this.f + 1);
    if (this.v < (this.stacks[this.h]?.length ?? 1) - 1) return this.slide(this.h, this.v + 1, -1);
    if (this.h < this.stacks.length - 1) this.slide(this.h + 1, 0, -1);
  }

  on(type: DeckEvent, listener: () => void): void {
    this.events.addEventListener(type, listener);
  }

  getIndices(): { h: number; v: number; f: number } {
    return { h: Math.max(this.h, 0), v: this.v, f: this.f };
  }

  getSlide(h: number, v = 0): HTMLElement | undefined {
    return this.stacks[h]?.[v];
  }

  getSlidesElement(): HTMLElement {
    return this.root.querySelector<HTMLElement>('.slides')!;
  }

  getCurrentSlide(): HTMLElement | undefined {
    return this.getSlide(this.h, this.v);
  }

  /** 1-based place of the current slide among all slides, and how many there are. */
  progress(): { index: number; total: number } {
    let index = 0;
    for (let h = 0; h < this.h; h++) index += this.stacks[h]?.length ?? 0;
    return { index: index + this.v + 1, total: this.stacks.reduce((sum, stack) => sum + stack.length, 0) };
  }

  /** The current slide's title, as its first heading says it. */
  title(): string {
    return this.getCurrentSlide()?.querySelector('h1, h2, h3')?.textContent?.trim() ?? '';
  }

  private fragmentCount(slide: HTMLElement): number {
    return this.fragmentGroups.get(slide)?.length ?? 0;
  }

  private render(): void {
    this.stackSections.forEach((section, h) => setPlace(section, h, this.h));
    // Only the current stack has a present slide, so `section.present` finds exactly the one shown.
    this.stacks.forEach((stack, h) => {
      if (stack.length > 1) stack.forEach((section, v) => setPlace(section, v, h === this.h ? this.v : h < this.h ? Infinity : -Infinity));
    });
    const current = this.getCurrentSlide();
    if (current) {
      this.fragmentGroups.get(current)?.forEach((group, index) => {
        for (const fragment of group) {
          fragment.classList.toggle('visible', index <= this.f);
          fragment.classList.toggle('current-fragment', index === this.f);
        }
      });
      highlightCodeSteps(current);
      // A slide's background (`<!-- .slide: data-background-color -->`) colours the whole frame, as on the projector.
      const background = current.dataset.backgroundColor ?? this.stackSections[this.h]?.dataset.backgroundColor ?? '';
      this.root.style.setProperty('--slide-background', background || null);
    }
    this.root.classList.add('ready');
  }

  private emit(type: DeckEvent): void {
    this.events.dispatchEvent(new Event(type));
  }
}

function setPlace(section: HTMLElement, index: number, current: number): void {
  section.classList.toggle('present', index === current);
  section.classList.toggle('past', index < current);
  section.classList.toggle('future', index > current);
  section.hidden = index !== current;
  if (index === current) section.removeAttribute('aria-hidden');
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

/**
 * Reveal's fragment order: fragments with a `data-fragment-index` first (equal indices show
 * together), then the rest in document order; each group gets its position as its index.
 */
export function sortFragments(slide: HTMLElement): HTMLElement[][] {
  const ordered: HTMLElement[][] = [];
  const unordered: HTMLElement[][] = [];
  for (const fragment of slide.querySelectorAll<HTMLElement>('.fragment')) {
    if (fragment.closest('section') !== slide) continue;
    const index = Number.parseInt(fragment.dataset.fragmentIndex ?? '', 10);
    if (Number.isNaN(index)) unordered.push([fragment]);
    else (ordered[index] ??= []).push(fragment);
  }
  const groups = [...ordered.filter(Boolean), ...unordered];
  groups.forEach((group, index) => group.forEach((fragment) => (fragment.dataset.fragmentIndex = String(index))));
  return groups;
}
