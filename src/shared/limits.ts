/**
 * Limits shared by the server's schemas and the browser's forms.
 *
 * Kept apart from protocol.ts so that browser bundles can import the numbers
 * without pulling zod in.
 */

/** A browser-generated id that follows one person across reloads. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export const NAME_MAX = 32;
export const CHAT_TEXT_MAX = 500;
export const QUESTION_TEXT_MAX = 280;

/** Chat lines a late joiner receives in its snapshot. */
export const CHAT_HISTORY = 100;

/** Questions a phone's join carries (the top ones, besides its own and the spotlighted one); the rest by `question:list`. */
export const QUESTIONS_IN_SNAPSHOT = 50;
/** Questions a presenter screen's join carries (those waiting for approval first). */
export const QUESTIONS_IN_PRESENTER_SNAPSHOT = 200;
/** Questions per `question:list` page. */
export const QUESTIONS_PAGE = 50;
/** Questions one person may ask in a session (presenters: no limit). */
export const DEFAULT_QUESTIONS_PER_PERSON = 20;

/** A reconnecting phone that missed at most this many messages gets exactly those; beyond it, the newest CHAT_HISTORY. */
export const CHAT_RESYNC_MAX = 500;

/** Upper bound for any slide index; real decks have a few dozen slides. */
export const SLIDE_INDEX_MAX = 999;

/** JSON size bound for one event payload; real payloads are well under 2 KB. */
export const PAYLOAD_BYTES_MAX = 4096;

export const REACTIONS = ['👍', '👏', '❤️', '😂', '🤯', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** The presenter's "pause the phones" message ("Back in a moment"). */
export const PAUSE_MESSAGE_MAX = 140;

/** A phone's "slower"/"faster" vote counts for this long after it was cast. */
export const PACE_VOTE_TTL_MS = 60_000;

/** A poll's id as written in the talk (`data-poll="used-node"`). */
export const POLL_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Options per poll; more would not fit a slide as bars anyway. */
export const POLL_OPTIONS_MAX = 8;

/** A co-presenter may take the slides over once the driver's screens have all been gone this long. */
export const DRIVER_TAKEOVER_MS = 30_000;

/** Slide changes: about this many phones report when they drew one, whatever the room's size (each phone samples itself at TARGET / phones). */
export const HEALTH_SAMPLE_TARGET = 40;

/** Values of a scale (`data-widget="scale"`): whole numbers from SCALE_LOWEST to SCALE_HIGHEST (1–5, 0–10). */
export const SCALE_LOWEST = 0;
export const SCALE_HIGHEST = 10;
/** The labels of a scale's two ends ("not at all", "very well"). */
export const SCALE_LABEL_MAX = 40;
/** A vote names its option, or a scale's value counted from data-min, by position. */
export const VOTE_OPTION_MAX = Math.max(POLL_OPTIONS_MAX, SCALE_HIGHEST - SCALE_LOWEST + 1) - 1;

/** One entry of a word cloud (`data-widget="words"`), after trimming. */
export const WORD_TEXT_MAX = 32;
/** A word cloud's `data-max`: entries per person (default 3). */
export const WORDS_PER_PERSON_MAX = 10;
export const WORDS_PER_PERSON_DEFAULT = 3;
/** Words a screen receives of one cloud: the most frequent; a cloud on a slide cannot show more anyway. */
export const CLOUD_WORDS_SHOWN = 100;

/** One open-text answer (`data-widget="text"`). */
export const TEXT_ANSWER_MAX = 280;
/** An open-text widget's `data-max`: answers per person (default 1). */
export const TEXT_ANSWERS_PER_PERSON_MAX = 5;
/** Answers phones receive while the presenter shows the list: the newest ones. */
export const TEXT_ANSWERS_SHOWN = 20;

/** Entries a word cloud accepts in a session, so a room cannot grow it without bound. */
export const CLOUD_ENTRIES_MAX = 5000;
/** Answers an open-text widget accepts in a session: presenters' screens receive them all. */
export const TEXT_ANSWERS_MAX = 1000;
