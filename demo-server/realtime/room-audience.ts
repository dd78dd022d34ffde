/**
 * How many phones are in the room: counted as they join and leave this
 * process (and per address, for the vote shares), added up with the other
 * processes when scaled out, told to phones and presenters, and sampled for
 * the session's report.
 */
import type { Logger } from 'pino';
import type { SessionRecord, TalkStorage } from '../storage/storage.js';
import { PRESENTER_ROOM, type LiveServer, type LiveSocket } from './live-server.js';
import type { Peers } from './peers.js';
import type { PhoneBatches } from './phone-batches.js';
import type { RoomHealth } from './room-health.js';

/**
 * Telling every phone the count costs one socket write per phone. Past 1,000
 * phones they hear it less often (10,000: every 10 s, and each snapshot
 * carries it), so that it never takes more than about this many writes a
 * second; presenters still hear every change within a second. At 10,000
 * phones joining, per-second counts to everyone were 40% of the server's
 * socket writes (docs/performance.md).
 */
const AUDIENCE_COUNT_PHONE_WRITES_PER_SECOND = 1000;
/**
 * While a crowd pours in (the count moved by more than this many phones, or
 * 1 %, in the last second) phones wait for it to settle, up to
 * AUDIENCE_COUNT_STORM_WAIT_TICKS seconds: each new phone's snapshot carries
 * the count, and a count sent to the whole room mid-storm is stale a second
 * later. At 10,000 phones joining at once these were about a quarter of the
 * socket writes of the storm (docs/performance.md).
 */
const AUDIENCE_COUNT_STORM_CHANGE = 50;
const AUDIENCE_COUNT_STORM_WAIT_TICKS = 30;

export interface RoomAudienceDeps {
  io: LiveServer;
  storage: TalkStorage;
  logger: Logger;
  now: () => number;
  /** The other processes, when scaled out. */
  peers: Peers | undefined;
  phones: PhoneBatches;
  health: RoomHealth;
  /** The session on the screens, if any. */
  session: () => SessionRecord | null;
}

export class RoomAudience {
  private here = 0;
  /** Phones connected to this process, per address. */
  private readonly byAddress = new Map<string, number>();
  /** What phones last heard, what presenters last heard, and the count ticks since phones heard. */
  private announced = -1;
  private presentersHeard = -1;
  private ticksSincePhonesHeard = 0;
  /** The count at the previous tick, to tell a crowd pouring in. */
  private previousTick = 0;
  /** The last audience sample written, so that each session's curve gets a point when the count changes (and one to start). */
  private recorded: { sessionId: number; n: number } | undefined;

  constructor(private readonly deps: RoomAudienceDeps) {}

  joined(socket: LiveSocket): void {
    this.here++;
    this.byAddress.set(socket.data.ip, (this.byAddress.get(socket.data.ip) ?? 0) + 1);
    this.deps.health.phoneJoined(socket);
    // One listener for every phone rather than a closure each; a socket says 'disconnect' once.
    socket.on('disconnect', this.left);
  }

  /** Shared by every phone: Socket.IO calls it with the socket that left as `this`. */
  private readonly left = ((audience: RoomAudience) =>
    function (this: LiveSocket): void {
      audience.here--;
      const left = (audience.byAddress.get(this.data.ip) ?? 1) - 1;
      if (left > 0) audience.byAddress.set(this.data.ip, left);
      else audience.byAddress.delete(this.data.ip);
      audience.deps.health.phoneLeft(this);
    })(this);

  /** Phones connected to this process. */
  get count(): number {
    return this.here;
  }

  /** Phones connected to this process from one address. */
  phonesFrom(ip: string): number {
    return this.byAddress.get(ip) ?? 0;
  }

  /** Phones in the room: this process's plus, scaled out, what the others last reported. */
  get room(): number {
    return this.deps.peers ? this.deps.peers.totalAudience(this.here) : this.here;
  }

  /** Once a second: the count to presenters when it changed, to phones when due (see the constants above). */
  announce(): void {
    const { io, peers } = this.deps;
    const presentersHere = io.of('/').adapter.rooms.get(PRESENTER_ROOM)?.size ?? 0;
    const total = peers ? peers.reportAudience(this.here, presentersHere) : this.here;
    const phoneTicks = Math.ceil(total / AUDIENCE_COUNT_PHONE_WRITES_PER_SECOND);
    this.ticksSincePhonesHeard++;
    const pouringIn = Math.abs(total - this.previousTick) > Math.max(AUDIENCE_COUNT_STORM_CHANGE, total / 100);
    this.previousTick = total;
    const due = this.ticksSincePhonesHeard >= (pouringIn ? Math.max(phoneTicks, AUDIENCE_COUNT_STORM_WAIT_TICKS) : phoneTicks);
    if (total !== this.announced && due) {
      this.announced = total;
      this.ticksSincePhonesHeard = 0;
      this.deps.phones.setAudience(total);
    }
    if (total !== this.presentersHeard) {
      this.presentersHeard = total;
      // Scaled out, every process tells its own screens the room's total (a broadcast would repeat it once per process).
      (peers ? io.local : io).to(PRESENTER_ROOM).emit('audience:count', { n: total });
    }
    this.record(total);
  }

  /**
   * The report's audience curve and the session's peak: a sample when the
   * count changed, and one as a session starts (the room it starts with).
   * An ended session (its handout on the phones) no longer counts its room.
   */
  private record(total: number): void {
    const session = this.deps.session();
    if (!session || session.endedAt !== null) return;
    if (this.recorded?.sessionId === session.id && this.recorded.n === total) return;
    this.recorded = { sessionId: session.id, n: total };
    this.deps.storage.recordAudience(session.id, total, this.deps.now()).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not record the audience');
    });
  }
}
