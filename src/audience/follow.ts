/**
 * Keeps a phone's deck on the presenter's slide, while letting the viewer
 * look back: a swipe behind the live slide pauses following until "Back to
 * live"; a swipe ahead of it (a spoiler) snaps back.
 */
import { compareSlidePositions, sameSlidePosition } from '../shared/talk-state';
import type { SlidePosition, SlideState } from '../shared/protocol';
import { deckPosition, type SlideDeck } from '../lib/slides';

export type FollowMode = 'following' | 'behind';

export class Follower {
  private live: SlideState | null = null;
  private mode: FollowMode = 'following';
  private applying = false;

  constructor(
    private readonly deck: SlideDeck,
    private readonly onModeChange: (mode: FollowMode) => void,
  ) {
    for (const event of ['slidechanged', 'fragmentshown', 'fragmenthidden'] as const) {
      deck.on(event, () => this.viewerMoved());
    }
  }

  /**
   * The live slide the server rendered the page at: live until the room's snapshot says otherwise, so that
   * looking back before the snapshot arrives is looking back (not undone by the snapshot a moment later).
   */
  startAt(position: SlidePosition): void {
    this.live ??= { ...position, seq: -1 };
  }

  /** A position from the server. Snapshots replace; events older than what we hold are dropped. */
  update(slide: SlideState, fromSnapshot: boolean): void {
    if (!fromSnapshot && this.live && slide.seq <= this.live.seq) return;
    this.live = slide;
    if (this.mode === 'following') this.goLive();
  }

  backToLive(): void {
    this.setMode('following');
    this.goLive();
  }

  private goLive(): void {
    if (!this.live || sameSlidePosition(deckPosition(this.deck), this.live)) return;
    this.applying = true;
    try {
      this.deck.slide(this.live.h, this.live.v, this.live.f);
    } finally {
      this.applying = false;
    }
  }

  private viewerMoved(): void {
    if (this.applying || !this.live) return;
    const order = compareSlidePositions(deckPosition(this.deck), this.live);
    if (order > 0) {
      this.backToLive(); // no spoilers
    } else {
      this.setMode(order === 0 ? 'following' : 'behind');
    }
  }

  private setMode(mode: FollowMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.onModeChange(mode);
  }
}
