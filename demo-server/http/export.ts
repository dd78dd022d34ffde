/**
 * A session, exported for after the talk: Markdown for people (the report's
 * figures, questions by votes with answered marks, polls, then the chat) and
 * JSON for tools. Both carry the same figures as the HTML report.
 */
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import type { PollExport } from '../realtime/poll-views.js';
import { paceVerdict } from '../report/report-html.js';
import type { SessionFigures } from '../report/session-figures.js';
import { minutesAndSeconds } from '../report/svg-charts.js';
import type { SessionRecord } from '../storage/storage.js';

export interface SessionExport {
  talk: { id: string; title: string };
  session: { id: number; startedAt: string; endedAt: string | null; peakAudience: number };
  questions: Question[];
  chat: ChatMessage[];
  /** The report's figures (session-figures.ts): audience, pace, per-slide activity, polls, questions. */
  figures: SessionFigures;
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
  figures: SessionFigures,
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
    figures,
  };
}

/** Markdown special characters in user text are escaped so a message cannot restructure the document. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>~])/g, '\\$1').replace(/\r?\n/g, ' ');
}

const time = (ts: number) => new Date(ts).toISOString().slice(11, 19);
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** One poll of any kind: its question, then its outcome. */
function pollMarkdown(poll: PollExport): string[] {
  const title = (counted: string) => `### ${escapeMarkdown(poll.question)} (${counted}${poll.closed ? ', closed' : ''})`;
  switch (poll.kind) {
    case 'poll':
      return [title(plural(poll.total, 'vote')), '', ...poll.options.map((option) => `- ${escapeMarkdown(option.label)}: ${option.votes}`)];
    case 'scale': {
      const ends = [
        poll.minLabel && `${poll.min} = ${escapeMarkdown(poll.minLabel)}`,
        poll.maxLabel && `${poll.max} = ${escapeMarkdown(poll.maxLabel)}`,
      ].filter(Boolean);
      return [
        title(`${plural(poll.total, 'vote')}${poll.mean === null ? '' : `, mean ${poll.mean.toFixed(1)}`}`),
        '',
        `Scale ${poll.min}–${poll.max}${ends.length ? ` (${ends.join(', ')})` : ''}.`,
        '',
        ...poll.options.map((option) => `- ${option.label}: ${option.votes}`),
      ];
    }
    case 'words': {
      const lines = [title(plural(poll.total, 'word')), ''];
      if (poll.words.length === 0) lines.push('No words.');
      for (const word of poll.words) lines.push(`- ${escapeMarkdown(word.text)}: ${word.count}`);
      if (poll.removed.length)
        lines.push('', `Removed by the presenter: ${poll.removed.map((word) => `${escapeMarkdown(word.text)} (${word.count})`).join(', ')}`);
      return lines;
    }
    case 'text': {
      const lines = [title(plural(poll.total, 'answer')), ''];
      if (poll.answers.length === 0) lines.push('No answers.');
      for (const answer of poll.answers) {
        lines.push(`- ${answer.ts.slice(11, 19)} **${escapeMarkdown(answer.name)}**: ${escapeMarkdown(answer.text)}${answer.hidden ? ' (🚫 hidden)' : ''}`);
      }
      return lines;
    }
  }
}

export function exportMarkdown(data: SessionExport): string {
  const lines = [
    `# ${escapeMarkdown(data.talk.title)}`,
    '',
    `Session ${data.session.id}, started ${data.session.startedAt}${data.session.endedAt ? `, ended ${data.session.endedAt}` : ' (still open)'}; peak audience ${data.session.peakAudience}.`,
    '',
    ...figuresMarkdown(data.figures),
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
  for (const poll of polls) lines.push('', ...pollMarkdown(poll));
  lines.push('', `## Chat (${data.chat.length} messages)`, '');
  if (data.chat.length === 0) lines.push('No messages.');
  for (const message of data.chat) lines.push(`- ${time(message.ts)} **${escapeMarkdown(message.name)}**: ${escapeMarkdown(message.text)}`);
  return lines.join('\n') + '\n';
}

/** The report's figures as Markdown: the headline numbers, then one table row per slide. */
function figuresMarkdown(figures: SessionFigures): string[] {
  const { pace, questions, totals } = figures;
  const lines = [
    '## Figures',
    '',
    `- Peak audience: ${figures.audience.peak}`,
    `- Overall pace: ${minutesAndSeconds(pace.spokenMs)} spoken${pace.plannedMs === null ? '' : ` for ${minutesAndSeconds(pace.plannedMs)} planned (${paceVerdict(pace.overMs)})`}, ${pace.measuredBy === 'timer' ? 'on the talk timer' : 'whole session (timer unused)'}`,
    `- Questions: ${totals.questions} (${questions.answered} answered, ${questions.unanswered} unanswered, ${questions.hidden} hidden)`,
    `- Reactions: ${totals.reactions}; chat messages: ${totals.messages}`,
    '',
    '| Slide | Title | Spent | Planned | Visits | Reactions | Questions | Chat |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const slide of figures.slides) {
    const title = escapeMarkdown(slide.title || '—') + (slide.inTalk ? '' : ' (no longer in the talk)');
    const planned = slide.plannedMs === null ? '—' : minutesAndSeconds(slide.plannedMs);
    lines.push(
      `| ${slide.label} | ${title} | ${minutesAndSeconds(slide.spentMs)} | ${planned} | ${slide.visits} | ${slide.reactionTotal} | ${slide.questions} | ${slide.messages} |`,
    );
  }
  const samples = audienceOutline(figures.audience.samples);
  if (samples.length)
    lines.push(
      '',
      `Audience over time (time from the start → phones): ${samples.map((sample) => `${minutesAndSeconds(sample.atMs)} → ${sample.n}`).join(', ')}`,
    );
  lines.push('');
  return lines;
}

/** Every change of the count when there are few; past 40, the highest count of each minute. */
function audienceOutline(samples: ReadonlyArray<{ atMs: number; n: number }>): Array<{ atMs: number; n: number }> {
  if (samples.length <= 40) return [...samples];
  const minutes = new Map<number, number>();
  for (const sample of samples) {
    const minute = Math.floor(sample.atMs / 60_000);
    minutes.set(minute, Math.max(minutes.get(minute) ?? 0, sample.n));
  }
  return [...minutes].map(([minute, n]) => ({ atMs: minute * 60_000, n }));
}
