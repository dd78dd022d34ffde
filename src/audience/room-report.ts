/**
 * What this phone tells the presenter's console about the room (room
 * health): now and then, when it drew a live slide (the server turns that
 * into the move-to-screen latency), and whether it is looking back at
 * earlier slides. Phones sample themselves so that about
 * HEALTH_SAMPLE_TARGET of them report each move, whatever the room's size.
 */
import { deckPosition, type SlideDeck } from '../lib/slides';
import type { LiveClient } from '../lib/socket';
import { HEALTH_SAMPLE_TARGET } from '../shared/limits';
import { sameSlidePosition } from '../shared/talk-state';

export class RoomReport {
  private phones = 1;
  private behind = false;
  private socket: LiveClient | null = null;

  constructor(private readonly deck: SlideDeck) {}

  attach(socket: LiveClient): void {
    this.socket = socket;
    socket.on('snapshot', (snapshot) => {
      this.phones = Math.max(1, snapshot.audience);
      // A new connection starts following; say so if this phone still looks back.
      if (this.behind) socket.emit('follow:state', { behind: true });
    });
    socket.on('audience:count', ({ n }) => (this.phones = Math.max(1, n)));
    // Registered after the page's own listener: by now the deck shows the slide, if this phone follows.
    socket.on('slide:changed', (slide) => {
      if (this.behind || Math.random() >= HEALTH_SAMPLE_TARGET / this.phones) return;
      const received = performance.now();
      // The second frame callback runs once the frame with the new slide has been drawn.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          if (!sameSlidePosition(deckPosition(this.deck), slide)) return; // paused, or looking back
          socket.volatile.emit('slide:shown', { seq: slide.seq, drawMs: Math.min(60_000, performance.now() - received) });
        }),
      );
    });
  }

  /** The follow mode changed (follow.ts). */
  setBehind(behind: boolean): void {
    if (behind === this.behind) return;
    this.behind = behind;
    if (this.socket?.connected) this.socket.emit('follow:state', { behind });
  }
}
