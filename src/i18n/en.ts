/**
 * Every string people read on livedeck's screens, in English (the
 * fallback). ja.ts has the same keys; a test checks that both tables hold
 * every key with the same placeholders. A message that depends on a count
 * is `{ one, other }`. The talk's own text is never here: it stays as written.
 */
export type Message = string | { one?: string; other: string };

export const en = {
  // ---------------------------------------------------------------- the page
  'language.switch': 'Language',

  // ---------------------------------------------------------------- polls of every kind
  'console.panel-poll': 'Poll on this slide',
  'console.panel-scale': 'Scale on this slide',
  'console.panel-words': 'Word cloud on this slide',
  'console.panel-text': 'Answers on this slide',
  'poll.count': '{count} · {percent}',
  'poll.votes': { one: '{count} vote', other: '{count} votes' },
  'poll.closed': 'voting closed',
  'poll.reset': 'Reset',
  'poll.close': 'Close voting',
  'poll.reopen': 'Reopen',
  'poll.vote-for': 'Vote for {option}',

  'scale.ratings': { one: '{count} rating', other: '{count} ratings' },
  'scale.mean': 'mean {mean}',
  'scale.rate': 'Rate {value}',
  'scale.yours': 'Your rating: {value}',
  'scale.tap': 'Tap a number to rate',

  'words.count': { one: '{count} word from the room', other: '{count} words from the room' },
  'words.empty': 'Words appear here as the room sends them',
  'words.label': 'Your word',
  'words.placeholder': 'One word',
  'words.send': 'Send',
  'words.left': { one: 'One more word', other: 'Up to {count} more words' },
  'words.mine': 'You sent: {words}',
  'words.done': 'That’s all your words: thank you!',
  'words.closed': 'The cloud is closed',
  'words.remove': 'Remove',
  'words.restore': 'Bring back',
  'words.removed': 'Removed from the cloud',
  'words.none': 'No words yet',
  'words.in-cloud': 'In the cloud',

  'text.count': { one: '{count} answer so far', other: '{count} answers so far' },
  'text.answer-on-phone': 'Answer on your phone',
  'text.label': 'Your answer',
  'text.placeholder': 'Write your answer',
  'text.send': 'Send',
  'text.mine': { one: 'Your answer', other: 'Your answers' },
  'text.left': { one: 'You can send one more', other: 'You can send {count} more' },
  'text.thanks': 'Thank you! The presenter may show answers on the big screen.',
  'text.closed': 'Answers are closed',
  'text.on-screen': 'On the big screen',
  'text.hidden-mark': 'hidden by the presenter',
  'text.show-one': 'Show',
  'text.showing': 'On screen',
  'text.show-list': 'Show the list',
  'text.show-none': 'Show nothing',
  'text.hide': 'Hide',
  'text.unhide': 'Unhide',
  'text.none': 'No answers yet',
  'text.characters-left': '{count} left',
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, Message>;
