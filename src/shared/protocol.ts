/**
 * The wire contract between the livedeck server and every browser surface.
 *
 * One module declares the events, their payload schemas (zod), inferred
 * types, Socket.IO event maps, HTTP shapes and the closed list of error
 * codes. Every event a client may send is one entry of `INBOUND_EVENTS`
 * (schema, who may send it, its rate limit, what its ack carries), and
 * `ClientToServerEvents` is derived from that table, so the server's
 * handlers and the browsers' requests cannot disagree with it and still
 * compile. The server parses every inbound payload with these schemas;
 * browsers import only types from here (`import type`), so zod never
 * reaches a phone bundle; the values they need live in the zod-free
 * limits.ts and protocol-version.ts. docs/protocol.md says the same in prose.
 */
import { z } from 'zod';
import {
  CHAT_TEXT_MAX,
  CLIENT_ID_PATTERN,
  NAME_MAX,
  PAUSE_MESSAGE_MAX,
  POLL_ID_PATTERN,
  QUESTION_TEXT_MAX,
  REACTIONS,
  SLIDE_INDEX_MAX,
  TEXT_ANSWER_MAX,
  VOTE_OPTION_MAX,
  WORD_TEXT_MAX,
  type Reaction,
} from './limits.js';

export { PROTOCOL_VERSION } from './protocol-version.js';

export const ERROR_CODES = ['invalid', 'forbidden', 'rate_limited', 'not_found', 'conflict', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Why a broad refusal (`invalid`, `forbidden`, `not_found`, `conflict`, and
 * one `rate_limited` that waits on a person, not on time) happened: a key each screen words in its own language (`refusal.<reason>`
 * in src/i18n), filled from `params`. `message` stays the English detail for
 * logs, tools and pages that predate a reason. Each reason belongs to one
 * code; this table is that mapping, and the closed list of reasons.
 */
export const REFUSALS = {
  // The room's stage and the sender (handler.ts, event-guards.ts)
  unknown_event: 'invalid',
  bad_payload: 'invalid',
  wrong_role: 'forbidden',
  token_changed: 'forbidden',
  removed: 'forbidden',
  no_live_talk: 'conflict',
  talk_ended: 'conflict',
  // Slides and driving
  no_slide: 'invalid',
  no_fragment: 'invalid',
  other_driver: 'conflict',
  unnamed_driver: 'conflict',
  not_driving: 'conflict',
  other_asker: 'conflict',
  nobody_asking: 'conflict',
  // Names
  name_presenter: 'forbidden',
  name_guest: 'forbidden',
  name_taken: 'conflict',
  // Chat, questions and moderation
  chat_locked: 'forbidden',
  no_message: 'not_found',
  no_question: 'not_found',
  question_approved: 'conflict',
  question_refused: 'conflict',
  question_quota: 'forbidden',
  not_held: 'not_found',
  /** Not a rate: the sender waits for the presenter's approval, not for time to pass. */
  held_full: 'rate_limited',
  // Reactions, polls, words, answers, the race
  no_reaction: 'invalid',
  no_poll: 'invalid',
  wrong_poll_kind: 'invalid',
  no_option: 'invalid',
  poll_closed: 'forbidden',
  network_votes: 'forbidden',
  word_removed: 'forbidden',
  word_repeated: 'conflict',
  word_punctuation: 'invalid',
  words_per_person: 'conflict',
  answers_per_person: 'conflict',
  poll_full: 'conflict',
  no_answer: 'not_found',
  race_off_screen: 'forbidden',
  // HTTP (the sessions page)
  no_talk: 'not_found',
  talk_broken: 'conflict',
} as const satisfies Record<string, ErrorCode>;
export type RefusalReason = keyof typeof REFUSALS;
/** What a refusal's words need: a question's id, a count, a name, a slide. */
export type RefusalParams = Record<string, string | number>;

export interface WireError {
  code: ErrorCode;
  message: string;
  /** Present with `rate_limited`: how long to wait before trying again. */
  retryAfterMs?: number;
  /** Present with most broad refusals: why, for the screen to say in its language. */
  reason?: RefusalReason;
  params?: RefusalParams;
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

/** Bidi overrides, embeddings and isolates: "click \u202Egnp.exe" shows as "click exe.png". Plain RTL text needs none. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
/** More combining marks on one character than any script needs (emoji sequences and Vietnamese use at most a few). */
export const COMBINING_MARKS_MAX = 4;
const STACKED_MARKS = new RegExp(`\\p{M}{${COMBINING_MARKS_MAX + 1},}`, 'u');

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
        .refine((value) => !CONTROL_EXCEPT_NEWLINE.test(value), 'text contains control characters')
        .refine((value) => !BIDI_CONTROL.test(value), 'text contains bidi override characters')
        .refine((value) => !STACKED_MARKS.test(value), `text stacks more than ${COMBINING_MARKS_MAX} combining marks on one character`),
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
      .refine((value) => !/[\u0000-\u001F\u007F-\u009F]/.test(value) && !INVISIBLE_OR_BIDI.test(value), 'name contains control, invisible or bidi characters')
      .refine((value) => !STACKED_MARKS.test(value), `name stacks more than ${COMBINING_MARKS_MAX} combining marks on one character`),
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
  /** Highest chat message id the phone already holds: the snapshot then carries what it missed. */
  lastChatId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export const PresenterAuthSchema = z.strictObject({
  role: z.literal('presenter'),
  token: z.string().min(1).max(256),
  clientId: ClientIdSchema.optional(),
  /** Shown as who is driving. Screens with the same name (or none) are one seat: they drive together. */
  name: NameSchema.optional(),
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
/** A page of the question list, from `offset` in the pages' order (a join carries only the top ones). */
export const QuestionListSchema = z.strictObject({ offset: z.number().int().min(0).max(1_000_000) });
export const QuestionSpotlightSchema = z.strictObject({ id: z.number().int().min(1).nullable() });
export const NameSetSchema = z.strictObject({ name: NameSchema });
export const ReactionSendSchema = z.strictObject({ emoji: z.enum(REACTIONS) });
export const ChatDeleteSchema = z.strictObject({ id: z.number().int().min(1) });
export const BanSchema = z.strictObject({ authorId: z.string().min(1).max(64) });
/** Trusts a held person (HeldPerson) for the rest of the session: what they sent meanwhile goes to the room. */
export const HoldApproveSchema = z.strictObject({ authorId: z.string().min(1).max(64) });
export const ChatLockSchema = z.strictObject({ locked: z.boolean() });
/** `session:start` and `session:end` carry nothing: the server knows which session is open. */
export const SessionControlSchema = z.strictObject({});

// ---------------------------------------------------------------- live polls and the race

const PollIdSchema = z.string().regex(POLL_ID_PATTERN, 'poll must be a poll id from the talk');
/**
 * `option` is an index into the poll's `data-options`, or for a scale the
 * value's position from `data-min` (1–5: option 0 is 1); the server checks
 * it against the talk.
 */
export const PollVoteSchema = z.strictObject({
  poll: PollIdSchema,
  option: z.number().int().min(0).max(VOTE_OPTION_MAX),
});
/** Every kind of poll: choice, scale, word cloud, open text. */
export const PollResetSchema = z.strictObject({ poll: PollIdSchema });
export const PollCloseSchema = z.strictObject({ poll: PollIdSchema, closed: z.boolean() });

/** A choice poll's or a scale's counts. */
export interface PollResults {
  poll: string;
  /** Votes per option (a scale: per value, from data-min up). */
  counts: number[];
  total: number;
  closed: boolean;
}

/** A poll as one viewer sees it: which option this viewer picked, if any. */
export interface PollView extends PollResults {
  mine: number | null;
}

// ---------------------------------------------------------------- word clouds and open text

/** One entry of a word cloud: 1–32 characters after trimming, not only punctuation (checked by the server). */
export const WordSubmitSchema = z.strictObject({
  poll: PollIdSchema,
  text: userText(WORD_TEXT_MAX).refine((text) => !/[\n\t]/.test(text), 'a word is one line'),
});
/** Removes a word (by its key) from the cloud, or brings it back. */
export const WordHideSchema = z.strictObject({
  poll: PollIdSchema,
  key: z
    .string()
    .min(1)
    .max(WORD_TEXT_MAX * 4),
  hidden: z.boolean(),
});
export const TextSubmitSchema = z.strictObject({ poll: PollIdSchema, text: userText(TEXT_ANSWER_MAX) });
export const TextHideSchema = z.strictObject({ poll: PollIdSchema, id: z.number().int().min(1), hidden: z.boolean() });
/** What the projector and phones show of an open-text poll: nothing (the default), one answer, or the list. */
export const TextShowSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('none') }),
  z.strictObject({ mode: z.literal('one'), id: z.number().int().min(1) }),
  z.strictObject({ mode: z.literal('list') }),
]);
export type TextShow = z.infer<typeof TextShowSchema>;
export const TextShowEventSchema = z.strictObject({ poll: PollIdSchema, show: TextShowSchema });

/** A word of the cloud: counted under `key` (src/shared/words.ts), shown as the form most people typed. */
export interface CloudWord {
  key: string;
  text: string;
  count: number;
}

export interface WordCloud {
  poll: string;
  /** The most frequent words (up to CLOUD_WORDS_SHOWN), most frequent first. */
  words: CloudWord[];
  /** Entries counted (removed words and hidden entries left out). */
  total: number;
  /** Every entry stored, removed and hidden ones included: 0 after a reset. */
  entries: number;
  closed: boolean;
  /** Presenters only: the words the presenter removed, with what they would count. */
  removed?: CloudWord[];
}

/** One of this viewer's own words. */
export interface MyWord {
  key: string;
  text: string;
}

export interface CloudView extends WordCloud {
  mine: MyWord[];
}

/** An answer as the room sees it once the presenter shows it: no name. */
export interface ShownAnswer {
  id: number;
  /** Lets a phone mark its own answer. */
  authorId: string;
  text: string;
}

/** An answer as its author and the presenters see it. */
export interface TextAnswer extends ShownAnswer {
  poll: string;
  name: string;
  hidden: boolean;
  ts: number;
}

/** What everyone sees of an open-text poll. */
export interface TextBoard {
  poll: string;
  closed: boolean;
  show: TextShow;
  /** Answers that are not hidden. */
  count: number;
  /** Every answer stored, hidden ones included: 0 after a reset. */
  entries: number;
  /** What is shown: the one answer, or the newest answers of the list (up to TEXT_ANSWERS_SHOWN); empty otherwise. */
  shown: ShownAnswer[];
}

export interface TextView extends TextBoard {
  /** This viewer's own answers. */
  mine: TextAnswer[];
  /** Presenters only: every answer, hidden ones included, oldest first. */
  answers?: TextAnswer[];
}

/** A ping carries nothing: who sent it and when are the server's to say. */
export const RacePingSchema = z.strictObject({});

/** One ping of the race demo (in memory only: demo traffic, not session data). */
export interface RaceMessage {
  /** From the clock, in tenths of a millisecond, so pings from several processes share one order; increasing. */
  id: number;
  /** Server clock (ms since the epoch, to 0.1 ms) when the ping was accepted: the panes measure delay from it. */
  ts: number;
  name: string;
}

/** First event on the `/race` namespace: the push pane's own handshake, measured by the server. */
export interface RaceHello {
  /** Newest race message id when this connection opened. */
  last: number;
  /** Bytes of the WebSocket upgrade request the server received and of its 101 answer. */
  handshake: { request: number; response: number };
}

// ---------------------------------------------------------------- presenter console

export const TimerControlSchema = z.strictObject({ action: z.enum(['start', 'pause', 'reset']) });
export const ScreenBlankSchema = z.strictObject({ blank: z.boolean() });
/** A message (or nothing: each screen then shows its own "Back in a moment") pauses the phones; null resumes. */
export const FollowPauseSchema = z.strictObject({ message: userText(PAUSE_MESSAGE_MAX).nullable().optional() });
/** A phone's view of the pace; null takes its vote back. */
export const PaceVoteSchema = z.strictObject({ dir: z.enum(['slower', 'faster']).nullable() });
export type PaceDirection = 'slower' | 'faster';

/**
 * The talk timer in server clock time. Elapsed = accumulatedMs, plus
 * (now − startedAt) while running; src/shared/pacing.ts does the arithmetic.
 */
export interface TimerState {
  startedAt: number | null;
  accumulatedMs: number;
  running: boolean;
}

/** The phones' follow is paused with this message on every screen; without one, each screen says its own default in its language. */
export interface FollowPause {
  message?: string;
}

export interface ScreenState {
  /** The projector shows black. */
  blank: boolean;
  paused: FollowPause | null;
}

/** Live "slower"/"faster" votes (one per person, each counted for a minute). */
export interface PaceBalance {
  slower: number;
  faster: number;
}

export interface ChatMessage {
  id: number;
  /** Public, stable per person, never the clientId itself. */
  authorId: string;
  name: string;
  text: string;
  ts: number;
  /** Sent from a presenter screen: shown with a badge no audience name can produce. Absent otherwise. */
  presenter?: true;
  /** Only in its sender's ack: the message waits for the presenter's approval (HeldPerson); its id is not a chat id. */
  held?: true;
}

export interface Question {
  id: number;
  authorId: string;
  name: string;
  text: string;
  votes: number;
  answered: boolean;
  hidden: boolean;
  /** Held for the presenter's approval (review mode): only presenters and its asker see it. */
  pending: boolean;
  /** Slide the question was asked on. */
  slide: { h: number; v: number };
  ts: number;
}

/** A question as one viewer sees it: whether this viewer has voted. */
export interface QuestionView extends Question {
  voted?: boolean;
}

// ---------------------------------------------------------------- co-presenters

/** A presenter seat: one person's screens (projector, console, phone clicker), named alike or all unnamed. */
export interface DriveRequest {
  /** The name, case-folded; '' for screens without a name. */
  seat: string;
  /** As typed; '' shows as "Presenter". */
  name: string;
}

/** The seat whose moves every screen follows. */
export interface Driver extends DriveRequest {
  /** Server clock when its last screen left; null while one is connected. After DRIVER_TAKEOVER_MS another seat may take over. */
  goneSince: number | null;
}

export interface DriveState {
  driver: Driver | null;
  /** Another seat asking the driver to hand over. */
  asking: DriveRequest | null;
}

export const DriveAskSchema = z.strictObject({});
/** `to`: the seat that asked, as the driver saw it (a different asker in between is a `conflict`). */
export const DriveAnswerSchema = z.strictObject({ to: z.string().max(NAME_MAX) });

// ---------------------------------------------------------------- room health

/** A sampled phone says when it drew a live slide: `drawMs` from receiving `slide:changed` to the frame that shows it. */
export const SlideShownSchema = z.strictObject({
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  drawMs: z.number().min(0).max(60_000),
});
/** A phone looking back at earlier slides (true) or following live again (false). */
export const FollowStateSchema = z.strictObject({ behind: z.boolean() });

/** What the console shows about the room, measured from the phones (presenters only). */
export interface RoomHealth {
  phones: number;
  /** Presenter's move → phones' screens, over the recent sampled reports; null before any. */
  latency: { p50: number; p95: number; samples: number } | null;
  /** Phones (people) that reconnected within the last minute. */
  reconnected: number;
  /** Phones looking back at earlier slides. */
  behind: number;
  /** Transports of the slowest tenth of the recent reports. */
  slowest: { websocket: number; polling: number };
}

// ---------------------------------------------------------------- moderation

/** Presenters only: a question or poll where one network address holds an unusual share of the votes. */
export interface UnusualVotes {
  kind: 'question' | 'poll';
  /** The question's id (as text) or the poll's id. */
  id: string;
  /** Votes from the address holding the most. */
  fromOneAddress: number;
  total: number;
  /** How many addresses voted on it. */
  addresses: number;
}

export const ModerationReviewSchema = z.strictObject({ review: z.boolean() });
/** Review mode: `approve` shows a held question to the room; a refusal hides it. */
export const QuestionReviewSchema = z.strictObject({ id: z.number().int().min(1), approve: z.boolean() });

/**
 * Someone first seen after a ban marked their address (a private tab of the
 * banned person, or a neighbour on their network): what they send waits for
 * the presenter. Their questions wait as `pending`.
 */
export interface HeldPerson {
  authorId: string;
  name: string;
  /** Oldest first. */
  chat: ChatMessage[];
  /** Oldest first. */
  questions: Question[];
}

export interface ReactionBurst {
  /** Counts per emoji since the last burst (reactions are batched). */
  counts: Partial<Record<(typeof REACTIONS)[number], number>>;
}

// ---------------------------------------------------------------- batches to phones

/**
 * What phones hear of the room's traffic: everything new since the last
 * batch, in one frame (`room:batch`), at most one per window (0 ms in a
 * small room, up to 250 ms at 10,000 phones; docs/protocol.md, "Batches").
 * Each part stands for the event of the same meaning, which presenter
 * screens still receive one by one; a client applies the parts in the order
 * listed here. Absent parts did not change. `rev` (see Revised) is the
 * newest revision of the state parts (all but reactions and the count):
 * each of them is ordered against a snapshot by it.
 */
export interface RoomBatch extends Revised {
  /** New messages (`chat:message`), oldest first. */
  chat?: ChatMessage[];
  /** Questions that changed (`question:updated`, the latest state of each), oldest change first. */
  questions?: Question[];
  /** The number of hidden questions (`questions:hidden`). */
  hidden?: number;
  /** Polls whose results changed (`poll:results`, the latest of each). */
  polls?: PollResults[];
  /** Word clouds that changed (`words:cloud`, the latest of each). */
  clouds?: WordCloud[];
  /** Open-text boards that changed (`text:board`, the latest of each). */
  boards?: TextBoard[];
  /** Reactions since the last batch (`reaction:burst`). */
  reactions?: ReactionBurst['counts'];
  /** Phones in the room (`audience:count`). */
  audience?: number;
}

// ---------------------------------------------------------------- revisions

/**
 * When the server read or committed a piece of room state: microseconds of
 * its wall clock, bumped past the last one its process gave (a hybrid
 * clock: demo-server/realtime/revisions.ts), so it orders every process's
 * changes without a shared counter. A snapshot carries the revision taken
 * before its first read; the state events screens apply carry theirs
 * (optional: an event without one is applied as it comes), phones' batches
 * one for all the state they carry (RoomBatch). A store
 * (src/lib/revision-log.ts) drops a snapshot older than the one it applied,
 * skips an event no newer than its snapshot (the snapshot holds it), and
 * re-applies over a snapshot the events it heard with a later revision.
 */
export interface Revised {
  rev?: number;
}

// ---------------------------------------------------------------- snapshot

export interface Snapshot extends Revised {
  protocol: number;
  role: Role;
  /**
   * The live talk of the series (null: none is, the presenter picks one).
   * A page showing another talk loads this one: the presenter switched.
   */
  talkId: string | null;
  /** The session has ended: phones show its handout (`GET /api/handout/:sessionId`) until the next session starts. */
  ended: boolean;
  slide: SlideState;
  /** Newest messages, oldest first. */
  chat: ChatMessage[];
  /** The top questions (QUESTIONS_IN_SNAPSHOT for phones), this viewer's own and the spotlighted one; `question:list` pages through the rest. */
  questions: QuestionView[];
  /** How many questions this viewer could see in all. */
  questionsTotal: number;
  spotlight: number | null;
  chatLocked: boolean;
  audience: number;
  /** This viewer's public identity. */
  me: { authorId: string; name: string };
  /** The session on the screens (open, or ended); 0 while no talk is live. */
  sessionId: number;
  timer: TimerState;
  /** The server's clock when the snapshot was made, so clients can read `timer` against it. */
  serverNow: number;
  blank: boolean;
  paused: FollowPause | null;
  /** The room's pace votes; presenters only. */
  pace?: PaceBalance;
  /** Every choice poll and scale of the talk, with this viewer's own vote. */
  polls: PollView[];
  /** How many questions the presenter hid (phones say so instead of letting them vanish). */
  hiddenQuestions: number;
  /** New questions wait for the presenter's approval. */
  review: boolean;
  /** Presenters only: who drives, who asks, and this screen's own seat. */
  drive?: DriveState & { you: DriveRequest; takeOverMs: number };
  /** Presenters only: the room as the phones report it. */
  health?: RoomHealth;
  /** Presenters only: questions and polls with an unusual share of votes from one address. */
  unusualVotes?: UnusualVotes[];
  /** Presenters only: the people waiting for approval (HeldPerson), longest waiting first. */
  held?: HeldPerson[];
  /** A held phone only: its own messages waiting for the presenter, oldest first. */
  waiting?: ChatMessage[];
  /** Every word cloud of the talk, with this viewer's own words. */
  clouds: CloudView[];
  /** Every open-text poll of the talk, with this viewer's own answers. */
  texts: TextView[];
  /** Whether a presenter screen is connected (later changes: `presenter:status`). */
  presenterOnline: boolean;
}

// ---------------------------------------------------------------- event maps

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  'slide:changed': (slide: SlideState & Revised) => void;
  'chat:message': (message: ChatMessage & Revised) => void;
  'chat:deleted': (payload: { id: number } & Revised) => void;
  'chat:locked': (payload: { locked: boolean } & Revised) => void;
  'question:updated': (question: Question & Revised) => void;
  'question:spotlight': (payload: { id: number | null } & Revised) => void;
  'reaction:burst': (burst: ReactionBurst) => void;
  'audience:count': (payload: { n: number }) => void;
  /** Sent to a banned person's phones just before the server disconnects them. */
  'client:banned': (payload: { message: string }) => void;
  /** Presenters only; `serverNow` lets each screen correct for its own clock. */
  'timer:changed': (payload: { timer: TimerState; serverNow: number } & Revised) => void;
  'screen:changed': (payload: ScreenState & Revised) => void;
  /** Presenters only, at most once a second. */
  'pace:balance': (balance: PaceBalance) => void;
  /** Throttled: at most a few per second per poll. */
  'poll:results': (results: PollResults & Revised) => void;
  /** Throttled like poll:results; presenters' copy also lists the removed words. Phones get it in room:batch. */
  'words:cloud': (cloud: WordCloud & Revised) => void;
  /** After any change to what the room sees of an open-text poll; throttled. Phones get it in room:batch. */
  'text:board': (board: TextBoard & Revised) => void;
  /** Presenters only: a new or changed answer. */
  'text:answer': (answer: TextAnswer & Revised) => void;
  /** On the `/race` namespace only (the race widget's push pane). */
  'race:hello': (hello: RaceHello) => void;
  'race:message': (message: RaceMessage) => void;
  /** Whether a presenter screen is connected; phones show "presenter reconnecting" while it is not. */
  'presenter:status': (payload: { online: boolean }) => void;
  /** The server is shutting down (a restart or a deploy): the connection drops next and the client reconnects. */
  'server:restarting': (payload: Record<string, never>) => void;
  /** Presenters only: the driver or the seat asking changed. */
  'drive:changed': (drive: DriveState & Revised) => void;
  /** Presenters only, at most every 2 s while it changes. */
  'room:health': (health: RoomHealth) => void;
  /** To everyone, when the number of hidden questions changes. */
  'questions:hidden': (payload: { count: number } & Revised) => void;
  /** Presenters only, when it changes (checked every second): every question and poll with an unusual share of votes from one address. */
  'votes:unusual': (payload: { targets: UnusualVotes[] }) => void;
  /** To everyone: review mode turned on or off. */
  'moderation:changed': (payload: { review: boolean } & Revised) => void;
  'hold:changed': (payload: { people: HeldPerson[] }) => void;
  'hold:approved': (payload: Record<string, never>) => void;
  /** Phones only: the room's traffic since the last batch (see RoomBatch). */
  'room:batch': (batch: RoomBatch) => void;
}

// ---------------------------------------------------------------- inbound events: the one table

/**
 * Rate limit buckets (demo-server/realtime/rate-limits.ts holds their
 * numbers): most events have their own, presenter controls share one.
 */
export type RateLimitName =
  | 'slide:set'
  | 'name:set'
  | 'chat:send'
  | 'question:ask'
  | 'question:vote'
  | 'question:list'
  | 'reaction:send'
  | 'race:ping'
  | 'poll:vote'
  | 'pace:vote'
  | 'moderation'
  | 'words:submit'
  | 'text:submit'
  | 'room:report';

declare const ackResult: unique symbol;
/** What an event's `ok: true` ack carries besides `ok`; a type only (the value is an empty object). */
export interface AckSpec<T extends object> {
  readonly [ackResult]?: T;
}
const ack = <T extends object = object>(): AckSpec<T> => ({});

/** One event a client may send. */
export interface InboundSpec {
  /** The payload's schema: the server parses every payload with it before anything else reads it. */
  schema: z.ZodType;
  /** Who may send it; from anyone else it is `forbidden`, whatever the payload. */
  role: Role | 'any';
  rateLimit: RateLimitName;
  ack: AckSpec<object>;
  /**
   * When it applies. Absent: only while a session is open. `session`: also
   * once it has ended (its handout is on the phones; the presenter can
   * still tidy its questions). `any`: even while no talk is live. Otherwise
   * the event is `conflict`.
   */
  stage?: 'session' | 'any';
}

/**
 * Every event a client may send, in the order docs/protocol.md lists them.
 * The server handles each with `defineHandler(context, event, run)`
 * (demo-server/realtime/handler.ts), browsers send each with
 * `request(socket, event, payload)` (src/lib/request.ts); both are typed
 * from this table.
 */
export const INBOUND_EVENTS = {
  'slide:set': { schema: SlidePositionSchema, role: 'presenter', rateLimit: 'slide:set', ack: ack<{ seq: number }>() },
  'chat:send': { schema: ChatSendSchema, role: 'any', rateLimit: 'chat:send', ack: ack<{ message: ChatMessage }>() },
  'chat:delete': { schema: ChatDeleteSchema, role: 'presenter', rateLimit: 'moderation', ack: ack(), stage: 'session' },
  'chat:lock': { schema: ChatLockSchema, role: 'presenter', rateLimit: 'moderation', ack: ack() },
  'name:set': { schema: NameSetSchema, role: 'any', rateLimit: 'name:set', ack: ack<{ name: string }>(), stage: 'any' },
  'question:ask': { schema: QuestionAskSchema, role: 'any', rateLimit: 'question:ask', ack: ack<{ question: Question }>() },
  'question:vote': { schema: QuestionVoteSchema, role: 'any', rateLimit: 'question:vote', ack: ack<{ question: Question }>() },
  'question:list': {
    schema: QuestionListSchema,
    role: 'any',
    rateLimit: 'question:list',
    ack: ack<{ questions: QuestionView[]; total: number }>(),
    stage: 'session',
  },
  'question:answer': { schema: QuestionAnswerSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ question: Question }>(), stage: 'session' },
  'question:hide': { schema: QuestionHideSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ question: Question }>(), stage: 'session' },
  'question:spotlight': { schema: QuestionSpotlightSchema, role: 'presenter', rateLimit: 'moderation', ack: ack() },
  'client:ban': { schema: BanSchema, role: 'presenter', rateLimit: 'moderation', ack: ack(), stage: 'session' },
  'reaction:send': { schema: ReactionSendSchema, role: 'any', rateLimit: 'reaction:send', ack: ack() },
  /** Ends the open session (if any) and starts a fresh one of the live talk. */
  'session:start': { schema: SessionControlSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ sessionId: number }>(), stage: 'session' },
  /** Ends the talk: the session closes and phones show its handout until the next session starts (`sessionId` is the ended one). */
  'session:end': {
    schema: SessionControlSchema,
    role: 'presenter',
    rateLimit: 'moderation',
    ack: ack<{ ended: number; sessionId: number }>(),
    stage: 'session',
  },
  'timer:control': { schema: TimerControlSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ timer: TimerState }>() },
  'screen:blank': { schema: ScreenBlankSchema, role: 'presenter', rateLimit: 'moderation', ack: ack() },
  'follow:pause': { schema: FollowPauseSchema, role: 'presenter', rateLimit: 'moderation', ack: ack() },
  'pace:vote': { schema: PaceVoteSchema, role: 'audience', rateLimit: 'pace:vote', ack: ack() },
  /** Choice polls and scales: one vote per clientId and poll; voting again moves the vote. */
  'poll:vote': { schema: PollVoteSchema, role: 'any', rateLimit: 'poll:vote', ack: ack<{ results: PollResults; mine: number }>() },
  /** Any kind of poll: clears every vote or entry and reopens it. The ack carries a choice poll's or scale's results. */
  'poll:reset': { schema: PollResetSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ results?: PollResults }>() },
  'poll:close': { schema: PollCloseSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ results?: PollResults }>() },
  /** Word clouds: up to the cloud's data-max words per clientId, each word once. */
  'words:submit': { schema: WordSubmitSchema, role: 'any', rateLimit: 'words:submit', ack: ack<{ word: MyWord }>() },
  'words:hide': { schema: WordHideSchema, role: 'presenter', rateLimit: 'moderation', ack: ack() },
  /** Open text: up to data-max answers per clientId. */
  'text:submit': { schema: TextSubmitSchema, role: 'any', rateLimit: 'text:submit', ack: ack<{ answer: TextAnswer }>() },
  'text:hide': { schema: TextHideSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ answer: TextAnswer }>() },
  'text:show': { schema: TextShowEventSchema, role: 'presenter', rateLimit: 'moderation', ack: ack() },
  /** Allowed while the live slide holds the race widget. */
  'race:ping': { schema: RacePingSchema, role: 'any', rateLimit: 'race:ping', ack: ack<{ message: RaceMessage }>() },
  /** Co-presenters: ask to drive (granted at once when nobody drives, or the driver has been gone DRIVER_TAKEOVER_MS). */
  'drive:ask': { schema: DriveAskSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ drive: DriveState }>() },
  /** The driver hands the slides to the seat asking (one tap), or declines. */
  'drive:handover': { schema: DriveAnswerSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ drive: DriveState }>() },
  'drive:decline': { schema: DriveAnswerSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ drive: DriveState }>() },
  /** Sampled phones report drawing a live slide (sent without an ack). */
  'slide:shown': { schema: SlideShownSchema, role: 'audience', rateLimit: 'room:report', ack: ack() },
  'follow:state': { schema: FollowStateSchema, role: 'audience', rateLimit: 'room:report', ack: ack() },
  /** Review mode on or off (the talk's front matter sets where it starts). */
  'moderation:review': { schema: ModerationReviewSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ review: boolean }>() },
  'question:review': { schema: QuestionReviewSchema, role: 'presenter', rateLimit: 'moderation', ack: ack<{ question: Question }>(), stage: 'session' },
  'hold:approve': {
    schema: HoldApproveSchema,
    role: 'presenter',
    rateLimit: 'moderation',
    ack: ack<{ chat: number; questions: number }>(),
    stage: 'session',
  },
} as const satisfies Record<string, InboundSpec>;

export type InboundEvent = keyof typeof INBOUND_EVENTS;
/** What a client sends (before the schema trims and defaults it). */
export type EventPayload<E extends InboundEvent> = z.input<(typeof INBOUND_EVENTS)[E]['schema']>;
/** What the server's handler receives: the payload after its schema. */
export type ParsedPayload<E extends InboundEvent> = z.output<(typeof INBOUND_EVENTS)[E]['schema']>;
/** What an `ok: true` ack carries besides `ok`. */
export type EventResult<E extends InboundEvent> = (typeof INBOUND_EVENTS)[E]['ack'] extends AckSpec<infer T> ? T : never;

export type ClientToServerEvents = {
  [E in InboundEvent]: (payload: EventPayload<E>, ack?: AckCallback<EventResult<E>>) => void;
};

/**
 * Between livedeck processes sharing one Redis (io.serverSideEmit). Each
 * names what changed; the receiver reads the state itself from storage, so
 * messages arriving late or out of order cannot leave it stale.
 */
export interface InterServerEvents {
  /** Another process changed the control state of this session. */
  'peer:control': (sessionId: number) => void;
  /** Another process started a new session. */
  'peer:session': (sessionId: number) => void;
  /** A process's own audience and presenter-screen counts, every second (the sums are the room). */
  'peer:audience': (report: { peer: string; n: number; presenters: number }) => void;
  /** A pace vote cast on another process (pace votes live in memory). */
  'peer:pace': (vote: { clientId: string; dir: PaceDirection | null; at: number }) => void;
  /** On the `/race` namespace: a race ping accepted by another process (pings live in memory). */
  'race:ping': (message: RaceMessage) => void;
}

export interface SocketData {
  role: Role;
  clientId: string;
  authorId: string;
  name: string;
  ip: string;
  /** From the handshake: the newest chat message this phone already holds. */
  lastChatId?: number;
  /** Presenters: fingerprint of the token they proved, re-checked on every event (the token can rotate). */
  presenterKey?: string;
  /** Presenters: their seat (see DriveRequest). */
  seat?: DriveRequest;
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
  /** From the talk's `author:` front matter. */
  author: string | null;
  /** `<section>` elements for Reveal's `.slides` container. */
  deckHtml: string;
  /** Indexed [h][v] like Reveal. */
  outline: SlideOutline[][];
  /** The talk's own choices (front matter). */
  options: TalkOptions;
  join: { url: string; urls: string[]; qrSvg: string };
}

/** What a talk's front matter chooses for its room. */
export interface TalkOptions {
  /** The reactions phones offer (`reactions: [...]`, `[]` or `none` for none). @defaultValue all of REACTIONS */
  reactions: Reaction[];
  /** Whether the projector shows the number of phones (`audience-count: false` hides it). @defaultValue true */
  audienceCount: boolean;
  /** `moderation: review` holds new questions for the presenter's approval. @defaultValue "open" */
  moderation: 'open' | 'review';
}

export interface SlideNotes {
  html: string;
  /** Relative share of the talk's time (from a `Pace: N` line), 1 by default. */
  pace: number;
}

/** GET /api/presenter/notes (Bearer token): speaker notes, [h][v]. */
export interface PresenterNotes {
  /** The talk these notes belong to (the live one when asked). */
  talkId: string;
  notes: SlideNotes[][];
}

/** One past or open session of the talk, as the presenter's list shows it. */
export interface SessionSummary {
  id: number;
  talkId: string;
  startedAt: number;
  endedAt: number | null;
  peakAudience: number;
  questions: number;
  messages: number;
}

/** What the room shows: the live talk and its session (ended: phones show its handout). */
export interface LiveState {
  talkId: string;
  sessionId: number;
  ended: boolean;
}

/** GET /api/presenter/sessions[?talk=id] (Bearer token): one talk's sessions, newest first. */
export interface SessionList {
  /** The session on the screens; 0 while no talk is live. */
  current: number;
  live: LiveState | null;
  sessions: SessionSummary[];
}

/** One talk of the series, as the presenter's home lists it. */
export interface TalkSummary {
  id: string;
  /** The file's name in the slides folder. */
  file: string;
  /** The front matter's title (the file name when the talk does not load). */
  title: string;
  author: string | null;
  /** Minutes; null when the talk does not load. */
  duration: number | null;
  /** Horizontal and vertical slides; 0 when the talk does not load. */
  slides: number;
  sessions: number;
  /** When its newest session started (ms since the epoch). */
  lastSessionAt: number | null;
  /** Why the file does not load (bad front matter, a malformed poll…); the talk cannot go live until it does. */
  error: string | null;
}

/** GET /api/presenter/talks (Bearer token). */
export interface TalkList {
  live: LiveState | null;
  talks: TalkSummary[];
}

/** `:id` of /api/presenter/talks/:id/live: a talk file's name without `.md`. */
export const TalkIdParamSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[^/\\\u0000-\u001f]+$/, 'a talk id is a file name without .md');

/** GET /api/race/messages: the whole list, as a reload would fetch it. */
export interface RaceMessageList {
  messages: RaceMessage[];
}

/** GET /api/poll?since=ID (200): the messages after ID. Nothing new is a 204 with no body. */
export interface RacePollAnswer {
  messages: RaceMessage[];
}

/** GET /api/race/clock: the server's clock, for measuring delays; not counted in any pane. */
export interface RaceClock {
  /** The same clock as RaceMessage.ts. */
  now: number;
  last: number;
}

/** `:id` of /api/presenter/sessions/:id/export.md and .json. */
export const SessionIdParamSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const RacePollQuerySchema = z.object({
  since: z
    .string({
      error: (issue) => (issue.input === undefined ? 'since is required: the id of the newest message you hold (0 for none)' : 'since must be one message id'),
    })
    .regex(/^(0|[1-9][0-9]{0,14})$/, 'since must be a message id: a non-negative integer')
    .transform(Number),
});

/** One question as the handout shows it: no name, no author id; hidden questions are left out. */
export interface HandoutQuestion {
  id: number;
  text: string;
  votes: number;
  answered: boolean;
  slide: { h: number; v: number };
  /** Asked by the person asking for the handout (their clientId in `X-Livedeck-Client`). */
  mine: boolean;
  /** Voted for by that person. */
  voted: boolean;
}

/** A poll of the talk with its final results. */
export interface HandoutPoll {
  id: string;
  question: string;
  options: Array<{ label: string; votes: number }>;
  total: number;
}

/**
 * GET /api/handout/:sessionId (no token): the take-away of an ended session,
 * public: the talk's slides (no notes), its links, the questions that were
 * not hidden with their answered state, and the polls' results. With the
 * header `X-Livedeck-Client: <clientId>`, that person's own questions and
 * votes are marked.
 */
export interface Handout {
  sessionId: number;
  talk: { id: string; title: string; author: string | null; duration: number | null };
  startedAt: number;
  endedAt: number;
  /** The slides as the phone renders them; null when the talk's file no longer loads. */
  deck: { deckHtml: string; outline: SlideOutline[][] } | null;
  links: Array<{ href: string; text: string; slide: { h: number; v: number } }>;
  /** By votes, most first. */
  questions: HandoutQuestion[];
  polls: HandoutPoll[];
  /** This is the session on the room's screens (the join URL shows this handout until the next session starts). */
  current: boolean;
}

/** One past talk on the public /series page. */
export interface SeriesEntry {
  sessionId: number;
  talkId: string;
  title: string;
  author: string | null;
  startedAt: number;
  peakAudience: number;
}

/** Body of every HTTP error answer. */
export interface HttpError {
  error: Pick<WireError, 'code' | 'message' | 'reason' | 'params'>;
}
