/** A typed Socket.IO client for the livedeck protocol. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../shared/protocol';
import { PROTOCOL_VERSION } from '../shared/protocol-version';
import { showReloadNotice } from './reload-notice';
import { unpackBatches } from './room-batch';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Sockets whose next connection must bring a snapshot (see resync). */
const needsSnapshot = new WeakSet<LiveClient>();

/**
 * Socket.IO's client adds its recovery fields (`pid`, `offset`) under the
 * auth object; these override them, so the server starts a fresh session.
 */
const NO_RECOVERY = { pid: undefined, offset: undefined };

/**
 * A request went unanswered: it may have been applied, and its ack is lost
 * (for a chat message, the sender's only copy: the broadcast skips the
 * sender). Connection state recovery would replay broadcasts, never acks,
 * so the next connection skips it and brings a snapshot, which carries what
 * the page missed: at once if the socket is still connected, else when
 * Socket.IO reconnects.
 */
export function resync(socket: LiveClient): void {
  needsSnapshot.add(socket);
  if (socket.connected) socket.disconnect().connect();
}

/** Hands an event to this page's own listeners as if the server had sent it (the sender's chat message comes in its ack). */
export function deliverLocally<E extends keyof ServerToClientEvents>(socket: LiveClient, event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
  for (const listener of socket.listeners(event)) (listener as (...payload: typeof args) => void)(...args);
}

export function connect(auth: () => HandshakeAuth): LiveClient {
  const first = auth();
  const socket: LiveClient = io({
    // A function so every reconnection sends the current name and last-seen ids.
    auth: (callback) => callback(needsSnapshot.has(socket) ? { ...auth(), ...NO_RECOVERY } : auth()),
    // A presenter screen also proves its token in the handshake request, so that per-address connection caps
    // never keep it out (a venue NAT shares its address with the room). A browser's WebSocket cannot send a
    // header, so presenter screens open with long-polling and upgrade.
    ...(first.role === 'presenter'
      ? { transports: ['polling', 'websocket'], extraHeaders: { Authorization: `Bearer ${first.token}` } }
      : { transports: ['websocket', 'polling'] }),
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
  });
  // The first snapshot listener. Every snapshot carries the server's protocol version: a page built for another one
  // (an old bundle after an upgrade) disconnects, so it neither sends nor hears anything it might misread, and asks
  // for a reload. The page's own listeners still see that one snapshot (behind the notice), and nothing after it.
  let snapshots = 0;
  socket.on('snapshot', ({ protocol }) => {
    snapshots++;
    if (protocol === PROTOCOL_VERSION) return;
    socket.disconnect();
    showReloadNotice();
  });
  socket.on('snapshot', () => needsSnapshot.delete(socket));
  // A connection restored by Socket.IO is sent what it missed, not a snapshot (the server no longer keeps snapshots
  // for recovery): one that dropped before its first snapshot arrived would have nothing to show.
  socket.on('connect', () => {
    if (socket.recovered && snapshots === 0) resync(socket);
  });
  unpackBatches(socket);
  // A refusal by the server's connect middleware stops Socket.IO's own retries; `rate_limited` says when to try again.
  socket.on('connect_error', (error: Error & { data?: { code?: string; retryAfterMs?: number } }) => {
    if (socket.active || error.data?.code !== 'rate_limited') return;
    const wait = Math.min(Math.max(error.data.retryAfterMs ?? 5000, 1000), 15 * 60_000);
    setTimeout(() => socket.connect(), wait + Math.random() * 1000);
  });
  return socket;
}
