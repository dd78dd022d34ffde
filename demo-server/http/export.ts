/**
 * A session, exported for after the talk: Markdown for people (questions by
 * votes with answered marks, then the chat) and JSON for tools.
 */
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import type { PollExport } from '../realtime/live-polls.js';
import type { SessionRecord } from '../storage/storage.js';

export interface SessionExport {
  talk: { id: string; title: string };
  session: { id: number; startedAt: string; endedAt: string | null; peakAudience: number };
  questions: Question[];
  chat: ChatMessage[];
  /** Extra sections other features add (polls, …), keyed by name. */
  extras?: Record<string, unknown>;
}

export function byVotes(questions: Question[]): Question[] {
  return [...questions].sort((a, b) => b.votes - a.votes || a.ts - b.ts || a.id - b.id);
}

export function buildExport(
  talk: { id: string; title: string },
  session: SessionRecord,
  peakAudience: number,
  questions: Question[],
  chat: ChatMessage[],
): SessionExport {
  return {
    talk,
    session: {
      id: session.id,
      startedAt: new Date(session.startedAt).toISOString(),
      endedAt: session.endedAt === null ? null : new Date(session.endedAt).toISOString(),
      peakAudience,
    },
    questions: byVotes(questions),
    chat,
  };
}

/** Markdown special characters in user text are escaped so a message cannot restructure the document. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>~])/g, '\\$1').replace(/\r?\n/g, ' ');
}

const time = (ts: number) => new Date(ts).toISOString().slice(11, 19);

export function exportMarkdown(data: SessionExport): string {
  const lines = [
    `# ${escapeMarkdown(data.talk.title)}`,
    '',
    `Session ${data.session.id}, started ${data.session.startedAt}${data.session.endedAt ? `, ended ${data.session.endedAt}` : ' (still open)'}; peak audience ${data.session.peakAudience}.`,
    '',
    `## Questions (${data.questions.length})`,
    '',
  ];
  if (data.questions.length === 0) lines.push('No questions.');
  for (const question of data.questions) {
    const marks = [question.answered ? '✅ answered' : '', question.hidden ? '🚫 hidden' : ''].filter(Boolean).join(', ');
    lines.push(
      `- **${question.votes} vote${question.votes === 1 ? '' : 's'}**: ${escapeMarkdown(question.text)} — ${escapeMarkdown(question.name)}, slide ${question.slide.h + 1}${question.slide.v ? `.${question.slide.v + 1}` : ''}${marks ? ` (${marks})` : ''}`,
    );
  }
  const polls = (data.extras?.polls ?? []) as PollExport[];
  if (polls.length) lines.push('', `## Polls (${polls.length})`);
  for (const poll of polls) {
    lines.push('', `### ${escapeMarkdown(poll.question)} (${poll.total} vote${poll.total === 1 ? '' : 's'}${poll.closed ? ', closed' : ''})`, '');
    for (const option of poll.options) lines.push(`- ${escapeMarkdown(option.label)}: ${option.votes}`);
  }
  lines.push('', `## Chat (${data.chat.length} messages)`, '');
  if (data.chat.length === 0) lines.push('No messages.');
  for (const message of data.chat) lines.push(`- ${time(message.ts)} **${escapeMarkdown(message.name)}**: ${escapeMarkdown(message.text)}`);
  return lines.join('\n') + '\n';
}
