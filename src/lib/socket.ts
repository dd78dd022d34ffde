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

/** `url`: the page's own origin when left out (tests pass a server's). */
export function connect(auth: () => HandshakeAuth, url?: string): LiveClient {
  const first = auth();
  const options: Parameters<typeof io>[1] = {
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
  };
  const socket: LiveClient = url === undefined ? io(options) : io(url, options);
  // The first snapshot listener. Every snapshot carries the server's protocol version: a page built for another one
  // (an old bundle after an upgrade) disconnects, so it neither sends nor hears anything it might misread, and asks
  // for a reload. The page's own listeners still see that one snapshot (behind the notice), and nothing after it.
  socket.on('snapshot', ({ protocol }) => {
    if (protocol === PROTOCOL_VERSION) return;
    socket.disconnect();
    showReloadNotice();
  });
  // A connection restored by Socket.IO is sent what it missed since the one it restores, and on one process no
  // snapshot (the server does not keep snapshots for recovery). If that one dropped before its snapshot arrived, what
  // came before its join is still missing (a page with nothing to show, or a gap in the chat): ask for a snapshot.
  let caughtUp = false;
  socket.on('snapshot', () => {
    caughtUp = true;
    needsSnapshot.delete(socket);
  });
  socket.on('connect', () => {
    if (!socket.recovered) caughtUp = false;
    else if (!caughtUp) resync(socket);
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
