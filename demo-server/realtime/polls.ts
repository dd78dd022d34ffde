/**
 * Live polls: the talk declares them (`data-widget="poll"`), phones vote,
 * the presenter resets or closes, everyone sees the bars move.
 *
 * One vote per clientId and poll. Voting again moves that vote to the new
 * option (people change their minds while the bars move; a second phone of
 * the same person changes nothing). Votes are stored with the session, so
 * they survive a restart and belong to its export.
 */
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { WireErrorException } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createPollHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'poll:vote', async ({ poll, option }, socket) => {
      room.polls.definition(poll, option);
      await room.assertVoteCounts(socket);
      const outcome = await room.storage.setPollVote(room.sessionId, {
        poll,
        voterKey: socket.data.clientId,
        choice: option,
        ts: room.now(),
      });
      if (outcome === 'closed') throw new WireErrorException('forbidden', 'the poll is closed');
      if (outcome === 'changed') room.polls.announce(poll);
      return { results: await room.polls.results(room.sessionId, poll), mine: option };
    }),

    defineHandler(context, 'poll:reset', async ({ poll }) => {
      room.polls.definition(poll);
      await room.storage.clearPoll(room.sessionId, poll);
      room.polls.announce(poll);
      return { results: await room.polls.results(room.sessionId, poll) };
    }),

    defineHandler(context, 'poll:close', async ({ poll, closed }) => {
      room.polls.definition(poll);
      await room.storage.setPollClosed(room.sessionId, poll, closed);
      room.polls.announce(poll);
      return { results: await room.polls.results(room.sessionId, poll) };
    }),
  ];
}
