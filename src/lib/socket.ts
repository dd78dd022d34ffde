/** A typed Socket.IO client for the livedeck protocol. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents } from '../shared/protocol';
import { PROTOCOL_VERSION } from '../shared/protocol-version';
import { showReloadNotice } from './reload-notice';

export type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connect(auth: () => HandshakeAuth): LiveClient {
  const first = auth();
  const socket: LiveClient = io({
    // A function so every reconnection sends the current name and last-seen ids.
    auth: (callback) => callback(auth()),
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
  socket.on('snapshot', ({ protocol }) => {
    if (protocol === PROTOCOL_VERSION) return;
    socket.disconnect();
    showReloadNotice();
  });
  // A refusal by the server's connect middleware stops Socket.IO's own retries; `rate_limited` says when to try again.
  socket.on('connect_error', (error: Error & { data?: { code?: string; retryAfterMs?: number } }) => {
    if (socket.active || error.data?.code !== 'rate_limited') return;
    const wait = Math.min(Math.max(error.data.retryAfterMs ?? 5000, 1000), 15 * 60_000);
    setTimeout(() => socket.connect(), wait + Math.random() * 1000);
  });
  return socket;
}
