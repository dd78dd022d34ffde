/**
 * What someone watching the terminal wants to know during a talk: presenter
 * screens coming and going, and how many phones are in the room, logged
 * periodically while that number changes (never once per phone: a room
 * filling up would flood the log).
 */
import type { Logger } from 'pino';
import type { LiveSocket } from './live-server.js';

export class RoomLog {
  private presenters = 0;
  private loggedAudience = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly audience: () => number,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.logAudience(), intervalMs).unref();
  }

  /** Call for every new connection; only presenter screens are logged. */
  track(socket: LiveSocket): void {
    if (socket.data.role !== 'presenter') return;
    this.presenters++;
    this.logger.info({ conn: socket.id, screens: this.presenters }, `presenter connected (${this.screens()})`);
    socket.once('disconnect', (reason) => {
      this.presenters--;
      this.logger.info({ conn: socket.id, screens: this.presenters, reason }, `presenter left (${this.screens()})`);
    });
  }

  private screens(): string {
    return `${this.presenters} presenter screen${this.presenters === 1 ? '' : 's'} open`;
  }

  private logAudience(): void {
    const phones = this.audience();
    if (phones === this.loggedAudience) return;
    this.loggedAudience = phones;
    this.logger.info({ phones }, `${phones} phone${phones === 1 ? '' : 's'} connected`);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
