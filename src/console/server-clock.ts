/**
 * The server's clock as this screen sees it. The timer is stamped in server
 * time; a console on a laptop whose clock is a minute off must still show
 * the same elapsed time as the one on the presenter's phone.
 */
export class ServerClock {
  private skewMs = 0;

  /** `serverNow` comes with every snapshot and timer change; transit time is a few ms, well under the display's one second. */
  sync(serverNow: number): void {
    this.skewMs = serverNow - Date.now();
  }

  now(): number {
    return Date.now() + this.skewMs;
  }
}
