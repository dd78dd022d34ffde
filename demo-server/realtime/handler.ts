/**
 * The one path every inbound event takes:
 * stopping? → role check → presenter token still current? → one payload →
 * size bound → schema → rate limit → the room's stage allows it? → banned?
 * → handler → ack.
 *
 * Socket.IO has no error handling of its own in listeners, so a throw or a
 * rejected promise here becomes an `internal` ack and a log line, never a
 * process exit. An event sent without an ack callback is handled the same
 * way and its refusal is simply dropped. Events with no handler get an
 * `invalid` ack.
 *
 * Every handler is built once per server (`defineHandler`), and each socket
 * gets one shared dispatch listener (`createDispatcher`): nothing in this
 * path is allocated per socket at connect time.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { PAYLOAD_BYTES_MAX } from '../../src/shared/limits.js';
import {
  INBOUND_EVENTS,
  type Ack,
  type EventResult,
  type InboundEvent,
  type InboundSpec,
  type ParsedPayload,
  type WireError,
} from '../../src/shared/protocol.js';
import { StorageUnavailableError } from '../storage/storage.js';
import { stageRefusal, type EventGuards } from './event-guards.js';
import type { LiveSocket } from './live-server.js';
import type { RateLimiters } from './rate-limits.js';
import { WireErrorException, wireRefusal } from './wire-error.js';

export interface HandlerContext {
  logger: Logger;
  limiters: RateLimiters;
  /** Checks against current state (token rotation, bans, shutdown); the server always sets them. */
  guards?: EventGuards;
}

const socketLoggers = new WeakMap<LiveSocket, Logger>();

/**
 * One child logger per connection: every line carries its connection id, no
 * personal data. Made on the first line a connection actually logs, not at
 * connect: an idle phone never logs, and a pino child is a few hundred bytes
 * of server memory per phone (docs/performance.md).
 */
export function connectionLogger(socket: LiveSocket, logger: Logger): Logger {
  let child = socketLoggers.get(socket);
  if (!child) {
    child = logger.child({ conn: socket.id, nsp: socket.nsp.name });
    socketLoggers.set(socket, child);
  }
  return child;
}

/**
 * A listener for one event, shared by every socket: Socket.IO calls it with
 * `this` bound to the socket that sent the event (its `onAny` listeners and
 * its EventEmitter both do).
 */
export type EventListener = (this: LiveSocket, ...args: unknown[]) => void;
export type HandlerEntry = readonly [event: InboundEvent, listener: EventListener];

/**
 * A socket whose events keep being refused (malformed, unknown, not its to
 * send, over its limits) is a script, not a phone: past this many refusals
 * within REFUSAL_WINDOW_MS it is disconnected, so it stops costing the
 * server a parse and an answer per event. A phone that taps faster than a
 * rate limit sees a few refusals a second, far below it.
 */
export const REFUSALS_BEFORE_DISCONNECT = 200;
export const REFUSAL_WINDOW_MS = 10_000;
const refusals = new WeakMap<LiveSocket, { count: number; since: number }>();

function noteRefusal(socket: LiveSocket, logger: Logger, code: WireError['code']): void {
  // The server's own trouble (storage, shutting down) is no sign of a script.
  if (code === 'unavailable' || code === 'internal') return;
  const now = Date.now();
  let entry = refusals.get(socket);
  if (!entry || now - entry.since > REFUSAL_WINDOW_MS) refusals.set(socket, (entry = { count: 0, since: now }));
  if (++entry.count !== REFUSALS_BEFORE_DISCONNECT) return;
  connectionLogger(socket, logger).warn({ ip: socket.data.ip, refused: entry.count }, 'too many refused events; disconnecting');
  socket.disconnect(true);
}

function refuseUnknown(socket: LiveSocket, logger: Logger, event: unknown, args: unknown[]): void {
  noteRefusal(socket, logger, 'invalid');
  if (logger.isLevelEnabled('debug')) {
    connectionLogger(socket, logger).debug({ event: String(event).slice(0, 40) }, 'unknown event');
  }
  const ack = args.at(-1);
  if (typeof ack !== 'function') return;
  try {
    (ack as (reply: Ack) => void)({ ok: false, error: wireRefusal('unknown_event', 'unknown event') });
  } catch (error) {
    connectionLogger(socket, logger).warn({ err: error }, 'ack failed');
  }
}

/**
 * The one listener every socket of a namespace gets (`socket.onAny(dispatch)`),
 * built once per server: it looks the event up in the table and runs its
 * handler, and answers events with no handler with `invalid` (when they carry
 * an ack); an event named "error" or a number is unknown too. One shared
 * listener instead of one `socket.on` per event keeps the per-phone cost of
 * ~25 events at one array slot (docs/performance.md). Socket.IO calls `onAny`
 * listeners for every event packet of a connected socket; the reserved names
 * (connect, disconnect, …) never reach it, its parser refuses them.
 */
export function createDispatcher(entries: Iterable<HandlerEntry>, logger: Logger): (this: LiveSocket, event: unknown, ...args: unknown[]) => void {
  const table = new Map<string, EventListener>();
  for (const [event, listener] of entries) {
    if (table.has(event)) throw new Error(`two handlers for ${event}`);
    table.set(event, listener);
  }
  return function dispatch(this: LiveSocket, event: unknown, ...args: unknown[]): void {
    const listener = typeof event === 'string' ? table.get(event) : undefined;
    if (listener) listener.apply(this, args);
    else refuseUnknown(this, logger, event, args);
  };
}

/**
 * What an event does once its payload passed every check: its schema, role
 * and rate limit come from the contract's table (INBOUND_EVENTS), its
 * result is what the ack carries.
 */
export type EventRun<E extends InboundEvent> = (payload: ParsedPayload<E>, socket: LiveSocket) => Promise<EventResult<E>>;

function payloadTooLarge(payload: unknown): boolean {
  try {
    const json = JSON.stringify(payload);
    return json !== undefined && Buffer.byteLength(json) > PAYLOAD_BYTES_MAX;
  } catch {
    return true; // cycles or BigInt cannot come from JSON; refuse rather than guess
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid payload';
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

export function toWireError(error: unknown, logger: Logger, event: string): WireError {
  if (error instanceof WireErrorException) return error.toWire();
  if (error instanceof StorageUnavailableError) {
    logger.error({ event, err: error.message }, 'storage unavailable');
    return { code: 'unavailable', message: 'storage is unavailable; try again shortly' };
  }
  logger.error({ event, err: error }, 'handler failed');
  return { code: 'internal', message: 'internal error' };
}

/**
 * Runs one inbound event through the checks and the handler. A module-level
 * function taking the socket, so that one listener per event serves every
 * socket: per-socket closures and specs were a third of the server's memory
 * per phone at 10,000 phones (docs/performance.md).
 */
async function respond(
  socket: LiveSocket,
  context: HandlerContext,
  event: InboundEvent,
  spec: InboundSpec,
  run: (payload: unknown, socket: LiveSocket) => Promise<object>,
  args: unknown[],
): Promise<void> {
  const { guards } = context;
  const ack = typeof args.at(-1) === 'function' ? (args.pop() as (reply: Ack) => void) : undefined;
  const reply = (value: Ack) => {
    try {
      ack?.(value);
    } catch (error) {
      connectionLogger(socket, context.logger).warn({ event, err: error }, 'ack failed');
    }
  };
  const refuse = (error: WireError) => {
    reply({ ok: false, error });
    noteRefusal(socket, context.logger, error.code);
  };
  try {
    if (guards?.stopping) return refuse({ code: 'unavailable', message: 'the server is restarting; try again in a moment' });
    if (spec.role !== 'any' && socket.data.role !== spec.role) {
      return refuse(wireRefusal('wrong_role', `${event} is for the ${spec.role} only`));
    }
    if (socket.data.role === 'presenter' && guards && !guards.presenterHolds(socket.data)) {
      connectionLogger(socket, context.logger).warn({ event }, 'presenter token no longer current; disconnecting');
      refuse(wireRefusal('token_changed', 'the presenter token has changed; open the new presenter URL'));
      socket.disconnect(true);
      return;
    }
    if (args.length !== 1) return refuse(wireRefusal('bad_payload', 'expected exactly one payload object'));
    const payload = args[0];
    if (payloadTooLarge(payload)) return refuse(wireRefusal('bad_payload', `payload over ${PAYLOAD_BYTES_MAX} bytes`));
    const parsed = spec.schema.safeParse(payload);
    if (!parsed.success) return refuse(wireRefusal('bad_payload', firstIssue(parsed.error)));
    await context.limiters.consume(spec.rateLimit, socket.data.clientId, socket.data.ip);
    // Most events need an open session: after the talk ended (the handout), or with no talk live, they are `conflict`.
    const outOfStage = guards && stageRefusal(spec, guards.stage());
    if (outOfStage) return refuse(outOfStage);
    if (socket.data.role !== 'presenter' && guards && (await guards.isBanned(socket.data.authorId))) {
      return refuse(wireRefusal('removed', 'you were removed from this talk'));
    }
    const result = await run(parsed.data, socket);
    reply({ ok: true, ...result });
  } catch (error) {
    // A refusal the handler chose needs no log line, so no child logger either.
    refuse(error instanceof WireErrorException ? error.toWire() : toWireError(error, connectionLogger(socket, context.logger), event));
  }
}

/**
 * Builds the listener for one event of the contract's table, once per
 * server; `run` gets the socket as an argument, so nothing here is made per
 * socket. The event name, the payload `run` receives and the result it
 * must return are all typed from INBOUND_EVENTS: a misspelled event or a
 * wrong ack shape does not compile (handler.test-d.ts).
 */
export function defineHandler<E extends InboundEvent>(context: HandlerContext, event: E, run: EventRun<E>): HandlerEntry {
  const spec: InboundSpec = INBOUND_EVENTS[event];
  const untyped = run as (payload: unknown, socket: LiveSocket) => Promise<object>;
  const listener: EventListener = function (this: LiveSocket, ...args: unknown[]) {
    const work = respond(this, context, event, spec, untyped, args);
    context.guards?.inFlight.track(work);
  };
  return [event, listener];
}
