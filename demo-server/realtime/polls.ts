/**
 * Polls of every kind, the events they share: phones vote in choice polls
 * and scales; the presenter resets or closes any poll (word clouds and
 * open text too: answers.ts has their own events).
 *
 * One vote per clientId and poll. Voting again moves that vote to the new
 * option (people change their minds while the bars move; a second phone of
 * the same person changes nothing). Votes are stored with the session, so
 * they survive a restart and belong to its export.
 */
import { isVotePoll, voteOptions } from '../../src/shared/poll-definitions.js';
import type { PollResults } from '../../src/shared/protocol.js';
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError } from './wire-error.js';

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createPollHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  /** A choice poll's or a scale's results for the ack; word clouds and open text answer with their broadcast. */
  const resultsOf = async (poll: string): Promise<{ results?: PollResults }> =>
    isVotePoll(room.polls.definition(poll)) ? { results: await room.polls.results(room.sessionId, poll) } : {};

  return [
    defineHandler(context, 'poll:vote', async ({ poll, option }, socket) => {
      const definition = room.polls.definition(poll, 'poll', 'scale');
      const options = voteOptions(definition);
      if (option >= options.length) {
        throw refusalError(
          'no_option',
          definition.kind === 'poll'
            ? `poll "${poll}" has options 0–${options.length - 1}`
            : `scale "${poll}" has options 0–${options.length - 1} (values ${definition.min}–${definition.max})`,
        );
      }
      await room.assertVoteCounts(socket);
      const outcome = await room.storage.setPollVote(room.sessionId, {
        poll,
        voterKey: socket.data.clientId,
        choice: option,
        ts: room.now(),
      });
      if (outcome === 'closed') throw refusalError('poll_closed', 'the poll is closed');
      if (outcome === 'changed') room.recordVote(socket.data, `poll:${poll}`, true);
      if (outcome === 'changed') room.polls.announce(poll);
      return { results: await room.polls.results(room.sessionId, poll), mine: option };
    }),

    defineHandler(context, 'poll:reset', async ({ poll }) => {
      room.polls.definition(poll);
      await room.storage.clearPoll(room.sessionId, poll);
      room.polls.announce(poll);
      return resultsOf(poll);
    }),

    defineHandler(context, 'poll:close', async ({ poll, closed }) => {
      room.polls.definition(poll);
      await room.storage.setPollClosed(room.sessionId, poll, closed);
      room.polls.announce(poll);
      return resultsOf(poll);
    }),
  ];
}
