/**
 * The presenter's slide and pause as a phone hears them, in revision order
 * around snapshots (revision-log.ts): a snapshot read before a move or a
 * pause the phone already followed applies it again rather than taking it
 * back, and an older snapshot arriving late is dropped. Moves keep their
 * own order by `seq` (follow.ts): a move older than the snapshot still
 * reaches the receiver, which drops it unless its seq is past the
 * snapshot's (a seq is exact; revisions stamped by two machines are only
 * as good as their clocks).
 */
import type { FollowPause, SlideState } from '../shared/protocol';
import { RevisionLog } from './revision-log';
import type { LiveClient } from './socket';

export interface LivePosition {
  /** The live slide: from a snapshot (it replaces what the page holds) or a move. */
  slide(slide: SlideState, fromSnapshot: boolean): void;
  /** The presenter's pause, or null. */
  paused?(pause: FollowPause | null): void;
}

export function followLivePosition(socket: LiveClient, position: LivePosition): void {
  const revisions = new RevisionLog();
  socket.on('snapshot', (snapshot) =>
    revisions.snapshot(snapshot.rev, snapshot.sessionId, () => {
      position.paused?.(snapshot.paused);
      position.slide(snapshot.slide, true);
    }),
  );
  // Also when older than the snapshot: the receiver drops a move whose seq is not past the one it holds.
  socket.on('slide:changed', ({ rev, ...slide }) => revisions.always(rev, () => position.slide(slide, false)));
  socket.on('screen:changed', ({ paused, rev }) => revisions.event(rev, () => position.paused?.(paused)));
}
