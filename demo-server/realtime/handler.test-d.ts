/**
 * Type-level tests of the contract, compiled by `npm run typecheck` and
 * never run. Each `@ts-expect-error` line must fail to compile: if the
 * contract stopped catching that mistake, the unused directive would fail
 * the typecheck instead.
 */
import type { HandlerContext } from './handler.js';
import { defineHandler } from './handler.js';

declare const context: HandlerContext;

// What the contract's table allows compiles: payload fields and the ack's result are typed.
defineHandler(context, 'slide:set', async ({ h, v, f }) => ({ seq: h + v + f }));
defineHandler(context, 'chat:lock', async ({ locked }) => (locked ? {} : {}));
defineHandler(context, 'session:end', async () => ({ ended: 1, sessionId: 2 }));

// @ts-expect-error a misspelled event
defineHandler(context, 'slide:sett', async () => ({ seq: 1 }));

// @ts-expect-error an event from the server's side of the protocol
defineHandler(context, 'slide:changed', async () => ({}));

// @ts-expect-error an ack without its result
defineHandler(context, 'slide:set', async () => ({}));

// @ts-expect-error an ack result of the wrong type
defineHandler(context, 'slide:set', async () => ({ seq: 'one' }));

// @ts-expect-error another event's ack result
defineHandler(context, 'session:end', async () => ({ sessionId: 2 }));

// @ts-expect-error a payload field the event does not carry
defineHandler(context, 'chat:send', async ({ message }) => ({ message }));

defineHandler(context, 'question:vote', async ({ id, up }) => {
  // @ts-expect-error a payload field read as the wrong type: `up` is a boolean
  const votes: number = up;
  return { question: { id, authorId: '', name: '', text: '', votes, answered: false, hidden: false, pending: false, slide: { h: 0, v: 0 }, ts: 0 } };
});
