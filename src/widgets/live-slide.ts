/**
 * The presenter's live slide as a phone knows it, which is not always the
 * slide the viewer is looking at (they may have swiped back): widgets that
 * act "while it is live" (the panel's poll card, the ping button) follow this.
 */
import { followLivePosition } from '../lib/live-position';
import type { SlideDeck } from '../lib/slides';
import type { LiveClient } from '../lib/socket';
import type { SlideState } from '../shared/protocol';

export class LiveSlide {
  private live: SlideState | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deck: SlideDeck,
    socket: LiveClient,
  ) {
    followLivePosition(socket, { slide: (slide, fromSnapshot) => this.set(slide, fromSnapshot) });
  }

  /** Snapshots replace; events older than what we hold are dropped. Fragment steps are not a new slide. */
  private set(slide: SlideState, fromSnapshot: boolean): void {
    if (!fromSnapshot && this.live && slide.seq <= this.live.seq) return;
    const moved = !this.live || this.live.h !== slide.h || this.live.v !== slide.v;
    this.live = slide;
    if (moved || fromSnapshot) for (const listener of this.listeners) listener();
  }

  /** The live slide, once known. */
  slide(): HTMLElement | undefined {
    return this.live ? this.deck.getSlide(this.live.h, this.live.v) : undefined;
  }

  /** The live slide's widget of this kind, if it has one. */
  widget(kind: string): HTMLElement | null {
    return this.slide()?.querySelector<HTMLElement>(`[data-widget="${kind}"]`) ?? null;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}
