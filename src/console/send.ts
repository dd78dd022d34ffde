/**
 * The console's requests: every presenter action waits for its ack, and a
 * refusal or a silence becomes a readable message in the console's error
 * box instead of a lost click.
 */
import { errorText } from '../lib/error-text';
import { request } from '../lib/request';
import type { LiveClient } from '../lib/socket';
import type { EventPayload, InboundEvent } from '../shared/protocol';

export type Send = <E extends InboundEvent>(event: E, payload: EventPayload<E>) => Promise<boolean>;

export function createSend(socket: LiveClient, onError: (message: string) => void): Send {
  return async (event, payload) => {
    const reply = await request(socket, event, payload);
    if (!reply.ok) onError(errorText(reply.error));
    return reply.ok;
  };
}
