/**
 * The typed Socket.IO server and socket of the talk, and the rooms every
 * socket of the main namespace joins: a leaf that every realtime module may
 * import, so none of them has to import the module that builds the others.
 */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../src/shared/protocol.js';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Every phone's socket. */
export const AUDIENCE_ROOM = 'audience';
/** Every presenter screen's socket (projector, console). */
export const PRESENTER_ROOM = 'presenter';
