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
export const DEFAULT_PAUSE_MESSAGE = 'Back in a moment';

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
