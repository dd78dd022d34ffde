/**
 * The presenter removes a person: one atomic storage call deletes their
 * messages, hides their questions, words and answers, and takes their votes
 * out of every total; their later messages, questions, votes, words and
 * answers are refused, and their phones are told and disconnected. The
 * same call marks their addresses for the session: new identities from
 * them are held for the presenter's approval (held-people.ts), whom the
 * presenter approves (what they sent goes to the room) or bans.
 */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import { AUDIENCE_ROOM } from './live-server.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createModerationHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'client:ban', async ({ authorId }, socket) => {
      const everyone = await socket.nsp.in(AUDIENCE_ROOM).fetchSockets();
      const phones = everyone.filter((target) => target.data.authorId === authorId);
      // Votes are kept by clientId, and the authorId is a keyed hash of it: the voters who hash to this person are theirs.
      const voterKeys = new Set((await room.storage.voterKeys(room.sessionId)).filter((key) => room.authorIdOf(key) === authorId));
      for (const phone of phones) voterKeys.add(phone.data.clientId);
      const mark = await room.held.markFor(
        authorId,
        everyone.map((phone) => phone.data),
      );
      const outcome = await room.storage.ban(room.talk.id, room.sessionId, { authorId, voterKeys: [...voterKeys], now: room.now(), mark });
      for (const id of outcome.deletedChat) room.broadcast('chat:deleted', { id, rev: room.nextRevision() });
      for (const question of outcome.questions) room.broadcastQuestion(question);
      for (const entry of outcome.entries) room.polls.entryChanged(entry);
      for (const poll of outcome.polls) room.polls.announce(poll);
      for (const clientId of voterKeys) room.paceVotes.set(clientId, null, room.now());
      for (const phone of phones) {
        phone.emit('client:banned', { message: 'The presenter removed you from the chat.' });
        phone.disconnect(true);
      }
      room.held.announce();
      return {};
    }),

    defineHandler(context, 'hold:approve', async ({ authorId }) => {
      const released = await room.storage.approveHeld(room.sessionId, authorId);
      if (!released) throw refusalError('not_held', 'no one with that id is waiting for approval');
      for (const message of released.chat) room.publishChat(message);
      for (const question of released.questions) room.broadcastQuestion(question);
      await room.held.approved(authorId);
      room.held.announce();
      return { chat: released.chat.length, questions: released.questions.length };
    }),
  ];
}
