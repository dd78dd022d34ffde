/**
 * The figures of one session's report, computed from what storage recorded:
 * time on each slide from the timeline (while the talk timer ran, or the
 * whole session when it was never started), against the plan the talk's
 * `Pace:` weights make of its duration; the audience over time; reactions,
 * questions and chat messages per slide; poll results; questions by votes.
 *
 * Pure: the clock (`until`, for a session still open) comes in with the
 * input, so a test that moved its own clock gets exact figures.
 */
import type { ChatMessage, Question } from '../../src/shared/protocol.js';
import { planPace } from '../../src/shared/pacing.js';
import { compareByVotes } from '../../src/shared/room-view.js';
import type { SessionActivity } from '../storage/storage.js';
import type { PollExport } from '../realtime/poll-views.js';

export interface ReportSlide {
  h: number;
  v: number;
  title: string;
  /** `Pace:` weight (1 when the notes give none). */
  pace: number;
}

export interface ReportInput {
  talk: { id: string; title: string; author: string | null; durationMinutes: number | null };
  /** The talk's slides in deck order; null when its file no longer loads. */
  slides: ReportSlide[] | null;
  session: { id: number; startedAt: number; endedAt: number | null };
  /** Where an open session's figures stop (now). */
  now: number;
  peakAudience: number;
  activity: SessionActivity;
  chat: readonly ChatMessage[];
  questions: readonly Question[];
  polls: readonly PollExport[];
}

export interface SlideFigures {
  h: number;
  v: number;
  /** "3" or "3.2", as people count slides. */
  label: string;
  title: string;
  /** Its share of the talk's duration; null without a plan. */
  plannedMs: number | null;
  spentMs: number;
  /** Times the slide came on screen. */
  visits: number;
  reactions: Record<string, number>;
  reactionTotal: number;
  questions: number;
  messages: number;
  /** False for a slide the session showed that the talk file no longer has. */
  inTalk: boolean;
}

export interface ReportQuestion {
  id: number;
  text: string;
  name: string;
  votes: number;
  answered: boolean;
  hidden: boolean;
  slide: string;
}

export interface SessionFigures {
  talk: { id: string; title: string; author: string | null };
  session: { id: number; startedAt: number; endedAt: number | null; open: boolean; lengthMs: number };
  audience: { peak: number; samples: Array<{ atMs: number; n: number }> };
  pace: {
    /** `timer`: time counted while the talk timer ran; `session`: the timer was never used. */
    measuredBy: 'timer' | 'session';
    spokenMs: number;
    plannedMs: number | null;
    /** spoken − planned: positive is over time. */
    overMs: number | null;
  };
  slides: SlideFigures[];
  totals: { reactions: number; questions: number; messages: number };
  questions: { answered: number; unanswered: number; hidden: number; byVotes: ReportQuestion[] };
  polls: PollExport[];
}

export const slideLabel = (h: number, v: number) => (v === 0 ? String(h + 1) : `${h + 1}.${v + 1}`);
const key = (h: number, v: number) => `${h}/${v}`;

interface SlideWalk {
  spent: Map<string, number>;
  visits: Map<string, number>;
  measuredBy: 'timer' | 'session';
  /** [from, slide key] in time order: which slide was on screen from when. */
  onScreen: Array<[number, string]>;
}

/** Replays the timeline from the session's start (on the first slide) to its end. */
function walkTimeline(activity: SessionActivity, startedAt: number, until: number): SlideWalk {
  const usesTimer = activity.timeline.some((entry) => entry.kind === 'timer');
  const spent = new Map<string, number>();
  const visits = new Map<string, number>([[key(0, 0), 1]]);
  const onScreen: Array<[number, string]> = [[startedAt, key(0, 0)]];
  let current = key(0, 0);
  let running = !usesTimer;
  let since = startedAt;
  const count = (to: number) => {
    if (running && to > since) spent.set(current, (spent.get(current) ?? 0) + (to - since));
    since = Math.max(since, to);
  };
  for (const entry of activity.timeline) {
    const at = Math.min(Math.max(entry.ts, startedAt), until);
    count(at);
    if (entry.kind === 'slide') {
      const next = key(entry.h, entry.v);
      if (next !== current) visits.set(next, (visits.get(next) ?? 0) + 1);
      current = next;
      onScreen.push([at, current]);
    } else if (entry.action === 'start') running = true;
    else if (entry.action === 'pause') running = false;
    else {
      // A reset starts the talk's clock again: what was counted before (a rehearsal, a false start) is not the talk.
      running = false;
      spent.clear();
    }
  }
  count(until);
  return { spent, visits, measuredBy: usesTimer ? 'timer' : 'session', onScreen };
}

/** The slide on screen at `ts`. */
function slideAt(onScreen: Array<[number, string]>, ts: number): string {
  let found = onScreen[0]![1];
  for (const [from, slide] of onScreen) {
    if (from > ts) break;
    found = slide;
  }
  return found;
}

export function sessionFigures(input: ReportInput): SessionFigures {
  const { session, activity } = input;
  const until = Math.max(session.startedAt, session.endedAt ?? input.now);
  const walk = walkTimeline(activity, session.startedAt, until);
  const plannedMs = input.talk.durationMinutes === null ? null : input.talk.durationMinutes * 60_000;

  const slides = new Map<string, SlideFigures>();
  const slide = (h: number, v: number, title = '', inTalk = false): SlideFigures => {
    let found = slides.get(key(h, v));
    if (!found) {
      found = {
        h,
        v,
        label: slideLabel(h, v),
        title,
        plannedMs: null,
        spentMs: 0,
        visits: 0,
        reactions: {},
        reactionTotal: 0,
        questions: 0,
        messages: 0,
        inTalk,
      };
      slides.set(key(h, v), found);
    }
    return found;
  };
  if (input.slides) {
    const plan = plannedMs === null ? null : planPace(plannedMs, groupByStack(input.slides));
    input.slides.forEach((entry, index) => {
      const figures = slide(entry.h, entry.v, entry.title, true);
      figures.plannedMs = plan?.slides[index]?.budgetMs ?? null;
    });
  }
  const at = (slideKey: string) => {
    const [h, v] = slideKey.split('/').map(Number) as [number, number];
    return slide(h, v);
  };
  for (const [slideKey, ms] of walk.spent) at(slideKey).spentMs = ms;
  for (const [slideKey, visits] of walk.visits) at(slideKey).visits = visits;
  for (const reaction of activity.reactions) {
    const figures = slide(reaction.h, reaction.v);
    figures.reactions[reaction.emoji] = (figures.reactions[reaction.emoji] ?? 0) + reaction.count;
    figures.reactionTotal += reaction.count;
  }
  for (const question of input.questions) slide(question.slide.h, question.slide.v).questions++;
  for (const message of input.chat) at(slideAt(walk.onScreen, message.ts)).messages++;

  const ordered = [...slides.values()].sort((a, b) => Number(b.inTalk) - Number(a.inTalk) || a.h - b.h || a.v - b.v);
  const spokenMs = ordered.reduce((sum, figures) => sum + figures.spentMs, 0);
  const byVotes = [...input.questions].sort(compareByVotes).map((question) => ({
    id: question.id,
    text: question.text,
    name: question.name,
    votes: question.votes,
    answered: question.answered,
    hidden: question.hidden,
    slide: slideLabel(question.slide.h, question.slide.v),
  }));
  return {
    talk: { id: input.talk.id, title: input.talk.title, author: input.talk.author },
    session: { id: session.id, startedAt: session.startedAt, endedAt: session.endedAt, open: session.endedAt === null, lengthMs: until - session.startedAt },
    audience: {
      peak: Math.max(input.peakAudience, ...activity.audience.map((sample) => sample.n)),
      samples: activity.audience.map((sample) => ({ atMs: Math.min(Math.max(sample.ts, session.startedAt), until) - session.startedAt, n: sample.n })),
    },
    pace: { measuredBy: walk.measuredBy, spokenMs, plannedMs, overMs: plannedMs === null ? null : spokenMs - plannedMs },
    slides: ordered,
    totals: {
      reactions: ordered.reduce((sum, figures) => sum + figures.reactionTotal, 0),
      questions: input.questions.length,
      messages: input.chat.length,
    },
    questions: {
      answered: input.questions.filter((question) => question.answered && !question.hidden).length,
      unanswered: input.questions.filter((question) => !question.answered && !question.hidden).length,
      hidden: input.questions.filter((question) => question.hidden).length,
      byVotes,
    },
    polls: [...input.polls],
  };
}

/** planPace takes notes as [h][v]; the report's slides come flat in deck order. */
function groupByStack(slides: readonly ReportSlide[]): Array<Array<{ pace: number }>> {
  const stacks: Array<Array<{ pace: number }>> = [];
  for (const entry of slides) (stacks[entry.h] ??= []).push({ pace: entry.pace });
  return stacks;
}
