/**
 * The one path every inbound event takes:
 * stopping? → role check → presenter token still current? → one payload →
 * size bound → schema → rate limit → banned? → handler → ack.
 *
 * Socket.IO has no error handling of its own in listeners, so a throw or a
 * rejected promise here becomes an `internal` ack and a log line, never a
 * process exit. An event sent without an ack callback is handled the same
 * way and its refusal is simply dropped. Events nobody registered get an
 * `invalid` ack (Socket.IO hands them to `onAny` listeners only).
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { PAYLOAD_BYTES_MAX } from '../../src/shared/limits.js';
import type {
  Ack,
  ClientToServerEvents,
  InterServerEvents,
  Role,
  ServerToClientEvents,
  SocketData,
  WireError,
} from '../../src/shared/protocol.js';
import { StorageUnavailableError } from '../storage/storage.js';
import type { EventGuards } from './event-guards.js';
import type { RateLimiters, RateLimitName } from './rate-limits.js';
import { WireErrorException } from './wire-error.js';

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface HandlerContext {
  logger: Logger;
  limiters: RateLimiters;
  /** Checks against current state (token rotation, bans, shutdown); the server always sets them. */
  guards?: EventGuards;
}

const knownEvents = new WeakMap<LiveSocket, Set<string>>();
const socketLoggers = new WeakMap<LiveSocket, Logger>();

/** One child logger per connection: every line carries its connection id, no personal data. */
export function connectionLogger(socket: LiveSocket, logger: Logger): Logger {
  let child = socketLoggers.get(socket);
  if (!child) {
    child = logger.child({ conn: socket.id, nsp: socket.nsp.name });
    socketLoggers.set(socket, child);
  }
  return child;
}

/**
 * Answers events this socket has no handler for with `invalid` (when they
 * carry an ack). Register after the handlers; an event named "error" or a
 * number is unknown too.
 */
export function refuseUnknownEvents(socket: LiveSocket, logger: Logger): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && knownEvents.get(socket)?.has(event)) return;
    connectionLogger(socket, logger).debug({ event: String(event).slice(0, 40) }, 'unknown event');
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    try {
      (ack as (reply: Ack) => void)({ ok: false, error: { code: 'invalid', message: 'unknown event' } });
    } catch (error) {
      connectionLogger(socket, logger).warn({ err: error }, 'ack failed');
    }
  });
}

export interface EventSpec<S extends z.ZodType, R extends object> {
  schema: S;
  /** Only this role may send the event; others get `forbidden` before anything else is looked at. */
  role?: Role;
  rateLimit?: RateLimitName;
  run: (payload: z.output<S>, socket: LiveSocket) => Promise<R>;
}

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
 * function rather than a closure made in `handle()`: handle() runs for every
 * event of every socket, and under tsx (esbuild keepNames) each named
 * closure also carries a renamed `name` property, about 300 bytes; at 10,000
 * phones the per-socket closures were a third of the server's memory per
 * phone (docs/performance.md).
 */
async function respond<S extends z.ZodType, R extends object>(
  socket: LiveSocket,
  context: HandlerContext,
  event: string,
  spec: EventSpec<S, R>,
  args: unknown[],
): Promise<void> {
  const { guards } = context;
  const logger = connectionLogger(socket, context.logger);
  const ack = typeof args.at(-1) === 'function' ? (args.pop() as (reply: Ack<R>) => void) : undefined;
  const reply = (value: Ack<R>) => {
    try {
      ack?.(value);
    } catch (error) {
      logger.warn({ event, err: error }, 'ack failed');
    }
  };
  const refuse = (error: WireError) => reply({ ok: false, error });
  try {
    if (guards?.stopping) return refuse({ code: 'unavailable', message: 'the server is restarting; try again in a moment' });
    if (spec.role && socket.data.role !== spec.role) {
      return refuse({ code: 'forbidden', message: `${event} is for the ${spec.role} only` });
    }
    if (socket.data.role === 'presenter' && guards && !guards.presenterHolds(socket.data)) {
      logger.warn({ event }, 'presenter token no longer current; disconnecting');
      refuse({ code: 'forbidden', message: 'the presenter token has changed; open the new presenter URL' });
      socket.disconnect(true);
      return;
    }
    if (args.length !== 1) return refuse({ code: 'invalid', message: 'expected exactly one payload object' });
    const payload = args[0];
    if (payloadTooLarge(payload)) return refuse({ code: 'invalid', message: `payload over ${PAYLOAD_BYTES_MAX} bytes` });
    const parsed = spec.schema.safeParse(payload);
    if (!parsed.success) return refuse({ code: 'invalid', message: firstIssue(parsed.error) });
    if (spec.rateLimit) await context.limiters.consume(spec.rateLimit, socket.data.clientId, socket.data.ip);
    if (socket.data.role !== 'presenter' && guards && (await guards.isBanned(socket.data.authorId))) {
      return refuse({ code: 'forbidden', message: 'you were removed from this talk' });
    }
    const result = await spec.run(parsed.data, socket);
    reply({ ok: true, ...result });
  } catch (error) {
    refuse(toWireError(error, logger, event));
  }
}

export function handle<S extends z.ZodType, R extends object>(
  socket: LiveSocket,
  context: HandlerContext,
  event: string,
  spec: EventSpec<S, R>,
): void {
  let known = knownEvents.get(socket);
  if (!known) knownEvents.set(socket, (known = new Set()));
  known.add(event);
  socket.on(event as keyof ClientToServerEvents, ((...args: unknown[]) => {
    const work = respond(socket, context, event, spec, args);
    context.guards?.inFlight.track(work);
  }) as never);
}
