/**
 * One store's order of a snapshot and the events around it, by the server's
 * revisions (protocol.ts `Revised`). A screen joins its rooms before the
 * server reads its snapshot, so an event can arrive before a snapshot read
 * earlier than it (the snapshot would undo it), and scaled out an event
 * relayed late can arrive after a snapshot that already holds something
 * newer (the event would undo that). Here: a snapshot older than the one
 * applied is dropped; an event no newer than the applied snapshot is
 * skipped; and the events heard lately are kept, so that those newer than a
 * snapshot are applied again over it, in revision order.
 *
 * Every store applies events as whole values (a question, an answer, a
 * poll's counts), so applying one again is harmless. What belongs to the
 * moment an event arrives (the server's clock it carries) does not: `apply`
 * is told whether it runs live or again over a snapshot.
 */

/** Events kept to re-apply: far more than arrive while one snapshot is read. */
const KEPT_MAX = 500;

/** Applies an event; `again` is true when it runs again over a newer snapshot rather than as it arrives. */
export type ApplyEvent = (again: boolean) => void;

interface Heard {
  rev: number;
  apply: ApplyEvent;
}

export class RevisionLog {
  private sessionId: number | null = null;
  private applied = -Infinity;
  private heard: Heard[] = [];

  /** An event: applied and kept unless the snapshot applied already holds it. One without a revision is applied as it comes. */
  event(rev: number | undefined, apply: ApplyEvent): void {
    if (rev === undefined) return apply(false);
    if (rev <= this.applied) return;
    apply(false);
    this.heard.push({ rev, apply });
    if (this.heard.length > KEPT_MAX) this.heard.splice(0, this.heard.length - KEPT_MAX);
  }

  /**
   * An event whose receiver can tell by itself whether it still matters: a
   * deletion (a deleted message stays deleted), a slide move (its `seq`
   * orders it within the session). Applied even when the snapshot applied
   * is newer, because a snapshot may not hold it although its revision is
   * later (a store merges the chat it held into a snapshot), or its own
   * order is exact where revisions are not (stamped by two machines, they
   * are only as good as their clocks; and scaled out, an older server's
   * snapshot held another process's slide move only once it caught up).
   * Kept like any other event.
   */
  always(rev: number | undefined, apply: () => void): void {
    if (rev !== undefined && rev <= this.applied) return apply();
    this.event(rev, apply);
  }

  /**
   * A snapshot: dropped (false) when it is older than the one applied in the
   * same session; otherwise applied, then every kept event newer than it
   * again. A new session starts afresh whatever the revisions say; a
   * snapshot without a revision (an older server) is the whole truth.
   */
  snapshot(rev: number | undefined, sessionId: number, apply: () => void): boolean {
    if (rev !== undefined && sessionId === this.sessionId && rev < this.applied) return false;
    apply();
    this.sessionId = sessionId;
    this.applied = rev ?? -Infinity;
    this.heard = rev === undefined ? [] : this.heard.filter((event) => event.rev > rev).sort((a, b) => a.rev - b.rev);
    for (const event of this.heard) event.apply(true);
    return true;
  }
}
