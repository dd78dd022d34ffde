/**
 * The one way a browser asks the server for something: every event a page
 * sends with an ack goes through `request`, typed by the contract's table
 * (src/shared/protocol.ts), and every refusal becomes text through
 * `errorText` (error-text.ts).
 *
 * A request never hangs and never throws: sent while offline it fails at
 * once (`offline`: it was not sent); with no ack within the timeout, or when
 * the connection drops before the ack arrives, it fails with `no_answer` (it
 * may or may not have been applied; Socket.IO drops an ack whose connection
 * dropped, even when connection state recovery restores the session). After
 * an unanswered request the page reconnects for a fresh snapshot, so that it
 * shows whatever that request did (`resync`, socket.ts).
 */
import type { EventPayload, EventResult, InboundEvent, WireError } from '../shared/protocol';
import { resync, type LiveClient } from './socket';

/** Long enough for a phone on a crowded Wi-Fi, short enough that a lost click is reported. */
export const REQUEST_TIMEOUT_MS = 8000;

/** Failures the browser detects itself, with no answer from the server. */
export interface LocalError {
  code: 'offline' | 'no_answer';
  message: string;
}
export type RequestError = WireError | LocalError;
export type Reply<E extends InboundEvent> = ({ ok: true } & EventResult<E>) | { ok: false; error: RequestError };

const OFFLINE: LocalError = { code: 'offline', message: 'not connected' };
const NO_ANSWER: LocalError = { code: 'no_answer', message: 'no answer from the server' };

/** Sends one event and resolves with its ack, or with the reason there is none. */
export async function request<E extends InboundEvent>(
  socket: LiveClient,
  event: E,
  payload: EventPayload<E>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Reply<E>> {
  // Socket.IO would buffer an offline emit and send it on reconnect, long after the person gave up on it.
  if (!socket.connected) return { ok: false, error: OFFLINE };
  // Socket.IO's typings cannot follow a generic event name through emitWithAck; the signature above keeps callers typed.
  const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Reply<E>> };
  try {
    return await timed.emitWithAck(event, payload);
  } catch {
    resync(socket);
    return { ok: false, error: NO_ANSWER };
  }
}
