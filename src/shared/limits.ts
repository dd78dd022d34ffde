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

/** Upper bound for any slide index; real decks have a few dozen slides. */
export const SLIDE_INDEX_MAX = 999;

/** JSON size bound for one event payload; real payloads are well under 2 KB. */
export const PAYLOAD_BYTES_MAX = 4096;

export const REACTIONS = ['👍', '👏', '❤️', '😂', '🤯', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];
