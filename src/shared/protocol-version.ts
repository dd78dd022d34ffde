/**
 * The version of the wire contract (src/shared/protocol.ts), zod-free so
 * that every browser bundle can check it: each snapshot carries the
 * server's, and a page built for another version stops and asks to be
 * reloaded rather than misread events it does not know (src/lib/socket.ts).
 *
 * Bump it with any change an old page would misread: a renamed or removed
 * event, a payload or ack field that changes shape or meaning. A new event
 * or a new optional field that old pages can ignore needs no bump.
 *
 * 2: snapshots name the live talk and whether its session ended.
 * 3: phones hear chat, reactions, question and poll updates and counts in
 *    `room:batch` frames; the snapshot carries `presenterOnline`.
 * 4: phones hear word clouds and open-text boards in `room:batch` too.
 * 5: a pause without a message has none (`paused: {}`): each screen shows
 *    its own default in its language (an old page would show nothing).
 */
export const PROTOCOL_VERSION = 5;
