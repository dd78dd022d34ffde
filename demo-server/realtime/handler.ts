/**
 * The one path every inbound event takes:
 * size bound → role check → schema → rate limit → handler → ack.
 *
 * Socket.IO has no error handling of its own in listeners, so a throw or a
 * rejected promise here becomes an `internal` ack and a log line, never a
 * process exit. An event sent without an ack callback is handled the same
 * way and its refusal is simply dropped.
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
import type { RateLimiters, RateLimitName } from './rate-limits.js';
import { WireErrorException } from './wire-error.js';

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface HandlerContext {
  logger: Logger;
  limiters: RateLimiters;
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

export function handle<S extends z.ZodType, R extends object>(
  socket: LiveSocket,
  context: HandlerContext,
  event: string,
  spec: EventSpec<S, R>,
): void {
  socket.on(event as keyof ClientToServerEvents, (async (...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (reply: Ack<R>) => void) : undefined;
    const reply = (value: Ack<R>) => {
      try {
        ack?.(value);
      } catch (error) {
        context.logger.warn({ event, err: error }, 'ack failed');
      }
    };
    const refuse = (error: WireError) => reply({ ok: false, error });
    try {
      if (spec.role && socket.data.role !== spec.role) {
        return refuse({ code: 'forbidden', message: `${event} is for the ${spec.role} only` });
      }
      if (args.length !== 1) return refuse({ code: 'invalid', message: 'expected exactly one payload object' });
      const payload = args[0];
      if (payloadTooLarge(payload)) return refuse({ code: 'invalid', message: `payload over ${PAYLOAD_BYTES_MAX} bytes` });
      const parsed = spec.schema.safeParse(payload);
      if (!parsed.success) return refuse({ code: 'invalid', message: firstIssue(parsed.error) });
      if (spec.rateLimit) await context.limiters.consume(spec.rateLimit, socket.data.clientId, socket.data.ip);
      const result = await spec.run(parsed.data, socket);
      reply({ ok: true, ...result });
    } catch (error) {
      refuse(toWireError(error, context.logger, event));
    }
  }) as never);
}
