/** A typed Socket.IO client for the livedeck protocol. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../shared/protocol';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connect(auth: () => HandshakeAuth): LiveClient {
  return io({
    // A function so every reconnection sends the current name and last-seen ids.
    auth: (callback) => callback(auth()),
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
}
