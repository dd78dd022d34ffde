/**
 * The names people carry in the session on the screens (names.ts): claimed
 * as they join or rename, and claimed again when another session goes live.
 */
import type { Logger } from 'pino';
import type { SocketData } from '../../src/shared/protocol.js';
import { guestName, type NameRegistry } from './names.js';
import { refusalError, WireErrorException } from './wire-error.js';

export class SessionNames {
  constructor(
    private readonly registry: NameRegistry,
    /** The session on the screens; 0 between talks (nothing live). */
    private readonly sessionId: () => number,
    private readonly logger: Logger,
  ) {}

  /**
   * Gives a person a name for this session, or refuses it with the reason:
   * a name that looks like the presenter's, like a room-given guest name, or
   * like someone else's (names.ts). A presenter's own name is reserved.
   */
  async claim(data: SocketData, name: string): Promise<void> {
    // Between talks (nothing live) names are compared among those who came meanwhile.
    const sessionId = this.sessionId();
    if (data.role === 'presenter') return this.registry.reservePresenterName(sessionId, name);
    const verdict = await this.registry.claim(sessionId, data.authorId, name, guestName(data.authorId));
    if (verdict === 'presenter') throw refusalError('name_presenter', "that name looks like the presenter's: choose another");
    if (verdict === 'guest') throw refusalError('name_guest', 'names like Guest-AB12 are given by the room: choose another');
    if (verdict === 'taken') throw refusalError('name_taken', 'someone here already has that name (or one that looks like it): choose another');
  }

  /**
   * Names belong to a session: when another session goes live, a connected
   * person's name is claimed again in it, or gives way to their guest name
   * when someone there holds it (or a look-alike) already. A claim a person
   * already holds changes nothing.
   */
  async carry(data: SocketData): Promise<void> {
    const seat = data.seat?.name;
    if (data.role === 'presenter' ? !seat : data.name === guestName(data.authorId)) return;
    try {
      await this.claim(data, data.role === 'presenter' ? seat! : data.name);
    } catch (refusal) {
      if (!(refusal instanceof WireErrorException)) return this.logger.warn({ err: refusal }, 'could not carry a name into the new session');
      data.name = guestName(data.authorId);
    }
  }
}
