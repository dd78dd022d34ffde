/**
 * The console's requests: every presenter action waits for its ack, and a
 * refusal or a silence becomes a readable message instead of a lost click.
 */
import type { Ack, ClientToServerEvents } from '../shared/protocol';
import type { LiveClient } from '../lib/socket';

const ACK_TIMEOUT_MS = 8000;

export type Send = <E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]) => Promise<boolean>;

export function createSend(socket: LiveClient, onError: (message: string) => void): Send {
  return async (event, payload) => {
    if (!socket.connected) {
      onError('Not connected: that was not sent.');
      return false;
    }
    try {
      // Socket.IO's typings cannot follow a generic event name through emitWithAck; the Send type keeps callers typed.
      const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack> };
      const reply = await timed.emitWithAck(event, payload);
      if (!reply.ok) onError(reply.error.message);
      return reply.ok;
    } catch {
      onError('The server did not answer; try again.');
      return false;
    }
  };
}
