/**
 * Type-level tests of the browser side of the contract, compiled by
 * `npm run typecheck` and never run: each `@ts-expect-error` line must fail
 * to compile, or the unused directive fails the typecheck.
 */
import { request } from './request';
import type { LiveClient } from './socket';

declare const socket: LiveClient;

export async function typed(): Promise<void> {
  const reply = await request(socket, 'chat:send', { text: 'hello' });
  if (reply.ok) {
    const id: number = reply.message.id;
    // @ts-expect-error chat:send's ack carries a message, not a question
    void reply.question;
    void id;
  } else {
    // Local failures and the server's error codes, one closed list.
    const code: 'offline' | 'no_answer' | 'invalid' | 'forbidden' | 'rate_limited' | 'not_found' | 'conflict' | 'unavailable' | 'internal' = reply.error.code;
    void code;
  }

  // @ts-expect-error a misspelled event
  await request(socket, 'chat:sned', { text: 'hello' });
  // @ts-expect-error a payload of another shape
  await request(socket, 'chat:send', { message: 'hello' });
  // @ts-expect-error a payload field missing (f)
  await request(socket, 'slide:set', { h: 1, v: 0 });
  // @ts-expect-error an emoji outside the contract's list
  await request(socket, 'reaction:send', { emoji: 'x' });
  // @ts-expect-error the plain emit is typed from the same table
  socket.emit('poll:vote', { poll: 'p', option: '1' });
}
