/**
 * Two-way sync between a presenter surface's deck and the server.
 *
 * Local moves are sent as `slide:set`. Remote moves (the console, another
 * presenter window) are applied, except the echoes of our own moves: while
 * our own requests are in flight, or for a seq our acks already covered, an
 * incoming `slide:changed` is stale and applying it would drag the deck back.
 *
 * Every request settles, the connection dropping included (src/lib/request.ts):
 * a connection restored by connection state recovery gets no snapshot to
 * reset the count of requests in flight, so a request that never settled
 * would leave every later remote move deferred for good.
 */
import { errorText } from '../lib/error-text';
import { request } from '../lib/request';
import type { LiveClient } from '../lib/socket';
import type { SlidePosition, SlideState } from '../shared/protocol';
import { sameSlidePosition } from '../shared/talk-state';

export interface SyncedDeck {
  position(): SlidePosition;
  go(position: SlidePosition): void;
  onMove(listener: () => void): void;
}

export class DeckSync {
  private inFlight = 0;
  private ackedSeq = -1;
  private deferred: SlideState | null = null;
  private applying = false;
  private server: SlideState | null = null;
  private refused = false;

  constructor(
    private readonly socket: LiveClient,
    private readonly deck: SyncedDeck,
    private readonly onError: (message: string) => void = () => undefined,
  ) {
    deck.onMove(() => {
      if (!this.applying) this.send(deck.position());
    });
    socket.on('snapshot', (snapshot) => this.resume(snapshot.slide));
    socket.on('slide:changed', (slide) => this.remote(slide));
  }

  /** After a (re)connection with a snapshot the server's position wins: the talk resumes where it was. */
  private resume(slide: SlideState): void {
    this.deferred = null;
    this.ackedSeq = slide.seq;
    this.apply(slide);
  }

  private remote(slide: SlideState): void {
    if (this.inFlight > 0) {
      if (!this.deferred || slide.seq > this.deferred.seq) this.deferred = slide;
      return;
    }
    if (slide.seq <= this.ackedSeq) return;
    this.apply(slide);
  }

  private apply(slide: SlideState): void {
    this.server = slide;
    if (sameSlidePosition(this.deck.position(), slide)) return;
    this.applying = true;
    try {
      this.deck.go(slide);
    } finally {
      this.applying = false;
    }
  }

  send(position: SlidePosition): void {
    // Only with nothing in flight is `server` what the server will hold: a quick "next, back" must send the "back".
    if (!this.socket.connected || (this.inFlight === 0 && this.server && sameSlidePosition(this.server, position))) return;
    this.inFlight++;
    void request(this.socket, 'slide:set', position).then((reply) => {
      this.inFlight--;
      if (reply.ok) {
        this.ackedSeq = Math.max(this.ackedSeq, reply.seq);
        this.server = { ...position, seq: reply.seq };
      } else if (this.socket.connected) {
        // Dropped with the connection: the page's connection status already says so.
        this.onError(errorText(reply.error));
        this.refused = true;
      }
      if (this.inFlight === 0 && this.deferred) {
        const deferred = this.deferred;
        this.deferred = null;
        if (deferred.seq > this.ackedSeq) this.apply(deferred);
      }
      // A refused move (another presenter drives) must not leave this deck somewhere the room is not.
      if (this.inFlight === 0 && this.refused) {
        this.refused = false;
        if (this.server) this.apply(this.server);
      }
    });
  }
}
