/**
 * The room's revisions (protocol.ts `Revised`): when a piece of state was
 * committed or read, in microseconds of the wall clock, each one past the
 * last this process gave. Stamped on a snapshot before its first read, and
 * on a state event after the commit or read it reports, so a screen can
 * order the two (src/lib/revision-log.ts).
 *
 * Why a clock and not a counter: scaled out, a per-session counter would be
 * one more Redis round trip before every broadcast, and would still be
 * taken after the commit it stamps (a commit and its number are not one
 * step). Processes on one machine read one clock; across machines the order
 * holds to within their clock skew (NTP keeps it to milliseconds), below
 * the time a snapshot takes to read. A restart keeps the order (the clock
 * goes on), so a screen holding an older process's revision takes the new
 * one's snapshot.
 */
export class RevisionClock {
  private last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): number {
    this.last = Math.max(this.last + 1, Math.floor(this.now() * 1000));
    return this.last;
  }
}
