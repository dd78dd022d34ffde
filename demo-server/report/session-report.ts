/**
 * Everything one session's report and exports are made of, read from
 * storage once: the figures (session-figures.ts) and the export (questions,
 * chat, polls) that carries them.
 */
import { buildExport, type SessionExport } from '../http/export.js';
import { LivePolls } from '../realtime/live-polls.js';
import type { SessionRecord, TalkStorage } from '../storage/storage.js';
import type { Talk } from '../talk/load-talk.js';
import { sessionFigures, type ReportSlide, type SessionFigures } from './session-figures.js';

export interface SessionReport {
  figures: SessionFigures;
  export: SessionExport;
}

export interface ReportSources {
  storage: TalkStorage;
  polls: Pick<LivePolls, 'exportFor'>;
}

/** `talk` is the session's talk as its file reads now; undefined when the file no longer loads. */
export async function gatherReport(sources: ReportSources, session: SessionRecord, talk: Talk | undefined, now: number): Promise<SessionReport> {
  const { storage } = sources;
  const [questions, chat, summaries, polls, activity] = await Promise.all([
    storage.listQuestions(session.id),
    storage.allChat(session.id),
    storage.listSessions(session.talkId),
    // A talk that no longer loads has no poll definitions: its votes cannot be labelled.
    talk ? sources.polls.exportFor(session.id, talk) : Promise.resolve([]),
    storage.sessionActivity(session.id),
  ]);
  const peakAudience = summaries.find((summary) => summary.id === session.id)?.peakAudience ?? 0;
  const slides: ReportSlide[] | null = talk
    ? talk.slides.flatMap((stack, h) => stack.map((slide, v) => ({ h, v, title: slide.title, pace: slide.notes.pace })))
    : null;
  const figures = sessionFigures({
    talk: { id: session.talkId, title: talk?.title ?? session.talkId, author: talk?.author ?? null, durationMinutes: talk?.duration ?? null },
    slides,
    session,
    now,
    peakAudience,
    activity,
    chat,
    questions,
    polls,
  });
  const data = buildExport({ id: session.talkId, title: figures.talk.title }, session, peakAudience, questions, chat, figures);
  if (polls.length) data.extras = { ...data.extras, polls };
  return { figures, export: data };
}
