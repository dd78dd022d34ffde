/**
 * Stopping a livedeck process without losing what the room sent: the order
 * in which the HTTP server, running events, queued acks, Socket.IO,
 * connections and storage are closed, each within the grace period.
 */
import type http from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { Logger } from 'pino';
import type { PagesHandle } from './http/pages.js';
import type { LiveServer } from './realtime/live-server.js';
import type { TalkRoom } from './realtime/talk-room.js';
import type { TalkSockets } from './realtime/talk-sockets.js';
import type { TalkStorage } from './storage/storage.js';

/** Every TCP connection of the server, so a shutdown can end the ones that outlive the grace period. */
export function trackConnections(httpServer: http.Server): ReadonlySet<NetSocket> {
  const open = new Set<NetSocket>();
  httpServer.on('connection', (connection: NetSocket) => {
    open.add(connection);
    connection.once('close', () => open.delete(connection));
  });
  return open;
}

export interface ShutdownParts {
  httpServer: http.Server;
  openConnections: ReadonlySet<NetSocket>;
  io: LiveServer;
  sockets: TalkSockets;
  room: TalkRoom;
  pages: PagesHandle;
  storage: TalkStorage;
  /** Scaled out: the Redis connections, closed last. */
  scaled?: { close(): Promise<void> };
  logger: Logger;
  graceMs: number;
  /** Called first: from then on new handshakes and new events are refused. */
  markStopping(): void;
}

export async function shutDown(parts: ShutdownParts): Promise<void> {
  const { httpServer, io, sockets, logger, graceMs } = parts;
  // New handshakes are refused and the port is released at once; open connections carry on for now.
  parts.markStopping();
  httpServer.close();
  // Local: scaled out, the other processes' phones are not going anywhere.
  io.local.emit('server:restarting', {});
  // Running events finish and acknowledge (their writes commit); new ones are refused with `unavailable`.
  const drained = await sockets.guards.inFlight.drain(graceMs);
  if (!drained) logger.warn({ running: sockets.guards.inFlight.size }, 'shutdown: events still running after the grace period');
  parts.room.close();
  // The last acks may still sit in a connection's queue: closing the engine would discard them.
  await sockets.slowConsumers.flush(graceMs);
  sockets.close();
  // Closing the engine drops transports without a "go away" packet, so phones reconnect by themselves (to us after a restart).
  const closed = new Promise<void>((resolve) => io.close(() => resolve()));
  const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
  await Promise.race([closed, grace]);
  // Peers that never answered the close (or idle keep-alive requests) are cut off.
  for (const connection of parts.openConnections) connection.destroy();
  await parts.pages.close();
  await parts.storage.close();
  await parts.scaled?.close();
}
