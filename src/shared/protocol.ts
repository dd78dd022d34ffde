/**
 * The wire contract between the livedeck server and every browser surface.
 *
 * One module declares event names, payload schemas (zod), inferred types,
 * Socket.IO event maps and the closed list of error codes. The server parses
 * every inbound payload with these schemas; browsers import only types from
 * here (`import type`) so zod never reaches a phone bundle.
 * docs/protocol.md describes the same contract in prose.
 */
import { z } from 'zod';
import {
  CHAT_TEXT_MAX,
  CLIENT_ID_PATTERN,
  NAME_MAX,
  QUESTION_TEXT_MAX,
  REACTIONS,
  SLIDE_INDEX_MAX,
} from './limits.js';

export const PROTOCOL_VERSION = 1;

export const ERROR_CODES = [
  'invalid',
  'forbidden',
  'rate_limited',
  'not_found',
  'conflict',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Present with `rate_limited`: how long to wait before trying again. */
  retryAfterMs?: number;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError };
export type AckCallback<T extends object = object> = (reply: Ack<T>) => void;

// ---------------------------------------------------------------- text rules

/**
 * Characters refused in user text: C0/C1 controls (except tab and newline in
 * multi-line text), lone surrogates, and in names also zero-width and bidi
 * override characters, which let one guest impersonate another.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const INVISIBLE_OR_BIDI = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/;

const wellFormed = (value: string) => !LONE_SURROGATE.test(value);

/** Multi-line user text: trimmed, non-empty, bounded, no control characters. */
export const userText = (max: number) =>
  z
    .string()
    .refine(wellFormed, 'text is not valid Unicode')
    .transform((value) => value.trim())
    .pipe(
      z
        .string()
        .min(1, 'text is empty')
        .max(max, `text is longer than ${max} characters`)
        .refine((value) => !CONTROL_EXCEPT_NEWLINE.test(value), 'text contains control characters'),
    );

export const NameSchema = z
  .string()
  .refine(wellFormed, 'name is not valid Unicode')
  .transform((value) => value.trim())
  .pipe(
    z
      .string()
      .min(1, 'name is empty')
      .max(NAME_MAX, `name is longer than ${NAME_MAX} characters`)
      .refine(
        (value) => !/[\u0000-\u001F\u007F-\u009F]/.test(value) && !INVISIBLE_OR_BIDI.test(value),
        'name contains control, invisible or bidi characters',
      ),
  );

export const ClientIdSchema = z.string().regex(CLIENT_ID_PATTERN, 'clientId must be 8–64 of [A-Za-z0-9_-]');

const slideIndex = z.number().int().min(0).max(SLIDE_INDEX_MAX);
/** Reveal reports -1 (or nothing) for "no fragment shown yet". */
const fragmentIndex = z.number().int().min(-1).max(SLIDE_INDEX_MAX);

// ---------------------------------------------------------------- handshake

export const AudienceAuthSchema = z.strictObject({
  role: z.literal('audience'),
  clientId: ClientIdSchema.optional(),
  name: NameSchema.optional(),
  /** Highest chat/question event id the phone already holds, for resync. */
  lastEventId: z.number().int().min(0).optional(),
});
export const PresenterAuthSchema = z.strictObject({
  role: z.literal('presenter'),
  token: z.string().min(1).max(256),
  clientId: ClientIdSchema.optional(),
});
export const HandshakeAuthSchema = z.discriminatedUnion('role', [AudienceAuthSchema, PresenterAuthSchema]);
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;
export type Role = HandshakeAuth['role'];

// ---------------------------------------------------------------- slides

export const SlidePositionSchema = z.strictObject({
  h: slideIndex,
  v: slideIndex,
  f: fragmentIndex,
});
export type SlidePosition = z.infer<typeof SlidePositionSchema>;

export interface SlideState extends SlidePosition {
  /** Increases by one per change, so clients can drop stale events. */
  seq: number;
}

// ---------------------------------------------------------------- chat and questions

export const ChatSendSchema = z.strictObject({ text: userText(CHAT_TEXT_MAX) });
export const QuestionAskSchema = z.strictObject({ text: userText(QUESTION_TEXT_MAX) });
export const QuestionVoteSchema = z.strictObject({ id: z.number().int().min(1), up: z.boolean() });
export const QuestionAnswerSchema = z.strictObject({ id: z.number().int().min(1), answered: z.boolean() });
/** `hidden` defaults to true; false brings a hidden question back. */
export const QuestionHideSchema = z.strictObject({ id: z.number().int().min(1), hidden: z.boolean().optional() });
export const QuestionSpotlightSchema = z.strictObject({ id: z.number().int().min(1).nullable() });
export const NameSetSchema = z.strictObject({ name: NameSchema });
export const ReactionSendSchema = z.strictObject({ emoji: z.enum(REACTIONS) });
export const ChatDeleteSchema = z.strictObject({ id: z.number().int().min(1) });
export const BanSchema = z.strictObject({ authorId: z.string().min(1).max(64) });
export const ChatLockSchema = z.strictObject({ locked: z.boolean() });

export interface ChatMessage {
  id: number;
  /** Public, stable per person, never the clientId itself. */
  authorId: string;
  name: string;
  text: string;
  ts: number;
}

export interface Question {
  id: number;
  authorId: string;
  name: string;
  text: string;
  votes: number;
  answered: boolean;
  hidden: boolean;
  /** Slide the question was asked on. */
  slide: { h: number; v: number };
  ts: number;
}

/** A question as one viewer sees it: whether this viewer has voted. */
export interface QuestionView extends Question {
  voted?: boolean;
}

export interface ReactionBurst {
  /** Counts per emoji since the last burst (reactions are batched). */
  counts: Partial<Record<(typeof REACTIONS)[number], number>>;
}

// ---------------------------------------------------------------- snapshot

export interface Snapshot {
  protocol: number;
  role: Role;
  slide: SlideState;
  /** Newest messages, oldest first. */
  chat: ChatMessage[];
  questions: QuestionView[];
  spotlight: number | null;
  chatLocked: boolean;
  audience: number;
  /** This viewer's public identity. */
  me: { authorId: string; name: string };
  sessionId: number;
}

// ---------------------------------------------------------------- event maps

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  'slide:changed': (slide: SlideState) => void;
  'chat:message': (message: ChatMessage) => void;
  'chat:deleted': (payload: { id: number }) => void;
  'chat:locked': (payload: { locked: boolean }) => void;
  'question:updated': (question: Question) => void;
  'question:spotlight': (payload: { id: number | null }) => void;
  'reaction:burst': (burst: ReactionBurst) => void;
  'audience:count': (payload: { n: number }) => void;
  /** Sent to a banned client just before it is disconnected. */
  'client:banned': (payload: { message: string }) => void;
}

export interface ClientToServerEvents {
  'slide:set': (position: SlidePosition, ack?: AckCallback<{ seq: number }>) => void;
  'name:set': (payload: { name: string }, ack?: AckCallback<{ name: string }>) => void;
  'chat:send': (payload: { text: string }, ack?: AckCallback<{ message: ChatMessage }>) => void;
  'chat:delete': (payload: { id: number }, ack?: AckCallback) => void;
  'chat:lock': (payload: { locked: boolean }, ack?: AckCallback) => void;
  'question:ask': (payload: { text: string }, ack?: AckCallback<{ question: Question }>) => void;
  'question:vote': (payload: { id: number; up: boolean }, ack?: AckCallback<{ question: Question }>) => void;
  'question:answer': (payload: { id: number; answered: boolean }, ack?: AckCallback<{ question: Question }>) => void;
  'question:hide': (payload: { id: number; hidden?: boolean }, ack?: AckCallback<{ question: Question }>) => void;
  'question:spotlight': (payload: { id: number | null }, ack?: AckCallback) => void;
  'reaction:send': (payload: { emoji: string }, ack?: AckCallback) => void;
  'client:ban': (payload: { authorId: string }, ack?: AckCallback) => void;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Socket.IO's generic slot; no server-to-server events yet.
export interface InterServerEvents {}

export interface SocketData {
  role: Role;
  clientId: string;
  authorId: string;
  name: string;
  ip: string;
}

// ---------------------------------------------------------------- HTTP API shapes

/** One slide's public outline entry (titles help the console and Q&A). */
export interface SlideOutline {
  title: string;
}

/** GET /api/talk: the deck as every page renders it; no notes, no secrets. */
export interface PublicTalk {
  id: string;
  title: string;
  /** Minutes of presentation time. */
  duration: number;
  /** `<section>` elements for Reveal's `.slides` container. */
  deckHtml: string;
  /** Indexed [h][v] like Reveal. */
  outline: SlideOutline[][];
  join: { url: string; urls: string[]; qrSvg: string };
}

export interface SlideNotes {
  html: string;
  /** Relative share of the talk's time (from a `Pace: N` line), 1 by default. */
  pace: number;
}

/** GET /api/presenter/notes (Bearer token): speaker notes, [h][v]. */
export interface PresenterNotes {
  notes: SlideNotes[][];
}

/** Body of every HTTP error answer. */
export interface HttpError {
  error: { code: ErrorCode; message: string };
}
