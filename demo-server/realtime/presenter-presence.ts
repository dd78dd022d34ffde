/**
 * Whether a presenter screen is connected. Phones show a discreet
 * "presenter reconnecting" while none is, and stay on the last slide; the
 * session lives in storage, so nothing is lost while the presenter is away.
 * Counted per process: every presenter socket of this server, plus
 * (scaled out) those the other processes last reported, so a phone on one
 * process does not see the presenter of another as gone.
 */
import type { LiveServer, LiveSocket } from './live-server.js';

export class PresenterPresence {
  private presenters = 0;
  /** What this process last told its own phones. */
  private announced: boolean | null = null;

  constructor(
    private readonly io: LiveServer,
    private readonly elsewhere: () => number = () => 0,
  ) {}

  get online(): boolean {
    return this.presenters + this.elsewhere() > 0;
  }

  /** Counts presenters in and out; a new connection reads the current state in its snapshot (`presenterOnline`). */
  track(socket: LiveSocket): void {
    if (socket.data.role !== 'presenter') return;
    if (++this.presenters === 1 && this.elsewhere() === 0) this.announce(true);
    socket.once('disconnect', () => {
      if (--this.presenters === 0 && this.elsewhere() === 0) this.announce(false);
    });
  }

  /**
   * Scaled out, this process learns of presenters on other processes only
   * from their periodic reports: called after each report, it corrects its
   * own phones when the room's state changed (a phone that joined here just
   * after the presenter connected elsewhere was told "offline").
   */
  refresh(): void {
    const online = this.online;
    if (this.announced !== null && online !== this.announced) {
      this.announced = online;
      this.io.local.emit('presenter:status', { online });
    }
    this.announced ??= online;
  }

  private announce(online: boolean): void {
    this.announced = online;
    this.io.emit('presenter:status', { online });
  }
}
