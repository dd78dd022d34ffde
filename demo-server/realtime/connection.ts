/**
 * Who is connecting: the handshake `auth` is parsed with its schema, a
 * presenter must prove the token (or is refused, never downgraded to
 * audience; wrong tokens from one address are slowed, then blocked), a
 * phone bringing a clientId its address has not used before spends one of
 * that address's new-client points, and each socket gets its identity in
 * `socket.data`.
 */
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { AudienceAuthSchema, HandshakeAuthSchema, type DriveRequest, type Snapshot, type SocketData } from '../../src/shared/protocol.js';
import type { TokenCheck } from '../presenter-token.js';
import type { ConnectionCaps } from './connection-caps.js';
import { AUDIENCE_ROOM, PRESENTER_ROOM, type LiveSocket } from './live-server.js';
import { guestName } from './names.js';
import { WireErrorException } from './wire-error.js';
import type { TalkRoom } from './talk-room.js';

export type ConnectError = Error & { data?: { code: string; retryAfterMs?: number } };

function connectError(code: 'invalid' | 'forbidden' | 'rate_limited' | 'internal', message: string, retryAfterMs?: number): ConnectError {
  const error: ConnectError = new Error(message);
  error.data = retryAfterMs === undefined ? { code } : { code, retryAfterMs };
  return error;
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/** A presenter's seat: screens with the same name (case aside), or all without one, drive together. */
export function seatOf(name: string | undefined): DriveRequest {
  return { seat: (name ?? '').toLocaleLowerCase('en'), name: name ?? '' };
}

export function createAuthMiddleware(room: TalkRoom, isPresenterToken: TokenCheck, logger: Logger, caps?: ConnectionCaps) {
  const admit = async (socket: LiveSocket, next: (error?: Error) => void) => {
    // `pid` and `offset` are Socket.IO's own recovery fields, sent when a recovery attempt failed.
    const raw: Record<string, unknown> = { ...(socket.handshake.auth as Record<string, unknown> | undefined) };
    delete raw.pid;
    delete raw.offset;
    // A bare client (no auth at all) is a phone.
    const auth = Object.keys(raw).length === 0 ? { role: 'audience' } : raw;
    const parsed = HandshakeAuthSchema.safeParse(auth);
    if (!parsed.success) return next(connectError('invalid', 'invalid handshake auth'));
    const ip = caps ? caps.addressOf(socket.request) : socket.handshake.address;
    if (parsed.data.role === 'presenter') {
      const verdict = await isPresenterToken.verify(parsed.data.token, ip);
      if (!verdict.ok) {
        // The IP is logged for refusals only: it is what an organiser needs to act on an attack.
        logger.warn({ ip, blocked: verdict.blockedForMs > 0 }, 'presenter handshake refused');
        return next(
          verdict.blockedForMs > 0
            ? connectError('rate_limited', `too many wrong tokens; try again in ${minutes(verdict.blockedForMs)} min`, verdict.blockedForMs)
            : connectError('forbidden', 'wrong presenter token'),
        );
      }
      const clientId = parsed.data.clientId ?? `presenter-${crypto.randomUUID()}`;
      const data: SocketData = {
        role: 'presenter',
        clientId,
        authorId: room.authorIdOf(clientId),
        name: 'Presenter',
        ip,
        presenterKey: verdict.fingerprint,
        seat: seatOf(parsed.data.name),
      };
      socket.data = data;
      if (parsed.data.name) await room.claimName(data, parsed.data.name);
      return next();
    }
    const clientId = parsed.data.clientId ?? crypto.randomBytes(12).toString('base64url');
    const admission = caps ? await caps.admitClient(ip, clientId) : ({ ok: true } as const);
    if (!admission.ok) {
      logger.warn({ ip }, 'new clientId refused: too many from this address');
      return next(connectError('rate_limited', 'too many new phones from your address; retrying shortly', admission.retryAfterMs));
    }
    const authorId = room.authorIdOf(clientId);
    socket.data = { role: 'audience', clientId, authorId, name: guestName(authorId), ip };
    // A remembered name that looks like the presenter's or someone else's in this session gives way to the guest name.
    if (parsed.data.name !== undefined) {
      const name = parsed.data.name;
      await room.claimName(socket.data, name).then(
        () => (socket.data.name = name),
        (refusal: unknown) => {
          if (!(refusal instanceof WireErrorException)) throw refusal;
        },
      );
    }
    if (parsed.data.lastChatId !== undefined) socket.data.lastChatId = parsed.data.lastChatId;
    next();
  };
  // Socket.IO ignores a middleware's promise: a rejection would go unhandled.
  return (socket: LiveSocket, next: (error?: Error) => void) => {
    admit(socket, next).catch((error: unknown) => {
      logger.error({ err: error }, 'handshake failed');
      next(connectError('internal', 'internal error'));
    });
  };
}

/** Rooms, presence and the snapshot; handlers are registered by the caller first. */
export async function welcome(socket: LiveSocket, room: TalkRoom, logger: Logger): Promise<void> {
  if (socket.data.role === 'presenter') await socket.join(PRESENTER_ROOM);
  else {
    await socket.join(AUDIENCE_ROOM);
    room.audienceJoined(socket);
  }
  if (socket.recovered) {
    // One process replays what a restored connection missed in the order it sent it: a snapshot would repeat it.
    if (!room.scaledOut) return;
    takeResumePoint(socket);
  }
  try {
    await room.caughtUp();
    sendSnapshot(socket, await room.snapshotFor(socket.data));
  } catch (error) {
    logger.error({ err: error }, 'snapshot failed');
    socket.disconnect(true);
  }
}

/**
 * Scaled out, a restored connection gets a snapshot too. Socket.IO replays
 * what the Redis stream holds after the offset of the last packet the phone
 * heard, which assumes it heard them in the stream's order. It need not
 * have: a process sends its own packets to its phones as soon as Redis has
 * appended them, and another process's, appended a moment earlier, only
 * once its stream reader has read them back. A phone that heard the newer
 * one and dropped before the older one arrived is restored past it (the
 * two-process soak's churned phone lacked a message this way). The snapshot
 * fills that gap: it carries the chat from a few ids before where the
 * phone's resumes (room-snapshots.ts), and the rest of the room as it is.
 *
 * A restored connection skipped the middleware: its data is the dropped
 * connection's, whose resume point is stale; this handshake has the phone's
 * current one.
 */
function takeResumePoint(socket: LiveSocket): void {
  if (socket.data.role !== 'audience') return;
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  const lastChatId = AudienceAuthSchema.shape.lastChatId.safeParse(auth?.lastChatId);
  if (lastChatId.success && lastChatId.data !== undefined) socket.data.lastChatId = lastChatId.data;
  else delete socket.data.lastChatId;
}

/** socket.io-parser's PacketType.EVENT, as it starts an encoded packet of the main namespace. */
const EVENT_PACKET = '2';

/**
 * Sends a snapshot without keeping it for connection state recovery. With
 * recovery on, Socket.IO hands every `socket.emit` to the adapter so that it
 * can be replayed after a drop: one process keeps each one in memory for two
 * minutes (a snapshot per phone that joined), and scaled out each one is
 * appended to the Redis stream, then read back and decoded by every process
 * (docs/performance.md). A snapshot needs neither: it describes the room as
 * it is, and a recovered connection is sent what it missed after it instead.
 * A phone that drops before its first snapshot arrives reconnects afresh for
 * one (src/lib/socket.ts).
 *
 * It is encoded here, as socket.io-parser would (`2["snapshot",{…}]` on the
 * main namespace): a snapshot is plain JSON, so the parser's walk over every
 * object looking for binary parts would find none, once per joining phone.
 */
function sendSnapshot(socket: LiveSocket, snapshot: Snapshot): void {
  // Socket.IO's own path for packets that bypass the adapter (acks, the connect packet); not in its typings.
  const client = socket.client as unknown as { _packet(packet: string, options: { preEncoded: true }): void };
  client._packet(encodeSnapshot(snapshot), { preEncoded: true });
}

/**
 * The JSON of chat histories storage shares between joins: the newest
 * messages come as one frozen array until the next commit (storage/sqlite.ts),
 * so a crowd joining a talk with a history encodes it once, not once per
 * phone (with 100 messages that was most of a join's cost; docs/performance.md).
 * Weakly held: an entry goes with the array it describes.
 */
const sharedChatJson = new WeakMap<Snapshot['chat'], string>();

/**
 * The JSON of the question views most phones share: a question a phone has
 * not voted for is one frozen view for every such phone (room-snapshots.ts).
 */
const sharedQuestionJson = new WeakMap<Snapshot['questions'][number], string>();

function questionsJson(questions: Snapshot['questions']): string {
  const parts = questions.map((question) => {
    if (!Object.isFrozen(question)) return JSON.stringify(question);
    let json = sharedQuestionJson.get(question);
    if (json === undefined) {
      json = JSON.stringify(question);
      sharedQuestionJson.set(question, json);
    }
    return json;
  });
  return `[${parts.join(',')}]`;
}

/** `2["snapshot",{…}]`, the history and the questions spliced in from their shared encodings when they are shared. */
export function encodeSnapshot(snapshot: Snapshot): string {
  // A phone resuming after a drop gets its own slice of the history; empty lists cost nothing: no sharing.
  const sharedChat = snapshot.chat.length > 0 && Object.isFrozen(snapshot.chat);
  if (!sharedChat && snapshot.questions.length === 0) return `${EVENT_PACKET}${JSON.stringify(['snapshot', snapshot])}`;
  const { chat, questions, ...rest } = snapshot;
  let chatJson = sharedChatJson.get(chat);
  if (chatJson === undefined) {
    chatJson = JSON.stringify(chat);
    if (sharedChat) sharedChatJson.set(chat, chatJson);
  }
  // `rest` is never empty (it carries the protocol version): its JSON opens with `{` and a field.
  return `${EVENT_PACKET}["snapshot",{"chat":${chatJson},"questions":${questionsJson(questions)},${JSON.stringify(rest).slice(1)}]`;
}
