/**
 * Co-presenters: several screens may hold the presenter token, grouped in
 * seats (one person's projector, console and phone clicker share a name, or
 * have none). Exactly one seat drives: only its moves reach the phones.
 * Another seat asks, and the driver hands over with one tap; once every
 * screen of the driver has been gone for `takeOverMs`, the asker takes over.
 *
 * Presence: the first presenter screen of a talk drives; when the last
 * screen of the driving seat leaves (on any process), the talk notes since
 * when; when one comes back, that note is cleared.
 */
import type { DriveRequest } from '../../src/shared/protocol.js';
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import { PRESENTER_ROOM, type LiveSocket } from './live-server.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

const seatOfSocket = (socket: LiveSocket): DriveRequest => socket.data.seat ?? { seat: '', name: '' };

export function createDriveHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  const driveState = () => ({ drive: { driver: room.control.driver, asking: room.control.asking } });
  return [
    defineHandler(context, 'drive:ask', async (_payload, socket) => {
      await room.changeControl({ type: 'drive:ask', seat: seatOfSocket(socket), now: room.now(), takeOverMs: room.takeOverMs });
      return driveState();
    }),

    defineHandler(context, 'drive:handover', async ({ to }, socket) => {
      const from = seatOfSocket(socket).seat;
      const state = await room.changeControl({ type: 'drive:handover', from, to });
      if (state.driver?.seat !== to) throw refusal(room, from, to);
      return driveState();
    }),

    defineHandler(context, 'drive:decline', async ({ to }, socket) => {
      const from = seatOfSocket(socket).seat;
      if (room.control.driver?.seat !== from || room.control.asking?.seat !== to) throw refusal(room, from, to);
      await room.changeControl({ type: 'drive:decline', from, to });
      return driveState();
    }),
  ];
}

function refusal(room: TalkRoom, from: string, to: string) {
  if (room.control.driver?.seat !== from) return refusalError('not_driving', 'only the driving presenter can answer');
  return room.control.asking
    ? refusalError('other_asker', `${room.control.asking.name || 'another presenter'} is asking now, not ${to || 'an unnamed presenter'}`)
    : refusalError('nobody_asking', 'nobody is asking to drive');
}

/** Keeps the driver's presence in the talk's state as presenter screens come and go. */
export class DriverPresence {
  constructor(
    private readonly room: TalkRoom,
    private readonly onError: (error: unknown) => void,
  ) {}

  track(socket: LiveSocket): void {
    if (socket.data.role !== 'presenter') return;
    const seat = seatOfSocket(socket);
    this.room.changeControl({ type: 'drive:present', seat }).catch(this.onError);
    socket.once('disconnect', () => void this.left(socket, seat.seat).catch(this.onError));
  }

  private async left(socket: LiveSocket, seat: string): Promise<void> {
    const { driver, asking } = this.room.control;
    if (driver?.seat !== seat && asking?.seat !== seat) return;
    // Across processes: another screen of the same seat may still be connected elsewhere.
    const screens = await socket.nsp.in(PRESENTER_ROOM).fetchSockets();
    if (screens.some((other) => other.id !== socket.id && (other.data.seat?.seat ?? '') === seat)) return;
    await this.room.changeControl({ type: 'drive:gone', seat, now: this.room.now() });
  }
}
