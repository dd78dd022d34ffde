/**
 * Word clouds and open text: phones send words or short answers, within the
 * widget's allowance per person (clientId) and the session's bounds; the
 * presenter removes words, hides answers and chooses what the projector
 * shows of the answers (nothing, one, or the list). Every entry is stored
 * with the session before its ack.
 */
import { CLOUD_ENTRIES_MAX, TEXT_ANSWERS_MAX } from '../../src/shared/limits.js';
import { wordKey } from '../../src/shared/words.js';
import type { PollEntryRefusal } from '../storage/storage.js';
import { defineHandler, type HandlerContext, type HandlerEntry } from './handler.js';
import { myWord, parseShown, storedShown, textAnswer } from './poll-views.js';
import type { TalkRoom } from './talk-room.js';
import { refusalError, type WireErrorException } from './wire-error.js';

function refusal(reason: PollEntryRefusal, kind: 'words' | 'text', max: number): WireErrorException {
  const things = kind === 'words' ? 'words' : max === 1 ? 'answer' : 'answers';
  switch (reason) {
    case 'closed':
      return refusalError('poll_closed', 'the poll is closed');
    case 'hidden':
      return refusalError('word_removed', 'the presenter removed that word from the cloud');
    case 'duplicate':
      return refusalError('word_repeated', 'you already sent that word');
    case 'limit':
      return refusalError(
        kind === 'words' ? 'words_per_person' : 'answers_per_person',
        `you have sent ${max} ${things}, the most this poll takes from one person`,
        {
          count: max,
        },
      );
    case 'full':
      return refusalError('poll_full', 'this poll has all the answers it can take');
  }
}

/** Built once per server; every socket shares these listeners (handler.ts). */
export function createAnswerHandlers(room: TalkRoom, context: HandlerContext): HandlerEntry[] {
  return [
    defineHandler(context, 'words:submit', async ({ poll, text }, socket) => {
      const definition = room.polls.definition(poll, 'words');
      const key = wordKey(text);
      if (!key) throw refusalError('word_punctuation', 'type a word, not only punctuation');
      await room.assertVoteCounts(socket);
      const { clientId, authorId, name } = socket.data;
      const outcome = await room.storage.addPollEntry(
        room.sessionId,
        { poll, voterKey: clientId, authorId, name, text, key, ts: room.now() },
        { perVoter: definition.max, total: CLOUD_ENTRIES_MAX, uniqueKeys: true },
      );
      if (!outcome.ok) throw refusal(outcome.reason, 'words', definition.max);
      room.polls.announce(poll);
      return { word: myWord(outcome.entry) };
    }),

    defineHandler(context, 'words:hide', async ({ poll, key, hidden }) => {
      room.polls.definition(poll, 'words');
      await room.storage.hidePollWord(room.sessionId, poll, key, hidden);
      room.polls.announce(poll);
      return {};
    }),

    defineHandler(context, 'text:submit', async ({ poll, text }, socket) => {
      const definition = room.polls.definition(poll, 'text');
      await room.assertVoteCounts(socket);
      const { clientId, authorId, name } = socket.data;
      const outcome = await room.storage.addPollEntry(
        room.sessionId,
        { poll, voterKey: clientId, authorId, name, text, key: '', ts: room.now() },
        { perVoter: definition.max, total: TEXT_ANSWERS_MAX, uniqueKeys: false },
      );
      if (!outcome.ok) throw refusal(outcome.reason, 'text', definition.max);
      room.polls.answerChanged(outcome.entry);
      room.polls.announce(poll);
      return { answer: textAnswer(outcome.entry) };
    }),

    defineHandler(context, 'text:hide', async ({ poll, id, hidden }) => {
      room.polls.definition(poll, 'text');
      const entry = await room.storage.hidePollEntry(room.sessionId, poll, id, hidden);
      if (!entry) throw refusalError('no_answer', `no answer ${id} in "${poll}"`);
      // A hidden answer leaves the projector at once.
      if (hidden) {
        const tally = (await room.storage.pollCounts(room.sessionId)).find((candidate) => candidate.poll === poll);
        const show = parseShown(tally?.shown);
        if (show.mode === 'one' && show.id === id) await room.storage.setPollShown(room.sessionId, poll, '');
      }
      room.polls.answerChanged(entry);
      room.polls.announce(poll);
      return { answer: textAnswer(entry) };
    }),

    defineHandler(context, 'text:show', async ({ poll, show }) => {
      room.polls.definition(poll, 'text');
      if (show.mode === 'one' && !(await room.polls.entriesOf(poll)).some((entry) => entry.id === show.id && !entry.hidden)) {
        throw refusalError('no_answer', `no answer ${show.id} to show in "${poll}"`);
      }
      await room.storage.setPollShown(room.sessionId, poll, storedShown(show));
      room.polls.announce(poll);
      return {};
    }),
  ];
}
