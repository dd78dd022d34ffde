/**
 * The presenter's pause: while it lasts the phone shows the message over
 * the slide and stops following; the newest position is held and applied
 * the moment the pause ends.
 */
import { t } from '../i18n/i18n';
import { el } from '../lib/dom';
import type { FollowPause, SlideState } from '../shared/protocol';

type Follow = (slide: SlideState, fromSnapshot: boolean) => void;

export class PauseOverlay {
  private paused = false;
  private held: { slide: SlideState; fromSnapshot: boolean } | null = null;
  private readonly message = el('p', { className: 'follow-paused-message' });
  private readonly overlay = el('div', { className: 'follow-paused', attrs: { role: 'status', 'aria-live': 'assertive', hidden: '' } }, [this.message]);

  constructor(
    frame: HTMLElement,
    private readonly follow: Follow,
  ) {
    frame.append(this.overlay);
  }

  set(pause: FollowPause | null): void {
    this.paused = pause !== null;
    this.overlay.hidden = !this.paused;
    this.message.textContent = pause ? (pause.message ?? t('screen.pause-default')) : '';
    document.body.classList.toggle('is-paused', this.paused);
    if (!this.paused && this.held) {
      const { slide, fromSnapshot } = this.held;
      this.held = null;
      this.follow(slide, fromSnapshot);
    }
  }

  /** A position from the server: followed now, or held until the pause ends. */
  slide(slide: SlideState, fromSnapshot: boolean): void {
    if (!this.paused) return this.follow(slide, fromSnapshot);
    // A snapshot replaces what is held (a new session restarts seq); events only move forward.
    if (fromSnapshot || !this.held || slide.seq > this.held.slide.seq) {
      this.held = { slide, fromSnapshot: fromSnapshot || (this.held?.fromSnapshot ?? false) };
    }
  }
}
